import SimKernel

/// One platform of the stack, with the knobs of its kind.
public struct PlatformPlan: Sendable {
    public var name: String
    public var kind: PlatformKind
    /// Fields this platform sees in the truth at once (the CRM is the system of record).
    public var observes: [FieldID]
    /// Fields this platform sees at once only when the change comes from one source (a CRM
    /// sees preference-centre revocations, `behavior`, but STOP replies only through a link).
    public var observesFromSource: [(field: FieldID, source: TruthChangeCause)] = []
    /// Sends per customer allowed in a rolling window across this platform (`3/7d`).
    public var frequencyCap: (count: Int, window: SimDuration)?
    /// Local clock window in which this platform holds messages, in minutes of the day
    /// (`21:00-08:00` is `(1260, 480)`). Held messages go out when the window ends.
    public var quietHours: (startMinute: Int, endMinute: Int)?
    /// Messages per second this platform delivers; beyond it they queue.
    public var throughputPerSecond: Double?
    /// Delay between an inbound upload reaching the platform and it taking effect (DSP lists).
    public var applyDelay: Distribution?
    /// A CDP's audience recomputes, as the instants each one completes: a value a link delivers
    /// waits for the next one before the CDP's audiences (and its journeys) see it. Empty: at once.
    public var audienceRecomputes: [SimInstant] = []
    /// Checks consent on its own copy before sending (real platforms do; a twin may not).
    public var checksConsent: Bool
    /// Before sending, ask another platform synchronously (the SMS platform checks the CRM).
    public var consentLookup: ConsentLookup?
    /// A message held (quiet hours, a queue) is checked again against the platform's copies
    /// when released, and dropped if it no longer qualifies. Real senders do this for
    /// suppression lists; a twin may not.
    public var rechecksOnRelease = true
    /// Deduplicates sends by message id, so a retry after a lost acknowledgement sends nothing twice.
    public var deduplicatesSends = false
    /// The product this platform is (`vendor: salesforce`): its id and its name in reports.
    public var vendorID: String?
    public var vendorName: String?

    /// The mean time between audience recomputes in ms, or nil with fewer than two.
    public var recomputeInterval: Double? {
        guard audienceRecomputes.count > 1 else { return nil }
        let span = audienceRecomputes.last!.millisecondsSinceStart - audienceRecomputes.first!.millisecondsSinceStart
        return Double(span) / Double(audienceRecomputes.count - 1)
    }

