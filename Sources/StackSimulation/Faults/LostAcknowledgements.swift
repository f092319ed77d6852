import MarTechModel
import SimKernel

/// Lost acknowledgements: the platform sent the message but the sender never heard so.
extension World {
    /// A send whose acknowledgement is lost: the sender retries after a while and, unless the
    /// platform deduplicates by message id, the customer gets it twice.
    mutating func loseAcknowledgement(
        touchpoint: Int64, customer c: Int, step s: Int, decidedAt: SimInstant, now: SimInstant,
        followUps: inout FollowUps<SimEvent>
    ) {
        let executor = plan.campaign.steps[s].executor
        for k in topology.platformFaults[executor] where plan.faults[k].isActive(at: now) {
            guard case .lostAcknowledgement(_, let share, let retryAfter) = plan.faults[k].kind else { continue }
            var random = faultRandom(k, UInt64(bitPattern: touchpoint))
            guard random.chance(share) else { continue }
            summary.faults[k].retries += 1
            touch(k, customer: c)
            if platforms[executor].plan.deduplicatesSends { continue }
            var entry = PendingDelivery(
                touchpoint: -1, customer: Int32(c), step: Int16(s), decidedAt: decidedAt.millisecondsSinceStart,
                basis: [])
            entry.duplicateFault = Int16(k)
            hold(entry, until: now.advanced(by: retryAfter), followUps: &followUps)
        }
    }
}
