/// One thing that happens in a run. A small value type: no payload allocation per event.
///
/// Fields are reused by kind, as documented on each case, so that every event fits 20 bytes.
public struct SimEvent: Sendable {
    public enum Kind: UInt8, Sendable {
        /// A behaviour process fires. `index`: process, `payload`: its token when scheduled.
        case processFires
        /// A response to a touchpoint changes the truth. `field`/`value`: the change,
        /// `index`: observing platform + 1 (0: none), `payload`: touchpoint id.
        case responseChange
        /// A stream link delivers. `index`: link, `field`/`value`, `payload`: truth change id,
        /// `aux`: the latency in ms (to recover when it left the source).
        case streamArrives
        /// A batch link snapshots its changed records. `index`: link, `payload`: schedule position.
        case batchSnapshot
        /// A batch page reaches the destination. `index`: link, `payload`: batch, `customer`: page,
        /// `field`: 1 once the destination's apply delay has passed.
        case batchApply
        /// A scheduled journey step evaluates everyone. `index`: step.
        case stepAt
        /// A triggered journey step evaluates one customer. `index`: step.
        case stepCheck
        /// A decided message reaches the customer. `payload`: pending delivery slot.
        case deliver
        /// One ad impression (per-event mode only). `index`: retargeting, `payload`: token.
        case impression
        /// A fault's window opens (`value` 0) or closes (`value` 1). `index`: fault.
        case faultEdge
    }
    public var kind: Kind
    public var field: UInt8 = 0
    public var value: UInt8 = 0
    /// Delivery attempt and marks (`attemptMask`, `duplicateMark`, `quietMark`): fits the padding byte.
    public var tag: UInt8 = 0
    public var index: UInt16 = 0
    public var customer: Int32 = 0
    public var payload: Int32 = 0
    public var aux: UInt32 = 0

    /// Low six bits of `tag`: how many times this delivery or batch run failed before.
    public static let attemptMask: UInt8 = 0x3F
    /// A duplicated copy of a delivery, or a journey re-entered by one (`payload`: the fault).
    public static let duplicateMark: UInt8 = 0x40
    /// A replayed or backfilled record that must not fire journeys; on a batch snapshot, an
    /// extra run (a retry or a backfill) that does not continue the schedule.
    public static let quietMark: UInt8 = 0x80

    @inlinable public init(_ kind: Kind, index: Int = 0, customer: Int = 0, payload: Int32 = 0) {
        self.kind = kind
        self.index = UInt16(truncatingIfNeeded: index)
        self.customer = Int32(truncatingIfNeeded: customer)
        self.payload = payload
    }
}

/// Typed readings of the fields an event reuses by kind: each accessor names the kinds it
/// applies to, so a handler reads `e.link` or `e.changeId`, not `Int(e.index)` or `e.payload`.
extension SimEvent {
    /// `streamArrives`, `batchSnapshot`, `batchApply`: the link.
    @inlinable public var link: Int { Int(index) }
    /// `stepAt`, `stepCheck`: the journey step.
    @inlinable public var step: Int { Int(index) }
    /// `processFires`: the behaviour process.
    @inlinable public var process: Int { Int(index) }
    /// `faultEdge`: the fault.
    @inlinable public var fault: Int { Int(index) }
    /// `impression`: the retargeting.
    @inlinable public var retargeting: Int { Int(index) }
    /// `responseChange`: the platform that sees the response itself (its unsubscribe or STOP), if any.
    @inlinable public var observer: Int? { index == 0 ? nil : Int(index) - 1 }
    /// Every kind about one customer: the customer.
    @inlinable public var customerIndex: Int { Int(customer) }
    /// `batchApply`: the page of the batch.
    @inlinable public var page: Int { Int(customer) }
    /// `responseChange`, `streamArrives`: the field.
    @inlinable public var fieldID: Int { Int(field) }
    /// `streamArrives`: the truth change carried (below -1: nulled by a fault).
    @inlinable public var changeId: Int64 { Int64(payload) }
    /// `responseChange`: the touchpoint responded to.
    @inlinable public var touchpointId: Int64 { Int64(payload) }
    /// `deliver`: the held message's slot.
    @inlinable public var pendingSlot: Int { Int(payload) }
    /// `batchSnapshot`: the position in the link's schedule (-1: a retry or a backfill run).
    @inlinable public var schedulePosition: Int { Int(payload) }
    /// `batchApply`: the batch.
    @inlinable public var batch: Int32 { payload }
    /// A duplicated `streamArrives`: the fault that duplicated it.
    @inlinable public var duplicatingFault: Int { Int(aux) }
    /// How many times this delivery or batch run failed before.
    @inlinable public var attempt: Int { Int(tag & SimEvent.attemptMask) }
}
