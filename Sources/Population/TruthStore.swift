import MarTechModel
import SimKernel

/// Every customer's true state, one record per customer.
///
/// Truth is what the customer experiences; no platform reads it except those that observe a
/// field directly (the CRM as system of record). For provenance, each field also remembers the
/// id of the truth change that set it (-1: its initial value), and the store keeps every
/// change's instant, so the oracle can tell how long a platform has been behind.
///
/// A customer's record is `fieldCount` provenances (4 bytes each) followed by `fieldCount`
/// values (1 byte each), 5 bytes per field, side by side (`ValueRecords`); in the engine it is a
/// section of the customer's one record, beside the platforms' copies and the generator. A copy
/// of a store refers to the same records; only the change log is copied on write.
public struct TruthStore: Sendable {
    public let customerCount: Int
    public let fieldCount: Int
    /// One record per customer, a slot per field.
    @usableFromInline var records: ValueRecords
    /// The instant of each truth change, indexed by change id.
    public var changeTimes: [Int64] = []

    /// A store in memory of its own.
    public init(customerCount: Int, fieldCount: Int) {
        self.init(fieldCount: fieldCount, records: ValueRecords(customerCount: customerCount, slots: fieldCount))
    }

    /// A store in a section of a shared arena laid out with `ValueRecords.initialRecord(slots: fieldCount)`.
    public init(fieldCount: Int, records: ValueRecords) {
        precondition(records.slots == fieldCount, "a truth record needs one slot per field")
        self.customerCount = records.customerCount
        self.fieldCount = fieldCount
        self.records = records
    }

    @inlinable public func value(_ customer: Int, _ field: FieldID) -> UInt8 { records.value(customer, field) }

    @inlinable public func lastChangeId(_ customer: Int, _ field: FieldID) -> Int64 { records.changeId(customer, field) }

    @inlinable public func holds(_ customer: Int, _ conditions: [Condition]) -> Bool {
        for c in conditions where !c.isMet(by: value(customer, c.field)) { return false }
        return true
    }

    /// Bytes held for values (one per field per customer) and for provenance (four per field), for
    /// the engine's memory accounting.
    public var valueByteCount: Int { records.valueByteCount }
    public var provenanceByteCount: Int { records.provenanceByteCount }

    /// Sets an initial value (before the run starts; no change is recorded).
    public mutating func setInitial(_ customer: Int, _ field: FieldID, _ value: UInt8) {
        records.setValue(customer, field, value)
    }

    /// Records a change and returns its id.
    @inlinable public mutating func change(_ customer: Int, _ field: FieldID, to value: UInt8, at: SimInstant) -> Int64
    {
        let id = changeTimes.count
        precondition(id < Int(Int32.max), "more than 2^31 truth changes in one run")
        changeTimes.append(at.millisecondsSinceStart)
        records.store(customer, field, value: value, changeId: Int64(id))
        return Int64(id)
    }

    @inlinable public func changeTime(_ id: Int64) -> Int64 { id < 0 ? Int64.min : changeTimes[Int(id)] }

    /// The initial values of one customer, four bits per field (for the `customer` table).
    public func packedValues(_ customer: Int) -> UInt64 {
        var packed: UInt64 = 0
        for f in 0..<min(fieldCount, 16) {
            packed |= UInt64(value(customer, f) & 0xF) << (4 * UInt64(f))
        }
        return packed
    }
}
