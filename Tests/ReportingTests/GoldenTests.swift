import Foundation
import MarTechModel
import Reporting
import SimKernel
import Testing

/// Every renderer fed one hand-built overview, compared byte for byte with the files under
/// Tests/Golden. After a deliberate change to a report, record them again with
/// `REHEARSE_RECORD_GOLDEN=1 swift test --filter GoldenTests` and review the diff.
@Suite struct GoldenTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden").path

    /// A small run with a misfire of every common kind, two links (one a vendor's), a fault and expectations.
    static func overview() -> RunOverview {
        var s = RunSummary()
        s.customers = 1_000
        s.touchpointsByChannel = [1_200, 300, 0, 0, 0]
        s.suppressedByChannel = [40, 90, 0, 0, 0]
        s.conversionsOrganic = 120
        s.conversionsAfterMessage = 30
        s.impressionsServed = 9_000
        s.impressionsWasted = 45
        let types = MisfireType.allCases.count, causes = MisfireCause.allCases.count, channels = Channel.allCases.count
        s.misfiresByType = [Int](repeating: 0, count: types)
        s.misfiresByTypeAndCause = [[Int]](repeating: [Int](repeating: 0, count: causes), count: types)
        s.misfiresByTypeAndChannel = [[Int]](repeating: [Int](repeating: 0, count: channels), count: types)
        s.customersMisfiredByTypeAndChannel = [[Int]](repeating: [Int](repeating: 0, count: channels), count: types)
        func misfire(_ t: MisfireType, _ c: MisfireCause, _ ch: Channel, _ n: Int) {
            s.misfiresByType[Int(t.rawValue)] += n
            s.misfiresByTypeAndCause[Int(t.rawValue)][Int(c.rawValue)] += n
            s.misfiresByTypeAndChannel[Int(t.rawValue)][Int(ch.rawValue)] += n
            s.customersMisfiredByTypeAndChannel[Int(t.rawValue)][Int(ch.rawValue)] += n
        }
        misfire(.postConversion, .awaitingBatch, .email, 12)
        misfire(.postConversion, .applyDelay, .ad, 45)
        misfire(.revokedConsent, .streamLatency, .sms, 3)
        misfire(.staleSegment, .batchRunning, .email, 20)
        s.touchpointsMisfiredByChannel = [32, 3, 0, 0, 0]
        s.exposureCounts = [Int](repeating: 0, count: Exposure.allCases.count)
        s.exposureCounts[0] = 3
        s.misfiresByDay = (0..<types).map { t in (0..<8).map { d in t == 0 ? d * 2 : (t == 1 ? d % 2 : 0) } }
        s.designMisfiresByStep = [[Int](repeating: 0, count: types), [Int](repeating: 0, count: types)]
        var batch = LinkFigures()
        batch.deliveries = 900
        batch.changesEntered = 1_000
        batch.changesPendingAtEnd = 40
        (batch.freshnessP50, batch.freshnessP95, batch.freshnessP99, batch.freshnessMax) = (
            43_200_000, 86_000_000, 93_000_000, 95_000_000
        )
        batch.misfires = 32
        batch.misfiresByType = [Int](repeating: 0, count: types)
        batch.misfiresByType[Int(MisfireType.postConversion.rawValue)] = 12
        batch.misfiresByType[Int(MisfireType.staleSegment.rawValue)] = 20
        batch.histogram = [0, 0, 0, 0, 0, 10, 100, 200, 300, 290, 0, 0, 0]
        batch.backlogMaxByDay = [50, 60, 55, 58, 61, 49, 52, 0]
        batch.daily = (0..<8).map {
            DailyFreshness(deliveries: 110, meanMs: 40_000_000 + Int64($0) * 100_000, maxMs: 90_000_000)
        }
        batch.staleness = [
            Staleness(from: 3_600_000, to: 3_600_000, count: 12), Staleness(from: 7_200_000, to: 7_200_000, count: 20),
        ]
        var stream = LinkFigures()
        stream.deliveries = 300
        stream.changesEntered = 300
        (stream.freshnessP50, stream.freshnessP95, stream.freshnessP99, stream.freshnessMax) = (
            30_000, 120_000, 300_000, 600_000
        )
        stream.misfires = 3
        stream.misfiresByType = [Int](repeating: 0, count: types)
        stream.misfiresByType[Int(MisfireType.revokedConsent.rawValue)] = 3
        stream.histogram = [0, 50, 200, 40, 10, 0, 0, 0, 0, 0, 0, 0, 0]
        stream.backlogMaxByDay = [1, 2, 1, 1, 1, 1, 1, 0]
        stream.staleness = [Staleness(from: 90_000, to: 90_000, count: 3)]
        stream.retries = 4
        s.links = [batch, stream]
        var sender = PlatformFigures()
        (sender.deliveries, sender.latencyP50, sender.latencyP95, sender.latencyMax) = (
            300, 1_000, 36_000_000, 40_000_000
        )
        sender.perDay = [0, 0, 0, 300, 0, 0, 0, 0]
        s.platforms = [PlatformFigures(), PlatformFigures(), sender]
        var fault = FaultFigures()
        (fault.name, fault.kind, fault.target, fault.startMs, fault.endMs) = (
            "chaos[0] outage map", "outage", "map", 172_800_000, 194_400_000
        )
        (fault.recordsDelayed, fault.customersAffected, fault.misfires) = (80, 70, 5)
        s.faults = [fault]
        s.truthChanges = 2_000
        s.deliveries = 1_200
        s.eventsProcessed = 25_000
        var o = RunOverview(
            scenario: "golden", scenarioFile: "Scenarios/golden.yaml", seed: 7, customers: 1_000, horizonDays: 7,
            summary: s,
            databasePath: "Reports/golden/golden--seed-7.sqlite", rowsWritten: 5_000,
            reproduceCommand: "rehearse run Scenarios/golden.yaml --seed 7", status: "complete")
        o.linkNames = ["crm_to_map", "crm_to_sms"]
        o.platformNames = ["crm", "map", "sms"]
        o.platformKinds = ["crm", "map", "sms"]
        o.platformVendors = ["Salesforce", "", "Twilio"]
        o.stepNames = ["offer", "text"]
        o.assumptions = [
            Assumption(
                setting: "platforms.sms.throughput", value: "100/s", source: "Twilio short code: over 100 segments/s"),
            Assumption(
                setting: "population.behavior.email", value: "opens 22.71%", source: "Mailchimp 2019 benchmarks"),
        ]
        o.expectations = ExpectationReport(
            scenario: "golden",
            expectations: [
                Expectation(section: "misfires", subject: "revoked_consent_sms", bound: .maxCount(0), line: 40),
                Expectation(
                    section: "sla", subject: "crm_to_map.freshness_p95", bound: .maxDuration(.hours(26)), line: 42),
            ],
            summary: s, linkNames: o.linkNames)
        return o
    }

    static let scenarioText = "name: golden\n# the scenario as it ran\n"

    func check(_ name: String, _ rendered: String) throws {
        let path = Self.folder + "/" + name
        if ProcessInfo.processInfo.environment["REHEARSE_RECORD_GOLDEN"] == "1" {
            try rendered.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let golden = try String(contentsOfFile: path, encoding: .utf8)
        #expect(rendered == golden, "\(name) differs from its golden file; if intended, record again (see GoldenTests)")
    }

    @Test func textSummary() throws { try check("summary.txt", TextSummary.render(Self.overview())) }
    @Test func markdownReport() throws { try check("report.md", MarkdownReport.render(Self.overview())) }
    @Test func jsonSummary() throws { try check("summary.json", JSONSummary.render(Self.overview())) }
    @Test func htmlReport() throws {
        try check("report.html", HTMLReport.render(Self.overview(), scenarioText: Self.scenarioText))
    }
    @Test func junitReport() throws {
        let o = Self.overview()
        try check(
            "junit.xml",
            JUnitReport.render(
                [(o.expectations!, "Scenarios/golden.yaml", o.reproduceCommand)],
                errors: [("Scenarios/broken.yaml", "broken.yaml:3:1: error: x")]))
    }
}
