import Foundation
import SimKernel

/// The one place serve mode reads the wall clock: virtual time runs at `speed` times the wall
/// clock from the moment the session starts listening.
public struct WireClock: Sendable {
    public let speed: Double
    public let startNanoseconds: UInt64

    public init(speed: Double, startNanoseconds: UInt64 = DispatchTime.now().uptimeNanoseconds) {
        self.speed = speed
        self.startNanoseconds = startNanoseconds
    }

    /// Wall-clock seconds since the session started (rate limits count these).
    public func wallSeconds(at nanoseconds: UInt64 = DispatchTime.now().uptimeNanoseconds) -> Double {
        Double(nanoseconds &- startNanoseconds) / 1e9
    }

    /// The virtual instant now.
    public func virtualNow(at nanoseconds: UInt64 = DispatchTime.now().uptimeNanoseconds) -> SimInstant {
        SimInstant(millisecondsSinceStart: 0).advanced(
            by: SimDuration(roundingMilliseconds: wallSeconds(at: nanoseconds) * 1000 * speed))
    }

    /// Wall seconds until virtual instant `t` (how long a session of horizon `t` lasts).
    public func wallSeconds(until t: SimInstant) -> Double { Double(t.millisecondsSinceStart) / 1000 / speed }
}
