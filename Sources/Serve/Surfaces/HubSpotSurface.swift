import Foundation
import MarTechModel
import SimKernel
import StackSimulation

/// HubSpot CRM v3 contacts (create, read by id or `idProperty`, list, update, batch
/// read/create/update/upsert, search) and webhooks v3 (`contact.propertyChange`), with
/// HubSpot's error bodies (`{status, message, correlationId, category}`) and its
/// `X-HubSpot-RateLimit-*` headers: 190 requests per 10 s, 650,000 a day (Professional).
///
/// Each synthetic customer is contact `c + 1`, with `email`, `phone` and a `customer_id`
/// property; the model fields the CRM shows appear under HubSpot's names (`serve.json`).
final class HubSpotSurface: SurfaceBase, VendorSurface {
    static let defaultProperties = ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"]
    static let standard: Set<String> = [
        "email", "firstname", "lastname", "phone", "customer_id", "createdate", "lastmodifieddate", "hs_object_id",
    ]
    static let readOnly: Set<String> = ["createdate", "lastmodifieddate", "hs_object_id"]

    /// Each access token is its own private app, with its own windows (as HubSpot counts them).
    private var windows: [String: (burst: RateWindow, daily: RateWindow)] = [:]
    /// Properties clients set that are not model fields (a first name), per contact id.
    private var ownProperties: [Int: [String: String]] = [:]
    private var ownModified: [Int: SimInstant] = [:]
    /// Contacts clients created that are no synthetic customer: id → properties.
    private var created: [Int: [String: String]] = [:]
    private var nextCreatedID: Int
    private var webhookTarget: String?
    private var subscriptions: [(id: Int, property: String?, active: Bool)] = []
    private var eventNext = 1

    override init(session: ServeSession, platform: Int) {
        nextCreatedID = session.stack.customerCount + 1
        super.init(session: session, platform: platform)
    }

    func unavailable() -> WireResponse {
        error(503, "The service is temporarily unavailable (the scenario's outage window).", "SERVICE_UNAVAILABLE")
    }

    func throttled() -> WireResponse {
        .json(
            429,
            [
                "status": "error", "message": "You have reached your secondly limit.", "errorType": "RATE_LIMIT",
                "correlationId": correlationID(), "policyName": "SECONDLY",
            ], headers: [("Retry-After", "1")])
    }

    func respond(to r: WireRequest) -> WireResponse {
        guard let token = r.credentials(scheme: "Bearer") else {
            return error(
                401,
                "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
                "INVALID_AUTHENTICATION")
        }
        let t = session.clock.wallSeconds()
        var w =
            windows[token] ?? (RateWindow(limit: 190, windowSeconds: 10), RateWindow(limit: 650_000, windowSeconds: 86_400))
        defer { windows[token] = w }
        guard w.burst.admit(at: t), w.daily.admit(at: t) else {
            var response = WireResponse.json(
                429,
                [
                    "status": "error", "message": "You have reached your ten_secondly_rolling limit.",
                    "errorType": "RATE_LIMIT", "correlationId": correlationID(), "policyName": "TEN_SECONDLY_ROLLING",
                ])
            response.headers += limitHeaders(w)
            return response
        }
        var response = route(r)
        response.headers += limitHeaders(w)
        return response
    }

    private func limitHeaders(_ w: (burst: RateWindow, daily: RateWindow)) -> [(String, String)] {
        [
            ("X-HubSpot-RateLimit-Max", "190"), ("X-HubSpot-RateLimit-Remaining", String(w.burst.remaining)),
            ("X-HubSpot-RateLimit-Interval-Milliseconds", "10000"), ("X-HubSpot-RateLimit-Daily", "650000"),
            ("X-HubSpot-RateLimit-Daily-Remaining", String(w.daily.remaining)),
        ]
    }

