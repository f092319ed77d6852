import Foundation
import MarTechModel
import SimKernel
import StackSimulation

/// HubSpot contacts: one, a page, and batches of up to 100.
extension HubSpotSurface {
    // MARK: contacts

    func contactID(_ key: String, idProperty: String?) -> Int? {
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

    func properties(of id: Int) -> [String: String] {
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

    func modified(_ id: Int) -> SimInstant {
        if id > customerCount { return ownModified[id] ?? .start }
        let fromStack = session.stack.lastModified(platform: platform, customer: id - 1)
        return max(fromStack, ownModified[id] ?? .start)
    }

    func object(_ id: Int, requested: [String]?) -> [String: Any] {
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

    func requestedProperties(_ r: WireRequest) -> [String]? {
        r.query["properties"].map { $0.split(separator: ",").map(String.init) }
    }

    func list(_ r: WireRequest) -> WireResponse {
        let limit = min(max(Int(r.query["limit"] ?? "10") ?? 10, 1), 100)
        let after = Int(r.query["after"] ?? "0") ?? 0
        // Ids ascend: the synthetic customers 1…N, then the contacts clients created. A page is
        // read off that order without listing every id.
        let extra = created.keys.sorted()
        let total = customerCount + extra.count
        let start =
            after < customerCount ? max(0, after) : customerCount + (extra.firstIndex { $0 > after } ?? extra.count)
        let page = (start..<min(total, start + limit)).map { $0 < customerCount ? $0 + 1 : extra[$0 - customerCount] }
        var body: [String: Any] = ["results": page.map { object($0, requested: requestedProperties(r)) }]
        if start + limit < total, let last = page.last {
            body["paging"] = [
                "next": ["after": String(last), "link": "/crm/v3/objects/contacts?after=\(last)&limit=\(limit)"]
            ]
        }
        return .json(200, body)
    }

    /// Every contact id in ascending order (what search scans).
    func allIDs() -> [Int] { Array(1..<(customerCount + 1)) + created.keys.sorted() }

    func readOne(_ key: String, _ r: WireRequest) -> WireResponse {
        guard let id = contactID(key, idProperty: r.query["idProperty"]) else { return notFound() }
        return .json(200, object(id, requested: requestedProperties(r)))
    }

    func notFound() -> WireResponse {
        error(404, "resource not found", "OBJECT_NOT_FOUND")
    }

    func createOne(_ r: WireRequest) -> WireResponse {
        guard let body = r.jsonObject else { return invalidJSON(r) }
        let props = (body["properties"] as? [String: Any]) ?? [:]
        switch create(props) {
        case .success(let id): return .json(201, object(id, requested: Array(props.keys) + ["createdate", "lastmodifieddate"]))
        case .failure(let e): return e.response
        }
    }

    func create(_ props: [String: Any]) -> Result<Int, HubSpotFailure> {
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

    func updateOne(_ key: String, _ r: WireRequest) -> WireResponse {
        guard let body = r.jsonObject else { return invalidJSON(r) }
        guard let id = contactID(key, idProperty: r.query["idProperty"]) else { return notFound() }
        let props = (body["properties"] as? [String: Any]) ?? [:]
        if let problems = validate(props) { return problems.response }
        apply(props, to: id)
        return .json(200, object(id, requested: Array(props.keys)))
    }

    /// HubSpot refuses the whole request when a property does not exist, is read-only or has no such option.
    func validate(_ props: [String: Any]) -> HubSpotFailure? {
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

    func problem(_ name: String, _ code: String, _ message: String) -> [String: Any] {
        ["isValid": false, "message": message, "error": code, "name": name, "localizedErrorMessage": message]
    }

    func apply(_ props: [String: Any], to id: Int) {
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

    func batch(_ action: String, _ r: WireRequest) -> WireResponse {
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
}
