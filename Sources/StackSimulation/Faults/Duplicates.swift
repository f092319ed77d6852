import MarTechModel
import PlatformFakes
import SimKernel

/// Duplicate deliveries: a share of a link's records arrives again, late. Without an idempotent
/// destination the late copy overwrites newer values and fires journeys again.
extension World {
    /// After a delivery: a duplicate window may send the record again, later.
    mutating func maybeDuplicate(_ e: SimEvent, now: SimInstant, followUps: inout FollowUps<SimEvent>) {
        let l = e.link
        for k in links[l].faults where plan.faults[k].isActive(at: now) {
            guard case .duplicate(_, let share, let reorderBy) = plan.faults[k].kind else { continue }
            var random = faultRandom(k, UInt64(bitPattern: e.changeId) << 8 | UInt64(e.field))
            guard random.chance(share) else { continue }
            var copy = e
            copy.tag = SimEvent.duplicateMark
            copy.aux = UInt32(k)
            followUps.schedule(copy, at: now.advanced(by: reorderBy.sample(&random)))
            summary.faults[k].recordsDuplicated += 1
            summary.links[l].duplicates += 1
            touch(k, customer: e.customerIndex)
        }
    }

    /// A duplicated copy arrives. An idempotent destination ignores it; otherwise an older copy
    /// overwrites a newer value, and the same value fires the destination's journeys again.
    mutating func duplicateArrives(_ e: SimEvent, now: SimInstant, followUps: inout FollowUps<SimEvent>) {
        let l = e.link, c = e.customerIndex, f = e.fieldID, k = e.duplicatingFault
        let link = links[l].plan
        if link.idempotent { return }
        let id = e.changeId
        let current = copyChangeId(link.to, c, f)
        if current > id {
            links[l].faultMark[current] = Int16(k)
            recordDelivery(
                link: l, customer: c, field: f, changeId: id, value: e.value, sentAt: truth.changeTime(id), now: now,
                batch: -1)
            applyToCopy(
                platform: link.to, customer: c, field: f, value: e.value, changeId: id, now: now, followUps: &followUps)
            return
        }
        for t in topology.triggers[link.to][f] where t.value == e.value {
            var again = SimEvent(.stepCheck, index: t.step, customer: c, payload: Int32(k))
            again.tag = SimEvent.duplicateMark
            followUps.schedule(again, at: now.advanced(by: t.buffer))
        }
    }
}
