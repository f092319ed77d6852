import MarTechModel
import StackSimulation
import Testing

/// Should give the same results for the same seed, other results for another seed, and keep
/// each customer's story when the population grows.
@Suite struct DeterminismTests {
    @Test func sameSeedSameSummaryAndRows() throws {
        let p = try plan(miniWinback)
        let (a, rowsA) = run(p)
        let (b, rowsB) = run(p)
        #expect(a.summary == b.summary)
        #expect(a.rowsWritten == b.rowsWritten)
        #expect(rowsA.truthChanges.map(\.at) == rowsB.truthChanges.map(\.at))
        #expect(rowsA.misfires.map(\.customer) == rowsB.misfires.map(\.customer))
    }

    /// The benchmark's control (`EngineOptions.recordSpacing`) moves the records apart and
    /// nothing else: the same summary and the same rows, in the same order.
    @Test func spreadRecordsGiveTheSameRun() throws {
        let p = try plan(miniWinback)
        var spread = EngineOptions()
        spread.recordSpacing = 1000
        let (a, rowsA) = run(p)
        let (b, rowsB) = run(p, options: spread)
        #expect(a.summary == b.summary)
        #expect(b.stateBytes.recordBlockBytes == 1000 * p.customers)
        #expect(rowsA.deliveries.map { "\($0.customer) \($0.field) \($0.changeId) \($0.appliedAt)" }
            == rowsB.deliveries.map { "\($0.customer) \($0.field) \($0.changeId) \($0.appliedAt)" })
        #expect(rowsA.touchpoints.map { "\($0.customer) \($0.step) \($0.deliveredAt)" }
            == rowsB.touchpoints.map { "\($0.customer) \($0.step) \($0.deliveredAt)" })
        #expect(rowsA.misfires.map { "\($0.customer) \($0.at)" } == rowsB.misfires.map { "\($0.customer) \($0.at)" })
        #expect(!rowsA.deliveries.isEmpty && !rowsA.misfires.isEmpty)
    }

    @Test func differentSeedDifferentNumbers() throws {
        let (a, _) = run(try plan(miniWinback, seed: 3))
        let (b, _) = run(try plan(miniWinback, seed: 4))
        #expect(a.summary != b.summary)
    }

    /// Customer streams derive from (seed, customer): a bigger population leaves existing
    /// customers' truth unchanged (links here are batch/stream per customer, with no shared queue).
    @Test func customerStoriesSurviveAGrowingPopulation() throws {
        let (_, small) = run(try plan(miniWinback, customers: 200))
        let (_, large) = run(try plan(miniWinback, customers: 2000))
        for customer in [0, 5, 77, 199] as [Int32] {
            let a = small.truthChanges.filter { $0.customer == customer }.map { "\($0.field)@\($0.at)=\($0.newValue)" }
            let b = large.truthChanges.filter { $0.customer == customer }.map { "\($0.field)@\($0.at)=\($0.newValue)" }
            #expect(a == b, "customer \(customer)")
            let ta = small.touchpoints.filter { $0.customer == customer }.map { "\($0.step)@\($0.deliveredAt)" }
            let tb = large.touchpoints.filter { $0.customer == customer }.map { "\($0.step)@\($0.deliveredAt)" }
            #expect(ta == tb, "customer \(customer)")
        }
        #expect(small.customers.prefix(200).map(\.initialFields) == large.customers.prefix(200).map(\.initialFields))
    }
}
