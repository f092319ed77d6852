import MarTechModel
import StackSimulation
import Testing

/// Should give the same distribution of every impression count whether impressions are drawn
/// per interval (the shortcut) or simulated one event at a time (the plain path).
@Suite struct ImpressionShortcutTests {
    static let seeds: [UInt64] = Array(1...40)

    private func counts(_ mode: EngineOptions.ImpressionMode, seed: UInt64) throws -> (
        served: Double, wasted: Double, customersServed: Double
    ) {
        var options = EngineOptions()
        options.impressionMode = mode
        let (result, rows) = run(try plan(miniWinback, seed: seed, customers: 400), options: options)
        return (
            Double(result.summary.impressionsServed), Double(result.summary.impressionsWasted),
            Double(rows.impressionSummaries.count)
        )
    }

    @Test func aggregatedAndPerEventAgreeWithinThreeStandardErrors() throws {
        let aggregated = try Self.seeds.map { try counts(.aggregated, seed: $0) }
        let perEvent = try Self.seeds.map { try counts(.perEvent, seed: $0 + 10_000) }
        for (name, key) in [
            ("served", \(served: Double, wasted: Double, customersServed: Double).served),
            ("wasted", \.wasted), ("customers served", \.customersServed),
        ] {
            let a = aggregated.map { $0[keyPath: key] }, b = perEvent.map { $0[keyPath: key] }
            let se = (standardError(a) * standardError(a) + standardError(b) * standardError(b)).squareRoot()
            #expect(
                abs(mean(a) - mean(b)) <= 3 * se,
                "\(name): aggregated \(mean(a)) vs per-event \(mean(b)), 3 SE = \(3 * se)")
            #expect(mean(a) > 0, "\(name) must not be trivially zero")
        }
    }

    @Test func recordAllWritesEveryImpressionInsideTheSummaryRange() throws {
        var options = EngineOptions()
        options.recordAllImpressions = true
        let (result, rows) = run(try plan(miniWinback, customers: 300), options: options)
        #expect(rows.impressions.count == result.summary.impressionsServed)
        #expect(rows.impressions.filter(\.wasted).count == result.summary.impressionsWasted)
        let byCustomer = Dictionary(grouping: rows.impressions, by: \.customer)
        for s in rows.impressionSummaries {
            let times = byCustomer[s.customer]!.map(\.at)
            #expect(times.count == Int(s.served))
            #expect(times.min() == s.firstAt && times.max() == s.lastAt)
        }
    }
}
