import Foundation
import Harness
import RunStore
import ScenarioKit
import TestKit
import Testing

func scenarioFiles() -> [String] {
    let root = repositoryRoot + "/Scenarios"
    let all = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
    return all.filter { $0.hasSuffix(".yaml") }.sorted().map { root + "/" + $0 }
}

/// Should validate every shipped scenario, give identical results for the same seed, and never
/// leave a run that looks complete when it was not.
@Suite struct HarnessTests {
    @Test func everyScenarioFileIsValid() throws {
        let files = scenarioFiles()
        #expect(files.count >= 2)
        for file in files {
            do { _ = try ScenarioRunner.load(path: file) } catch { Issue.record("\(error)") }
        }
    }

    @Test func sameSeedGivesByteIdenticalSummaryAndEqualTables() throws {
        let reports = [temporaryReports(), temporaryReports()]
        defer { reports.forEach { try? FileManager.default.removeItem(atPath: $0) } }
        var outcomes: [RunOutcome] = []
        for dir in reports {
            var r = RunRequest(scenarioPath: repositoryRoot + "/Scenarios/hotel-winback.yaml", seed: 5, customers: 3000)
            r.reportsDirectory = dir
            outcomes.append(try ScenarioRunner.run(r, shouldStop: { false }))
        }
        let json = try outcomes.map { try String(contentsOfFile: $0.paths.json, encoding: .utf8) }
        #expect(json[0] == json[1])
        #expect(
            outcomes[0].textSummary.replacingOccurrences(of: reports[0], with: "")
                == outcomes[1].textSummary.replacingOccurrences(of: reports[1], with: ""))
        let tables = try outcomes.map { try RunReader(path: $0.databasePath).tableCounts().map { "\($0.0)=\($0.1)" } }
        #expect(tables[0] == tables[1])
        let misfires = try outcomes.map {
            try RunReader(path: $0.databasePath).rows("SELECT * FROM misfire ORDER BY id")
        }
        #expect(misfires[0] == misfires[1])
        #expect(try RunReader(path: outcomes[0].databasePath).status() == "complete")
        #expect(!FileManager.default.fileExists(atPath: outcomes[0].paths.partialDatabase))
    }

    @Test func differentSeedGivesDifferentNumbers() throws {
        let dir = temporaryReports()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var a = RunRequest(scenarioPath: repositoryRoot + "/Scenarios/hotel-winback.yaml", seed: 1, customers: 2000)
        a.reportsDirectory = dir
        var b = a
        b.seed = 2
        let ra = try ScenarioRunner.run(a, shouldStop: { false }), rb = try ScenarioRunner.run(b, shouldStop: { false })
        #expect(ra.result.summary != rb.result.summary)
        #expect(ra.databasePath != rb.databasePath)
    }

    @Test func hotelWinbackTwinShowsPostConversionImpressionsFromSuppressionLag() throws {
        let dir = temporaryReports()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var r = RunRequest(scenarioPath: repositoryRoot + "/Scenarios/twins/hotel-winback.broken.yaml", customers: 5000)
        r.reportsDirectory = dir
        let o = try ScenarioRunner.run(r, shouldStop: { false })
        #expect(o.overview.postConversion(.ad) > 0)
        let causes = try RunReader(path: o.databasePath).rows(
            "SELECT DISTINCT causeLink FROM misfireView WHERE touchpoint = -1")
        #expect(causes == [["crm_to_dsp"]])
    }

    @Test func interruptedRunIsMarkedAndKeptApart() throws {
        let dir = temporaryReports()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var r = RunRequest(scenarioPath: repositoryRoot + "/Scenarios/hotel-winback.yaml", customers: 2000)
        r.reportsDirectory = dir
        let o = try ScenarioRunner.run(r, shouldStop: { true })
        #expect(!o.isComplete)
        #expect(o.databasePath == o.paths.interruptedDatabase)
        #expect(!FileManager.default.fileExists(atPath: o.paths.database), "no file may look complete")
        #expect(!FileManager.default.fileExists(atPath: o.paths.json))
        #expect(try RunReader(path: o.databasePath).status() == "interrupted")
    }

    @Test func unwritableReportsFolderIsAClearError() throws {
        var r = RunRequest(scenarioPath: repositoryRoot + "/Scenarios/hotel-winback.yaml", customers: 10)
        r.reportsDirectory = "/proc/rehearsal-cannot-write-here"
        #expect(throws: HarnessError.self) { _ = try ScenarioRunner.run(r, shouldStop: { false }) }
    }
}
