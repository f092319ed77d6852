import Foundation
import MarTechModel

/// SendGrid v3 `POST /v3/mail/send`: 202 with `X-Message-Id`; each recipient (to, cc, bcc) of
/// each personalization is an email touchpoint of the platform's client-sent step. A recipient
/// the platform's copy shows unsubscribed is dropped, as SendGrid's suppressions drop it
/// (still 202). Errors in SendGrid's `{errors: [{message, field, help}]}` shape.
final class SendGridSurface: SurfaceBase, VendorSurface {
    private var sent = 0
    private(set) var suppressed = 0

    func unavailable() -> WireResponse { errors(503, [("Service Unavailable (the scenario's outage window)", nil)]) }

    func respond(to r: WireRequest) -> WireResponse {
        guard r.credentials(scheme: "Bearer") != nil else {
            return errors(401, [("The provided authorization grant is invalid, expired, or revoked", nil)])
        }
        guard r.path == "/v3/mail/send" else { return errors(404, [("Not found: \(r.method) \(r.path)", nil)]) }
        guard r.method == "POST" else { return errors(405, [("Method not allowed", nil)]) }
        guard r.body.count <= 30 * 1024 * 1024 else { return errors(413, [("The JSON payload exceeds 30 MB", nil)]) }
        guard let body = r.jsonObject else {
            return errors(400, [("Bad Request: the request body is not valid JSON", nil)])
        }
        var problems: [(String, String?)] = []
        let personalizations = (body["personalizations"] as? [[String: Any]]) ?? []
        if personalizations.isEmpty {
            problems.append(
                ("The personalizations field is required and must have at least one personalization.", "personalizations"))
        }
        if ((body["from"] as? [String: Any])?["email"] as? String)?.isEmpty ?? true {
            problems.append(
                ("The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.", "from.email"))
        }
        let hasSubject = body["subject"] is String || personalizations.contains { $0["subject"] is String }
        if !hasSubject && body["template_id"] == nil {
            problems.append(("The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.", "subject"))
        }
        if (body["content"] as? [Any])?.isEmpty ?? true, body["template_id"] == nil {
            problems.append(("Unless a valid template_id is provided, the content parameter is required.", "content"))
        }
        var recipients: [String] = []
        for (i, p) in personalizations.enumerated() {
            for key in ["to", "cc", "bcc"] {
                for address in (p[key] as? [[String: Any]]) ?? [] {
                    guard let email = address["email"] as? String, email.contains("@") else {
                        problems.append(("Does not contain a valid address.", "personalizations.\(i).\(key)"))
                        continue
                    }
                    recipients.append(email)
                }
            }
        }
        guard problems.isEmpty else { return errors(400, problems) }
        sent += 1
        let id = "rehearsal-\(sent)"
        for email in recipients {
            guard let c = customer(email) else {
                session.logStranger(platform: platform, vendorID: id, channel: .email)
                continue
            }
            if case .refused? = send(.email, to: c, vendorID: id) { suppressed += 1 }
        }
        return WireResponse(status: 202, headers: [("X-Message-Id", id)])
    }

    private func errors(_ status: Int, _ list: [(String, String?)]) -> WireResponse {
        .json(
            status,
            [
                "errors": list.map { m, f -> [String: Any] in
                    ["message": m, "field": f.map { $0 as Any } ?? NSNull(), "help": NSNull()]
                }
            ])
    }
}
