import MarTechModel
import Reporting
import StackSimulation

/// For a sweep goal no value of the swept parameter reaches: the other setting that moves the
/// goal's metric most, from the same candidates and re-runs as the run's advice.
extension CounterfactualAdvisor {
    /// A candidate's effect on one metric: its value before and after the change.
    public struct GoalMove: Sendable, Equatable {
        public var setting: String
        public var change: String
        public var before: Double
        public var after: Double
        public var customers: Int
    }

    /// The candidate that moves `goal`'s metric furthest toward its bound on `plan`'s first
    /// customers (same seed), or nil when none moves it toward the goal at all.
    public static func strongest(plan: RunPlan, goal: ThresholdGoal) -> GoalMove? {
        var base = plan
        base.customers = min(plan.customers, sampleCustomers)
        let names = base.links.map(\.name)
        func metric(_ p: RunPlan) -> (Double, RunSummary)? {
            let summary = Engine.run(plan: p, options: EngineOptions(), sink: DiscardingSink()).summary
            return SweepMetrics.extract(summary, linkNames: names).first { $0.name == goal.metric }.map {
                ($0.value, summary)
            }
        }
        guard let (before, summary) = metric(base) else { return nil }
        let lower = goal.op.hasPrefix("<")
        var best: GoalMove?
        for candidate in candidates(plan: base, summary: summary) {
            guard let (after, _) = metric(candidate.plan) else { continue }
            let gain = lower ? before - after : after - before
            guard gain > 0, gain > (best.map { lower ? $0.before - $0.after : $0.after - $0.before } ?? 0) else {
                continue
            }
            best = GoalMove(
                setting: candidate.setting, change: candidate.change, before: before, after: after,
                customers: base.customers)
        }
        return best
    }

    /// "The setting that moves it most: `x: y` takes it from A to B (…), reaching the goal."
    public static func sentence(_ move: GoalMove, goal: ThresholdGoal) -> String {
        let from = SweepReport.value(move.before, metric: goal.metric)
        let to = SweepReport.value(move.after, metric: goal.metric)
        let reaches = goal.holds(move.after) ? ", which reaches the goal" : ", still short of the goal"
        return
            "The setting that moves it most: `\(move.setting): \(move.change)` takes it from \(from) to \(to)\(reaches) (a re-run of the first \(move.customers) customers at the nearest value tried, same seed, that setting alone changed)."
    }
}
