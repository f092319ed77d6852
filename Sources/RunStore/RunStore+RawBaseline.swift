import CSQLite
import MarTechModel

/// The baseline the write path is measured against: the same rows through one prepared
/// statement of the bare C API, with nothing around it. For `make bench` only.
public enum RawSQLiteBaseline {
    /// Inserts `rows` delivery rows into a fresh file at `path` in one transaction; returns rows written.
    public static func insertDeliveries(_ rows: [DeliveryRecord], path: String) throws -> Int {
        let db = try SQLiteConnection(path: path)
        try db.execute(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;"
        )
        try db.execute(
            """
            CREATE TABLE delivery (link INTEGER NOT NULL, customer INTEGER NOT NULL, field INTEGER NOT NULL, changeId INTEGER NOT NULL,
                value INTEGER NOT NULL, sentAt INTEGER NOT NULL, appliedAt INTEGER NOT NULL, batch INTEGER NOT NULL); BEGIN
            """)
        var stmt: OpaquePointer?
        sqlite3_prepare_v2(db.handle, "INSERT INTO delivery VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1, &stmt, nil)
        for r in rows {
            sqlite3_bind_int64(stmt, 1, Int64(r.link))
            sqlite3_bind_int64(stmt, 2, Int64(r.customer))
            sqlite3_bind_int64(stmt, 3, Int64(r.field))
            sqlite3_bind_int64(stmt, 4, r.changeId)
            sqlite3_bind_int64(stmt, 5, Int64(r.value))
            sqlite3_bind_int64(stmt, 6, r.sentAt)
            sqlite3_bind_int64(stmt, 7, r.appliedAt)
            sqlite3_bind_int64(stmt, 8, Int64(r.batch))
            if sqlite3_step(stmt) != SQLITE_DONE { throw RunStoreError("SQLite: \(db.lastError)") }
            sqlite3_reset(stmt)
        }
        sqlite3_finalize(stmt)
        try db.execute("COMMIT")
        db.close()
        return rows.count
    }
}
