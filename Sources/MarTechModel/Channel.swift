/// A way of reaching a customer. Each touchpoint goes out on exactly one channel.
public enum Channel: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case email = 0, sms, push, ad, salesTask

    public init?(name: String) {
        switch name {
        case "email": self = .email
        case "sms": self = .sms
        case "push": self = .push
        case "ad", "ads": self = .ad
        case "sales_task", "call": self = .salesTask
        default: return nil
        }
    }
    public static let names = ["email", "sms", "push", "ad", "sales_task"]
    public var description: String { Channel.names[Int(rawValue)] }

    /// The truth field holding this channel's consent, if the channel needs one.
    public var consentFieldName: String? {
        switch self {
        case .email: "consent.email"
        case .sms: "consent.sms"
        case .push: "consent.push"
        case .ad, .salesTask: nil
        }
    }
}
