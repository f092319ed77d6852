/// Something that reacts to one event at a time.
///
/// A handler never reads a clock and never sleeps: it is told the time and writes what should
/// happen next into the follow-up buffer, which the kernel owns and reuses (no array per event).
public protocol EventHandler<Event> {
    associatedtype Event: Sendable
    mutating func handle(_ event: Event, at now: SimInstant, followUps: inout FollowUps<Event>)
    /// A hint: `event` is due a few events from now. A handler may start loading the state it
    /// will touch (`CustomerRecordArena.prefetch`); it must change nothing. The default does nothing.
    mutating func willHandle(_ event: Event)
}

extension EventHandler {
    @inlinable public mutating func willHandle(_ event: Event) {}
}

/// Events a handler asks the kernel to schedule, each at an absolute instant.
///
/// Follow-ups are kept in chunks of at most `chunkSize` (2^20 events, 24 MiB): a handler that
/// reaches ten million customers fills ten chunks, each sorted into a run of its own, instead of
/// one buffer grown by doubling to a quarter of a gigabyte. Every buffer the kernel allocates
/// then stays the same size whatever the population (the allocator reuses it instead of mapping
/// fresh pages each time), and each sort works on a slice that fits the cache. The pop order is
/// unchanged: the chunks take consecutive sequence numbers, as one batch would.
public struct FollowUps<Event: Sendable> {
    /// The most events one chunk holds.
    public static var chunkSize: Int { 1 << 20 }
    @usableFromInline var pending: ContiguousArray<(SimInstant, Event)> = []
    /// Chunks already full, in the order they were written (all before `pending`).
    @usableFromInline var full: [ContiguousArray<(SimInstant, Event)>] = []
    public init() {}
    @inlinable public mutating func schedule(_ event: Event, at due: SimInstant) {
        pending.append((due, event))
        if pending.count == Self.chunkSize { closeChunk() }
    }
    @usableFromInline mutating func closeChunk() {
        var next = ContiguousArray<(SimInstant, Event)>()
        next.reserveCapacity(Self.chunkSize)
        swap(&next, &pending)
        full.append(next)
    }
    @inlinable public var isEmpty: Bool { pending.isEmpty && full.isEmpty }
    @inlinable public var count: Int { full.reduce(pending.count) { $0 + $1.count } }
    /// The follow-ups written so far, in order.
    public var events: ContiguousArray<(SimInstant, Event)> { ContiguousArray(full.joined()) + pending }
    /// Whether every follow-up is due at or after `t` (scheduling into the past is a caller error).
    @inlinable func noneBefore(_ t: SimInstant) -> Bool {
        for chunk in full { for (due, _) in chunk where due < t { return false } }
        for (due, _) in pending where due < t { return false }
        return true
    }
}

/// Why a run stopped.
public enum StopReason: Equatable, Sendable {
    /// The next event lies past the horizon (or none is left).
    case horizonReached
    /// The event budget ran out before the horizon: the run is incomplete.
    case eventBudgetExhausted(limit: Int)
    /// More events were pending at once than the cap allows: the run is incomplete.
    case pendingEventsExceeded(limit: Int)
    /// The caller asked to stop (an interrupt).
    case cancelled
}

/// The next-event loop: pop the earliest event, advance the clock, hand it to the handler.
///
/// Determinism contract: events due at the same instant run in the order they were scheduled,
/// and follow-ups are scheduled in the order the handler wrote them. Time never runs backwards;
/// scheduling into the past is a caller error.
///
/// ```swift
/// var sim = Simulation(handler: world)
/// sim.schedule(.start, at: .start)
/// let reason = sim.run(until: horizon, eventBudget: 50_000_000)
/// ```
public struct Simulation<Handler: EventHandler> {
    public var handler: Handler
    public var queue = EventQueue<Handler.Event>()
    @usableFromInline var _now = SimInstant.start
    @usableFromInline var _eventCountProcessed = 0
    public var now: SimInstant { _now }
    public var eventCountProcessed: Int { _eventCountProcessed }
    @usableFromInline var followUps = FollowUps<Handler.Event>()

    public init(handler: Handler) { self.handler = handler }

    /// How many events ahead the handler is told of (`EventHandler.willHandle`): enough for
    /// a memory load to arrive before its event runs, few enough that it is still cached.
    public static var lookahead: Int { 4 }

    public mutating func schedule(_ event: Handler.Event, at due: SimInstant) {
        precondition(due >= now, "cannot schedule into the past")
        queue.schedule(event, at: due)
    }

    /// Schedules the follow-ups in order, as one `schedule` call each would, and empties them
    /// (a large batch becomes a sorted run without a copy).
    public mutating func scheduleAll(_ followUps: inout FollowUps<Handler.Event>) {
        precondition(followUps.noneBefore(now), "cannot schedule into the past")
        queue.scheduleAll(taking: &followUps)
    }

    /// Runs events due at or before `horizon`, at most `eventBudget` of them.
    ///
    /// `checkpoint(now, events)` is called every 65,536 events (progress, interrupts): it returns
    /// true to stop. A check per 65,536 events stops a run promptly without a cost per event.
    @inlinable public mutating func run(
        until horizon: SimInstant, eventBudget: Int = .max, pendingEventsMax: Int = .max,
        checkpoint: (SimInstant, Int) -> Bool = { _, _ in false }
    ) -> StopReason {
        while let due = queue.nextDue, due <= horizon {
            if eventCountProcessed >= eventBudget { return .eventBudgetExhausted(limit: eventBudget) }
            if eventCountProcessed & 0xFFFF == 0 {
                if queue.count > pendingEventsMax { return .pendingEventsExceeded(limit: pendingEventsMax) }
                if checkpoint(_now, _eventCountProcessed) { return .cancelled }
            }
            let (at, event) = queue.popNext()!
            if let ahead = queue.peekAhead(Self.lookahead) { handler.willHandle(ahead) }
            if let next = queue.peekHeapHead() { handler.willHandle(next) }
            assert(at >= now, "time must not run backwards")
            _now = at
            handler.handle(event, at: at, followUps: &followUps)
            if !followUps.isEmpty {
                precondition(followUps.noneBefore(at), "a handler scheduled into the past")
                queue.scheduleAll(taking: &followUps)
            }
            _eventCountProcessed += 1
        }
        if horizon > _now { _now = horizon }
        return .horizonReached
    }
}
