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
        #expect(TemplateLibrary.list(folder).map(\.name) == ["hotel-winback"])
        let path = try TemplateLibrary.create(
            name: "spring-promo", template: "hotel-winback", folder: folder, templatesFrom: folder)[0]
        let s = try ScenarioRunner.load(path: path)
        #expect(s.name == "spring-promo")
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("# yaml-language-server: $schema="))
        #expect(throws: HarnessError.self) {
            _ = try TemplateLibrary.create(name: "spring-promo", template: "hotel-winback", folder: folder)
        }
        do {
            _ = try TemplateLibrary.create(name: "x", template: "hotel-winbak", folder: folder)
            Issue.record("an unknown template was accepted")
        } catch {
            #expect("\(error)".contains("did you mean 'hotel-winback'?"), "\(error)")
        }
    }

    /// The binary's copies must be the files under Scenarios/ (run scripts/embed-templates.py after editing one).
    @Test func embeddedTemplatesAreTheScenarioFiles() throws {
        let onDisk = Checker.scenarioFiles([repositoryRoot + "/Scenarios"])
            + Checker.scenarioFiles([repositoryRoot + "/Scenarios"], twins: true)
        #expect(EmbeddedTemplates.all.count == Set(onDisk).count)
        for t in EmbeddedTemplates.all {
            let text = try String(contentsOfFile: repositoryRoot + "/" + t.path, encoding: .utf8)
            #expect(t.text == text, "\(t.path) changed: run scripts/embed-templates.py")
        }
    }

    /// From a folder outside any checkout, `init` works from the binary's copies: a clean file
    /// (no twin header), a schema reference that resolves there, and a file that loads.
    @Test func initOutsideACheckoutWritesACleanScenarioAndItsSchema() throws {
        let folder = temporaryReports()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let paths = try TemplateLibrary.create(name: "my-stack", template: "hotel-winback-broken", folder: folder)
        #expect(paths == [folder + "/my-stack.yaml", folder + "/scenario.schema.json"])
        let text = try String(contentsOfFile: paths[0], encoding: .utf8)
        #expect(text.hasPrefix("# yaml-language-server: $schema=scenario.schema.json\n# Made from the hotel-winback-broken template"))
        #expect(!text.contains("BROKEN TWIN of"))
        #expect(!text.contains("../docs/"))
        #expect(try ScenarioRunner.load(path: paths[0]).name == "my-stack")
        #expect(FileManager.default.fileExists(atPath: paths[1]))
        // A second scenario in the same folder reuses the schema already there.
        #expect(try TemplateLibrary.create(name: "other", template: "hotel-winback", folder: folder).count == 1)
        #expect(TemplateLibrary.list().contains { $0.name == "winback-ref" })
        do {
            _ = try TemplateLibrary.create(name: "y", template: "hotel-winback", folder: folder + "/missing")
            Issue.record("a missing folder was accepted")
        } catch {
            #expect("\(error)".contains("there is no such folder"), "\(error)")
        }
    }
}
