import Histogram
import MarTechModel
import PlatformFakes
import SimKernel

/// Journey steps: who the deciding platform picks, what the executing platform lets through,
/// when the message arrives, and how the customer responds.
extension World {
    mutating func armSteps(followUps: inout FollowUps<SimEvent>) {
        for (i, s) in plan.campaign.steps.enumerated() {
            if case .at(let t) = s.trigger, t <= plan.horizon { followUps.schedule(SimEvent(.stepAt, index: i), at: t) }
        }
    }

    mutating func stepAt(_ e: SimEvent, now: SimInstant, followUps: inout FollowUps<SimEvent>) {
        for c in 0..<customerCount { attemptSend(step: e.step, customer: c, now: now, followUps: &followUps) }
    }

    /// One customer, one step: decide on the deciding platform's copy, gate on the executor's.
    ///
    /// `reentry` is the fault whose duplicated delivery fired the step again (-1: none): a
    /// destination without idempotency sends the step a second time.
    mutating func attemptSend(
        step s: Int, customer c: Int, now: SimInstant, reentry: Int? = nil, followUps: inout FollowUps<SimEvent>
    ) {
        let word = c >> 6, bit = UInt64(1) << UInt64(c & 63)
        let alreadySent = stepSent[s][word] & bit != 0
        if alreadySent && reentry == nil { return }
        let step = plan.campaign.steps[s]
        if !plan.faults.isEmpty, let k = outage(of: step.decidedBy, at: now) ?? outage(of: step.executor, at: now) {
            deferStep(s, customer: c, reentry: reentry, pastOutage: k, followUps: &followUps)
            return
        }
        funnel(s, .evaluated)
        guard copyHolds(step.decidedBy, c, topology.stepAudience[s]) else {
            if case .at = step.trigger { checkMissed(step: s, customer: c, now: now, hiddenByConsent: false) }
            return
        }
        funnel(s, .inAudience)
        guard !stepSkips(step, customer: c, now: now) else {
            funnel(s, .skipped)
            return
        }
        guard let decidedAt = executorAdmits(step, index: s, customer: c, now: now) else {
            funnel(s, .heldBack)
            return
        }
        funnel(s, .sent)
        stepSent[s][word] |= bit
        if let slot = topology.lastSentSlot[s] { lastSent[slot][c] = now.millisecondsSinceStart }
        let touchpoint = touchpointNext
        touchpointNext += 1
        dispatch(
            touchpoint: touchpoint, step: s, executor: step.executor, customer: c, now: now, decidedAt: decidedAt,
            duplicateFault: alreadySent ? reentry : nil, followUps: &followUps)
    }

    /// Completes the run's figures at its end (links, faults, the step funnel), for runs and serve sessions alike.
    mutating func finishFigures() {
        finishLinkFigures()
        finishFaultFigures()
        let stages = FunnelStage.allCases.count
        summary.stepFunnel = plan.campaign.steps.indices.map { Array(funnelCounts[$0 * stages..<($0 + 1) * stages]) }
    }

    /// Counts one decision reaching `stage` (a flat array here; `finishFigures` hands it to the summary).
    @inline(__always) mutating func funnel(_ step: Int, _ stage: FunnelStage) {
        funnelCounts[step * FunnelStage.allCases.count + stage.rawValue] += 1
    }

    /// The platform is down: the step runs when it is back (or never, past the horizon).
    private mutating func deferStep(
        _ s: Int, customer c: Int, reentry: Int?, pastOutage k: Int, followUps: inout FollowUps<SimEvent>
    ) {
        if plan.faults[k].end <= plan.horizon {
            var later = SimEvent(.stepCheck, index: s, customer: c, payload: Int32(reentry ?? -1))
            later.tag = reentry != nil ? SimEvent.duplicateMark : 0
            followUps.schedule(later, at: plan.faults[k].end)
        }
        summary.faults[k].messagesAffected += 1
        touch(k, customer: c)
    }