    private func route(_ r: WireRequest) -> WireResponse {
        let parts = r.path.split(separator: "/").map(String.init)
        let contacts = ["crm", "v3", "objects", "contacts"]
        if parts.count >= 4 && Array(parts[0..<4]) == contacts {
            let rest = Array(parts.dropFirst(4))
            switch (r.method, rest.count, rest.first) {
            case ("GET", 0, _): return list(r)
            case ("POST", 0, _): return createOne(r)
            case ("POST", 2, "batch"): return batch(rest[1], r)
            case ("POST", 1, "search"): return search(r)
            case ("GET", 1, _): return readOne(rest[0], r)
            case ("PATCH", 1, _): return updateOne(rest[0], r)
            case ("DELETE", 1, _): return WireResponse(status: 204)
            default: break
            }
        }
        if parts.count >= 3 && parts[0] == "webhooks" && parts[1] == "v3" {
            return webhooks(Array(parts.dropFirst(3)), r)
        }
        return error(404, "Unable to find a route for \(r.method) \(r.path).", "OBJECT_NOT_FOUND")
    }

    // MARK: contacts

    private func contactID(_ key: String, idProperty: String?) -> Int? {
        switch idProperty ?? "hs_object_id" {
        case "hs_object_id":
            guard let id = Int(key) else { return nil }
            if id >= 1 && id <= customerCount { return id }
            return created[id] != nil ? id : nil
        case "email", "customer_id", "phone":
            if let c = customer(key) { return c + 1 }
            let property = idProperty!
            return created.first { $0.value[property]?.lowercased() == key.lowercased() }?.key
        default: return nil
        }
    }

    private func properties(of id: Int) -> [String: String] {
        if let own = created[id] { return own }
        let c = id - 1
        var p: [String: String] = [
            "email": CustomerIdentity.email(c), "phone": CustomerIdentity.phone(c),
            "customer_id": CustomerIdentity.customerID(c), "firstname": "Customer", "lastname": String(c),
            "hs_object_id": String(id), "createdate": time.iso(.start), "lastmodifieddate": time.iso(modified(id)),
        ]
        for entry in spellings.entries { p[entry.name] = spelled(entry, c) }
        for (k, v) in ownProperties[id] ?? [:] { p[k] = v }
        return p
    }

    private func modified(_ id: Int) -> SimInstant {
        if id > customerCount { return ownModified[id] ?? .start }
        let fromStack = session.stack.lastModified(platform: platform, customer: id - 1)
        return max(fromStack, ownModified[id] ?? .start)
    }

    private func object(_ id: Int, requested: [String]?) -> [String: Any] {
        let all = properties(of: id)
        let names = requested ?? HubSpotSurface.defaultProperties
        var shown: [String: Any] = [:]
        for n in names where all[n] != nil { shown[n] = all[n]! }
        shown["hs_object_id"] = String(id)
        return [
            "id": String(id), "properties": shown, "createdAt": time.iso(.start), "updatedAt": time.iso(modified(id)),
            "archived": false,
        ]
    }

    private func requestedProperties(_ r: WireRequest) -> [String]? {
        r.query["properties"].map { $0.split(separator: ",").map(String.init) }
    }

    private func list(_ r: WireRequest) -> WireResponse {
        let limit = min(max(Int(r.query["limit"] ?? "10") ?? 10, 1), 100)
        let after = Int(r.query["after"] ?? "0") ?? 0
        let ids = allIDs()
        let start = ids.firstIndex { $0 > after } ?? ids.count
        let page = ids[start..<min(ids.count, start + limit)]
        var body: [String: Any] = ["results": page.map { object($0, requested: requestedProperties(r)) }]
        if start + limit < ids.count, let last = page.last {
            body["paging"] = [
                "next": ["after": String(last), "link": "/crm/v3/objects/contacts?after=\(last)&limit=\(limit)"]
            ]
        }
        return .json(200, body)
    }

    private func allIDs() -> [Int] { Array(1...max(1, customerCount)).filter { $0 <= customerCount } + created.keys.sorted() }

