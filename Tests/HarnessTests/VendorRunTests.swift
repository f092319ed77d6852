import Foundation
import Harness
import MarTechModel
import ScenarioKit
import StackSimulation
import TestKit
import Testing

/// A stack written with vendors, as a team would: Salesforce, Marketo, Twilio, Klaviyo, The Trade Desk.
private func stack(customers: Int, crm: String = "salesforce", extraLinks: String = "") -> String {
    """
    name: vendor-stack
    seed: 11
    start: 2026-06-01T04:00:00Z
    timezone: America/New_York
    duration: 7d
    population:
      customers: \(customers)
      segments:
        inactive: {share: 0.5, leaves: 1/d, joins: 1/d}
      consent: {email: 0.9, sms: 0.4}
      behavior:
        organic_conversion: 0.02/d
        revokes_consent: {sms: 0.01/d}
    platforms:
      crm: {kind: crm, vendor: \(crm)}
      map: {kind: map, vendor: marketo}
      hub: {kind: map, vendor: hubspot}
      sms: {kind: sms, vendor: twilio}
      dsp: {kind: dsp, vendor: thetradedesk, impressions: 2/d}
    links:
      crm_to_map: {from: crm, to: map, carries: [segments, conversions], batch: {at: "02:00"}}
      crm_to_hub: {from: crm, to: hub, carries: [segments], batch: {at: "03:00"}}
      crm_to_sms: {from: crm, to: sms, carries: [consent.sms], stream: {latency: 30s}}
      crm_to_dsp: {from: crm, to: dsp, carries: [conversions], batch: {every: 6h}}
    \(extraLinks)
    campaign:
      audience: {segment: inactive}
      goal: converted
      steps:
        - {name: offer, day: 1, at: "10:00", via: map, unless: converted}
        - {name: text, day: 2, at: "13:00", via: sms, decided_by: map, unless: converted}
      retargeting: {via: dsp, suppress_on: converted}
    """
}

/// Should throttle a sync into a vendor at the vendor's published limit, measured from the
/// delivery rows, and show each vendor by its own names — never another vendor's.
@Suite struct VendorRunTests {
    /// HubSpot: 190 requests / 10 s of 100 records: 19,000 records per 10 s (1,900 a second), never more.
    @Test func aSyncIntoHubSpotIsThrottledAtItsPublishedRate() throws {
        let plan = try Scenario.parse(yaml: stack(customers: 30_000), sourceName: "stack.yaml").plan
        let sink = CollectingSink()
        _ = Engine.run(plan: plan, options: EngineOptions(), sink: sink)
        let hub = try #require(plan.links.firstIndex { $0.name == "crm_to_hub" })
        let applied = sink.batch.deliveries.filter { Int($0.link) == hub }.map(\.appliedAt)
        #expect(applied.count > 20_000, "\(applied.count) deliveries")
        var perTenSeconds: [Int64: Int] = [:]
        for t in applied { perTenSeconds[t / 10_000, default: 0] += 1 }
        let busiest = perTenSeconds.values.max() ?? 0
        #expect(busiest <= 19_000, "\(busiest) records in one 10 s window")
        // A nightly run of ~15,000 changed records takes about 8 s at the limit, not an instant.
        let nights = Dictionary(grouping: applied) { $0 / 86_400_000 }.values.filter { $0.count > 5_000 }
        #expect(!nights.isEmpty)
        for night in nights {
            let span = Double(night.max()! - night.min()!) / 1000
            let rate = Double(night.count - 100) / span
            #expect(abs(rate - 1_900) < 60, "\(night.count) records over \(span) s: \(rate)/s")
        }
    }

