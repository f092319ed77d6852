import SimKernel

/// A time zone's UTC offset over the run, as a list of transitions.
///
/// Built outside the kernel (where calendars live) and read inside it: `offset(at:)` is a short
/// scan over the few daylight-saving transitions a run of weeks can contain.
public struct LocalTimeTable: Hashable, Sendable {
    public var name: String
    /// `(from, offset)` pairs sorted by `from`; the first starts at or before the run start.
    public var transitions: [(from: Int64, offsetMilliseconds: Int64)]

    public init(name: String, transitions: [(from: Int64, offsetMilliseconds: Int64)]) {
        self.name = name
        self.transitions = transitions
    }

    public static let utc = LocalTimeTable(name: "UTC", transitions: [(Int64.min, 0)])

    @inlinable public func offset(at t: SimInstant) -> Int64 {
        var offset = transitions[0].offsetMilliseconds
        for tr in transitions where tr.from <= t.millisecondsSinceStart { offset = tr.offsetMilliseconds }
        return offset
    }

    public static func == (a: LocalTimeTable, b: LocalTimeTable) -> Bool {
        a.name == b.name && a.transitions.elementsEqual(b.transitions, by: { $0 == $1 })
    }
    public func hash(into h: inout Hasher) { h.combine(name) }
}
