import Reporting
import RunStore
import ScenarioKit
import SimKernel

/// `--find "METRIC OP BOUND"`: the condition whose boundary a sweep looks for, such as
/// `misfires.post_conversion_impressions.rate <= 0.5%` or `sla.crm_to_map.freshness_p95 <= 26h`.
public struct ThresholdGoal: Sendable, Equatable {
    public var metric: String
    public var op: String
    public var bound: Double
    public var text: String

    public struct GoalError: Error, CustomStringConvertible { public var description: String }

    public static func parse(_ text: String) throws(GoalError) -> ThresholdGoal {
        let parts = text.split(separator: " ").map(String.init)
        guard parts.count == 3, ["<=", "<", ">=", ">"].contains(parts[1]) else {
            throw GoalError(
                description:
                    "--find '\(text)': expected METRIC OP VALUE, such as \"misfires.post_conversion_impressions.rate <= 0.5%\""
            )
        }
        let metric = parts[0], raw = parts[2]
        var bound: Double?
        if raw.hasSuffix("%") {
            bound = Double(raw.dropLast()).map { $0 / 100 }
        } else if SweepMetrics.isDuration(metric) {
            bound = ScenarioQuantity.duration(raw).map { Double($0.milliseconds) } ?? Double(raw)
        } else {
            bound = Double(raw)
        }
        guard let b = bound else {
            throw GoalError(description: "--find '\(text)': '\(raw)' is not a number, percent or duration")
        }
        let known = ["misfires.", "sla.", "impressions.", "conversions", "faults."]
        guard known.contains(where: { metric.hasPrefix($0) }) else {
            throw GoalError(
                description:
                    "--find '\(text)': unknown metric '\(metric)'; metrics start with misfires., sla., impressions. or faults. (see docs/playbooks/chaos.md)"
            )
        }
        return ThresholdGoal(metric: metric, op: parts[1], bound: b, text: text)
    }

    public func holds(_ v: Double) -> Bool {
        switch op {
        case "<=": v <= bound
        case "<": v < bound
        case ">=": v >= bound
        default: v > bound
        }
    }
}

/// The boundary a sweep found: the parameter value where the goal stops (or starts) holding.
public struct ThresholdFinding: Sendable, Equatable {
    public var boundary: Double
    /// Half-width of the uncertainty: the last bisection interval, widened by the metric's noise.
    public var uncertainty: Double
    /// False when the goal held at every value tried (or at none); `sentence` says which.
    public var found: Bool
    public var sentence: String
    /// When the goal held nowhere: the parameter value whose mean came nearest to it.
    public var nearestX: Double? = nil
}

extension ThresholdFinder {
    /// What to say when the grid never crosses the goal: which way the metric moves, whether a
    /// wider range could reach the goal at all (a parameter already at 0 cannot go lower), and
    /// the nearest the grid came.
    static func notBracketed(
        name: String, holdsEverywhere: Bool, xs: [Double], means: [Double], goal: ThresholdGoal, axis: SweepAxis,
        probe: (x: Double, mean: Double)? = nil
    ) -> String {
        let span = "from \(axis.label(xs.first!)) to \(axis.label(xs.last!))"
        if holdsEverywhere { return "\(name) holds at every value tried \(span): within it the parameter does not decide this goal" }
        // Toward the goal: the end of the grid whose mean is nearer the bound.
        let lowEndNearer = abs(means.first! - goal.bound) <= abs(means.last! - goal.bound)
        let nearest = lowEndNearer ? 0 : means.count - 1
        let best = "the nearest is \(SweepReport.value(means[nearest], metric: goal.metric)) at \(axis.label(xs[nearest]))"
        if means.allSatisfy({ abs($0 - means[0]) <= 1e-12 }) {
            return
                "\(name) holds at no value tried \(span), and the metric does not move with the parameter (\(best)): another setting causes it; see the run's advice"
        }
        // The lowest value the parameter can take, tried beyond the grid: it settles "widen the range".
        if lowEndNearer, let probe {
            let at = "\(axis.label(probe.x)) (\(SweepReport.value(probe.mean, metric: goal.metric)))"
            return goal.holds(probe.mean)
                ? "\(name) holds at no value tried \(span); \(best): widen the range below \(axis.label(xs.first!)) (at \(at) it holds)"
                : "\(name) holds at no value tried \(span), nor at \(at), as low as the parameter goes: no value of it reaches the goal, another setting causes the rest"
        }
        if lowEndNearer && xs.first! <= 0 {
            return
                "\(name) holds at no value tried \(span); \(best), and the parameter cannot go below 0: no value of it reaches the goal, another setting causes the rest (see the run's advice at \(axis.label(xs.first!)))"
        }
        return "\(name) holds at no value tried \(span); \(best): widen the range \(lowEndNearer ? "below" : "above") \(axis.label(lowEndNearer ? xs.first! : xs.last!))"
    }
}

