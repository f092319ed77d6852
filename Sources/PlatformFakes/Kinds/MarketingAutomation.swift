import MarTechModel

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
