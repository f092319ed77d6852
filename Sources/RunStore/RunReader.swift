import MarTechModel

/// Reads a finished results database: small queries for reports, `explain` and tests.
public final class RunReader {
    let db: SQLiteConnection
    let path: String

    public init(path: String) throws {
        db = try SQLiteConnection(path: path, readOnly: true)
        self.path = path
    }

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
        let names = try rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").compactMap {
            $0.first ?? nil
        }
        return try names.map { ($0, try scalar("SELECT count(*) FROM \($0)") ?? 0) }
    }
}

extension RunReader {
    /// The names behind the integer codes.
    public func catalog() throws -> RunCatalog {
        let run = try rows("SELECT scenario, seed, startUnixMs FROM run WHERE id = 1")
        guard let r = run.first else { throw RunStoreError("not a Rehearsal results database: no run row") }
        let fields = try rows("SELECT name, category, valueNames FROM field ORDER BY id").map { row in
            FieldSpec(
                name: row[0] ?? "", category: FieldSpec.Category(name: row[1] ?? ""),
                valueNames: (row[2] ?? "no,yes").split(separator: ",").map(String.init))
        }
        // Databases before migration v3 have no vendor column: their platforms name none.
        let hasVendor =
            try rows("SELECT count(*) FROM pragma_table_info('platform') WHERE name = 'vendor'").first?.first == "1"
        let platforms = try rows(
            "SELECT name, kind, observes, \(hasVendor ? "vendor" : "''") FROM platform ORDER BY id"
        ).map {
            row in
            (
                name: row[0] ?? "", kind: row[1] ?? "",
                observes: (row[2] ?? "").split(separator: ",").compactMap { Int($0) },
                vendor: row[3] ?? ""
            )
        }
        let links = try rows("SELECT name, fromPlatform, toPlatform, mode FROM link ORDER BY id").map { row in
            (name: row[0] ?? "", from: Int(row[1] ?? "") ?? -1, to: Int(row[2] ?? "") ?? -1, mode: row[3] ?? "")
        }
        let steps = try rows("SELECT name, channel, platform, decidedBy FROM step ORDER BY id").map { row in
            (
                name: row[0] ?? "", channel: Int(row[1] ?? "") ?? 0, platform: Int(row[2] ?? "") ?? 0,
                decidedBy: Int(row[3] ?? "") ?? 0
            )
        }
        let zones = try rows("SELECT name FROM timezone ORDER BY id").map { $0[0] ?? "" }
        return RunCatalog(
            scenario: r[0] ?? "", seed: r[1] ?? "", startUnixMilliseconds: Int64(r[2] ?? "") ?? 0, fields: fields,
            platforms: platforms, links: links, steps: steps, timezones: zones)
    }

    /// What `rehearse report` needs: the scenario as run and the stored summary.
    public func storedRun() throws -> (
        scenarioFile: String, scenarioText: String, seed: String, customers: Int, status: String,
        rowsWritten: Int, summaryJSON: String
    ) {
        guard
            let r = try rows(
                "SELECT scenarioFile, scenarioText, seed, customers, status, rowsWritten, summary FROM run WHERE id = 1"
            ).first
        else {
            throw RunStoreError("not a Rehearsal results database: no run row")
        }
        return (r[0] ?? "", r[1] ?? "", r[2] ?? "0", Int(r[3] ?? "") ?? 0, r[4] ?? "", Int(r[5] ?? "") ?? 0, r[6] ?? "")
    }

    /// Number of customers in the run.
    public func customerCount() throws -> Int { Int(try scalar("SELECT count(*) FROM customer") ?? 0) }

    /// The customer a misfire is about.
    public func customer(ofMisfire id: Int64) throws -> Int? {
        guard let v = try rows("SELECT customer FROM misfire WHERE id = ?", [id]).first?.first, let text = v else {
            return nil
        }
        return Int(text)
    }

