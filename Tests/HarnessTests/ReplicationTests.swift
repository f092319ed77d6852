import Foundation
import Harness
import MarTechModel
import Reporting
import TestKit
import Testing

/// Should give the same per-seed results however many replications run at once.
@Suite struct ReplicationTests {
    @Test func parallelReplicationsMatchSequentialOnes() throws {
        let dirs = [temporaryReports(), temporaryReports()]
        defer { dirs.forEach { try? FileManager.default.removeItem(atPath: $0) } }
        var results: [[RunSummary]] = []
        for (dir, jobs) in zip(dirs, [1, 2]) {
            var r = RunRequest(scenarioPath: repositoryRoot + "/Scenarios/hotel-winback.yaml", customers: 1500)
            r.reportsDirectory = dir
            let outcomes = try ReplicationRunner.run(r, replications: 4, jobs: jobs, firstSeed: 100)
            #expect(outcomes.map(\.overview.seed) == [100, 101, 102, 103])
            results.append(outcomes.map(\.result.summary))
        }
        #expect(results[0] == results[1])
        #expect(Set(results[0].map(\.impressionsServed)).count > 1, "different seeds, different numbers")
    }

    @Test func confidenceIntervalUsesStudentsT() {
        var a = RunSummary(), b = RunSummary(), c = RunSummary()
        a.impressionsServed = 10
        b.impressionsServed = 12
        c.impressionsServed = 14
        let s = ReplicationSummary(scenario: "x", seeds: [1, 2, 3], summaries: [a, b, c])
        let f = s.figures.first { $0.name == "ad impressions" }!
        #expect(f.mean == 12)
        // sd = 2, n = 3: 4.303 · 2 / √3 = 4.9687…
        #expect(abs(f.halfWidth - 4.303 * 2 / 3.0.squareRoot()) < 1e-9)
    }
}