    /// The step's own reasons to pass a customer by: no device for push, under the minimum age,
    /// a sibling sent within its window, or a message already opened.
    @inline(__always) private func stepSkips(_ step: borrowing StepPlan, customer c: Int, now: SimInstant) -> Bool {
        if step.channel == .push && !PushKind.reaches(device: profiles.device[c]) { return true }
        if let minimum = plan.campaign.minimumAge, Int(profiles.age[c]) < minimum { return true }
        if let rule = step.skipIfSent, let slot = topology.lastSentSlot[rule.step] {
            let last = lastSent[slot][c]
            if last >= 0 && now.millisecondsSinceStart - last <= rule.within.milliseconds { return true }
        }
        // The deciding platform knows of the open only if it sent that message or a link told it.
        if let other = step.skipIfOpened, topology.openedField[other] >= 0,
            copyValue(step.decidedBy, c, topology.openedField[other]) == 1
        {
            return true
        }
        return false
    }

    /// The executing platform's rules (consent copy, consent lookup, its frequency cap) and the
    /// orchestrator's cap: when the decision is final, or nil if the message is held back.
    mutating func executorAdmits(_ step: borrowing StepPlan, index s: Int, customer c: Int, now: SimInstant)
        -> SimInstant?
    {
        let executor = step.executor
        let channelIndex = Int(step.channel.rawValue)
        var decidedAt = now
        if let cf = consentField(step.channel) {
            let rules = platforms[executor].plan
            let ownCopy = copyValue(executor, c, cf)
            var lookup: (latency: SimDuration, answer: UInt8)?
            if rules.passesOwnConsentCopy(ownCopy), let rule = rules.consentLookup {
                lookup = (rule.latency.sample(&cores[random: c]), copyValue(rule.platform, c, cf))
            }
            switch rules.consentDecision(now: now, ownCopy: ownCopy, lookup: lookup) {
            case .send(let at):
                decidedAt = at
            case .refuse(let reason):
                summary.suppressedByChannel[channelIndex] += 1
                if reason == .ownConsentCopy, case .at = step.trigger {
                    checkMissed(step: s, customer: c, now: now, hiddenByConsent: true)
                }
                return nil
            }
        }
        if case .refuse = platforms[executor].admitUnderCap(customer: c, at: now) {
            summary.suppressedByChannel[channelIndex] += 1
            return nil
        }
        if let cap = enforcedCap {
            if !cap.allows(c, at: now) {
                summary.suppressedByChannel[channelIndex] += 1
                return nil
            }
            enforcedCap!.recordSend(c, at: now)
        }
        return decidedAt
    }

    /// A decided message: delivered now, or held until the sender's queue (or the lookup's answer) releases it.
    mutating func dispatch(
        touchpoint: Int64, step s: Int, executor: Int, customer c: Int, now: SimInstant, decidedAt: SimInstant,
        duplicateFault: Int?, followUps: inout FollowUps<SimEvent>
    ) {
        func held(awaitingHandover: Bool) -> PendingDelivery {
            var entry = PendingDelivery(
                touchpoint: touchpoint, customer: Int32(c), step: Int16(s), decidedAt: now.millisecondsSinceStart,
                basis: platforms[executor].plan.rechecksOnRelease
                    ? [] : decisionBasis(step: s, customer: c, now: now))
            entry.duplicateFault = duplicateFault.map { Int16($0) }
            entry.awaitingHandover = awaitingHandover
            return entry
        }
        let deliveredAt: SimInstant
        if platforms[executor].sender.isImmediate {
            deliveredAt = decidedAt
        } else if decidedAt > now {
            // The lookup answers later: the message reaches the sender's queue then, not now.
            hold(held(awaitingHandover: true), until: decidedAt, followUps: &followUps)
            return
        } else {
            let offset = senderClockOffset(executor: executor, customer: c, at: decidedAt)
            deliveredAt = platforms[executor].sender.deliveryTime(decidedAt: decidedAt, localClockOffset: offset)
        }
        if deliveredAt == now {
            deliver(
                touchpoint: touchpoint, customer: c, step: s, decidedAt: now, judgedAt: now, basis: [], now: now,
                duplicateFault: duplicateFault, followUps: &followUps)
        } else {
            hold(held(awaitingHandover: false), until: deliveredAt, followUps: &followUps)
        }
    }

