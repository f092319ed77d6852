import Foundation
import MarTechModel
import Reporting
import RunStore
import ScenarioKit
import StackSimulation

/// One run's results on their way to disk: the partial database, the writer thread that feeds
/// it, and the finishing steps (index and commit, rename, reports). `rehearse run` and
/// `rehearse serve` both record through it, so both leave the same files.
public final class RunRecording: @unchecked Sendable {
    public let scenario: Scenario
    public let paths: RunPaths
    let store: RunStore
    let sink: ThreadedSink
    /// Where engine rows go (a writer thread in front of SQLite).
    public var recordSink: RecordSink { sink }
    /// The writer failed (a full disk): the engine should stop.
    public var hasFailed: Bool { sink.hasFailed }

    /// Opens `paths.partialDatabase` and records the run's description.
    public init(scenario: Scenario, paths: RunPaths, command: String) throws(HarnessError) {
        self.scenario = scenario
        self.paths = paths
        try FileAccess.makeFolder(paths.directory)
        let partial = paths.partialDatabase
        ScenarioRunner.removeAbandonedPartials(paths)
        do {
            try? FileManager.default.removeItem(atPath: partial)
            store = try RunStore(creatingAt: partial)
            try store.begin(ScenarioRunner.describe(scenario, command: command))
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw .cannotWrite(path: partial, reason: "\(error)")
        }
        sink = ThreadedSink(store: store)
    }

    /// Drains the writer and drops the partial file: the run failed and keeps nothing.
    public func discardAfterFailure() { discard() }

    func discard() {
        try? sink.finish()
        store.abandon(status: "failed")
        try? FileManager.default.removeItem(atPath: paths.partialDatabase)
    }

    /// Drains the writer, then either finalises the database under `status` (indexes, summary,
    /// renamed to `paths.database`) or, when `finalise()` (asked once the writer has drained)
    /// says no, keeps the rows marked interrupted. Returns the database's final path.
    public func close(
        summary: RunSummary, status: String = "complete", requests: [ServeRequestRow] = [],
        messages: [ServeMessageRow] = [], clients: [ServeClientFigures] = [], load: [LoadFigures] = [],
        finalise: () -> Bool
    ) throws(HarnessError) -> String {
        let partial = paths.partialDatabase
        do {
            try sink.finish()
            drainedAt = DispatchTime.now().uptimeNanoseconds
            if finalise() {
                try store.finish(
                    status: status, summary: ScenarioRunner.summaryRows(summary),
                    eventsProcessed: summary.eventsProcessed,
                    summaryJSON: ScenarioRunner.encodeSummary(summary), faults: summary.faults, requests: requests,
                    messages: messages, clients: clients, load: load)
                try ScenarioRunner.rename(partial, to: paths.database)
                return paths.database
            }
            store.abandon(status: "interrupted")
            try ScenarioRunner.rename(partial, to: paths.interruptedDatabase)
            return paths.interruptedDatabase
        } catch {
            store.abandon(status: "failed")
            try? FileManager.default.removeItem(atPath: partial)
            throw .cannotWrite(path: partial, reason: ScenarioRunner.explainWriteError(error))
        }
    }

    /// When the writer had drained (for `rehearse-bench`'s phase times).
    var drainedAt: UInt64 = 0

    /// Writes `<stem>.{json,txt,html,md}` beside the database.
    public func writeReports(_ overview: RunOverview) throws(HarnessError) {
        do {
            try ScenarioRunner.writeReports(
                overview, scenarioText: scenario.sourceText, stem: String(paths.database.dropLast(7)))
        } catch {
            throw .cannotWrite(path: paths.json, reason: (error as NSError).localizedDescription)
        }
    }
}
