import SimKernel

/// An expectation the run must meet (`misfires.revoked_consent_sms: 0`, `sla.crm_to_map.freshness_p95: 26h`).
public struct Expectation: Sendable, Equatable {
    public init(section: String, subject: String, bound: Bound, line: Int) {
        self.section = section
        self.subject = subject
        self.bound = bound
        self.line = line
    }

    public enum Bound: Sendable, Equatable {
        /// At most this many.
        case maxCount(Int)
        /// At most this share of converters (`max_rate_of_converters: 0.5%`).
        case maxRateOfConverters(Double)
        /// A duration ceiling (SLA freshness percentiles).
        case maxDuration(SimDuration)
        /// A floor on a share (SLA completeness).
        case minShare(Double)
        /// At least once (`sometimes`): proof the run exercised what it claims to.
        case atLeastOnce
    }
    /// `misfires`, `sla` or `sometimes`.
    public var section: String
    /// The misfire key or `link.metric`.
    public var subject: String
    public var bound: Bound
    public var line: Int
}
