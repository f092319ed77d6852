/// How a bulk-scheduled batch becomes a run: sorted by due time in place, scheduling order kept.
extension EventQueue {
    /// Sorts a batch by `(due, position)` in place and returns each entry's original position
    /// (empty when the batch was already in order). A stable LSD radix sort of `(due - min,
    /// position)` pairs, 11 bits a pass (three passes for a batch spanning weeks), then one
    /// in-place permutation. Swift's generic sort is not specialised across modules and moves
    /// every entry through closures; this moves 12-byte pairs and each entry once.
    @usableFromInline static func sortByDue(_ events: inout ContiguousArray<(SimInstant, Event)>) -> ContiguousArray<UInt32> {
        guard var low = events.first?.0.millisecondsSinceStart else { return [] }
        var high = low, sorted = true, previous = low
        for (due, _) in events {
            let t = due.millisecondsSinceStart
            low = min(low, t)
            high = max(high, t)
            if t < previous { sorted = false }
            previous = t
        }
        if sorted { return [] }
        let n = events.count
        var keys = ContiguousArray<UInt64>(unsafeUninitializedCapacity: n) { buffer, count in
            for i in 0..<n { buffer[i] = UInt64(bitPattern: events[i].0.millisecondsSinceStart &- low) }
            count = n
        }
        var order = ContiguousArray<UInt32>(unsafeUninitializedCapacity: n) { buffer, count in
            for i in 0..<n { buffer[i] = UInt32(i) }
            count = n
        }
        // Written in full by the first pass: no copy of `keys` and `order` needed.
        var keysOut = ContiguousArray<UInt64>(unsafeUninitializedCapacity: n) { _, count in count = n }
        var orderOut = ContiguousArray<UInt32>(unsafeUninitializedCapacity: n) { _, count in count = n }
        let span = UInt64(bitPattern: high &- low)
        let digitBits: UInt64 = 11, mask = UInt64(1 << digitBits - 1)
        var counts = [Int](repeating: 0, count: 1 << digitBits)
        var shift: UInt64 = 0
        while shift < 64 && span >> shift != 0 {
            for i in counts.indices { counts[i] = 0 }
            for k in keys { counts[Int((k >> shift) & mask)] += 1 }
            var start = 0
            for i in counts.indices { (counts[i], start) = (start, start + counts[i]) }
            keys.withUnsafeBufferPointer { keysIn in
                order.withUnsafeBufferPointer { orderIn in
                    keysOut.withUnsafeMutableBufferPointer { kOut in
                        orderOut.withUnsafeMutableBufferPointer { oOut in
                            for i in 0..<n {
                                let digit = Int((keysIn[i] >> shift) & mask)
                                kOut[counts[digit]] = keysIn[i]
                                oOut[counts[digit]] = orderIn[i]
                                counts[digit] += 1
                            }
                        }
                    }
                }
            }
            swap(&keys, &keysOut)
            swap(&order, &orderOut)
            shift += digitBits
        }
        keys = []
        keysOut = []
        // Gather in place, one cycle at a time: position p takes the entry that was at order[p].
        // `orderOut` marks the positions already filled (reused as one flag per entry).
        orderOut.withUnsafeMutableBufferPointer { done in
            for p in 0..<n { done[p] = 0 }
        }
        events.withUnsafeMutableBufferPointer { e in
            order.withUnsafeBufferPointer { from in
                orderOut.withUnsafeMutableBufferPointer { done in
                    for p in 0..<n where done[p] == 0 {
                        let held = e[p]
                        var q = p
                        while true {
                            done[q] = 1
                            let source = Int(from[q])
                            if source == p {
                                e[q] = held
                                break
                            }
                            e[q] = e[source]
                            q = source
                        }
                    }
                }
            }
        }
        return order
    }
}
