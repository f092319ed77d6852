import Foundation
import MarTechModel
import Reporting
import RunStore
import ScenarioKit
import SimKernel
import StackSimulation

/// What to sweep and how: `rehearse sweep SCENARIO --vary PATH=RANGE … [--find GOAL]`.
public struct SweepRequest: Sendable {
    public var scenarioPath: String
    public var axes: [SweepAxis]
    public var replications = 3
    public var jobs = 1
    public var customers: Int?
    public var seed: UInt64?
    /// Run only jobs `index` (1-based) of `count` (`--shard K/N`); `rehearse merge` joins the slices.
    public var shard: (index: Int, count: Int)?
    public var find: ThresholdGoal?
    /// Bisection steps after the grid (`--find`).
    public var findSteps = 5
    public var reportsDirectory = "Reports"
    public var command = ""
    public var limits = RunLimitPolicy()

    public init(scenarioPath: String, axes: [SweepAxis]) {
        self.scenarioPath = scenarioPath
        self.axes = axes
    }
}

/// What a sweep produced.
public struct SweepOutcome: Sendable {
    public var databasePath: String
    public var header: SweepStore.Header
    public var variants: [SweepStore.Variant]
    public var samples: [SweepStore.Sample]
    public var report: SweepReport
    public var threshold: ThresholdFinding?
}

/// Runs a grid of scenario variants × replications across cores into one sweep database.
///
/// Every variant uses the same seeds (common random numbers), so differences between variants
/// are the parameter's, not the draws'. Results are collected by job index, so the database does
/// not depend on which core finished first: `--jobs 1` and `--jobs 2` write the same rows.
public enum SweepRunner {
    /// Most runs (variants × replications) a sweep may ask for without `--allow-large`.
    public static let runsMax = 20_000

