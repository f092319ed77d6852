import CSQLite
import Foundation

/// A sweep's results database: the scenario, the variants, and one row per (variant,
/// replication, metric). Written whole at the end (it is small), to a partial file renamed
/// when complete, like a run's.
public final class SweepStore {
    /// The schema, frozen like a run's migrations; `user_version` is its version.
    public static let schemaSQL = """
        CREATE TABLE sweep (id INTEGER PRIMARY KEY CHECK (id = 1), scenario TEXT NOT NULL, scenarioFile TEXT NOT NULL,
            scenarioText TEXT NOT NULL, scenarioHash TEXT NOT NULL, vary TEXT NOT NULL, replications INTEGER NOT NULL,
            customers INTEGER NOT NULL, baseSeed TEXT NOT NULL, shard TEXT NOT NULL, toolVersion TEXT NOT NULL,
            command TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('complete', 'interrupted', 'partial')), finding TEXT NOT NULL);
        CREATE TABLE variant (id INTEGER PRIMARY KEY, label TEXT NOT NULL, parameters TEXT NOT NULL, x REAL NOT NULL);
        CREATE TABLE sample (variant INTEGER NOT NULL, replication INTEGER NOT NULL, seed TEXT NOT NULL, metric TEXT NOT NULL,
            value REAL NOT NULL, PRIMARY KEY (variant, replication, metric)) WITHOUT ROWID;
        CREATE VIEW metricSummary AS
            SELECT v.id AS variant, v.label, v.x, s.metric, count(*) AS n, avg(s.value) AS mean, min(s.value) AS min, max(s.value) AS max
            FROM sample s JOIN variant v ON v.id = s.variant GROUP BY v.id, s.metric;
        PRAGMA user_version = 1;
        """

    public struct Header: Sendable, Equatable {
        public var scenario, scenarioFile, scenarioText, scenarioHash, vary: String
        public var replications, customers: Int
        public var baseSeed: UInt64
        public var shard, toolVersion, command, status, finding: String
        public init(
            scenario: String, scenarioFile: String, scenarioText: String, scenarioHash: String, vary: String,
            replications: Int,
            customers: Int, baseSeed: UInt64, shard: String, toolVersion: String, command: String, status: String,
            finding: String
        ) {
            self.scenario = scenario
            self.scenarioFile = scenarioFile
            self.scenarioText = scenarioText
            self.scenarioHash = scenarioHash
            self.vary = vary
            self.replications = replications
            self.customers = customers
            self.baseSeed = baseSeed
            self.shard = shard
            self.toolVersion = toolVersion
            self.command = command
            self.status = status
            self.finding = finding
        }
    }

    public struct Variant: Sendable, Equatable {
        public var id: Int
        public var label: String
        public var parameters: String
        public var x: Double
        public init(id: Int, label: String, parameters: String, x: Double) {
            self.id = id
            self.label = label
            self.parameters = parameters
            self.x = x
        }
    }

    public struct Sample: Sendable, Equatable {
        public var variant: Int
        public var replication: Int
        public var seed: UInt64
        public var metric: String
        public var value: Double
        public init(variant: Int, replication: Int, seed: UInt64, metric: String, value: Double) {
            self.variant = variant
            self.replication = replication
            self.seed = seed
            self.metric = metric
            self.value = value
        }
    }

    /// Writes a complete sweep database at `path` (through `path.partial-<pid>`, renamed at the end).
    public static func write(path: String, header: Header, variants: [Variant], samples: [Sample]) throws {
        let partial = path + ".partial-\(getpid())"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            let db = try SQLiteConnection(path: partial)
            try db.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
            try db.execute(schemaSQL)
            try db.execute("BEGIN")
            let h = try db.prepare("INSERT INTO sweep VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            h.bind(1, header.scenario)
            h.bind(2, header.scenarioFile)
            h.bind(3, header.scenarioText)
            h.bind(4, header.scenarioHash)
            h.bind(5, header.vary)
            h.bind(6, header.replications)
            h.bind(7, header.customers)
            h.bind(8, String(header.baseSeed))
            h.bind(9, header.shard)
            h.bind(10, header.toolVersion)
            h.bind(11, header.command)
            h.bind(12, header.status)
            h.bind(13, header.finding)
            try h.step()
            let v = try db.prepare("INSERT INTO variant VALUES (?, ?, ?, ?)")
            for x in variants {
                v.bind(1, x.id)
                v.bind(2, x.label)
                v.bind(3, x.parameters)
                v.bind(4, x.x)
                try v.step()
            }
            let s = try db.prepare("INSERT INTO sample VALUES (?, ?, ?, ?, ?)")
            for x in samples.sorted(by: {
                ($0.variant, $0.replication, $0.metric) < ($1.variant, $1.replication, $1.metric)
            }) {
                s.bind(1, x.variant)
                s.bind(2, x.replication)
                s.bind(3, String(x.seed))
                s.bind(4, x.metric)
                s.bind(5, x.value)
                try s.step()
            }
            try db.execute("COMMIT")
            db.close()
            if rename(partial, path) != 0 {
                throw RunStoreError("cannot rename \(partial) to \(path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
    }

    /// Reads a sweep database back (for `rehearse merge` and tests).
    public static func read(path: String) throws -> (header: Header, variants: [Variant], samples: [Sample]) {
        let db = try SQLiteConnection(path: path, readOnly: true)
        defer { db.close() }
        let probe = try db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sweep'")
        guard try probe.stepRow(), probe.int(0) == 1 else {
            throw RunStoreError(
                "\(path) is not a sweep database (a run's results? `rehearse merge` joins the sweep--*--shard-K-of-N.sqlite files of one sweep)"
            )
        }
        let h = try db.prepare(
            """
            SELECT scenario, scenarioFile, scenarioText, scenarioHash, vary, replications, customers, baseSeed, shard, toolVersion,
                   command, status, finding FROM sweep
            """)
        guard try h.stepRow() else { throw RunStoreError("\(path) has no sweep row: not a sweep database") }
        let header = Header(
            scenario: h.text(0), scenarioFile: h.text(1), scenarioText: h.text(2), scenarioHash: h.text(3),
            vary: h.text(4),
            replications: Int(h.int(5)), customers: Int(h.int(6)), baseSeed: UInt64(h.text(7)) ?? 0, shard: h.text(8),
            toolVersion: h.text(9), command: h.text(10), status: h.text(11), finding: h.text(12))
        var variants: [Variant] = []
        let v = try db.prepare("SELECT id, label, parameters, x FROM variant ORDER BY id")
        while try v.stepRow() {
            variants.append(Variant(id: Int(v.int(0)), label: v.text(1), parameters: v.text(2), x: v.double(3)))
        }
        var samples: [Sample] = []
        let s = try db.prepare(
            "SELECT variant, replication, seed, metric, value FROM sample ORDER BY variant, replication, metric")
        while try s.stepRow() {
            samples.append(
                Sample(
                    variant: Int(s.int(0)), replication: Int(s.int(1)), seed: UInt64(s.text(2)) ?? 0, metric: s.text(3),
                    value: s.double(4)))
        }
        return (header, variants, samples)
    }
}
