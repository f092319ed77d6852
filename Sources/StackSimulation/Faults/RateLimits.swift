import MarTechModel
import PlatformFakes
import SimKernel

/// Rate limits on a link: a FIFO queue in front of the destination.
extension World {
    /// A rate limit queues requests FIFO behind one server: Lindley's recursion, no extra
    /// events. Fixed service gives M/D/1, exponential service M/M/1.
    mutating func throttled(
        _ delay: SimDuration, link l: Int, customer c: Int, changeId: Int64, now: SimInstant, fault k: Int,
        perSecond: Double, exponential: Bool
    ) -> SimDuration {
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
        return delay + SimDuration(roundingUpMilliseconds: start + service - arrival)
    }
}
