import MarTechModel
import Testing

/// A summary written before a root cause was added reads back with that cause at zero; any
/// other wrong size is still refused.
@Suite struct SummaryShapeTests {
    @Test func aSummaryFromBeforeTheRecomputeCauseIsWidenedWithZeros() {
        var summary = RunSummary()
        let causes = MisfireCause.allCases.count
        summary.misfiresByTypeAndCause = summary.misfiresByTypeAndCause.map { Array($0.prefix(causes - 1)) }
        summary.misfiresByTypeAndCause[0][0] = 7
        func problem() -> String {
            summary.shapeProblem(platforms: 0, links: 0, steps: 0, faults: 0, days: 0) ?? ""
        }
        #expect(problem().contains("misfiresByTypeAndCause"), "\(problem())")
        summary.widenToCurrentCauses()
        #expect(!problem().contains("misfiresByTypeAndCause"), "\(problem())")
        #expect(summary.misfiresByTypeAndCause.allSatisfy { $0.count == causes })
        #expect(summary.misfiresByTypeAndCause[0][0] == 7)
        #expect(summary.misfiresByTypeAndCause.allSatisfy { $0[Int(MisfireCause.awaitingRecompute.rawValue)] == 0 })
    }
}
