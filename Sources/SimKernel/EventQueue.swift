/// The future event list: a binary min-heap keyed by `(due, sequence)`.
///
/// Determinism contract: two events due at the same instant are popped in the order they were
/// scheduled. A general-purpose heap makes no promise about equal keys, so every entry carries
/// a sequence number that breaks ties.
///
/// The heap is hand-written over a `ContiguousArray` of small value entries: no per-event heap
/// allocation, and it stays fast with millions of pending events.
public struct EventQueue<Event>: Sendable where Event: Sendable {
    @usableFromInline struct Entry: Sendable {
        @usableFromInline var due: Int64
        @usableFromInline var sequence: UInt64
        @usableFromInline var event: Event
        @inlinable init(due: Int64, sequence: UInt64, event: Event) {
            self.due = due
            self.sequence = sequence
            self.event = event
        }
        @inlinable func precedes(_ other: Entry) -> Bool {
            due < other.due || (due == other.due && sequence < other.sequence)
        }
    }

    @usableFromInline var entries: ContiguousArray<Entry> = []
    @usableFromInline var sequenceNext: UInt64 = 0
    /// The most events ever pending at once: a cap on it is checked by the simulation.
    @usableFromInline var _countMax = 0
    public var countMax: Int { _countMax }

    public init() {}

    @inlinable public var count: Int { entries.count }
    @inlinable public var isEmpty: Bool { entries.isEmpty }
    @inlinable public var nextDue: SimInstant? {
        entries.isEmpty ? nil : SimInstant(millisecondsSinceStart: entries[0].due)
    }

    /// Reserves room for `n` pending events.
    public mutating func reserve(_ n: Int) { entries.reserveCapacity(n) }

    @inlinable public mutating func schedule(_ event: Event, at due: SimInstant) {
        let entry = Entry(due: due.millisecondsSinceStart, sequence: sequenceNext, event: event)
        sequenceNext &+= 1
        entries.append(entry)
        siftUp(entries.count - 1)
        if entries.count > _countMax { _countMax = entries.count }
    }

    /// Removes and returns the earliest event, or nil when none is pending.
    @inlinable public mutating func popNext() -> (due: SimInstant, event: Event)? {
        guard let first = entries.first else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            siftDown(0)
        }
        return (SimInstant(millisecondsSinceStart: first.due), first.event)
    }

    @inlinable mutating func siftUp(_ start: Int) {
        var child = start
        let entry = entries[child]
        while child > 0 {
            let parent = (child - 1) >> 1
            if !entry.precedes(entries[parent]) { break }
            entries[child] = entries[parent]
            child = parent
        }
        entries[child] = entry
    }

    @inlinable mutating func siftDown(_ start: Int) {
        let n = entries.count
        var parent = start
        let entry = entries[parent]
        while true {
            var child = 2 * parent + 1
            if child >= n { break }
            if child + 1 < n && entries[child + 1].precedes(entries[child]) { child += 1 }
            if !entries[child].precedes(entry) { break }
            entries[parent] = entries[child]
            parent = child
        }
        entries[parent] = entry
    }

    /// Checks the heap property; for tests.
    public func _checkInvariants() {
        for i in 1..<max(entries.count, 1) {
            precondition(!entries[i].precedes(entries[(i - 1) >> 1]), "heap order broken at \(i)")
        }
    }
}
