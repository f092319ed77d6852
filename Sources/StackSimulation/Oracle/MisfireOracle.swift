import MarTechModel
import PlatformFakes
import SimKernel

/// The misfire oracle: compares each touchpoint with the truth at delivery and the compliance
/// rules, and names the root cause from provenance.
///
/// It watches and never acts: it is given what was decided, by which platform, on which copy,
/// and reads the truth; it returns misfires and changes nothing in the world. Its only state is
/// its own ledger of the campaign's contact policy, kept as it sees messages delivered.
struct MisfireOracle {
    /// Every delivered message, for the campaign's contact policy (a frequency cap across channels).
    var contactPolicy: FrequencyCapLedger?

    init(plan: RunPlan) {
        contactPolicy = plan.campaign.frequencyCap.map {
            FrequencyCapLedger(customerCount: plan.customers, count: $0.count, window: $0.window)
        }
    }

    /// Counts a delivered message against the contact policy (after `judge` has read it).
    mutating func noteDelivered(customer c: Int, at t: SimInstant) {
        contactPolicy?.recordSend(c, at: t)
    }
}

/// The oracle's reading of the world. These are `World`'s non-mutating methods: the compiler
/// itself guarantees that judging changes nothing. Each returns misfires; `World.record` counts them.
extension World {
    /// A message reached customer `c` at `deliveredAt`: what was wrong with it, in the order the
    /// rules are checked (conversion, consent, sales overlap, audience, quiet hours, duplicates,
    /// contact policy, age).
    @inline(__always) func oracleJudge(
        touchpoint: Int64, customer c: Int, step s: Int, decidedAt: SimInstant, deliveredAt: SimInstant,
        basis: [DecisionBasis]
    ) -> [Misfire] {
        let step = plan.campaign.steps[s]
        var found: [Misfire] = []
        func add(_ type: MisfireType, field: FieldID?, _ attribution: Attribution, fault: Int? = nil) {
            found.append(
                misfire(
                    type, customer: c, platform: step.executor, field: field, attribution, at: deliveredAt,
                    channel: step.channel, actedAt: decidedAt, step: s, touchpoint: touchpoint, fault: fault, )
            )
        }
        func attribution(_ p: Int, _ f: FieldID) -> Attribution {
            attribute(platform: p, customer: c, field: f, decidedAt: decidedAt, basis: basis, )
        }
        if let goal = plan.campaign.goal, truth.value(c, goal.field) == goal.value {
            add(.postConversion, field: goal.field, attribution(step.decidedBy, goal.field))
        }
        if let cf = consentField(step.channel), truth.value(c, cf) == 0 {
            let type: MisfireType = truth.lastChangeId(c, cf) >= 0 ? .revokedConsent : .noConsent
            var found = attribution(step.executor, cf)
            if !platforms[step.executor].plan.checksConsent && found.cause == .journeyDesign {
                (found.link, found.change) = (nil, nil)
            }
            add(type, field: cf, found)
        }
        var overlapField: FieldID?
        if let sales = plan.campaign.salesStage, step.channel != .salesTask, truth.value(c, sales.field) >= sales.value
        {
            add(.salesOverlap, field: sales.field, attribution(step.decidedBy, sales.field))
            overlapField = sales.field
        }
        for condition in topology.stepAudience[s] where !condition.isMet(by: truth.value(c, condition.field)) {
            let category = plan.fields[condition.field].category
            guard category == .segment || category == .stage, condition.field != overlapField else { continue }
            add(.staleSegment, field: condition.field, attribution(step.decidedBy, condition.field))
            break
        }
        if step.channel == .sms {
            let local = deliveredAt.millisecondsSinceStart + localClockOffset(c, at: deliveredAt)
            if SenderQueue.isQuiet(SMSKind.tcpaQuietHours, localMilliseconds: local) {
                let skew = plan.faults.isEmpty ? nil : clockFault(of: step.executor, at: decidedAt)
                let cause: MisfireCause =
                    skew != nil
                    ? .clockFault
                    : platforms[step.executor].plan.quietHours == nil ? .journeyDesign : .complianceRule
                add(.quietHours, field: nil, Attribution(cause: cause), fault: skew)
            }
        }
        for other in topology.siblings[s] {
            guard let slot = topology.lastSentSlot[other] else { continue }
            let last = lastSent[slot][c]
            if last >= 0 && deliveredAt.millisecondsSinceStart - last <= plan.campaign.duplicateWindow.milliseconds {
                add(.duplicateAcrossChannels, field: nil, .journeyDesign)
                break
            }
        }
        if let policy = oracle.contactPolicy, !policy.allows(c, at: deliveredAt) {
            add(.frequencyCap, field: nil, .journeyDesign)
        }
        if !plan.population.ageBuckets.isEmpty && profiles.age[c] < 13 {
            add(.minor, field: nil, .journeyDesign)
        }
        return found
    }

