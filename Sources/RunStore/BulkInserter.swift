import CSQLite

/// Inserts rows of one table many at a time: `INSERT … VALUES (…), (…), …` with `rowsPerStatement`
/// rows per execution, and a single-row statement for the remainder.
///
/// SQLite runs one virtual-machine program per statement execution; packing 32 rows into one
/// execution spends most of the time in b-tree inserts rather than in dispatch. Values are
/// bound as 64-bit integers (every results column is an integer).
final class BulkInserter {
    let columns: Int
    let rowsPerStatement: Int
    private let many: Statement
    private let one: Statement
    private var pending: [Int64] = []

    init(_ db: SQLiteConnection, table: String, columns: Int, rowsPerStatement: Int = 32) throws {
        self.columns = columns
        self.rowsPerStatement = rowsPerStatement
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ",") + ")"
        many = try db.prepare(
            "INSERT INTO \(table) VALUES " + Array(repeating: row, count: rowsPerStatement).joined(separator: ","))
        one = try db.prepare("INSERT INTO \(table) VALUES " + row)
        pending.reserveCapacity(columns * rowsPerStatement)
    }

    /// Appends one row's values (exactly `columns` of them, via `add`), flushing a full group.
    @inline(__always) func add(_ value: Int64) { pending.append(value) }

    @inline(__always) func endRow() throws {
        if pending.count == columns * rowsPerStatement {
            for (i, v) in pending.enumerated() { sqlite3_bind_int64(many.pointer, Int32(i + 1), v) }
            try many.step()
            pending.removeAll(keepingCapacity: true)
        }
    }

    /// Writes the rows of an incomplete group one at a time.
    func flush() throws {
        var i = 0
        while i < pending.count {
            for c in 0..<columns { sqlite3_bind_int64(one.pointer, Int32(c + 1), pending[i + c]) }
            try one.step()
            i += columns
        }
        pending.removeAll(keepingCapacity: true)
    }
}
