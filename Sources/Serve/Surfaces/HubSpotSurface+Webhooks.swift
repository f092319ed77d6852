import Foundation
import MarTechModel
import SimKernel
import StackSimulation

/// HubSpot webhooks v3: a target URL and subscriptions; property changes posted as HubSpot posts them.
extension HubSpotSurface {
    // MARK: webhooks

    func webhooks(_ rest: [String], _ r: WireRequest) -> WireResponse {
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
            let body = [UInt8]((try? JSONSerialization.data(withJSONObject: [event], options: [.sortedKeys])) ?? Data())
            // Signed when sent (WebhookSender): HubSpot's timestamp header is the wall clock, which
            // handlers check for freshness; the payload's `occurredAt` is virtual time.
            var hook = OutboundWebhook(
                url: target, contentType: "application/json", body: body, headers: [], maxAttempts: 10)
            hook.hubSpotClientSecret = session.options.hubSpotClientSecret
            session.outbox.append(hook)
        }
    }
}
