import Foundation
import MarTechModel

/// Klaviyo's JSON:API (revision 2024+): profiles (create, get, list, update), events, and
/// subscription bulk jobs (`profile-subscription-bulk-create-jobs`, `…-delete-jobs`).
/// `Authorization: Klaviyo-API-Key …`; errors as JSON:API `errors[]`; the L tier's fixed
/// windows (burst 75 a second, steady 700 a minute) with `RateLimit-*` headers and 429s.
///
/// A synthetic customer is the profile with `external_id` = its `customer_id`; model fields
/// appear where Klaviyo shows them (`properties.booked`, `subscriptions.email.marketing.consent`).
final class KlaviyoSurface: SurfaceBase, VendorSurface {
    /// The L tier's windows, per API key (private keys each get the account's quota here).
    private var windows: [String: (burst: RateWindow, steady: RateWindow)] = [:]
    private var created: [String: [String: Any]] = [:]
    private var jobNext = 0

    func unavailable() -> WireResponse { error(503, "service_unavailable", "Service Unavailable.", "the scenario's outage window") }

    func respond(to r: WireRequest) -> WireResponse {
        guard let key = r.header("authorization"), key.hasPrefix("Klaviyo-API-Key "), key.count > 16 else {
            return error(
                401, "not_authenticated", "Authentication credentials were not provided.",
                "Missing or invalid authorization scheme. Please use Klaviyo-API-Key.")
        }
        let t = session.requestWall
        var w = windows[key] ?? (RateWindow(limit: 75, windowSeconds: 1), RateWindow(limit: 700, windowSeconds: 60))
        defer { windows[key] = w }
        guard w.burst.admit(at: t), w.steady.admit(at: t) else {
            var response = error(429, "throttled", "Request was throttled.", "Request was throttled. Expected available in 1 second.")
            response.headers += [("Retry-After", "1"), ("RateLimit-Limit", "75"), ("RateLimit-Remaining", "0")]
            return response
        }
        var response = route(r)
        response.headers += [("RateLimit-Limit", "75"), ("RateLimit-Remaining", String(w.burst.remaining))]
        return response
    }

    private func route(_ r: WireRequest) -> WireResponse {
        let parts = r.path.split(separator: "/").map(String.init)
        guard parts.first == "api", parts.count >= 2 else { return notFound(r) }
        if r.method != "GET" && r.method != "DELETE" {
            if let type = r.header("content-type"), !type.lowercased().contains("json") {
                return error(415, "unsupported_media_type", "Unsupported media type.", "Use application/vnd.api+json or application/json, not \(type).")
            }
        }
        switch (r.method, parts.count, parts[1]) {
        case ("POST", 2, "profiles"): return createProfile(r)
        case ("POST", 2, "profile-import"): return importProfile(r)
        case ("GET", 2, "profiles"): return listProfiles(r)
        case ("GET", 3, "profiles"): return profile(parts[2]).map { .json(200, ["data": $0, "links": ["self": "/api/profiles/\(parts[2])/"]]) } ?? notFound(r)
        case ("PATCH", 3, "profiles"): return updateProfile(parts[2], r)
        case ("POST", 2, "events"): return event(r)
        case ("POST", 2, "profile-subscription-bulk-create-jobs"): return subscriptions(r, subscribe: true)
        case ("POST", 2, "profile-subscription-bulk-delete-jobs"): return subscriptions(r, subscribe: false)
        default: return notFound(r)
        }
    }

    private func id(of c: Int) -> String {
        let n = String(c)
        return "01REHEARSAL" + String(repeating: "0", count: 15 - n.count) + n
    }

    private func customer(fromID id: String) -> Int? {
        guard id.hasPrefix("01REHEARSAL"), let n = Int(id.dropFirst(11)), n < customerCount else { return nil }
        return n
    }

    private func profile(_ id: String) -> [String: Any]? {
        if let own = created[id] { return own }
        guard let c = customer(fromID: id) else { return nil }
        var properties: [String: Any] = [:]
        var subscriptions: [String: Any] = [:]
        for entry in spellings.entries {
            guard let value = spelled(entry, c) else { continue }
            if entry.name.hasPrefix("properties.") {
                properties[String(entry.name.dropFirst(11))] = value
            } else if entry.name.hasPrefix("subscriptions.") {
                let channel = entry.name.split(separator: ".")[1]
                let subscribed = value == "SUBSCRIBED"
                let flag = channel == "sms" ? "can_receive_sms_marketing" : "can_receive_email_marketing"
                subscriptions[String(channel)] = ["marketing": [flag: subscribed, "consent": value, "method_detail": ""]]
            } else {
                properties[entry.name] = value
            }
        }
        return [
            "type": "profile", "id": id,
            "attributes": [
                "email": CustomerIdentity.email(c), "phone_number": CustomerIdentity.phone(c),
                "external_id": CustomerIdentity.customerID(c), "first_name": "Customer", "last_name": String(c),
                "created": time.iso(.start), "updated": time.iso(session.stack.lastModified(platform: platform, customer: c)),
                "properties": properties, "subscriptions": subscriptions,
            ] as [String: Any],
            "links": ["self": "/api/profiles/\(id)/"],
        ]
    }

    private func attributes(_ r: WireRequest) -> [String: Any]? {
        (r.jsonObject?["data"] as? [String: Any])?["attributes"] as? [String: Any]
    }

