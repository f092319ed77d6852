import Foundation

/// Where one run's files go: `Reports/<scenario>/<scenario>--seed-<seed>.{sqlite,json,txt}`.
///
/// The reproduction key is in the file name. The database is written as
/// `….sqlite.partial-<pid>` and renamed when complete, so concurrent runs never share a
/// half-written file and a killed run never leaves a file that looks complete.
public struct RunPaths: Sendable {
    public var directory: String
    public var stem: String

    public init(reportsDirectory: String, scenario: String, seed: UInt64, customers: Int?) {
        let safe = String(scenario.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
        directory = (reportsDirectory as NSString).appendingPathComponent(safe)
        stem = "\(safe)--seed-\(seed)" + (customers.map { "--customers-\($0)" } ?? "")
    }

    /// A serve session's files: `Reports/<scenario>/<scenario>--serve-seed-<seed>.*`.
    public static func serve(reportsDirectory: String, scenario: String, seed: UInt64) -> RunPaths {
        var paths = RunPaths(reportsDirectory: reportsDirectory, scenario: scenario, seed: seed, customers: nil)
        paths.stem = paths.stem.replacingOccurrences(of: "--seed-", with: "--serve-seed-")
        return paths
    }

    public var database: String { (directory as NSString).appendingPathComponent(stem + ".sqlite") }
    public var partialDatabase: String { database + ".partial-\(ProcessInfo.processInfo.processIdentifier)" }
    public var interruptedDatabase: String {
        (directory as NSString).appendingPathComponent(stem + ".interrupted.sqlite")
    }
    public var json: String { (directory as NSString).appendingPathComponent(stem + ".json") }
    public var text: String { (directory as NSString).appendingPathComponent(stem + ".txt") }
    public var html: String { (directory as NSString).appendingPathComponent(stem + ".html") }
    public var markdown: String { (directory as NSString).appendingPathComponent(stem + ".md") }
}
