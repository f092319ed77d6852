import Foundation
import Reporting

/// `rehearse check`: runs scenario files, evaluates their expectations, and collects verdicts.
public enum Checker {
    public struct Outcome: Sendable {
        public var reports: [(report: ExpectationReport, file: String, reproduce: String)] = []
        public var errors: [(file: String, message: String)] = []
        public var passed: Bool { errors.isEmpty && reports.allSatisfy(\.report.passed) }
    }

    /// The folder name that holds broken twins: scenarios kept to show a failure, expected to fail.
    public static let twinsFolder = "twins"

    /// Scenario files named, or found under named folders (sorted, so runs are repeatable).
    ///
    /// Walking a folder skips its `twins/` folders (broken twins fail by design) unless
    /// `twins` is true, in which case it finds only those.
    public static func scenarioFiles(_ paths: [String], twins: Bool = false) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                let found = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
                let inTwins = { (p: String) in
                    p.split(separator: "/").dropLast().contains { $0 == Substring(twinsFolder) }
                }
                files += found.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && inTwins($0) == twins }
                    .sorted()
                    .map { (path as NSString).appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        return files
    }

    public static func check(
        _ paths: [String], customers: Int?, reportsDirectory: String, twins: Bool = false,
        shouldStop: @escaping () -> Bool = { Interrupts.wasRequested }
    ) -> Outcome {
        var outcome = Outcome()
        for file in scenarioFiles(paths, twins: twins) {
            var request = RunRequest(scenarioPath: file, customers: customers)
            request.reportsDirectory = reportsDirectory
            request.command = "rehearse check \(file)"
            do {
                let run = try ScenarioRunner.run(request, shouldStop: shouldStop)
                guard run.isComplete else {
                    outcome.errors.append((file, "interrupted before the end of the run"))
                    break
                }
                outcome.reports.append((run.expectations, file, run.overview.reproduceCommand))
            } catch {
                outcome.errors.append((file, error.description))
            }
        }
        return outcome
    }
}
