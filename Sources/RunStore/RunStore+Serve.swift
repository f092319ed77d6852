import CSQLite
import MarTechModel

/// What a serve session adds to its database: the requests it answered and the messages clients
/// asked the fakes to send (`serveRequest`, `serveMessage`; migration v4).
extension RunStore {
    func writeServe(
        requests: [ServeRequestRow], messages: [ServeMessageRow], clients: [ServeClientFigures], load: [LoadFigures]
    ) throws {
        if !load.isEmpty {
            let l = try db.prepare("INSERT INTO serveLoad VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            for row in load {
                l.bind(1, row.name)
                l.bind(2, row.target)
                for (j, n) in [row.planned, row.sent, row.succeeded, row.failed, row.dropped].enumerated() {
                    l.bind(Int32(3 + j), n)
                }
                l.bind(8, row.seconds)
                l.bind(9, row.achievedRate)
                l.bind(10, row.p50Microseconds)
                l.bind(11, row.p99Microseconds)
                try l.step()
            }
        }
        if !clients.isEmpty {
            let c = try db.prepare("INSERT INTO serveClient VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            for row in clients {
                c.bind(1, row.platform)
                c.bind(2, row.client)
                let counts = [
                    row.requests, row.succeeded, row.clientErrors, row.throttled, row.serverErrors, row.retries,
                    row.retryAfterHonoured, row.retryAfterIgnored, row.gaveUp, row.p50Microseconds, row.p99Microseconds,
                ]
                for (j, n) in counts.enumerated() { c.bind(Int32(3 + j), n) }
                try c.step()
            }
        }
        if !messages.isEmpty {
            let m = try db.prepare("INSERT INTO serveMessage VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            for (i, row) in messages.enumerated() {
                m.bind(1, i)
                m.bind(2, row.platform)
                m.bind(3, row.vendorID)
                m.bind(4, row.customer)
                m.bind(5, row.channel)
                m.bind(6, row.touchpoint)
                m.bind(7, row.acceptedAt)
                m.bind(8, row.deliveredAt)
                m.bind(9, row.outcome)
                try m.step()
            }
        }
        if !requests.isEmpty {
            let r = try db.prepare("INSERT INTO serveRequest VALUES (?, ?, ?, ?, ?, ?, ?)")
            for row in requests {
                r.bind(1, row.platform)
                r.bind(2, row.endpoint)
                r.bind(3, row.status)
                r.bind(4, row.count)
                r.bind(5, row.p50Microseconds)
                r.bind(6, row.p99Microseconds)
                r.bind(7, row.maxMicroseconds)
                try r.step()
            }
        }
    }
}

/// Requests a serve session answered for one platform, endpoint and status, with the fakes' own
/// answer times (`serveRequest`; empty for `rehearse run`).
public struct ServeRequestRow: Sendable {
    public var platform: String
    public var endpoint: String
    public var status: Int
    public var count: Int
    public var p50Microseconds: Int
    public var p99Microseconds: Int
    public var maxMicroseconds: Int
    public init(
        platform: String, endpoint: String, status: Int, count: Int, p50Microseconds: Int, p99Microseconds: Int,
        maxMicroseconds: Int
    ) {
        self.platform = platform
        self.endpoint = endpoint
        self.status = status
        self.count = count
        self.p50Microseconds = p50Microseconds
        self.p99Microseconds = p99Microseconds
        self.maxMicroseconds = maxMicroseconds
    }
}

/// A message a client asked a fake to send in serve mode (`serveMessage`): accepted and
/// delivered (`touchpoint` ≥ 0, judged like any other), still queued when the session ended
/// (`deliveredAt` -1), or refused (`outcome` says why, in the vendor's terms).
public struct ServeMessageRow: Sendable {
    public var platform: Int
    public var vendorID: String
    /// The synthetic customer, or -1 for an address that is none of them.
    public var customer: Int
    public var channel: Int
    public var touchpoint: Int64
    public var acceptedAt: Int64
    public var deliveredAt: Int64
    public var outcome: String
    public init(
        platform: Int, vendorID: String, customer: Int, channel: Int, touchpoint: Int64, acceptedAt: Int64,
        deliveredAt: Int64, outcome: String
    ) {
        self.platform = platform
        self.vendorID = vendorID
        self.customer = customer
        self.channel = channel
        self.touchpoint = touchpoint
        self.acceptedAt = acceptedAt
        self.deliveredAt = deliveredAt
        self.outcome = outcome
    }
}

extension RunReader {
    /// A serve session's clients (`serveClient`), for regenerated reports; empty for a run or a
    /// database written before migration v4.
    public func serveClients() throws -> [ServeClientFigures] {
        let has = try scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'serveClient'") ?? 0
        guard has > 0 else { return [] }
        return try rows("SELECT * FROM serveClient").map { r in
            let n = r.dropFirst(2).map { Int($0 ?? "") ?? 0 }
            return ServeClientFigures(
                platform: r[0] ?? "", client: r[1] ?? "", requests: n[0], succeeded: n[1], clientErrors: n[2],
                throttled: n[3], serverErrors: n[4], retries: n[5], retryAfterHonoured: n[6], retryAfterIgnored: n[7],
                gaveUp: n[8], p50Microseconds: n[9], p99Microseconds: n[10])
        }
    }
}
