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
}
