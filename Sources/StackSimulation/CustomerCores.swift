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
/// tokens (odd while a firing is pending), the bits. It is a section of the customer's one
/// record in the world's `CustomerRecordArena`.
struct CustomerCores {
    let customerCount: Int
    let processCount: Int
    let batchLinkCount: Int
    let section: RecordSection

    /// Bytes of one customer's part: generator, tokens, bits.
    static func recordBytes(processCount: Int, batchLinkCount: Int) -> Int {
        8 + 4 * processCount + (batchLinkCount + 7) / 8
    }

    /// Cores in `section` (laid out as `recordBytes` zeros), each generator derived from (seed, c).
    init(section: RecordSection, processCount: Int, batchLinkCount: Int, seed: UInt64) {
        self.customerCount = section.arena.customerCount
        self.processCount = processCount
        self.batchLinkCount = batchLinkCount
        self.section = section
        for c in 0..<customerCount { self[random: c] = SeededRandom(seed: seed, stream: 2, UInt64(c)) }
    }

    /// Customer `c`'s behaviour generator, derived from (seed, c).
    @inline(__always) subscript(random c: Int) -> SeededRandom {
        get { SeededRandom(seed: section.pointer(c).loadUnaligned(as: UInt64.self)) }
        nonmutating set { section.pointer(c).storeBytes(of: newValue.state, as: UInt64.self) }
    }

    /// The generation of customer `c`'s behaviour process `p`: odd while a firing is pending.
    @inline(__always) subscript(token c: Int, p: Int) -> UInt32 {
        get { section.pointer(c).loadUnaligned(fromByteOffset: 8 + 4 * p, as: UInt32.self) }
        nonmutating set { section.pointer(c).storeBytes(of: newValue, toByteOffset: 8 + 4 * p, as: UInt32.self) }
    }

    /// Whether customer `c` changed at the source of batch link number `slot` since its last run.
    @inline(__always) subscript(dirty c: Int, slot: Int) -> Bool {
        get { section.pointer(c).load(fromByteOffset: 8 + 4 * processCount + slot >> 3, as: UInt8.self) & (1 << UInt8(slot & 7)) != 0 }
        nonmutating set {
            let record = section.pointer(c), o = 8 + 4 * processCount + slot >> 3
            var bits = record.load(fromByteOffset: o, as: UInt8.self)
            if newValue { bits |= 1 << UInt8(slot & 7) } else { bits &= ~(1 << UInt8(slot & 7)) }
            record.storeBytes(of: bits, toByteOffset: o, as: UInt8.self)
        }
    }

    /// Bytes held for each part, for the engine's memory accounting.
    var generatorBytes: Int { customerCount * 8 }
    var tokenBytes: Int { customerCount * 4 * processCount }
    var dirtyBitBytes: Int { customerCount * ((batchLinkCount + 7) / 8) }
}
