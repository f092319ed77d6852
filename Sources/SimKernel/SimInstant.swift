/// A point in virtual time: whole milliseconds since the scenario's declared start.
///
/// There is no "now" outside the simulation: the epoch is whatever the scenario says, and the
/// clock moves only when the kernel pops an event.
public struct SimInstant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var millisecondsSinceStart: Int64

    @inlinable public init(millisecondsSinceStart: Int64) { self.millisecondsSinceStart = millisecondsSinceStart }

    public static let start = SimInstant(millisecondsSinceStart: 0)
    public static let distantFuture = SimInstant(millisecondsSinceStart: Int64.max / 2)

    /// Saturates at `distantFuture`: an instant plus `SimDuration.never` is past every horizon.
    @inlinable public func advanced(by d: SimDuration) -> SimInstant {
        SimInstant(
            millisecondsSinceStart: min(
                millisecondsSinceStart &+ d.milliseconds, SimInstant.distantFuture.millisecondsSinceStart))
    }
    @inlinable public func duration(since earlier: SimInstant) -> SimDuration {
        SimDuration(milliseconds: millisecondsSinceStart - earlier.millisecondsSinceStart)
    }
    @inlinable public static func < (a: SimInstant, b: SimInstant) -> Bool {
        a.millisecondsSinceStart < b.millisecondsSinceStart
    }
    @inlinable public static func + (a: SimInstant, d: SimDuration) -> SimInstant { a.advanced(by: d) }

    /// `day 3 04:05` style, counted from the scenario start (day 0).
    public var description: String {
        let ms = millisecondsSinceStart
        let day = ms / 86_400_000
        let inDay = ms % 86_400_000
        let h = inDay / 3_600_000, m = (inDay / 60_000) % 60, s = (inDay / 1000) % 60
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "day \(day) \(two(h)):\(two(m))" + (s == 0 ? "" : ":\(two(s))")
    }
}
