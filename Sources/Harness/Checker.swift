import Foundation
import Reporting

/// `rehearse check`: runs scenario files, evaluates their expectations, and collects verdicts.
public enum Checker {
    public struct Outcome: Sendable {
        public var reports: [(report: ExpectationReport, file: String, reproduce: String)] = []
        public var errors: [(file: String, message: String)] = []
        public var passed: Bool { errors.isEmpty && reports.allSatisfy(\.report.passed) }
    }

    /// Scenario files named, or found under named folders (sorted, so runs are repeatable).
    public static func scenarioFiles(_ paths: [String]) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                let found = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
                files += found.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { (path as NSString).appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        return files
    }

    public static func check(_ paths: [String], customers: Int?, reportsDirectory: String, shouldStop: @escaping () -> Bool = { Interrupts.wasRequested }) -> Outcome {
        var outcome = Outcome()
        for file in scenarioFiles(paths) {
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
