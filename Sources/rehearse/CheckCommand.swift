import ArgumentParser
import Foundation
import Harness
import Reporting

extension Rehearse {
    /// `rehearse check PATH…`: the CI command. Exit 0 when every expectation holds, 1 when one
    /// fails, 2 when a scenario is invalid.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Run scenario files (or every one under a folder) and check their expectations; exit 1 on a failure.",
            discussion: """
                A folder is searched recursively, skipping folders named `twins`: they hold broken twins that fail \
                by design. `--twins` checks only those and inverts the verdict: it exits 0 when every twin fails at \
                least one expectation (the expectations still catch the failure it shows), 1 when a twin passes.
                """)

        @Argument(help: "Scenario files or folders.")
        var paths: [String]

        @Option(help: "Number of customers for every scenario, overriding the files (a faster CI check).")
        var customers: Int?

        @Option(help: "Write JUnit XML here, for CI test reports.")
        var junit: String?

        @Flag(help: "Check the broken twins under the folders given: each must fail an expectation.")
        var twins = false

        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if let customers, customers < 1 || customers > 50_000_000 {
                throw ValidationError("'--customers' must be between 1 and 50,000,000")
            }
        }

        @OptionGroup var lint: LintOptions

        func run() throws {
            if !twins { try Lint.report(Checker.scenarioFiles(paths), strict: lint.strict) }
            Interrupts.install()
            let outcome = Checker.check(
                paths, customers: customers, reportsDirectory: global.reportsDirectory, twins: twins)
            if twins {
                try reportTwins(outcome)
                return
            }
            for (report, file, reproduce) in outcome.reports {
                let failed = report.results.filter { !$0.passed }.count
                try Console.out(
                    "\(report.passed ? "ok  " : "FAIL") \(file): \(report.results.count - failed) of \(report.results.count) expectations hold"
                )
                if !report.passed || !global.quiet { try Console.out(report.render(), terminator: "") }
                if !report.passed { try Console.out("      reproduce with: \(reproduce)") }
            }
            for e in outcome.errors { printError(e.message) }
            if outcome.reports.isEmpty && outcome.errors.isEmpty {
                // A gate that checked nothing must not pass.
                printError(
                    "no scenario files (.yaml) found under \(paths.joined(separator: ", ")) (broken twins under twins/ are checked with --twins)"
                )
                throw ExitCodes.invalidInput
            }
            if let junit {
                do {
                    try JUnitReport.render(outcome.reports, errors: outcome.errors).write(
                        toFile: junit, atomically: true, encoding: .utf8)
                } catch {
                    printError("cannot write \(junit): \(ScenarioRunner.explainWriteError(error))")
                    throw ExitCodes.invalidInput
                }
            }
            if !outcome.errors.isEmpty { throw ExitCodes.invalidInput }
            if !outcome.passed { throw ExitCodes.expectationFailed }
        }

        /// A twin is caught when at least one expectation fails; one that passes means the expectations went blind.
        private func reportTwins(_ outcome: Checker.Outcome) throws {
            for e in outcome.errors { printError(e.message) }
            if outcome.reports.isEmpty && outcome.errors.isEmpty {
                printError(
                    "no broken twins found under \(paths.joined(separator: ", ")) (they live in folders named twins)")
            }
            var blind = 0
            for (report, file, _) in outcome.reports {
                let failed = report.results.filter { !$0.passed }
                if failed.isEmpty {
                    blind += 1
                    try Console.out(
                        "BLIND \(file): every expectation holds, so they would not catch what this twin breaks")
                } else {
                    try Console.out("ok    \(file): caught by \(failed.map(\.name).joined(separator: "; "))")
                }
            }
            if !outcome.errors.isEmpty { throw ExitCodes.invalidInput }
            if blind > 0 || outcome.reports.isEmpty { throw ExitCodes.expectationFailed }
        }
    }
}
