import Foundation
import TestKit
import Testing

/// The repository root as a URL (where the CLI runs in these tests).
let root = URL(fileURLWithPath: repositoryRoot)

/// Runs the built `rehearse` executable and returns (exit code, stdout, stderr).
func rehearse(_ arguments: [String]) throws -> (Int32, String, String) {
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
        let file = temporaryPath("cli-bad", ".yaml")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let text = try String(
            contentsOf: root.appendingPathComponent("Scenarios/twins/hotel-winback.broken.yaml"), encoding: .utf8
        )
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
        let reports = temporaryFolder("cli-reports")
        defer { try? FileManager.default.removeItem(atPath: reports) }
        let (code, out, err) = try rehearse([
            "run", "Scenarios/hotel-winback.yaml", "--customers", "1500", "--seed", "8", "--reports-dir", reports,
        ])
        #expect(code == 0, "\(err)")
        #expect(out.contains("Rehearsal of hotel-winback: 1,500 customers"))
        #expect(out.contains("messages after conversion"))
        #expect(out.contains("SMS to revoked consent"))
        #expect(out.hasSuffix("reproduce with: rehearse run Scenarios/hotel-winback.yaml --seed 8 --customers 1500\n"))
        let (_, again, _) = try rehearse([
            "run", "Scenarios/hotel-winback.yaml", "--customers", "1500", "--seed", "8", "--reports-dir", reports,
        ])
        #expect(again == out, "same seed, byte-identical summary")
    }
}

/// Should stop cleanly on SIGINT: exit 130, results marked interrupted, nothing that looks complete.
@Suite struct InterruptTests {
    @Test func sigintLeavesAnInterruptedDatabaseNeverAComplete() throws {
        let reports = temporaryFolder("cli-interrupt")
        defer { try? FileManager.default.removeItem(atPath: reports) }
        let process = Process()
        process.executableURL = root.appendingPathComponent(".build/debug/rehearse")
        process.arguments = [
            "run", "Scenarios/bench/winback-ref.yaml", "--customers", "200000", "--reports-dir", reports, "--quiet",
        ]
        process.currentDirectoryURL = root
        process.standardError = Pipe()
        try process.run()
        // Wait until the run has created its partial database, then interrupt it, wherever it is.
        let folder = reports + "/winback-ref"
        var polls = 0
        while process.isRunning && polls < 20_000 {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            if files.contains(where: { $0.contains(".partial-") }) { break }
            polls += 1
            usleep(1000)
        }
        process.interrupt()
        process.waitUntilExit()
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        #expect(!files.contains { $0.contains(".partial-") }, "\(files)")
        if process.terminationStatus == 130 {
            let interrupted = try #require(files.first { $0.hasSuffix(".interrupted.sqlite") }, "\(files)")
            #expect(!files.contains { $0.hasSuffix("--customers-200000.sqlite") }, "nothing may look complete")
            let status = try rehearseQuery(folder + "/" + interrupted)
            #expect(status == "interrupted")
        } else {
            // The run finished before the signal arrived: then it must be complete.
            #expect(process.terminationStatus == 0)
            #expect(files.contains { $0.hasSuffix("--customers-200000.sqlite") })
        }
    }

    private func rehearseQuery(_ path: String) throws -> String {
        sqlite3Output(path, ["SELECT status FROM run"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Should make `rehearse check` a CI gate: 0 when expectations hold, 1 naming the failure, 2 for bad input.
@Suite(.serialized) struct CheckCommandTests {
    private func scenario(_ expectations: String) throws -> String {
        let text = try String(
            contentsOf: root.appendingPathComponent("Scenarios/twins/hotel-winback.broken.yaml"), encoding: .utf8)
        let head = text.components(separatedBy: "\nexpectations:")[0]
        let file = temporaryPath("check", ".yaml")
        try (head + "\nexpectations:\n" + expectations).write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// The library as CI sees it: every scenario passes, every broken twin is caught by name.
    @Test func libraryPassesAndEveryTwinIsCaught() throws {
        let reports = temporaryFolder("check-library")
        defer { try? FileManager.default.removeItem(atPath: reports) }
        let (code, out, err) = try rehearse([
            "check", "Scenarios/", "--customers", "8000", "--reports-dir", reports, "--quiet",
        ])
        #expect(code == 0, "\(out)\(err)")
        #expect(!out.contains("twins/"), "folder checks skip the broken twins")
        let (twinCode, twinOut, twinErr) = try rehearse([
            "check", "--twins", "Scenarios/", "--customers", "8000", "--reports-dir", reports,
        ])
        #expect(twinCode == 0, "\(twinOut)\(twinErr)")
        #expect(twinOut.components(separatedBy: "caught by").count - 1 == 5, "\(twinOut)")
        // Named directly, a twin is an ordinary failing check: exit 1, naming the expectation.
        let (oneCode, oneOut, _) = try rehearse([
            "check", "Scenarios/twins/feature-launch.broken.yaml", "--customers", "3000", "--reports-dir", reports,
        ])
        #expect(oneCode == 1)
        #expect(oneOut.contains("FAIL  misfires.frequency_cap <= 0"))
    }

    @Test func holdingExpectationsExitZero() throws {
        let file = try scenario("  misfires:\n    quiet_hours: 0\n  sla:\n    crm_to_map: {freshness_max: 3d}\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let (code, out, err) = try rehearse([
            "check", file, "--customers", "2000", "--reports-dir", temporaryFolder("check-reports"),
        ])
        #expect(code == 0, "\(out)\(err)")
        #expect(out.contains("2 of 2 expectations hold"))
    }

    @Test func failingExpectationExitsOneAndNamesIt() throws {
        let file = try scenario("  misfires:\n    post_conversion_email: {max: 0}\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let junit = temporaryPath("check", ".xml")
        defer { try? FileManager.default.removeItem(atPath: junit) }
        let (code, out, _) = try rehearse([
            "check", file, "--customers", "3000", "--junit", junit, "--reports-dir", temporaryFolder("check-reports"),
        ])
        #expect(code == 1)
        #expect(out.contains("FAIL  misfires.post_conversion_email <= 0"), "\(out)")
        #expect(out.contains("reproduce with: rehearse run"))

        let document = try XMLDocument(contentsOf: URL(fileURLWithPath: junit))
        let root = try #require(document.rootElement())
        #expect(root.name == "testsuites")
        #expect(root.attribute(forName: "failures")?.stringValue == "1")
        let cases = try root.nodes(forXPath: "//testsuite/testcase")
        #expect(cases.count == 1)
        let failure = try root.nodes(forXPath: "//testcase/failure").first as? XMLElement
        #expect(failure?.attribute(forName: "message")?.stringValue?.contains("post_conversion email messages") == true)
        #expect(
            (cases.first as? XMLElement)?.attribute(forName: "name")?.stringValue
                == "misfires.post_conversion_email <= 0")
    }

    @Test func invalidScenarioExitsTwoWithItsPosition() throws {
        let file = try scenario("  misfires:\n    post_convresion_email: 0\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let junit = temporaryPath("check", ".xml")
        defer { try? FileManager.default.removeItem(atPath: junit) }
        let (code, _, err) = try rehearse(["check", file, "--junit", junit])
        #expect(code == 2)
        #expect(err.contains("\(file):"), "\(err)")
        #expect(err.contains("did you mean 'post_conversion_email'?"), "\(err)")
        let document = try XMLDocument(contentsOf: URL(fileURLWithPath: junit))
        #expect(try document.nodes(forXPath: "//testcase/error").count == 1)
    }
}