    public static func run(
        _ request: SweepRequest, shouldStop: @escaping @Sendable () -> Bool = { Interrupts.wasRequested }
    ) throws(HarnessError) -> SweepOutcome {
        let base = try ScenarioRunner.load(path: request.scenarioPath).overriding(
            seed: request.seed, customers: request.customers)
        guard !request.axes.isEmpty else { throw .limitExceeded("a sweep needs at least one --vary PATH=RANGE") }
        if request.find != nil && request.axes.count != 1 {
            throw .limitExceeded("--find bisects one parameter; give exactly one --vary")
        }
        if request.find != nil && request.shard != nil {
            throw .limitExceeded("--find bisects step by step and cannot be sharded; shard a plain sweep instead")
        }
        let gridSize = request.axes.reduce(1) { $0 * $1.values.count }
        let runs = gridSize * request.replications
        if !request.limits.allowLarge && runs > runsMax {
            throw .limitExceeded(
                "the sweep asks for \(runs) runs (\(gridSize) variants × \(request.replications) replications); the limit is \(runsMax): narrow the ranges, shard it with --shard K/N, or pass --allow-large"
            )
        }
        try request.limits.check(base)
        if let goal = request.find {
            // Name the metric now, not after the grid has run: a typo would otherwise bisect nothing.
            var probe = RunSummary()
            probe.links = base.plan.links.map { _ in LinkFigures() }
            probe.faults = base.plan.faults.map { _ in FaultFigures() }
            let names = SweepMetrics.extract(probe, linkNames: base.plan.links.map(\.name)).map(\.name)
            if !names.contains(goal.metric) {
                let hint = NearMiss.suggestion(for: goal.metric, in: names).map { "; did you mean '\($0)'?" } ?? ""
                throw .limitExceeded(
                    "--find: unknown metric '\(goal.metric)' for \(base.name)\(hint) (metrics are listed in docs/results-schema.md#sweep-databases)"
                )
            }
        }
        let perRun = RunLimitPolicy.estimatedBytes(base.plan)
        if !request.limits.allowLarge && perRun * Int64(request.jobs) > RunLimitPolicy.memoryBytesDefault {
            throw .limitExceeded(
                "\(request.jobs) jobs at once need about \((perRun * Int64(request.jobs)) >> 30) GiB; use fewer --jobs or customers, or pass --allow-large"
            )
        }

        var variants: [SweepStore.Variant] = []
        var scenarios: [Scenario] = []
        for (id, combination) in grid(request.axes).enumerated() {
            let scenario = try variant(base, request: request, values: combination)
            variants.append(
                SweepStore.Variant(
                    id: id, label: label(request.axes, combination), parameters: parameters(request.axes, combination),
                    x: request.axes[0].positions[combination[0]]))
            scenarios.append(scenario)
        }
        var jobs: [(variant: Int, replication: Int)] = []
        for v in variants.indices { for r in 0..<request.replications { jobs.append((v, r)) } }
        if let shard = request.shard {
            jobs = jobs.enumerated().filter { $0.offset % shard.count == shard.index - 1 }.map(\.element)
        }

        var plans = scenarios.map(\.plan)
        var samples = execute(jobs, plans: plans, jobsAtOnce: request.jobs, shouldStop: shouldStop)
        let interrupted = shouldStop()
        var threshold: ThresholdFinding?
        if let goal = request.find, !interrupted {
            let axis = request.axes[0]
            let finder = ThresholdFinder(goal: goal, axis: axis)
            let grid = variants
            var added: [SweepStore.Variant] = []
            threshold = try finder.find(variants: grid, samples: &samples, steps: request.findSteps) {
                (position: Double) throws(HarnessError) -> (id: Int, rows: [SweepStore.Sample]) in
                let value = SweepAxis.format(position, axis.unit)
                let scenario = try variant(base, request: request, axisValues: [value])
                let id = grid.count + added.count
                added.append(
                    SweepStore.Variant(
                        id: id,
                        label:
                            "\(axis.path)=\(axis.label(position)) (\(position < grid.map(\.x).min()! ? "beyond the grid" : "bisection"))",
                        parameters: "\(axis.path)=\(value)", x: position))
                plans.append(scenario.plan)
                let more = (0..<request.replications).map { (variant: id, replication: $0) }
                return (id, execute(more, plans: plans, jobsAtOnce: request.jobs, shouldStop: shouldStop))
            }
            variants += added
            // Unreachable along this axis: name the setting that does move the metric.
            if let finding = threshold, let x = finding.nearestX {
                let nearest = try variant(base, request: request, axisValues: [SweepAxis.format(x, axis.unit)])
                if let move = CounterfactualAdvisor.strongest(plan: nearest.plan, goal: goal) {
                    threshold?.sentence += ". " + CounterfactualAdvisor.sentence(move, goal: goal)
                }
            }
        }

        let header = SweepStore.Header(
            scenario: base.name, scenarioFile: request.scenarioPath, scenarioText: base.sourceText,
            scenarioHash: ScenarioRunner.fnv1a(base.sourceText),
            vary: request.axes.map { "\($0.path)=\($0.values.joined(separator: ","))" }.joined(separator: " "),
            replications: request.replications, customers: base.plan.customers, baseSeed: base.plan.seed,
            shard: request.shard.map { "\($0.index)/\($0.count)" } ?? "", toolVersion: ScenarioRunner.toolVersion,
            command: request.command,
            status: interrupted ? "interrupted" : (request.shard == nil ? "complete" : "partial"),
            finding: threshold?.sentence ?? "")
        let directory = (request.reportsDirectory as NSString).appendingPathComponent(base.name)
        let stem = (directory as NSString).appendingPathComponent(stemName(request, header: header))
        let report = makeReport(
            header: header, variants: variants, samples: samples, axes: request.axes, goal: request.find)
        try FileAccess.makeFolder(directory)
        do {
            try SweepStore.write(path: stem + ".sqlite", header: header, variants: variants, samples: samples)
            try writeReports(report, stem: stem)
        } catch {
            throw .cannotWrite(path: stem + ".sqlite", reason: ScenarioRunner.explainWriteError(error))
        }
        return SweepOutcome(
            databasePath: stem + ".sqlite", header: header, variants: variants, samples: samples, report: report,
            threshold: threshold)
    }

    static func stemName(_ r: SweepRequest, header: SweepStore.Header) -> String {
        let key = ScenarioRunner.fnv1a(
            header.vary + "|\(header.replications)|\(header.customers)|\(header.baseSeed)|\(r.find?.text ?? "")")
        var stem = "sweep--\(key.prefix(8))"
        if let s = r.shard { stem += "--shard-\(s.index)-of-\(s.count)" }
        return stem
    }

    static func writeReports(_ report: SweepReport, stem: String) throws {
        try report.renderText().write(toFile: stem + ".txt", atomically: true, encoding: .utf8)
        try report.renderMarkdown().write(toFile: stem + ".md", atomically: true, encoding: .utf8)
        try report.renderHTML().write(toFile: stem + ".html", atomically: true, encoding: .utf8)
    }

    /// Every combination of axis value indices, the first axis varying slowest.
    static func grid(_ axes: [SweepAxis]) -> [[Int]] {
        var out: [[Int]] = [[]]
        for axis in axes { out = out.flatMap { prefix in axis.values.indices.map { prefix + [$0] } } }
        return out
    }

    static func label(_ axes: [SweepAxis], _ combination: [Int]) -> String {
        zip(axes, combination).map { "\($0.path)=\($0.label($0.positions[$1]))" }.joined(separator: ", ")
    }

    static func parameters(_ axes: [SweepAxis], _ combination: [Int]) -> String {
        zip(axes, combination).map { "\($0.path)=\($0.values[$1])" }.joined(separator: " ")
    }

    static func variant(_ base: Scenario, request: SweepRequest, values: [Int]) throws(HarnessError) -> Scenario {
        try variant(base, request: request, axisValues: zip(request.axes, values).map { $0.values[$1] })
    }

