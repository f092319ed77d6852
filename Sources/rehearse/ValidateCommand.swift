import ArgumentParser
import Harness
import ScenarioKit

extension Rehearse {
    /// `rehearse validate FILE…`: check scenario files without running them.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check scenario files without running them.")

        @Argument(help: "Scenario files (YAML).")
        var files: [String]

        @OptionGroup var lint: LintOptions

        func run() throws {
            var failed = false
            for file in files {
                let s: Scenario
                do {
                    s = try ScenarioRunner.load(path: file)
                } catch {
                    printError(error.description)
                    failed = true
                    continue
                }
                try Console.out(
                    "\(file): ok (\(s.name): \(s.plan.platforms.count) platforms, \(s.plan.links.count) links, \(s.plan.campaign.steps.count) steps)"
                )
            }
            if failed { throw ExitCodes.invalidInput }
            try Lint.report(files, strict: lint.strict)
        }
    }
}
