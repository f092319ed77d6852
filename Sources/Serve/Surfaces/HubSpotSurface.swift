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
    var windows: [String: (burst: RateWindow, daily: RateWindow)] = [:]
    /// Properties clients set that are not model fields (a first name), per contact id.
    var ownProperties: [Int: [String: String]] = [:]
    var ownModified: [Int: SimInstant] = [:]
    /// Contacts clients created that are no synthetic customer: id → properties.
    var created: [Int: [String: String]] = [:]
    var nextCreatedID: Int
    var webhookTarget: String?
    var subscriptions: [(id: Int, property: String?, active: Bool)] = []
    var eventNext = 1

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
        let t = session.requestWall
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

    func limitHeaders(_ w: (burst: RateWindow, daily: RateWindow)) -> [(String, String)] {
        [
            ("X-HubSpot-RateLimit-Max", "190"), ("X-HubSpot-RateLimit-Remaining", String(w.burst.remaining)),
            ("X-HubSpot-RateLimit-Interval-Milliseconds", "10000"), ("X-HubSpot-RateLimit-Daily", "650000"),
            ("X-HubSpot-RateLimit-Daily-Remaining", String(w.daily.remaining)),
        ]
    }

    func route(_ r: WireRequest) -> WireResponse {
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
        if r.method == "GET" && parts == ["crm", "v3", "properties", "contacts"] { return propertyList() }
        if parts.count >= 3 && parts[0] == "webhooks" && parts[1] == "v3" {
            return webhooks(Array(parts.dropFirst(3)), r)
        }
        return error(404, "Unable to find a route for \(r.method) \(r.path).", "OBJECT_NOT_FOUND")
    }

    /// `GET /crm/v3/properties/contacts`: the properties a contact has here, with the options
    /// of each model field (what integration code checks before it writes).
    func propertyList() -> WireResponse {
        func property(_ name: String, _ type: String, options: [String] = []) -> [String: Any] {
            [
                "name": name, "label": name, "type": options.isEmpty ? type : "enumeration",
                "fieldType": options.isEmpty ? "text" : "select", "groupName": "contactinformation",
                "options": options.enumerated().map { ["label": $1, "value": $1, "displayOrder": $0, "hidden": false] },
                "createdAt": time.iso(.start), "updatedAt": time.iso(.start), "archived": false,
                "modificationMetadata": [
                    "archivable": true, "readOnlyDefinition": true,
                    "readOnlyValue": HubSpotSurface.readOnly.contains(name),
                ],
            ]
        }
        var results = HubSpotSurface.standard.sorted().map {
            property($0, $0 == "createdate" || $0 == "lastmodifieddate" ? "datetime" : "string")
        }
        results += spellings.entries.map { property($0.name, "string", options: $0.values) }
        return .json(200, ["results": results])
    }

    // MARK: errors

    func invalidJSON(_ r: WireRequest) -> WireResponse {
        if let type = r.header("content-type"), !type.lowercased().contains("json") {
            return error(415, "Unsupported Media Type: \(type); this endpoint accepts application/json", "VALIDATION_ERROR")
        }
        return error(400, "Invalid input JSON on line 1, column 1: the body is not a JSON object", "VALIDATION_ERROR")
    }

    func correlationID() -> String {
        let n = session.requests.total
        return "00000000-0000-4000-8000-" + String(String(n, radix: 16).suffix(12)).leftPadded12()
    }

    func error(_ status: Int, _ message: String, _ category: String) -> WireResponse {
        .json(status, ["status": "error", "message": message, "correlationId": correlationID(), "category": category])
    }
}

/// A failure that ends a HubSpot request with its response.
struct HubSpotFailure: Error {
    let response: WireResponse
}

