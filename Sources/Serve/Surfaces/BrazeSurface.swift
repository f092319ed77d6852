import Foundation
import MarTechModel
import StackSimulation

/// Braze REST: `/users/track` (attributes, events, purchases; at most 75 of each a request),
/// `/messages/send` and `/campaigns/trigger/send` (each recipient a push or email touchpoint),
/// `/users/export/ids`. Bearer auth; Braze's `{message, errors}` bodies; `/users/track` is
/// limited to 3,000 requests per 3 s with `X-RateLimit-*` headers.
///
/// Users are `external_id`s: a synthetic customer's `customer_id`. An attribute named as Braze
/// shows a model field (`booked`, `push_subscribe`; `serve.json`) writes Braze's copy.
final class BrazeSurface: SurfaceBase, VendorSurface {
    /// `/users/track`'s window, per REST key (one key per workspace here).
    private var trackWindows: [String: RateWindow] = [:]
    private var dispatchNext = 0

    func unavailable() -> WireResponse { .json(503, ["message": "Service Unavailable (the scenario's outage window)"]) }

    func respond(to r: WireRequest) -> WireResponse {
        guard let key = r.credentials(scheme: "Bearer") else {
            return .json(401, ["message": "Invalid API key: missing Authorization: Bearer header"])
        }
        guard r.method == "POST" else { return .json(404, ["message": "Not Found: \(r.method) \(r.path)"]) }
        if r.path != "/users/track" && r.path != "/messages/send" && r.path != "/campaigns/trigger/send"
            && r.path != "/canvas/trigger/send"
            && r.path != "/users/export/ids"
        {
            return .json(404, ["message": "Not Found: \(r.path)"])
        }
        if let type = r.header("content-type"), !type.lowercased().contains("json") {
            return .json(400, ["message": "Content-Type must be application/json, not \(type)"])
        }
        guard let body = r.jsonObject else { return .json(400, ["message": "Invalid JSON: the body must be a JSON object"]) }
        switch r.path {
        case "/users/track":
            let t = session.requestWall
            var track = trackWindows[key] ?? RateWindow(limit: 3_000, windowSeconds: 3)
            let admitted = track.admit(at: t)
            trackWindows[key] = track
            let headers = [
                ("X-RateLimit-Limit", "3000"), ("X-RateLimit-Remaining", String(track.remaining)),
                ("X-RateLimit-Reset", String(Int((t + track.resetIn(at: t)).rounded(.up)))),
            ]
            guard admitted else {
                return .json(
                    429, ["message": "Rate limit exceeded: 3,000 /users/track requests per 3 seconds"],
                    headers: headers + [("Retry-After", String(Int(track.resetIn(at: t).rounded(.up))))])
            }
            var response = usersTrack(body)
            response.headers += headers
            return response
        case "/messages/send": return messagesSend(body)
        case "/campaigns/trigger/send", "/canvas/trigger/send": return campaignSend(body)
        default: return export(body)
        }
    }

    private func usersTrack(_ body: [String: Any]) -> WireResponse {
        var counts: [String: Int] = [:]
        var errors: [[String: Any]] = []
        for key in ["attributes", "events", "purchases"] {
            let list = (body[key] as? [[String: Any]]) ?? []
            guard list.count <= 75 else {
                return .json(400, ["message": "Too many \(key): at most 75 \(key) objects per request (got \(list.count))"])
            }
            for (i, item) in list.enumerated() {
                guard let id = item["external_id"].map(stringValue) ?? item["user_alias"].map({ _ in "" }), !id.isEmpty
                else {
                    errors.append(["type": "'external_id', 'braze_id', 'user_alias' or 'email' is required", "input_array": key, "index": i])
                    continue
                }
                counts[key, default: 0] += 1
                guard key == "attributes", let c = customer(id) else { continue }
                for (name, value) in item where name != "external_id" {
                    if let entry = entryFor(name) { write(entry, c, spelled: stringValue(value)) }
                }
            }
        }
        var answer: [String: Any] = ["message": "success"]
        for (k, n) in counts { answer["\(k)_processed"] = n }
        if !errors.isEmpty { answer["errors"] = errors }
        return .json(201, answer)
    }

    /// The model field Braze shows under `name` (`booked` for `custom_attributes.booked`).
    private func entryFor(_ name: String) -> FieldSpellings.Entry? {
        spellings.entries.first { e in
            e.name == name || e.name == "custom_attributes." + name || e.model == name
        }
    }

    private func messagesSend(_ body: [String: Any]) -> WireResponse {
        let ids = ((body["external_user_ids"] as? [Any]) ?? []).map(stringValue)
        guard !ids.isEmpty || body["segment_id"] != nil || body["broadcast"] as? Bool == true else {
            return .json(400, ["message": "Either external_user_ids, user_aliases, segment_id or broadcast is required"])
        }
        guard let messages = body["messages"] as? [String: Any], !messages.isEmpty else {
            return .json(400, ["message": "messages is required: at least one of apple_push, android_push, email"])
        }
        var channels: [Channel] = []
        if messages["apple_push"] != nil || messages["android_push"] != nil { channels.append(.push) }
        if messages["email"] != nil { channels.append(.email) }
        dispatchNext += 1
        for id in ids { if let c = customer(id) { for ch in channels { _ = send(ch, to: c, vendorID: dispatchID) } } }
        return dispatched()
    }

    private func campaignSend(_ body: [String: Any]) -> WireResponse {
        guard body["campaign_id"] is String || body["canvas_id"] is String else {
            return .json(400, ["message": "campaign_id (or canvas_id) is required"])
        }
        let recipients = (body["recipients"] as? [[String: Any]]) ?? []
        let channel: Channel = clientSteps[.push] != nil ? .push : .email
        dispatchNext += 1
        for r in recipients {
            if let id = r["external_user_id"].map(stringValue), let c = customer(id) {
                _ = send(channel, to: c, vendorID: dispatchID)
            }
        }
        return dispatched()
    }

    private var dispatchID: String { "dispatch-\(dispatchNext)" }

    private func dispatched() -> WireResponse { .json(201, ["dispatch_id": dispatchID, "message": "success"]) }

    private func export(_ body: [String: Any]) -> WireResponse {
        let ids = ((body["external_ids"] as? [Any]) ?? []).map(stringValue)
        guard ids.count <= 50 else { return .json(400, ["message": "at most 50 external_ids per request"]) }
        var users: [[String: Any]] = []
        var invalid: [String] = []
        for id in ids {
            guard let c = customer(id) else {
                invalid.append(id)
                continue
            }
            var user: [String: Any] = [
                "external_id": CustomerIdentity.customerID(c), "email": CustomerIdentity.email(c),
                "phone": CustomerIdentity.phone(c),
            ]
            var custom: [String: Any] = [:]
            for entry in spellings.entries {
                guard let value = spelled(entry, c) else { continue }
                if entry.name.hasPrefix("custom_attributes.") {
                    custom[String(entry.name.dropFirst(18))] = value
                } else {
                    user[entry.name] = value
                }
            }
            user["custom_attributes"] = custom
            users.append(user)
        }
        var answer: [String: Any] = ["users": users, "message": "success"]
        if !invalid.isEmpty { answer["invalid_user_ids"] = invalid }
        return .json(201, answer)
    }
}
