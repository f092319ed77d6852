import MarTechModel
import PlatformFakes
import SimKernel

/// Degradation windows: a latency factor and jitter on a link's deliveries (its error rate is
/// drawn with the other request failures, in Outages).
extension World {
    /// A degradation window slows a delivery by its latency factor, plus jitter.
    mutating func degraded(
        _ delay: SimDuration, link l: Int, customer c: Int, changeId: Int64, fault k: Int, factor: Double,
        jitter: Distribution?
    ) -> SimDuration {
        var random = faultRandom(k, UInt64(bitPattern: changeId) &+ 0x5EED)
        let extra = jitter?.sample(&random) ?? .zero
        let slowed = SimDuration(roundingMilliseconds: Double(delay.milliseconds) * factor) + extra
        if slowed > delay {
            summary.faults[k].recordsDelayed += 1
            links[l].faultMark[changeId] = Int16(k)
            touch(k, customer: c)
        }
        return slowed
    }
}