    /// Parks a decided message until `at`.
    mutating func hold(_ entry: PendingDelivery, until at: SimInstant, followUps: inout FollowUps<SimEvent>) {
        let slot: Int32
        if let free = pendingFree.popLast() {
            slot = free
            pending[Int(slot)] = entry
        } else {
            slot = Int32(pending.count)
            pending.append(entry)
        }
        followUps.schedule(SimEvent(.deliver, payload: slot), at: at)
    }

    mutating func deliverPending(_ e: SimEvent, now: SimInstant, followUps: inout FollowUps<SimEvent>) {
        let entry = pending[e.pendingSlot]
        let step = plan.campaign.steps[Int(entry.step)]
        if !plan.faults.isEmpty, let k = outage(of: step.executor, at: now) {
            // The sender is down: the message goes out when it is back.
            if plan.faults[k].end <= plan.horizon {
                followUps.schedule(e, at: plan.faults[k].end)
            } else {
                pendingFree.append(e.payload)
            }
            summary.faults[k].messagesAffected += 1
            touch(k, customer: Int(entry.customer))
            return
        }
        let c = Int(entry.customer)
        if entry.awaitingHandover {
            // The lookup answers with what the master record says now, not when it was asked.
            if let lookup = platforms[step.executor].plan.consentLookup, let cf = consentField(step.channel),
                copyValue(lookup.platform, c, cf) == 0
            {
                pendingFree.append(e.payload)
                summary.suppressedByChannel[Int(step.channel.rawValue)] += 1
                return
            }
            // The lookup answered: the sender queues it now, behind quiet hours and throughput.
            let offset = senderClockOffset(executor: step.executor, customer: c, at: now)
            let at = platforms[step.executor].sender.deliveryTime(decidedAt: now, localClockOffset: offset)
            pending[e.pendingSlot].awaitingHandover = false
            if at > now {
                followUps.schedule(e, at: at)
                return
            }
            return deliverPending(e, now: now, followUps: &followUps)
        }
        pendingFree.append(e.payload)
        let decidedAt = SimInstant(millisecondsSinceStart: entry.decidedAt)
        if let copyFault = entry.duplicateFault {
            // A second copy goes out as it is: the sender does not check it again.
            var touchpoint = entry.touchpoint
            if touchpoint < 0 {
                touchpoint = touchpointNext
                touchpointNext += 1
            }
            deliver(
                touchpoint: touchpoint, customer: c, step: Int(entry.step), decidedAt: decidedAt, judgedAt: now,
                basis: [],
                now: now, duplicateFault: Int(copyFault), followUps: &followUps)
            return
        }
        if platforms[step.executor].plan.rechecksOnRelease {
            guard stillQualifies(step: Int(entry.step), customer: c) else {
                summary.suppressedByChannel[Int(step.channel.rawValue)] += 1
                return
            }
            // Checked again just now: the release is the decision the oracle judges.
            deliver(
                touchpoint: entry.touchpoint, customer: c, step: Int(entry.step), decidedAt: decidedAt, judgedAt: now,
                basis: [],
                now: now, followUps: &followUps)
            return
        }
        deliver(
            touchpoint: entry.touchpoint, customer: c, step: Int(entry.step), decidedAt: decidedAt, judgedAt: decidedAt,
            basis: entry.basis, now: now, followUps: &followUps)
    }

    /// Whether a held message still passes the decider's audience, the executor's consent copy
    /// and, where it has one, its consent lookup, at release time.
    func stillQualifies(step s: Int, customer c: Int) -> Bool {
        let step = plan.campaign.steps[s]
        guard copyHolds(step.decidedBy, c, topology.stepAudience[s]) else { return false }
        if platforms[step.executor].plan.checksConsent, let cf = consentField(step.channel),
            copyValue(step.executor, c, cf) == 0
        {
            return false
        }
        // A platform with a consent lookup asks the master record again before it releases a held message.
        if let lookup = platforms[step.executor].plan.consentLookup, let cf = consentField(step.channel),
            copyValue(lookup.platform, c, cf) == 0
        {
            return false
        }
        return true
    }

