import SimKernel

/// One injected fault: what breaks, where, and for which window of virtual time.
///
/// Faults come from a scenario's `chaos` section or from a sweep. The engine applies them
/// where its real counterpart would feel them (a link delivery, a batch run, a send), counts
/// what each one touched in `FaultFigures`, and the oracle names the fault behind a misfire.
public struct FaultPlan: Sendable {
    public enum Kind: Sendable {
        /// The platform's API fails (5xx): inbound deliveries fail and are retried or
        /// dead-lettered, batch runs into it fail, and its own sends wait until it recovers.
        case outage(platform: Int)
        /// The link's connector is down: every request on it fails (retried, then dead-lettered).
        case linkOutage(link: Int)
        /// The link stops moving records; a stream holds them and resumes where it stopped,
        /// a batch skips its runs (the next successful run carries everything changed since).
        case pause(link: Int)
        /// The link answers some requests with errors (retried) and runs slower.
        case degrade(link: Int, errorRate: Ratio, latencyFactor: Double, jitter: Distribution?)
        /// The destination's API allows `perSecond` requests; beyond it they get 429 and wait
        /// (`Retry-After`) in a FIFO queue: one server whose service time is fixed (a token
        /// bucket: M/D/1) or exponential (a variable-time API: M/M/1).
        case rateLimit(link: Int, perSecond: Double, exponentialService: Bool)
        /// Deliveries arrive twice (a retry after a lost acknowledgement), the copy up to
        /// `reorderBy` later; without idempotency the destination applies both.
        case duplicate(link: Int, share: Ratio, reorderBy: Distribution)
        /// A platform acknowledges sends it does not report back: the sender retries and,
        /// unless the platform deduplicates, the customer gets the message twice.
        case lostAcknowledgement(platform: Int, share: Ratio, retryAfter: SimDuration)
        /// The contract breaks for the given fields (empty: every record), for `share` of customers.
        case drift(link: Int, fields: [FieldID], change: DriftChange, share: Ratio)
        /// The platform reads customers' local clock times as UTC (its quiet hours slip).
        case clockSkew(platform: Int)
    }

    /// What changed in the source's schema.
    public enum DriftChange: String, Sendable, CaseIterable {
        /// A field renamed at the source: the mapped name is missing in every record.
        case rename
        /// A field dropped at the source.
        case drop
        /// A field's type changed (number → string); a coercing contract reads it back.
        case typeChange = "type_change"
        /// An enum value the destination does not know; a coercing contract maps it to its default.
        case enumAdded = "enum_added"
        /// The destination now requires a field this link does not carry: every record breaks.
        case requiredAdded = "required_added"
        /// The identity key changed (an email change, a profile merge): records no longer match.
        case identityChanged = "identity_changed"

        /// Whether a coercing contract still delivers the right value.
        public var isCoercible: Bool { self == .typeChange }
    }

    public var name: String
    public var kind: Kind
    public var start: SimInstant
    /// The end of the window (the horizon for a fault without `for`).
    public var end: SimInstant
    /// After an outage or pause: what the team does about what failed.
    public var recovery: Recovery
    /// Whether replayed or backfilled records fire the destination's journeys.
    public var recoveryTriggersJourneys: Bool

    /// What happens after the window closes.
    public enum Recovery: String, Sendable, CaseIterable {
        /// Nothing: dead letters stay dead.
        case none
        /// The dead-letter queue is replayed when the window closes.
        case replay
        /// Every record that changed during the window is sent again from the source's current state.
        case backfill
    }

    public init(
        name: String, kind: Kind, start: SimInstant, end: SimInstant, recovery: Recovery = .none,
        recoveryTriggersJourneys: Bool = true
    ) {
        self.name = name
        self.kind = kind
        self.start = start
        self.end = end
        self.recovery = recovery
        self.recoveryTriggersJourneys = recoveryTriggersJourneys
    }

    @inlinable public func isActive(at t: SimInstant) -> Bool { t >= start && t < end }

    /// The kind as written in a scenario (`outage`, `rate_limit`, …).
    public var kindName: String {
        switch kind {
        case .outage, .linkOutage: "outage"
        case .pause: "pause"
        case .degrade: "degrade"
        case .rateLimit: "rate_limit"
        case .duplicate: "duplicate"
        case .lostAcknowledgement: "lost_ack"
        case .drift: "drift"
        case .clockSkew: "clock_skew"
        }
    }
}

/// What to do with a record that breaks a link's contract (after schema drift).
public enum ContractPolicy: String, Sendable, CaseIterable {
    /// The destination rejects it: the change is lost.
    case reject
    /// It goes to the link's dead-letter queue, from which a replay can recover it.
    case deadLetter = "dead_letter"
    /// The broken field arrives as null (a flag reads false): silent, and the worst.
    case null
    /// The destination coerces what it can (a type change) and nulls what it cannot.
    case coerce
}

/// What one fault touched during a run. A fault that touched nothing proved nothing.
public struct FaultFigures: Sendable, Equatable, Codable {
    public var name = ""
    public var kind = ""
    public var target = ""
    public var startMs: Int64 = 0
    public var endMs: Int64 = 0
    /// Records that arrived later than they would have (retried, held, queued, rerun).
    public var recordsDelayed = 0
    /// Records lost: rejected, or dead-lettered and never replayed.
    public var recordsDropped = 0
    public var recordsDeadLettered = 0
    public var recordsReplayed = 0
    /// Records whose field arrived as null.
    public var recordsNulled = 0
    public var recordsDuplicated = 0
    /// Records that met a closed window or a 429 and had to try again.
    public var requestsThrottled = 0
    /// Failed requests retried.
    public var retries = 0
    /// Messages sent late, or twice, because of the fault.
    public var messagesAffected = 0
    /// Distinct customers touched.
    public var customersAffected = 0
    /// Misfires the oracle attributed to this fault.
    public var misfires = 0
    /// Mean wait in a rate-limit queue (ms) and the number of requests that went through it.
    public var queueWaitMeanMs: Double = 0
    public var queueRequests = 0

    public init() {}

    /// Whether the fault touched anything at all.
    public var bit: Bool {
        recordsDelayed + recordsDropped + recordsDeadLettered + recordsNulled + recordsDuplicated + requestsThrottled
            + messagesAffected > 0
    }
}
