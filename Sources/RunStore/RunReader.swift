import MarTechModel

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

extension RunReader {
    private func ints(_ row: [String?]) -> [Int64] { row.map { $0.flatMap { Int64($0) } ?? -1 } }

    /// The names behind the integer codes.
    public func catalog() throws -> RunCatalog {
        let run = try rows("SELECT scenario, seed, startUnixMs FROM run WHERE id = 1")
        guard let r = run.first else { throw RunStoreError("not a Rehearsal results database: no run row") }
        let fields = try rows("SELECT name, category, valueNames FROM field ORDER BY id").map { row in
            FieldSpec(name: row[0] ?? "", category: FieldSpec.Category(name: row[1] ?? ""),
                      valueNames: (row[2] ?? "no,yes").split(separator: ",").map(String.init))
        }
        let platforms = try rows("SELECT name, kind, observes FROM platform ORDER BY id").map { row in
            (name: row[0] ?? "", kind: row[1] ?? "", observes: (row[2] ?? "").split(separator: ",").compactMap { Int($0) })
        }
        let links = try rows("SELECT name, fromPlatform, toPlatform, mode FROM link ORDER BY id").map { row in
            (name: row[0] ?? "", from: Int(row[1] ?? "") ?? -1, to: Int(row[2] ?? "") ?? -1, mode: row[3] ?? "")
        }
        let steps = try rows("SELECT name, channel, platform, decidedBy FROM step ORDER BY id").map { row in
            (name: row[0] ?? "", channel: Int(row[1] ?? "") ?? 0, platform: Int(row[2] ?? "") ?? 0, decidedBy: Int(row[3] ?? "") ?? 0)
        }
        let zones = try rows("SELECT name FROM timezone ORDER BY id").map { $0[0] ?? "" }
        return RunCatalog(scenario: r[0] ?? "", seed: r[1] ?? "", startUnixMilliseconds: Int64(r[2] ?? "") ?? 0, fields: fields,
                          platforms: platforms, links: links, steps: steps, timezones: zones)
    }

    /// What `rehearse report` needs: the scenario as run and the stored summary.
    public func storedRun() throws -> (scenarioFile: String, scenarioText: String, seed: String, customers: Int, status: String,
                                       rowsWritten: Int, summaryJSON: String) {
        guard let r = try rows("SELECT scenarioFile, scenarioText, seed, customers, status, rowsWritten, summary FROM run WHERE id = 1").first else {
            throw RunStoreError("not a Rehearsal results database: no run row")
        }
        return (r[0] ?? "", r[1] ?? "", r[2] ?? "0", Int(r[3] ?? "") ?? 0, r[4] ?? "", Int(r[5] ?? "") ?? 0, r[6] ?? "")
    }

    /// Number of customers in the run.
    public func customerCount() throws -> Int { Int(try scalar("SELECT count(*) FROM customer") ?? 0) }

    /// The customer a misfire is about.
    public func customer(ofMisfire id: Int64) throws -> Int? {
        guard let v = try rows("SELECT customer FROM misfire WHERE id = ?", [id]).first?.first, let text = v else { return nil }
        return Int(text)
    }

    /// Everything recorded about one customer, or nil if there is no such customer.
    public func history(customer c: Int) throws -> CustomerHistory? {
        let id = Int64(c)
        guard let row = try rows("SELECT id, timezone, age, device, attributes, initialFields FROM customer WHERE id = ?", [id]).first else { return nil }
        let p = ints(row)
        let customer = CustomerRecord(id: Int32(p[0]), timezone: UInt8(p[1]), age: UInt8(p[2]), device: UInt8(p[3]),
                                      attributes: UInt32(p[4]), initialFields: UInt64(bitPattern: p[5]))
        let truth = try rows("SELECT id, customer, field, oldValue, newValue, at, cause, causeRef FROM truthChange WHERE customer = ? ORDER BY id", [id]).map(ints).map { (v: [Int64]) -> TruthChangeRecord in
            TruthChangeRecord(id: v[0], customer: Int32(v[1]), field: UInt16(v[2]), oldValue: UInt8(v[3]), newValue: UInt8(v[4]), at: v[5],
                              cause: TruthChangeCause(rawValue: UInt8(v[6])) ?? .behavior, causeRef: v[7])
        }
        let deliveries = try rows("SELECT link, customer, field, changeId, value, sentAt, appliedAt, batch FROM delivery WHERE customer = ? ORDER BY rowid", [id]).map(ints).map { (v: [Int64]) -> DeliveryRecord in
            DeliveryRecord(link: UInt16(v[0]), customer: Int32(v[1]), field: UInt16(v[2]), changeId: v[3], value: UInt8(v[4]), sentAt: v[5],
                           appliedAt: v[6], batch: Int32(v[7]))
        }
        let touchpoints = try rows("SELECT id, customer, step, channel, platform, decidedAt, deliveredAt, opened, clicked, converted, optedOut FROM touchpoint WHERE customer = ? ORDER BY deliveredAt, id", [id]).map(ints).map { (v: [Int64]) -> TouchpointRecord in
            TouchpointRecord(id: v[0], customer: Int32(v[1]), step: Int16(v[2]), channel: Channel(rawValue: UInt8(v[3])) ?? .email, platform: UInt16(v[4]),
                             decidedAt: v[5], deliveredAt: v[6], opened: v[7] == 1, clicked: v[8] == 1, converted: v[9] == 1, optedOut: v[10] == 1)
        }
        let misfires = try rows("SELECT id, touchpoint, customer, type, platform, field, cause, causeLink, changeId, at, count, staleMs FROM misfire WHERE customer = ? ORDER BY id", [id]).map(ints).map { (v: [Int64]) -> MisfireRecord in
            var m = MisfireRecord(id: v[0], touchpoint: v[1], customer: Int32(v[2]), type: MisfireType(rawValue: UInt8(v[3])) ?? .postConversion,
                          platform: UInt16(v[4]), field: Int16(v[5]), cause: MisfireCause(rawValue: UInt8(v[6])) ?? .journeyDesign,
                          causeLink: Int16(v[7]), changeId: v[8], at: v[9], count: Int32(v[10]))
            m.staleMs = v[11]
            return m
        }
        let impressions = try rows("SELECT customer, platform, served, wasted, firstAt, lastAt FROM impressionSummary WHERE customer = ?", [id]).map(ints).map { (v: [Int64]) -> ImpressionSummaryRecord in
            ImpressionSummaryRecord(customer: Int32(v[0]), platform: UInt16(v[1]), served: Int32(v[2]), wasted: Int32(v[3]), firstAt: v[4], lastAt: v[5])
        }
        return CustomerHistory(customer: customer, truthChanges: truth, deliveries: deliveries, touchpoints: touchpoints, misfires: misfires, impressions: impressions)
    }
}

extension FieldSpec.Category {
    init(name: String) {
        switch name {
        case "conversion": self = .conversion
        case "consent": self = .consent
        case "segment": self = .segment
        case "stage": self = .stage
        default: self = .behavior
        }
    }
}
