import MarTechModel
import Reporting
import SimKernel
import StackSimulation

/// Advice from counterfactuals: each setting that could have prevented the run's misfires is
/// changed on its own and the scenario re-run on common random numbers (same seed, same first
/// customers, so each customer draws the same story), then ranked by the misfires it prevented.
///
/// Candidates come from where the misfires came from: a link that caused misfires (its
/// destination's apply delay, a CDP's audience recompute, a batch's cadence, a stream's
/// latency), and a platform whose steps misfired by design (checking consent at send,
/// re-checking on release, de-duplicating retried sends). Only settings not already set are
/// tried, and only those that prevent something are listed (at least 1% of the misfires). A
/// stream is tried at 1 minute, or at its vendors' published sync floor when slower (Marketo's
/// 5-minute cycle); a batch hourly.
public enum CounterfactualAdvisor {
    /// Customers in each re-run: enough for shares to within a few percent, quick at any size.
    public static let sampleCustomers = 20_000

    public static func advise(plan: RunPlan, summary: RunSummary) -> [Counterfactual] {
        guard total(summary) > 0 else { return [] }
        var base = plan
        base.customers = min(plan.customers, sampleCustomers)
        let before = misfires(base)
        guard before.all > 0 else { return [] }
        return candidates(plan: base, summary: summary).compactMap { candidate in
            let after = misfires(candidate.plan)
            // A change of less than 1% is noise-sized for a reader, unless it prevents critical
            // misfires (a TCPA exposure is never noise).
            var c = Counterfactual(
                setting: candidate.setting, change: candidate.change, misfiresBefore: before.all,
                misfiresAfter: after.all, customers: base.customers)
            (c.criticalBefore, c.criticalAfter) = (before.critical, after.critical)
            return c.prevented >= max(1, before.all / 100) || c.preventsCritical ? c : nil
        }.enumerated().sorted {
            // Ranked by misfires prevented; the critical ones each line prevents are said in it.
            ($0.element.prevented, $0.element.criticalPrevented, -$0.offset)
                > ($1.element.prevented, $1.element.criticalPrevented, -$1.offset)
        }.map(\.element)
    }

    /// All misfires of a re-run, and the critical ones among them.
    static func misfires(_ plan: RunPlan) -> (all: Int, critical: Int) {
        let s = Engine.run(plan: plan, options: EngineOptions(), sink: DiscardingSink()).summary
        let critical = MisfireType.allCases.filter { $0.severity == .critical }.reduce(0) {
            $0 + s.misfiresByType[Int($1.rawValue)]
        }
        return (total(s), critical)
    }

    static func total(_ s: RunSummary) -> Int { s.misfiresByType.reduce(0, +) }

    static func candidates(plan: RunPlan, summary: RunSummary) -> [(setting: String, change: String, plan: RunPlan)] {
        var out: [(String, String, RunPlan)] = []
        var applyDelaysTried = Set<Int>(), recomputesTried = Set<Int>()
        for (l, link) in plan.links.enumerated() where l < summary.links.count && summary.links[l].misfires > 0 {
            if link.to >= 0, plan.platforms[link.to].applyDelay != nil, applyDelaysTried.insert(link.to).inserted {
                var p = plan
                p.platforms[link.to].applyDelay = nil
                out.append(("platforms.\(plan.platforms[link.to].name).apply_delay", "none", p))
            }
            switch link.mode {
            case .batch where link.from == LinkPlan.truth:
                break  // a CDP's recompute: tried as `platforms.<cdp>.recompute` below
            case .batch(let schedule, let runsFor, let pageSize, let pagesPerSecond):
                let hour: Int64 = 3_600_000
                var hourly: [SimInstant] = []
                var t: Int64 = 0
                while t <= plan.horizon.millisecondsSinceStart {
                    hourly.append(SimInstant(millisecondsSinceStart: t))
                    t += hour
                }
                guard hourly.count > schedule.count else { break }
                var p = plan
                p.links[l].mode = .batch(
                    schedule: hourly, runsFor: min(runsFor, SimDuration(milliseconds: hour / 2)), pageSize: pageSize,
                    pagesPerSecond: pagesPerSecond)
                out.append(("links.\(link.name).batch", "{every: 1h}", p))
            case .stream(let latency):
                // A vendor's own sync cycle is the freshest the link can be: nothing faster is tried.
                let target = max(60_000, link.vendorFloor?.interval.milliseconds ?? 0)
                guard latency.mean > Double(target) else { break }
                var p = plan
                p.links[l].mode = .stream(latency: .fixed(Double(target)))
                let change = SimDuration(milliseconds: target).description
                out.append(
                    (
                        "links.\(link.name).stream.latency",
                        link.vendorFloor.map { "\(change) (the fastest its vendor allows: \($0.source))" } ?? change, p
                    ))
            }
            if let recompute = fasterRecompute(plan: plan, link: l), recomputesTried.insert(link.to).inserted {
                out.append(recompute)
            }
        }
        let misfiringPlatforms = Set(
            summary.designMisfiresByStep.enumerated().filter { $0.element.contains { $0 > 0 } }
                .compactMap { $0.offset < plan.campaign.steps.count ? plan.campaign.steps[$0.offset].executor : nil })
        out += consentLookups(plan: plan, summary: summary)
        for platform in misfiringPlatforms.sorted() where platform >= 0 {
            let name = plan.platforms[platform].name
            if !plan.platforms[platform].checksConsent {
                var p = plan
                p.platforms[platform].checksConsent = true
                out.append(("platforms.\(name).checks_consent", "true", p))
            }
            if !plan.platforms[platform].rechecksOnRelease {
                var p = plan
                p.platforms[platform].rechecksOnRelease = true
                out.append(("platforms.\(name).rechecks_on_release", "true", p))
            }
            if !plan.platforms[platform].deduplicatesSends {
                var p = plan
                p.platforms[platform].deduplicatesSends = true
                out.append(("platforms.\(name).deduplicates_sends", "true", p))
            }
        }
        return out
    }

    /// A CDP whose audiences wait for a recompute: the same CDP recomputing every 15 minutes
    /// (its implicit link from the truth on the same cadence), if it recomputes less often.
    static func fasterRecompute(plan: RunPlan, link l: Int) -> (setting: String, change: String, plan: RunPlan)? {
        let link = plan.links[l], quarter: Int64 = 900_000
        guard link.to >= 0 else { return nil }
        let cdp = plan.platforms[link.to]
        guard let interval = cdp.recomputeInterval, interval > Double(quarter) else { return nil }
        var p = plan
        let schedule = stride(from: Int64(0), through: plan.horizon.millisecondsSinceStart, by: Int(quarter)).map {
            SimInstant(millisecondsSinceStart: $0)
        }
        var runsFor = SimDuration(milliseconds: 0)
        if let r = p.links.firstIndex(where: { $0.from == LinkPlan.truth && $0.to == link.to }),
            case .batch(_, let runs, let pageSize, let rate) = p.links[r].mode
        {
            runsFor = runs
            p.links[r].mode = .batch(schedule: schedule, runsFor: runs, pageSize: pageSize, pagesPerSecond: rate)
        }
        p.platforms[link.to].audienceRecomputes = schedule.map { $0.advanced(by: runsFor) }
        return ("platforms.\(cdp.name).recompute", "{every: 15m}", p)
    }
}
