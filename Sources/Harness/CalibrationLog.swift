import Foundation

/// A CSV of hand-offs exported from a vendor's logs: `record, changed_at, arrived_at`, times as
/// epoch milliseconds or ISO 8601 (`2026-07-06T09:30:00Z`, fractional seconds and offsets
/// allowed), header optional. Bad rows are kept with their line numbers, never dropped silently.
public struct CalibrationLog: Sendable {
    public struct BadRow: Sendable, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line): \(reason)" }
    }
    /// Latency of each good row (arrived − changed), milliseconds.
    public private(set) var latencies: [Int64] = []
    public private(set) var bad: [BadRow] = []
    /// Data rows read (good and bad), the header not counted.
    public private(set) var rows = 0

    public init(text: String) {
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            if i == 0 && cells.count >= 3 && CalibrationLog.instant(cells[1]) == nil
                && CalibrationLog.instant(cells[2]) == nil
            {
                continue  // a header row
            }
            rows += 1
            guard cells.count >= 3 else {
                bad.append(BadRow(line: i + 1, reason: "expected 3 columns (record, changed_at, arrived_at), found \(cells.count)"))
                continue
            }
            guard let changed = CalibrationLog.instant(cells[1]) else {
                bad.append(BadRow(line: i + 1, reason: "changed_at '\(cells[1].prefix(40))' is neither epoch milliseconds nor ISO 8601"))
                continue
            }
            guard let arrived = CalibrationLog.instant(cells[2]) else {
                bad.append(BadRow(line: i + 1, reason: "arrived_at '\(cells[2].prefix(40))' is neither epoch milliseconds nor ISO 8601"))
                continue
            }
            guard arrived >= changed else {
                bad.append(BadRow(line: i + 1, reason: "arrived before it changed (\(arrived - changed) ms)"))
                continue
            }
            latencies.append(arrived - changed)
        }
    }

    /// Epoch milliseconds of a cell: digits (epoch ms) or ISO 8601.
    static func instant(_ text: String) -> Int64? {
        if !text.isEmpty, text.allSatisfy(\.isNumber) { return Int64(text) }
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime],
        ] {
            let f = ISO8601DateFormatter()
            f.formatOptions = options
            if let d = f.date(from: text) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
        }
        return nil
    }
}
