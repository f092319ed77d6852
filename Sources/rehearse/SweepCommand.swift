import ArgumentParser
import Foundation
import Harness
import Reporting
import ScenarioKit

extension Rehearse {
    /// `rehearse sweep FILE --vary PATH=RANGE …`: a grid of variants, a curve per figure, and the threshold.
    struct Sweep: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Run a grid of scenario variants with replications, across cores, into one sweep database and report.",
            discussion: """
                PATH names a setting in the scenario file: links.crm_to_map.batch.at, chaos[0].outage.for,
                platforms.dsp.apply_delay. RANGE is 0h..48h:6h (durations), 00:00..06:00:1h (clock times),
                0.1..0.5:0.1 (numbers) or a list a,b,c. Every variant runs the same seeds.

                --find "METRIC OP BOUND" bisects one parameter to where the goal stops holding, for example
                --find "misfires.post_conversion_impressions.rate <= 0.5%" or --find "sla.crm_to_map.freshness_p95 <= 26h".
                Metrics: misfires.<key>.count|rate, impressions.wasted_per_converter, sla.<link>.freshness_p95 …

                --shard K/N runs every N-th run starting at K, for array jobs (CI matrix, Kubernetes Indexed Job,
                Slurm array); `rehearse merge` joins the slices into what one machine would have written.
                """)

        @Argument(help: "The base scenario file (YAML).")
        var scenario: String

        @Option(name: .customLong("vary"), help: "PATH=RANGE to vary (repeat for a grid).")
        var vary: [String] = []

        @Option(help: "Seeds per variant (the seed, seed+1, …).")
        var replications: Int = 3

        @Option(help: "Runs at once (default: the number of cores).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(help: "Number of customers, overriding the scenario.")
        var customers: Int?

        @Option(help: "Base seed, overriding the scenario.")
        var seed: String?

        @Option(
            help: "Find where this goal stops holding, such as \"misfires.post_conversion_impressions.rate <= 0.5%\".")
        var find: String?

        @Option(help: "Bisection steps after the grid (with --find).")
        var findSteps: Int = 5

        @Option(help: "Run one slice K/N of the sweep (1-based), for array jobs.")
        var shard: String?

        @Flag(help: "Allow sweeps above the default limits.")
        var allowLarge = false

        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if vary.isEmpty { throw ValidationError("give at least one --vary PATH=RANGE") }
            if replications < 1 || replications > 1000 {
                throw ValidationError("'--replications' must be between 1 and 1000")
            }
            if jobs < 1 || jobs > 256 { throw ValidationError("'--jobs' must be between 1 and 256") }
            if findSteps < 0 || findSteps > 30 { throw ValidationError("'--find-steps' must be between 0 and 30") }
            if let seed, Scenario.parseSeed(seed) == nil { throw ValidationError("'--seed \(seed)' is not a seed") }
            if let customers, customers < 1 || customers > 1_000_000_000 {
                throw ValidationError("'--customers' must be between 1 and 1,000,000,000")
            }
            if let shard, Sweep.parseShard(shard) == nil {
                throw ValidationError("'--shard \(shard)': expected K/N with 1 <= K <= N, such as 2/8")
            }
        }

        static func parseShard(_ text: String) -> (index: Int, count: Int)? {
            let parts = text.split(separator: "/")
            guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else {
                return nil
            }
            return (k, n)
        }

        func run() throws {
            Interrupts.install()
            var request: SweepRequest
            do {
                request = SweepRequest(scenarioPath: scenario, axes: try vary.map(SweepAxis.parse))
                request.find = try find.map(ThresholdGoal.parse)
            } catch let e as SweepAxis.SpecError {
                printError(e.description)
                throw ExitCodes.invalidInput
            } catch let e as ThresholdGoal.GoalError {
                printError(e.description)
                throw ExitCodes.invalidInput
            }
            request.replications = replications
            request.jobs = jobs
            request.customers = customers
            request.seed = seed.flatMap(Scenario.parseSeed)
            request.shard = shard.flatMap(Sweep.parseShard)
            request.findSteps = findSteps
            request.reportsDirectory = global.reportsDirectory
            request.limits = RunLimitPolicy(allowLarge: allowLarge)
            request.command = CommandLine.arguments.joined(separator: " ")
            let outcome: SweepOutcome
            do {
                outcome = try SweepRunner.run(request)
            } catch {
                printError(error.description)
                throw ExitCodes.invalidInput
            }
            if !global.quiet { try Console.out(outcome.report.renderText(), terminator: "") }
            try Console.out("  results: \(outcome.databasePath)")
            if outcome.header.status == "interrupted" {
                printError("interrupted: the completed runs are in \(outcome.databasePath) (status 'interrupted')")
                throw ExitCodes.interrupted
            }
        }
    }

    /// `rehearse merge SHARD…`: one sweep database from its slices.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Join the shard databases of one sweep (--shard K/N) into the database and report of the whole sweep.")

        @Argument(help: "The shard databases (sweep--*--shard-K-of-N.sqlite).")
        var shards: [String]

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let outcome: SweepOutcome
            do {
                outcome = try SweepMerger.merge(
                    shards, reportsDirectory: global.reportsDirectory,
                    command: CommandLine.arguments.joined(separator: " "))
            } catch {
                printError(error.description)
                throw ExitCodes.invalidInput
            }
            if !global.quiet { try Console.out(outcome.report.renderText(), terminator: "") }
            try Console.out("  results: \(outcome.databasePath)")
        }
    }
}
