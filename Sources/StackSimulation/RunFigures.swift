import Histogram
import MarTechModel

/// The figures a run keeps besides its rows: freshness and latency histograms, per-day
/// tallies, and the `RunSummary` shaped for the plan (one slot per link, platform, fault,
/// step and day), ready for the engine to count into.
struct RunFigures {
    /// Freshness per link (ms) in an HDR histogram: constant memory, 3 significant digits.
    var linkFreshness: [Histogram<UInt64>]
    /// Per link and day: deliveries, sum and max of freshness (ms).
    var linkDaily: [[(count: Int, sum: Int64, max: Int64)]]
    /// Decision → delivery latency per platform (ms), in HDR histograms.
    var platformLatency: [Histogram<UInt64>]

    init(plan: RunPlan, dayCount: Int) {
        // Values up to the horizon plus a year of slack (a stream latency can outlast the run).
        let trackable = UInt64(plan.horizon.millisecondsSinceStart) + 366 * 86_400_000
        linkFreshness = plan.links.map { _ in
            Histogram<UInt64>(highestTrackableValue: trackable, numberOfSignificantValueDigits: .three)
        }
        linkDaily = plan.links.map { _ in
            [(count: Int, sum: Int64, max: Int64)](repeating: (0, 0, 0), count: dayCount)
        }
        platformLatency = plan.platforms.map { _ in
            Histogram<UInt64>(highestTrackableValue: trackable, numberOfSignificantValueDigits: .three)
        }
    }

    /// An empty summary with a slot for every link, platform, fault, step and day of the plan.
    static func emptySummary(plan: RunPlan, dayCount: Int) -> RunSummary {
        var summary = RunSummary()
        summary.platforms = plan.platforms.map { _ in
            var f = PlatformFigures()
            f.perDay = [Int](repeating: 0, count: dayCount)
            return f
        }
        summary.misfiresByDay = MisfireType.allCases.map { _ in [Int](repeating: 0, count: dayCount) }
        summary.links = plan.links.map { _ in
            var f = LinkFigures()
            f.histogram = [Int](repeating: 0, count: LinkFigures.histogramBounds.count)
            f.backlogMaxByDay = [Int](repeating: 0, count: dayCount)
            return f
        }
        summary.designMisfiresByStep = plan.campaign.steps.map { _ in
            [Int](repeating: 0, count: MisfireType.allCases.count)
        }
        summary.faults = plan.faults.map { fault in
            var f = FaultFigures()
            f.name = fault.name
            f.kind = fault.kindName
            f.target = RunFigures.target(of: fault, plan: plan)
            f.startMs = fault.start.millisecondsSinceStart
            f.endMs = fault.end.millisecondsSinceStart
            return f
        }
        return summary
    }

    /// The name of what a fault targets: a platform or a link.
    static func target(of fault: FaultPlan, plan: RunPlan) -> String {
        switch fault.kind {
        case .outage(let p), .lostAcknowledgement(let p, _, _), .clockSkew(let p): plan.platforms[p].name
        case .pause(let l), .linkOutage(let l), .degrade(let l, _, _, _), .rateLimit(let l, _, _),
            .duplicate(let l, _, _), .drift(let l, _, _, _):
            plan.links[l].name
        }
    }
}
