/// The six kinds of platform Rehearsal fakes.
public enum PlatformKind: String, CaseIterable, Sendable {
    case crm, map, cdp, sms, push, dsp

    /// The channel this kind of platform sends on, if it sends at all.
    public var channel: Channel? {
        switch self {
        case .map: .email
        case .sms: .sms
        case .push: .push
        case .dsp: .ad
        case .crm: .salesTask
        case .cdp: nil
        }
    }

    /// The vendor-style name this kind of platform gives a truth field, for reports and `explain`.
    ///
    /// Each platform holds its copy in its own schema, as the real ones do: a CRM says
    /// `lifecyclestage`, a MAP `Segment_Membership`, a DSP keeps a suppression list.
    public func vendorFieldName(for field: String) -> String {
        switch (self, field) {
        case (.crm, "converted"): "hs_booking_status"
        case (.crm, "stage"): "lifecyclestage"
        case (.crm, let f) where f.hasPrefix("consent."): "hs_legal_basis_" + f.dropFirst(8)
        case (.map, "converted"): "Has_Booked__c"
        case (.map, let f) where f.hasPrefix("segment."): "Segment_Membership:" + f.dropFirst(8)
        case (.map, "consent.email"): "unsubscribed (inverted)"
        case (.sms, "consent.sms"): "opt_in_status"
        case (.push, "consent.push"): "device_opt_in"
        case (.dsp, "converted"): "suppression_list"
        case (.dsp, let f) where f.hasPrefix("segment."): "audience:" + f.dropFirst(8)
        case (.cdp, let f): "traits." + f.replacingDots()
        default: field
        }
    }
}

extension StringProtocol {
    func replacingDots() -> String { String(map { $0 == "." ? "_" : $0 }) }
}
