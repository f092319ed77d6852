import Foundation
import MarTechModel
import SimKernel
import StackSimulation

/// Twilio Programmable Messaging (API 2010-04-01): Messages create, fetch and list; status
/// callbacks; IncomingPhoneNumbers with an `SmsUrl`, where a customer's STOP (or START) is
/// posted the Twilio way. Form-encoded requests, Basic auth, Twilio's error bodies
/// (`{code, message, more_info, status}`): 21211 invalid `To`, 21610 unsubscribed recipient.
///
/// A message to a synthetic customer's phone is a touchpoint of the platform's client-sent SMS
/// step: the sender's throughput and quiet hours decide when it is delivered, and the oracle
/// judges it then. Its status is `queued` until delivered, then `delivered`.
final class TwilioSurface: SurfaceBase, VendorSurface {
    struct Message {
        let sid: String
        let account: String
        let to: String
        let from: String
        let body: String
        let created: SimInstant
        var delivered: SimInstant?
        let touchpoint: Int64?
        let statusCallback: String?
        let messagingService: String?
        /// The auth token the message was created with: it signs the status callback.
        let authToken: String
        /// Twilio's error code when the message failed (30001: queue overflow).
        var failure: Int? = nil
    }

    /// Twilio fails a message that would wait more than 10 hours behind the sender's throughput.
    static let queueLimit = SimDuration.hours(10)
    struct Number {
        let sid: String
        let account: String
        let phone: String
        var smsURL: String?
        var smsMethod: String
        /// The auth token the number was registered with: it signs inbound messages.
        var authToken: String
    }
    private var messages: [Message] = []
    private var bySid: [String: Int] = [:]
    private var byTouchpoint: [Int64: Int] = [:]
    private var numbers: [Number] = []
    private var inboundNext = 0

    /// The first `SmsUrl` registered on an incoming number (where inbound replies are posted).
    var messagingURL: String? { numbers.lazy.compactMap(\.smsURL).first }

    func unavailable() -> WireResponse { error(503, 20503, "Service unavailable (the scenario's outage window)") }

    func throttled() -> WireResponse {
        var r = error(429, 20429, "Too Many Requests")
        r.headers.append(("Retry-After", "1"))
        return r
    }

    func respond(to r: WireRequest) -> WireResponse {
        guard r.credentials(scheme: "Basic") != nil else { return error(401, 20003, "Authenticate") }
        let parts = r.path.split(separator: "/").map(String.init)
        guard parts.count >= 4, parts[0] == "2010-04-01", parts[1] == "Accounts" else { return notFound(r) }
        let account = parts[2]
        let resource = Array(parts.dropFirst(3))
        switch (r.method, resource.count, resource.first) {
        case ("POST", 1, "Messages.json"): return create(account, r)
        case ("GET", 1, "Messages.json"): return list(account, r)
        case ("GET", 2, "Messages"): return fetch(resource[1], r)
        case ("POST", 2, "Messages"): return redact(resource[1], r)
        case ("DELETE", 2, "Messages"):
            return bySid[String(resource[1].dropLast(5))] != nil ? WireResponse(status: 204) : notFound(r)
        case ("POST", 1, "IncomingPhoneNumbers.json"): return createNumber(account, r)
        case ("GET", 1, "IncomingPhoneNumbers.json"):
            return .json(200, page(numbers.map(numberJSON), key: "incoming_phone_numbers", r, account: account, resource: "IncomingPhoneNumbers.json"))
        case ("POST", 2, "IncomingPhoneNumbers"): return updateNumber(resource[1], r)
        case ("GET", 2, "IncomingPhoneNumbers"):
            guard let n = numbers.first(where: { $0.sid + ".json" == resource[1] }) else { return notFound(r) }
            return .json(200, numberJSON(n))
        default: return notFound(r)
        }
    }

    // MARK: messages

