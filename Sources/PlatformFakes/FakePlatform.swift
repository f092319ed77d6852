import MarTechModel
import SimKernel

/// One fake platform: its own copy of the records it received, and the behaviour of its kind.
///
/// Every kind decides and acts only on its own copy, exactly like the real one:
/// - CRM: system of record; observes the truth at once; the master consent database that
///   other platforms may look up.
/// - MAP: sends email journey steps to whom its lists say; frequency cap; unsubscribes update
///   its own copy at once.
/// - CDP: observes behavioural events (cart abandonment, purchases) and fans them out over its
///   links to destinations.
/// - SMS: checks its own consent copy (optionally a synchronous CRM lookup), holds messages in
///   quiet hours, delivers at its throughput; STOP replies update its copy at once.
/// - Push: per-device opt-in copy; sends.
/// - DSP: audiences and a suppression list applied after an upload delay; serves impressions.
///
/// ```swift
/// var sms = FakePlatform(plan: plan.platforms[i], customerCount: n, fieldCount: f, held: [consentSMS])
/// let at = sms.sender.deliveryTime(decidedAt: now, localClockOffset: offset)
/// ```
public struct FakePlatform: Sendable {
    public let plan: PlatformPlan
    public var copy: PlatformCopy
    public var sender: SenderQueue
    public var frequencyCap: FrequencyCapLedger?

    public init(plan: PlatformPlan, customerCount: Int, fieldCount: Int, held: [FieldID]) {
        self.plan = plan
        copy = PlatformCopy(customerCount: customerCount, fieldCount: fieldCount, held: held, observed: plan.observes)
        sender = SenderQueue(quietHours: plan.quietHours, throughputPerSecond: plan.throughputPerSecond)
        frequencyCap = plan.frequencyCap.map {
            FrequencyCapLedger(customerCount: customerCount, count: $0.count, window: $0.window)
        }
    }

    public var kind: PlatformKind { plan.kind }
}

/// What a platform does with a message it was asked to send: a value, no side effects.
public enum SendDecision: Equatable, Sendable {
    /// Send it; the decision is final at `decidedAt` (later than asked when a lookup answered later).
    case send(decidedAt: SimInstant)
    /// Do not send it, for this reason.
    case refuse(Refusal)
}

/// Why a platform held a message back.
public enum Refusal: Equatable, Sendable {
    /// Its own consent copy says no (the copy a STOP or an unsubscribe updated, or a sync fed).
    case ownConsentCopy
    /// The consent lookup asked the master record, which said no.
    case lookupSaidNo
    /// The consent lookup timed out and the platform fails closed.
    case lookupTimedOut
    /// Its frequency cap is reached for this customer.
    case frequencyCap
}

extension PlatformPlan {
    /// The consent rule of a sending platform: its own copy first (if it checks consent), then
    /// the master record's answer when it has a `consent_lookup`. `lookup` is the answer's
    /// latency and what the master record says, drawn by the caller only when the own copy passed.
    @inlinable public func consentDecision(
        now: SimInstant, ownCopy: UInt8, lookup: (latency: SimDuration, answer: UInt8)?
    )
        -> SendDecision
    {
        if checksConsent && ownCopy == 0 { return .refuse(.ownConsentCopy) }
        guard let rule = consentLookup, let lookup else { return .send(decidedAt: now) }
        if lookup.latency > rule.timeout {
            return rule.failOpen ? .send(decidedAt: now.advanced(by: rule.timeout)) : .refuse(.lookupTimedOut)
        }
        return lookup.answer == 0 ? .refuse(.lookupSaidNo) : .send(decidedAt: now.advanced(by: lookup.latency))
    }

    /// Whether the own consent copy lets the message reach the lookup (or the send) at all.
    @inlinable public func passesOwnConsentCopy(_ ownCopy: UInt8) -> Bool { !(checksConsent && ownCopy == 0) }
}

extension FakePlatform {
    /// The platform's frequency cap: admits the send and counts it, or refuses it.
    @inlinable public mutating func admitUnderCap(customer c: Int, at now: SimInstant) -> SendDecision {
        guard frequencyCap != nil else { return .send(decidedAt: now) }
        guard frequencyCap!.allows(c, at: now) else { return .refuse(.frequencyCap) }
        frequencyCap!.recordSend(c, at: now)
        return .send(decidedAt: now)
    }
}
