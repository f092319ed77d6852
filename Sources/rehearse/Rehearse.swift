import ArgumentParser
import Foundation

/// The `rehearse` command: rehearse marketing campaigns against a simulated stack.
@main
struct Rehearse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rehearse",
        abstract: "Rehearse a marketing campaign against a simulated martech stack before it reaches real customers.",
        version: "0.1.0",
        subcommands: [
            Run.self, Check.self, Sweep.self, Merge.self, Compare.self, Report.self, Explain.self, Validate.self,
            Init.self, Templates.self, Schema.self, Serve.self, Calibrate.self,
        ]
    )

    /// Parses and runs a subcommand with the README's exit codes: a usage error (a missing
    /// argument, a bad option) is invalid input, exit 2, like every other; `--help` is 0.
    /// A closed pipe is an error from `write`, not a SIGPIPE that kills the process.
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty && !Console.write(message + "\n", to: STDOUT_FILENO) {
                    Foundation.exit(ExitCodes.invalidInput.rawValue)
                }
                Foundation.exit(0)
            }
            if !message.isEmpty { Console.err(message) }
            Foundation.exit(code == .validationFailure ? ExitCodes.invalidInput.rawValue : code.rawValue)
        }
    }
}
