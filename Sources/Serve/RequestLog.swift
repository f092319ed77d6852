import Histogram

/// Every request a session answered, counted per platform and endpoint by status, with the
/// fakes' own answer time (so a team can see the harness is not its bottleneck).
public struct RequestLog: Sendable {
    public struct Row: Sendable {
        public let platform: String
        public let endpoint: String
        public var statuses: [Int: Int] = [:]
        public var latencyMicroseconds = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .two)
        public var count: Int { statuses.values.reduce(0, +) }
    }
    public private(set) var rows: [Row] = []
    private var index: [String: Int] = [:]

    public init() {}

    mutating func count(platform: String, endpoint: String, status: Int, seconds: Double) {
        let key = platform + " " + endpoint
        let i: Int
        if let found = index[key] {
            i = found
        } else {
            i = rows.count
            index[key] = i
            rows.append(Row(platform: platform, endpoint: endpoint))
        }
        rows[i].statuses[status, default: 0] += 1
        _ = rows[i].latencyMicroseconds.record(UInt64(max(0, min(seconds * 1e6, 59_000_000))))
    }

    public var total: Int { rows.reduce(0) { $0 + $1.count } }
    public func total(status: Int) -> Int { rows.reduce(0) { $0 + ($1.statuses[status] ?? 0) } }
}

/// An endpoint's name for counting: the method and the path with ids replaced by `{id}`.
enum Endpoint {
    static func label(_ r: WireRequest) -> String {
        let parts = r.path.split(separator: "/", omittingEmptySubsequences: false)
        var labelled: [Substring] = []
        for (i, part) in parts.enumerated() {
            let looksLikeID =
                (!part.isEmpty && part.allSatisfy(\.isNumber)) || part.count >= 20 || part.contains("@")
                || part.hasPrefix("cust-") || part.hasPrefix("+") || (i > 0 && parts[i - 1] == "Accounts")
            labelled.append(looksLikeID ? "{id}" : part)
        }
        return r.method + " " + labelled.joined(separator: "/")
    }
}
