import Foundation
import Harness
import MarTechModel
import RunStore
import ScenarioKit
import StackSimulation
import TestKit
import Testing

private let hotelText =
    (try? String(contentsOfFile: repositoryRoot + "/Scenarios/twins/hotel-winback.broken.yaml", encoding: .utf8)) ?? ""

private let slowMap = "batch: {at: \"02:00\", runs_for: 45m}"
private let slowSMS = "stream: {latency: {lognormal: {median: 5m, sigma: 1.5}}}"
private let slowDSP = "batch: {every: 6h}"
private let slowApply = "suppression_apply_delay: {lognormal: {median: 6h, p99: 30h}}"

/// hotel-winback with every link instant except the named ones.
private func hotel(keeping slow: Set<String>) -> String {
    var text = hotelText
    if !slow.contains("crm_to_map") { text = text.replacingOccurrences(of: slowMap, with: "stream: {latency: 0s}") }
    if !slow.contains("crm_to_sms") {
        text = text.replacingOccurrences(of: slowSMS, with: "stream: {latency: 0s}")
    } else {
        text = text.replacingOccurrences(of: slowSMS, with: "stream: {latency: {lognormal: {median: 12h, sigma: 1}}}")
    }
    if !slow.contains("crm_to_dsp") {
        text = text.replacingOccurrences(of: slowDSP, with: "stream: {latency: 0s}").replacingOccurrences(
            of: slowApply, with: "suppression_apply_delay: none")
    }
    return text
}

private func runText(_ text: String, customers: Int = 20000) throws -> (RunPlan, EngineResult, RecordBatch) {
    let plan = try Scenario.parse(yaml: text, sourceName: "hotel.yaml").overriding(customers: customers).plan
    let sink = CollectingSink()
    let result = Engine.run(plan: plan, options: EngineOptions(), sink: sink)
    return (plan, result, sink.batch)
}

/// Should find no misfire where nothing is late and every journey is gated, and pin each
/// misfire on the link that was slowed.
@Suite struct AttributionTests {
    @Test func hotelWinbackWithInstantLinksHasNoMisfires() throws {
        let (_, result, rows) = try runText(hotel(keeping: []))
        #expect(result.summary.touchpoints(.email) > 10_000 && result.summary.touchpoints(.sms) > 1000)
        #expect(result.summary.misfiresByType.reduce(0, +) == 0, "\(rows.misfires.prefix(3))")
    }

    @Test(arguments: ["crm_to_map", "crm_to_sms", "crm_to_dsp"])
    func oneSlowedLinkOwnsItsMisfires(link: String) throws {
        let (plan, result, rows) = try runText(hotel(keeping: [link]))
        let index = Int16(plan.links.firstIndex { $0.name == link }!)
        let total = rows.misfires.reduce(0) { $0 + Int($1.count) }
        let attributed = rows.misfires.filter { $0.causeLink == index }.reduce(0) { $0 + Int($1.count) }
        #expect(total >= 10, "slowing \(link) must cause misfires (\(total))")
        #expect(Double(attributed) >= 0.99 * Double(total), "\(link): \(attributed) of \(total) attributed")
        #expect(total == result.summary.misfiresByType.reduce(0, +))
    }

    @Test func causesOfHotelWinbackShareOneHundredPercent() throws {
        let dir = temporaryReports()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var r = RunRequest(scenarioPath: repositoryRoot + "/Scenarios/hotel-winback.yaml", customers: 5000)
        r.reportsDirectory = dir
        let o = try ScenarioRunner.run(r, shouldStop: { false })
        let reader = try RunReader(path: o.databasePath)
        #expect(try reader.scalar("SELECT count(*) FROM misfire WHERE cause NOT IN (SELECT id FROM misfireCause)") == 0)
        for type in MisfireType.allCases {
            let byCause = o.overview.causes(of: type).reduce(0) { $0 + $1.1 }
            #expect(byCause == o.result.summary.misfires(type), "\(type)")
        }
    }

    /// CRM → CDP → MAP: the first link still holding the change is the one named.
    @Test(arguments: [(true, "crm_to_cdp"), (false, "cdp_to_map")])
    func alongAChainTheFirstLateLinkIsNamed(upstreamSlow: Bool, expected: String) throws {
        let slow = "batch: {at: \"02:00\", runs_for: 45m}", fast = "stream: {latency: 0s}"
        let text = """
            name: chain
            seed: 4
            start: 2026-03-02T00:00:00Z
            duration: 10d
            population:
              customers: 3000
              segments: {members: 1.0}
              consent: {email: 1.0}
              behavior: {organic_conversion: 0.1/d}
            platforms:
              crm: {kind: crm}
              cdp: {kind: cdp, observes: []}
              map: {kind: map}
            links:
              crm_to_cdp: {from: crm, to: cdp, carries: [conversions], \(upstreamSlow ? slow : fast)}
              cdp_to_map: {from: cdp, to: map, carries: [conversions], \(upstreamSlow ? fast : slow)}
            campaign:
              audience: {segment: members}
              steps:
                - {name: e1, day: 2, at: "10:00", via: map, unless: converted}
                - {name: e2, day: 5, at: "10:00", via: map, unless: converted}
            """
        let (plan, _, rows) = try runText(text, customers: 3000)
        let index = Int16(plan.links.firstIndex { $0.name == expected }!)
        #expect(rows.misfires.count > 20)
        #expect(
            rows.misfires.allSatisfy { $0.causeLink == index && $0.cause == .awaitingBatch },
            "\(rows.misfires.prefix(3))")
    }
}
