import Foundation

/// An HTTP request as a vendor surface sees it: below the platform's prefix, body collected.
/// Independent of the HTTP library, so surfaces are tested without a socket.
public struct WireRequest: Sendable {
    public var method: String
    /// The path below `/<platform>`, starting with `/`, without the query.
    public var path: String
    public var query: [String: String]
    /// Header names in lower case.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:],
        body: [UInt8] = [])
    {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body as a JSON object, or nil if it is not one.
    public var jsonObject: [String: Any]? {
        guard !body.isEmpty else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])) as? [String: Any]
    }

    /// The body as `application/x-www-form-urlencoded` fields (repeated keys: the last wins).
    public var formFields: [String: String] { WireRequest.decodeForm(String(decoding: body, as: UTF8.self)) }

    /// A query string's fields; a repeated key (`properties=a&properties=b`, as generated SDKs
    /// send lists) gives its values joined by commas (`a,b`).
    public static func decodeQuery(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let one = decodeForm(String(pair))
            for (k, v) in one { fields[k] = fields[k].map { $0 + "," + v } ?? v }
        }
        return fields
    }

    public static func decodeForm(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    /// The credentials of an `Authorization` header of `scheme` (`Bearer`, `Basic`), if present and not empty.
    public func credentials(scheme: String) -> String? {
        guard let value = headers["authorization"] else { return nil }
        let given = value.utf8, wanted = scheme.utf8
        guard given.count > wanted.count + 1 else { return nil }
        // The scheme is case-insensitive (ASCII), then one space.
        for (a, b) in zip(given, wanted) where a | 0x20 != b | 0x20 { return nil }
        guard given[given.index(given.startIndex, offsetBy: wanted.count)] == UInt8(ascii: " ") else { return nil }
        let token = value.utf8.dropFirst(wanted.count + 1).drop { $0 == UInt8(ascii: " ") }
        return token.isEmpty ? nil : String(Substring(token))
    }
}

/// An HTTP response a vendor surface gives: status, headers and body bytes.
public struct WireResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Wall seconds the server waits before answering (the scenario's `degrade` jitter, at `--speed`).
    public var delaySeconds = 0.0

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON body (keys sorted, so the same answer is the same bytes).
    public static func json(_ status: Int, _ object: Any, headers: [(String, String)] = []) -> WireResponse {
        let data =
            (try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])) ?? Data()
        return WireResponse(
            status: status, headers: [("Content-Type", "application/json")] + headers, body: [UInt8](data))
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// JSON scalars as the text a vendor stores (`true` → "true", 3 → "3").
func stringValue(_ v: Any) -> String {
    switch v {
    case let s as String: return s
    case let n as NSNumber:
        // JSON's true and false arrive as NSNumbers of type char ("c").
        if String(cString: n.objCType) == "c" { return n.boolValue ? "true" : "false" }
        return n.stringValue
    case let b as Bool: return b ? "true" : "false"
    default: return "\(v)"
    }
}

extension String {
    func leftPadded12() -> String { count >= 12 ? self : String(repeating: "0", count: 12 - count) + self }
}
