import MarTechModel
import StackSimulation
import Testing

/// The step funnel adds up: every decision in the audience was skipped, held back or sent, and
/// no step misfired more messages than it sent.
@Suite struct StepFunnelTests {
    @Test func everyDecisionInTheAudienceEndsOneWay() throws {
        let (result, rows) = run(try plan(miniWinback, customers: 3000))
        let funnel = try #require(result.summary.stepFunnel)
        #expect(funnel.count == (try plan(miniWinback)).campaign.steps.count)
        var sentTotal = 0
        for counts in funnel {
            let c = { (s: FunnelStage) in counts[s.rawValue] }
            #expect(c(.inAudience) <= c(.evaluated))
            #expect(c(.skipped) + c(.heldBack) + c(.sent) == c(.inAudience))
            #expect(c(.misfired) <= c(.sent))
            sentTotal += c(.sent)
        }
        #expect(sentTotal > 0)
        // Every message a step sent is a touchpoint row (no faults here, so no duplicates).
        #expect(sentTotal == rows.touchpoints.count)
        #expect(funnel.map { $0[FunnelStage.misfired.rawValue] }.reduce(0, +) > 0, "miniWinback misfires")
        #expect(
            funnel.map { $0[FunnelStage.misfired.rawValue] }.reduce(0, +)
                <= Set(rows.misfires.compactMap { $0.touchpoint >= 0 ? $0.touchpoint : nil }).count)
    }
}
