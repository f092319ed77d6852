import SimKernel

/// A scenario compiled into what the engine executes: names resolved to indices, times to
/// instants, rates to per-millisecond numbers, probabilities to exact ratios.
///
/// `ScenarioKit` builds it from YAML; tests build it directly. It holds no I/O and no calendar:
/// every schedule is already a list of instants and every time zone a `LocalTimeTable`.
public struct RunPlan: Sendable {
    public var name: String
    public var seed: UInt64
    public var customers: Int
    public var horizon: SimInstant
    /// Unix milliseconds of the scenario's start; only used to turn instants into local clock times.
    public var startUnixMilliseconds: Int64
    public var fields: [FieldSpec]
    public var population: PopulationPlan
    public var behavior: BehaviorPlan
    public var platforms: [PlatformPlan]
    public var links: [LinkPlan]
    public var campaign: CampaignPlan
    /// Injected faults (the scenario's `chaos`, or a sweep's), applied by the engine.
    public var faults: [FaultPlan] = []
    /// Synthetic load for serve mode (`load:`); runs ignore it.
    public var load: [LoadPlan] = []
    /// Every default applied because the scenario did not say, with its source: said in every summary.
    public var assumptions: [Assumption] = []
    public var limits: RunLimits

    public init(
        name: String, seed: UInt64, customers: Int, horizon: SimInstant, startUnixMilliseconds: Int64,
        fields: [FieldSpec], population: PopulationPlan, behavior: BehaviorPlan, platforms: [PlatformPlan],
        links: [LinkPlan], campaign: CampaignPlan, limits: RunLimits = RunLimits()
    ) {
        self.name = name
        self.seed = seed
        self.customers = customers
        self.horizon = horizon
        self.startUnixMilliseconds = startUnixMilliseconds
        self.fields = fields
        self.population = population
        self.behavior = behavior
        self.platforms = platforms
        self.links = links
        self.campaign = campaign
        self.limits = limits
    }

    public func field(named name: String) -> FieldID? { fields.firstIndex { $0.name == name } }
    public func platform(named name: String) -> Int? { platforms.firstIndex { $0.name == name } }
}

/// A default a scenario did not state, applied with where it comes from (a vendor's or a
/// regulator's published figure, or an assumption said as such).
public struct Assumption: Sendable, Equatable {
    /// Where it would be written: `platforms.sms.throughput`.
    public var setting: String
    public var value: String
    public var source: String
    public init(setting: String, value: String, source: String) {
        self.setting = setting
        self.value = value
        self.source = source
    }
}

/// Limits that keep a run bounded: exceeding one stops the run with a reported error.
public struct RunLimits: Sendable {
    /// Most events the kernel may process in one run.
    public var eventBudget: Int = 2_000_000_000
    /// Most events pending at once.
    public var pendingEventsMax: Int = 200_000_000
    public init() {}
}

/// How the synthetic population looks at the start.
public struct PopulationPlan: Sendable {
    public var timezones: [(table: LocalTimeTable, share: Double)]
    /// Initial share of customers holding each flag field (segments, consents, behaviour flags).
    public var initialShares: [(field: FieldID, share: Ratio)]
    /// Lifecycle stage field and the initial share of each stage (indices into its value names).
    public var stage: (field: FieldID, shares: [Double])?
    /// Age buckets `(lowest, highest, share)`; empty means ages are not modelled.
    public var ageBuckets: [(lowest: Int, highest: Int, share: Double)]
    /// Static attributes: name, value names, shares.
    public var attributes: [(name: String, values: [String], shares: [Double])]
    /// Share of customers with a push-capable device, per device kind.
    public var devices: [(name: String, share: Double)]

    public init(
        timezones: [(table: LocalTimeTable, share: Double)] = [(.utc, 1)],
        initialShares: [(field: FieldID, share: Ratio)] = [], stage: (field: FieldID, shares: [Double])? = nil,
        ageBuckets: [(lowest: Int, highest: Int, share: Double)] = [],
        attributes: [(name: String, values: [String], shares: [Double])] = [],
        devices: [(name: String, share: Double)] = []
    ) {
        self.timezones = timezones
        self.initialShares = initialShares
        self.stage = stage
        self.ageBuckets = ageBuckets
        self.attributes = attributes
        self.devices = devices
    }
}

/// How the truth changes on its own and in response to messages.
public struct BehaviorPlan: Sendable {
    public var processes: [BehaviorProcess]
    public var responses: [Channel: ResponsePlan]
    /// When a field takes a value, another field follows (a purchase clears an abandoned cart).
    public var cascades: [(when: Condition, then: Condition)]

    public init(
        processes: [BehaviorProcess] = [], responses: [Channel: ResponsePlan] = [:],
        cascades: [(when: Condition, then: Condition)] = []
    ) {
        self.processes = processes
        self.responses = responses
        self.cascades = cascades
    }
}

/// A memoryless change of the truth: while `requires` holds and `field` is not yet `value`,
/// the change happens at rate `ratePerMillisecond` (an exponential waiting time).
public struct BehaviorProcess: Sendable {
    public var name: String
    public var field: FieldID
    public var value: UInt8
    public var ratePerMillisecond: Double
    public var requires: [Condition]
    /// A platform that sees this change itself, at once (the SMS platform receives the STOP).
    public var observedBy: Int?

    public init(
        name: String, field: FieldID, value: UInt8, ratePerMillisecond: Double, requires: [Condition] = [],
        observedBy: Int? = nil
    ) {
        self.name = name
        self.field = field
        self.value = value
        self.ratePerMillisecond = ratePerMillisecond
        self.requires = requires
        self.observedBy = observedBy
    }
}

/// How customers respond to one touchpoint on a channel.
public struct ResponsePlan: Sendable {
    public var open = Ratio.never
    public var clickGivenOpen = Ratio.never
    public var convertGivenClick = Ratio.never
    /// Conversion straight from delivery, without the open/click funnel.
    public var convert = Ratio.never
    /// Opt-out per message: an email unsubscribe, an SMS STOP, a push opt-out.
    public var optOut = Ratio.never
    public var openDelay = Distribution.exponential(mean: 2 * 3_600_000)
    public var convertDelay = Distribution.exponential(mean: 6 * 3_600_000)
    public var optOutDelay = Distribution.exponential(mean: 3_600_000)
    public init() {}
}
