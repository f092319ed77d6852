import Foundation
import MarTechModel

// What the test targets share: where the repository is, fresh temporary folders, and a sink
// that keeps every row a run recorded. (The discarding sink is `MarTechModel.DiscardingSink`.)

/// The repository's root folder (this file is Tests/TestKit/TestKit.swift).
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// A new empty folder under the system's temporary folder, named `<prefix>-<uuid>`.
public func temporaryFolder(_ prefix: String = "rehearsal-tests") -> String {
    let folder = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
}

/// A new empty folder for a run's reports.
public func temporaryReports() -> String { temporaryFolder("rehearsal-tests") }

/// A path under the temporary folder that does not exist yet: `<prefix>-<uuid><suffix>`.
public func temporaryPath(_ prefix: String, _ suffix: String = "") -> String {
    NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)\(suffix)"
}

/// Keeps every row in memory, for tests that inspect what a run recorded.
public final class CollectingSink: RecordSink {
    public var batch = RecordBatch()
    public init() {}
    public func consume(_ b: RecordBatch) {
        batch.customers += b.customers
        batch.truthChanges += b.truthChanges
        batch.deliveries += b.deliveries
        batch.touchpoints += b.touchpoints
        batch.impressionSummaries += b.impressionSummaries
        batch.impressions += b.impressions
        batch.misfires += b.misfires
    }
}
