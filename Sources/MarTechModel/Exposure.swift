/// Published penalties a misfire can expose the sender to, per message.
///
/// Figures and sources (see docs/misfires.md):
/// - TCPA: $500 per call or text, trebled to $1,500 when willful (47 U.S.C. 227(b)(3)) — SMS
///   without prior express written consent, after a STOP, or outside 8:00–21:00 local time.
/// - CAN-SPAM: up to $53,088 per email (FTC, 2025 inflation adjustment) — only for email sent
///   more than 10 business days after an opt-out (we count 14 calendar days).
/// - COPPA: up to $53,088 per violation (the same FTC Act §5(m)(1)(A) maximum) — marketing to
///   a child under 13.
public enum Exposure: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case tcpa = 0, canSpam, coppa

    public var description: String { ["TCPA", "CAN-SPAM", "COPPA"][Int(rawValue)] }

    /// Dollars per message, low and high.
    public var dollarsPerMessage: (low: Int, high: Int) {
        switch self {
        case .tcpa: (500, 1500)
        case .canSpam: (0, 53_088)
        case .coppa: (0, 53_088)
        }
    }

    public var source: String {
        switch self {
        case .tcpa: "47 U.S.C. 227(b)(3): $500 per message, up to $1,500 if willful"
        case .canSpam:
            "CAN-SPAM (15 U.S.C. 7704), FTC civil penalty up to $53,088 per email (2025); only past the 10-business-day opt-out window"
        case .coppa: "COPPA (16 CFR 312), FTC civil penalty up to $53,088 per violation (2025)"
        }
    }

    /// CAN-SPAM's 10 business days, counted as 14 calendar days.
    public static let canSpamGraceMilliseconds: Int64 = 14 * 86_400_000

    /// The exposure of one misfire, if a published penalty applies.
    public static func of(_ type: MisfireType, channel: Channel, staleMilliseconds: Int64) -> Exposure? {
        switch (type, channel) {
        case (.revokedConsent, .sms), (.noConsent, .sms), (.quietHours, .sms): .tcpa
        case (.revokedConsent, .email) where staleMilliseconds > canSpamGraceMilliseconds: .canSpam
        case (.minor, _): .coppa
        default: nil
        }
    }
}
