import ArgumentParser
import Foundation
import Harness
import ScenarioKit

extension Rehearse {
    /// `rehearse run FILE`: one rehearsal, results in SQLite, a summary on stdout.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rehearse one scenario and write its results under Reports/.")

        @Argument(help: "The scenario file (YAML).")
        var scenario: String

        @Option(help: "Seed for repeatable runs; a 40-char git hash is accepted.")
        var seed: String?

        @Option(help: "Number of customers, overriding the scenario.")
        var customers: Int?

        @Option(help: "What to record: 'default' (impressions aggregated per customer) or 'all' (every impression).")
        var record: String = "default"

        @Option(name: .customLong("impressions"), help: ArgumentHelp("How impressions are simulated: 'aggregated' or 'per-event'.", visibility: .hidden))
        var impressionMode: String = "aggregated"

        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if let seed, Scenario.parseSeed(seed) == nil {
                throw ValidationError("'--seed \(seed)' is not a seed; give a whole number or a git commit hash")
            }
            if let customers, customers < 1 || customers > 50_000_000 {
                throw ValidationError("'--customers' must be between 1 and 50,000,000")
            }
            if !["default", "all"].contains(record) { throw ValidationError("'--record' takes 'default' or 'all'") }
            if !["aggregated", "per-event"].contains(impressionMode) { throw ValidationError("'--impressions' takes 'aggregated' or 'per-event'") }
        }

        func run() throws {
            Interrupts.install()
            var request = RunRequest(scenarioPath: scenario, seed: seed.flatMap(Scenario.parseSeed), customers: customers)
            request.reportsDirectory = global.reportsDirectory
            request.recordAllImpressions = record == "all"
            request.impressionMode = impressionMode == "per-event" ? .perEvent : .aggregated
            request.command = CommandLine.arguments.joined(separator: " ")
            let outcome: RunOutcome
            do {
                outcome = try ScenarioRunner.run(request)
            } catch {
                printError(error.description)
                throw ExitCodes.invalidInput
            }
            if !global.quiet { print(outcome.textSummary, terminator: "") }
            if !outcome.isComplete {
                printError("interrupted: partial results in \(outcome.databasePath) (status 'interrupted')")
                throw ExitCodes.interrupted
            }
        }
    }
}
