import ArgumentParser

/// The `rehearse` command: rehearse marketing campaigns against a simulated stack.
@main
struct Rehearse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rehearse",
        abstract: "Rehearse a marketing campaign against a simulated martech stack before it reaches real customers.",
        version: "0.1.0",
        subcommands: [Run.self, Check.self, Sweep.self, Merge.self, Compare.self, Report.self, Explain.self, Validate.self, Init.self, Templates.self, Schema.self]
    )
}
