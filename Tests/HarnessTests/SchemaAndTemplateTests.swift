import Foundation
import Harness
import ScenarioKit
import TestKit
import Testing

/// A Python that can import jsonschema and PyYAML (this machine kind ships them), or nil.
private let python: String? = ["/root/.pyenv/shims/python3", "/usr/local/bin/python3", "/usr/bin/python3"].first {
    path in
    guard FileManager.default.isExecutableFile(atPath: path) else { return false }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = ["-c", "import jsonschema, yaml"]
    p.standardOutput = Pipe()
    p.standardError = Pipe()
    guard (try? p.run()) != nil else { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
}

/// Should give editors a schema every shipped scenario satisfies, and start new scenarios from templates.
@Suite struct SchemaAndTemplateTests {
    @Test func committedSchemaIsTheGeneratedOne() throws {
        let committed = try String(contentsOfFile: repositoryRoot + "/docs/scenario.schema.json", encoding: .utf8)
        #expect(committed == ScenarioSchema.json(), "re-generate with: rehearse schema > docs/scenario.schema.json")
        #expect((try? JSONSerialization.jsonObject(with: Data(committed.utf8))) != nil)
    }

    /// Validated with Python's jsonschema (a real validator), which this machine kind ships.
    @Test(.enabled(if: python != nil, "needs python3 with jsonschema and PyYAML"))
    func everyScenarioSatisfiesTheSchema() throws {
        let script = """
            import glob, json, re, sys, yaml, jsonschema
            # YAML 1.2 as editors read it: timestamps stay strings, and only true/false are booleans (`on:` is a key).
            class L(yaml.SafeLoader): pass
            dropped = ('tag:yaml.org,2002:timestamp', 'tag:yaml.org,2002:bool')
            L.yaml_implicit_resolvers = {k: [r for r in v if r[0] not in dropped] for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
            L.add_implicit_resolver('tag:yaml.org,2002:bool', re.compile(r'^(?:true|True|TRUE|false|False|FALSE)$'), list('tTfF'))
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            bad = 0
            for f in sorted(glob.glob(sys.argv[2] + '/**/*.yaml', recursive=True)):
                for e in jsonschema.Draft202012Validator(schema).iter_errors(yaml.load(open(f), Loader=L)):
                    print(f, list(e.path), e.message[:120]); bad += 1
            print('files', len(glob.glob(sys.argv[2] + '/**/*.yaml', recursive=True)))
            sys.exit(1 if bad else 0)
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python!)
        p.arguments = ["-c", script, repositoryRoot + "/docs/scenario.schema.json", repositoryRoot + "/Scenarios"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(text.contains("files 2") || text.contains("files "), "\(text)")
    }

    @Test func initWritesAValidScenarioFromATemplateAndRefusesToOverwrite() throws {
        let folder = temporaryReports()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(
            atPath: repositoryRoot + "/Scenarios/hotel-winback.yaml", toPath: folder + "/hotel-winback.yaml")
        #expect(TemplateLibrary.list(folder).map(\.0) == ["hotel-winback"])
        let path = try TemplateLibrary.create(name: "spring-promo", template: "hotel-winback", folder: folder)
        let s = try ScenarioRunner.load(path: path)
        #expect(s.name == "spring-promo")
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("# yaml-language-server: $schema="))
        #expect(throws: HarnessError.self) {
            _ = try TemplateLibrary.create(name: "spring-promo", template: "hotel-winback", folder: folder)
        }
        #expect(throws: HarnessError.self) {
            _ = try TemplateLibrary.create(name: "x", template: "hotel-winbak", folder: folder)
        }
    }
}
