/// Reads a finished results database: small queries for reports, `explain` and tests.
public final class RunReader {
    let db: SQLiteConnection

    public init(path: String) throws { db = try SQLiteConnection(path: path, readOnly: true) }

    /// Every row of a query, as text (NULL as nil).
    public func rows(_ sql: String, _ arguments: [Int64] = []) throws -> [[String?]] { try db.rows(sql, arguments) }

    /// The first column of the first row as an integer.
    public func scalar(_ sql: String) throws -> Int64? {
        guard let cell = try rows(sql).first?.first, let text = cell else { return nil }
        return Int64(text)
    }

    /// The run's status: `running`, `complete`, `interrupted` or `failed`.
    public func status() throws -> String? { try rows("SELECT status FROM run WHERE id = 1").first?.first ?? nil }

    /// Row counts of every table, sorted by table name (for determinism checks).
    public func tableCounts() throws -> [(String, Int64)] {
        let names = try rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").compactMap { $0.first ?? nil }
        return try names.map { ($0, try scalar("SELECT count(*) FROM \($0)") ?? 0) }
    }
}
