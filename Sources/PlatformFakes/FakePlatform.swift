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
