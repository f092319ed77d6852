import ArgumentParser
import Harness
import ScenarioKit

/// `--strict`: the lint's warnings (settings that do nothing or contradict another) become errors.
struct LintOptions: ParsableArguments {
    @Flag(help: "Treat warnings (settings that do nothing or contradict another) as errors: exit 2.")
    var strict = false
}

enum Lint {
    /// Prints each file's warnings on standard error; under `--strict`, any warning is exit 2.
    /// Files that do not load are left to the command, which reports their errors.
    static func report(_ files: [String], strict: Bool) throws {
        var count = 0
        for file in files {
            guard let scenario = try? ScenarioRunner.load(path: file) else { continue }
            for w in scenario.warnings { printError(w.description) }
            count += scenario.warnings.count
        }
        if strict && count > 0 {
            printError(
                "--strict: \(count) warning\(count == 1 ? "" : "s") (a setting that does nothing is an error in CI)")
            throw ExitCodes.invalidInput
        }
    }
}
