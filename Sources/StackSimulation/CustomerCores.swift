import SimKernel

/// What the engine touches for a customer on nearly every event it handles, one record per
/// customer: the behaviour generator's state, the generation of each behaviour process, and one
/// changed-since-last-run bit per batch link.
///
/// A behaviour firing reads its token, draws the next wait from the generator and marks the
/// batch links that carry the change: kept in three arrays, that was three cache lines (and, at
/// ten million customers, three page walks) per event; in one record it is one.
///
/// A record is `8 + 4 × processCount + ⌈batchLinkCount / 8⌉` bytes: the generator state, the
/// tokens (odd while a firing is pending), the bits.
struct CustomerCores {
    let customerCount: Int
    let processCount: Int
    let batchLinkCount: Int
    let stride: Int
    var bytes: [UInt8]

    init(customerCount: Int, processCount: Int, batchLinkCount: Int, seed: UInt64) {
        self.customerCount = customerCount
        self.processCount = processCount
        self.batchLinkCount = batchLinkCount
        stride = 8 + 4 * processCount + (batchLinkCount + 7) / 8
        bytes = [UInt8](hugeRepeating: 0, count: customerCount * stride)
        for c in 0..<customerCount { self[random: c] = SeededRandom(seed: seed, stream: 2, UInt64(c)) }
    }

    /// Customer `c`'s behaviour generator, derived from (seed, c).
    @inline(__always) subscript(random c: Int) -> SeededRandom {
        get { SeededRandom(seed: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: c * stride, as: UInt64.self) }) }
        set {
            let o = c * stride
            bytes.withUnsafeMutableBytes { $0.storeBytes(of: newValue.state, toByteOffset: o, as: UInt64.self) }
        }
    }

    /// The generation of customer `c`'s behaviour process `p`: odd while a firing is pending.
    @inline(__always) subscript(token c: Int, p: Int) -> UInt32 {
        get { bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: c * stride + 8 + 4 * p, as: UInt32.self) } }
        set {
            let o = c * stride + 8 + 4 * p
            bytes.withUnsafeMutableBytes { $0.storeBytes(of: newValue, toByteOffset: o, as: UInt32.self) }
        }
    }

    /// Whether customer `c` changed at the source of batch link number `slot` since its last run.
    @inline(__always) subscript(dirty c: Int, slot: Int) -> Bool {
        get { bytes[c * stride + 8 + 4 * processCount + slot >> 3] & (1 << UInt8(slot & 7)) != 0 }
        set {
            let i = c * stride + 8 + 4 * processCount + slot >> 3
            if newValue { bytes[i] |= 1 << UInt8(slot & 7) } else { bytes[i] &= ~(1 << UInt8(slot & 7)) }
        }
    }

    /// Starts loading customer `c`'s record (a hint; see `Array.prefetchForWrite`).
    @inline(__always) mutating func prefetch(_ c: Int) {
        bytes.prefetchForWrite(c * stride)
        bytes.prefetchForWrite(c * stride + stride - 1)
    }

    /// Bytes held for each part, for the engine's memory accounting.
    var generatorBytes: Int { customerCount * 8 }
    var tokenBytes: Int { customerCount * 4 * processCount }
    var dirtyBitBytes: Int { customerCount * ((batchLinkCount + 7) / 8) }
}
