import MarTechModel
import SimKernel

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

    /// TCPA quiet hours on the recipient's local clock: no marketing text outside 08:00–21:00
    /// (47 CFR 64.1200(c)(1)). The oracle judges every SMS against it, whatever the platform holds.
    public static let tcpaQuietHours = (startMinute: 21 * 60, endMinute: 8 * 60)
}

/// The consent rule, the SMS kind's above all (a MAP or a push platform applies the own-copy half).
extension PlatformPlan {
    /// The consent rule of a sending platform: its own copy first (if it checks consent), then
    /// the master record's answer when it has a `consent_lookup`. `lookup` is the answer's
    /// latency and what the master record says, drawn by the caller only when the own copy passed.
    @inlinable public func consentDecision(
        now: SimInstant, ownCopy: UInt8, lookup: (latency: SimDuration, answer: UInt8)?
    )
        -> SendDecision
    {
        if checksConsent && ownCopy == 0 { return .refuse(.ownConsentCopy) }
        guard let rule = consentLookup, let lookup else { return .send(decidedAt: now) }
        if lookup.latency > rule.timeout {
            return rule.failOpen ? .send(decidedAt: now.advanced(by: rule.timeout)) : .refuse(.lookupTimedOut)
        }
        return lookup.answer == 0 ? .refuse(.lookupSaidNo) : .send(decidedAt: now.advanced(by: lookup.latency))
    }

    /// Whether the own consent copy lets the message reach the lookup (or the send) at all.
    @inlinable public func passesOwnConsentCopy(_ ownCopy: UInt8) -> Bool { !(checksConsent && ownCopy == 0) }
}
