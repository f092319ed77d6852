import Foundation
import Harness
import RunStore
import TestKit
import Testing

/// Should report link freshness percentiles (from HDR histograms) within the histograms' stated
/// precision (3 significant digits: 0.1%) of exact percentiles computed from the stored deliveries.
@Suite struct PercentileTests {
    @Test func hdrPercentilesAgreeWithExactOnes() throws {
        let dir = temporaryReports()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var r = RunRequest(scenarioPath: repositoryRoot + "/Scenarios/hotel-winback.yaml", customers: 8000)
        r.reportsDirectory = dir
        let o = try ScenarioRunner.run(r, shouldStop: { false })
        let reader = try RunReader(path: o.databasePath)
        for (l, name) in o.overview.linkNames.enumerated() {
            let values = try reader.rows(
                "SELECT freshnessMs FROM deliveryView WHERE link = '\(name)' ORDER BY freshnessMs"
            ).compactMap { $0[0].flatMap { Int64($0) } }
            let figures = o.result.summary.links[l]
            #expect(values.count == figures.deliveries, "\(name)")
            guard !values.isEmpty else { continue }
            // Nearest rank: the smallest value with at least p% of the values at or below it.
            func exact(_ p: Double) -> Int64 { values[max(0, Int((p / 100 * Double(values.count)).rounded(.up)) - 1)] }
            for (p, hdr) in [
                (50.0, figures.freshnessP50), (95.0, figures.freshnessP95), (99.0, figures.freshnessP99),
                (100.0, figures.freshnessMax),
            ] {
                let e = exact(p)
                #expect(abs(Double(hdr - e)) <= Double(e) * 0.001 + 1, "\(name) p\(p): HDR \(hdr) vs exact \(e)")
            }
        }
    }
}