    /// Everything recorded about one customer, or nil if there is no such customer. Every code and
    /// reference is checked against this version's enumerations and the run's catalog.
    public func history(customer c: Int, catalog: RunCatalog) throws -> CustomerHistory? {
        let id = Int64(c)
        func checked(_ table: String, _ sql: String) throws -> [CheckedRow] {
            try rows(sql, [id]).map { CheckedRow(database: path, table: table, values: $0) }
        }
        let fields = catalog.fields.count, platforms = catalog.platforms.count
        guard
            let p = try checked(
                "customer", "SELECT id, timezone, age, device, attributes, initialFields FROM customer WHERE id = ?"
            ).first
        else {
            return nil
        }
        let customer = CustomerRecord(
            id: try p.int(0, "customer id"), timezone: try p.index(1, "time zone", count: catalog.timezones.count),
            age: try p.int(2, "age"), device: try p.int(3, "device"), attributes: try p.int(4, "attributes"),
            initialFields: UInt64(bitPattern: try p.int(5, "initial fields")))
        let truth = try checked(
            "truthChange",
            "SELECT id, customer, field, oldValue, newValue, at, cause, causeRef FROM truthChange WHERE customer = ? ORDER BY id"
        ).map { v in
            TruthChangeRecord(
                id: try v.int(0, "id"), customer: try v.int(1, "customer"),
                field: try v.index(2, "field", count: fields),
                oldValue: try v.int(3, "old value"), newValue: try v.int(4, "new value"), at: try v.int(5, "time"),
                cause: try v.code(6, "truth change cause"), causeRef: try v.int(7, "cause reference"))
        }
        let deliveries = try checked(
            "delivery",
            "SELECT rowid, link, customer, field, changeId, value, sentAt, appliedAt, batch FROM delivery WHERE customer = ? ORDER BY rowid"
        ).map { v in
            DeliveryRecord(
                link: try v.index(1, "link", count: catalog.links.count), customer: try v.int(2, "customer"),
                field: try v.index(3, "field", count: fields), changeId: try v.int(4, "change id"),
                value: try v.int(5, "value"),
                sentAt: try v.int(6, "sent time"), appliedAt: try v.int(7, "applied time"), batch: try v.int(8, "batch")
            )
        }
        let touchpoints = try checked(
            "touchpoint",
            "SELECT id, customer, step, channel, platform, decidedAt, deliveredAt, opened, clicked, converted, optedOut FROM touchpoint WHERE customer = ? ORDER BY deliveredAt, id"
        ).map { v in
            TouchpointRecord(
                id: try v.int(0, "id"), customer: try v.int(1, "customer"),
                step: try v.index(2, "step", count: catalog.steps.count),
                channel: try v.code(3, "channel"), platform: try v.index(4, "platform", count: platforms),
                decidedAt: try v.int(5, "decision time"), deliveredAt: try v.int(6, "delivery time"),
                opened: try v.flag(7, "opened"),
                clicked: try v.flag(8, "clicked"), converted: try v.flag(9, "converted"),
                optedOut: try v.flag(10, "opted out"))
        }
        let misfires = try checked(
            "misfire",
            "SELECT id, touchpoint, customer, type, platform, field, cause, causeLink, changeId, at, count, staleMs FROM misfire WHERE customer = ? ORDER BY id"
        ).map { v in
            var m = MisfireRecord(
                id: try v.int(0, "id"), touchpoint: try v.int(1, "touchpoint"), customer: try v.int(2, "customer"),
                type: try v.code(3, "misfire type"), platform: try v.index(4, "platform", count: platforms),
                field: try v.index(5, "field", count: fields, noneAllowed: true), cause: try v.code(6, "misfire cause"),
                causeLink: try v.index(7, "link", count: catalog.links.count, noneAllowed: true),
                changeId: try v.int(8, "change id"),
                at: try v.int(9, "time"), count: try v.int(10, "count"))
            m.staleMs = try v.int(11, "staleness")
            return m
        }
        let impressions = try checked(
            "impressionSummary",
            "SELECT customer, platform, served, wasted, firstAt, lastAt FROM impressionSummary WHERE customer = ?"
        ).map { v in
            ImpressionSummaryRecord(
                customer: try v.int(0, "customer"), platform: try v.index(1, "platform", count: platforms),
                served: try v.int(2, "served"), wasted: try v.int(3, "wasted"), firstAt: try v.int(4, "first time"),
                lastAt: try v.int(5, "last time"))
        }
        return CustomerHistory(
            customer: customer, truthChanges: truth, deliveries: deliveries, touchpoints: touchpoints,
            misfires: misfires, impressions: impressions)
    }
}

extension FieldSpec.Category {
    init(name: String) {
        switch name {
        case "conversion": self = .conversion
        case "consent": self = .consent
        case "segment": self = .segment
        case "stage": self = .stage
        case "engagement": self = .engagement
        default: self = .behavior
        }
    }
}
