import Testing

@testable import Harness

/// A sweep that never crosses its goal says why, and never advises widening a range that cannot widen.
@Suite struct ThresholdSentenceTests {
    @Test func aGoalUnreachableEvenAtZeroSaysSoInsteadOfWidenTheRange() throws {
        let axis = try SweepAxis.parse("platforms.dsp.suppression_apply_delay=0h..12h:6h")
        let goal = try ThresholdGoal.parse("misfires.post_conversion_impressions.rate <= 0.5%")
        let text = ThresholdFinder.notBracketed(
            name: "goal", holdsEverywhere: false, xs: [0, 21_600_000, 43_200_000], means: [0.02, 0.05, 0.09],
            goal: goal, axis: axis)
        #expect(text.contains("cannot go below 0: no value of it reaches the goal"), "\(text)")
        #expect(!text.contains("widen"))
    }

    @Test func aGoalReachableBeyondTheGridSaysWhichWayToWiden() throws {
        let axis = try SweepAxis.parse("platforms.dsp.suppression_apply_delay=6h..12h:6h")
        let goal = try ThresholdGoal.parse("misfires.post_conversion_impressions.rate <= 0.5%")
        let text = ThresholdFinder.notBracketed(
            name: "goal", holdsEverywhere: false, xs: [21_600_000, 43_200_000], means: [0.05, 0.09], goal: goal,
            axis: axis)
        #expect(text.contains("widen the range below 6h"), "\(text)")
    }

    @Test func aMetricThatDoesNotMoveNamesAnotherSetting() throws {
        let axis = try SweepAxis.parse("platforms.dsp.suppression_apply_delay=6h..12h:6h")
        let goal = try ThresholdGoal.parse("misfires.post_conversion_impressions.rate <= 0.5%")
        let text = ThresholdFinder.notBracketed(
            name: "goal", holdsEverywhere: false, xs: [21_600_000, 43_200_000], means: [0.05, 0.05], goal: goal,
            axis: axis)
        #expect(text.contains("does not move with the parameter"), "\(text)")
    }

    @Test func theLowestValueTriedSettlesWhetherToWiden() throws {
        let axis = try SweepAxis.parse("links.crm_to_dsp.batch.every=1h..3h:1h")
        let goal = try ThresholdGoal.parse("impressions.wasted_per_converter <= 0.05")
        let xs: [Double] = [3_600_000, 7_200_000, 10_800_000], means = [0.6, 0.7, 0.8]
        let stuck = ThresholdFinder.notBracketed(
            name: "goal", holdsEverywhere: false, xs: xs, means: means, goal: goal, axis: axis, probe: (60_000, 0.55))
        #expect(stuck.contains("nor at 1m (0.55), as low as the parameter goes: no value of it reaches the goal"), "\(stuck)")
        #expect(!stuck.contains("widen"))
        let reachable = ThresholdFinder.notBracketed(
            name: "goal", holdsEverywhere: false, xs: xs, means: means, goal: goal, axis: axis, probe: (0, 0.01))
        #expect(reachable.contains("widen the range below 1h (at 0s (0.01) it holds)"), "\(reachable)")
    }
}
