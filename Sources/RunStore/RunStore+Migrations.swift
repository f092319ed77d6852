/// The results schema, as frozen SQL migrations.
///
/// A migration's identifier and SQL never change once merged; a change to the schema is a new
/// migration appended to the list. Times are whole milliseconds since the scenario start
/// (`run.startUnixMs` turns them into wall-clock instants). Enumerations are small integers
/// with lookup tables, and `*View` views join the names in for humans.
extension RunStore {
    static let migrations: [(identifier: String, sql: String)] = [
        (
            "v1 create run tables",
            """
            CREATE TABLE run (
                id INTEGER PRIMARY KEY, scenario TEXT NOT NULL, scenarioFile TEXT NOT NULL, scenarioText TEXT NOT NULL,
                scenarioHash TEXT NOT NULL, seed TEXT NOT NULL, customers INTEGER NOT NULL, horizonMs INTEGER NOT NULL,
                startUnixMs INTEGER NOT NULL, toolVersion TEXT NOT NULL, command TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'interrupted', 'failed')),
                eventsProcessed INTEGER, rowsWritten INTEGER, summary TEXT);
            CREATE TABLE runSummary (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            CREATE TABLE field (id INTEGER PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL, valueNames TEXT NOT NULL);
            CREATE TABLE platform (id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, observes TEXT NOT NULL);
            CREATE TABLE link (id INTEGER PRIMARY KEY, name TEXT NOT NULL, fromPlatform INTEGER NOT NULL, toPlatform INTEGER NOT NULL,
                mode TEXT NOT NULL, fields TEXT NOT NULL);
            CREATE TABLE step (id INTEGER PRIMARY KEY, name TEXT NOT NULL, channel INTEGER NOT NULL, platform INTEGER NOT NULL,
                decidedBy INTEGER NOT NULL);
            CREATE TABLE timezone (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            CREATE TABLE channel (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            CREATE TABLE truthChangeCause (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            CREATE TABLE misfireType (id INTEGER PRIMARY KEY, name TEXT NOT NULL, severity TEXT NOT NULL);
            CREATE TABLE misfireCause (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            CREATE TABLE customer (id INTEGER PRIMARY KEY, timezone INTEGER NOT NULL, age INTEGER NOT NULL, device INTEGER NOT NULL,
                attributes INTEGER NOT NULL, initialFields INTEGER NOT NULL);
            CREATE TABLE truthChange (id INTEGER PRIMARY KEY, customer INTEGER NOT NULL, field INTEGER NOT NULL,
                oldValue INTEGER NOT NULL, newValue INTEGER NOT NULL, at INTEGER NOT NULL, cause INTEGER NOT NULL, causeRef INTEGER NOT NULL);
            CREATE TABLE delivery (link INTEGER NOT NULL, customer INTEGER NOT NULL, field INTEGER NOT NULL, changeId INTEGER NOT NULL,
                value INTEGER NOT NULL, sentAt INTEGER NOT NULL, appliedAt INTEGER NOT NULL, batch INTEGER NOT NULL);
            CREATE TABLE touchpoint (id INTEGER PRIMARY KEY, customer INTEGER NOT NULL, step INTEGER NOT NULL, channel INTEGER NOT NULL,
                platform INTEGER NOT NULL, decidedAt INTEGER NOT NULL, deliveredAt INTEGER NOT NULL, opened INTEGER NOT NULL,
                clicked INTEGER NOT NULL, converted INTEGER NOT NULL, optedOut INTEGER NOT NULL);
            CREATE TABLE impressionSummary (customer INTEGER NOT NULL, platform INTEGER NOT NULL, served INTEGER NOT NULL,
                wasted INTEGER NOT NULL, firstAt INTEGER NOT NULL, lastAt INTEGER NOT NULL);
            CREATE TABLE impression (customer INTEGER NOT NULL, platform INTEGER NOT NULL, at INTEGER NOT NULL, wasted INTEGER NOT NULL);
            CREATE TABLE misfire (id INTEGER PRIMARY KEY, touchpoint INTEGER NOT NULL, customer INTEGER NOT NULL, type INTEGER NOT NULL,
                platform INTEGER NOT NULL, field INTEGER NOT NULL, cause INTEGER NOT NULL, causeLink INTEGER NOT NULL,
                changeId INTEGER NOT NULL, at INTEGER NOT NULL, count INTEGER NOT NULL, staleMs INTEGER NOT NULL);
            CREATE VIEW misfireView AS
                SELECT m.id, m.customer, t.name AS type, t.severity, p.name AS platform, f.name AS field, c.name AS cause,
                       l.name AS causeLink, m.changeId, m.staleMs, m.at, m.count, m.touchpoint
                FROM misfire m JOIN misfireType t ON t.id = m.type JOIN platform p ON p.id = m.platform
                JOIN misfireCause c ON c.id = m.cause LEFT JOIN field f ON f.id = m.field LEFT JOIN link l ON l.id = m.causeLink;
            CREATE VIEW touchpointView AS
                SELECT tp.id, tp.customer, s.name AS step, ch.name AS channel, p.name AS platform, tp.decidedAt, tp.deliveredAt,
                       tp.opened, tp.clicked, tp.converted, tp.optedOut
                FROM touchpoint tp JOIN step s ON s.id = tp.step JOIN channel ch ON ch.id = tp.channel JOIN platform p ON p.id = tp.platform;
            CREATE VIEW deliveryView AS
                SELECT l.name AS link, d.customer, f.name AS field, d.changeId, d.value, d.sentAt, d.appliedAt,
                       d.appliedAt - tc.at AS freshnessMs, d.batch
                FROM delivery d JOIN link l ON l.id = d.link JOIN field f ON f.id = d.field LEFT JOIN truthChange tc ON tc.id = d.changeId;
            """
        ),
        (
            "v2 faults",
            """
            ALTER TABLE misfire ADD COLUMN causeFault INTEGER NOT NULL DEFAULT -1;
            CREATE TABLE fault (id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL,
                startAt INTEGER NOT NULL, endAt INTEGER NOT NULL, recordsDelayed INTEGER NOT NULL, recordsDropped INTEGER NOT NULL,
                recordsDeadLettered INTEGER NOT NULL, recordsReplayed INTEGER NOT NULL, recordsNulled INTEGER NOT NULL,
                recordsDuplicated INTEGER NOT NULL, requestsThrottled INTEGER NOT NULL, retries INTEGER NOT NULL,
                messagesAffected INTEGER NOT NULL, customersAffected INTEGER NOT NULL, misfires INTEGER NOT NULL,
                queueWaitMeanMs REAL NOT NULL, bit INTEGER NOT NULL);
            DROP VIEW misfireView;
            CREATE VIEW misfireView AS
                SELECT m.id, m.customer, t.name AS type, t.severity, p.name AS platform, f.name AS field, c.name AS cause,
                       l.name AS causeLink, fa.name AS fault, m.changeId, m.staleMs, m.at, m.count, m.touchpoint
                FROM misfire m JOIN misfireType t ON t.id = m.type JOIN platform p ON p.id = m.platform
                JOIN misfireCause c ON c.id = m.cause LEFT JOIN field f ON f.id = m.field LEFT JOIN link l ON l.id = m.causeLink
                LEFT JOIN fault fa ON fa.id = m.causeFault;
            """
        ),
        (
            "v3 vendors",
            """
            ALTER TABLE platform ADD COLUMN vendor TEXT NOT NULL DEFAULT '';
            """
        ),
        (
            "v4 serve requests",
            """
            CREATE TABLE serveRequest (platform TEXT NOT NULL, endpoint TEXT NOT NULL, status INTEGER NOT NULL,
                count INTEGER NOT NULL, p50Us INTEGER NOT NULL, p99Us INTEGER NOT NULL, maxUs INTEGER NOT NULL);
            CREATE TABLE serveMessage (id INTEGER PRIMARY KEY, platform INTEGER NOT NULL, vendorId TEXT NOT NULL,
                customer INTEGER NOT NULL, channel INTEGER NOT NULL, touchpoint INTEGER NOT NULL, acceptedAt INTEGER NOT NULL,
                deliveredAt INTEGER NOT NULL, outcome TEXT NOT NULL);
            CREATE TABLE serveClient (platform TEXT NOT NULL, client TEXT NOT NULL, requests INTEGER NOT NULL,
                succeeded INTEGER NOT NULL, clientErrors INTEGER NOT NULL, throttled INTEGER NOT NULL,
                serverErrors INTEGER NOT NULL, retries INTEGER NOT NULL, retryAfterHonoured INTEGER NOT NULL,
                retryAfterIgnored INTEGER NOT NULL, gaveUp INTEGER NOT NULL, p50Us INTEGER NOT NULL, p99Us INTEGER NOT NULL);
            CREATE TABLE serveLoad (executor TEXT NOT NULL, target TEXT NOT NULL, planned INTEGER NOT NULL, sent INTEGER NOT NULL,
                succeeded INTEGER NOT NULL, failed INTEGER NOT NULL, dropped INTEGER NOT NULL, seconds REAL NOT NULL,
                achievedRate REAL NOT NULL, p50Us INTEGER NOT NULL, p99Us INTEGER NOT NULL);
            """
        ),
    ]

    /// Indexes for the obvious queries, built once after the rows are in (faster than maintaining them per insert).
    ///
    /// Rowids grow with virtual time in every table, so an index on `customer` alone returns a
    /// customer's rows in time order (SQLite orders equal keys by rowid). `truthChange` and
    /// `delivery` are deliberately not indexed by customer: their rows arrive in random customer
    /// order, so the index costs ~2 s per million customers at the end of every run, while a
    /// per-customer scan of them takes ~0.05 s (measured at 1M customers). Aggregates by link,
    /// field or time scan anyway.
    static let indexSQL = """
        CREATE INDEX touchpointByCustomer ON touchpoint(customer);
        CREATE INDEX misfireByCustomer ON misfire(customer);
        CREATE INDEX impressionSummaryByCustomer ON impressionSummary(customer);
        CREATE INDEX impressionByCustomer ON impression(customer);
        """
}
