import ArgumentParser
import Foundation
import Harness
import Reporting
import ScenarioKit
import Serve

extension Rehearse {
    /// `rehearse serve FILE`: the scenario's fakes behind their vendors' HTTP APIs on loopback.
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the scenario's platforms over their vendors' HTTP APIs, in virtual time, until Ctrl-C or the scenario's end.",
            discussion: """
                Each platform answers under http://127.0.0.1:PORT/<platform name> with its vendor's paths
                (HubSpot, Twilio, Segment, SendGrid, Braze, Klaviyo, The Trade Desk). Reports/<scenario>/serve.json
                names every base URL and how each platform spells the model's fields. Every message a client
                sends is judged; at the end the results database and the reports are written as by `rehearse run`.
                The playbook is docs/playbooks/serve.md.
                """)

        @Argument(help: "The scenario file (YAML).")
        var scenario: String

        @Option(help: "Loopback port to listen on (0: any free port; serve.json says which).")
        var port: Int = 4010

        @Option(help: "Virtual seconds per wall-clock second (3600: an hour a second).")
        var speed: Double = 60

        @Option(help: "Seed for repeatable sessions; a 40-char git hash is accepted.")
        var seed: String?

        @Option(help: "Number of customers, overriding the scenario.")
        var customers: Int?

        @Option(help: "The HubSpot app's client secret: HubSpot webhooks are signed with it (X-HubSpot-Signature-v3).")
        var hubspotClientSecret = "rehearsal-hubspot-client-secret"

        @Flag(help: "Gate CI: run COMMAND (after --) against the fakes, end when it exits, exit 0/1/2 on the scenario's expectations like `rehearse check` (1 also when COMMAND fails).")
        var check = false

        @Option(help: "With --check: write JUnit XML here.")
        var junit: String?

        @Argument(parsing: .postTerminator, help: "With --check: the command to run (its worker or its test suite).")
        var command: [String] = []

        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if port < 0 || port > 65_535 { throw ValidationError("'--port' must be between 0 and 65535") }
            if !(speed > 0) || !speed.isFinite || speed > 1e9 {
                throw ValidationError("'--speed' must be a number above 0 and at most 1e9 (virtual seconds per second)")
            }
            if let seed, Scenario.parseSeed(seed) == nil {
                throw ValidationError("'--seed \(seed)' is not a seed; give a whole number or a git commit hash")
            }
            if !command.isEmpty && !check { throw ValidationError("a command after -- runs only with --check") }
            if junit != nil && !check { throw ValidationError("'--junit' goes with --check") }
            if let customers, customers < 1 || customers > 10_000_000 {
                throw ValidationError("'--customers' must be between 1 and 10,000,000 for serve mode")
            }
        }

        func run() throws {
            var request = ServeRequest(scenarioPath: scenario)
            request.port = port
            request.speed = speed
            request.seed = seed.flatMap(Scenario.parseSeed)
            request.customers = customers
            request.reportsDirectory = global.reportsDirectory
            request.command = CommandLine.arguments.joined(separator: " ")
            request.child = command
            request.sessionOptions.hubSpotClientSecret = hubspotClientSecret
            let quiet = global.quiet
            let outcome: ServeOutcome
            do {
                outcome = try ServeRunner.run(request) { line in
                    if !quiet { Console.err(line) }
                }
            } catch {
                printError(error.description)
                throw ExitCodes.invalidInput
            }
            if !quiet {
                try Console.out(outcome.textSummary, terminator: "")
                let r = outcome.requests
                try Console.out(
                    "  requests        \(r.total) answered (\(r.total(status: 429)) with 429), per endpoint in the serveRequest table")
            }
            if let path = outcome.calibratedPath, !quiet {
                try Console.out("  calibrated      \(path)  (rehearse run it with --customers 1000000)")
                for note in outcome.calibration { try Console.out("                  \(note)") }
            }
            guard check else {
                if !outcome.reachedHorizon {
                    printError(
                        "serve session ended early by a signal; everything until then is in \(outcome.overview.databasePath)")
                }
                return
            }
            try gate(outcome)
        }

        /// `--check`: the expectations decide the exit code, and a failing command fails the gate.
        private func gate(_ outcome: ServeOutcome) throws {
            let report = outcome.overview.expectations!
            try Console.out(report.render(), terminator: "")
            if let junit {
                let reproduce = "rehearse serve \(scenario) --check -- \(command.joined(separator: " "))"
                do {
                    try JUnitReport.render([(report, scenario, reproduce)], errors: []).write(
                        toFile: junit, atomically: true, encoding: .utf8)
                } catch {
                    printError("cannot write \(junit): \(ScenarioRunner.explainWriteError(error))")
                    throw ExitCodes.invalidInput
                }
            }
            if !command.isEmpty {
                switch outcome.childStatus {
                case 0?: try Console.out("  command \(command.joined(separator: " ")) exited 0")
                case let status?:
                    printError("the command \(command.joined(separator: " ")) exited \(status)")
                    throw ExitCodes.expectationFailed
                case nil:
                    printError("the command was still running when the scenario's time ran out; it was stopped")
                }
            }
            if !report.passed { throw ExitCodes.expectationFailed }
        }
    }
}
