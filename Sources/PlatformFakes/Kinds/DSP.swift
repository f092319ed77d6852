import MarTechModel
import SimKernel

/// A demand-side platform (DSP): retargeting audiences and suppression lists.
///
/// Models: audiences and a suppression list uploaded to it take effect after an apply delay;
/// it serves impressions to whoever its copy says is in the audience and not suppressed (or sees
/// conversions itself with a pixel: `observes: [conversions]`). Does not model: bidding,
/// match rates, audience minimum sizes.
public enum DSPKind {
    /// An uploaded list's apply delay: median 6h, p95 24h (Meta says "usually up to 24 hours";
    /// the shape is an assumption, see docs/realism.md).
    public static let applyDelayDefault = Distribution.lognormal(median: 6 * 3_600_000, sigma: 0.843)

    public static let profile = KindProfile(
        kind: .dsp, observes: [], throughputPerSecond: nil, applyDelay: applyDelayDefault,
        assumptions: [("apply_delay", "lognormal median 6h, p95 24h", "Meta Custom Audiences: usually up to 24 hours")],
        fieldName: fieldName)

    /// Whether the DSP serves a customer: in the audience its copy holds, and not on its
    /// suppression list (as its copy holds it, after the list's apply delay).
    @inlinable public static func serves(inAudience: Bool, suppressed: Bool) -> Bool { inAudience && !suppressed }

    static func fieldName(_ field: String) -> String {
        switch field {
        case "converted": "suppression_list"
        case let f where f.hasPrefix("segment."): "audience:" + f.dropFirst(8)
        default: field
        }
    }
}