    /// A stack naming Salesforce shows Salesforce's names: no HubSpot property anywhere a user looks.
    @Test func aSalesforceCRMNeverShowsAHubSpotName() throws {
        let reports = temporaryReports()
        defer { try? FileManager.default.removeItem(atPath: reports) }
        let file = reports + "/stack.yaml"
        let text =
            stack(customers: 3_000).replacingOccurrences(of: "  hub: {kind: map, vendor: hubspot}\n", with: "")
            .replacingOccurrences(
                of: "  crm_to_hub: {from: crm, to: hub, carries: [segments], batch: {at: \"03:00\"}}\n", with: ""
            )
            .replacingOccurrences(of: "extra", with: "")
            + "\n"
        let withLinkIntoCRM = text.replacingOccurrences(
            of: "campaign:",
            with: "  map_to_crm: {from: map, to: crm, carries: [consent.email], stream: {latency: 2m}}\ncampaign:"
        )
        .replacingOccurrences(
            of: "crm: {kind: crm, vendor: salesforce}",
            with: "crm: {kind: crm, vendor: salesforce, observes: [conversions, segments, consent.sms]}")
        try withLinkIntoCRM.write(toFile: file, atomically: true, encoding: .utf8)
        var request = RunRequest(scenarioPath: file, seed: 3)
        request.reportsDirectory = reports
        let outcome = try ScenarioRunner.run(request, shouldStop: { false })
        let stem = String(outcome.databasePath.dropLast(".sqlite".count))
        var everything = ""
        for ext in ["txt", "json", "html", "md"] {
            everything += try String(contentsOfFile: "\(stem).\(ext)", encoding: .utf8)
        }
        for c in 0..<40 {
            let explained = try Explainer.explain(results: outcome.databasePath, customer: c, misfire: nil)
            everything += explained.render() + explained.renderJSON()
        }
        everything += try String(contentsOfFile: outcome.databasePath, encoding: .isoLatin1)
        let named = ["Salesforce", "Marketo", "Twilio", "map (Marketo)", "HasOptedOutOfEmail"].filter {
            !everything.contains($0)
        }
        #expect(named.isEmpty, "missing: \(named)")
        let leaked = ["hs_", "HubSpot", "lifecyclestage", "hs_legal_basis"].filter { everything.contains($0) }
        #expect(leaked.isEmpty, "HubSpot names in a Salesforce stack: \(leaked)")
        #expect(try String(contentsOfFile: "\(stem).json", encoding: .utf8).contains(#""vendor": "Salesforce""#))
    }

    /// A stream into Klaviyo (700 requests a minute) is queued at that rate: consecutive writes
    /// land at least 60/700 s apart however fast the changes come, measured from the delivery rows.
    @Test func aStreamIntoKlaviyoIsQueuedAtItsPublishedRate() throws {
        let text = """
            name: klaviyo-stream
            seed: 5
            start: 2026-06-01T00:00:00Z
            duration: 1h
            population:
              customers: 2000
              segments:
                active: {share: 0.5, leaves: 500/d, joins: 500/d}
            platforms:
              crm: {kind: crm}
              email: {kind: map, vendor: klaviyo}
            links:
              crm_to_email: {from: crm, to: email, carries: [segments], stream: {latency: 0s}}
            campaign:
              audience: {segment: active}
              steps:
                - {name: hello, day: 0, at: "00:30", via: email}
            """
        let plan = try Scenario.parse(yaml: text, sourceName: "klaviyo.yaml").plan
        let sink = CollectingSink()
        _ = Engine.run(plan: plan, options: EngineOptions(), sink: sink)
        let applied = sink.batch.deliveries.map(\.appliedAt).sorted()
        #expect(applied.count > 10_000, "\(applied.count) deliveries")
        let spacing = 60_000.0 / 700
        let closest = zip(applied.dropFirst(), applied).map { $0 - $1 }.min() ?? 0
        #expect(Double(closest) >= spacing.rounded(.down), "closest writes \(closest) ms apart")
        // Changes arrive faster (about 23 a second) than Klaviyo takes them (11.7): the queue runs full.
        let busiest = Dictionary(grouping: applied) { $0 / 60_000 }.values.map(\.count).max() ?? 0
        #expect(busiest <= 700 && busiest >= 690, "\(busiest) writes in the busiest minute")
    }
}
