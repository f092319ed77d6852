import Foundation
import ScenarioKit

/// The scenario files under `Scenarios/` double as templates for new scenarios. The binary
/// carries a copy of each (`EmbeddedTemplates`), so `templates` and `init` need no checkout.
public enum TemplateLibrary {
    /// One template: its scenario name, where it came from, its description's first line and text.
    public struct Template: Sendable {
        public var name: String
        public var source: String
        public var summary: String
        public var text: String
        /// A broken twin: a stack that is meant to fail `check`.
        public var isBrokenTwin: Bool { source.hasSuffix(".broken.yaml") }
    }

    /// Every valid template, sorted by name: the embedded copies, or the files under `folder`.
    public static func list(_ folder: String? = nil) -> [Template] {
        let texts: [(String, String)]
        if let folder {
            let paths = Checker.scenarioFiles([folder]) + Checker.scenarioFiles([folder], twins: true)
            texts = paths.compactMap { path in (try? FileAccess.readText(path)).map { (path, $0) } }
        } else {
            texts = EmbeddedTemplates.all.map { ($0.path, $0.text) }
        }
        return texts.compactMap { (source, text) in
            guard let s = try? Scenario.parse(yaml: text, sourceName: source) else { return nil }
            let line = s.description.split(separator: "\n").first.map(String.init) ?? ""
            return Template(name: s.name, source: source, summary: line, text: text)
        }.sorted { $0.name < $1.name }
    }

    /// Writes `<folder>/<name>.yaml` from a template, with its `name:` replaced, the template's
    /// own header comments replaced by a short one, and a schema reference that resolves from
    /// the new file's folder. Refuses to overwrite. Returns the paths written (the scenario,
    /// and `scenario.schema.json` when no schema was found above the folder).
    public static func create(
        name: String, template: String, folder: String, templatesFrom: String? = nil
    ) throws(HarnessError) -> [String] {
        let templates = list(templatesFrom)
        guard let source = templates.first(where: { $0.name == template }) else {
            let names = templates.map(\.name)
            let hint = NearMiss.suggestion(for: template, in: names).map { "; did you mean '\($0)'?" } ?? ""
            throw .cannotRead(
                path: template, reason: "no template named '\(template)'\(hint) There are: \(names.joined(separator: ", "))")
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw .cannotWrite(path: folder, reason: "there is no such folder; create it first, or give another --into")
        }
        let target = (folder as NSString).appendingPathComponent(name + ".yaml")
        guard !FileManager.default.fileExists(atPath: target) else {
            throw .cannotWrite(path: target, reason: "it exists already")
        }
        var written: [String] = []
        let schema: String
        if let found = schemaAbove(folder) {
            schema = found
        } else {
            let path = (folder as NSString).appendingPathComponent("scenario.schema.json")
            if !FileManager.default.fileExists(atPath: path) {
                try write(ScenarioSchema.json(), to: path)
                written.append(path)
            }
            schema = "scenario.schema.json"
        }
        let body = source.text.split(separator: "\n", omittingEmptySubsequences: false)
            .drop { $0.hasPrefix("#") }
            .map { $0.hasPrefix("name:") ? "name: \(name)" : String($0) }
            .joined(separator: "\n")
        let twin = source.isBrokenTwin ? " (a broken twin: `rehearse check` fails it until the hand-offs are fixed)" : ""
        let header =
            "# yaml-language-server: $schema=\(schema)\n# Made from the \(template) template\(twin); adapt it, then: rehearse run \(name).yaml\n"
        try write(header + body, to: target)
        written.insert(target, at: 0)
        _ = try ScenarioRunner.load(path: target)
        return written
    }

    /// `docs/scenario.schema.json` in `folder` or a folder above it, as a path relative to `folder`.
    static func schemaAbove(_ folder: String) -> String? {
        var dir = URL(fileURLWithPath: folder).standardizedFileURL
        var up = ""
        for _ in 0..<8 {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("docs/scenario.schema.json").path) {
                return up + "docs/scenario.schema.json"
            }
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("scenario.schema.json").path) {
                return up + "scenario.schema.json"
            }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { break }
            dir = parent
            up += "../"
        }
        return nil
    }

    private static func write(_ text: String, to path: String) throws(HarnessError) {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw .cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}
