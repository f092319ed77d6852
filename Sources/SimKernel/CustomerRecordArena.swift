import CMemoryHints

/// The plan of one customer's record: sections of bytes side by side, each with its initial
/// bytes, added one after the other by the parts of the engine that keep state per customer.
///
/// ```swift
/// var layout = CustomerRecordLayout()
/// let truth = layout.add(initial: ValueRecords.initialRecord(slots: 5))   // offset 0
/// let cores = layout.add(initial: [UInt8](repeating: 0, count: 21))      // offset 25
/// let arena = CustomerRecordArena(customerCount: n, layout: layout)
/// ```
public struct CustomerRecordLayout: Sendable {
    /// Each customer's record as it starts: every section's initial bytes at its offset.
    public private(set) var initial: [UInt8] = []

    public init() {}

    /// Bytes from one customer's record to the next: the sections, padded to 8 bytes so that
    /// a section aligned within the record stays aligned in every record.
    public var stride: Int { (initial.count + 7) & ~7 }
    /// Bytes of the sections themselves, without alignment padding.
    public private(set) var sectionBytes = 0
    /// Bytes of padding per record: between sections, for alignment, and at the end.
    public var paddingBytes: Int { stride - sectionBytes }

    /// Appends a section whose record starts as `initial`, at an offset that is a multiple of
    /// `alignment` (at most 8), and returns that offset.
    public mutating func add(initial bytes: [UInt8], alignment: Int = 1) -> Int {
        precondition(alignment >= 1 && alignment <= 8 && alignment & (alignment - 1) == 0, "alignment must be 1, 2, 4 or 8")
        while initial.count % alignment != 0 { initial.append(0) }
        let offset = initial.count
        initial.append(contentsOf: bytes)
        sectionBytes += bytes.count
        return offset
    }
}

/// Every customer's record in one block of memory: the engine's per-customer state, laid out
/// by a `CustomerRecordLayout`, customer after customer.
///
/// Events visit customers in random order. With the truth, the generators, each platform's copy
/// and each impression account in arrays of their own, one event touched one cache line and one
/// page in each; at ten million customers each of those was a TLB miss and a page walk (twice
/// over in a virtual machine). In one record, a customer's state is two or three neighbouring
/// lines on one page. Measured on this machine's kind (random touches of six arrays of 25, 21,
/// 15, 5, 10 and 32 bytes per customer against one 108-byte record): 48–80 ns against 20–29 ns.
///
/// Reference semantics: the sections (`RecordSection`) of one arena share its memory, and a
/// copy of a section is the same section. Each world builds its own arena and never shares it;
/// it is `Sendable` because a world moves between threads (a serve session's), one at a time.
public final class CustomerRecordArena: @unchecked Sendable {
    public let customerCount: Int
    /// Bytes from one customer's record to the next.
    public let stride: Int
    /// Bytes of each record that its sections use, alignment included (`layout.stride`): what a
    /// prefetch loads. Less than `stride` only when the records are spread (`spacing`).
    @usableFromInline let recordBytes: Int
    let paddingPerRecord: Int
    @usableFromInline let base: UnsafeMutableRawPointer

    /// Allocates `customerCount` records and writes each one's initial bytes, in one pass
    /// (the first touch of the memory, advised to be backed by huge pages).
    ///
    /// `spacing`, if more than the layout's stride, spreads the records that many bytes apart
    /// (rounded up to 8): a benchmark's control, the same records and work over the block a
    /// larger population would take, to tell what the block's size costs from what the work
    /// costs. Values, and so results, are the same at any spacing.
    public init(customerCount: Int, layout: CustomerRecordLayout, spacing: Int = 0) {
        precondition(customerCount >= 0, "a negative customer count")
        precondition(spacing >= 0 && spacing <= 1 << 20, "a record spacing from 0 to 1 MiB")
        let stride = max(layout.stride, (spacing + 7) & ~7)
        let (bytes, overflow) = customerCount.multipliedReportingOverflow(by: stride)
        precondition(!overflow, "\(customerCount) customer records do not fit in memory")
        self.customerCount = customerCount
        self.stride = stride
        recordBytes = layout.stride
        base = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: 64)
        if bytes >= 8 << 20 { rehearsal_advise_huge_pages(base, bytes) }
        var record = layout.initial
        record.append(contentsOf: [UInt8](repeating: 0, count: stride - record.count))
        paddingPerRecord = stride - layout.sectionBytes
        guard customerCount > 0 && stride > 0 else { return }
        record.withUnsafeBytes { base.copyMemory(from: $0.baseAddress!, byteCount: stride) }
        // Doubling up to a block of about 256 KiB, then that block over and over (it stays in cache).
        let block = max(1, min(customerCount, (256 << 10) / stride))
        var filled = 1
        while filled < customerCount {
            let n = min(filled < block ? filled : block, customerCount - filled)
            (base + filled * stride).copyMemory(from: base, byteCount: n * stride)
            filled += n
        }
    }

    deinit { base.deallocate() }

    /// Bytes held for all records.
    public var byteCount: Int { customerCount * stride }
    /// Bytes of all records that no section uses (alignment padding).
    public var paddingByteCount: Int { customerCount * paddingPerRecord }

    /// One section of every record, starting `offset` bytes into each.
    public func section(at offset: Int) -> RecordSection { RecordSection(arena: self, offset: offset) }

    /// Starts loading every cache line of customer `c`'s record, to be written (a hint).
    @inlinable @inline(__always) public func prefetch(_ c: Int) {
        guard c >= 0 && c < customerCount else { return }
        let start = base + c * stride
        var line = 0
        while line < recordBytes {
            rehearsal_prefetch_for_write(start + line)
            line += 64
        }
        rehearsal_prefetch_for_write(start + recordBytes - 1)
    }
}

/// One part's section of every customer's record in an arena: the bytes at `offset` in each.
/// A value holding a section refers to the arena's memory (see `CustomerRecordArena`).
public struct RecordSection: @unchecked Sendable {
    public let arena: CustomerRecordArena
    @usableFromInline let start: UnsafeMutableRawPointer
    @usableFromInline let stride: Int
    @usableFromInline let customerCount: Int

    init(arena: CustomerRecordArena, offset: Int) {
        self.arena = arena
        start = arena.base + offset
        stride = arena.stride
        customerCount = arena.customerCount
    }

    /// A section of its own: an arena of `customerCount` records that are `initial` alone.
    public init(customerCount: Int, initial: [UInt8], alignment: Int = 1) {
        var layout = CustomerRecordLayout()
        let offset = layout.add(initial: initial, alignment: alignment)
        self.init(arena: CustomerRecordArena(customerCount: customerCount, layout: layout), offset: offset)
    }

    /// The start of customer `c`'s part of its record (checked: a customer out of range stops).
    @inlinable @inline(__always) public func pointer(_ c: Int) -> UnsafeMutableRawPointer {
        precondition(UInt(bitPattern: c) < UInt(bitPattern: customerCount), "customer \(c) out of range")
        return start + c * stride
    }
}
