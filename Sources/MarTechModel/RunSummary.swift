/// The headline numbers of one run, counted by the engine as it goes.
public struct RunSummary: Sendable, Equatable {
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
    public var truthChanges = 0
    public var deliveries = 0
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
