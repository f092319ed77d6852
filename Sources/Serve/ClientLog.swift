import Histogram
import MarTechModel

/// What each client did to each fake, as a load tester reads it: per platform and credential,
/// the requests and their status mix, the 429s it was given, the retries it made (the same
/// request sent again after a failure), whether it waited out `Retry-After`, the requests it gave
/// up on (failed, never sent again), and the fakes' own answer times.
struct ClientLog {
    private struct Client {
        let platform: String
        let client: String
        var requests = 0
        var statuses: [Int: Int] = [:]
        var retries = 0
        var retryAfterHonoured = 0
        var retryAfterIgnored = 0
        var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .two)
    }
    private var clients: [Client] = []
    private var index: [String: Int] = [:]
    /// Requests whose last answer was a failure, by fingerprint: who sent it, when, and the wait asked for.
    private var failed: [UInt64: (client: Int, at: Double, retryAfter: Double?)] = [:]

    /// Counts one answered request. `credential` is the client's key (shown shortened).
    mutating func note(
        platform: String, credential: String?, request: WireRequest, status: Int, retryAfter: Double?, wall: Double,
        seconds: Double
    ) {
        let name = ClientLog.display(credential)
        let key = platform + "\u{0}" + name
        let i: Int
        if let found = index[key] {
            i = found
        } else {
            i = clients.count
            index[key] = i
            clients.append(Client(platform: platform, client: name))
        }
        clients[i].requests += 1
        clients[i].statuses[status, default: 0] += 1
        _ = clients[i].latency.record(UInt64(max(0, min(seconds * 1e6, 59_000_000))))
        let print = ClientLog.fingerprint(platform, request)
        if let previous = failed[print], previous.client == i {
            clients[i].retries += 1
            if let wait = previous.retryAfter {
                if wall - previous.at >= wait - 0.05 {
                    clients[i].retryAfterHonoured += 1
                } else {
                    clients[i].retryAfterIgnored += 1
                }
            }
        }
        if status == 429 || status >= 500 {
            failed[print] = (i, wall, retryAfter)
        } else {
            failed[print] = nil
        }
    }

    /// The figures, one per platform and client, with the requests each gave up on.
    var figures: [ServeClientFigures] {
        var gaveUp = [Int](repeating: 0, count: clients.count)
        for f in failed.values { gaveUp[f.client] += 1 }
        return clients.enumerated().map { i, c in
            func share(_ range: ClosedRange<Int>) -> Int { c.statuses.filter { range.contains($0.key) }.values.reduce(0, +) }
            return ServeClientFigures(
                platform: c.platform, client: c.client, requests: c.requests, succeeded: share(200...399),
                clientErrors: share(400...499) - (c.statuses[429] ?? 0), throttled: c.statuses[429] ?? 0,
                serverErrors: share(500...599), retries: c.retries, retryAfterHonoured: c.retryAfterHonoured,
                retryAfterIgnored: c.retryAfterIgnored, gaveUp: gaveUp[i],
                p50Microseconds: Int(c.latency.valueAtPercentile(50)),
                p99Microseconds: Int(c.latency.valueAtPercentile(99)))
        }
    }

    /// A credential as reports show it: its first characters only, never the whole secret.
    static func display(_ credential: String?) -> String {
        guard let c = credential, !c.isEmpty else { return "(none)" }
        return c.count <= 8 ? c : String(c.prefix(8)) + "…"
    }

    /// FNV-1a of platform, method, path and body: "the same request" for retry detection.
    static func fingerprint(_ platform: String, _ r: WireRequest) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
            for b in bytes {
                h ^= UInt64(b)
                h = h &* 0x0000_0100_0000_01B3
            }
            h ^= 0xFF
            h = h &* 0x0000_0100_0000_01B3
        }
        mix(platform.utf8)
        mix(r.method.utf8)
        mix(r.path.utf8)
        mix(r.body)
        return h
    }
}