    /// A scheduled step the customer truly qualified for but never got, because a platform's
    /// copy said otherwise (a silent drop): the field and link that hid them, or nil.
    ///
    /// `hiddenByConsent`: the executor's consent copy held the message back; otherwise the
    /// decider's audience did.
    @inline(__always) func oracleMissed(step s: Int, customer c: Int, now: SimInstant, hiddenByConsent: Bool)
        -> Misfire?
    {
        let step = plan.campaign.steps[s]
        guard truth.holds(c, topology.stepAudience[s]) else { return nil }
        if let goal = plan.campaign.goal, truth.value(c, goal.field) == goal.value { return nil }
        if step.channel == .push && !PushKind.reaches(device: profiles.device[c]) { return nil }
        if let minimum = plan.campaign.minimumAge, Int(profiles.age[c]) < minimum { return nil }
        var hidden: FieldID?
        if let cf = consentField(step.channel) {
            guard truth.value(c, cf) == 1 else { return nil }
            if hiddenByConsent { hidden = cf }
        }
        let platform = hiddenByConsent ? step.executor : step.decidedBy
        if !hiddenByConsent {
            hidden =
                topology.stepAudience[s].first { !$0.isMet(by: copyValue(platform, c, $0.field)) }?.field
        }
        guard let field = hidden else { return nil }
        return misfire(
            .missedTouchpoint, customer: c, platform: step.executor, field: field,
            attribute(platform: platform, customer: c, field: field, decidedAt: now, ),
            at: now, channel: step.channel, actedAt: now, step: s, )
    }

    /// Ad impressions served between `from` and `now` to a customer who had converted.
    @inline(__always) func oracleWastedImpressions(
        retargeting r: Int, customer c: Int, count n: Int, from: SimInstant, now: SimInstant
    ) -> Misfire? {
        guard let goal = plan.campaign.goal else { return nil }
        let platform = plan.campaign.retargeting[r].platform
        return misfire(
            .postConversion, customer: c, platform: platform, field: goal.field,
            attribute(platform: platform, customer: c, field: goal.field, decidedAt: now, ),
            at: from, count: n, channel: .ad, actedAt: from, actedUntil: now, )
    }

    /// A second copy of a message, sent because fault `k` duplicated a delivery or lost an acknowledgement.
    @inline(__always) func oracleDuplicateSend(
        touchpoint: Int64, customer c: Int, step s: Int, fault k: Int, judgedAt: SimInstant,
        now: SimInstant
    ) -> Misfire {
        let step = plan.campaign.steps[s]
        var link: Int?
        if case .duplicate(let l, _, _) = plan.faults[k].kind { link = l }
        return misfire(
            .duplicateSend, customer: c, platform: step.executor, field: nil,
            Attribution(cause: MisfireOracle.cause(ofFault: plan.faults[k]), link: link),
            at: now, channel: step.channel, actedAt: judgedAt, step: s, touchpoint: touchpoint, fault: k, )
    }

    /// A misfire with its evidence completed: the fault behind a fault-caused link, and how stale
    /// the unseen change was when the platform acted.
    func misfire(
        _ type: MisfireType, customer c: Int, platform: Int, field: FieldID?, _ attribution: Attribution,
        at: SimInstant, count: Int = 1, channel: Channel, actedAt: SimInstant, actedUntil: SimInstant? = nil,
        step: Int? = nil, touchpoint: Int64? = nil, fault: Int? = nil
    ) -> Misfire {
        var m = Misfire(
            type: type, touchpoint: touchpoint, customer: c, platform: platform, field: field,
            attribution: attribution, at: at, count: count, channel: channel, step: step, fault: fault)
        if m.fault == nil, attribution.cause.isFault, let link = attribution.link, let field {
            m.fault = faultBehind(link: link, customer: c, field: field, change: attribution.change ?? -1)
        }
        if let change = attribution.change {
            let changedAt = truth.changeTime(change)
            m.staleMilliseconds = max(0, actedAt.millisecondsSinceStart - changedAt)
            m.staleUntilMilliseconds =
                actedUntil.map { max(0, $0.millisecondsSinceStart - changedAt) } ?? m.staleMilliseconds
        }
        return m
    }
}