    private func readOne(_ key: String, _ r: WireRequest) -> WireResponse {
        guard let id = contactID(key, idProperty: r.query["idProperty"]) else { return notFound() }
        return .json(200, object(id, requested: requestedProperties(r)))
    }

    private func notFound() -> WireResponse {
        error(404, "resource not found", "OBJECT_NOT_FOUND")
    }

    private func createOne(_ r: WireRequest) -> WireResponse {
        guard let body = r.jsonObject else { return invalidJSON(r) }
        let props = (body["properties"] as? [String: Any]) ?? [:]
        switch create(props) {
        case .success(let id): return .json(201, object(id, requested: Array(props.keys) + ["createdate", "lastmodifieddate"]))
        case .failure(let e): return e.response
        }
    }

    private func create(_ props: [String: Any]) -> Result<Int, HubSpotFailure> {
        if let problems = validate(props) { return .failure(problems) }
        let email = (props["email"] as? String) ?? ""
        if !email.isEmpty, contactID(email, idProperty: "email") != nil {
            let existing = contactID(email, idProperty: "email")!
            return .failure(
                HubSpotFailure(
                    response: error(409, "Contact already exists. Existing ID: \(existing)", "CONFLICT")))
        }
        let id = nextCreatedID
        nextCreatedID += 1
        var stored: [String: String] = [:]
        for (k, v) in props { stored[k] = stringValue(v) }
        stored["hs_object_id"] = String(id)
        stored["createdate"] = time.iso(now)
        stored["lastmodifieddate"] = time.iso(now)
        created[id] = stored
        ownModified[id] = now
        return .success(id)
    }

    private func updateOne(_ key: String, _ r: WireRequest) -> WireResponse {
        guard let body = r.jsonObject else { return invalidJSON(r) }
        guard let id = contactID(key, idProperty: r.query["idProperty"]) else { return notFound() }
        let props = (body["properties"] as? [String: Any]) ?? [:]
        if let problems = validate(props) { return problems.response }
        apply(props, to: id)
        return .json(200, object(id, requested: Array(props.keys)))
    }

    /// HubSpot refuses the whole request when a property does not exist, is read-only or has no such option.
    private func validate(_ props: [String: Any]) -> HubSpotFailure? {
        var problems: [[String: Any]] = []
        let drifted = session.drifted(platform: platform)
        for (name, value) in props.sorted(by: { $0.key < $1.key }) {
            if let entry = spellings.entry(named: name), drifted.contains(entry.field) {
                // The scenario's drift renamed or dropped this property in HubSpot: it no longer exists.
                problems.append(problem(name, "PROPERTY_DOESNT_EXIST", "Property \"\(name)\" does not exist"))
            } else if HubSpotSurface.readOnly.contains(name) {
                problems.append(problem(name, "READ_ONLY_VALUE", "\(name) is a read only property; its value cannot be set."))
            } else if let entry = spellings.entry(named: name), entry.name == name {
                if spellings.value(stringValue(value), of: entry, modelNames: plan.fields[entry.field].valueNames) == nil {
                    problems.append(
                        problem(
                            name, "INVALID_OPTION",
                            "\(stringValue(value)) was not one of the allowed options: [\(entry.values.joined(separator: ", "))]"))
                }
            } else if !HubSpotSurface.standard.contains(name) {
                problems.append(problem(name, "PROPERTY_DOESNT_EXIST", "Property \"\(name)\" does not exist"))
            }
        }
        guard !problems.isEmpty else { return nil }
        let detail = (try? JSONSerialization.data(withJSONObject: problems, options: [.sortedKeys])).map {
            String(decoding: $0, as: UTF8.self)
        } ?? "[]"
        return HubSpotFailure(response: error(400, "Property values were not valid: \(detail)", "VALIDATION_ERROR"))
    }

    private func problem(_ name: String, _ code: String, _ message: String) -> [String: Any] {
        ["isValid": false, "message": message, "error": code, "name": name, "localizedErrorMessage": message]
    }

