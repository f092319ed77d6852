import Foundation
import MarTechModel
import Reporting
import RunStore
import ScenarioKit

/// `rehearse report RESULTS`: writes every report again from a results database alone (the
/// scenario text and the summary are stored in it), next to the database.
public enum ReportRegenerator {
    public static func regenerate(results: String) throws(HarnessError) -> RunOverview {
        guard FileManager.default.fileExists(atPath: results) else { throw .cannotRead(path: results, reason: "no such file") }
        do {
            let stored = try RunReader(path: results).storedRun()
            guard stored.status == "complete", !stored.summaryJSON.isEmpty else {
                throw HarnessError.cannotRead(path: results, reason: "the run is '\(stored.status)': only a complete run has reports")
            }
            let summary = try JSONDecoder().decode(RunSummary.self, from: Data(stored.summaryJSON.utf8))
            let seed = UInt64(stored.seed) ?? 0
            let asWritten = try Scenario.parse(yaml: stored.scenarioText, sourceName: stored.scenarioFile)
            let scenario = asWritten.overriding(seed: seed, customers: stored.customers)
            // The reproduction command names --customers only when the run overrode the file.
            let request = RunRequest(scenarioPath: stored.scenarioFile, seed: seed,
                                     customers: stored.customers == asWritten.plan.customers ? nil : stored.customers)
            let overview = ScenarioRunner.makeOverview(
                scenario: scenario, scenarioFile: stored.scenarioFile, summary: summary, databasePath: results, rowsWritten: stored.rowsWritten,
                reproduceCommand: ScenarioRunner.reproduceCommand(request, seed: seed), complete: true)
            let stem = results.hasSuffix(".sqlite") ? String(results.dropLast(7)) : results
            try ScenarioRunner.writeReports(overview, scenarioText: stored.scenarioText, stem: stem)
            return overview
        } catch let error as HarnessError {
            throw error
        } catch {
            throw .cannotRead(path: results, reason: "\(error)")
        }
    }
}
