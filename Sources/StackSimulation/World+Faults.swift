import MarTechModel
import PlatformFakes
import SimKernel

/// Injected faults: where each one bites, what it touched, and the evidence the oracle reads.
///
/// Every random draw a fault makes comes from a generator keyed by (seed, fault, record), not
/// from the customers' generators: adding or tuning a fault leaves customer behaviour as it was,
/// so a sweep compares like with like.
extension World {
    /// The value a nulled field holds: a change id below -1 names the fault that nulled it.
    @inline(__always) static func nulledChangeId(_ fault: Int) -> Int64 { -2 - Int64(fault) }

    /// Wires each fault to the links it can touch and schedules the close of every window.
    mutating func armFaults(followUps: inout FollowUps<SimEvent>) {
        for (k, fault) in plan.faults.enumerated() {
            for l in links.indices where touches(fault, link: links[l].plan) { links[l].faults.append(k) }
            if fault.end <= plan.horizon { followUps.schedule(SimEvent(.faultEdge, index: k), at: fault.end) }
        }
    }

    private func touches(_ fault: FaultPlan, link: LinkPlan) -> Bool {
        switch fault.kind {
        case .outage(let p): return p == link.to || p == link.from
        case .pause(let l), .linkOutage(let l), .degrade(let l, _, _, _), .rateLimit(let l, _, _),
            .duplicate(let l, _, _),
            .drift(let l, _, _, _):
            return plan.links[l].name == link.name
        case .lostAcknowledgement, .clockSkew: return false
        }
    }

    /// The oracle's cause for a record a fault of this kind touched.
    func cause(ofFault k: Int) -> MisfireCause {
        switch plan.faults[k].kind {
        case .outage, .linkOutage: .outage
        case .pause: .linkPaused
        case .degrade: .linkErrors
        case .rateLimit: .rateLimited
        case .duplicate: .duplicateDelivery
        case .lostAcknowledgement: .lostAcknowledgement
        case .drift: .schemaDrift
        case .clockSkew: .clockFault
        }
    }

    /// Counts a customer as touched by fault `k` (once) and returns whether this was the first time.
    @discardableResult
    mutating func touch(_ k: Int, customer c: Int) -> Bool {
        let word = (c >> 6), bit = UInt64(1) << UInt64(c & 63)
        if faultTouched[k][word] & bit != 0 { return false }
        faultTouched[k][word] |= bit
        summary.faults[k].customersAffected += 1
        return true
    }

    @inline(__always) func faultRandom(_ k: Int, _ key: UInt64) -> SeededRandom {
        SeededRandom(seed: plan.seed, stream: 1000 + UInt64(k), key)
    }

    // MARK: - Windows

    /// An outage of `platform` open at `now`, if any.
    func outage(of platform: Int, at now: SimInstant) -> Int? {
        for k in topology.platformFaults[platform] where plan.faults[k].isActive(at: now) {
            if case .outage = plan.faults[k].kind { return k }
        }
        return nil
    }

    /// A clock fault on `platform` at `now`, if any.
    func clockFault(of platform: Int, at now: SimInstant) -> Int? {
        for k in topology.platformFaults[platform] where plan.faults[k].isActive(at: now) {
            if case .clockSkew = plan.faults[k].kind { return k }
        }
        return nil
    }

    /// The fault that makes a request on link `l` fail at `now` (a pause, an outage of the
    /// destination, or of the source for a batch export, or an error draw), if any.
    func failure(link l: Int, at now: SimInstant, key: UInt64, includeSource: Bool) -> Int? {
        let link = links[l].plan
        for k in links[l].faults where plan.faults[k].isActive(at: now) {
            switch plan.faults[k].kind {
            case .pause, .linkOutage: return k
            case .outage(let p) where p == link.to || (includeSource && p == link.from): return k
            case .degrade(_, let rate, _, _):
                var random = faultRandom(k, key)
                if random.chance(rate) { return k }
            default: continue
            }
        }
        return nil
    }

