/// The future event list, keyed by `(due, sequence)`: a binary min-heap for events scheduled a
/// few at a time, and sorted runs for events scheduled in bulk.
///
/// Determinism contract: two events due at the same instant are popped in the order they were
/// scheduled. Every entry carries a sequence number that breaks ties, so the pop order is one
/// total order whatever structure holds an entry.
///
/// Why runs: a step that reaches ten million customers schedules ten million follow-ups at
/// once. In one heap of that size every pop walks ~23 levels of an array far larger than the
/// cache. Sorted once, the same events are read front to back (`scheduleAll`), and the heap
/// holds only what handlers schedule a few at a time. The heads of the runs sit in a small
/// heap of their own.
public struct EventQueue<Event>: Sendable where Event: Sendable {
    /// Something in a heap ordered by `(due, sequence)`: a pending event (`Entry`), or a run
    /// with its head's key kept beside it (`RunKey`: ordering the heads of runs then compares
    /// these two words, without reaching into each run's arrays).
    @usableFromInline struct Keyed<Item: Sendable>: Sendable {
        @usableFromInline var due: Int64
        @usableFromInline var sequence: UInt64
        @usableFromInline var item: Item
        @inlinable init(due: Int64, sequence: UInt64, item: Item) {
            self.due = due
            self.sequence = sequence
            self.item = item
        }
        @inlinable func precedes<Other>(_ other: Keyed<Other>) -> Bool {
            due < other.due || (due == other.due && sequence < other.sequence)
        }
    }
    /// A pending event scheduled a few at a time.
    @usableFromInline typealias Entry = Keyed<Event>
    /// A non-empty run in the heap of runs; `item` is its index in `runs`.
    @usableFromInline typealias RunKey = Keyed<Int>

    /// A bulk-scheduled batch, sorted by `(due, sequence)`, read from `cursor` on. Entry `i`
    /// was the `order[i]`-th event of its batch (its sequence is `base + order[i]`); `order`
    /// is empty when the batch came already sorted.
    @usableFromInline struct Run: Sendable {
        @usableFromInline var events: ContiguousArray<(SimInstant, Event)>
        @usableFromInline var order: ContiguousArray<UInt32>
        @usableFromInline var base: UInt64
        @usableFromInline var cursor = 0
        @inlinable init(events: ContiguousArray<(SimInstant, Event)>, order: ContiguousArray<UInt32>, base: UInt64) {
            self.events = events
            self.order = order
            self.base = base
        }
        @inlinable var headDue: Int64 { events[cursor].0.millisecondsSinceStart }
        @inlinable var headSequence: UInt64 { base + UInt64(order.isEmpty ? UInt32(cursor) : order[cursor]) }
        @inlinable var remaining: Int { events.count - cursor }
    }

    /// Bytes one pending event takes: a heap entry, or a run's event and its 4-byte order.
    public static var bytesPerEvent: Int {
        max(MemoryLayout<Entry>.stride, MemoryLayout<(SimInstant, Event)>.stride + MemoryLayout<UInt32>.stride)
    }

    /// A batch at least this large becomes a run; a smaller one goes into the heap.
    public static var runThreshold: Int { 512 }

    @usableFromInline var entries: ContiguousArray<Entry> = []
    @usableFromInline var runs: ContiguousArray<Run> = []
    /// The non-empty runs, a min-heap by head.
    @usableFromInline var runHeap: ContiguousArray<RunKey> = []
    @usableFromInline var runsFree: [Int] = []
    @usableFromInline var runsRemaining = 0
    @usableFromInline var sequenceNext: UInt64 = 0
    /// The most events ever pending at once: a cap on it is checked by the simulation.
    @usableFromInline var _countMax = 0
    public var countMax: Int { _countMax }

    public init() {}

    @inlinable public var count: Int { entries.count + runsRemaining }
    @inlinable public var isEmpty: Bool { count == 0 }
    @inlinable public var nextDue: SimInstant? {
        switch (entries.first, runHeap.first) {
        case (nil, nil): return nil
        case (let e?, nil): return SimInstant(millisecondsSinceStart: e.due)
        case (nil, let r?): return SimInstant(millisecondsSinceStart: r.due)
        case (let e?, let r?): return SimInstant(millisecondsSinceStart: min(e.due, r.due))
        }
    }

    /// Reserves room for `n` events scheduled one at a time.
    public mutating func reserve(_ n: Int) { entries.reserveCapacity(n) }

    @inlinable public mutating func schedule(_ event: Event, at due: SimInstant) {
        let entry = Entry(due: due.millisecondsSinceStart, sequence: sequenceNext, item: event)
        sequenceNext &+= 1
        entries.append(entry)
        siftUp(entries.count - 1)
        if count > _countMax { _countMax = count }
    }

    /// Schedules a handler's follow-ups in order, chunk by chunk, exactly as one `schedule` call
    /// each would, and leaves them empty.
    @inlinable public mutating func scheduleAll(taking followUps: inout FollowUps<Event>) {
        for i in followUps.full.indices { scheduleAll(taking: &followUps.full[i]) }
        followUps.full.removeAll()
        scheduleAll(taking: &followUps.pending)
    }

