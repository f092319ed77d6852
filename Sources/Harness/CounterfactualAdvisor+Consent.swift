import MarTechModel
import SimKernel

/// Consent misfires a link did not carry in time: ask the platform that knows at send time.
extension CounterfactualAdvisor {
    /// For each channel with revoked- or no-consent misfires, each sender on it without a consent
    /// lookup is tried with one against a platform that sees that consent at once (the CRM):
    /// 200 ms, 2 s timeout, fail closed, as `docs/scenarios.md` writes it.
    static func consentLookups(plan: RunPlan, summary: RunSummary) -> [(setting: String, change: String, plan: RunPlan)]
    {
        var out: [(String, String, RunPlan)] = []
        var tried = Set<Int>()
        for step in plan.campaign.steps where step.executor >= 0 && !tried.contains(step.executor) {
            let channel = Int(step.channel.rawValue)
            let misfired = [MisfireType.revokedConsent, .noConsent].contains { type in
                summary.misfiresByTypeAndChannel[Int(type.rawValue)][channel] > 0
            }
            guard misfired, plan.platforms[step.executor].consentLookup == nil,
                let name = step.channel.consentFieldName, let field = plan.field(named: name),
                let knows = plan.platforms.indices.first(where: {
                    $0 != step.executor && plan.platforms[$0].observes.contains(field)
                })
            else { continue }
            tried.insert(step.executor)
            var p = plan
            p.platforms[step.executor].consentLookup = ConsentLookup(
                platform: knows, latency: .fixed(200), timeout: SimDuration(milliseconds: 2000), failOpen: false)
            out.append(
                (
                    "platforms.\(plan.platforms[step.executor].name).consent_lookup",
                    "{platform: \(plan.platforms[knows].name), latency: 200ms, timeout: 2s, on_timeout: fail_closed}", p
                ))
        }
        return out
    }
}
