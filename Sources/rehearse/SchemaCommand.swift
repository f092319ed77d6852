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
            abstract: "List the scenario templates (the binary carries a copy of every file under Scenarios/).")

        @Option(help: "Read the templates from this folder instead of the copies in the binary.")
        var from: String?

        func run() throws {
            let templates = TemplateLibrary.list(from)
            if let from, templates.isEmpty {
                printError("no valid scenario files under \(from) to use as templates")
                throw ExitCodes.invalidInput
            }
            for t in templates {
                try Console.out("\(Format.padded(t.name, 28)) \(Format.padded(t.source, 44)) \(t.summary)")
            }
        }
    }

    /// `rehearse init NAME --template T`: a new scenario from a template.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a new scenario file from a template.")

        @Argument(help: "The new scenario's name (kebab-case); the file is <into>/<name>.yaml.")
        var name: String

        @Option(help: "The template (see `rehearse templates`).")
        var template = "hotel-winback"

        @Option(help: "The folder the new file goes into.")
        var into = "."

        @Option(help: "Read the templates from this folder instead of the copies in the binary.")
        var from: String?

        func validate() throws {
            guard !name.isEmpty, name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) else {
                throw ValidationError("'\(name)' is not a kebab-case name (lowercase letters, digits, '-')")
            }
        }

        func run() throws {
            do {
                let paths = try TemplateLibrary.create(name: name, template: template, folder: into, templatesFrom: from)
                for extra in paths.dropFirst() { try Console.out("wrote \(extra) (the scenario schema, for editors)") }
                try Console.out("wrote \(paths[0]); rehearse it with: rehearse run \(paths[0])")
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
