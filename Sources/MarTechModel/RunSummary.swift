/// The headline numbers of one run, counted by the engine as it goes.
public struct RunSummary: Sendable, Equatable, Codable {
    public var customers = 0
    public var touchpointsByChannel = [Int](repeating: 0, count: Channel.allCases.count)
    /// Sends a platform held back (its own consent copy, a frequency cap, a lookup that said no).
    public var suppressedByChannel = [Int](repeating: 0, count: Channel.allCases.count)
    public var conversionsOrganic = 0
    public var conversionsAfterMessage = 0
    public var impressionsServed = 0
    public var impressionsWasted = 0
    public var misfiresByType = [Int](repeating: 0, count: MisfireType.allCases.count)
    /// Misfires counted by type and root cause: `[type][cause]`.
    public var misfiresByTypeAndCause = [[Int]](
        repeating: [Int](repeating: 0, count: MisfireCause.allCases.count), count: MisfireType.allCases.count)
    /// Misfires counted by type and channel: `[type][channel]`.
    public var misfiresByTypeAndChannel = [[Int]](
        repeating: [Int](repeating: 0, count: Channel.allCases.count), count: MisfireType.allCases.count)
    /// Touchpoints (not impressions) with at least one misfire, per channel.
    public var touchpointsMisfiredByChannel = [Int](repeating: 0, count: Channel.allCases.count)
    /// Distinct customers with at least one misfire, per type and channel: `[type][channel]`.
    public var customersMisfiredByTypeAndChannel = [[Int]](
        repeating: [Int](repeating: 0, count: Channel.allCases.count), count: MisfireType.allCases.count)
    /// Per platform, in plan order: how fast it delivered what it decided to send.
    public var platforms: [PlatformFigures] = []
    /// Misfires per day of the run, by type: `[type][day]` (for the timeline chart).
    public var misfiresByDay: [[Int]] = []
    /// Misfires carrying a published penalty, per `Exposure`.
    public var exposureCounts = [Int](repeating: 0, count: Exposure.allCases.count)
    public var truthChanges = 0
    public var deliveries = 0
    /// Per link, in plan order: freshness and the misfires it caused.
    public var links: [LinkFigures] = []
    /// Misfires the deciding platform could have avoided with its own copy, per step and type: `[step][type]`.
    public var designMisfiresByStep: [[Int]] = []
    /// Per step, how far each decision got: `[step][FunnelStage]` (nil in summaries written
    /// before the funnel was counted).
    public var stepFunnel: [[Int]]?
    /// Per injected fault, in plan order: what it touched.
    public var faults: [FaultFigures] = []
    public var eventsProcessed = 0
    public var pendingEventsMax = 0

    public init() {}

    public var conversions: Int { conversionsOrganic + conversionsAfterMessage }
    public func touchpoints(_ channel: Channel) -> Int { touchpointsByChannel[Int(channel.rawValue)] }
    public func misfires(_ type: MisfireType) -> Int { misfiresByType[Int(type.rawValue)] }
    public func misfires(_ type: MisfireType, on channel: Channel) -> Int {
        misfiresByTypeAndChannel[Int(type.rawValue)][Int(channel.rawValue)]
    }
}