/// Finds where a goal flips along one axis: the grid brackets it, bisection narrows it.
///
/// Assumes the metric moves one way with the parameter (it warns when the grid says otherwise).
/// Each bisection point runs the same replications (same seeds) as the grid.
struct ThresholdFinder {
    var goal: ThresholdGoal
    var axis: SweepAxis

    /// - Parameter evaluate: runs the replications at a new parameter value; returns its variant id and rows.
    func find(
        variants: [SweepStore.Variant], samples: inout [SweepStore.Sample], steps: Int,
        evaluate: (Double) throws(HarnessError) -> (id: Int, rows: [SweepStore.Sample])
    ) throws(HarnessError) -> ThresholdFinding {
        func stats(_ id: Int, in rows: [SweepStore.Sample]) -> (mean: Double, halfWidth: Double) {
            SweepReport.meanAndHalfWidth(rows.filter { $0.variant == id && $0.metric == goal.metric }.map(\.value))
        }
        let points = variants.map { v in (x: v.x, id: v.id) }.sorted { $0.x < $1.x }
        let means = points.map { stats($0.id, in: samples) }
        let holds = means.map { goal.holds($0.mean) }
        let name = "\(goal.metric) \(goal.op) \(SweepReport.value(goal.bound, metric: goal.metric))"
        guard let flip = holds.indices.dropLast().first(where: { holds[$0] != holds[$0 + 1] }) else {
            let nearer = abs(means.first!.mean - goal.bound) <= abs(means.last!.mean - goal.bound)
            // Nearest at the low end of a duration or number: try the lowest the parameter can be
            // (0, or a minute where 0 is not a valid setting) before advising a wider range.
            var probe: (x: Double, mean: Double)?
            if holds.first != true, nearer, axis.unit == .duration || axis.unit == .number {
                for x: Double in (axis.unit == .duration ? [0, 60_000] : [0]) where x < points.first!.x {
                    guard let (id, rows) = try? evaluate(x) else { continue }
                    samples += rows
                    probe = (x, stats(id, in: samples).mean)
                    break
                }
            }
            return ThresholdFinding(
                boundary: .nan, uncertainty: .nan, found: false,
                sentence: ThresholdFinder.notBracketed(
                    name: name, holdsEverywhere: holds.first == true, xs: points.map(\.x), means: means.map(\.mean),
                    goal: goal, axis: axis, probe: probe),
                nearestX: holds.first == true ? nil : (nearer ? points.first!.x : points.last!.x))
        }
        let flips = holds.indices.dropLast().filter { holds[$0] != holds[$0 + 1] }.count
        var lo = (x: points[flip].x, holds: holds[flip], stats: means[flip])
        var hi = (x: points[flip + 1].x, holds: holds[flip + 1], stats: means[flip + 1])
        let resolution: Double = axis.unit == .duration ? 60_000 : (axis.unit == .clock ? 1 : 0)
        for _ in 0..<steps {
            var mid = (lo.x + hi.x) / 2
            if resolution > 0 { mid = (mid / resolution).rounded() * resolution }
            if mid <= lo.x || mid >= hi.x { break }
            let (id, rows) = try evaluate(mid)
            samples += rows
            let s = stats(id, in: samples)
            if goal.holds(s.mean) == lo.holds { lo = (mid, lo.holds, s) } else { hi = (mid, hi.holds, s) }
        }
        let boundary = (lo.x + hi.x) / 2
        var uncertainty = (hi.x - lo.x) / 2
        // The metric's own noise, turned into parameter units through the local slope.
        let slope = (hi.stats.mean - lo.stats.mean) / max(hi.x - lo.x, 1e-12)
        if slope != 0 { uncertainty = max(uncertainty, max(lo.stats.halfWidth, hi.stats.halfWidth) / abs(slope)) }
        let limit = lo.holds ? "at most" : "at least"
        var sentence = "\(name) holds with \(axis.path) \(limit) \(axis.label(boundary)) ± \(axis.label(uncertainty))"
        if flips > 1 {
            sentence += " (warning: the grid crosses the bound \(flips) times; the first crossing is reported)"
        }
        return ThresholdFinding(boundary: boundary, uncertainty: uncertainty, found: true, sentence: sentence)
    }
}
