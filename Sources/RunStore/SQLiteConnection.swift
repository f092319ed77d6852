import CSQLite

/// An error from SQLite, with the statement or operation that failed.
public struct RunStoreError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
    public init(_ message: String) { self.message = message }
}

/// A thin owner of one `sqlite3*` handle: open, execute, prepare, close.
///
/// Not thread-safe: one connection is used from one thread at a time (the run's writer thread,
/// or a reader afterwards).
final class SQLiteConnection {
    private(set) var handle: OpaquePointer?

    init(path: String, readOnly: Bool = false) throws {
        let flags =
            (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_NOMUTEX
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw RunStoreError("cannot open \(path): \(message)")
        }
        handle = db
        sqlite3_busy_timeout(db, 5000)
    }

    deinit { close() }

    func close() {
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    var lastError: String { handle.map { String(cString: sqlite3_errmsg($0)) } ?? "closed" }

    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(handle, sql, nil, nil, &error) != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastError
            sqlite3_free(error)
            throw RunStoreError("SQLite: \(message) (in: \(sql.prefix(120)))")
        }
    }

    func prepare(_ sql: String) throws -> Statement {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil) == SQLITE_OK, let stmt
        else {
            throw RunStoreError("SQLite: \(lastError) (preparing: \(sql.prefix(120)))")
        }
        return Statement(stmt, connection: self)
    }

    /// Runs a query and returns every row as strings (for small result sets: reports, tests).
    func rows(_ sql: String, _ arguments: [Int64] = []) throws -> [[String?]] {
        let stmt = try prepare(sql)
        for (i, a) in arguments.enumerated() { stmt.bind(Int32(i + 1), a) }
        var out: [[String?]] = []
        while true {
            let rc = sqlite3_step(stmt.pointer)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw RunStoreError("SQLite: \(lastError)") }
            let n = sqlite3_column_count(stmt.pointer)
            out.append((0..<n).map { c in sqlite3_column_text(stmt.pointer, c).map { String(cString: $0) } })
        }
        return out
    }
}

/// A prepared statement reused for every row of one table.
final class Statement {
    let pointer: OpaquePointer
    unowned let connection: SQLiteConnection

    init(_ pointer: OpaquePointer, connection: SQLiteConnection) {
        self.pointer = pointer
        self.connection = connection
    }

    deinit { sqlite3_finalize(pointer) }

    @inline(__always) func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(pointer, index, value) }
    @inline(__always) func bind(_ index: Int32, _ value: Int) { sqlite3_bind_int64(pointer, index, Int64(value)) }
    @inline(__always) func bind(_ index: Int32, _ value: Double) { sqlite3_bind_double(pointer, index, value) }
    func bind(_ index: Int32, _ value: String) {
        sqlite3_bind_text(pointer, index, value, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
    }

    /// Executes once and resets for the next row.
    @inline(__always) func step() throws {
        let rc = sqlite3_step(pointer)
        sqlite3_reset(pointer)
        if rc != SQLITE_DONE { throw RunStoreError("SQLite: \(connection.lastError)") }
    }

    /// Steps a query: true while it yields a row (read it with `int`, `double`, `text`), false at the end.
    func stepRow() throws -> Bool {
        let rc = sqlite3_step(pointer)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw RunStoreError("SQLite: \(connection.lastError)")
    }
    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(pointer, column) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(pointer, column) }
    func text(_ column: Int32) -> String { sqlite3_column_text(pointer, column).map { String(cString: $0) } ?? "" }
}
