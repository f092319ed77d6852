import Foundation
import Testing

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Runs the built `rehearse` executable and returns (exit code, stdout, stderr).
private func rehearse(_ arguments: [String]) throws -> (Int32, String, String) {
    let binary = root.appendingPathComponent(".build/debug/rehearse")
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = root
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, stdout, stderr)
}

/// Should wire commands, exit codes and messages as documented.
@Suite(.serialized) struct CLITests {
    @Test func helpListsTheCommands() throws {
        let (code, out, _) = try rehearse(["--help"])
        #expect(code == 0)
        #expect(out.contains("run") && out.contains("validate"))
    }

    @Test func invalidScenarioExitsTwoWithPosition() throws {
        let file = NSTemporaryDirectory() + "cli-bad-\(UUID().uuidString).yaml"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let text = try String(contentsOf: root.appendingPathComponent("Scenarios/hotel-winback.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "    from: crm\n    to: sms", with: "    from: crn\n    to: sms")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let (code, _, err) = try rehearse(["validate", file])
        #expect(code == 2)
        #expect(err.contains("\(file):"), "\(err)")
        #expect(err.contains("unknown platform 'crn'") && err.contains("did you mean 'crm'?"), "\(err)")
        let (runCode, _, runErr) = try rehearse(["run", file])
        #expect(runCode == 2 && runErr.contains("did you mean 'crm'?"))
    }

    @Test func missingFileExitsTwo() throws {
        let (code, _, err) = try rehearse(["run", "Scenarios/no-such-file.yaml"])
        #expect(code == 2)
        #expect(err.contains("cannot read Scenarios/no-such-file.yaml"))
    }

    @Test func badSeedIsAUsageError() throws {
        let (code, _, err) = try rehearse(["run", "Scenarios/hotel-winback.yaml", "--seed", "banana"])
        #expect(code != 0)
        #expect(err.contains("is not a seed"))
    }

    @Test func runPrintsSummaryAndReproductionCommand() throws {
        let reports = NSTemporaryDirectory() + "cli-reports-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: reports) }
        let (code, out, err) = try rehearse(["run", "Scenarios/hotel-winback.yaml", "--customers", "1500", "--seed", "8", "--reports-dir", reports])
        #expect(code == 0, "\(err)")
        #expect(out.contains("Rehearsal of hotel-winback: 1,500 customers"))
        #expect(out.contains("messages after conversion"))
        #expect(out.contains("SMS to revoked consent"))
        #expect(out.hasSuffix("reproduce with: rehearse run Scenarios/hotel-winback.yaml --seed 8 --customers 1500\n"))
        let (_, again, _) = try rehearse(["run", "Scenarios/hotel-winback.yaml", "--customers", "1500", "--seed", "8", "--reports-dir", reports])
        #expect(again == out, "same seed, byte-identical summary")
    }
}
