import Foundation
import Harness
import RunStore
import TestKit
import Testing

/// Should act on an interrupt that arrives after the last event but before the database is final
/// (issue 12: Ctrl-C in the last fifth of a run was ignored): the rows are kept, marked interrupted.
@Suite struct LateInterruptTests {
    @Test func anInterruptAfterTheLastEventStillStopsTheRun() throws {
        let reports = temporaryReports()
        defer { try? FileManager.default.removeItem(atPath: reports) }
        var request = RunRequest(
            scenarioPath: repositoryRoot + "/Scenarios/hotel-winback.yaml", seed: 9, customers: 2000)
        request.reportsDirectory = reports
        // First count how often the run asks whether to stop; the last ask is after the simulation.
        nonisolated(unsafe) var asks = 0
        let undisturbed = try ScenarioRunner.run(
            request,
            shouldStop: {
                asks += 1
                return false
            })
        let finished = undisturbed.isComplete
        #expect(finished && asks >= 2)
        // Then say "stop" only at that last ask: the simulation has finished, the database has not.
        nonisolated(unsafe) var calls = 0
        let last = asks
        let interrupted = try ScenarioRunner.run(
            request,
            shouldStop: {
                calls += 1
                return calls >= last
            })
        let complete = interrupted.isComplete
        #expect(!complete)
        #expect(interrupted.databasePath.hasSuffix(".interrupted.sqlite"))
        #expect(try RunReader(path: interrupted.databasePath).status() == "interrupted")
        // Nothing simulated is lost: every row the complete run wrote is there.
        let rows = try RunReader(path: undisturbed.databasePath).tableCounts()
        let kept = try RunReader(path: interrupted.databasePath).tableCounts()
        #expect(
            rows.filter { $0.0 != "fault" && $0.0 != "runSummary" }.map(\.1)
                == kept.filter { $0.0 != "fault" && $0.0 != "runSummary" }.map(\.1))
    }
}
