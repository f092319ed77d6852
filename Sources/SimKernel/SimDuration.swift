/// A span of virtual time, in whole milliseconds.
///
/// Durations are integers so that arithmetic on them replays identically on every machine;
/// distributions produce `Double` samples that are rounded to the millisecond once, here.
public struct SimDuration: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var milliseconds: Int64

    @inlinable public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public static let zero = SimDuration(milliseconds: 0)
    @inlinable public static func seconds(_ s: Int64) -> SimDuration { SimDuration(milliseconds: s * 1000) }
    @inlinable public static func minutes(_ m: Int64) -> SimDuration { SimDuration(milliseconds: m * 60_000) }
    @inlinable public static func hours(_ h: Int64) -> SimDuration { SimDuration(milliseconds: h * 3_600_000) }
    @inlinable public static func days(_ d: Int64) -> SimDuration { SimDuration(milliseconds: d * 86_400_000) }

    /// Rounds a non-negative number of milliseconds to the nearest whole millisecond.
    @inlinable public init(roundingMilliseconds value: Double) {
        precondition(value.isFinite, "duration must be finite")
        let clamped = min(max(value, 0), Double(Int64.max / 4))
        self.milliseconds = Int64(clamped.rounded())
    }

    @inlinable public var seconds: Double { Double(milliseconds) / 1000 }
    @inlinable public var hours: Double { Double(milliseconds) / 3_600_000 }
    @inlinable public var days: Double { Double(milliseconds) / 86_400_000 }

    @inlinable public static func < (a: SimDuration, b: SimDuration) -> Bool { a.milliseconds < b.milliseconds }
    @inlinable public static func + (a: SimDuration, b: SimDuration) -> SimDuration {
        SimDuration(milliseconds: a.milliseconds + b.milliseconds)
    }
    @inlinable public static func * (a: SimDuration, k: Int64) -> SimDuration { SimDuration(milliseconds: a.milliseconds * k) }

    /// A compact human form such as `26h40m`, `45m`, `2d3h` or `350ms`.
    public var description: String {
        var rest = milliseconds
        if rest == 0 { return "0s" }
        var out = rest < 0 ? "-" : ""
        rest = abs(rest)
        if rest < 1000 { return out + "\(rest)ms" }
        let units: [(Int64, String)] = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1000, "s")]
        var parts = 0
        for (size, name) in units where rest >= size && parts < 2 {
            out += "\(rest / size)\(name)"
            rest %= size
            parts += 1
        }
        return out
    }
}
