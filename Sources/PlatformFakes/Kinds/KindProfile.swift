import MarTechModel
import SimKernel

/// What a kind of platform is when a scenario says no more than `kind:`: the truth it sees at
/// once, its defaults (each with where it comes from) and its own names for the model's
/// fields. Data, one value per kind, each defined in the kind's own file.
public struct KindProfile: Sendable {
    public let kind: PlatformKind
    /// Field categories it sees in the truth at once (the CRM is the system of record).
    public let observes: Set<FieldSpec.Category>
    /// Messages per second when unsaid; nil: unlimited.
    public let throughputPerSecond: Double?
    /// Delay before an inbound upload takes effect when unsaid (a DSP's list).
    public let applyDelay: Distribution?
    /// Each default above, said out loud: `(setting, value, source)`.
    public let assumptions: [(setting: String, value: String, source: String)]
    /// The kind's own name for a model field, when no vendor is named.
    public let fieldName: @Sendable (String) -> String

    /// The fields of `fields` this kind observes by default.
    public func observed(_ fields: [FieldSpec]) -> [FieldID] {
        fields.indices.filter { observes.contains(fields[$0].category) }
    }
}

extension PlatformKind {
    /// The kind's profile (defaults, names), from the kind's own file.
    public var profile: KindProfile {
        switch self {
        case .crm: CRMKind.profile
        case .map: MarketingAutomationKind.profile
        case .cdp: CDPKind.profile
        case .sms: SMSKind.profile
        case .push: PushKind.profile
        case .dsp: DSPKind.profile
        }
    }
}
