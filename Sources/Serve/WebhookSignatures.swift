import Crypto
import Foundation

/// The signatures vendors put on the webhooks they send, so a team's handler that verifies them
/// (as the vendors tell teams to) accepts the fakes' webhooks.
enum WebhookSignatures {
    /// Twilio's `X-Twilio-Signature`: base64 of HMAC-SHA1, keyed with the account's auth token,
    /// over the full URL followed by each POST parameter's name and value, sorted by name.
    static func twilio(authToken: String, url: String, params: [(String, String)]) -> String {
        var text = url
        for (k, v) in params.sorted(by: { $0.0 < $1.0 }) { text += k + v }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(
            for: Data(text.utf8), using: SymmetricKey(data: Data(authToken.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// HubSpot's `X-HubSpot-Signature-v3`: base64 of HMAC-SHA256, keyed with the app's client
    /// secret, over method, URI, body and the `X-HubSpot-Request-Timestamp` value.
    static func hubSpotV3(clientSecret: String, method: String, uri: String, body: [UInt8], timestamp: String)
        -> String
    {
        var message = Data((method + uri).utf8)
        message.append(contentsOf: body)
        message.append(Data(timestamp.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(clientSecret.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// HubSpot's v1 `X-HubSpot-Signature`: hex SHA-256 of the client secret followed by the body.
    static func hubSpotV1(clientSecret: String, body: [UInt8]) -> String {
        var message = Data(clientSecret.utf8)
        message.append(contentsOf: body)
        return SHA256.hash(data: message).map { String(format: "%02x", $0) }.joined()
    }
}
