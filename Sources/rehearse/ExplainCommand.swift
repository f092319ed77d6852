import ArgumentParser
import Foundation
import Harness

extension Rehearse {
    /// `rehearse explain RESULTS --customer ID`: why did this customer get this message?
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Show one customer's timeline: truth, link deliveries, each platform's view at each decision, misfires and their causes."
        )

        @Argument(help: "A results database (Reports/<scenario>/….sqlite).")
        var results: String

        @Option(help: "The customer number.")
        var customer: Int?

        @Option(help: "A misfire id: explain its customer, showing only that misfire's message.")
        var misfire: Int?

        @Flag(help: "Print JSON for tools.")
        var json = false

        func validate() throws {
            if (customer == nil) == (misfire == nil) {
                throw ValidationError("give exactly one of --customer or --misfire")
            }
        }

        func run() throws {
            do {
                let explanation = try Explainer.explain(
                    results: results, customer: customer, misfire: misfire.map(Int64.init))
                try Console.out(json ? explanation.renderJSON() : explanation.render(), terminator: "")
            } catch {
                printError("\(error)")
                throw ExitCodes.invalidInput
            }
        }
    }
}
