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
    public var platforms: [(name: String, kind: String, observes: [Int], vendor: String)]
    public var links: [(name: String, from: Int, to: Int, mode: String, fields: String)]
    public var steps: [(name: String, channel: Int, platform: Int, decidedBy: Int)]
    public var timezones: [String]

    public init(
        scenario: String, scenarioFile: String, scenarioText: String, scenarioHash: String, seed: UInt64,
        customers: Int,
        horizonMilliseconds: Int64, startUnixMilliseconds: Int64, toolVersion: String, command: String,
        fields: [FieldSpec],
        platforms: [(name: String, kind: String, observes: [Int], vendor: String)],
        links: [(name: String, from: Int, to: Int, mode: String, fields: String)],
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
    private var customer: BulkInserter!
    private var truthChange: BulkInserter!
    private var delivery: BulkInserter!
    private var touchpoint: BulkInserter!
    private var impressionSummary: BulkInserter!
    private var impression: BulkInserter!
    private var misfire: BulkInserter!
    public private(set) var rowsWritten = 0

    public init(creatingAt path: String) throws {
        db = try SQLiteConnection(path: path)
        // The file only becomes the result once renamed complete, so durability during the run
        // buys nothing: no journal, no fsync.
        try db.execute(
            "PRAGMA page_size = 16384; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;"
        )
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
        let run = try db.prepare(
            """
            INSERT INTO run (id, scenario, scenarioFile, scenarioText, scenarioHash, seed, customers, horizonMs, startUnixMs,
                             toolVersion, command, status) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running')
            """)
        run.bind(1, d.scenario)
        run.bind(2, d.scenarioFile)
        run.bind(3, d.scenarioText)
        run.bind(4, d.scenarioHash)
        run.bind(5, String(d.seed))
        run.bind(6, d.customers)
        run.bind(7, d.horizonMilliseconds)
        run.bind(8, d.startUnixMilliseconds)
        run.bind(9, d.toolVersion)
        run.bind(10, d.command)
        try run.step()
        // The run row is committed at once: a killed run shows as 'running', never as complete.
        try db.execute("COMMIT; BEGIN")
        try insertNames(
            "field",
            d.fields.enumerated().map {
                [
                    String($0.offset), $0.element.name, "\($0.element.category)",
                    $0.element.valueNames.joined(separator: ","),
                ]
            })
        try insertNames(
            "platform",
            d.platforms.enumerated().map {
                [
                    String($0.offset), $0.element.name, $0.element.kind,
                    $0.element.observes.map(String.init).joined(separator: ","), $0.element.vendor,
                ]
            })
        try insertNames(
            "link",
            d.links.enumerated().map {
                [
                    String($0.offset), $0.element.name, String($0.element.from), String($0.element.to), $0.element.mode,
                    $0.element.fields,
                ]
            })
        try insertNames(
            "step",
            d.steps.enumerated().map {
                [
                    String($0.offset), $0.element.name, String($0.element.channel), String($0.element.platform),
                    String($0.element.decidedBy),
                ]
            })
        try insertNames("timezone", d.timezones.enumerated().map { [String($0.offset), $0.element] })
        try insertNames("channel", Channel.allCases.map { [String($0.rawValue), $0.description] })
        try insertNames(
            "truthChangeCause",
            [TruthChangeCause.behavior, .response, .cascade].map { [String($0.rawValue), $0.description] })
        try insertNames(
            "misfireType", MisfireType.allCases.map { [String($0.rawValue), $0.description, $0.severity.description] })
        try insertNames("misfireCause", MisfireCause.allCases.map { [String($0.rawValue), $0.description] })
        customer = try BulkInserter(db, table: "customer", columns: 6)
        truthChange = try BulkInserter(db, table: "truthChange", columns: 8)
        delivery = try BulkInserter(db, table: "delivery", columns: 8)
        touchpoint = try BulkInserter(db, table: "touchpoint", columns: 11)
        impressionSummary = try BulkInserter(db, table: "impressionSummary", columns: 6)
        impression = try BulkInserter(db, table: "impression", columns: 4)
        misfire = try BulkInserter(db, table: "misfire", columns: 13)
    }

    private func insertNames(_ table: String, _ rows: [[String]]) throws {
        guard let width = rows.first?.count else { return }
        let s = try db.prepare(
            "INSERT INTO \(table) VALUES (\(Array(repeating: "?", count: width).joined(separator: ", ")))")
        for row in rows {
            for (i, v) in row.enumerated() { s.bind(Int32(i + 1), v) }
            try s.step()
        }
    }

    /// Inserts one batch of rows (the hot path of the writer thread).
    public func write(_ b: RecordBatch) throws {
        guard customer != nil else { throw RunStoreError("the results database is already closed") }
        try writeTruthAndDeliveries(b)
        try writeMessages(b)
        rowsWritten += b.rowCount
    }

    /// Customers, truth changes and deliveries of a batch.
    private func writeTruthAndDeliveries(_ b: RecordBatch) throws {
        for r in b.customers {
            customer.add(Int64(r.id))
            customer.add(Int64(r.timezone))
            customer.add(Int64(r.age))
            customer.add(Int64(r.device))
            customer.add(Int64(r.attributes))
            customer.add(Int64(bitPattern: r.initialFields))
            try customer.endRow()
        }
        for r in b.truthChanges {
            truthChange.add(r.id)
            truthChange.add(Int64(r.customer))
            truthChange.add(Int64(r.field))
            truthChange.add(Int64(r.oldValue))
            truthChange.add(Int64(r.newValue))
            truthChange.add(r.at)
            truthChange.add(Int64(r.cause.rawValue))
            truthChange.add(r.causeRef)
            try truthChange.endRow()
        }
        for r in b.deliveries {
            delivery.add(Int64(r.link))
            delivery.add(Int64(r.customer))
            delivery.add(Int64(r.field))
            delivery.add(r.changeId)
            delivery.add(Int64(r.value))
            delivery.add(r.sentAt)
            delivery.add(r.appliedAt)
            delivery.add(Int64(r.batch))
            try delivery.endRow()
        }
    }

    /// Touchpoints, impressions and misfires of a batch.
    private func writeMessages(_ b: RecordBatch) throws {
        for r in b.touchpoints {
            touchpoint.add(r.id)
            touchpoint.add(Int64(r.customer))
            touchpoint.add(Int64(r.step))
            touchpoint.add(Int64(r.channel.rawValue))
            touchpoint.add(Int64(r.platform))
            touchpoint.add(r.decidedAt)
            touchpoint.add(r.deliveredAt)
            touchpoint.add(r.opened ? 1 : 0)
            touchpoint.add(r.clicked ? 1 : 0)
            touchpoint.add(r.converted ? 1 : 0)
            touchpoint.add(r.optedOut ? 1 : 0)
            try touchpoint.endRow()
        }
        for r in b.impressionSummaries {
            impressionSummary.add(Int64(r.customer))
            impressionSummary.add(Int64(r.platform))
            impressionSummary.add(Int64(r.served))
            impressionSummary.add(Int64(r.wasted))
            impressionSummary.add(r.firstAt)
            impressionSummary.add(r.lastAt)
            try impressionSummary.endRow()
        }
        for r in b.impressions {
            impression.add(Int64(r.customer))
            impression.add(Int64(r.platform))
            impression.add(r.at)
            impression.add(r.wasted ? 1 : 0)
            try impression.endRow()
        }
        for r in b.misfires {
            misfire.add(r.id)
            misfire.add(r.touchpoint)
            misfire.add(Int64(r.customer))
            misfire.add(Int64(r.type.rawValue))
            misfire.add(Int64(r.platform))
            misfire.add(Int64(r.field))
            misfire.add(Int64(r.cause.rawValue))
            misfire.add(Int64(r.causeLink))
            misfire.add(r.changeId)
            misfire.add(r.at)
            misfire.add(Int64(r.count))
            misfire.add(r.staleMs)
            misfire.add(Int64(r.causeFault))
            try misfire.endRow()
        }
    }

    private func flushAll() throws {
        for inserter in [customer, truthChange, delivery, touchpoint, impressionSummary, impression, misfire] {
            try inserter?.flush()
        }
    }

    /// Builds the indexes, writes the summary and the final status, and commits.
    /// - Parameter summaryJSON: the run's full summary, kept so every report can be regenerated from this file.
    public func finish(
        status: String, summary: [(String, Int)], eventsProcessed: Int, summaryJSON: String = "",
        faults: [FaultFigures] = [], requests: [ServeRequestRow] = [], messages: [ServeMessageRow] = [],
        clients: [ServeClientFigures] = [], load: [LoadFigures] = []
    ) throws {
        try flushAll()
        try writeServe(requests: requests, messages: messages, clients: clients, load: load)
        let f = try db.prepare("INSERT INTO fault VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for (i, x) in faults.enumerated() {
            f.bind(1, i)
            f.bind(2, x.name)
            f.bind(3, x.kind)
            f.bind(4, x.target)
            f.bind(5, x.startMs)
            f.bind(6, x.endMs)
            let counts = [
                x.recordsDelayed, x.recordsDropped, x.recordsDeadLettered, x.recordsReplayed, x.recordsNulled,
                x.recordsDuplicated,
                x.requestsThrottled, x.retries, x.messagesAffected, x.customersAffected, x.misfires,
            ]
            for (j, n) in counts.enumerated() { f.bind(Int32(7 + j), n) }
            f.bind(18, x.queueWaitMeanMs)
            f.bind(19, x.bit ? 1 : 0)
            try f.step()
        }
        // Let SQLite's sorter use the second core while it builds the indexes.
        try db.execute("PRAGMA threads = 2")
        try db.execute(RunStore.indexSQL)
        let s = try db.prepare("INSERT INTO runSummary (key, value) VALUES (?, ?)")
        for (k, v) in summary {
            s.bind(1, k)
            s.bind(2, v)
            try s.step()
        }
        let update = try db.prepare(
            "UPDATE run SET status = ?, eventsProcessed = ?, rowsWritten = ?, summary = ? WHERE id = 1")
        update.bind(1, status)
        update.bind(2, eventsProcessed)
        update.bind(3, rowsWritten)
        update.bind(4, summaryJSON)
        try update.step()
        try db.execute("COMMIT")
        closeInserters()
    }

    /// Marks an unfinished run and closes (after an interrupt or a failure).
    public func abandon(status: String) {
        try? flushAll()
        _ = try? db.execute("COMMIT")
        _ = try? db.execute("UPDATE run SET status = '\(status)', rowsWritten = \(rowsWritten) WHERE id = 1")
        closeInserters()
    }

    /// Drops the prepared inserters and closes the connection (after a finish or an abandon).
    private func closeInserters() {
        customer = nil
        truthChange = nil
        delivery = nil
        touchpoint = nil
        impressionSummary = nil
        impression = nil
        misfire = nil
        db.close()
    }
}
