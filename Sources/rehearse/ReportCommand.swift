import ArgumentParser
import Foundation
import Harness
import Reporting

extension Rehearse {
    /// `rehearse report RESULTS`: regenerate the reports of a finished run from its database.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the HTML, Markdown, JSON and text reports of a run again, from its results database alone."
        )

        @Argument(help: "A results database (Reports/<scenario>/….sqlite).")
        var results: String

        func run() throws {
            let overview: RunOverview
            do {
                overview = try ReportRegenerator.regenerate(results: results)
            } catch {
                printError(error.description)
                throw ExitCodes.invalidInput
            }
            try Console.out(TextSummary.render(overview, colour: isatty(STDOUT_FILENO) == 1), terminator: "")
        }
    }
}
