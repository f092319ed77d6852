import Foundation
import MarTechModel
import SimKernel
import StackSimulation

/// HubSpot's CRM search: filter groups (OR of ANDs), sorts, paging up to 10,000 results.
extension HubSpotSurface {
    // MARK: search

    func search(_ r: WireRequest) -> WireResponse {
        guard let body = r.jsonObject else { return invalidJSON(r) }
        let limit = min(max((body["limit"] as? Int) ?? 10, 1), 200)
        let after = max(0, Int(stringValue(body["after"] ?? "0")) ?? 0)
        guard after <= 10_000 - limit else {
            return error(400, "The paging cursor exceeds the 10,000 result limit for search.", "VALIDATION_ERROR")
        }
        let groups = (body["filterGroups"] as? [[String: Any]]) ?? []
        let filters: [[HubSpotFilter]] = groups.map { g in
            ((g["filters"] as? [[String: Any]]) ?? []).map(HubSpotFilter.init)
        }
        // `query`: a free-text search of the default searchable properties (name, email, phone, domain).
        let query = (body["query"] as? String)?.lowercased().trimmingCharacters(in: .whitespaces) ?? ""
        var matched: [(id: Int, props: [String: String])] = []
        for id in allIDs() {
            let props = properties(of: id)
            if !query.isEmpty
                && !["email", "firstname", "lastname", "phone", "customer_id"].contains(where: {
                    props[$0]?.lowercased().contains(query) == true
                })
            {
                continue
            }
            if filters.isEmpty || filters.contains(where: { group in group.allSatisfy { $0.matches(props, time) } }) {
                matched.append((id, props))
            }
        }
        let sorts: [(String, Bool)] = ((body["sorts"] as? [Any]) ?? []).compactMap { s in
            if let text = s as? String {
                return text.hasPrefix("-") ? (String(text.dropFirst()), false) : (text, true)
            }
            guard let d = s as? [String: Any], let name = d["propertyName"] as? String else { return nil }
            return (name, ((d["direction"] as? String) ?? "ASCENDING").uppercased() != "DESCENDING")
        }
        if let (name, ascending) = sorts.first {
            matched.sort { a, b in
                let x = HubSpotFilter.sortKey(a.props[name], time), y = HubSpotFilter.sortKey(b.props[name], time)
                return x == y ? a.id < b.id : (ascending ? x < y : x > y)
            }
        }
        let requested = (body["properties"] as? [String]) ?? HubSpotSurface.defaultProperties
        let page = matched.dropFirst(after).prefix(limit)
        var result: [String: Any] = [
            "total": matched.count, "results": page.map { object($0.id, requested: requested) },
        ]
        if after + limit < matched.count {
            result["paging"] = ["next": ["after": String(after + limit), "link": ""]]
        }
        return .json(200, result)
    }
}

/// One search filter: `{propertyName, operator, value, values, highValue}`.
struct HubSpotFilter {
    let property: String
    let op: String
    let value: String?
    let values: [String]
    let high: String?

    init(_ d: [String: Any]) {
        property = (d["propertyName"] as? String) ?? ""
        op = ((d["operator"] as? String) ?? "EQ").uppercased()
        value = d["value"].map(stringValue)
        values = ((d["values"] as? [Any]) ?? []).map(stringValue)
        high = d["highValue"].map(stringValue)
    }

    /// Dates compare as instants (epoch milliseconds or ISO 8601), numbers as numbers, the rest as text.
    static func sortKey(_ text: String?, _ time: WireTime) -> Double {
        guard let text else { return -.infinity }
        if let t = time.parse(text) { return Double(time.unixMilliseconds(t)) }
        return Double(text) ?? Double(text.hashValue)
    }

    func matches(_ props: [String: String], _ time: WireTime) -> Bool {
        let actual = props[property]
        switch op {
        case "HAS_PROPERTY": return actual != nil && actual != ""
        case "NOT_HAS_PROPERTY": return actual == nil || actual == ""
        case "IN": return actual.map { a in values.contains { $0.lowercased() == a.lowercased() } } ?? false
        case "NOT_IN": return actual.map { a in !values.contains { $0.lowercased() == a.lowercased() } } ?? true
        case "CONTAINS_TOKEN": return actual?.lowercased().contains((value ?? "").lowercased().replacingOccurrences(of: "*", with: "")) ?? false
        default: break
        }
        guard let actual, let value else { return op == "NEQ" }
        if op == "EQ" { return actual.lowercased() == value.lowercased() }
        if op == "NEQ" { return actual.lowercased() != value.lowercased() }
        let a = HubSpotFilter.sortKey(actual, time), v = HubSpotFilter.sortKey(value, time)
        switch op {
        case "LT": return a < v
        case "LTE": return a <= v
        case "GT": return a > v
        case "GTE": return a >= v
        case "BETWEEN": return a >= v && a <= HubSpotFilter.sortKey(high, time)
        default: return false
        }
    }
}
