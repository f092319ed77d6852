import Foundation
import ScenarioKit

/// The scenario files under `Scenarios/` double as templates for new scenarios.
public enum TemplateLibrary {
    /// `(name, path, description)` of every valid scenario under `folder` (broken twins included:
    /// they are the stacks teams start with), sorted by name.
    public static func list(_ folder: String) -> [(String, String, String)] {
        (Checker.scenarioFiles([folder]) + Checker.scenarioFiles([folder], twins: true)).compactMap { path in
            guard let s = try? ScenarioRunner.load(path: path) else { return nil }
            let line = s.description.split(separator: "\n").first.map(String.init) ?? ""
            return (s.name, path, line)
        }.sorted { $0.0 < $1.0 }
    }

    /// Copies a template to `<folder>/<name>.yaml` with its `name:` replaced; refuses to overwrite.
    public static func create(name: String, template: String, folder: String) throws(HarnessError) -> String {
        guard let source = list(folder).first(where: { $0.0 == template }) else {
            let names = list(folder).map(\.0)
            throw .cannotRead(
                path: template, reason: "no template named '\(template)'; there are: \(names.joined(separator: ", "))")
        }
        let target = (folder as NSString).appendingPathComponent(name + ".yaml")
        guard !FileManager.default.fileExists(atPath: target) else {
            throw .cannotWrite(path: target, reason: "it exists already")
        }
        let text = try FileAccess.readText(source.1)
        let renamed = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("name:") ? "name: \(name)" : String(line)
        }.joined(separator: "\n")
        let header =
            "# yaml-language-server: $schema=../docs/scenario.schema.json\n# Made from the \(template) template; adapt it, then: rehearse run \(target)\n"
        do {
            try (header + renamed).write(toFile: target, atomically: true, encoding: .utf8)
        } catch {
            throw .cannotWrite(path: target, reason: error.localizedDescription)
        }
        _ = try ScenarioRunner.load(path: target)
        return target
    }
}
