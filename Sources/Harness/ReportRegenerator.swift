import Foundation
import MarTechModel
import Reporting
import RunStore
import ScenarioKit

/// `rehearse report RESULTS`: writes every report again from a results database alone (the
/// scenario text and the summary are stored in it), next to the database.
public enum ReportRegenerator {
    public static func regenerate(results: String) throws(HarnessError) -> RunOverview {
        guard FileManager.default.fileExists(atPath: results) else {
            throw .cannotRead(path: results, reason: "no such file")
        }
        do {
            let stored = try RunReader(path: results).storedRun()
            guard stored.status == "complete" else {
                throw HarnessError.cannotRead(
                    path: results, reason: "the run is '\(stored.status)': only a complete run has reports")
            }
            guard !stored.summaryJSON.isEmpty else {
                throw HarnessError.cannotRead(
                    path: results,
                    reason: "the run is complete but its stored summary is missing; run the scenario again")
            }
            let damaged = "its stored summary is not one this version of rehearse wrote"
            guard var summary = try? JSONDecoder().decode(RunSummary.self, from: Data(stored.summaryJSON.utf8)) else {
                throw HarnessError.cannotRead(
                    path: results, reason: "\(damaged) (it does not decode); run the scenario again")
            }
            summary.widenToCurrentCauses()
            guard let seed = UInt64(stored.seed) else {
                throw HarnessError.cannotRead(path: results, reason: "its stored seed '\(stored.seed)' is not a seed")
            }
            let asWritten = try Scenario.parse(yaml: stored.scenarioText, sourceName: stored.scenarioFile)
            let scenario = asWritten.overriding(seed: seed, customers: stored.customers)
            let plan = scenario.plan
            if let problem = summary.shapeProblem(
                platforms: plan.platforms.count, links: plan.links.count, steps: plan.campaign.steps.count,
                faults: plan.faults.count,
                days: Int(plan.horizon.millisecondsSinceStart / 86_400_000) + 1)
            {
                throw HarnessError.cannotRead(path: results, reason: "\(damaged) for its own scenario: \(problem)")
            }
            // The reproduction command names --customers only when the run overrode the file.
            let request = RunRequest(
                scenarioPath: stored.scenarioFile, seed: seed,
                customers: stored.customers == asWritten.plan.customers ? nil : stored.customers)
            var overview = ScenarioRunner.makeOverview(
                scenario: scenario, scenarioFile: stored.scenarioFile, summary: summary, databasePath: results,
                rowsWritten: stored.rowsWritten,
                reproduceCommand: ScenarioRunner.reproduceCommand(request, seed: seed), complete: true,
                advice: CounterfactualAdvisor.advise(plan: scenario.plan, summary: summary))
            overview.serveClients = try RunReader(path: results).serveClients()
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