    private func createProfile(_ r: WireRequest) -> WireResponse {
        guard let attributes = attributes(r) else { return invalid("/data/attributes", "A profile needs data.attributes.") }
        let keys = ["email", "phone_number", "external_id"].compactMap { attributes[$0] as? String }
        guard !keys.isEmpty else {
            return invalid("/data/attributes", "One of email, phone_number or external_id is required.")
        }
        if let c = keys.lazy.compactMap({ self.customer($0) }).first {
            return .json(
                409,
                [
                    "errors": [
                        [
                            "id": "conflict", "status": 409, "code": "duplicate_profile", "title": "Conflict.",
                            "detail": "A profile already exists with one of these identifiers.",
                            "source": ["pointer": "/data/attributes"], "meta": ["duplicate_profile_id": id(of: c)],
                        ] as [String: Any]
                    ]
                ])
        }
        jobNext += 1
        let newID = "01CREATED" + String(jobNext)
        let data: [String: Any] = ["type": "profile", "id": newID, "attributes": attributes, "links": ["self": "/api/profiles/\(newID)/"]]
        created[newID] = data
        return .json(201, ["data": data])
    }

    /// `POST /api/profile-import/`: create or update by email, phone or external id (200 when it
    /// updated a profile, 201 when it created one).
    private func importProfile(_ r: WireRequest) -> WireResponse {
        guard let attributes = attributes(r) else { return invalid("/data/attributes", "A profile needs data.attributes.") }
        let keys = ["email", "phone_number", "external_id"].compactMap { attributes[$0] as? String }
        guard let c = keys.lazy.compactMap({ self.customer($0) }).first else { return createProfile(r) }
        for (key, value) in (attributes["properties"] as? [String: Any]) ?? [:] {
            if let entry = spellings.entry(named: "properties." + key) ?? spellings.entry(named: key) {
                write(entry, c, spelled: stringValue(value))
            }
        }
        return .json(200, ["data": profile(id(of: c)) ?? [:]])
    }

    private func listProfiles(_ r: WireRequest) -> WireResponse {
        let size = min(max(Int(r.query["page[size]"] ?? "20") ?? 20, 1), 100)
        let cursor = min(max(Int(r.query["page[cursor]"] ?? "0") ?? 0, 0), customerCount)
        var ids = (cursor..<min(customerCount, cursor + size)).map { id(of: $0) }
        if let filter = r.query["filter"], let value = filter.split(separator: "\"").dropFirst().first {
            ids = customer(String(value)).map { [id(of: $0)] } ?? []
        }
        var links: [String: Any] = ["self": "/api/profiles/"]
        if cursor + size < customerCount && r.query["filter"] == nil {
            links["next"] = "/api/profiles/?page[cursor]=\(cursor + size)&page[size]=\(size)"
        }
        return .json(200, ["data": ids.compactMap(profile), "links": links])
    }

    private func updateProfile(_ id: String, _ r: WireRequest) -> WireResponse {
        guard let c = customer(fromID: id) else { return notFound(r) }
        guard let attributes = attributes(r) else { return invalid("/data/attributes", "A profile needs data.attributes.") }
        for (key, value) in (attributes["properties"] as? [String: Any]) ?? [:] {
            if let entry = spellings.entry(named: "properties." + key) ?? spellings.entry(named: key) {
                write(entry, c, spelled: stringValue(value))
            }
        }
        return .json(200, ["data": profile(id) ?? [:]])
    }

    private func event(_ r: WireRequest) -> WireResponse {
        guard let attributes = attributes(r) else { return invalid("/data/attributes", "An event needs data.attributes.") }
        guard attributes["metric"] != nil, attributes["profile"] != nil else {
            return invalid("/data/attributes", "An event needs a metric and a profile.")
        }
        return WireResponse(status: 202)
    }

    private func subscriptions(_ r: WireRequest, subscribe: Bool) -> WireResponse {
        guard let attributes = attributes(r) else { return invalid("/data/attributes", "A job needs data.attributes.") }
        let profiles = ((attributes["profiles"] as? [String: Any])?["data"] as? [[String: Any]]) ?? []
        for p in profiles {
            let a = (p["attributes"] as? [String: Any]) ?? [:]
            let key = (a["email"] as? String) ?? (a["phone_number"] as? String) ?? (p["id"] as? String) ?? ""
            guard let c = customer(key) ?? customer(fromID: key) else { continue }
            let subs = a["subscriptions"] as? [String: Any]
            for channel in ["email", "sms"] where subs == nil || subs?[channel] != nil {
                if let entry = spellings.entry(named: "subscriptions.\(channel).marketing.consent") {
                    write(entry, c, spelled: subscribe ? "SUBSCRIBED" : "UNSUBSCRIBED")
                }
            }
        }
        return WireResponse(status: 202)
    }

    private func notFound(_ r: WireRequest) -> WireResponse {
        error(404, "not_found", "Not found.", "\(r.method) \(r.path) was not found.")
    }

    private func invalid(_ pointer: String, _ detail: String) -> WireResponse {
        error(400, "invalid", "Invalid input.", detail, pointer: pointer)
    }

    private func error(_ status: Int, _ code: String, _ title: String, _ detail: String, pointer: String = "/data/")
        -> WireResponse
    {
        .json(
            status,
            [
                "errors": [
                    [
                        "id": "rehearsal-\(session.requests.total)", "status": status, "code": code, "title": title,
                        "detail": detail, "source": ["pointer": pointer],
                    ] as [String: Any]
                ]
            ])
    }
}
