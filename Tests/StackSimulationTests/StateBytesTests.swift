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
}