    private func create(_ account: String, _ r: WireRequest) -> WireResponse {
        if let type = r.header("content-type"), !type.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            return error(400, 20001, "Content-Type must be application/x-www-form-urlencoded, not \(type)")
        }
        let form = r.formFields
        guard let to = form["To"], !to.isEmpty else { return error(400, 21604, "A 'To' phone number is required.") }
        let from = form["From"] ?? ""
        let service = form["MessagingServiceSid"]
        guard !from.isEmpty || service != nil else {
            return error(400, 21603, "A 'From' phone number is required.")
        }
        let body = form["Body"] ?? ""
        guard !body.isEmpty || form["MediaUrl"] != nil else { return error(400, 21602, "Message body is required.") }
        guard body.count <= 1600 else {
            return error(400, 21617, "The concatenated message body exceeds the 1600 character limit.")
        }
        guard CustomerIdentity.isE164(to) else {
            return error(400, 21211, "Invalid 'To' Phone Number: \(to)")
        }
        var touchpoint: Int64?
        var delivered: SimInstant? = now
        let sid = "SM" + hex32(messages.count + 1)
        if session.stack.senderBacklog(platform: platform) > TwilioSurface.queueLimit {
            // Twilio accepts the request, then fails the message: more than 10 hours already queued.
            messages.append(
                Message(
                    sid: sid, account: account, to: to, from: from.isEmpty ? "+15005550006" : from, body: body,
                    created: now, delivered: nil, touchpoint: nil, statusCallback: form["StatusCallback"],
                    messagingService: service, authToken: authToken(r), failure: 30001))
            bySid[sid] = messages.count - 1
            session.logRefusal(platform: platform, vendorID: sid, to: to, channel: .sms, outcome: "failed: queue overflow (30001)")
            return .json(201, messageJSON(messages[messages.count - 1]))
        }
        if let c = customer(to) {
            switch send(.sms, to: c, vendorID: sid) {
            case .accepted(let t)?:
                touchpoint = t
                delivered = nil
            case .refused(.optedOut)?:
                return error(400, 21610, "Attempt to send to unsubscribed recipient")
            case .refused(.unavailable)?:
                return unavailable()
            case .refused?:
                return error(400, 30022, "US A2P 10DLC - Rate limits exceeded (the platform's frequency cap held this message back)")
            case nil:
                break
            }
        } else {
            session.logStranger(platform: platform, vendorID: sid, channel: .sms)
        }
        messages.append(
            Message(
                sid: sid, account: account, to: to, from: from.isEmpty ? "+15005550006" : from, body: body,
                created: now, delivered: delivered, touchpoint: touchpoint, statusCallback: form["StatusCallback"],
                messagingService: service, authToken: authToken(r)))
        bySid[sid] = messages.count - 1
        if let t = touchpoint { byTouchpoint[t] = messages.count - 1 }
        return .json(201, messageJSON(messages[messages.count - 1]))
    }

    private func fetch(_ file: String, _ r: WireRequest) -> WireResponse {
        guard file.hasSuffix(".json"), let i = bySid[String(file.dropLast(5))] else { return notFound(r) }
        return .json(200, messageJSON(messages[i]))
    }

    /// `POST Messages/{sid}.json` with `Body=""`: Twilio's redaction (the body is emptied).
    private func redact(_ file: String, _ r: WireRequest) -> WireResponse {
        guard file.hasSuffix(".json"), let i = bySid[String(file.dropLast(5))] else { return notFound(r) }
        guard r.formFields["Body"] == "" else {
            return error(400, 20001, "Only Body=\"\" (redaction) or Status=canceled can be updated")
        }
        let m = messages[i]
        messages[i] = Message(
            sid: m.sid, account: m.account, to: m.to, from: m.from, body: "", created: m.created, delivered: m.delivered,
            touchpoint: m.touchpoint, statusCallback: m.statusCallback, messagingService: m.messagingService,
            authToken: m.authToken, failure: m.failure)
        return .json(200, messageJSON(messages[i]))
    }

    private func list(_ account: String, _ r: WireRequest) -> WireResponse {
        var found = messages.reversed().filter { $0.account == account }
        if let to = r.query["To"] { found = found.filter { $0.to == to } }
        if let from = r.query["From"] { found = found.filter { $0.from == from } }
        return .json(200, page(found.map(messageJSON), key: "messages", r, account: account, resource: "Messages.json"))
    }

    /// Twilio's page envelope: `page`, `page_size`, `first_page_uri`, `next_page_uri` (relative to the API's base).
    private func page(_ items: [[String: Any]], key: String, _ r: WireRequest, account: String, resource: String)
        -> [String: Any]
    {
        let size = min(max(Int(r.query["PageSize"] ?? "50") ?? 50, 1), 1000)
        let number = min(max(Int(r.query["Page"] ?? "0") ?? 0, 0), 1_000_000)
        let start = min(items.count, number * size)
        let slice = Array(items[start..<min(items.count, start + size)])
        let base = "/2010-04-01/Accounts/\(account)/\(resource)"
        let next: Any = start + size < items.count ? "\(base)?PageSize=\(size)&Page=\(number + 1)" : NSNull()
        return [
            key: slice, "page": number, "page_size": size, "start": start, "end": start + max(slice.count - 1, 0),
            "first_page_uri": "\(base)?PageSize=\(size)&Page=0", "next_page_uri": next,
            "previous_page_uri": number > 0 ? "\(base)?PageSize=\(size)&Page=\(number - 1)" : NSNull(),
            "uri": "\(base)?PageSize=\(size)&Page=\(number)",
        ]
    }

    private func messageJSON(_ m: Message) -> [String: Any] {
        let status = m.failure != nil ? "failed" : m.delivered != nil ? "delivered" : "queued"
        return [
            "sid": m.sid, "account_sid": m.account, "to": m.to, "from": m.from, "body": m.body, "status": status,
            "direction": "outbound-api", "num_segments": String(max(1, (m.body.count + 152) / 153)), "num_media": "0",
            "date_created": time.rfc2822(m.created), "date_updated": time.rfc2822(m.delivered ?? m.created),
            "date_sent": m.delivered.map { time.rfc2822($0) as Any } ?? NSNull(), "api_version": "2010-04-01",
            "price": NSNull(), "price_unit": "USD", "error_code": m.failure.map { $0 as Any } ?? NSNull(),
            "error_message": m.failure.map { _ in "Queue overflow" as Any } ?? NSNull(),
            "messaging_service_sid": m.messagingService.map { $0 as Any } ?? NSNull(),
            "uri": "/2010-04-01/Accounts/\(m.account)/Messages/\(m.sid).json",
            "subresource_uris": ["media": "/2010-04-01/Accounts/\(m.account)/Messages/\(m.sid)/Media.json"],
        ]
    }

    func delivered(touchpoint: Int64, at: SimInstant) {
        guard let i = byTouchpoint[touchpoint] else { return }
        messages[i].delivered = at
        guard let url = messages[i].statusCallback else { return }
        let m = messages[i]
        let form = [
            ("MessageSid", m.sid), ("SmsSid", m.sid), ("AccountSid", m.account), ("From", m.from), ("To", m.to),
            ("MessageStatus", "delivered"), ("SmsStatus", "delivered"), ("ApiVersion", "2010-04-01"),
        ]
        session.outbox.append(formWebhook(url, form, authToken: m.authToken))
    }

    // MARK: incoming numbers and inbound messages

    private func createNumber(_ account: String, _ r: WireRequest) -> WireResponse {
        let form = r.formFields
        guard let phone = form["PhoneNumber"] ?? form["AreaCode"].map({ "+1\($0)5550100" }) else {
            return error(400, 21421, "PhoneNumber or AreaCode is required.")
        }
        guard CustomerIdentity.isE164(phone) else { return error(400, 21421, "PhoneNumber is invalid.") }
        let number = Number(
            sid: "PN" + hex32(numbers.count + 1), account: account, phone: phone, smsURL: form["SmsUrl"],
            smsMethod: form["SmsMethod"] ?? "POST", authToken: authToken(r))
        numbers.append(number)
        return .json(201, numberJSON(number))
    }

    private func updateNumber(_ file: String, _ r: WireRequest) -> WireResponse {
        guard let i = numbers.firstIndex(where: { $0.sid + ".json" == file }) else { return notFound(r) }
        let form = r.formFields
        if let url = form["SmsUrl"] { numbers[i].smsURL = url }
        numbers[i].authToken = authToken(r)
        if let method = form["SmsMethod"] { numbers[i].smsMethod = method }
        return .json(200, numberJSON(numbers[i]))
    }

    private func numberJSON(_ n: Number) -> [String: Any] {
        [
            "sid": n.sid, "account_sid": n.account, "phone_number": n.phone, "friendly_name": n.phone,
            "sms_url": n.smsURL.map { $0 as Any } ?? NSNull(), "sms_method": n.smsMethod,
            "capabilities": ["sms": true, "mms": false, "voice": false], "api_version": "2010-04-01",
            "date_created": time.rfc2822(.start), "date_updated": time.rfc2822(now),
            "uri": "/2010-04-01/Accounts/\(n.account)/IncomingPhoneNumbers/\(n.sid).json",
        ]
    }

    /// The customer's opt-out (or opt-in) reached Twilio: it posts the inbound STOP (START) to
    /// every number's `SmsUrl`, as an incoming message would.
    func viewChanged(_ change: ViewChange) {
        guard plan.fields[change.field].name == "consent.sms" else { return }
        for n in numbers {
            guard let url = n.smsURL else { continue }
            inboundNext += 1
            let sid = "SM" + hex32(1_000_000_000 + inboundNext)
            let word = change.value == 0 ? "STOP" : "START"
            session.outbox.append(
                formWebhook(
                    url,
                    [
                        ("MessageSid", sid), ("SmsSid", sid), ("SmsMessageSid", sid), ("AccountSid", n.account),
                        ("From", CustomerIdentity.phone(change.customer)), ("To", n.phone), ("Body", word),
                        ("NumMedia", "0"), ("NumSegments", "1"), ("OptOutType", word), ("ApiVersion", "2010-04-01"),
                    ], authToken: n.authToken))
        }
    }

    /// A form POST as Twilio sends it, signed with `X-Twilio-Signature` (the account's auth token).
    private func formWebhook(_ url: String, _ fields: [(String, String)], authToken: String) -> OutboundWebhook {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = fields.map { k, v in
            "\(k)=\(v.addingPercentEncoding(withAllowedCharacters: allowed) ?? v)"
        }.joined(separator: "&")
        let signature = WebhookSignatures.twilio(authToken: authToken, url: url, params: fields)
        return OutboundWebhook(
            url: url, contentType: "application/x-www-form-urlencoded", body: Array(body.utf8),
            headers: [("X-Twilio-Signature", signature)], maxAttempts: 1)
    }

    /// The password of the request's Basic credentials: the account's auth token.
    private func authToken(_ r: WireRequest) -> String {
        guard let basic = r.credentials(scheme: "Basic"), let data = Data(base64Encoded: basic) else { return "" }
        let pair = String(decoding: data, as: UTF8.self)
        return pair.firstIndex(of: ":").map { String(pair[pair.index(after: $0)...]) } ?? ""
    }

    // MARK: errors

    private func notFound(_ r: WireRequest) -> WireResponse {
        error(404, 20404, "The requested resource \(r.path) was not found")
    }

    private func error(_ status: Int, _ code: Int, _ message: String) -> WireResponse {
        .json(
            status,
            ["code": code, "message": message, "more_info": "https://www.twilio.com/docs/errors/\(code)", "status": status])
    }

    private func hex32(_ n: Int) -> String {
        let h = String(n, radix: 16)
        return String(repeating: "0", count: max(0, 32 - h.count)) + h
    }
}
