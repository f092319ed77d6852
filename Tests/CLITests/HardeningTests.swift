import Foundation
import TestKit
import Testing

private func launch(_ arguments: [String], environment: [String: String]? = nil) throws -> Process {
    let p = Process()
    p.executableURL = root.appendingPathComponent(".build/debug/rehearse")
    p.arguments = arguments
    p.currentDirectoryURL = root
    p.standardOutput = Pipe()
    p.standardError = Pipe()
    if let environment { p.environment = environment }
    try p.run()
    return p
}

/// Runs the sqlite3 command-line client on a database and returns what it printed.
func sqlite3Output(_ database: String, _ arguments: [String]) -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    p.arguments = [database] + arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = Pipe()
    try? p.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    return text
}

private func status(_ database: String) -> String {
    sqlite3Output(database, ["SELECT status FROM run"]).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Dumps every table of a results database in a fixed order (for table-by-table comparison).
private func dump(_ database: String) -> String {
    // The stored command line names the reports folder, which differs between the two runs.
    sqlite3Output(database, [".dump"]).split(separator: "\n").filter { !$0.hasPrefix("INSERT INTO run VALUES") }.joined(
        separator: "\n")
}

private func sha(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

/// Should never lose or corrupt a result, and never give two answers to the same question.
@Suite(.serialized) struct HardeningTests {
    /// Kills runs at seeded random moments with SIGINT, SIGTERM and SIGKILL, 21 times.
    @Test func killedRunsNeverLookCompleteAndEarlierResultsSurvive() throws {
        let reports = temporaryFolder("kill")
        defer { try? FileManager.default.removeItem(atPath: reports) }
        let folder = reports + "/hotel-winback"
        let earlier = try launch([
            "run", "Scenarios/hotel-winback.yaml", "--customers", "2000", "--seed", "7", "--reports-dir", reports,
            "--quiet",
        ])
        earlier.waitUntilExit()
        #expect(earlier.terminationStatus == 0)
        let earlierFile = folder + "/hotel-winback--seed-7--customers-2000.sqlite"
        let earlierBytes = sha(earlierFile)

        var random: UInt64 = 0x5EED
        let signals: [Int32] = [SIGINT, SIGTERM, SIGKILL]
        for i in 0..<21 {
            random = random &* 6364136223846793005 &+ 1442695040888963407
            let delay = useconds_t((random >> 33) % 900_000)
            let seed = 100 + i, signal = signals[i % 3]
            let p = try launch([
                "run", "Scenarios/hotel-winback.yaml", "--customers", "15000", "--seed", "\(seed)", "--reports-dir",
                reports, "--quiet",
            ])
            usleep(delay)
            kill(p.processIdentifier, signal)
            p.waitUntilExit()
            let stem = folder + "/hotel-winback--seed-\(seed)--customers-15000"
            let complete = FileManager.default.fileExists(atPath: stem + ".sqlite")
            if complete {
                #expect(status(stem + ".sqlite") == "complete", "run \(i): a complete-looking file must be complete")
            }
            if p.terminationStatus == 130 {
                #expect(!complete && status(stem + ".interrupted.sqlite") == "interrupted", "run \(i)")
            }
            let partials = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
                $0.hasPrefix("hotel-winback--seed-\(seed)-") && $0.contains(".partial-")
            }
            for partial in partials { #expect(status(folder + "/" + partial) != "complete", "run \(i): \(partial)") }
            if signal != SIGKILL { #expect(partials.isEmpty, "run \(i): an interrupt leaves no partial file") }
            if !partials.isEmpty {
                // A run killed outright leaves its partial file; the next run of the same stem clears it.
                let again = try launch([
                    "run", "Scenarios/hotel-winback.yaml", "--customers", "15000", "--seed", "\(seed)", "--reports-dir",
                    reports, "--quiet",
                ])
                again.waitUntilExit()
                #expect(again.terminationStatus == 0)
                #expect(status(stem + ".sqlite") == "complete")
                let left = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
                    $0.hasPrefix("hotel-winback--seed-\(seed)-") && $0.contains(".partial-")
                }
                #expect(left.isEmpty, "stale partial files removed: \(left)")
            }
        }
        #expect(sha(earlierFile) == earlierBytes, "an earlier run's results are untouched")
    }

    @Test func concurrentRunsOfTheSameScenarioDoNotClobberEachOther() throws {
        let reports = temporaryFolder("concurrent")
        defer { try? FileManager.default.removeItem(atPath: reports) }
        let args = ["run", "Scenarios/hotel-winback.yaml", "--customers", "20000", "--reports-dir", reports, "--quiet"]
        let a = try launch(args), b = try launch(args)
        a.waitUntilExit()
        b.waitUntilExit()
        #expect(a.terminationStatus == 0 && b.terminationStatus == 0)
        let folder = reports + "/hotel-winback"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        #expect(!files.contains { $0.contains(".partial-") }, "\(files)")
        #expect(status(folder + "/hotel-winback--seed-42--customers-20000.sqlite") == "complete")
    }

    /// Each shipped scenario twice in separate processes, once without deterministic hashing.
    @Test func separateProcessesGiveIdenticalResults() throws {
        for scenario in ["Scenarios/hotel-winback.yaml", "Scenarios/bench/winback-ref.yaml"] {
            var outputs: [(json: Data?, dump: String)] = []
            for deterministicHashing in [true, false] {
                let reports = temporaryFolder("det")
                defer { try? FileManager.default.removeItem(atPath: reports) }
                var env = ProcessInfo.processInfo.environment
                if deterministicHashing {
                    env["SWIFT_DETERMINISTIC_HASHING"] = "1"
                } else {
                    env.removeValue(forKey: "SWIFT_DETERMINISTIC_HASHING")
                }
                let p = try launch(
                    ["run", scenario, "--customers", "4000", "--reports-dir", reports, "--quiet"], environment: env)
                p.waitUntilExit()
                #expect(p.terminationStatus == 0)
                let folder = reports + "/" + (scenario.contains("bench") ? "winback-ref" : "hotel-winback")
                let stem = (try FileManager.default.contentsOfDirectory(atPath: folder)).first {
                    $0.hasSuffix(".sqlite")
                }!.dropLast(7)
                outputs.append((sha(folder + "/" + stem + ".json"), dump(folder + "/" + stem + ".sqlite")))
            }
            #expect(
                outputs[0].json != nil && outputs[0].json == outputs[1].json,
                "\(scenario): JSON summaries byte for byte")
            #expect(outputs[0].dump == outputs[1].dump, "\(scenario): every table, row for row")
        }
    }

    @Test func aFullDiskIsAClearErrorAndLeavesNothing() throws {
        let reports = temporaryFolder("full")
        defer { try? FileManager.default.removeItem(atPath: reports) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [
            "-c",
            "ulimit -f 3000; exec .build/debug/rehearse run Scenarios/hotel-winback.yaml --customers 20000 --reports-dir \(reports)",
        ]
        p.currentDirectoryURL = root
        let err = Pipe()
        p.standardError = err
        p.standardOutput = Pipe()
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 2)
        #expect(message.contains("is the disk full"), "\(message)")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: reports + "/hotel-winback")) ?? []
        #expect(files.isEmpty, "\(files)")
    }

    @Test func limitsAreRefusedUpFrontWithTheWayToRaiseThem() throws {
        let (code, _, err) = try rehearse(["run", "Scenarios/hotel-winback.yaml", "--customers", "900000000"])
        #expect(code == 2)
        #expect(err.contains("above the limit of 50000000") && err.contains("--allow-large"))
        let (code2, _, err2) = try rehearse([
            "run", "Scenarios/hotel-winback.yaml", "--customers", "500", "--max-events", "10",
        ])
        #expect(code2 == 2)
        #expect(err2.contains("raise --max-events"))
    }
}
