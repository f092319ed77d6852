import MarTechModel
import SimKernel

/// One fake platform: its own copy of the records it received, its sender queue and its cap.
///
/// Every kind decides and acts only on its own copy, exactly like the real one. What each kind
/// is and does lives in its own file under `Kinds/` (CRM, MarketingAutomation, CDP, SMS, Push,
/// DSP): its defaults, its names, and its rules as functions that return a value
/// (`SendDecision`: send, or refuse with the reason); vendors are data under `Vendors/`.
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

    /// - Parameter records: where the copy's stored fields live (see `PlatformCopy`); nil: memory of its own.
    public init(plan: PlatformPlan, customerCount: Int, fieldCount: Int, held: [FieldID], records: RecordSection? = nil) {
        self.plan = plan
        copy = PlatformCopy(
            customerCount: customerCount, fieldCount: fieldCount, held: held, observed: plan.observes, records: records)
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
