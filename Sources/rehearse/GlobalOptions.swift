import ArgumentParser
import Foundation

/// Options shared by the commands that write results.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("reports-dir"), help: "Folder for results and reports.")
    var reportsDirectory = "Reports"

    @Flag(name: .shortAndLong, help: "Print only errors.")
    var quiet = false
}
