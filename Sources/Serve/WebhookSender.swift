import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends the webhooks the fakes emit (HubSpot's `contact.propertyChange`, Twilio's inbound
/// messages and status callbacks) to the URLs teams registered; a failure (no answer, or not
/// a 2xx) is tried again later, up to the vendor's number of attempts.
final class WebhookSender: @unchecked Sendable {
    private let urlSession: URLSession
    private(set) var sent = 0
    private(set) var failed = 0
    private let lock = NSLock()

    init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        urlSession = URLSession(configuration: configuration)
    }

    /// Posts one webhook; returns whether the receiver answered 2xx.
    func post(_ hook: OutboundWebhook) async -> Bool {
        guard let url = URL(string: hook.url) else { return false }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = Data(hook.body)
        request.setValue(hook.contentType, forHTTPHeaderField: "Content-Type")
        for (k, v) in hook.headers { request.setValue(v, forHTTPHeaderField: k) }
        if let secret = hook.hubSpotClientSecret {
            // The wall clock, as HubSpot stamps each attempt (handlers refuse timestamps older than 5 minutes).
            let timestamp = String(Int64(Date().timeIntervalSince1970 * 1000))
            request.setValue(timestamp, forHTTPHeaderField: "X-HubSpot-Request-Timestamp")
            request.setValue(
                WebhookSignatures.hubSpotV3(
                    clientSecret: secret, method: "POST", uri: hook.url, body: hook.body, timestamp: timestamp),
                forHTTPHeaderField: "X-HubSpot-Signature-v3")
            request.setValue("v1", forHTTPHeaderField: "X-HubSpot-Signature-Version")
            request.setValue(
                WebhookSignatures.hubSpotV1(clientSecret: secret, body: hook.body), forHTTPHeaderField: "X-HubSpot-Signature")
        }
        let ok: Bool = await withCheckedContinuation { continuation in
            urlSession.dataTask(with: request) { _, response, error in
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                continuation.resume(returning: error == nil && (200..<300).contains(status))
            }.resume()
        }
        lock.withLock { if ok { sent += 1 } else { failed += 1 } }
        return ok
    }

    var counts: (sent: Int, failed: Int) { lock.withLock { (sent, failed) } }
}
