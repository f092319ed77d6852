import MarTechModel
import StackSimulation
import Testing

/// A small stack whose pieces each test swaps: `{{…}}` placeholders take the variant's text.
private func twin(
    mapLink: String = "stream: {latency: 0s}", carries: String = "[segments, conversions, consent.email]",
    smsLink: String = "stream: {latency: 0s}", sms: String = "", behavior: String = "organic_conversion: 0.1/d",
    segment: String = "{share: 1.0}", smsConsent: String = "1.0",
    population: String = "", campaign: String = "", steps: String
) -> String {
    """
    name: twin
    seed: 9
    start: 2026-03-02T05:00:00Z
    timezone: America/New_York
    duration: 14d
    population:
      customers: 3000
      timezones: {America/New_York: 1.0}
      segments: {members: \(segment)}
      consent: {email: 1.0, sms: \(smsConsent), push: 1.0}
      devices: {ios: 1.0}
      behavior: {\(behavior)}
    \(population)
    platforms:
      crm: {kind: crm}
      map: {kind: map}
      push: {kind: push}
      sms: {kind: sms, throughput: unlimited\(sms)}
    links:
      crm_to_map: {from: crm, to: map, carries: \(carries), \(mapLink)}
      crm_to_sms: {from: crm, to: sms, carries: [consent.sms], \(smsLink)}
      crm_to_push: {from: crm, to: push, carries: [consent.push], stream: {latency: 0s}}
    campaign:
      audience: {segment: members}
      orchestrator: map
    \(campaign)
      steps:
    \(steps)
    """
}

private let nightly = "batch: {at: \"02:00\", runs_for: 45m}"
private let threeEmails = """
        - {name: e1, day: 2, at: "10:00", via: map, unless: converted}
        - {name: e2, day: 6, at: "10:00", via: map, unless: converted}
        - {name: e3, day: 10, at: "10:00", via: map, unless: converted}
    """

struct TwinCase: CustomTestStringConvertible, Sendable {
    var type: MisfireType
    var broken: String
    var fixed: String
    var causes: Set<MisfireCause>
    var testDescription: String { type.description }
}

