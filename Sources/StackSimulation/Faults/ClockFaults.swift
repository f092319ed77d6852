import MarTechModel
import PlatformFakes
import SimKernel

/// Clock faults: a platform that reads local times as UTC.
extension World {
    /// A clock fault on `platform` at `now`, if any.
    func clockFault(of platform: Int, at now: SimInstant) -> Int? {
        for k in topology.platformFaults[platform] where plan.faults[k].isActive(at: now) {
            if case .clockSkew = plan.faults[k].kind { return k }
        }
        return nil
    }

    /// The local clock offset a sender uses for a customer: the customer's own, or UTC while the
    /// sender has a clock fault (counted as a message the fault touched).
    mutating func senderClockOffset(executor p: Int, customer c: Int, at t: SimInstant) -> Int64 {
        if !plan.faults.isEmpty, let k = clockFault(of: p, at: t) {
            touch(k, customer: c)
            summary.faults[k].messagesAffected += 1
            return topology.startOfDayMilliseconds
        }
        return localClockOffset(c, at: t)
    }
}
