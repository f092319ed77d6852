import Foundation
import Harness
import MarTechModel
import ScenarioKit
import SimKernel
import StackSimulation
import TestKit
import Testing

@Suite("Calibration: measured latencies back into simulation")
struct CalibrationTests {
    @Test func aCSVOfKnownLognormalLatenciesRoundTripsThroughASimulation() throws {
        // 4,000 hand-offs from lognormal(median 5 min, sigma 0.8), as a vendor's log would list them.
        var random = SeededRandom(seed: 99, stream: 1, 0)
        let known = Distribution.lognormal(median: 300_000, sigma: 0.8)
        var csv = "record,changed_at,arrived_at\n"
        var truth: [Double] = []
        let base: Int64 = 1_780_000_000_000
        for i in 0..<4000 {
            let latency = Int64(known.sampleValue(&random).rounded())
            truth.append(Double(latency))
            let changed = base + Int64(i) * 60_000
            if i % 2 == 0 {
                csv += "r\(i),\(changed),\(changed + latency)\n"
            } else {
                let f = ISO8601DateFormatter()
                f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                func iso(_ ms: Int64) -> String { f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000)) }
                csv += "r\(i),\(iso(changed)),\(iso(changed + latency))\n"
            }
        }
        csv += "broken,yesterday,today\nbackwards,2000,1000\nshort,1\n"
        let log = CalibrationLog(text: csv)
        #expect(log.latencies.count == 4000)
        #expect(log.bad.map(\.line) == [4002, 4003, 4004])
        #expect(log.bad[1].reason.contains("arrived before"))
        let fit = LatencyFit.fit(milliseconds: log.latencies)
        #expect(fit.flow.hasPrefix("{histogram: ["))
        #expect(fit.ksDistance < 0.03)

        let source = try String(contentsOfFile: repositoryRoot + "/Tests/ServeTests/Fixtures/calibrate-stack.yaml", encoding: .utf8)
        let calibrated = try LatencyFit.replaceLatency(in: source, links: ["crm_to_map": fit.flow], header: "test")
        let scenario = try Scenario.parse(yaml: calibrated, sourceName: "calibrated.yaml")
        #expect(scenario.plan.links[0].external == false)
        let result = Engine.run(plan: scenario.plan, options: EngineOptions(), sink: DiscardingSink())
        let figures = result.summary.links[0]
        #expect(figures.deliveries > 5000)
        // The known quantiles: p50 = 5 min, p95 = 5 min · e^(0.8 · 1.645) ≈ 18.6 min. The
        // simulated ones (≥ 5,000 draws from the fitted histogram) agree within a few percent.
        let p50 = 300_000.0, p95 = 300_000 * exp(0.8 * 1.6449)
        #expect(abs(Double(figures.freshnessP50) - p50) / p50 < 0.06, "p50 \(figures.freshnessP50)")
        #expect(abs(Double(figures.freshnessP95) - p95) / p95 < 0.08, "p95 \(figures.freshnessP95)")
    }

    @Test func aFewSamplesAreKeptExactlyAsAnEmpiricalDistribution() {
        let fit = LatencyFit.fit(milliseconds: [1500, 60_000, 2000])
        #expect(fit.flow == "{empirical: [1500ms, 2s, 1m]}")
        #expect(fit.ksDistance == 0)
    }
}
