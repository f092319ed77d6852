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
    /// The values of the group being filled, `columns` per row. A raw buffer and a counter the
    /// runtime does not check for overlapping access: an array in a class property paid a
    /// dynamic exclusivity check and a uniqueness check per value, a fifth of the writer's time.
    private let pending: UnsafeMutablePointer<Int64>
    private let capacity: Int
    @exclusivity(unchecked) private var count = 0

    init(_ db: SQLiteConnection, table: String, columns: Int, rowsPerStatement: Int = 32) throws {
        self.columns = columns
        self.rowsPerStatement = rowsPerStatement
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ",") + ")"
        many = try db.prepare(
            "INSERT INTO \(table) VALUES " + Array(repeating: row, count: rowsPerStatement).joined(separator: ","))
        one = try db.prepare("INSERT INTO \(table) VALUES " + row)
        capacity = columns * rowsPerStatement
        pending = .allocate(capacity: capacity)
    }

    deinit { pending.deallocate() }

    /// Appends one row's values (exactly `columns` of them, via `add`), flushing a full group.
    @inline(__always) func add(_ value: Int64) {
        precondition(count < capacity, "more values than a row has columns")
        pending[count] = value
        count += 1
    }

    @inline(__always) func endRow() throws {
        if count == capacity {
            for i in 0..<count { sqlite3_bind_int64(many.pointer, Int32(i + 1), pending[i]) }
            try many.step()
            count = 0
        }
    }

    /// Writes the rows of an incomplete group one at a time.
    func flush() throws {
        var i = 0
        while i < count {
            for c in 0..<columns { sqlite3_bind_int64(one.pointer, Int32(c + 1), pending[i + c]) }
            try one.step()
            i += columns
        }
        count = 0
    }
}
