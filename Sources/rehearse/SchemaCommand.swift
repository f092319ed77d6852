import ArgumentParser
import Foundation
import Harness
import ScenarioKit

extension Rehearse {
    /// `rehearse schema`: the JSON Schema of scenario files, for editors.
    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Print the JSON Schema of scenario files (add `# yaml-language-server: $schema=…` to a scenario to use it)."
        )

        func run() throws { try Console.out(ScenarioSchema.json(), terminator: "") }
    }

    /// `rehearse templates`: the scenarios a new one can start from.
    struct Templates: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the scenario templates (the files under Scenarios/).")

        @Option(help: "Where the templates are.")
        var from = "Scenarios"

        func run() throws {
            for (name, path, description) in TemplateLibrary.list(from) {
                try Console.out("\(Format.padded(name, 22)) \(path)  \(description)")
            }
        }
    }

    /// `rehearse init NAME --template T`: a new scenario from a template.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a new scenario file from a template.")

        @Argument(help: "The new scenario's name (kebab-case); the file is Scenarios/<name>.yaml.")
        var name: String

        @Option(help: "The template (see `rehearse templates`).")
        var template = "hotel-winback"

        @Option(help: "Where the templates are and the new file goes.")
        var into = "Scenarios"

        func validate() throws {
            guard !name.isEmpty, name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) else {
                throw ValidationError("'\(name)' is not a kebab-case name (lowercase letters, digits, '-')")
            }
        }

        func run() throws {
            do {
                let path = try TemplateLibrary.create(name: name, template: template, folder: into)
                try Console.out("wrote \(path); rehearse it with: rehearse run \(path)")
            } catch {
                printError("\(error)")
                throw ExitCodes.invalidInput
            }
        }
    }
}

enum Format {
    static func padded(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}
