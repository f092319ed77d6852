import Foundation
import MarTechModel
import Harness
import ScenarioKit
import StackSimulation
import TestKit
import Testing

@testable import Serve

/// The team's own sync worker as an external link: a poller with a known interval, driven at a
/// known speed with the wall clock under the test's control (no sleeping).
@Suite("External links measured in serve mode")
struct ExternalLinkTests {
    /// Polls HubSpot every `interval` virtual minutes for contacts that booked since the last poll
    /// (a high-water mark on `lastmodifieddate`) and writes each booking to Braze.
    func runPoller(_ h: ServeHarness, intervalMinutes: Double, untilHours: Double) {
        let bearer = ["authorization": "Bearer worker"]
        let booked = h.session.fieldSpellings(platform: h.platform("hubspot")).entries.first { $0.model == "converted" }!
        var mark = "2026-07-06T13:00:00.000Z"
        var minute = intervalMinutes
        while minute <= untilHours * 60 {
            h.at = minute * 60 / h.speed
            var after = "0"
            var pollTime = mark
            repeat {
                let page = h.request(
                    "hubspot", "POST", "/crm/v3/objects/contacts/search", headers: bearer,
                    json: [
                        "filterGroups": [
                            [
                                "filters": [
                                    ["propertyName": "lastmodifieddate", "operator": "GT", "value": mark],
                                    ["propertyName": booked.name, "operator": "EQ", "value": booked.values[1]],
                                ]
                            ]
                        ],
                        "sorts": [["propertyName": "lastmodifieddate", "direction": "ASCENDING"]],
                        "properties": ["customer_id", "lastmodifieddate"], "limit": 100, "after": after,
                    ])
                let results = (page.json["results"] as? [[String: Any]]) ?? []
                let ids = results.compactMap { ($0["properties"] as? [String: Any])?["customer_id"] as? String }
                for chunk in stride(from: 0, to: ids.count, by: 75) {
                    let attributes = ids[chunk..<min(ids.count, chunk + 75)].map { ["external_id": $0, "booked": true] }
                    h.request("braze", "POST", "/users/track", headers: ["authorization": "Bearer w"], json: ["attributes": attributes])
                }
                if let last = results.last.flatMap({ ($0["properties"] as? [String: Any])?["lastmodifieddate"] as? String }) {
                    pollTime = max(pollTime, last)
                }
                after = ((page.json["paging"] as? [String: Any])?["next"] as? [String: Any])?["after"] as? String ?? ""
            } while !after.isEmpty
            mark = pollTime
            minute += intervalMinutes
        }
    }

    @Test func aPollersFreshnessIsUniformOverItsIntervalAndItsLatenessCausesAttributedMisfires() throws {
        let h = try ServeHarness(speed: 3600, customers: 20_000)
        runPoller(h, intervalMinutes: 120, untilHours: 54)  // past offer_push (day 2, 12:00 New York)
        let link = try #require(h.plan.links.firstIndex { $0.name == "hubspot_to_braze" })
        let samples = h.session.withStack { $0.externalFreshness[link] }.map { Double($0) / 60_000 }.sorted()
        #expect(samples.count > 1000)
        // Uniform over [0, 120 min): median 60, p90 108; the sample median's standard error is
        // about 120 / (2 √n) minutes, so 4 of them is a wide but honest band.
        let n = Double(samples.count)
        let se = 120 / (2 * n.squareRoot())
        let median = samples[samples.count / 2]
        let p90 = samples[Int(0.9 * n)]
        #expect(abs(median - 60) < 4 * se, "median \(median) min over \(samples.count) samples")
        #expect(abs(p90 - 108) < 8 * se, "p90 \(p90) min")
        #expect(samples.allSatisfy { $0 >= 0 && $0 < 120 })
        let result = h.finish()
        #expect(result.summary.links[link].deliveries == samples.count)
        #expect(
            result.summary.links[link].misfires > 0,
            "push \(result.summary.touchpoints(.push)), misfires \(result.summary.misfiresByType), by cause \(result.summary.misfiresByTypeAndCause)")
        #expect(h.sink.batch.misfires.contains { $0.causeLink == Int16(link) && $0.type == .postConversion })
    }

    @Test func valuesNoTruthChangeExplainsAreCountedApart() throws {
        let h = try ServeHarness(speed: 3600)
        let customer = (0..<2000).first { h.truth($0, "converted") == 0 }!
        h.request(
            "braze", "POST", "/users/track", headers: ["authorization": "Bearer w"],
            json: ["attributes": [["external_id": "cust-\(customer)", "booked": true]]])
        let link = h.plan.links.firstIndex { $0.name == "hubspot_to_braze" }!
        #expect(h.session.withStack { $0.unexplainedByLink[link] } == 1)
        #expect(h.session.withStack { $0.externalFreshness[link] }.isEmpty)
    }

    @Test func rehearseRunSimulatesTheExternalLinkWithItsStatedLatency() throws {
        let scenario = try ScenarioRunner.load(path: repositoryRoot + "/Scenarios/serve/hotel-stack.yaml")
        let l = try #require(scenario.plan.links.firstIndex { $0.name == "hubspot_to_braze" })
        #expect(scenario.plan.links[l].external)
        let result = Engine.run(plan: scenario.plan, options: EngineOptions(), sink: DiscardingSink())
        let figures = result.summary.links[l]
        #expect(figures.deliveries > 0)
        // uniform 0–10 min: every delivery within 10 minutes of its change
        #expect(figures.freshnessMax <= 606_000)  // the histogram's 1% precision
    }
}

