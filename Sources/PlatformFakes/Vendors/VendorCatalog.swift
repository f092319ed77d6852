import MarTechModel
import SimKernel

/// The vendors a scenario can name with `vendor:`, with their sources (figures from
/// docs/realism.md; "assumption" marks what no source gave).
public enum VendorCatalog {
    public static let all: [VendorProfile] = crms + automation + cdps + senders + dsps

    public static func named(_ id: String) -> VendorProfile? { all.first { $0.id == id } }
    public static var ids: [String] { all.map(\.id) }

    static let crms: [VendorProfile] = [
        VendorProfile(
            id: "salesforce", name: "Salesforce", kinds: [.crm],
            fields: [
                .exact("converted", "Has_Booked__c", values: ["false", "true"]),
                .exact("stage", "Status"),
                .exact("consent.email", "HasOptedOutOfEmail", values: ["true", "false"]),
                .exact("consent.sms", "SMS_Opt_In__c", values: ["false", "true"]),
                .exact("consent.push", "Push_Opt_In__c", values: ["false", "true"]),
                .prefix("segment.", "Segment_"),
            ],
            throughputPerSecond: nil, applyDelay: nil,
            writeLimit: APILimit(
                requests: 100_000, window: .days(1), recordsPerRequest: 200, daily: 100_000,
                source:
                    "Salesforce API allocation: 100,000 requests per rolling 24 h plus per-licence adds; sObject Collections take 200 records"
            ),
            assumptions: [
                (
                    "write limit", "100,000 requests/24 h spread evenly, 200 records each",
                    "Salesforce limits cheat sheet (base allocation; assumption: no licence adds)"
                )
            ]),
        VendorProfile(
            id: "hubspot", name: "HubSpot", kinds: [.crm, .map],
            fields: [
                .exact("converted", "hs_booking_status", values: ["false", "true"]),
                .exact(
                    "stage", "lifecyclestage",
                    values: [
                        "subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer",
                    ]),
                .exact("consent.email", "hs_email_optout", values: ["true", "false"]),
                .prefix("consent.", "hs_legal_basis_", values: ["NOT_OPTED_IN", "OPTED_IN"]),
                .prefix("segment.", "hs_list:"),
            ],
            throughputPerSecond: nil, applyDelay: nil,
            writeLimit: APILimit(
                requests: 190, window: .seconds(10), recordsPerRequest: 100, daily: 650_000,
                source: "HubSpot private apps: 190 requests / 10 s, 650,000/day (Professional); v3 batch of 100 inputs"),
            assumptions: [
                ("write limit", "190 requests / 10 s, 100 records each", "HubSpot API limits changelog (Professional)")
            ]),
    ]

    static let automation: [VendorProfile] = [
        VendorProfile(
            id: "marketo", name: "Marketo", kinds: [.map],
            fields: [
                .exact("converted", "hasBooked", values: ["false", "true"]),
                .exact("consent.email", "unsubscribed", values: ["true", "false"]),
                .prefix("segment.", "Segment_Membership:"),
            ],
            throughputPerSecond: nil, applyDelay: nil,
            writeLimit: APILimit(
                requests: 100, window: .seconds(20), recordsPerRequest: 300, daily: 50_000,
                source: "Marketo REST: 100 calls / 20 s per instance, 50,000/day, 300 records per lead call"),
            assumptions: [
                ("write limit", "100 calls / 20 s, 300 records each", "Adobe Marketo integration best practices")
            ],
            fastestSync: SyncFloor(
                interval: .minutes(5),
                source: "Marketo's CRM sync pauses about 5 min after each cycle (Adobe KB ka-28525)")),
        VendorProfile(
            id: "braze", name: "Braze", kinds: [.map, .sms, .push],
            fields: [
                .exact("converted", "custom_attributes.booked", values: ["false", "true"]),
                .exact("consent.email", "email_subscribe", values: ["unsubscribed", "opted_in"]),
                .exact("consent.sms", "subscription_group:sms", values: ["unsubscribed", "subscribed"]),
                .exact("consent.push", "push_subscribe", values: ["unsubscribed", "opted_in"]),
                .prefix("segment.", "custom_attributes.segment_"),
            ],
            throughputPerSecond: nil, applyDelay: nil,
            writeLimit: APILimit(
                requests: 3_000, window: .seconds(3), recordsPerRequest: 75, daily: nil,
                source: "Braze /users/track: 3,000 requests / 3 s per workspace, 75 objects per request"),
            assumptions: [("write limit", "3,000 requests / 3 s, 75 objects each", "Braze API limits")]),
        VendorProfile(
            id: "klaviyo", name: "Klaviyo", kinds: [.map],
            fields: [
                .exact("converted", "properties.booked", values: ["false", "true"]),
                .exact(
                    "consent.email", "subscriptions.email.marketing.consent", values: ["UNSUBSCRIBED", "SUBSCRIBED"]),
                .exact("consent.sms", "subscriptions.sms.marketing.consent", values: ["UNSUBSCRIBED", "SUBSCRIBED"]),
                .prefix("segment.", "segment:"),
            ],
            throughputPerSecond: nil, applyDelay: nil,
            writeLimit: APILimit(
                requests: 700, window: .minutes(1), recordsPerRequest: 1, daily: nil,
                source: "Klaviyo profile updates: L tier, 75/s burst and 700/min steady"),
            assumptions: [
                ("write limit", "700 requests/min (steady window), one profile each", "Klaviyo rate limits (L tier)")
            ]),
        VendorProfile(
            id: "iterable", name: "Iterable", kinds: [.map],
            fields: [
                .exact("converted", "dataFields.booked", values: ["false", "true"]),
                .exact("consent.email", "emailListIds (unsubscribed)", values: ["true", "false"]),
                .prefix("segment.", "dataFields.segment_"),
            ],
            throughputPerSecond: nil, applyDelay: nil,
            writeLimit: APILimit(
                requests: 10, window: .seconds(1), recordsPerRequest: 1, daily: nil,
                source: "Iterable bulk track: 10 requests/s per project"),
            assumptions: [
                ("write limit", "10 requests/s, one record each", "Iterable limits (records per request: assumption)")
            ]),
        VendorProfile(
            id: "sendgrid", name: "SendGrid", kinds: [.map],
            fields: [
                .exact("consent.email", "asm_group_unsubscribe", values: ["unsubscribed", "subscribed"])
            ],
            throughputPerSecond: nil, applyDelay: nil, writeLimit: nil,
            assumptions: [
                (
                    "suppressions", "an unsubscribed recipient is dropped at send (202 all the same)",
                    "Twilio SendGrid suppression groups (mail/send answers 202 and drops suppressed recipients)"
                )
            ]),
    ]

