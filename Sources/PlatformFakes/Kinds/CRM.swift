import MarTechModel

/// A CRM: the system of record and the consent master.
///
/// Models: it sees every truth change but behaviour events at once (bookings, consent,
/// segments, lifecycle stage); other platforms look consent up in it; its sales tasks are a
/// channel (`sales_task`) for the sales-overlap rule. Does not model: ownership and assignment
/// rules, duplicate records, field history beyond the last change.
public enum CRMKind {
    public static let profile = KindProfile(
        kind: .crm, observes: [.conversion, .consent, .segment, .stage], throughputPerSecond: nil, applyDelay: nil,
        assumptions: [("observes", "every field but behaviour events", "assumption: a CRM is the system of record")],
        fieldName: fieldName)

    /// Neutral CRM property names (a vendor profile gives the vendor's own).
    static func fieldName(_ field: String) -> String {
        switch field {
        case "converted": "booking_status"
        case "stage": "lifecycle_stage"
        case let f where f.hasPrefix("consent."): "consent_" + f.dropFirst(8)
        default: field
        }
    }
}
