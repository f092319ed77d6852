import SimKernel

/// Per-customer records of `slots` one-byte values, each with the id of the truth change it
/// came from: the layout the truth and every platform's copy share.
///
/// A customer's record is `slots` provenances (4 bytes each, -1 at first) followed by `slots`
/// values (1 byte each, 0 at first), side by side: reading a customer's value and where it came
/// from touches one cache line and one page, not one in a value array and another in a
/// provenance array.
public struct ValueRecords: Sendable {
    public let customerCount: Int
    public let slots: Int
    @usableFromInline let stride: Int
    @usableFromInline var bytes: [UInt8]

    public init(customerCount: Int, slots: Int) {
        self.customerCount = customerCount
        self.slots = slots
        stride = 5 * slots
        var bytes = [UInt8](hugeRepeating: 0xFF, count: customerCount * 5 * slots)
        bytes.withUnsafeMutableBytes { b in
            for c in 0..<customerCount { for s in 0..<slots { b[c * 5 * slots + 4 * slots + s] = 0 } }
        }
        self.bytes = bytes
    }

    @inlinable public func value(_ customer: Int, _ slot: Int) -> UInt8 { bytes[customer * stride + 4 * slots + slot] }

    @inlinable public func changeId(_ customer: Int, _ slot: Int) -> Int64 {
        let o = customer * stride + 4 * slot
        return Int64(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: o, as: Int32.self) })
    }

    @inlinable public mutating func setValue(_ customer: Int, _ slot: Int, _ value: UInt8) {
        bytes[customer * stride + 4 * slots + slot] = value
    }

    @inlinable public mutating func store(_ customer: Int, _ slot: Int, value: UInt8, changeId: Int64) {
        bytes[customer * stride + 4 * slots + slot] = value
        let o = customer * stride + 4 * slot
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: Int32(truncatingIfNeeded: changeId), toByteOffset: o, as: Int32.self) }
    }

    /// Starts loading a customer's record (a hint; see `Array.prefetchForWrite`). Mutating only so
    /// that a caller reaches it through `modify` accessors, without copying the records.
    @inlinable public mutating func prefetch(_ customer: Int) {
        guard stride > 0 else { return }
        bytes.prefetchForWrite(customer * stride)
        bytes.prefetchForWrite(customer * stride + stride - 1)
    }

    /// Bytes held for values (one per slot per customer) and for provenance (four per slot).
    public var valueByteCount: Int { customerCount * slots }
    public var provenanceByteCount: Int { customerCount * slots * 4 }
}