    /// The first audience recompute at or after `t`; nil past the last one (or without a cadence).
    public func nextRecompute(atOrAfter t: SimInstant) -> SimInstant? {
        var lo = 0, hi = audienceRecomputes.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if audienceRecomputes[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo < audienceRecomputes.count ? audienceRecomputes[lo] : nil
    }

    /// `map (Marketo)` when a vendor is named, else the platform's name.
    public var displayName: String { vendorName.map { "\(name) (\($0))" } ?? name }

    public init(
        name: String, kind: PlatformKind, observes: [FieldID] = [],
        frequencyCap: (count: Int, window: SimDuration)? = nil,
        quietHours: (startMinute: Int, endMinute: Int)? = nil, throughputPerSecond: Double? = nil,
        applyDelay: Distribution? = nil, checksConsent: Bool = true, consentLookup: ConsentLookup? = nil
    ) {
        self.name = name
        self.kind = kind
        self.observes = observes
        self.frequencyCap = frequencyCap
        self.quietHours = quietHours
        self.throughputPerSecond = throughputPerSecond
        self.applyDelay = applyDelay
        self.checksConsent = checksConsent
        self.consentLookup = consentLookup
    }
}

/// A synchronous check against another platform at decision time, with a timeout.
public struct ConsentLookup: Sendable {
    public var platform: Int
    public var latency: Distribution
    public var timeout: SimDuration
    /// On timeout: send on the own copy's word (`true`) or hold the message (`false`).
    public var failOpen: Bool
    public init(platform: Int, latency: Distribution, timeout: SimDuration, failOpen: Bool) {
        self.platform = platform
        self.latency = latency
        self.timeout = timeout
        self.failOpen = failOpen
    }
}

/// A sync between two platforms: what it carries and how.
public struct LinkPlan: Sendable {
    public enum Mode: Sendable {
        /// Each change travels on its own, after a latency drawn per change.
        case stream(latency: Distribution)
        /// Changed records are snapshotted at each instant and applied `runsFor` later, or page
        /// by page at `pagesPerSecond` when a page size and rate are given.
        case batch(schedule: [SimInstant], runsFor: SimDuration, pageSize: Int?, pagesPerSecond: Double?)
    }
    public var name: String
    /// The source platform, or `LinkPlan.truth`: a platform that learns of changes only on a
    /// cadence (a CDP recomputing its audiences) reads the truth through such a link.
    public var from: Int
    public var to: Int
    public var fields: [FieldID]
    /// Each carried field's name in the destination's schema (the contract), in `fields` order.
    public var destinationNames: [String] = []
    public var mode: Mode
    /// How failed deliveries are retried before they go to the dead-letter queue.
    public var retry = RetryPolicy.standard
    /// Records carry an idempotency key (a version): the destination ignores duplicates and stale copies.
    public var idempotent = false
    /// What the destination does with a record that breaks the contract.
    public var onContractViolation = ContractPolicy.deadLetter
    /// Requests per second the destination's vendor accepts (its published write limit): each
    /// streamed record is one request, queued FIFO behind the others into that platform.
    public var destinationRequestsPerSecond: Double?
    /// The team's own code does this hand-off: `rehearse run` simulates it with `mode`'s latency;
    /// `rehearse serve` does not perform it but measures it from what the code writes.
    public var external = false

    /// The freshest the vendors at its ends let it be (Marketo's sync cycle), if they publish a
    /// floor: advice never suggests a schedule or latency below it.
    public var vendorFloor: SyncFloor?

    /// The `from` of a link that reads the truth itself.
    public static let truth = -1

    public init(name: String, from: Int, to: Int, fields: [FieldID], mode: Mode, retry: RetryPolicy = .standard) {
        self.name = name
        self.from = from
        self.to = to
        self.fields = fields
        self.mode = mode
        self.retry = retry
    }
}

/// Retries with backoff: attempt `n` (from 1) waits `base` (fixed) or `base * 2^(n-1)`
/// (exponential), capped at `cap`; with jitter the wait is drawn uniformly from 0 to that
/// ("full jitter"). After `attempts` retries the record goes to the dead-letter queue.
public struct RetryPolicy: Sendable {
    public enum Backoff: String, Sendable, CaseIterable { case fixed, exponential }
    public var attempts: Int
    public var backoff: Backoff
    public var base: SimDuration
    public var cap: SimDuration
    public var jitter: Bool

    /// Three retries, exponential from 30 s: what most connectors do out of the box.
    public static let standard = RetryPolicy(attempts: 3, backoff: .exponential, base: .seconds(30))

    public init(attempts: Int, backoff: Backoff, base: SimDuration, cap: SimDuration = .hours(1), jitter: Bool = false)
    {
        self.attempts = attempts
        self.backoff = backoff
        self.base = base
        self.cap = cap
        self.jitter = jitter
    }

    /// The wait before retry `attempt` (1-based), with `unit` a uniform draw in [0, 1) for jitter.
    public func wait(attempt: Int, unit: Double) -> SimDuration {
        var ms = Double(base.milliseconds)
        if backoff == .exponential { ms *= Double(1 << min(attempt - 1, 40)) }
        ms = min(ms, Double(cap.milliseconds))
        if jitter { ms *= unit }
        return SimDuration(roundingMilliseconds: ms)
    }
}

/// The shortest interval a vendor's own sync runs at, and where the figure comes from.
public struct SyncFloor: Sendable, Equatable {
    public var interval: SimDuration
    public var source: String
    public init(interval: SimDuration, source: String) {
        self.interval = interval
        self.source = source
    }
}
