import MarTechModel
import PlatformFakes
import SimKernel

/// Schema drift under link contracts: renamed, dropped, retyped or newly required fields, new
/// enum values and changed identities, each handled by the link's `on_contract_violation`.
extension World {
    /// What a link does with a record that breaks its contract.
    enum ContractAction { case drop, deadLetter, null }

    /// Whether the record of `field` for `customer` breaks the link's contract at `now`, and what
    /// the link's policy does with it.
    mutating func contractBreach(link l: Int, customer c: Int, field f: Int, now: SimInstant) -> (Int, ContractAction)?
    {
        for k in links[l].faults where plan.faults[k].isActive(at: now) {
            guard case .drift(_, let fields, let change, let share) = plan.faults[k].kind else { continue }
            guard fields.isEmpty || fields.contains(f) || change == .requiredAdded else { continue }
            if share != .always {
                var random = faultRandom(k, UInt64(c))
                guard random.chance(share) else { continue }
            }
            summary.links[l].contractViolations += 1
            touch(k, customer: c)
            switch links[l].plan.onContractViolation {
            case .reject: return (k, .drop)
            case .deadLetter: return (k, .deadLetter)
            case .coerce where change.isCoercible: continue
            case .null, .coerce:
                // A record whose identity no longer matches cannot be nulled into the right profile, and a
                // null cannot fill a newly required field: those records are lost.
                return (k, change == .identityChanged || change == .requiredAdded ? .drop : .null)
            }
        }
        return nil
    }
}