/// What one link did during a run: its freshness (truth change → visible at the destination)
/// and the misfires attributed to it, with how stale the unseen changes were.
public struct LinkFigures: Sendable, Equatable, Codable {
    public var deliveries = 0
    /// Changes that entered the link, and those still not at the destination when the run ended.
    public var changesEntered = 0
    public var changesPendingAtEnd = 0
    /// Share of entered changes that reached the destination by the end (superseded ones count as delivered).
    public var completeness: Double {
        changesEntered == 0 ? 1 : 1 - Double(changesPendingAtEnd) / Double(changesEntered)
    }
    /// Freshness percentiles in ms from an HDR histogram (3 significant digits, so within 0.1%
    /// of the exact value); -1 when nothing was delivered.
    public var freshnessP50: Int64 = -1
    public var freshnessP95: Int64 = -1
    public var freshnessP99: Int64 = -1
    public var freshnessMax: Int64 = -1
    /// Per day of the run: deliveries, mean and max freshness in ms (for the freshness-over-time chart).
    public var daily: [DailyFreshness] = []
    /// Most records waiting in or travelling on the link at any moment of each day (backlog over time).
    public var backlogMaxByDay: [Int] = []
    /// Deliveries per freshness bucket; bucket upper bounds are `LinkFigures.histogramBounds`.
    public var histogram: [Int] = []
    /// Bucket upper bounds (ms) of `histogram`: 1s, 10s, 1m, 5m, 15m, 1h, 3h, 6h, 12h, 1d, 2d, 4d, beyond.
    public static let histogramBounds: [Int64] = [
        1_000, 10_000, 60_000, 300_000, 900_000, 3_600_000, 10_800_000, 21_600_000,
        43_200_000, 86_400_000, 172_800_000, 345_600_000, Int64.max,
    ]
    public var misfires = 0
    public var misfiresByType = [Int](repeating: 0, count: MisfireType.allCases.count)
    /// Failed requests tried again (outages, error windows).
    public var retries = 0
    /// Records moved to the dead-letter queue, and those later replayed or backfilled from it.
    public var deadLetters = 0
    public var replayed = 0
    /// Records that broke the link's contract (schema drift), whatever the policy did with them.
    public var contractViolations = 0
    /// Extra copies delivered (duplicates), and requests that waited behind a rate limit.
    public var duplicates = 0
    public var throttled = 0
    /// Staleness (ms) of the changes behind its misfires: a message has one age (`from == to`);
    /// aggregated impressions spread evenly over an interval of ages. `count` messages each.
    public var staleness: [Staleness] = []

    public init() {}

    /// Share of this link's misfires whose change was older than `threshold` when acted on:
    /// those a link fresher than `threshold` would have prevented (pro rata over an interval).
    public func preventedShare(freshnessUnder threshold: Int64) -> Double {
        var total = 0.0, prevented = 0.0
        for s in staleness {
            total += Double(s.count)
            if s.to <= s.from {
                if s.from > threshold { prevented += Double(s.count) }
            } else {
                let beyond = Double(max(0, s.to - max(s.from, threshold))) / Double(s.to - s.from)
                prevented += beyond * Double(s.count)
            }
        }
        return total > 0 ? prevented / total : 0
    }

}

/// What one platform delivered: decision → delivered latency and throughput per day.
public struct PlatformFigures: Sendable, Equatable, Codable {
    public var deliveries = 0
    /// Latency percentiles in ms; -1 when nothing was delivered.
    public var latencyP50: Int64 = -1
    public var latencyP95: Int64 = -1
    public var latencyMax: Int64 = -1
    /// Messages delivered per day of the run.
    public var perDay: [Int] = []
    public init() {}
}

/// One day of a link's deliveries: how many, mean and max freshness (ms).
public struct DailyFreshness: Sendable, Equatable, Codable {
    public var deliveries: Int
    public var meanMs: Int64
    public var maxMs: Int64
    public init(deliveries: Int, meanMs: Int64, maxMs: Int64) {
        self.deliveries = deliveries
        self.meanMs = meanMs
        self.maxMs = maxMs
    }
}

/// How stale the change behind `count` misfires was (ms), from `from` to `to` for aggregated impressions.
public struct Staleness: Sendable, Equatable, Codable {
    public var from: Int64
    public var to: Int64
    public var count: Int
    public init(from: Int64, to: Int64, count: Int) {
        self.from = from
        self.to = to
        self.count = count
    }
}

/// How far a journey step's decisions got, stage by stage, for the report's funnel.
public enum FunnelStage: Int, CaseIterable, Sendable, CustomStringConvertible {
    /// Decisions made: once per customer for a scheduled step, at each trigger for a triggered one.
    case evaluated = 0
    /// The deciding platform's copy put the customer in the step's audience.
    case inAudience
    /// A rule of the step skipped it (`skip_if_sent`, `skip_if_opened`, no device, under age).
    case skipped
    /// The sending platform held it back (consent, frequency cap, throughput, orchestrator).
    case heldBack
    /// Sent.
    case sent
    /// Sent and judged a misfire by the oracle.
    case misfired

    public var description: String {
        ["evaluated", "in audience", "skipped by a rule", "held back by the sender", "sent", "misfired"][rawValue]
    }
}