    /// The message reaches the customer: the oracle judges it, then the customer responds.
    ///
    /// `judgedAt` is the last time a platform checked the message (the decision, or its release
    /// from a hold when the platform re-checks): causes are read as of then.
    mutating func deliver(
        touchpoint: Int64, customer c: Int, step s: Int, decidedAt: SimInstant, judgedAt: SimInstant,
        basis: [DecisionBasis],
        now: SimInstant, duplicateFault: Int? = nil, followUps: inout FollowUps<SimEvent>
    ) {
        let step = plan.campaign.steps[s]
        judge(touchpoint: touchpoint, customer: c, step: s, decidedAt: judgedAt, deliveredAt: now, basis: basis)
        if options.logsViewChanges && step.isClientSent { clientDeliveries.append((touchpoint, now)) }
        if let k = duplicateFault {
            if options.runsOracle {
                record(
                    oracleDuplicateSend(
                        touchpoint: touchpoint, customer: c, step: s, fault: k, judgedAt: judgedAt, now: now))
            }
            summary.faults[k].messagesAffected += 1
            touch(k, customer: c)
        } else if !topology.platformFaults[step.executor].isEmpty {
            loseAcknowledgement(
                touchpoint: touchpoint, customer: c, step: s, decidedAt: decidedAt, now: now, followUps: &followUps)
        }
        var record = TouchpointRecord(
            id: touchpoint, customer: Int32(c), step: Int16(s), channel: step.channel, platform: UInt16(step.executor),
            decidedAt: decidedAt.millisecondsSinceStart, deliveredAt: now.millisecondsSinceStart)
        if let response = plan.behavior.responses[step.channel] {
            respond(
                response, record: &record, channel: step.channel, executor: step.executor, now: now,
                followUps: &followUps)
        }
        recorder.batch.touchpoints.append(record)
        recorder.counted()
        summary.touchpointsByChannel[Int(step.channel.rawValue)] += 1
        _ = figures.platformLatency[step.executor].record(
            UInt64(max(0, now.millisecondsSinceStart - decidedAt.millisecondsSinceStart)))
        let day = Int(now.millisecondsSinceStart / 86_400_000)
        if day < summary.platforms[step.executor].perDay.count { summary.platforms[step.executor].perDay[day] += 1 }
    }

    /// Draws the customer's response from their own generator and schedules its effects.
    mutating func respond(
        _ r: ResponsePlan, record: inout TouchpointRecord, channel: Channel, executor: Int, now: SimInstant,
        followUps: inout FollowUps<SimEvent>
    ) {
        let c = Int(record.customer)
        var random = cores[random: c]
        defer { cores[random: c] = random }
        record.opened = random.chance(r.open)
        // An open sets `opened.<step>` in the truth; the sender sees it at once (it tracks opens).
        let s = Int(record.step)
        if record.opened, s >= 0, s < topology.openedField.count, topology.openedField[s] >= 0 {
            var e = SimEvent(.responseChange, index: executor + 1, customer: c, payload: Int32(truncatingIfNeeded: record.id))
            (e.field, e.value) = (UInt8(topology.openedField[s]), 1)
            followUps.schedule(e, at: now.advanced(by: r.openDelay.sample(&random)))
        }
        record.clicked = record.opened && random.chance(r.clickGivenOpen)
        record.converted = (record.clicked && random.chance(r.convertGivenClick)) || random.chance(r.convert)
        record.optedOut = random.chance(r.optOut)
        if record.converted, let goal = plan.campaign.goal {
            var e = SimEvent(.responseChange, customer: c, payload: Int32(truncatingIfNeeded: record.id))
            e.field = UInt8(goal.field)
            e.value = goal.value
            followUps.schedule(e, at: now.advanced(by: r.convertDelay.sample(&random)))
        }
        if record.optedOut, let f = consentField(channel) {
            // The executing platform receives the unsubscribe or the STOP itself, at once.
            var e = SimEvent(
                .responseChange, index: executor + 1, customer: c, payload: Int32(truncatingIfNeeded: record.id))
            e.field = UInt8(f)
            e.value = 0
            followUps.schedule(e, at: now.advanced(by: r.optOutDelay.sample(&random)))
        }
    }
}
