import MarTechModel
import SimKernel

/// A marketing automation platform (MAP): email journeys on its own lists.
///
/// Models: it decides who is in each step from its own copy (lists fed by links); its
/// frequency cap (`frequency_cap`); unsubscribes update its own copy at once; it can orchestrate
/// other channels' decisions. Does not model: list membership rules beyond the scenario's
/// conditions, send-time optimisation, bounces.
public enum MarketingAutomationKind {
    public static let profile = KindProfile(
        kind: .map, observes: [], throughputPerSecond: nil, applyDelay: nil, assumptions: [], fieldName: fieldName)

    static func fieldName(_ field: String) -> String {
        switch field {
        case "converted": "has_booked"
        case let f where f.hasPrefix("segment."): "list:" + f.dropFirst(8)
        case "consent.email": "unsubscribed (inverted)"
        default: field
        }
    }
}

/// The frequency cap, the MAP's rule above all (an SMS or push platform may have one too).
extension FakePlatform {
    /// The platform's frequency cap: admits the send and counts it, or refuses it.
    @inlinable public mutating func admitUnderCap(customer c: Int, at now: SimInstant) -> SendDecision {
        guard frequencyCap != nil else { return .send(decidedAt: now) }
        guard frequencyCap!.allows(c, at: now) else { return .refuse(.frequencyCap) }
        frequencyCap!.recordSend(c, at: now)
        return .send(decidedAt: now)
    }
}
