import Foundation
import MarTechModel

/// Segment's HTTP tracking API: `/v1/identify`, `/v1/track`, `/v1/batch` (and page, screen,
/// group, alias, accepted and counted). Basic auth with the write key; `messageId`
/// de-duplication; Segment's limits: 32 KB an event, 500 KB a batch (HTTP 400).
///
/// An identify's traits write into the CDP's copy: a trait named as a model field (or as the
/// CDP shows it, `serve.json`) sets that field for the customer its `userId` names.
final class SegmentSurface: SurfaceBase, VendorSurface {
    private var seen = Set<String>()
    private(set) var duplicates = 0
    private(set) var events = 0

    func unavailable() -> WireResponse { .json(503, ["code": "service_unavailable", "message": "Service Unavailable"]) }

    func respond(to r: WireRequest) -> WireResponse {
        let writeKey = r.credentials(scheme: "Basic") ?? (r.jsonObject?["writeKey"] as? String)
        guard writeKey != nil else {
            return .json(401, ["code": "unauthorized", "message": "Unauthorized: no write key (Basic auth or writeKey)"])
        }
        guard r.method == "POST" else { return .json(404, ["code": "not_found", "message": "Not Found"]) }
        let kinds = ["identify", "track", "page", "screen", "group", "alias"]
        let parts = r.path.split(separator: "/").map(String.init)
        guard parts.count == 2, parts[0] == "v1", parts[1] == "batch" || kinds.contains(parts[1]) else {
            return .json(404, ["code": "not_found", "message": "Not Found: \(r.path)"])
        }
        guard let body = r.jsonObject else {
            return .json(400, ["code": "invalid_request", "message": "Invalid JSON: the body must be a JSON object"])
        }
        if parts[1] == "batch" {
            guard r.body.count <= 500 * 1024 else {
                return .json(400, ["code": "invalid_request", "message": "Batch size exceeds 500KB"])
            }
            guard let batch = body["batch"] as? [[String: Any]] else {
                return .json(400, ["code": "invalid_request", "message": "batch must be an array of events"])
            }
            for event in batch {
                if let problem = tooLarge(event) { return problem }
            }
            for event in batch { take(event, type: event["type"] as? String ?? "") }
        } else {
            guard r.body.count <= 32 * 1024 else {
                return .json(400, ["code": "invalid_request", "message": "Event size exceeds 32KB"])
            }
            take(body, type: parts[1])
        }
        return SegmentSurface.success
    }

    /// Computed once: every accepted call gets the same answer.
    private static let success = WireResponse.json(200, ["success": true])

    private func tooLarge(_ event: [String: Any]) -> WireResponse? {
        let size = (try? JSONSerialization.data(withJSONObject: event))?.count ?? 0
        return size > 32 * 1024 ? .json(400, ["code": "invalid_request", "message": "Event size exceeds 32KB"]) : nil
    }

    private func take(_ event: [String: Any], type: String) {
        if let id = event["messageId"] as? String {
            guard seen.insert(id).inserted else {
                duplicates += 1
                return
            }
        }
        events += 1
        guard let user = event["userId"].map(stringValue), let c = customer(user) else { return }
        var traits = (event["traits"] as? [String: Any]) ?? [:]
        if type == "track", let context = event["context"] as? [String: Any], let t = context["traits"] as? [String: Any] {
            traits.merge(t) { a, _ in a }
        }
        for (key, value) in traits {
            let name = key.hasPrefix("traits.") ? String(key.dropFirst(7)) : key
            if let entry = spellings.entry(named: "traits." + name) ?? spellings.entry(named: name) {
                write(entry, c, spelled: stringValue(value))
            }
        }
    }
}
