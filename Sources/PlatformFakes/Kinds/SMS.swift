import MarTechModel

/// An SMS platform: texts under TCPA rules.
///
/// Models: it checks its own consent copy (or looks consent up in the CRM with a latency and a
/// timeout: `consent_lookup`); STOP replies update its copy at once; quiet hours on the
/// recipient's clock hold a message until they end (`SenderQueue`); a throughput limit queues
/// bulk sends. Does not model: segment splitting, carrier filtering, per-sender queue overflow.
public enum SMSKind {
    /// A US short code, 100 segments/s (Twilio: "over 100"; see docs/realism.md).
    public static let throughputDefault = 100.0

    public static let profile = KindProfile(
        kind: .sms, observes: [], throughputPerSecond: throughputDefault, applyDelay: nil,
        assumptions: [("throughput", "100/s", "a US short code (Twilio: over 100 segments/s)")],
        fieldName: fieldName)

    static func fieldName(_ field: String) -> String { field == "consent.sms" ? "opt_in_status" : field }
}