/// Should produce each misfire type with its expected root cause, and none once the fix is in.
@Suite struct MisfireTwinTests {
    static let cases: [TwinCase] = [
        TwinCase(
            type: .postConversion, broken: twin(mapLink: nightly, steps: threeEmails), fixed: twin(steps: threeEmails),
            causes: [.awaitingBatch]),
        TwinCase(
            type: .revokedConsent,
            broken: twin(
                smsLink: "stream: {latency: {lognormal: {median: 6h, sigma: 0.5}}}",
                behavior: "revokes_consent: {sms: 0.5/d}",
                steps: "    - {name: t1, day: 3, at: \"10:00\", via: sms}"),
            fixed: twin(
                smsLink: "stream: {latency: {lognormal: {median: 6h, sigma: 0.5}}}",
                sms: ", consent_lookup: {platform: crm, latency: 0s, timeout: 2s, on_timeout: fail_closed}",
                behavior: "revokes_consent: {sms: 0.5/d}", steps: "    - {name: t1, day: 3, at: \"10:00\", via: sms}"),
            causes: [.streamLatency]),
        TwinCase(
            type: .noConsent,
            broken: twin(
                sms: ", checks_consent: false", smsConsent: "0.4",
                steps: "    - {name: t1, day: 3, at: \"10:00\", via: sms}"),
            fixed: twin(smsConsent: "0.4", steps: "    - {name: t1, day: 3, at: \"10:00\", via: sms}"),
            causes: [.journeyDesign]),
        TwinCase(
            type: .staleSegment,
            broken: twin(mapLink: nightly, behavior: "leaves_segment: 0.3/d", steps: threeEmails),
            fixed: twin(behavior: "leaves_segment: 0.3/d", steps: threeEmails), causes: [.awaitingBatch]),
        TwinCase(
            type: .quietHours,
            broken: twin(steps: "    - {name: t1, day: 3, at: \"22:00\", via: sms}"),
            fixed: twin(
                sms: ", quiet_hours: \"21:00-08:00\"", steps: "    - {name: t1, day: 3, at: \"22:00\", via: sms}"),
            causes: [.journeyDesign]),
        TwinCase(
            type: .minor,
            broken: twin(population: "  ages: {\"8-12\": 0.1, \"18-60\": 0.9}", steps: threeEmails),
            fixed: twin(
                population: "  ages: {\"8-12\": 0.1, \"18-60\": 0.9}", campaign: "  min_age: 13", steps: threeEmails),
            causes: [.journeyDesign]),
        TwinCase(
            type: .duplicateAcrossChannels,
            broken: twin(
                steps:
                    "    - {name: mail, day: 2, at: \"10:00\", via: map}\n    - {name: nudge, day: 2, at: \"10:00\", via: push}"
            ),
            fixed: twin(
                steps:
                    "    - {name: mail, day: 2, at: \"10:00\", via: map}\n    - {name: nudge, day: 2, at: \"10:00\", via: push, skip_if_sent: {step: mail, within: 2h}}"
            ),
            causes: [.journeyDesign]),
        TwinCase(
            type: .salesOverlap,
            broken: twin(
                mapLink: nightly, carries: "[segments, conversions, stage]", behavior: "organic_conversion: 0.01/d",
                population: "  lifecycle: {stages: {lead: 1.0, mql: 0, sql: 0}, advances: 0.3/d}",
                campaign: "  sales_stage: sql",
                steps: threeEmails.replacingOccurrences(of: "unless: converted", with: "unless: {stage: sql}")),
            fixed: twin(
                carries: "[segments, conversions, stage]", behavior: "organic_conversion: 0.01/d",
                population: "  lifecycle: {stages: {lead: 1.0, mql: 0, sql: 0}, advances: 0.3/d}",
                campaign: "  sales_stage: sql",
                steps: threeEmails.replacingOccurrences(of: "unless: converted", with: "unless: {stage: sql}")),
            causes: [.awaitingBatch]),
        TwinCase(
            type: .frequencyCap,
            broken: twin(
                behavior: "organic_conversion: 0.01/d", campaign: "  frequency_cap: 2/7d",
                steps:
                    "    - {name: e1, day: 1, at: \"10:00\", via: map}\n    - {name: t1, day: 2, at: \"10:00\", via: sms}\n    - {name: e2, day: 3, at: \"10:00\", via: map}"
            ),
            fixed: twin(
                behavior: "organic_conversion: 0.01/d",
                campaign: "  frequency_cap: 2/7d\n  enforce_frequency_cap: true",
                steps:
                    "    - {name: e1, day: 1, at: \"10:00\", via: map}\n    - {name: t1, day: 2, at: \"10:00\", via: sms}\n    - {name: e2, day: 3, at: \"10:00\", via: map}"
            ),
            causes: [.journeyDesign]),
        TwinCase(
            type: .missedTouchpoint,
            broken: twin(
                carries: "[conversions]", behavior: "organic_conversion: 0.01/d", segment: "{share: 0.3, joins: 0.3/d}",
                steps: "    - {name: late, day: 5, at: \"10:00\", via: map}"),
            fixed: twin(
                behavior: "organic_conversion: 0.01/d", segment: "{share: 0.3, joins: 0.3/d}",
                steps: "    - {name: late, day: 5, at: \"10:00\", via: map}"),
            causes: [.notCarried]),
    ]

    @Test(arguments: cases)
    func brokenTwinMisfiresWithTheExpectedCauseAndTheFixedOneDoesNot(_ c: TwinCase) throws {
        let (broken, rows) = run(try plan(c.broken))
        let found = rows.misfires.filter { $0.type == c.type }
        #expect(found.count >= 10, "\(c.type): \(found.count) misfires in the broken twin")
        let causes = Set(found.map(\.cause))
        #expect(causes.isSubset(of: c.causes), "\(c.type): causes \(causes)")
        #expect(broken.summary.misfires(c.type) == found.reduce(0) { $0 + Int($1.count) })
        let (fixed, _) = run(try plan(c.fixed))
        #expect(fixed.summary.misfires(c.type) == 0, "\(c.type) after the fix")
    }
}

/// Should price only what a published penalty covers.
@Suite struct ExposureTests {
    @Test func classification() {
        #expect(Exposure.of(.noConsent, channel: .sms, staleMilliseconds: -1) == .tcpa)
        #expect(Exposure.of(.quietHours, channel: .sms, staleMilliseconds: -1) == .tcpa)
        #expect(
            Exposure.of(.revokedConsent, channel: .email, staleMilliseconds: 3 * 86_400_000) == nil,
            "inside CAN-SPAM's 10 business days")
        #expect(Exposure.of(.revokedConsent, channel: .email, staleMilliseconds: 20 * 86_400_000) == .canSpam)
        #expect(Exposure.of(.minor, channel: .email, staleMilliseconds: -1) == .coppa)
        #expect(Exposure.of(.postConversion, channel: .sms, staleMilliseconds: -1) == nil)
    }

    @Test func everySMSWithoutConsentCountsTowardsTCPA() throws {
        let broken = MisfireTwinTests.cases.first { $0.type == .noConsent }!.broken
        let (result, _) = run(try plan(broken))
        #expect(
            result.summary.exposureCounts[Int(Exposure.tcpa.rawValue)] == result.summary.misfires(.noConsent, on: .sms))
        #expect(result.summary.misfires(.noConsent, on: .sms) > 0)
    }
}
