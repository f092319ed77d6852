import CSQLite
import MarTechModel

/// What the `run` row says about a run before it starts.
public struct RunDescription: Sendable {
    public var scenario: String
    public var scenarioFile: String
    public var scenarioText: String
    public var scenarioHash: String
    public var seed: UInt64
    public var customers: Int
    public var horizonMilliseconds: Int64
    public var startUnixMilliseconds: Int64
    public var toolVersion: String
    public var command: String
    public var fields: [FieldSpec]
    public var platforms: [(name: String, kind: String)]
    public var links: [(name: String, from: Int, to: Int, mode: String, fields: String)]
    public var steps: [(name: String, channel: Int, platform: Int, decidedBy: Int)]
    public var timezones: [String]

    public init(
        scenario: String, scenarioFile: String, scenarioText: String, scenarioHash: String, seed: UInt64, customers: Int,
        horizonMilliseconds: Int64, startUnixMilliseconds: Int64, toolVersion: String, command: String, fields: [FieldSpec],
        platforms: [(name: String, kind: String)], links: [(name: String, from: Int, to: Int, mode: String, fields: String)],
        steps: [(name: String, channel: Int, platform: Int, decidedBy: Int)], timezones: [String]
    ) {
        self.scenario = scenario
        self.scenarioFile = scenarioFile
        self.scenarioText = scenarioText
        self.scenarioHash = scenarioHash
        self.seed = seed
        self.customers = customers
        self.horizonMilliseconds = horizonMilliseconds
        self.startUnixMilliseconds = startUnixMilliseconds
        self.toolVersion = toolVersion
        self.command = command
        self.fields = fields
        self.platforms = platforms
        self.links = links
        self.steps = steps
        self.timezones = timezones
    }
}

/// One run's results database: created fresh, filled in one transaction, closed complete.
///
/// The file is written under a temporary name by the harness and renamed only once the run
/// is complete, so a killed run never leaves a file that looks finished. Inside, the `run`
/// row's `status` says `running` until `finish` sets `complete` or `interrupted`.
///
/// ```swift
/// let store = try RunStore(creatingAt: "Reports/x/seed-1.sqlite.partial")
/// try store.begin(description)
/// try store.write(batch)            // many times, from one thread
/// try store.finish(status: "complete", summary: summary, eventsProcessed: n, rowsWritten: r)
/// ```
public final class RunStore {
    let db: SQLiteConnection
    private var customer: Statement!
    private var truthChange: Statement!
    private var delivery: Statement!
    private var touchpoint: Statement!
    private var impressionSummary: Statement!
    private var impression: Statement!
    private var misfire: Statement!
    public private(set) var rowsWritten = 0

    public init(creatingAt path: String) throws {
        db = try SQLiteConnection(path: path)
        // The file only becomes the result once renamed complete, so durability during the run
        // buys nothing: no journal, no fsync.
        try db.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;")
        try db.execute("CREATE TABLE schemaMigration (identifier TEXT PRIMARY KEY)")
        for m in RunStore.migrations {
            try db.execute(m.sql)
            let s = try db.prepare("INSERT INTO schemaMigration (identifier) VALUES (?)")
            s.bind(1, m.identifier)
            try s.step()
        }
        try db.execute("PRAGMA user_version = \(RunStore.migrations.count)")
    }

