import SimKernel

/// Per-customer records of `slots` one-byte values, each with the id of the truth change it
/// came from: the layout the truth and every platform's copy share.
///
/// A customer's record is `slots` provenances (4 bytes each, -1 at first) followed by `slots`
/// values (1 byte each, 0 at first), side by side: reading a customer's value and where it came
/// from touches one cache line and one page, not one in a value array and another in a
/// provenance array. The records are a section of a `CustomerRecordArena`: the engine puts them
/// in each customer's one record, beside the customer's other state. A copy of this value refers
/// to the same records (the arena's memory is shared, not copied on write).
public struct ValueRecords: Sendable {
    public let customerCount: Int
    public let slots: Int
    @usableFromInline let section: RecordSection

    /// One customer's record as it starts: every provenance -1, every value 0.
    public static func initialRecord(slots: Int) -> [UInt8] {
        [UInt8](repeating: 0xFF, count: 4 * slots) + [UInt8](repeating: 0, count: slots)
    }

    /// Records of their own, in an arena of their own.
    public init(customerCount: Int, slots: Int) {
        self.init(section: RecordSection(customerCount: customerCount, initial: Self.initialRecord(slots: slots)), slots: slots)
    }

    /// Records in a section of a shared arena, laid out there from `initialRecord(slots:)`.
    public init(section: RecordSection, slots: Int) {
        self.customerCount = section.arena.customerCount
        self.slots = slots
        self.section = section
    }

    @inlinable public func value(_ customer: Int, _ slot: Int) -> UInt8 {
        assert(slot >= 0 && slot < slots, "slot out of range")
        return section.pointer(customer).load(fromByteOffset: 4 * slots + slot, as: UInt8.self)
    }

    @inlinable public func changeId(_ customer: Int, _ slot: Int) -> Int64 {
        assert(slot >= 0 && slot < slots, "slot out of range")
        return Int64(section.pointer(customer).loadUnaligned(fromByteOffset: 4 * slot, as: Int32.self))
    }

    @inlinable public mutating func setValue(_ customer: Int, _ slot: Int, _ value: UInt8) {
        assert(slot >= 0 && slot < slots, "slot out of range")
        section.pointer(customer).storeBytes(of: value, toByteOffset: 4 * slots + slot, as: UInt8.self)
    }

    @inlinable public mutating func store(_ customer: Int, _ slot: Int, value: UInt8, changeId: Int64) {
        assert(slot >= 0 && slot < slots, "slot out of range")
        let record = section.pointer(customer)
        record.storeBytes(of: value, toByteOffset: 4 * slots + slot, as: UInt8.self)
        record.storeBytes(of: Int32(truncatingIfNeeded: changeId), toByteOffset: 4 * slot, as: Int32.self)
    }

    /// Bytes held for values (one per slot per customer) and for provenance (four per slot).
    public var valueByteCount: Int { customerCount * slots }
    public var provenanceByteCount: Int { customerCount * slots * 4 }
}
