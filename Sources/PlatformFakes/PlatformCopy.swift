import MarTechModel
import SimKernel

/// One platform's own copy of the customer records it has received, with provenance.
///
/// For each field it holds, the copy keeps the value and the id of the truth change that value
/// came from (-1: the initial import). Fields the platform observes directly (the CRM as
/// system of record) are not stored: reading them reads the truth. Fields it neither holds nor
/// observes are absent, and reading one is a programming error.
public struct PlatformCopy: Sendable {
    public enum Slot: Equatable, Sendable {
        case absent
        case observesTruth
        case stored(Int)
    }
    public let customerCount: Int
    public let slots: [Slot]
    /// One record per customer, a slot per stored field.
    @usableFromInline var records: ValueRecords
    @usableFromInline let storedCount: Int
    @usableFromInline let slotIndex: [Int]

    /// - Parameters:
    ///   - held: fields kept in this copy (received over links or only imported at the start).
    ///   - observed: fields this platform reads from the truth at once.
    ///   - records: where the stored fields live (nil: memory of its own); a section laid out with
    ///     `ValueRecords.initialRecord(slots: storedFieldCount(...))`.
    public init(customerCount: Int, fieldCount: Int, held: [FieldID], observed: [FieldID], records section: RecordSection? = nil) {
        self.customerCount = customerCount
        let (slots, index, n) = Self.assignSlots(fieldCount: fieldCount, held: held, observed: observed)
        self.slots = slots
        self.slotIndex = index
        self.storedCount = n
        // Values are written from the truth before the run starts.
        if let section {
            precondition(section.arena.customerCount == customerCount, "a copy's section must hold every customer")
            records = ValueRecords(section: section, slots: n)
        } else {
            records = ValueRecords(customerCount: customerCount, slots: n)
        }
    }

    /// How many fields a copy with these held and observed fields stores itself (its slots): what
    /// a section for it must be laid out with.
    public static func storedFieldCount(fieldCount: Int, held: [FieldID], observed: [FieldID]) -> Int {
        assignSlots(fieldCount: fieldCount, held: held, observed: observed).count
    }

    /// Each field's slot, each field's stored index (-1: not stored), and how many are stored.
    private static func assignSlots(fieldCount: Int, held: [FieldID], observed: [FieldID])
        -> (slots: [Slot], index: [Int], count: Int)
    {
        var slots = [Slot](repeating: .absent, count: fieldCount)
        var index = [Int](repeating: -1, count: fieldCount)
        var n = 0
        for f in observed { slots[f] = .observesTruth }
        for f in held where slots[f] == .absent {
            slots[f] = .stored(n)
            index[f] = n
            n += 1
        }
        return (slots, index, n)
    }

    /// Bytes held: one value and one provenance per stored field per customer.
    public var byteCount: Int { records.valueByteCount + records.provenanceByteCount }
    /// How many fields this copy stores itself.
    public var storedFieldCount: Int { storedCount }

    @inlinable public func isStored(_ field: FieldID) -> Bool { slotIndex[field] >= 0 }

    /// The stored value; the caller has checked `isStored`.
    @inlinable public func storedValue(_ customer: Int, _ field: FieldID) -> UInt8 {
        records.value(customer, slotIndex[field])
    }

    @inlinable public func storedChangeId(_ customer: Int, _ field: FieldID) -> Int64 {
        records.changeId(customer, slotIndex[field])
    }

    /// Writes a value and where it came from.
    @inlinable public mutating func store(_ customer: Int, _ field: FieldID, value: UInt8, changeId: Int64) {
        assert(slotIndex[field] >= 0, "storing a field this copy does not hold would overwrite another customer's")
        records.store(customer, slotIndex[field], value: value, changeId: changeId)
    }
}