    /// Writes the run's description and opens the transaction that holds every row.
    public func begin(_ d: RunDescription) throws {
        try db.execute("BEGIN")
        let run = try db.prepare("""
            INSERT INTO run (id, scenario, scenarioFile, scenarioText, scenarioHash, seed, customers, horizonMs, startUnixMs,
                             toolVersion, command, status) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running')
            """)
        run.bind(1, d.scenario); run.bind(2, d.scenarioFile); run.bind(3, d.scenarioText); run.bind(4, d.scenarioHash)
        run.bind(5, String(d.seed)); run.bind(6, d.customers); run.bind(7, d.horizonMilliseconds); run.bind(8, d.startUnixMilliseconds)
        run.bind(9, d.toolVersion); run.bind(10, d.command)
        try run.step()
        // The run row is committed at once: a killed run shows as 'running', never as complete.
        try db.execute("COMMIT; BEGIN")
        try insertNames("field", d.fields.enumerated().map { [String($0.offset), $0.element.name, "\($0.element.category)", $0.element.valueNames.joined(separator: ",")] })
        try insertNames("platform", d.platforms.enumerated().map { [String($0.offset), $0.element.name, $0.element.kind] })
        try insertNames("link", d.links.enumerated().map { [String($0.offset), $0.element.name, String($0.element.from), String($0.element.to), $0.element.mode, $0.element.fields] })
        try insertNames("step", d.steps.enumerated().map { [String($0.offset), $0.element.name, String($0.element.channel), String($0.element.platform), String($0.element.decidedBy)] })
        try insertNames("timezone", d.timezones.enumerated().map { [String($0.offset), $0.element] })
        try insertNames("channel", Channel.allCases.map { [String($0.rawValue), $0.description] })
        try insertNames("truthChangeCause", [TruthChangeCause.behavior, .response, .cascade].map { [String($0.rawValue), $0.description] })
        try insertNames("misfireType", MisfireType.allCases.map { [String($0.rawValue), $0.description, $0.severity.description] })
        try insertNames("misfireCause", MisfireCause.allCases.map { [String($0.rawValue), $0.description] })
        customer = try db.prepare("INSERT INTO customer VALUES (?, ?, ?, ?, ?, ?)")
        truthChange = try db.prepare("INSERT INTO truthChange VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        delivery = try db.prepare("INSERT INTO delivery VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        touchpoint = try db.prepare("INSERT INTO touchpoint VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        impressionSummary = try db.prepare("INSERT INTO impressionSummary VALUES (?, ?, ?, ?, ?, ?)")
        impression = try db.prepare("INSERT INTO impression VALUES (?, ?, ?, ?)")
        misfire = try db.prepare("INSERT INTO misfire VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    }

    private func insertNames(_ table: String, _ rows: [[String]]) throws {
        guard let width = rows.first?.count else { return }
        let s = try db.prepare("INSERT INTO \(table) VALUES (\(Array(repeating: "?", count: width).joined(separator: ", ")))")
        for row in rows {
            for (i, v) in row.enumerated() { s.bind(Int32(i + 1), v) }
            try s.step()
        }
    }

    /// Inserts one batch of rows with prepared statements (the hot path of the writer thread).
    public func write(_ b: RecordBatch) throws {
        for r in b.customers {
            customer.bind(1, Int64(r.id)); customer.bind(2, Int64(r.timezone)); customer.bind(3, Int64(r.age))
            customer.bind(4, Int64(r.device)); customer.bind(5, Int64(r.attributes)); customer.bind(6, Int64(bitPattern: r.initialFields))
            try customer.step()
        }
        for r in b.truthChanges {
            truthChange.bind(1, r.id); truthChange.bind(2, Int64(r.customer)); truthChange.bind(3, Int64(r.field))
            truthChange.bind(4, Int64(r.oldValue)); truthChange.bind(5, Int64(r.newValue)); truthChange.bind(6, r.at)
            truthChange.bind(7, Int64(r.cause.rawValue)); truthChange.bind(8, r.causeRef)
            try truthChange.step()
        }
        for r in b.deliveries {
            delivery.bind(1, Int64(r.link)); delivery.bind(2, Int64(r.customer)); delivery.bind(3, Int64(r.field))
            delivery.bind(4, r.changeId); delivery.bind(5, Int64(r.value)); delivery.bind(6, r.sentAt)
            delivery.bind(7, r.appliedAt); delivery.bind(8, Int64(r.batch))
            try delivery.step()
        }
        for r in b.touchpoints {
            touchpoint.bind(1, r.id); touchpoint.bind(2, Int64(r.customer)); touchpoint.bind(3, Int64(r.step))
            touchpoint.bind(4, Int64(r.channel.rawValue)); touchpoint.bind(5, Int64(r.platform)); touchpoint.bind(6, r.decidedAt)
            touchpoint.bind(7, r.deliveredAt); touchpoint.bind(8, r.opened ? 1 : 0); touchpoint.bind(9, r.clicked ? 1 : 0)
            touchpoint.bind(10, r.converted ? 1 : 0); touchpoint.bind(11, r.optedOut ? 1 : 0)
            try touchpoint.step()
        }
        for r in b.impressionSummaries {
            impressionSummary.bind(1, Int64(r.customer)); impressionSummary.bind(2, Int64(r.platform)); impressionSummary.bind(3, Int64(r.served))
            impressionSummary.bind(4, Int64(r.wasted)); impressionSummary.bind(5, r.firstAt); impressionSummary.bind(6, r.lastAt)
            try impressionSummary.step()
        }
        for r in b.impressions {
            impression.bind(1, Int64(r.customer)); impression.bind(2, Int64(r.platform)); impression.bind(3, r.at); impression.bind(4, r.wasted ? 1 : 0)
            try impression.step()
        }
        for r in b.misfires {
            misfire.bind(1, r.id); misfire.bind(2, r.touchpoint); misfire.bind(3, Int64(r.customer)); misfire.bind(4, Int64(r.type.rawValue))
            misfire.bind(5, Int64(r.platform)); misfire.bind(6, Int64(r.field)); misfire.bind(7, Int64(r.cause.rawValue))
            misfire.bind(8, Int64(r.causeLink)); misfire.bind(9, r.changeId); misfire.bind(10, r.at); misfire.bind(11, Int64(r.count))
            try misfire.step()
        }
        rowsWritten += b.rowCount
    }

    /// Builds the indexes, writes the summary and the final status, and commits.
    public func finish(status: String, summary: [(String, Int)], eventsProcessed: Int) throws {
        try db.execute(RunStore.indexSQL)
        let s = try db.prepare("INSERT INTO runSummary (key, value) VALUES (?, ?)")
        for (k, v) in summary {
            s.bind(1, k)
            s.bind(2, v)
            try s.step()
        }
        try db.execute("UPDATE run SET status = '\(status)', eventsProcessed = \(eventsProcessed), rowsWritten = \(rowsWritten) WHERE id = 1")
        try db.execute("COMMIT")
        customer = nil; truthChange = nil; delivery = nil; touchpoint = nil; impressionSummary = nil; impression = nil; misfire = nil
        db.close()
    }

    /// Marks an unfinished run and closes (after an interrupt or a failure).
    public func abandon(status: String) {
        _ = try? db.execute("COMMIT")
        _ = try? db.execute("UPDATE run SET status = '\(status)', rowsWritten = \(rowsWritten) WHERE id = 1")
        customer = nil; truthChange = nil; delivery = nil; touchpoint = nil; impressionSummary = nil; impression = nil; misfire = nil
        db.close()
    }
}
