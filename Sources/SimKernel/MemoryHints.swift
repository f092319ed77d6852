import CMemoryHints

/// Memory hints for per-customer arrays. The prefetch hint for a customer's state is
/// `CustomerRecordArena.prefetch`: at ten million customers nearly every touch of a customer's
/// state waits on memory, and a handler that knows which customer comes next asks for those
/// lines early. A hint changes no value: outputs are identical with or without.
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
