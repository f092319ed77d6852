import Foundation
import MarTechModel

/// `Reports/<scenario>/serve.json`: where each platform listens and how it spells the model's
/// fields, so a client can be written against any scenario (the contract in docs/serve.md).
enum ServeManifest {
    /// Each vendor's natural key for a customer, and which identity it carries.
    static let naturalKeys: [String: [String: String]] = [
        "hubspot": ["customer_id": "customer_id", "email": "email", "phone": "phone"],
        "braze": ["customer_id": "external_id"],
        "klaviyo": ["customer_id": "external_id", "email": "email", "phone": "phone_number"],
        "segment": ["customer_id": "userId"],
        "twilio": ["phone": "To"],
        "sendgrid": ["email": "personalizations[].to[].email"],
        "thetradedesk": ["customer_id": "TDID"],
    ]

    /// The environment variable a team's code reads a platform's base URL from (`REHEARSE_HUBSPOT_URL`).
    static func environmentName(_ platform: String) -> String {
        "REHEARSE_" + platform.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined() + "_URL"
    }

    static func render(session: ServeSession, port: Int, startedAt: Date) -> String {
        let plan = session.scenario.plan
        var platforms: [String: Any] = [:]
        var environment: [String: String] = [:]
        for (p, platform) in plan.platforms.enumerated() {
            let base = "http://127.0.0.1:\(port)/\(platform.name)"
            environment[environmentName(platform.name)] = base
            var fields: [String: Any] = [:]
            for entry in session.fieldSpellings(platform: p).entries {
                fields[entry.model] = ["name": entry.name, "values": entry.values]
            }
            for (identity, key) in naturalKeys[platform.vendorID ?? ""] ?? [:] { fields[identity] = ["name": key] }
            platforms[platform.name] = [
                "vendor": platform.vendorID.map { $0 as Any } ?? NSNull(), "kind": platform.kind.rawValue,
                "base_url": base, "surface": session.hasSurface(platform.name), "fields": fields,
                "env": environmentName(platform.name),
            ]
        }
        let formatter = ISO8601DateFormatter()
        let manifest: [String: Any] = [
            "port": port, "speed": session.clock.speed, "started_at": formatter.string(from: startedAt),
            "scenario": session.scenario.name, "seed": String(plan.seed), "customers": plan.customers,
            "virtual_start": session.time.iso(.start), "virtual_end": session.time.iso(plan.horizon),
            "wall_seconds": session.clock.wallSeconds(until: plan.horizon),
            "identity": [
                "customer_id": "cust-<n>", "email": "cust-<n>@rehearsal.test", "phone": "+1555<n, 7 digits>",
                "n": "0 to \(plan.customers - 1)",
            ],
            "platforms": platforms, "env": environment,
            "webhooks": [
                "hubspot": [
                    "client_secret": session.options.hubSpotClientSecret,
                    "signatures": "X-HubSpot-Signature-v3 (HMAC-SHA256 of method, URI, body, timestamp) and v1",
                ],
                "twilio": ["signatures": "X-Twilio-Signature, keyed with the auth token the number or message was created with"],
            ],
        ]
        let data =
            (try? JSONSerialization.data(
                withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
