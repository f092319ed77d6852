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
    @usableFromInline var values: [UInt8]
    @usableFromInline var changeIds: [Int32]
    @usableFromInline let storedCount: Int
    @usableFromInline let slotIndex: [Int]

    /// - Parameters:
    ///   - held: fields kept in this copy (received over links or only imported at the start).
    ///   - observed: fields this platform reads from the truth at once.
    public init(customerCount: Int, fieldCount: Int, held: [FieldID], observed: [FieldID]) {
        self.customerCount = customerCount
        var slots = [Slot](repeating: .absent, count: fieldCount)
        var index = [Int](repeating: -1, count: fieldCount)
        var n = 0
        for f in observed { slots[f] = .observesTruth }
        for f in held where slots[f] == .absent {
            slots[f] = .stored(n)
            index[f] = n
            n += 1
        }
        self.slots = slots
        self.slotIndex = index
        self.storedCount = n
        values = [UInt8](repeating: 0, count: customerCount * n)
        changeIds = [Int32](repeating: -1, count: customerCount * n)
    }

    /// Bytes held: one value and one provenance per stored field per customer.
    public var byteCount: Int { values.count + changeIds.count * MemoryLayout<Int32>.stride }
    /// How many fields this copy stores itself.
    public var storedFieldCount: Int { storedCount }

    @inlinable public func isStored(_ field: FieldID) -> Bool { slotIndex[field] >= 0 }

    /// The stored value; the caller has checked `isStored`.
    @inlinable public func storedValue(_ customer: Int, _ field: FieldID) -> UInt8 {
        values[customer * storedCount + slotIndex[field]]
    }

    @inlinable public func storedChangeId(_ customer: Int, _ field: FieldID) -> Int64 {
        Int64(changeIds[customer * storedCount + slotIndex[field]])
    }

    /// Writes a value and where it came from.
    @inlinable public mutating func store(_ customer: Int, _ field: FieldID, value: UInt8, changeId: Int64) {
        assert(slotIndex[field] >= 0, "storing a field this copy does not hold would overwrite another customer's")
        let i = customer * storedCount + slotIndex[field]
        values[i] = value
        changeIds[i] = Int32(truncatingIfNeeded: changeId)
    }
}
