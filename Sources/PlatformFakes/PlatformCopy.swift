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
    /// One record per customer: `storedCount` provenances (4 bytes each), then `storedCount`
    /// values (1 byte each), side by side, so reading a customer's copy touches one cache line.
    @usableFromInline var records: [UInt8]
    @usableFromInline let storedCount: Int
    @usableFromInline let stride: Int
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
        self.stride = 5 * n
        // Provenance -1 is all ones; values are written from the truth before the run starts.
        records = [UInt8](hugeRepeating: 0xFF, count: customerCount * 5 * n)
    }

    /// Bytes held: one value and one provenance per stored field per customer.
    public var byteCount: Int { records.count }
    /// How many fields this copy stores itself.
    public var storedFieldCount: Int { storedCount }

    @inlinable public func isStored(_ field: FieldID) -> Bool { slotIndex[field] >= 0 }

    @inlinable func valueOffset(_ customer: Int, _ field: FieldID) -> Int {
        customer * stride + 4 * storedCount + slotIndex[field]
    }
    @inlinable func provenanceOffset(_ customer: Int, _ field: FieldID) -> Int { customer * stride + 4 * slotIndex[field] }

    /// The stored value; the caller has checked `isStored`.
    @inlinable public func storedValue(_ customer: Int, _ field: FieldID) -> UInt8 {
        records[valueOffset(customer, field)]
    }

    @inlinable public func storedChangeId(_ customer: Int, _ field: FieldID) -> Int64 {
        let o = provenanceOffset(customer, field)
        return Int64(records.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: o, as: Int32.self) })
    }

    /// Starts loading a customer's record (a hint; see `Array.prefetch`). Mutating only so that a
    /// caller reaches it through `modify` accessors, without copying the copy.
    @inlinable public mutating func prefetch(_ customer: Int) {
        guard storedCount > 0 else { return }
        records.prefetchForWrite(customer * stride)
        records.prefetchForWrite(customer * stride + stride - 1)
    }

    /// Writes a value and where it came from.
    @inlinable public mutating func store(_ customer: Int, _ field: FieldID, value: UInt8, changeId: Int64) {
        assert(slotIndex[field] >= 0, "storing a field this copy does not hold would overwrite another customer's")
        records[valueOffset(customer, field)] = value
        let o = provenanceOffset(customer, field)
        records.withUnsafeMutableBytes {
            $0.storeBytes(of: Int32(truncatingIfNeeded: changeId), toByteOffset: o, as: Int32.self)
        }
    }
}