    private func apply(_ props: [String: Any], to id: Int) {
        for (name, value) in props {
            let text = stringValue(value)
            if id <= customerCount, let entry = spellings.entry(named: name), entry.name == name {
                write(entry, id - 1, spelled: text)
            } else if id > customerCount {
                created[id]?[name] = text
            } else {
                ownProperties[id, default: [:]][name] = text
            }
        }
        ownModified[id] = now
        if id > customerCount { created[id]?["lastmodifieddate"] = time.iso(now) }
    }

    // MARK: batch

    private func batch(_ action: String, _ r: WireRequest) -> WireResponse {
        guard let body = r.jsonObject else { return invalidJSON(r) }
        guard let inputs = body["inputs"] as? [[String: Any]] else {
            return error(400, "Invalid input JSON on line 1: inputs must be a list of objects", "VALIDATION_ERROR")
        }
        guard inputs.count <= 100 else {
            return error(400, "Batch size exceeds the limit of 100 inputs (got \(inputs.count)).", "VALIDATION_ERROR")
        }
        let started = time.iso(now)
        var results: [[String: Any]] = []
        var errors: [[String: Any]] = []
        switch action {
        case "read":
            let requested = (body["properties"] as? [String]) ?? HubSpotSurface.defaultProperties
            let idProperty = body["idProperty"] as? String
            for input in inputs {
                let key = stringValue(input["id"] ?? "")
                if let id = contactID(key, idProperty: idProperty) {
                    results.append(object(id, requested: requested))
                } else {
                    errors.append([
                        "status": "error", "category": "OBJECT_NOT_FOUND", "message": "Could not get some CONTACT objects, they may be deleted or not exist.",
                        "context": ["ids": [key]],
                    ])
                }
            }
        case "create":
            for input in inputs {
                let props = (input["properties"] as? [String: Any]) ?? [:]
                switch create(props) {
                case .success(let id): results.append(object(id, requested: Array(props.keys)))
                case .failure(let e): return e.response
                }
            }
        case "update", "upsert":
            for input in inputs {
                let key = stringValue(input["id"] ?? "")
                let props = (input["properties"] as? [String: Any]) ?? [:]
                if let problems = validate(props) { return problems.response }
                if let id = contactID(key, idProperty: input["idProperty"] as? String) {
                    apply(props, to: id)
                    var o = object(id, requested: Array(props.keys))
                    if action == "upsert" { o["new"] = false }
                    results.append(o)
                } else if action == "upsert" {
                    var props = props
                    if let p = input["idProperty"] as? String { props[p] = key }
                    switch create(props) {
                    case .success(let id):
                        var o = object(id, requested: Array(props.keys))
                        o["new"] = true
                        results.append(o)
                    case .failure(let e): return e.response
                    }
                } else {
                    errors.append([
                        "status": "error", "category": "OBJECT_NOT_FOUND", "message": "Object not found. objectId are usually numeric.",
                        "context": ["ids": [key]],
                    ])
                }
            }
        default:
            return error(404, "Unable to find a route for POST \(r.path).", "OBJECT_NOT_FOUND")
        }
        var body2: [String: Any] = [
            "status": "COMPLETE", "results": results, "startedAt": started, "completedAt": time.iso(now),
        ]
        if !errors.isEmpty {
            body2["errors"] = errors
            body2["numErrors"] = errors.count
        }
        return .json(errors.isEmpty ? (action == "create" ? 201 : 200) : 207, body2)
    }

    // MARK: search

