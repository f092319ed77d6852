import MarTechModel
import PlatformFakes
import SimKernel

/// Outages and pauses (of a platform, a connector or a link) and error draws: a request that
/// meets one fails; deliveries are retried with the link's backoff, then dead-lettered.
extension World {
    /// An outage of `platform` open at `now`, if any.
    func outage(of platform: Int, at now: SimInstant) -> Int? {
        for k in topology.platformFaults[platform] where plan.faults[k].isActive(at: now) {
            if case .outage = plan.faults[k].kind { return k }
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

    /// Runs a stream record through the faults on its link. Returns false when a fault took it
    /// (held by a pause, failed and retried, dead-lettered or rejected); may null its value.
    mutating func admitStream(_ e: inout SimEvent, sentAt: Int64, now: SimInstant, followUps: inout FollowUps<SimEvent>)
        -> Bool
    {
        let l = e.link, c = e.customerIndex, f = e.fieldID
        let changeId = e.changeId
        let attempt = e.attempt
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

    /// A stream record leaves the link for its dead-letter queue.
    mutating func deadLetter(_ e: SimEvent, fault k: Int, now: SimInstant) {
        deadLetter(
            link: e.link, customer: e.customerIndex, field: e.fieldID, value: e.value,
            changeId: e.changeId, fault: k)
        adjustBacklog(e.link, by: -1, now: now)
    }

    /// Keeps a record in link `l`'s dead-letter queue and counts it.
    mutating func deadLetter(link l: Int, customer c: Int, field f: Int, value: UInt8, changeId: Int64, fault k: Int) {
        links[l].deadLetters.append(
            DeadLetter(customer: Int32(c), field: UInt8(f), value: value, changeId: changeId, fault: Int16(k)))
        summary.faults[k].recordsDeadLettered += 1
        summary.links[l].deadLetters += 1
    }
}
