import Foundation

/// Nanoseconds per random load over a block of `mebibytes`, each load's address depending on
/// the one before it (`rehearse-bench memory-latency MIB…`): what one touch of a customer's
/// record costs this machine when nothing overlaps it, at a given size of the record block.
///
/// The engine touches one customer's record per event and per batch entry, at random. On a
/// virtual machine whose host backs guest memory with 4 KiB pages, a load outside the TLB's
/// reach walks two sets of page tables, and the walk is cheap only while those tables stay in
/// cache: so the cost of a random touch grows with the block, not only with the data. The bench
/// measures it at the 1M and the 10M record block, beside the engine's own ratio, so a reader
/// can tell the engine's loss from the machine's (docs/performance.md, "The machine's part").
///
/// The block is advised onto huge pages and touched first (`withTouchedMemory`), as the engine's
/// records are. Each address is a linear congruential step mixed with the value just loaded
/// (always 0, which the processor cannot know), so loads cannot overlap. Returns nil if the block cannot be mapped.
func randomLoadNanoseconds(mebibytes: Int, loads: Int = 4_000_000) -> Double? {
    precondition(mebibytes > 0 && loads > 0, "a positive size and number of loads")
    return withTouchedMemory(mebibytes: mebibytes) { region, bytes in
        let words = region.assumingMemoryBound(to: UInt64.self)
        let lines = UInt64(bytes / 64)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var value: UInt64 = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<loads {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let line = (state ^ value).multipliedFullWidth(by: lines).high
            value = words[Int(line) &* 8]
        }
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        // Keeps the loads from being optimized away: `value` is always 0, the processor cannot know it.
        if value == 1 { print("") }
        return Double(elapsed) / Double(loads)
    }
}