    private func search(_ r: WireRequest) -> WireResponse {
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
        var matched: [(id: Int, props: [String: String])] = []
        for id in allIDs() {
            let props = properties(of: id)
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

    // MARK: webhooks

    private func webhooks(_ rest: [String], _ r: WireRequest) -> WireResponse {
        switch (r.method, rest.first) {
        case ("PUT", "settings"), ("POST", "settings"):
            guard let body = r.jsonObject, let url = body["targetUrl"] as? String, URL(string: url)?.host != nil else {
                return error(400, "targetUrl must be an absolute URL", "VALIDATION_ERROR")
            }
            webhookTarget = url
            return .json(200, ["targetUrl": url, "throttling": ["maxConcurrentRequests": 10], "createdAt": time.iso(now)])
        case ("GET", "settings"):
            guard let url = webhookTarget else { return notFound() }
            return .json(200, ["targetUrl": url, "throttling": ["maxConcurrentRequests": 10]])
        case ("POST", "subscriptions"):
            guard let body = r.jsonObject, let type = body["eventType"] as? String else { return invalidJSON(r) }
            guard type == "contact.propertyChange" || type == "contact.creation" else {
                return error(400, "eventType \(type) is not supported by this fake (contact.propertyChange, contact.creation)", "VALIDATION_ERROR")
            }
            let property = body["propertyName"] as? String
            if let property, spellings.entry(named: property) == nil && !HubSpotSurface.standard.contains(property) {
                return error(400, "Property \"\(property)\" does not exist", "VALIDATION_ERROR")
            }
            let id = subscriptions.count + 1
            let active = (body["active"] as? Bool) ?? true
            subscriptions.append((id, property, active))
            var o: [String: Any] = ["id": String(id), "eventType": type, "active": active, "createdAt": time.iso(now)]
            if let property { o["propertyName"] = property }
            return .json(201, o)
        case ("GET", "subscriptions"):
            return .json(
                200,
                ["results": subscriptions.map { s -> [String: Any] in
                    var o: [String: Any] = ["id": String(s.id), "eventType": "contact.propertyChange", "active": s.active]
                    if let p = s.property { o["propertyName"] = p }
                    return o
                }])
        default:
            return error(404, "Unable to find a route for \(r.method) \(r.path).", "OBJECT_NOT_FOUND")
        }
    }

    /// A property the CRM shows changed: HubSpot posts `contact.propertyChange` to the target URL.
    func viewChanged(_ change: ViewChange) {
        guard let target = webhookTarget, let entry = spellings.entries.first(where: { $0.field == change.field })
        else { return }
        for s in subscriptions where s.active && (s.property == nil || s.property == entry.name) {
            let event: [String: Any] = [
                "eventId": eventNext, "subscriptionId": s.id, "portalId": 1, "appId": 1,
                "occurredAt": time.unixMilliseconds(change.at), "subscriptionType": "contact.propertyChange",
                "attemptNumber": 0, "objectId": change.customer + 1, "changeSource": "CRM",
                "propertyName": entry.name, "propertyValue": entry.values[Int(change.value)],
            ]
            eventNext += 1
            let body = (try? JSONSerialization.data(withJSONObject: [event], options: [.sortedKeys])) ?? Data()
            session.outbox.append(
                OutboundWebhook(
                    url: target, contentType: "application/json", body: [UInt8](body),
                    headers: [("X-HubSpot-Request-Timestamp", String(time.unixMilliseconds(now)))], maxAttempts: 10))
        }
    }

    // MARK: errors

    private func invalidJSON(_ r: WireRequest) -> WireResponse {
        if let type = r.header("content-type"), !type.lowercased().contains("json") {
            return error(415, "Unsupported Media Type: \(type); this endpoint accepts application/json", "VALIDATION_ERROR")
        }
        return error(400, "Invalid input JSON on line 1, column 1: the body is not a JSON object", "VALIDATION_ERROR")
    }

    private func correlationID() -> String {
        let n = session.requests.total
        return "00000000-0000-4000-8000-" + String(String(n, radix: 16).suffix(12)).leftPadded12()
    }

    private func error(_ status: Int, _ message: String, _ category: String) -> WireResponse {
        .json(status, ["status": "error", "message": message, "correlationId": correlationID(), "category": category])
    }
}

/// A failure that ends a HubSpot request with its response.
struct HubSpotFailure: Error {
    let response: WireResponse
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
