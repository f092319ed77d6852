import Foundation
import Harness
import Reporting
import TestKit
import Testing

/// Should flag a real regression across replications and stay quiet when only the seeds differ.
@Suite struct CompareTests {
    private func replications(_ scenario: String, firstSeed: UInt64) throws -> (String, [String: [Double]], Set<String>)
    {
        let dir = temporaryReports()
        var r = RunRequest(scenarioPath: scenario, customers: 3000)
        r.reportsDirectory = dir
        let outcomes = try ReplicationRunner.run(r, replications: 10, jobs: 2, firstSeed: firstSeed)
        let folder = outcomes[0].paths.directory
        let f = try SummaryLoader.figures(folder)
        #expect(f.values["misfires.post_conversion"]?.count == 10)
        return (dir, f.values, f.counts)
    }

    @Test func slowerSuppressionSyncIsARegressionAndOtherSeedsAreNot() throws {
        let hotel = repositoryRoot + "/Scenarios/twins/hotel-winback.broken.yaml"
        let slowFile = temporaryPath("hotel-slow", ".yaml")
        try String(contentsOfFile: hotel, encoding: .utf8).replacingOccurrences(
            of: "batch: {every: 6h}", with: "batch: {every: 12h}"
        )
        .write(toFile: slowFile, atomically: true, encoding: .utf8)
        let (d1, base, counts) = try replications(hotel, firstSeed: 1)
        let (d2, other, _) = try replications(hotel, firstSeed: 101)
        let (d3, slow, _) = try replications(slowFile, firstSeed: 1)
        defer { [d1, d2, d3, slowFile].forEach { try? FileManager.default.removeItem(atPath: $0) } }

        let noise = Comparison(base: base, new: other, counts: counts)
        #expect(noise.regressions.isEmpty, "\(noise.render())")
        let slower = Comparison(base: base, new: slow, counts: counts)
        let flagged = Set(slower.regressions.map(\.figure))
        #expect(flagged.contains("misfires.post_conversion"), "\(slower.render())")
        #expect(flagged.contains("links.crm_to_dsp.freshness_p50_ms"))
        #expect(
            flagged.allSatisfy { $0.contains("crm_to_dsp") || $0 == "misfires.post_conversion" },
            "only what the slower link explains: \(flagged)")
    }

    @Test func singleRunsUsePoissonNoiseForCounts() {
        let c = Comparison(base: ["misfires.x": [100]], new: ["misfires.x": [110]], counts: ["misfires.x"])
        #expect(c.regressions.isEmpty, "10 more on 100 is within Poisson noise (±28)")
        let d = Comparison(base: ["misfires.x": [100]], new: ["misfires.x": [200]], counts: ["misfires.x"])
        #expect(d.regressions.count == 1)
    }
}
