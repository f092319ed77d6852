import Foundation
import MarTechModel
import SimKernel

/// The Trade Desk's first-party data upload (`POST /data/advertiser`, as on
/// use-data.adsrvr.org): `{AdvertiserId, Items: [{TDID|DAID|UID2: id, Data: [{Name, TTLInMinutes}]}]}`,
/// answered `{FailedLines: [...]}`. A segment named as the DSP shows a model field (the
/// suppression segment for conversions; `serve.json`) takes effect only after the DSP's
/// apply delay (the platform's `apply_delay`, drawn per upload from the session's seed); a
/// TTL of 0 removes the customer from it.
final class TradeDeskSurface: SurfaceBase, VendorSurface {
    private var pending: [(due: SimInstant, customer: Int, field: FieldID, value: UInt8)] = []

    func unavailable() -> WireResponse { .json(503, ["Message": "Service Unavailable (the scenario's outage window)"]) }

    func respond(to r: WireRequest) -> WireResponse {
        guard r.header("ttdsignature") != nil || r.header("ttd-auth") != nil else {
            return .json(401, ["Message": "Missing TtdSignature header (the HMAC of the body with the advertiser's secret key)"])
        }
        guard r.method == "POST", r.path == "/data/advertiser" else {
            return .json(404, ["Message": "No route for \(r.method) \(r.path)"])
        }
        guard r.body.count <= 2_000_000 else { return .json(413, ["Message": "Request exceeds 2 MB"]) }
        guard let body = r.jsonObject else { return .json(400, ["Message": "Request body is not valid JSON"]) }
        guard body["AdvertiserId"] is String else { return .json(400, ["Message": "AdvertiserId is required"]) }
        guard let items = body["Items"] as? [[String: Any]] else { return .json(400, ["Message": "Items is required"]) }
        var failed: [[String: Any]] = []
        let delay = plan.platforms[platform].applyDelay
        for (line, item) in items.enumerated() {
            let key = ["TDID", "DAID", "UID2", "EUID", "ID5"].lazy.compactMap { item[$0] as? String }.first
            guard let key, let c = customer(key) else {
                failed.append(["ErrorCode": "InvalidId", "Message": "No known id in item", "LineNumber": line])
                continue
            }
            for data in (item["Data"] as? [[String: Any]]) ?? [] {
                guard let name = data["Name"] as? String, let entry = spellings.entry(named: name) else {
                    failed.append(["ErrorCode": "InvalidSegment", "Message": "Unknown segment name", "LineNumber": line])
                    continue
                }
                let ttl = (data["TTLInMinutes"] as? Int) ?? 43_200
                let value: UInt8 = ttl == 0 ? 0 : UInt8(min(1, entry.values.count - 1))
                let wait = delay?.sample(&session.random) ?? .zero
                pending.append((now.advanced(by: wait), c, entry.field, value))
            }
        }
        return .json(200, ["FailedLines": failed])
    }

    /// Uploaded lists take effect once their apply delay has passed.
    func clockAdvanced() {
        guard !pending.isEmpty else { return }
        var keep: [(due: SimInstant, customer: Int, field: FieldID, value: UInt8)] = []
        for p in pending {
            if p.due <= now {
                _ = session.stack.write(platform: platform, customer: p.customer, field: p.field, value: p.value)
            } else {
                keep.append(p)
            }
        }
        pending = keep
    }
}
