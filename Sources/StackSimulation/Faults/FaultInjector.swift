import MarTechModel
import PlatformFakes
import SimKernel

/// The fault injector's core: which faults can touch which link, the windows they open and
/// close, what each touched, and the evidence the oracle reads. Each family's effect lives in a
/// file of its own beside this one (Outages, Degradation, RateLimits, Duplicates,
/// LostAcknowledgements, SchemaDrift, ClockFaults, Recovery).
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

    /// A stream delivery's latency through the degradation windows and rate limits open at `now`.
    mutating func shapeStreamDelay(link l: Int, customer c: Int, changeId: Int64, now: SimInstant, latency: SimDuration)
        -> SimDuration
    {
        var delay = latency
        for k in links[l].faults where plan.faults[k].isActive(at: now) {
            switch plan.faults[k].kind {
            case .degrade(_, _, let factor, let jitter):
                delay = degraded(
                    delay, link: l, customer: c, changeId: changeId, fault: k, factor: factor, jitter: jitter)
            case .rateLimit(_, let perSecond, let exponential):
                delay = throttled(
                    delay, link: l, customer: c, changeId: changeId, now: now, fault: k, perSecond: perSecond,
                    exponential: exponential)
            default:
                continue
            }
        }
        return delay
    }

    mutating func faultWindowCloses(_ e: SimEvent, now: SimInstant, followUps: inout FollowUps<SimEvent>) {
        let k = e.fault
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

    /// The fault behind a link cause, from the link's evidence, if there is one.
    func faultBehind(link l: Int, customer c: Int, field f: Int, change: Int64) -> Int? {
        guard l >= 0, links[l].hasFaults else { return nil }
        let held = copyChangeId(links[l].plan.to, c, f)
        if held <= -2 { return Int(-2 - held) }
        if let k = links[l].faultMark[change] { return Int(k) }
        if case .batch = links[l].plan.mode, change >= 0, truth.changeTime(change) < links[l].failedRunAt {
            return links[l].failedRunFault
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