    /// A stream delivery's latency through degradation windows and rate limits open at `now`.
    mutating func shapeStreamDelay(link l: Int, customer c: Int, changeId: Int64, now: SimInstant, latency: SimDuration)
        -> SimDuration
    {
        var delay = latency
        for k in links[l].faults where plan.faults[k].isActive(at: now) {
            switch plan.faults[k].kind {
            case .degrade(_, _, let factor, let jitter):
                var random = faultRandom(k, UInt64(bitPattern: changeId) &+ 0x5EED)
                let extra = jitter?.sample(&random) ?? .zero
                let slowed = SimDuration(roundingMilliseconds: Double(delay.milliseconds) * factor) + extra
                if slowed > delay {
                    summary.faults[k].recordsDelayed += 1
                    links[l].faultMark[changeId] = Int16(k)
                    touch(k, customer: c)
                }
                delay = slowed
            case .rateLimit(_, let perSecond, let exponential):
                // A FIFO queue with one server: Lindley's recursion, no extra events.
                let mean = 1000 / perSecond
                var random = faultRandom(k, UInt64(bitPattern: changeId))
                let service = exponential ? random.exponential(mean: mean) : mean
                let arrival = Double(now.millisecondsSinceStart)
                let start = max(arrival, links[l].serverFreeAt)
                links[l].serverFreeAt = start + service
                let wait = start - arrival
                faultQueueWait[k] += wait
                summary.faults[k].queueRequests += 1
                if wait > 0 {
                    summary.faults[k].requestsThrottled += 1
                    summary.links[l].throttled += 1
                    links[l].faultMark[changeId] = Int16(k)
                    touch(k, customer: c)
                }
                delay = delay + SimDuration(roundingUpMilliseconds: start + service - arrival)
            default:
                continue
            }
        }
        return delay
    }

    // MARK: - Stream deliveries

    /// Runs a stream record through the faults on its link. Returns false when a fault took it
    /// (held by a pause, failed and retried, dead-lettered or rejected); may null its value.
    mutating func admitStream(_ e: inout SimEvent, sentAt: Int64, now: SimInstant, followUps: inout FollowUps<SimEvent>)
        -> Bool
    {
        let l = Int(e.index), c = Int(e.customer), f = Int(e.field)
        let changeId = Int64(e.payload)
        let attempt = Int(e.tag & SimEvent.attemptMask)
        if let k = failure(
            link: l, at: now, key: UInt64(bitPattern: changeId) << 6 | UInt64(attempt), includeSource: false)
        {
            links[l].faultMark[changeId] = Int16(k)
            touch(k, customer: c)
            if attempt == 0 { summary.faults[k].recordsDelayed += 1 }
            if case .pause = plan.faults[k].kind {
                // A paused connector keeps its place and resumes when the window closes.
                links[l].held.append((e, sentAt))
                summary.faults[k].requestsThrottled += 1
                return false
            }
            let policy = links[l].plan.retry
            if attempt < min(policy.attempts, Int(SimEvent.attemptMask)) {
                var random = faultRandom(k, UInt64(bitPattern: changeId) &* 31 &+ UInt64(attempt))
                var retry = e
                retry.tag = (e.tag & ~SimEvent.attemptMask) | UInt8(attempt + 1)
                let wait = policy.wait(attempt: attempt + 1, unit: random.unit())
                retry.aux = UInt32(clamping: now.millisecondsSinceStart + wait.milliseconds - sentAt)
                followUps.schedule(retry, at: now.advanced(by: wait))
                summary.faults[k].retries += 1
                summary.links[l].retries += 1
                return false
            }
            deadLetter(e, fault: k, now: now)
            return false
        }
        guard let (k, action) = contractBreach(link: l, customer: c, field: f, now: now) else { return true }
        links[l].faultMark[changeId] = Int16(k)
        switch action {
        case .drop:
            summary.faults[k].recordsDropped += 1
            adjustBacklog(l, by: -1, now: now)
            return false
        case .deadLetter:
            deadLetter(e, fault: k, now: now)
            return false
        case .null:
            summary.faults[k].recordsNulled += 1
            e.value = 0
            e.payload = Int32(truncatingIfNeeded: World.nulledChangeId(k))
            return true
        }
    }

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

