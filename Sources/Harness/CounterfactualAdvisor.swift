import MarTechModel
import Reporting
import SimKernel
import StackSimulation

/// Advice from counterfactuals: each setting that could have prevented the run's misfires is
/// changed on its own and the scenario re-run on common random numbers (same seed, same first
/// customers, so each customer draws the same story), then ranked by the misfires it prevented.
///
/// Candidates come from where the misfires came from: a link that caused misfires (its
/// destination's apply delay, a batch's cadence, a stream's latency), and a platform whose steps
/// misfired by design (checking consent at send, re-checking on release, de-duplicating retried
/// sends). Only settings not already set are tried, and only those that prevent something are
/// listed (at least 1% of the misfires). Does not model: vendor limits on how fast a sync can run (hourly batches and a 1-minute
/// stream are what is tried, whatever the vendor allows).
public enum CounterfactualAdvisor {
    /// Customers in each re-run: enough for shares to within a few percent, quick at any size.
    public static let sampleCustomers = 20_000

    public static func advise(plan: RunPlan, summary: RunSummary) -> [Counterfactual] {
        guard total(summary) > 0 else { return [] }
        var base = plan
        base.customers = min(plan.customers, sampleCustomers)
        let before = misfires(base)
        guard before > 0 else { return [] }
        return candidates(plan: base, summary: summary).compactMap { candidate in
            let after = misfires(candidate.plan)
            // A change of less than 1% is noise-sized for a reader: not worth a line of advice.
            guard before - after >= max(1, before / 100) else { return nil }
            return Counterfactual(
                setting: candidate.setting, change: candidate.change, misfiresBefore: before, misfiresAfter: after,
                customers: base.customers)
        }.enumerated().sorted { ($0.element.prevented, -$0.offset) > ($1.element.prevented, -$1.offset) }.map(\.element)
    }

    static func misfires(_ plan: RunPlan) -> Int {
        total(Engine.run(plan: plan, options: EngineOptions(), sink: DiscardingSink()).summary)
    }

    static func total(_ s: RunSummary) -> Int { s.misfiresByType.reduce(0, +) }

    static func candidates(plan: RunPlan, summary: RunSummary) -> [(setting: String, change: String, plan: RunPlan)] {
        var out: [(String, String, RunPlan)] = []
        var applyDelaysTried = Set<Int>()
        for (l, link) in plan.links.enumerated() where l < summary.links.count && summary.links[l].misfires > 0 {
            if link.to >= 0, plan.platforms[link.to].applyDelay != nil, applyDelaysTried.insert(link.to).inserted {
                var p = plan
                p.platforms[link.to].applyDelay = nil
                out.append(("platforms.\(plan.platforms[link.to].name).apply_delay", "none", p))
            }
            switch link.mode {
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
                guard latency.mean > 60_000 else { break }
                var p = plan
                p.links[l].mode = .stream(latency: .fixed(60_000))
                out.append(("links.\(link.name).stream.latency", "1m", p))
            }
        }
        let misfiringPlatforms = Set(
            summary.designMisfiresByStep.enumerated().filter { $0.element.contains { $0 > 0 } }
                .compactMap { $0.offset < plan.campaign.steps.count ? plan.campaign.steps[$0.offset].executor : nil })
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
}
