import MarTechModel
import PlatformFakes
import SimKernel

/// Truth changes and how they spread: behaviour processes, observers, copies, cascades.
extension World {
    /// Schedules every applicable behaviour process for every customer at the start.
    mutating func armProcesses(followUps: inout FollowUps<SimEvent>) {
        guard topology.processCount > 0 else { return }
        for c in 0..<customerCount {
            for p in 0..<topology.processCount { rearm(process: p, customer: c, now: .start, followUps: &followUps) }
        }
    }

    /// Schedules or cancels one process for one customer after its inputs changed.
    ///
    /// Waiting times are memoryless, so cancelling and drawing again later is exact.
    @inline(__always)
    mutating func rearm(process p: Int, customer c: Int, now: SimInstant, followUps: inout FollowUps<SimEvent>) {
        let process = plan.behavior.processes[p]
        let applicable = truth.value(c, process.field) != process.value && truth.holds(c, process.requires)
        let pendingNow = cores[token: c, p] & 1 == 1
        if applicable && !pendingNow {
            cores[token: c, p] &+= 1
            let wait = cores[random: c].exponential(mean: 1 / process.ratePerMillisecond)
            let due = now.advanced(by: SimDuration(roundingMilliseconds: wait))
            // A firing past the horizon would never run: keep it pending without queueing it.
            if due <= plan.horizon {
                var e = SimEvent(.processFires, index: p, customer: c, payload: Int32(bitPattern: cores[token: c, p]))
                e.aux = 0
                followUps.schedule(e, at: due)
            }
        } else if !applicable && pendingNow {
            cores[token: c, p] &+= 1
        }
    }

    mutating func processFires(_ e: SimEvent, now: SimInstant, followUps: inout FollowUps<SimEvent>) {
        let c = e.customerIndex, p = e.process
        guard cores[token: c, p] == UInt32(bitPattern: e.payload) else { return }
        cores[token: c, p] &+= 1
        let process = plan.behavior.processes[p]
        let changed = changeTruth(
            customer: c, field: process.field, to: process.value, now: now, cause: .behavior, causeRef: Int64(p),
            observedBy: process.observedBy, followUps: &followUps)
        if changed, let goal = plan.campaign.goal, goal.field == process.field, goal.value == process.value {
            summary.conversionsOrganic += 1
        }
    }

    mutating func responseChange(_ e: SimEvent, now: SimInstant, followUps: inout FollowUps<SimEvent>) {
        let observer = e.observer
        let changed = changeTruth(
            customer: e.customerIndex, field: e.fieldID, to: e.value, now: now, cause: .response,
            causeRef: e.touchpointId, observedBy: observer, followUps: &followUps)
        if changed, let goal = plan.campaign.goal, goal.field == e.fieldID, goal.value == e.value {
            summary.conversionsAfterMessage += 1
        }
    }

    /// Changes one field of the truth and spreads it. Returns false when the value was already so.
    @discardableResult
    mutating func changeTruth(
        customer c: Int, field f: FieldID, to value: UInt8, now: SimInstant, cause: TruthChangeCause, causeRef: Int64,
        observedBy: Int?, origin: TruthChangeCause? = nil, followUps: inout FollowUps<SimEvent>
    ) -> Bool {
        let old = truth.value(c, f)
        if old == value { return false }
        // Impressions served so far were served under the old truth: settle them first.
        if topology.impressionTruthField[f] { settleImpressions(customer: c, now: now, followUps: &followUps) }
        let id = truth.change(c, f, to: value, at: now)
        recorder.batch.truthChanges.append(
            TruthChangeRecord(
                id: id, customer: Int32(c), field: UInt16(f), oldValue: old, newValue: value,
                at: now.millisecondsSinceStart, cause: cause, causeRef: causeRef))
        recorder.counted()
        summary.truthChanges += 1

        for p in topology.processesByField[f] { rearm(process: p, customer: c, now: now, followUps: &followUps) }
        for l in topology.truthLinks[f] {
            enqueue(link: l, customer: c, field: f, value: value, changeId: id, now: now, followUps: &followUps)
        }
        for p in topology.observersByField[f] {
            copyChanged(platform: p, customer: c, field: f, value: value, changeId: id, now: now, followUps: &followUps)
        }
        if let o = observedBy, platforms[o].copy.isStored(f) {
            applyToCopy(platform: o, customer: c, field: f, value: value, changeId: id, now: now, followUps: &followUps)
        }
        // A cascade comes from where the change that set it off came from.
        let source = origin ?? cause
        for (p, from) in topology.sourceObserversByField[f] where from == source && p != observedBy {
            applyToCopy(platform: p, customer: c, field: f, value: value, changeId: id, now: now, followUps: &followUps)
        }
        for cascade in plan.behavior.cascades where cascade.when.field == f && cascade.when.value == value {
            changeTruth(
                customer: c, field: cascade.then.field, to: cascade.then.value, now: now, cause: .cascade,
                causeRef: id, observedBy: nil, origin: source, followUps: &followUps)
        }
        return true
    }

    /// Writes a received value into a platform's copy and spreads it onwards.
    mutating func applyToCopy(
        platform p: Int, customer c: Int, field f: FieldID, value: UInt8, changeId: Int64, now: SimInstant,
        firesJourneys: Bool = true, followUps: inout FollowUps<SimEvent>
    ) {
        // A platform that observes this field sees the truth itself: a synced copy adds nothing.
        guard platforms[p].copy.isStored(f) else { return }
        let affectsImpressions = impressionCopyFieldsTouch(platform: p, field: f)
        if affectsImpressions { settleImpressions(customer: c, now: now, followUps: &followUps) }
        // The same version arriving again (by a second path, or round a cycle of links) changes
        // nothing to pass on: links carry only what is new, so a cycle cannot circle for ever.
        let isNews =
            platforms[p].copy.storedChangeId(c, f) != Int64(Int32(truncatingIfNeeded: changeId))
            || platforms[p].copy.storedValue(c, f) != value
        platforms[p].copy.store(c, f, value: value, changeId: changeId)
        if affectsImpressions { refreshServing(customer: c, now: now, followUps: &followUps) }
        copyChanged(
            platform: p, customer: c, field: f, value: value, changeId: changeId, now: now,
            firesJourneys: firesJourneys,
            feedsLinks: isNews, followUps: &followUps)
    }

    /// A platform's view of a field changed: feed its outgoing links and its triggered steps.
    mutating func copyChanged(
        platform p: Int, customer c: Int, field f: FieldID, value: UInt8, changeId: Int64, now: SimInstant,
        firesJourneys: Bool = true, feedsLinks: Bool = true, followUps: inout FollowUps<SimEvent>
    ) {
        if options.logsViewChanges {
            modifiedAt[p][c] = now.millisecondsSinceStart
            viewChanges.append(
                ViewChange(platform: p, customer: c, field: f, value: value, at: now, changeId: changeId))
        }
        if feedsLinks {
            for l in topology.outgoingLinks[p][f] {
                enqueue(
                    link: l, customer: c, field: f, value: value, changeId: changeId, now: now, followUps: &followUps)
            }
        }
        guard firesJourneys else { return }
        for t in topology.triggers[p][f] where t.value == value {
            followUps.schedule(SimEvent(.stepCheck, index: t.step, customer: c), at: now.advanced(by: t.buffer))
        }
    }

    @inline(__always) func impressionCopyFieldsTouch(platform p: Int, field f: FieldID) -> Bool {
        topology.impressionCopyField[p][f]
    }
}
