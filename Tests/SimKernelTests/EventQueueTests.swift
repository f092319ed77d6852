import SimKernel
import Testing

/// Should pop events in time order, and in scheduling order among equal times.
@Suite struct EventQueueTests {
    @Test func popsInTimeOrder() {
        var q = EventQueue<Int>()
        for (i, t) in [50, 10, 40, 20, 30].enumerated() {
            q.schedule(i, at: SimInstant(millisecondsSinceStart: Int64(t)))
        }
        var times: [Int64] = []
        while let (t, _) = q.popNext() { times.append(t.millisecondsSinceStart) }
        #expect(times == [10, 20, 30, 40, 50])
    }

    @Test func equalTimesKeepSchedulingOrder() {
        var q = EventQueue<Int>()
        for i in 0..<1000 { q.schedule(i, at: SimInstant(millisecondsSinceStart: Int64(i % 3))) }
        var popped: [(Int64, Int)] = []
        while let (t, e) = q.popNext() { popped.append((t.millisecondsSinceStart, e)) }
        for k in 0..<3 {
            let group = popped.filter { $0.0 == Int64(k) }.map(\.1)
            #expect(group == group.sorted(), "ties at t=\(k) must run in scheduling order")
            #expect(group.count == (1000 + 2 - k) / 3)
        }
    }

    @Test(arguments: [1, 2, 3, 42, 1234])
    func randomInterleavingStaysAHeap(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var q = EventQueue<UInt64>()
        var reference: [(Int64, UInt64)] = []
        var sequence: UInt64 = 0
        var lastPopped = Int64.min
        for _ in 0..<5000 {
            if random.index(below: 3) > 0 || q.isEmpty {
                let t = max(lastPopped, 0) + Int64(random.index(below: 100))
                q.schedule(sequence, at: SimInstant(millisecondsSinceStart: t))
                reference.append((t, sequence))
                sequence += 1
            } else {
                let (t, e) = q.popNext()!
                let expected = reference.min { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }!
                #expect(t.millisecondsSinceStart == expected.0 && e == expected.1, "seed \(seed)")
                reference.removeAll { $0.1 == expected.1 }
                lastPopped = t.millisecondsSinceStart
            }
            q._checkInvariants()
        }
    }

    /// Batches large enough to become sorted runs, mixed with single schedules and pops, must
    /// pop in exactly the `(due, scheduling order)` order one heap would give.
    @Test(arguments: [7, 8, 9])
    func bulkRunsPopInTheSameOrderAsOneHeap(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var q = EventQueue<UInt64>()
        var reference: [(Int64, UInt64)] = []
        var sequence: UInt64 = 0
        var now: Int64 = 0
        for round in 0..<40 {
            // Spans from a few ms to ~50 years, so the radix sort takes one to four passes.
            let span: UInt64 = [10, 100_000, 1 << 33, 1 << 40][round % 4]
            let size = [1, 100, EventQueue<UInt64>.runThreshold, 3000][Int(random.index(below: 4))]
            var batch = ContiguousArray<(SimInstant, UInt64)>()
            for _ in 0..<size {
                let t = now + Int64(random.index(below: span))
                batch.append((SimInstant(millisecondsSinceStart: t), sequence))
                reference.append((t, sequence))
                sequence += 1
            }
            q.scheduleAll(taking: &batch)
            #expect(batch.isEmpty)
            #expect(q.count == reference.count)
            q._checkInvariants()
            reference.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            for _ in 0..<Int(random.index(below: UInt64(reference.count + 1))) {
                let (t, e) = q.popNext()!
                #expect(t.millisecondsSinceStart == reference[0].0 && e == reference[0].1, "seed \(seed)")
                now = t.millisecondsSinceStart
                reference.removeFirst()
            }
        }
        while let (t, e) = q.popNext() {
            #expect(t.millisecondsSinceStart == reference[0].0 && e == reference[0].1)
            reference.removeFirst()
        }
        #expect(reference.isEmpty)
        #expect(q.countMax >= EventQueue<UInt64>.runThreshold)
    }

    /// Follow-ups past one chunk (2^20 events) are split into several runs; they must pop in
    /// exactly the `(due, scheduling order)` order of one batch, ties across chunks included.
    @Test func followUpsPastOneChunkPopInSchedulingOrder() {
        var random = SeededRandom(seed: 5)
        var followUps = FollowUps<UInt32>()
        let n = FollowUps<UInt32>.chunkSize + 700
        var dues = [Int64](repeating: 0, count: n)
        for i in 0..<n {
            // Few distinct instants, so most ties fall in different chunks.
            dues[i] = Int64(random.index(below: 50))
            followUps.schedule(UInt32(i), at: SimInstant(millisecondsSinceStart: dues[i]))
        }
        #expect(followUps.count == n)
        var q = EventQueue<UInt32>()
        q.scheduleAll(taking: &followUps)
        #expect(followUps.isEmpty)
        #expect(q.count == n)
        q._checkInvariants()
        var previous: (due: Int64, index: UInt32)? = nil
        var popped = 0, outOfOrder = 0
        while let (t, e) = q.popNext() {
            #expect(t.millisecondsSinceStart == dues[Int(e)])
            if let p = previous, p.due > t.millisecondsSinceStart || (p.due == t.millisecondsSinceStart && p.index > e) {
                outOfOrder += 1
            }
            previous = (t.millisecondsSinceStart, e)
            popped += 1
        }
        #expect(popped == n)
        #expect(outOfOrder == 0)
    }

    /// The hints name the right events: the heap's head exactly when it pops next, and the event
    /// `k` places into the earliest run.
    @Test func peekHintsNameTheEventsAhead() {
        var q = EventQueue<Int>()
        var bulk = ContiguousArray<(SimInstant, Int)>()
        for i in 0..<1000 { bulk.append((SimInstant(millisecondsSinceStart: Int64(2 * i)), 10_000 + i)) }
        q.scheduleAll(taking: &bulk)
        q.schedule(1, at: SimInstant(millisecondsSinceStart: 5))
        #expect(q.peekAhead(2) == 10_002)
        var popped: [Int] = []
        while true {
            let hinted = q.peekHeapHead()
            guard let (_, e) = q.popNext() else { break }
            if e < 10_000 { #expect(hinted == e) } else { #expect(hinted == nil) }
            popped.append(e)
        }
        #expect(popped.prefix(4) == [10_000, 10_001, 10_002, 1])
    }
}