    static let cdps: [VendorProfile] = [
        VendorProfile(
            id: "segment", name: "Segment", kinds: [.cdp],
            fields: [.prefix("", "traits.")],
            throughputPerSecond: nil, applyDelay: nil,
            writeLimit: APILimit(
                requests: 1_000, window: .seconds(1), recordsPerRequest: 1, daily: nil,
                source: "Segment inbound: 1,000 events/s per workspace; 32 KB per event, 500 KB per batch"),
            assumptions: [("write limit", "1,000 events/s", "Segment rate limits")]),
        VendorProfile(
            id: "mparticle", name: "mParticle", kinds: [.cdp],
            fields: [.prefix("", "user_attributes.")],
            throughputPerSecond: nil, applyDelay: nil, writeLimit: nil,
            assumptions: [("write limit", "none published (429 with Retry-After)", "mParticle default service limits")]),
    ]

    static let senders: [VendorProfile] = [
        VendorProfile(
            id: "twilio", name: "Twilio", kinds: [.sms],
            fields: [.exact("consent.sms", "opt-out list (STOP)", values: ["opted_out", "opted_in"])],
            throughputPerSecond: 100, applyDelay: nil, writeLimit: nil,
            assumptions: [
                ("throughput", "100/s", "Twilio short code: over 100 segments/s (long code 1/s, toll-free 3/s)")
            ]),
        VendorProfile(
            id: "onesignal", name: "OneSignal", kinds: [.push],
            fields: [.exact("consent.push", "notification_types", values: ["-2", "1"])],
            throughputPerSecond: nil, applyDelay: nil, writeLimit: nil,
            assumptions: [
                ("write limit", "none modelled", "assumption: no published per-second limit in docs/realism.md")
            ]),
        VendorProfile(
            id: "airship", name: "Airship", kinds: [.push],
            fields: [.exact("consent.push", "opt_in", values: ["false", "true"])],
            throughputPerSecond: nil, applyDelay: nil, writeLimit: nil,
            assumptions: [
                ("write limit", "none modelled", "assumption: no published per-second limit in docs/realism.md")
            ]),
    ]

    static let dsps: [VendorProfile] = [
        VendorProfile(
            id: "thetradedesk", name: "The Trade Desk", kinds: [.dsp],
            fields: [
                .exact("converted", "suppression segment", values: ["absent", "present"]),
                .prefix("segment.", "first-party segment:"),
            ],
            throughputPerSecond: nil, applyDelay: .lognormal(median: 6 * 3_600_000, sigma: 0.843), writeLimit: nil,
            assumptions: [
                (
                    "apply_delay", "lognormal median 6h, p95 24h",
                    "The Trade Desk: first-party segments may take several hours (shape: assumption)"
                )
            ]),
        VendorProfile(
            id: "meta", name: "Meta", kinds: [.dsp],
            fields: [
                .exact("converted", "Custom Audience (exclusion)", values: ["absent", "present"]),
                .prefix("segment.", "Custom Audience:"),
            ],
            throughputPerSecond: nil, applyDelay: .lognormal(median: 6 * 3_600_000, sigma: 0.843),
            writeLimit: APILimit(
                requests: 1_000_000, window: .days(1), recordsPerRequest: 10_000, daily: nil,
                source: "Meta Custom Audiences: at most 10,000 records per request (no request rate published)"),
            assumptions: [("apply_delay", "lognormal median 6h, p95 24h", "Meta: changes usually take up to 24 hours")]),
        VendorProfile(
            id: "googleads", name: "Google Ads", kinds: [.dsp],
            fields: [
                .exact("converted", "Customer Match exclusion list", values: ["absent", "present"]),
                .prefix("segment.", "Customer Match:"),
            ],
            throughputPerSecond: nil, applyDelay: .lognormal(median: 36 * 3_600_000, sigma: 0.42),
            writeLimit: APILimit(
                requests: 300, window: .minutes(1), recordsPerRequest: 10_000, daily: 100_000,
                source: "Google Data Manager API: 300 requests/min, 100,000/day, 10,000 members per request"),
            assumptions: [
                (
                    "apply_delay", "lognormal median 36h, p95 72h",
                    "Customer Match: practitioners report 1-3 days (no official figure; shape: assumption)"
                )
            ]),
    ]
}