    /// A stream record leaves the link for its dead-letter queue.
    mutating func deadLetter(_ e: SimEvent, fault k: Int, now: SimInstant) {
        deadLetter(
            link: Int(e.index), customer: Int(e.customer), field: Int(e.field), value: e.value,
            changeId: Int64(e.payload), fault: k)
        adjustBacklog(Int(e.index), by: -1, now: now)
    }

    /// Keeps a record in link `l`'s dead-letter queue and counts it.
    mutating func deadLetter(link l: Int, customer c: Int, field f: Int, value: UInt8, changeId: Int64, fault k: Int) {
        links[l].deadLetters.append(
            DeadLetter(customer: Int32(c), field: UInt8(f), value: value, changeId: changeId, fault: Int16(k)))
        summary.faults[k].recordsDeadLettered += 1
        summary.links[l].deadLetters += 1
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

    /// After a delivery: a duplicate window may send the record again, later.
    mutating func maybeDuplicate(_ e: SimEvent, now: SimInstant, followUps: inout FollowUps<SimEvent>) {
        let l = Int(e.index)
        for k in links[l].faults where plan.faults[k].isActive(at: now) {
            guard case .duplicate(_, let share, let reorderBy) = plan.faults[k].kind else { continue }
            var random = faultRandom(k, UInt64(bitPattern: Int64(e.payload)) << 8 | UInt64(e.field))
            guard random.chance(share) else { continue }
            var copy = e
            copy.tag = SimEvent.duplicateMark
            copy.aux = UInt32(k)
            followUps.schedule(copy, at: now.advanced(by: reorderBy.sample(&random)))
            summary.faults[k].recordsDuplicated += 1
            summary.links[l].duplicates += 1
            touch(k, customer: Int(e.customer))
        }
    }

    /// A duplicated copy arrives. An idempotent destination ignores it; otherwise an older copy
    /// overwrites a newer value, and the same value fires the destination's journeys again.
    mutating func duplicateArrives(_ e: SimEvent, now: SimInstant, followUps: inout FollowUps<SimEvent>) {
        let l = Int(e.index), c = Int(e.customer), f = Int(e.field), k = Int(e.aux)
        let link = links[l].plan
        if link.idempotent { return }
        let id = Int64(e.payload)
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

    // MARK: - Window close: resume, replay, backfill

    mutating func faultWindowCloses(_ e: SimEvent, now: SimInstant, followUps: inout FollowUps<SimEvent>) {
        let k = Int(e.index)
        for l in links.indices where links[l].faults.contains(k) {
            // A paused stream resumes where it stopped, in order.
            let held = links[l].held
            links[l].held.removeAll()
            for (var r, sentAt) in held {
                r.aux = UInt32(clamping: now.millisecondsSinceStart - sentAt)
                followUps.schedule(r, at: now)
            }
            recover(link: l, fault: k, now: now, followUps: &followUps)
        }
    }

    /// The team's recovery after the window: replay the dead letters as they were, or backfill
    /// from the source's current state (and, for a batch, run a catch-up sync at once).
    private mutating func recover(link l: Int, fault k: Int, now: SimInstant, followUps: inout FollowUps<SimEvent>) {
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

    // MARK: - Attribution

    /// The fault behind a link cause, from the link's evidence, if there is one.
    func faultBehind(link l: Int, customer c: Int, field f: Int, change: Int64) -> Int? {
        guard l >= 0, links[l].hasFaults else { return nil }
        let held = copyChangeId(links[l].plan.to, c, f)
        if held <= -2 { return Int(-2 - held) }
        if let k = links[l].faultMark[change] { return Int(k) }
        if case .batch = links[l].plan.mode, change >= 0, truth.changeTime(change) < links[l].failedRunAt {
            return links[l].failedRunFault >= 0 ? links[l].failedRunFault : nil
        }
        return nil
    }

    /// Completes the fault figures at the end of the run.
    mutating func finishFaultFigures() {
        for k in plan.faults.indices where summary.faults[k].queueRequests > 0 {
            summary.faults[k].queueWaitMeanMs = faultQueueWait[k] / Double(summary.faults[k].queueRequests)
        }
    }
}
