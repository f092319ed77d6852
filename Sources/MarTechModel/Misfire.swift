/// The kinds of message a customer should not have got.
public enum MisfireType: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case postConversion = 0
    case revokedConsent
    case noConsent
    case staleSegment
    case quietHours
    case minor
    case duplicateAcrossChannels
    case salesOverlap
    case frequencyCap
    case missedTouchpoint
    /// The same message twice: a duplicated delivery re-fired a journey, or a lost acknowledgement made the sender retry.
    case duplicateSend

    public var description: String {
        switch self {
        case .postConversion: "post_conversion"
        case .revokedConsent: "revoked_consent"
        case .noConsent: "no_consent"
        case .staleSegment: "stale_segment"
        case .quietHours: "quiet_hours"
        case .minor: "minor"
        case .duplicateAcrossChannels: "duplicate_across_channels"
        case .salesOverlap: "sales_overlap"
        case .frequencyCap: "frequency_cap"
        case .missedTouchpoint: "missed_touchpoint"
        case .duplicateSend: "duplicate_send"
        }
    }

    public var severity: Severity {
        switch self {
        case .revokedConsent, .noConsent, .quietHours, .minor: .critical
        case .postConversion, .salesOverlap, .missedTouchpoint: .major
        case .staleSegment, .duplicateAcrossChannels, .frequencyCap, .duplicateSend: .minor
        }
    }
}

/// How bad a misfire is: `critical` is a legal exposure, `major` a wrong message, `minor` a stale one.
public enum Severity: UInt8, Sendable, CustomStringConvertible {
    case minor = 0, major, critical
    public var description: String { ["minor", "major", "critical"][Int(rawValue)] }
}

/// Why the deciding platform's view differed from the truth: the root cause of a misfire.
public enum MisfireCause: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    /// The change happened after the link's last snapshot: it waits for the next batch.
    case awaitingBatch = 0
    /// The change was snapshotted but the batch was still running.
    case batchRunning
    /// The change is travelling on a stream link.
    case streamLatency
    /// The change reached the platform but the platform had not applied it yet (upload apply delay).
    case applyDelay
    /// No link carries this field to this platform: its copy never changes.
    case notCarried
    /// The truth changed between the decision and the delivery (queue, quiet hours, throughput).
    case changedAfterDecision
    /// The platform's copy was right; the journey did not check it (no gate, no suppression).
    case journeyDesign
    /// A compliance rule the platform does not model (quiet hours in a wrong zone, a minor).
    case complianceRule
    /// A platform outage (5xx) failed the delivery or the batch run; it was retried, dead-lettered or lost.
    case outage
    /// The link was paused.
    case linkPaused
    /// The link answered with errors or ran slow (a degradation window).
    case linkErrors
    /// The record waited behind a rate limit (429 and Retry-After).
    case rateLimited
    /// Schema drift broke the link's contract: the record was rejected, dead-lettered or nulled.
    case schemaDrift
    /// A duplicated, late copy of an older record overwrote a newer one (no idempotency).
    case duplicateDelivery
    /// The acknowledgement of a send was lost and the sender sent again.
    case lostAcknowledgement
    /// The platform read local times as UTC.
    case clockFault
    /// The change reached a CDP whose audiences had not been recomputed since.
    case awaitingRecompute

    /// Whether an injected fault, rather than the design or normal latency, is behind it.
    public var isFault: Bool { rawValue >= MisfireCause.outage.rawValue && self != .awaitingRecompute }

    public var description: String {
        switch self {
        case .awaitingBatch: "awaiting_batch"
        case .batchRunning: "batch_running"
        case .streamLatency: "stream_latency"
        case .applyDelay: "apply_delay"
        case .notCarried: "not_carried"
        case .changedAfterDecision: "changed_after_decision"
        case .journeyDesign: "journey_design"
        case .complianceRule: "compliance_rule"
        case .outage: "outage"
        case .linkPaused: "link_paused"
        case .linkErrors: "link_errors"
        case .rateLimited: "rate_limited"
        case .schemaDrift: "schema_drift"
        case .duplicateDelivery: "duplicate_delivery"
        case .lostAcknowledgement: "lost_acknowledgement"
        case .clockFault: "clock_fault"
        case .awaitingRecompute: "awaiting_recompute"
        }
    }
}
