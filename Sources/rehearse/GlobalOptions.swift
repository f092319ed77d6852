import ArgumentParser
import Foundation

/// Options shared by the commands that write results.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("reports-dir"), help: "Folder for results and reports.")
    var reportsDirectory = "Reports"

    @Flag(name: .shortAndLong, help: "Print only errors.")
    var quiet = false
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
