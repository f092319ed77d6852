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
        // Most paths hold no id: then the path itself is the label, with no splitting.
        let twilio = r.path.hasPrefix("/2010-04-01/Accounts/")
        if !twilio && !r.path.utf8.split(separator: UInt8(ascii: "/")).contains(where: isID) {
            return r.method + " " + r.path
        }
        let parts = r.path.split(separator: "/", omittingEmptySubsequences: false)
        var labelled: [Substring] = []
        for (i, part) in parts.enumerated() {
            let id = isID(part.utf8[...]) || (i > 0 && parts[i - 1] == "Accounts")
            labelled.append(id ? "{id}" : part)
        }
        return r.method + " " + labelled.joined(separator: "/")
    }

    /// A segment that names one record: all digits, an email or phone, a `cust-` key, or 20+ characters.
    private static func isID(_ s: Substring.UTF8View.SubSequence) -> Bool {
        guard !s.isEmpty else { return false }
        if s.count >= 20 || s.allSatisfy({ $0 >= 48 && $0 <= 57 }) { return true }
        if s.contains(UInt8(ascii: "@")) || s.first == UInt8(ascii: "+") { return true }
        return s.starts(with: "cust-".utf8)
    }

}
