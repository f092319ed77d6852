import MarTechModel

/// A push platform: notifications to devices.
///
/// Models: only customers with a push-capable device can be reached; per-device opt-in is its
/// consent copy. Does not model: token expiry, platform (APNs/FCM) throttling, collapse keys.
public enum PushKind {
    public static let profile = KindProfile(
        kind: .push, observes: [], throughputPerSecond: nil, applyDelay: nil, assumptions: [], fieldName: fieldName)

    static func fieldName(_ field: String) -> String { field == "consent.push" ? "device_opt_in" : field }

    /// Whether a push can reach a customer at all: only with a push-capable device (0: none).
    @inlinable public static func reaches(device: UInt8) -> Bool { device != 0 }
}