    /// Schedules `events` in order, exactly as one `schedule` call each would, and leaves
    /// `events` empty. A large batch is not copied: its buffer is sorted in place into a run.
    @inlinable public mutating func scheduleAll(taking events: inout ContiguousArray<(SimInstant, Event)>) {
        guard events.count >= Self.runThreshold else {
            for (due, event) in events { schedule(event, at: due) }
            events.removeAll(keepingCapacity: true)
            return
        }
        precondition(events.count < Int(UInt32.max), "more than 2^32 events scheduled at once")
        var taken = ContiguousArray<(SimInstant, Event)>()
        swap(&taken, &events)
        let order = Self.sortByDue(&taken)
        let slot: Int
        let run = Run(events: taken, order: order, base: sequenceNext)
        sequenceNext &+= UInt64(taken.count)
        if let free = runsFree.popLast() {
            runs[free] = run
            slot = free
        } else {
            runs.append(run)
            slot = runs.count - 1
        }
        runsRemaining += taken.count
        runHeap.append(RunKey(due: runs[slot].headDue, sequence: runs[slot].headSequence, item: slot))
        runSiftUp(runHeap.count - 1)
        if count > _countMax { _countMax = count }
    }

    /// The event `k` places after the head of the earliest run (nil past its end): most likely
    /// among the next few to pop when a bulk batch is being read. A guess, for prefetch hints only.
    @inlinable public func peekAhead(_ k: Int) -> Event? {
        guard let r = runHeap.first?.item else { return nil }
        let i = runs[r].cursor + k
        return i < runs[r].events.count ? runs[r].events[i].1 : nil
    }

    /// The earliest event if it is one scheduled a few at a time (the heap's head), else nil: a
    /// run's events are hinted by `peekAhead`, the heap's cannot be seen ahead. For hints only.
    @inlinable public func peekHeapHead() -> Event? {
        guard let e = entries.first else { return nil }
        if let r = runHeap.first, r.precedes(e) { return nil }
        return e.item
    }

    /// Removes and returns the earliest event, or nil when none is pending.
    @inlinable public mutating func popNext() -> (due: SimInstant, event: Event)? {
        if let r = runHeap.first {
            if let e = entries.first {
                if r.precedes(e) { return popRun(r.item) }
            } else {
                return popRun(r.item)
            }
        }
        guard let first = entries.first else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            siftDown(0)
        }
        return (SimInstant(millisecondsSinceStart: first.due), first.item)
    }

    @inlinable mutating func popRun(_ r: Int) -> (due: SimInstant, event: Event) {
        let head = runs[r].events[runs[r].cursor]
        runs[r].cursor += 1
        runsRemaining -= 1
        if runs[r].remaining == 0 {
            runs[r] = Run(events: [], order: [], base: 0)
            runsFree.append(r)
            let last = runHeap.removeLast()
            if !runHeap.isEmpty {
                runHeap[0] = last
                runSiftDown(0)
            }
        } else {
            runHeap[0].due = runs[r].headDue
            runHeap[0].sequence = runs[r].headSequence
            runSiftDown(0)
        }
        return head
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

    @inlinable mutating func runSiftUp(_ start: Int) {
        var child = start
        let run = runHeap[child]
        while child > 0 {
            let parent = (child - 1) >> 1
            if !run.precedes(runHeap[parent]) { break }
            runHeap[child] = runHeap[parent]
            child = parent
        }
        runHeap[child] = run
    }

    @inlinable mutating func runSiftDown(_ start: Int) {
        let n = runHeap.count
        var parent = start
        let run = runHeap[parent]
        while true {
            var child = 2 * parent + 1
            if child >= n { break }
            if child + 1 < n && runHeap[child + 1].precedes(runHeap[child]) { child += 1 }
            if !runHeap[child].precedes(run) { break }
            runHeap[parent] = runHeap[child]
            parent = child
        }
        runHeap[parent] = run
    }

    /// Checks the heap properties and the count of events in runs; for tests.
    public func _checkInvariants() {
        for i in 1..<max(entries.count, 1) {
            precondition(!entries[i].precedes(entries[(i - 1) >> 1]), "heap order broken at \(i)")
        }
        for i in 1..<max(runHeap.count, 1) {
            precondition(!runHeap[i].precedes(runHeap[(i - 1) >> 1]), "run heap order broken at \(i)")
        }
        for key in runHeap {
            precondition(key.due == runs[key.item].headDue && key.sequence == runs[key.item].headSequence, "run \(key.item)'s key is stale")
            var run = runs[key.item]
            while run.remaining > 1 {
                let (due, sequence) = (run.headDue, run.headSequence)
                run.cursor += 1
                precondition(due < run.headDue || (due == run.headDue && sequence < run.headSequence), "run \(key.item) out of order")
            }
        }
        precondition(runHeap.reduce(0) { $0 + runs[$1.item].remaining } == runsRemaining, "runsRemaining miscounted")
    }
}
