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