    /// The base scenario with each axis path set to its value, parsed and validated again.
    static func variant(_ base: Scenario, request: SweepRequest, axisValues: [String]) throws(HarnessError) -> Scenario
    {
        let changes = zip(request.axes, axisValues).map { (path: $0.path, value: $1) }
        let text: String
        do {
            text = try ScenarioPatch.apply(changes, to: base.sourceText)
        } catch {
            throw .limitExceeded("\(request.scenarioPath): --vary \(error.description)")
        }
        let name = "\(request.scenarioPath) [\(changes.map { "\($0.path)=\($0.value)" }.joined(separator: ", "))]"
        do {
            var scenario = try Scenario.parse(yaml: text, sourceName: name)
            scenario.plan.seed = base.plan.seed
            scenario.plan.customers = base.plan.customers
            scenario.plan.limits.eventBudget = request.limits.maxEvents
            return scenario
        } catch {
            throw .invalidScenario(error)
        }
    }

    /// Runs jobs on `jobsAtOnce` threads; each job's summary becomes metric rows.
    static func execute(
        _ jobs: [(variant: Int, replication: Int)], plans: [RunPlan], jobsAtOnce: Int,
        shouldStop: @escaping @Sendable () -> Bool
    ) -> [SweepStore.Sample] {
        let box = SampleBox(count: jobs.count)
        let work = jobs
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobsAtOnce, jobs.count))) { _ in
            while let i = box.next(), !shouldStop() {
                let job = work[i]
                var plan = plans[job.variant]
                plan.seed = plan.seed &+ UInt64(job.replication)
                let result = Engine.run(
                    plan: plan, options: EngineOptions(), sink: DiscardingSink(), shouldStop: shouldStop)
                guard result.stopReason == .horizonReached else { continue }
                let metrics = SweepMetrics.extract(result.summary, linkNames: plan.links.map(\.name))
                box.set(
                    i,
                    metrics.map {
                        SweepStore.Sample(
                            variant: job.variant, replication: job.replication, seed: plan.seed, metric: $0.name,
                            value: $0.value)
                    })
            }
        }
        return box.all
    }

    /// The report's curves: the goal's metric first, then misfire rates and freshness that vary or matter.
    static func makeReport(
        header: SweepStore.Header, variants: [SweepStore.Variant], samples: [SweepStore.Sample], axes: [SweepAxis],
        goal: ThresholdGoal?
    ) -> SweepReport {
        var byMetric: [String: [Int: [Double]]] = [:]
        for s in samples { byMetric[s.metric, default: [:]][s.variant, default: []].append(s.value) }
        let ordered = variants.sorted { ($0.x, $0.id) < ($1.x, $1.id) }
        func curve(_ metric: String) -> [SweepReport.Point] {
            ordered.compactMap { v in
                guard let values = byMetric[metric]?[v.id] else { return nil }
                let (m, h) = SweepReport.meanAndHalfWidth(values)
                // The first axis is the x axis; the others name the line the point belongs to.
                let parts = v.label.components(separatedBy: ", ")
                let first = (parts.first ?? v.label).replacingOccurrences(of: axes[0].path + "=", with: "")
                return SweepReport.Point(
                    x: v.x, label: first, mean: m, halfWidth: h, n: values.count,
                    series: parts.dropFirst().joined(separator: ", "))
            }
        }
        var chosen: [String] = []
        if let g = goal { chosen.append(g.metric) }
        let interesting = byMetric.keys.sorted().filter { name in
            let all = byMetric[name]!.values.flatMap { $0 }
            guard all.contains(where: { $0 != 0 }) else { return false }
            if name.hasPrefix("misfires.") {
                return name.hasSuffix(".rate")
                    && (MisfireType.allCases.contains { name == "misfires.\($0).rate" }
                        || name.contains("_impressions"))
            }
            return name == "impressions.wasted_per_converter" || name.hasSuffix(".freshness_p95")
        }
        for name in interesting where !chosen.contains(name) { chosen.append(name) }
        var report = SweepReport(
            title: header.scenario, parameter: axes.map(\.path).joined(separator: " × "),
            curves: chosen.prefix(10).map { ($0, curve($0)) }, finding: header.finding, command: header.command)
        report.goal = goal.map { ($0.metric, $0.op, $0.bound) }
        return report
    }
}

/// Collects job results from worker threads, by job index.
private final class SampleBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [[SweepStore.Sample]?]
    private var cursor = 0
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard cursor < results.count else { return nil }
        cursor += 1
        return cursor - 1
    }
    func set(_ i: Int, _ r: [SweepStore.Sample]) {
        lock.lock()
        results[i] = r
        lock.unlock()
    }
    var all: [SweepStore.Sample] { results.flatMap { $0 ?? [] } }
}
