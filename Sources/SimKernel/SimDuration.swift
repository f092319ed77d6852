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

    /// Longer than any run can last (about 73 million years): "never".
    ///
    /// Every duration a run computes saturates here, so that a rate of `1e-300/d`, a lognormal
    /// with a huge sigma or a throughput of `1e-16/s` means "not within this run" instead of an
    /// integer overflow. Sums of two such durations and an instant still fit in `Int64`.
    public static let never = SimDuration(milliseconds: Int64.max / 4)

    /// Rounds a number of milliseconds to the nearest whole millisecond: the one place where a
    /// computed `Double` becomes virtual time. Negative values become zero; values beyond
    /// `never`, infinity and NaN (what `inf * 0` and friends give) become `never`.
    @inlinable public init(roundingMilliseconds value: Double) {
        if value < Double(SimDuration.never.milliseconds) {
            self.milliseconds = value > 0 ? Int64(value.rounded()) : 0
        } else {
            self = .never  // also NaN: no comparison with NaN holds
        }
    }

    /// Rounds up to a whole millisecond (a queue's next free slot), saturating like `init(roundingMilliseconds:)`.
    @inlinable public init(roundingUpMilliseconds value: Double) {
        self.init(roundingMilliseconds: value < Double(SimDuration.never.milliseconds) ? value.rounded(.up) : value)
    }

    @inlinable public var seconds: Double { Double(milliseconds) / 1000 }
    @inlinable public var hours: Double { Double(milliseconds) / 3_600_000 }
    @inlinable public var days: Double { Double(milliseconds) / 86_400_000 }

    @inlinable public static func < (a: SimDuration, b: SimDuration) -> Bool { a.milliseconds < b.milliseconds }
    /// Sums saturate at `never` (two durations below it never overflow).
    @inlinable public static func + (a: SimDuration, b: SimDuration) -> SimDuration {
        SimDuration(milliseconds: min(a.milliseconds + b.milliseconds, SimDuration.never.milliseconds))
    }
    @inlinable public static func * (a: SimDuration, k: Int64) -> SimDuration {
        let (product, overflow) = a.milliseconds.multipliedReportingOverflow(by: k)
        return overflow || product > SimDuration.never.milliseconds ? .never : SimDuration(milliseconds: product)
    }

    /// A compact human form such as `26h40m`, `45m`, `2d3h` or `350ms`.
    public var description: String {
        var rest = milliseconds
        if rest == 0 { return "0s" }
        if rest >= SimDuration.never.milliseconds { return "never" }
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