/// The loop closed: what a serve session measured, simulated, gives the misfires the session saw.
@Suite("Calibrated simulation agrees with the served session")
struct CalibratedAgreementTests {
    @Test func misfiresOfTheSessionMatchRunsOfItsCalibratedScenario() throws {
        let h = try ServeHarness(speed: 3600, customers: 20_000)
        ExternalLinkTests().runPoller(h, intervalMinutes: 120, untilHours: 54)
        let link = try #require(h.plan.links.firstIndex { $0.name == "hubspot_to_braze" })
        let samples = h.session.withStack { $0.externalFreshness[link] }
        let served = h.finish().summary
        // Post-conversion pushes of the campaign's own push step (decided on Braze's copy).
        let step = try #require(h.plan.campaign.steps.firstIndex { $0.name == "offer_push" })
        let observed = h.sink.batch.misfires.filter {
            $0.type == .postConversion && $0.causeLink == Int16(link)
        }.count
        #expect(observed > 10, "enough misfires to compare (\(observed))")
        // Each is a touchpoint of the campaign's push step.
        let pushes = Set(h.sink.batch.touchpoints.filter { $0.step == Int16(step) }.map(\.id))
        #expect(h.sink.batch.misfires.contains { pushes.contains($0.touchpoint) && $0.causeLink == Int16(link) })

        // The same scenario with the measured latency, several seeds (only offer_push, at 51 h,
        // decides on Braze's copy of bookings: the link's misfires all come from it).
        let source = try String(contentsOfFile: repositoryRoot + "/Scenarios/serve/hotel-stack.yaml", encoding: .utf8)
        let calibrated = try LatencyFit.replaceLatency(
            in: source, links: ["hubspot_to_braze": LatencyFit.fit(milliseconds: samples).flow], header: "test")

        var counts: [Double] = []
        for seed in UInt64(1)...6 {
            let scenario = try Scenario.parse(yaml: calibrated, sourceName: "calibrated.yaml").overriding(
                seed: seed, customers: 20_000)
            let sink = CollectingSink()
            _ = Engine.run(plan: scenario.plan, options: EngineOptions(), sink: sink)
            counts.append(Double(sink.batch.misfires.filter { $0.type == .postConversion && $0.causeLink == Int16(link) }.count))
        }
        let mean = counts.reduce(0, +) / Double(counts.count)
        // Counts of rare events: the session's count and the runs' mean differ by sampling error,
        // about √mean for the session and √(mean/6) for the runs' mean.
        let se = (mean + mean / Double(counts.count)).squareRoot()
        #expect(abs(Double(observed) - mean) < 3 * se, "served \(observed), simulated mean \(mean) (runs \(counts))")
        #expect(served.links[link].misfires == observed)
    }
}
