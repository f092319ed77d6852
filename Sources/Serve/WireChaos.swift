import MarTechModel
import SimKernel

/// The scenario's chaos as a client feels it on the wire. Each fault applies to requests into
/// the platform it hits; a fault on a link hits the link's destination (the API that link
/// writes into), where a team's own code writing the same data would meet it:
///
/// | chaos | on the wire, while its window is open |
/// | --- | --- |
/// | `outage` (platform or link) | every request gets the vendor's 5xx |
/// | `degrade` | `error_rate` of requests get the vendor's 5xx; `jitter` delays each answer (wall clock) |
/// | `rate_limit` | beyond `per_second` requests a second, the vendor's 429 |
/// | `lost_ack` | `share` of writes happen, yet the client is told they failed (5xx) |
/// | `drift` (rename, drop) | the source's drifted fields are refused (HubSpot) or silently dropped (the others) |
///
/// Draws come from the session's seeded generator, in request order.
struct WireChaos {
    enum Verdict: Equatable {
        case pass
        case fail
        case throttle
        case lostAcknowledgement
    }

    let plan: RunPlan
    private var limits: [Int: RateWindow] = [:]

    init(plan: RunPlan) { self.plan = plan }

    /// The platform a fault hits on the wire.
    func target(_ kind: FaultPlan.Kind) -> Int? {
        switch kind {
        case .outage(let p), .lostAcknowledgement(let p, _, _), .clockSkew(let p): return p
        case .drift(let l, _, _, _):
            let from = plan.links[l].from
            return from == LinkPlan.truth ? nil : from
        case .linkOutage(let l), .pause(let l), .degrade(let l, _, _, _), .rateLimit(let l, _, _),
            .duplicate(let l, _, _):
            let to = plan.links[l].to
            return to == LinkPlan.truth ? nil : to
        }
    }

    /// What happens to one request into platform `p` at virtual `now`, wall second `t`.
    mutating func verdict(platform p: Int, isWrite: Bool, now: SimInstant, wall t: Double, random: inout SeededRandom)
        -> (verdict: Verdict, delay: SimDuration)
    {
        var delay = SimDuration.zero
        for (k, fault) in plan.faults.enumerated() where fault.isActive(at: now) && target(fault.kind) == p {
            switch fault.kind {
            case .linkOutage:
                return (.fail, delay)
            case .degrade(_, let errorRate, _, let jitter):
                if let jitter { delay = delay + jitter.sample(&random) }
                if random.chance(errorRate) { return (.fail, delay) }
            case .rateLimit(_, let perSecond, _):
                var window = limits[k] ?? RateWindow(limit: max(1, Int(perSecond.rounded(.up))), windowSeconds: 1)
                let admitted = window.admit(at: t)
                limits[k] = window
                if !admitted { return (.throttle, delay) }
            case .lostAcknowledgement(_, let share, _):
                if isWrite && random.chance(share) { return (.lostAcknowledgement, delay) }
            default:
                break
            }
        }
        return (.pass, delay)
    }

    /// Fields a rename or drop has taken out of platform `p`'s schema now.
    func driftedFields(platform p: Int, now: SimInstant) -> Set<FieldID> {
        var fields = Set<FieldID>()
        for fault in plan.faults where fault.isActive(at: now) && target(fault.kind) == p {
            if case .drift(let l, let drifted, let change, _) = fault.kind, change == .rename || change == .drop {
                fields.formUnion(drifted.isEmpty ? plan.links[l].fields : drifted)
            }
        }
        return fields
    }
}
