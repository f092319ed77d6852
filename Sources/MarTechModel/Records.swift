/// Rows a run produces. Plain integer structs: the engine appends them to reusable buffers and
/// the store writes them; neither knows the other's types beyond these.

/// Why the truth changed.
public enum TruthChangeCause: UInt8, Sendable, CustomStringConvertible {
    /// A behaviour process (organic conversion, leaving a segment, revoking consent); `causeRef` is its index.
    case behavior = 0
    /// A response to a touchpoint; `causeRef` is the touchpoint id.
    case response
    /// A cascade from another change; `causeRef` is that change's id.
    case cascade
    public var description: String { ["behavior", "response", "cascade"][Int(rawValue)] }
}

public struct CustomerRecord: Sendable {
    public var id: Int32
    public var timezone: UInt8
    public var age: UInt8
    public var device: UInt8
    public var attributes: UInt32
    /// Initial value of every truth field, 4 bits each, field 0 in the lowest bits.
    public var initialFields: UInt64
    public init(id: Int32, timezone: UInt8, age: UInt8, device: UInt8, attributes: UInt32, initialFields: UInt64) {
        self.id = id
        self.timezone = timezone
        self.age = age
        self.device = device
        self.attributes = attributes
        self.initialFields = initialFields
    }
}

public struct TruthChangeRecord: Sendable {
    public var id: Int64
    public var customer: Int32
    public var field: UInt16
    public var oldValue: UInt8
    public var newValue: UInt8
    public var at: Int64
    public var cause: TruthChangeCause
    public var causeRef: Int64
    public init(
        id: Int64, customer: Int32, field: UInt16, oldValue: UInt8, newValue: UInt8, at: Int64,
        cause: TruthChangeCause, causeRef: Int64
    ) {
        self.id = id
        self.customer = customer
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.at = at
        self.cause = cause
        self.causeRef = causeRef
    }
}

/// One field of one customer arriving at a link's destination.
public struct DeliveryRecord: Sendable {
    public var link: UInt16
    public var customer: Int32
    public var field: UInt16
    /// The truth change this value came from (provenance); -1 for the initial import.
    public var changeId: Int64
    public var value: UInt8
    /// When it left the source: the snapshot instant of a batch, the change instant of a stream.
    public var sentAt: Int64
    /// When the destination's copy took the value.
    public var appliedAt: Int64
    /// The batch number, or -1 for a stream delivery.
    public var batch: Int32
    public init(
        link: UInt16, customer: Int32, field: UInt16, changeId: Int64, value: UInt8, sentAt: Int64,
        appliedAt: Int64, batch: Int32
    ) {
        self.link = link
        self.customer = customer
        self.field = field
        self.changeId = changeId
        self.value = value
        self.sentAt = sentAt
        self.appliedAt = appliedAt
        self.batch = batch
    }
}

/// A message that went out (email, SMS, push, sales task). Ad impressions are aggregated separately.
public struct TouchpointRecord: Sendable {
    public var id: Int64
    public var customer: Int32
    public var step: Int16
    public var channel: Channel
    public var platform: UInt16
    public var decidedAt: Int64
    public var deliveredAt: Int64
    public var opened: Bool
    public var clicked: Bool
    public var converted: Bool
    public var optedOut: Bool
    public init(
        id: Int64, customer: Int32, step: Int16, channel: Channel, platform: UInt16, decidedAt: Int64,
        deliveredAt: Int64, opened: Bool = false, clicked: Bool = false, converted: Bool = false,
        optedOut: Bool = false
    ) {
        self.id = id
        self.customer = customer
        self.step = step
        self.channel = channel
        self.platform = platform
        self.decidedAt = decidedAt
        self.deliveredAt = deliveredAt
        self.opened = opened
        self.clicked = clicked
        self.converted = converted
        self.optedOut = optedOut
    }
}

/// Ad impressions to one customer on one DSP over the run.
public struct ImpressionSummaryRecord: Sendable {
    public var customer: Int32
    public var platform: UInt16
    public var served: Int32
    /// Impressions served while the customer had truly converted.
    public var wasted: Int32
    public var firstAt: Int64
    public var lastAt: Int64
    public init(customer: Int32, platform: UInt16, served: Int32, wasted: Int32, firstAt: Int64, lastAt: Int64) {
        self.customer = customer
        self.platform = platform
        self.served = served
        self.wasted = wasted
        self.firstAt = firstAt
        self.lastAt = lastAt
    }
}

/// One impression, written only with `--record all`.
public struct ImpressionRecord: Sendable {
    public var customer: Int32
    public var platform: UInt16
    public var at: Int64
    public var wasted: Bool
    public init(customer: Int32, platform: UInt16, at: Int64, wasted: Bool) {
        self.customer = customer
        self.platform = platform
        self.at = at
        self.wasted = wasted
    }
}

public struct MisfireRecord: Sendable {
    public var id: Int64
    /// The touchpoint, or -1 for aggregated ad impressions.
    public var touchpoint: Int64
    public var customer: Int32
    public var type: MisfireType
    public var platform: UInt16
    /// The truth field the platform's view got wrong, or -1.
    public var field: Int16
    public var cause: MisfireCause
    /// The link at fault, or -1 when no link is.
    public var causeLink: Int16
    /// The truth change the platform had not seen, or -1.
    public var changeId: Int64
    public var at: Int64
    /// Messages this row stands for (ad impressions are aggregated per customer and interval).
    public var count: Int32
    /// How old the unseen truth change was when the platform acted, in ms (-1: no change involved).
    public var staleMs: Int64 = -1
    /// The injected fault behind it (index into the run's faults), or -1.
    public var causeFault: Int16 = -1
    public init(
        id: Int64, touchpoint: Int64, customer: Int32, type: MisfireType, platform: UInt16, field: Int16,
        cause: MisfireCause, causeLink: Int16, changeId: Int64, at: Int64, count: Int32
    ) {
        self.id = id
        self.touchpoint = touchpoint
        self.customer = customer
        self.type = type
        self.platform = platform
        self.field = field
        self.cause = cause
        self.causeLink = causeLink
        self.changeId = changeId
        self.at = at
        self.count = count
    }
}

/// Buffers of rows handed to a sink in one piece, so the hot path calls the sink rarely.
public struct RecordBatch: Sendable {
    public var customers: [CustomerRecord] = []
    public var truthChanges: [TruthChangeRecord] = []
    public var deliveries: [DeliveryRecord] = []
    public var touchpoints: [TouchpointRecord] = []
    public var impressionSummaries: [ImpressionSummaryRecord] = []
    public var impressions: [ImpressionRecord] = []
    public var misfires: [MisfireRecord] = []
    public init() {}

    public var rowCount: Int {
        customers.count + truthChanges.count + deliveries.count + touchpoints.count + impressionSummaries.count
            + impressions.count + misfires.count
    }
}

/// Where a run's rows go. The engine calls `consume` every few tens of thousands of rows.
public protocol RecordSink: AnyObject {
    func consume(_ batch: RecordBatch)
}

/// A sink that keeps nothing; for tests and benchmarks of the engine alone.
public final class DiscardingSink: RecordSink {
    public private(set) var rowCount = 0
    public init() {}
    public func consume(_ batch: RecordBatch) { rowCount += batch.rowCount }
}
