import CMemoryHints

/// Cache-line prefetch hints for per-customer arrays.
///
/// At ten million customers the engine's state (about 170 bytes per customer) is fifty times
/// the processor's cache, and events visit customers in random order, so nearly every touch of
/// a customer's state waits on memory. A handler that knows which customer comes next (the
/// event a few places ahead in a sorted run, the next entries of a batch) asks for those lines
/// now, and the waits overlap. A hint changes no value: outputs are identical with or without.
extension Array {
    /// Starts loading element `i`'s cache line, to be written (nothing when `i` is out of range).
    @inlinable @inline(__always) public func prefetchForWrite(_ i: Int) {
        guard i >= 0 && i < count else { return }
        withUnsafeBufferPointer { rehearsal_prefetch_for_write($0.baseAddress! + i) }
    }
}

extension Array where Element: BitwiseCopyable {
    /// `count` copies of `value`, in memory advised to be backed by huge pages before it is first
    /// touched (when the array is large enough for that to matter: 8 MiB and up).
    ///
    /// Per-customer arrays are read in random customer order; with 4 KiB pages nearly every read
    /// at ten million customers also misses the TLB and walks the page tables (twice over in a
    /// virtual machine). A 2 MiB page covers 512 times as much. Values are the same either way.
    @inlinable public init(hugeRepeating value: Element, count: Int) {
        let bytes = count * MemoryLayout<Element>.stride
        self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
            if bytes >= 8 << 20, let base = buffer.baseAddress { rehearsal_advise_huge_pages(base, bytes) }
            buffer.initialize(repeating: value)
            initialized = count
        }
    }
}
