import MarTechModel

/// One row read from a results database, checked as it is read: a database is untrusted input
/// (another version may have written it, or someone edited it), so a value out of its column's
/// range or a code this version does not know is an error that names the database, the table,
/// the row and the value — never a trap and never a silent default.
struct CheckedRow {
    let database: String
    let table: String
    let values: [String?]

    /// The row's id (or its position) for messages: `misfire 17`.
    var label: String { "\(table) \(values.first.flatMap { $0 } ?? "?")" }

    private func fail(_ what: String) -> RunStoreError {
        RunStoreError(
            "results database \(database) has \(what) at \(label); was it written by another version of rehearse?")
    }

    /// The integer in `column`, which must fit `T` (and `range`, if given).
    func int<T: FixedWidthInteger>(
        _ column: Int, _ name: String, _ type: T.Type = T.self, in range: ClosedRange<Int64>? = nil
    ) throws -> T {
        guard column < values.count, let text = values[column], let wide = Int64(text) else {
            throw fail(
                "a missing or non-numeric \(name) '\(values.indices.contains(column) ? values[column] ?? "NULL" : "-")'"
            )
        }
        guard let narrow = T(exactly: wide), range.map({ $0.contains(wide) }) ?? true else {
            throw fail("an out-of-range \(name) \(wide)")
        }
        return narrow
    }

    /// A code of an enumeration stored as its raw value: `misfire cause 999` is refused.
    func code<T: RawRepresentable>(_ column: Int, _ name: String, _ type: T.Type = T.self) throws -> T
    where T.RawValue == UInt8 {
        let raw: Int64 = try int(column, name)
        guard let byte = UInt8(exactly: raw), let value = T(rawValue: byte) else {
            throw fail("an unknown \(name) \(raw)")
        }
        return value
    }

    /// A reference into a catalog table of `count` entries (`-1` allowed where `noneAllowed`).
    func index<T: FixedWidthInteger>(
        _ column: Int, _ name: String, count: Int, noneAllowed: Bool = false, _ type: T.Type = T.self
    ) throws -> T {
        let raw: Int64 = try int(column, name)
        guard (raw >= 0 && raw < Int64(count)) || (noneAllowed && raw == -1), let narrow = T(exactly: raw) else {
            throw fail(
                count == 0
                    ? "a \(name) \(raw), but no \(name)s are listed"
                    : "an unknown \(name) \(raw) (it lists \(count), numbered from 0)")
        }
        return narrow
    }

    func flag(_ column: Int, _ name: String) throws -> Bool { try int(column, name, Int64.self, in: 0...1) == 1 }
}
