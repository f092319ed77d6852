import ArgumentParser
import Foundation
import Harness
import ScenarioKit

extension Rehearse {
    /// `rehearse calibrate LOG.csv`: measured hand-off latencies → a distribution in scenario syntax.
    struct Calibrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn a CSV of hand-offs (record, changed_at, arrived_at) into a latency distribution in scenario syntax.",
            discussion: """
                Times are epoch milliseconds or ISO 8601; a header row is optional. Prints the distribution on one
                line (paste it after `latency:`) and how well it fits. With --scenario and --link, also writes the
                scenario with that link's latency replaced (and no longer external), ready for `rehearse run`.
                Rows that cannot be read, or that arrive before they changed, are counted and listed by line.
                """)

        @Argument(help: "The CSV file.")
        var log: String

        @Option(help: "A scenario to write the calibrated latency into.")
        var scenario: String?

        @Option(help: "The link of --scenario whose latency the CSV measured.")
        var link: String?

        @Option(help: "Where to write the calibrated scenario (default: <scenario>.calibrated.yaml beside it).")
        var output: String?

        func validate() throws {
            if (scenario == nil) != (link == nil) { throw ValidationError("--scenario and --link go together") }
            if output != nil && scenario == nil { throw ValidationError("--output needs --scenario and --link") }
        }

        func run() throws {
            let text: String
            do {
                text = try FileAccess.readText(log)
            } catch {
                printError(error.description)
                throw ExitCodes.invalidInput
            }
            let parsed = CalibrationLog(text: text)
            for row in parsed.bad.prefix(20) { printError("\(log):\(row)") }
            if parsed.bad.count > 20 { printError("\(log): … \(parsed.bad.count - 20) more bad rows") }
            guard !parsed.latencies.isEmpty else {
                printError("\(log): no usable row among \(parsed.rows); expected record, changed_at, arrived_at")
                throw ExitCodes.invalidInput
            }
            let fit = LatencyFit.fit(milliseconds: parsed.latencies)
            try Console.out(fit.flow)
            try Console.out(
                "# \(fit.description); \(parsed.bad.count) of \(parsed.rows) rows skipped as bad (listed on stderr)")
            guard let scenario, let link else { return }
            let destination = output ?? (scenario.hasSuffix(".yaml") ? String(scenario.dropLast(5)) : scenario) + ".calibrated.yaml"
            do {
                let source = try FileAccess.readText(scenario)
                let calibrated = try LatencyFit.replaceLatency(
                    in: source, links: [link: fit.flow],
                    header: "Calibrated by `rehearse calibrate \(log)`: link \(link) measured from \(fit.sampleCount) hand-offs.\n\(fit.description)")
                _ = try Scenario.parse(yaml: calibrated, sourceName: destination)
                try calibrated.write(toFile: destination, atomically: true, encoding: .utf8)
            } catch let error as ScenarioError {
                printError(error.description)
                throw ExitCodes.invalidInput
            } catch let error as HarnessError {
                printError(error.description)
                throw ExitCodes.invalidInput
            } catch {
                printError("\(scenario): \(error)")
                throw ExitCodes.invalidInput
            }
            try Console.out("wrote \(destination)")
        }
    }
}
