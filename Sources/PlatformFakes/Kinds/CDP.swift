import MarTechModel

/// A customer data platform (CDP): behavioural events in, traits and audiences out.
///
/// Models: it sees behaviour events (carts, browsing, purchases) at once and fans them out over
/// its links; `recompute: {every: …}` computes audiences from the truth on a cadence. Does not
/// model: identity resolution across devices, event schemas beyond the model's fields.
public enum CDPKind {
    public static let profile = KindProfile(
        kind: .cdp, observes: [.behavior, .conversion], throughputPerSecond: nil, applyDelay: nil,
        assumptions: [("observes", "behaviour events and conversions", "assumption: a CDP collects the events")],
        fieldName: fieldName)

    static func fieldName(_ field: String) -> String { "traits." + String(field.map { $0 == "." ? "_" : $0 }) }
}
