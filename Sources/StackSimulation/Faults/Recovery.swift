import MarTechModel
import PlatformFakes
import SimKernel

/// Recovery after a fault's window: replay of dead letters or a backfill, with or without firing journeys.
extension World {
    /// The team's recovery after the window: replay the dead letters as they were, or backfill
    /// from the source's current state (and, for a batch, run a catch-up sync at once).
    mutating func recover(link l: Int, fault k: Int, now: SimInstant, followUps: inout FollowUps<SimEvent>) {
        let fault = plan.faults[k]
        guard fault.recovery != .none else { return }
        let link = links[l].plan
        let quiet = fault.recoveryTriggersJourneys ? 0 : SimEvent.quietMark
        var kept: [DeadLetter] = []
        for d in links[l].deadLetters {
            guard Int(d.fault) == k else {
                kept.append(d)
                continue
            }
            var e = SimEvent(.streamArrives, index: l, customer: Int(d.customer))
            e.field = d.field
            e.tag = quiet
            if fault.recovery == .replay {
                e.value = d.value
                e.payload = Int32(truncatingIfNeeded: d.changeId)
            } else {
                e.value = copyValue(link.from, Int(d.customer), Int(d.field))
                e.payload = Int32(truncatingIfNeeded: copyChangeId(link.from, Int(d.customer), Int(d.field)))
            }
            e.aux = UInt32(
                clamping: max(
                    0,
                    now.millisecondsSinceStart
                        - (d.changeId >= 0 ? truth.changeTime(d.changeId) : now.millisecondsSinceStart)))
            followUps.schedule(e, at: now)
            adjustBacklog(l, by: 1, now: now)
            summary.faults[k].recordsReplayed += 1
            summary.links[l].replayed += 1
        }
        links[l].deadLetters = kept
        if fault.recovery == .backfill, case .batch = link.mode {
            var run = SimEvent(.batchSnapshot, index: l, payload: -1)
            run.tag = SimEvent.duplicateMark | quiet
            followUps.schedule(run, at: now)
        }
    }
}
