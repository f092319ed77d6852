import MarTechModel
import SimKernel
import StackSimulation
import Testing

/// The engine's memory accounting reads its arrays: each part grows with the population, the
/// fixed parts are exactly customers × their width, and the event list is its peak × its entry.
@Suite struct StateBytesTests {
    @Test func partsAreExactForTheFixedStateAndLinearInCustomers() throws {
        let small = try plan(miniWinback, customers: 1024)
        let large = try plan(miniWinback, customers: 4096)
        let (a, _) = run(small)
        let (b, _) = run(large)
        let fields = small.fields.count
        func bytes(_ r: EngineResult, _ name: String) -> Int? { r.stateBytes.parts.first { $0.name == name }?.bytes }
        #expect(bytes(a, "truth: one byte per field") == 1024 * fields)
        #expect(bytes(a, "truth: the change each field reflects (provenance)") == 4 * 1024 * fields)
        #expect(bytes(a, "behaviour generator state") == 8 * 1024)
        #expect(bytes(a, "event list at its fullest") == a.summary.pendingEventsMax * EventQueue<SimEvent>.bytesPerEvent)
        #expect(bytes(a, "truth: when each change happened (the change log)") == 8 * a.summary.truthChanges)
        // Every part that does not depend on what happened is exactly 4× at 4× the customers.
        let dynamic: Set = ["truth: when each change happened (the change log)", "event list at its fullest"]
        for (x, y) in zip(a.stateBytes.parts, b.stateBytes.parts) where !dynamic.contains(x.name) {
            #expect(x.name == y.name)
            #expect(y.bytes == 4 * x.bytes, "\(x.name)")
        }
        #expect(a.stateBytes.total == a.stateBytes.parts.reduce(0) { $0 + $1.bytes })
    }

    /// The record block (what `make bench` measures random loads over) is exactly the parts kept
    /// in each customer's record, padding included, and grows with the population.
    @Test func recordBlockIsThePartsKeptInTheRecord() throws {
        let (a, _) = run(try plan(miniWinback, customers: 1024))
        let (b, _) = run(try plan(miniWinback, customers: 4096))
        let inRecord = a.stateBytes.parts.filter { part in
            ["truth: one byte per field", "truth: the change each field reflects (provenance)", "behaviour generator state",
             "behaviour process generations", "batch links: one changed-since-last-run bit each",
             "customer records: alignment padding"].contains(part.name)
                || part.name.contains(": copy of ") || part.name.hasPrefix("DSP impressions (one ")
        }
        #expect(inRecord.count >= 5)
        #expect(a.stateBytes.recordBlockBytes == inRecord.reduce(0) { $0 + $1.bytes })
        #expect(a.stateBytes.recordBlockBytes % 1024 == 0)
        #expect(b.stateBytes.recordBlockBytes == 4 * a.stateBytes.recordBlockBytes)
    }
}
