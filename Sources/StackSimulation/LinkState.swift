import MarTechModel
import SimKernel

/// The running state of one link: records waiting for the next batch, batches in flight, and
/// the instants the oracle needs to say why a destination is behind.
struct LinkState {
    let plan: LinkPlan
    /// Customers changed at the source since the last snapshot, in the order they changed.
    var dirty: [Int32] = []
    /// A batch link's bit in each customer's record (`CustomerCores`); -1 for a stream.
    let dirtySlot: Int
    var lastSnapshotAt = Int64.min
    /// Snapshot instant of the newest batch that has fully reached the destination.
    var lastHandedSnapshotAt = Int64.min
    var batches: [Int32: BatchContent] = [:]
    /// Records waiting for a snapshot, in a running batch, or travelling on the stream.
    var backlog = 0
    var batchCount: Int32 = 0

    /// Faults that can touch this link (its own, and outages of its ends); empty on the fast path.
    var faults: [Int] = []
    var hasFaults: Bool { !faults.isEmpty }
    /// Truth changes a fault delayed, dropped or overwrote on this link, and which fault: the
    /// oracle's evidence. Only touched records are here.
    var faultMark: [Int64: Int16] = [:]
    /// Records that exhausted their retries or broke the contract, in arrival order.
    var deadLetters: [DeadLetter] = []
    /// Stream records held while the link is paused, in arrival order.
    var held: [(event: SimEvent, sentAt: Int64)] = []
    /// When the rate-limited API is next free to serve a request (ms, fractional).
    var serverFreeAt: Double = 0
    /// The scheduled instant of the last batch run that failed, and the fault that failed it.
    var failedRunAt = Int64.min
    var failedRunFault: Int?

    /// The destination's audiences see what this link delivers only at their next recompute (a
    /// CDP with `recompute:`; never the recompute's own link from the truth).
    let waitsForRecompute: Bool
    /// The destination takes a delivery into effect later than it arrives: an apply delay (a DSP
    /// list), or a recompute.
    let appliesLater: Bool

    init(plan: LinkPlan, destination: PlatformPlan?, dirtySlot: Int) {
        self.plan = plan
        waitsForRecompute = plan.from != LinkPlan.truth && !(destination?.audienceRecomputes.isEmpty ?? true)
        appliesLater = destination?.applyDelay != nil || waitsForRecompute
        self.dirtySlot = dirtySlot
    }

    var isStream: Bool { if case .stream = plan.mode { true } else { false } }
}

/// A record in a link's dead-letter queue.
struct DeadLetter {
    var customer: Int32
    var field: UInt8
    var value: UInt8
    var changeId: Int64
    var fault: Int16
}

/// The records of one batch, captured at its snapshot: one entry per customer and field.
struct BatchContent {
    var snapshotAt: Int64
    var customers: [Int32] = []
    var fields: [UInt8] = []
    var values: [UInt8] = []
    var changeIds: [Int32] = []
    var pageSize: Int
    var pageCount: Int
    var pagesHanded = 0
    var pagesApplied = 0
    /// False for a backfill the team chose to import without firing journeys.
    var firesJourneys = true
}

/// A message decided but not yet delivered (held by quiet hours or a throughput queue).
struct PendingDelivery {
    var touchpoint: Int64
    var customer: Int32
    var step: Int16
    var decidedAt: Int64
    /// A second copy of a message (a re-fired journey or a retried send): the fault behind it, or -1.
    var duplicateFault: Int16?
    /// Waiting for a consent lookup's answer: hand the message to the sender when it arrives
    /// (the sender's queue is in time order, so it cannot be given a future instant).
    var awaitingHandover = false
    /// Why each field the oracle may ask about looked as it did at the decision: a held message
    /// is judged against the truth at delivery, but its cause lies in the copy at decision time.
    var basis: [DecisionBasis]
}
