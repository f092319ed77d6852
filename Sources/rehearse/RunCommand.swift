import ArgumentParser
import Foundation
import Harness
import Reporting
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

        @Option(help: "Run this many seeds (the seed, seed+1, …) and report mean and 95% confidence intervals.")
        var replications: Int = 1

        @Option(help: "Replications to run at once (default: the number of cores).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(
            name: .customLong("impressions"),
            help: ArgumentHelp("How impressions are simulated: 'aggregated' or 'per-event'.", visibility: .hidden))
        var impressionMode: String = "aggregated"

        @Flag(help: "Allow runs above the default limits (50M customers, 12 GiB of customer state).")
        var allowLarge = false

        @Option(help: "Most events the simulation may process before it stops with an error.")
        var maxEvents: Int = 2_000_000_000

        @OptionGroup var global: GlobalOptions
        @OptionGroup var lint: LintOptions

        func validate() throws {
            if maxEvents < 1 { throw ValidationError("'--max-events' must be positive") }
            if let seed, Scenario.parseSeed(seed) == nil {
                throw ValidationError("'--seed \(seed)' is not a seed; give a whole number or a git commit hash")
            }
            if let customers, customers < 1 || customers > 1_000_000_000 {
                throw ValidationError("'--customers' must be between 1 and 1,000,000,000")
            }
            if replications < 1 || replications > 1000 {
                throw ValidationError("'--replications' must be between 1 and 1000")
            }
            if jobs < 1 || jobs > 256 { throw ValidationError("'--jobs' must be between 1 and 256") }
            if !["default", "all"].contains(record) { throw ValidationError("'--record' takes 'default' or 'all'") }
            if !["aggregated", "per-event"].contains(impressionMode) {
                throw ValidationError("'--impressions' takes 'aggregated' or 'per-event'")
            }
        }

        func run() throws {
            Interrupts.install()
            try Lint.report([scenario], strict: lint.strict)
            if let executors = (try? ScenarioRunner.load(path: scenario))?.plan.load, !executors.isEmpty {
                // Said out loud, never silently ignored: load is wall-clock traffic for serve mode.
                printError(
                    "\(scenario): note: load: drives `rehearse serve` only; this run ignores its \(executors.count) executor\(executors.count == 1 ? "" : "s") (\(executors.map(\.name).joined(separator: ", ")))"
                )
            }
            var request = RunRequest(
                scenarioPath: scenario, seed: seed.flatMap(Scenario.parseSeed), customers: customers)
            request.reportsDirectory = global.reportsDirectory
            request.recordAllImpressions = record == "all"
            request.impressionMode = impressionMode == "per-event" ? .perEvent : .aggregated
            request.command = CommandLine.arguments.joined(separator: " ")
            request.limits = RunLimitPolicy(allowLarge: allowLarge, maxEvents: maxEvents)
            if replications > 1 {
                try runReplications(request)
                return
            }
            let outcome: RunOutcome
            let progress = ProgressLine(label: "rehearsing \(scenario)", quiet: global.quiet)
            defer { progress.finish() }
            do {
                outcome = try ScenarioRunner.run(request, progress: progress.update)
            } catch {
                printError(error.description)
                throw ExitCodes.invalidInput
            }
            if !global.quiet {
                // Colour only on a terminal; the .txt report and pipes get plain text.
                let colour = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
                try Console.out(
                    colour ? TextSummary.render(outcome.overview, colour: true) : outcome.textSummary, terminator: "")
            }
            if !outcome.isComplete {
                printError("interrupted: partial results in \(outcome.databasePath) (status 'interrupted')")
                throw ExitCodes.interrupted
            }
            if Interrupts.wasRequested {
                printError(
                    "the interrupt came while the database was being finalised; it is complete: \(outcome.databasePath)"
                )
            }
        }

        private func runReplications(_ request: RunRequest) throws {
            var first: UInt64
            do {
                first = try ScenarioRunner.load(path: request.scenarioPath).plan.seed
            } catch {
                printError(error.description)
                throw ExitCodes.invalidInput
            }
            if let seed = request.seed { first = seed }
            let outcomes: [RunOutcome]
            do {
                outcomes = try ReplicationRunner.run(request, replications: replications, jobs: jobs, firstSeed: first)
            } catch {
                printError("\(error)")
                throw ExitCodes.invalidInput
            }
            if outcomes.contains(where: { !$0.isComplete }) {
                printError("interrupted: some replications are partial (files named *.interrupted.sqlite)")
                throw ExitCodes.interrupted
            }
            let summary = ReplicationSummary(
                scenario: outcomes[0].scenario.name, seeds: outcomes.map(\.overview.seed),
                summaries: outcomes.map(\.result.summary))
            if !global.quiet {
                try Console.out(summary.render(), terminator: "")
                try Console.out("  results: \(outcomes.map(\.databasePath).joined(separator: "\n           "))")
            }
        }
    }
}
