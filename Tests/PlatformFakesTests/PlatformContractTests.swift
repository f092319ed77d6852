import MarTechModel
import PlatformFakes
import SimKernel
import Testing

/// Should hold the same contract for every platform kind: it decides on its own copy only, a
/// consent copy that says no refuses, a lookup answers for the master record, a cap counts, and
/// every default it assumes is said out loud.
@Suite struct PlatformContractTests {
    static let fields = [
        FieldSpec(name: "converted", category: .conversion, valueNames: ["no", "yes"]),
        FieldSpec(name: "consent.sms", category: .consent, valueNames: ["no", "yes"]),
        FieldSpec(name: "segment.inactive", category: .segment, valueNames: ["no", "yes"]),
        FieldSpec(name: "cart_abandoned", category: .behavior, valueNames: ["no", "yes"]),
    ]

    func platform(_ kind: PlatformKind, lookup: ConsentLookup? = nil, cap: (Int, SimDuration)? = nil) -> FakePlatform {
        var plan = PlatformPlan(name: "p", kind: kind, observes: kind.profile.observed(Self.fields))
        plan.consentLookup = lookup
        plan.frequencyCap = cap
        return FakePlatform(plan: plan, customerCount: 4, fieldCount: Self.fields.count, held: [1, 2])
    }

    @Test(arguments: PlatformKind.allCases)
    func eachKindDecidesOnItsOwnConsentCopy(_ kind: PlatformKind) {
        let p = platform(kind)
        let now = SimInstant(millisecondsSinceStart: 1000)
        #expect(p.plan.consentDecision(now: now, ownCopy: 0, lookup: nil) == .refuse(.ownConsentCopy))
        #expect(p.plan.consentDecision(now: now, ownCopy: 1, lookup: nil) == .send(decidedAt: now))
        #expect(kind.profile.kind == kind)
    }

    @Test(arguments: PlatformKind.allCases)
    func aLookupAnswersForTheMasterRecord(_ kind: PlatformKind) {
        let now = SimInstant.start
        let closed = platform(
            kind, lookup: ConsentLookup(platform: 0, latency: .fixed(150), timeout: .seconds(2), failOpen: false))
        #expect(closed.plan.consentDecision(now: now, ownCopy: 1, lookup: (.seconds(1), 0)) == .refuse(.lookupSaidNo))
        #expect(
            closed.plan.consentDecision(now: now, ownCopy: 1, lookup: (.seconds(1), 1))
                == .send(decidedAt: now.advanced(by: .seconds(1))))
        #expect(closed.plan.consentDecision(now: now, ownCopy: 1, lookup: (.seconds(3), 1)) == .refuse(.lookupTimedOut))
        let open = platform(
            kind, lookup: ConsentLookup(platform: 0, latency: .fixed(150), timeout: .seconds(2), failOpen: true))
        #expect(
            open.plan.consentDecision(now: now, ownCopy: 1, lookup: (.seconds(3), 0))
                == .send(decidedAt: now.advanced(by: .seconds(2))))
    }

    @Test(arguments: PlatformKind.allCases)
    func aCapAdmitsItsCountThenRefuses(_ kind: PlatformKind) {
        var p = platform(kind, cap: (2, .days(7)))
        let t = SimInstant.start
        #expect(p.admitUnderCap(customer: 1, at: t) == .send(decidedAt: t))
        #expect(
            p.admitUnderCap(customer: 1, at: t.advanced(by: .hours(1))) == .send(decidedAt: t.advanced(by: .hours(1))))
        #expect(p.admitUnderCap(customer: 1, at: t.advanced(by: .hours(2))) == .refuse(.frequencyCap))
        #expect(
            p.admitUnderCap(customer: 2, at: t.advanced(by: .hours(2))) == .send(decidedAt: t.advanced(by: .hours(2))))
        #expect(
            p.admitUnderCap(customer: 1, at: t.advanced(by: .days(8))) == .send(decidedAt: t.advanced(by: .days(8))))
    }

    /// A copy holds what it is asked about and does not observe: observed fields are the truth's.
    @Test(arguments: PlatformKind.allCases)
    func aCopyStoresOnlyWhatItDoesNotObserve(_ kind: PlatformKind) {
        let p = platform(kind)
        let observed = Set(kind.profile.observed(Self.fields))
        for f in [1, 2] { #expect(p.copy.isStored(f) == !observed.contains(f)) }
        #expect(!p.copy.isStored(0) && !p.copy.isStored(3))
    }

    /// Every default a kind assumes is named with its source; names are the kind's own.
    @Test(arguments: PlatformKind.allCases)
    func defaultsAreSaidOutLoud(_ kind: PlatformKind) {
        let profile = kind.profile
        if profile.throughputPerSecond != nil { #expect(profile.assumptions.contains { $0.setting == "throughput" }) }
        if profile.applyDelay != nil { #expect(profile.assumptions.contains { $0.setting == "apply_delay" }) }
        for a in profile.assumptions { #expect(!a.source.isEmpty && !a.value.isEmpty) }
        for f in Self.fields { #expect(!profile.fieldName(f.name).isEmpty) }
    }

    /// The sender holds SMS in quiet hours on the recipient's clock and spaces them at its throughput.
    @Test func theSenderQueueHoldsQuietHoursAndSpacesAtItsThroughput() {
        var queue = SenderQueue(quietHours: (21 * 60, 8 * 60), throughputPerSecond: 2)
        let at22 = SimInstant(millisecondsSinceStart: 22 * 3_600_000)
        #expect(queue.deliveryTime(decidedAt: at22, localClockOffset: 0).millisecondsSinceStart == 32 * 3_600_000)
        let noon = SimInstant(millisecondsSinceStart: 36 * 3_600_000)
        let first = queue.deliveryTime(decidedAt: noon, localClockOffset: 0)
        let second = queue.deliveryTime(decidedAt: noon, localClockOffset: 0)
        #expect(second.millisecondsSinceStart - first.millisecondsSinceStart == 500)
    }
}
