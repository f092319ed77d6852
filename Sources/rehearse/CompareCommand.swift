import ArgumentParser
import Harness
import Reporting

extension Rehearse {
    /// `rehearse compare BASE NEW`: what changed in misfires, SLA and exposure; exit 1 on a regression.
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two runs or two sets of replications; exit 1 when a figure got worse beyond noise.",
            discussion:
                "BASE and NEW are JSON summaries, results databases, or folders holding the JSON summaries of several replications (rehearse run --replications N). More replications give tighter intervals."
        )

        @Argument(help: "The baseline: a .json summary, a .sqlite database, or a folder of replications.")
        var base: String

        @Argument(help: "The new runs, in the same forms.")
        var new: String

        func run() throws {
            let comparison: Comparison
            do {
                let b = try SummaryLoader.figures(base), n = try SummaryLoader.figures(new)
                comparison = Comparison(base: b.values, new: n.values, counts: b.counts.union(n.counts))
            } catch {
                printError(error.description)
                throw ExitCodes.invalidInput
            }
            try Console.out(comparison.render(), terminator: "")
            if !comparison.regressions.isEmpty { throw ExitCodes.expectationFailed }
        }
    }
}
