import MarTechModel
import PlatformFakes
import SimKernel

/// The misfire oracle: compares each touchpoint with the truth at delivery and the compliance
/// rules, and names the root cause from provenance.
///
/// It watches and never acts: nothing here changes a platform, a link or the truth.
extension World {
    /// TCPA quiet hours on the recipient's local clock: no marketing SMS outside 08:00–21:00.
    static let tcpaQuietHours = (startMinute: 21 * 60, endMinute: 8 * 60)

    /// Attributions of every field the oracle may ask about, taken at decision time for a
    /// message that will be delivered later.
    func decisionBasis(step s: Int, customer c: Int, now: SimInstant) -> [DecisionBasis] {
        let step = plan.campaign.steps[s]
        var out: [DecisionBasis] = []
        func add(_ p: Int, _ f: Int) {
            let (cause, link, change) = attribute(platform: p, customer: c, field: f, decidedAt: now)
            out.append(DecisionBasis(platform: p, field: f, cause: cause, link: link, change: change))
        }
        if let goal = plan.campaign.goal { add(step.decidedBy, goal.field) }
        if let cf = consentField(step.channel) { add(step.executor, cf) }
        for condition in topology.stepAudience[s] { add(step.decidedBy, condition.field) }
        return out
    }

    /// The attribution at decision time when it was taken, unless the truth moved since.
    func attribute(platform p: Int, customer c: Int, field f: FieldID, decidedAt: SimInstant, basis: [DecisionBasis])
        -> (MisfireCause, Int, Int64)
    {
        let truthChange = truth.lastChangeId(c, f)
        if truthChange >= 0 && truth.changeTime(truthChange) > decidedAt.millisecondsSinceStart {
            return (.changedAfterDecision, -1, truthChange)
        }
        if let b = basis.first(where: { $0.platform == p && $0.field == f }) { return (b.cause, b.link, b.change) }
        return attribute(platform: p, customer: c, field: f, decidedAt: decidedAt)
    }

    mutating func judgeTouchpoint(
        _ touchpoint: Int64, customer c: Int, step s: Int, decidedAt: SimInstant, deliveredAt: SimInstant,
        basis: [DecisionBasis]
    ) {
        guard options.runsOracle else { return }
        let step = plan.campaign.steps[s]
        let misfiresBefore = misfireNext
        defer {
            if misfireNext > misfiresBefore { summary.touchpointsMisfiredByChannel[Int(step.channel.rawValue)] += 1 }
        }
        if let goal = plan.campaign.goal, truth.value(c, goal.field) == goal.value {
            let (cause, link, change) = attribute(
                platform: step.decidedBy, customer: c, field: goal.field, decidedAt: decidedAt, basis: basis)
            recordMisfire(
                .postConversion, touchpoint: touchpoint, customer: c, platform: step.executor, field: goal.field,
                cause: cause, link: link, change: change, at: deliveredAt, count: 1, channel: step.channel,
                actedAt: decidedAt, step: s)
        }
        if let cf = consentField(step.channel), truth.value(c, cf) == 0 {
            let type: MisfireType = truth.lastChangeId(c, cf) >= 0 ? .revokedConsent : .noConsent
            var (cause, link, change) = attribute(
                platform: step.executor, customer: c, field: cf, decidedAt: decidedAt, basis: basis)
            if !platforms[step.executor].plan.checksConsent && cause == .journeyDesign { (link, change) = (-1, -1) }
            recordMisfire(
                type, touchpoint: touchpoint, customer: c, platform: step.executor, field: cf,
                cause: cause, link: link, change: change, at: deliveredAt, count: 1, channel: step.channel,
                actedAt: decidedAt, step: s)
        }
        var overlapField = -1
        if let sales = plan.campaign.salesStage, step.channel != .salesTask, truth.value(c, sales.field) >= sales.value
        {
            let (cause, link, change) = attribute(
                platform: step.decidedBy, customer: c, field: sales.field, decidedAt: decidedAt, basis: basis)
            recordMisfire(
                .salesOverlap, touchpoint: touchpoint, customer: c, platform: step.executor, field: sales.field,
                cause: cause, link: link, change: change, at: deliveredAt, count: 1, channel: step.channel,
                actedAt: decidedAt, step: s)
            overlapField = sales.field
        }
        for condition in topology.stepAudience[s] where !condition.isMet(by: truth.value(c, condition.field)) {
            let category = plan.fields[condition.field].category
            guard category == .segment || category == .stage, condition.field != overlapField else { continue }
            let (cause, link, change) = attribute(
                platform: step.decidedBy, customer: c, field: condition.field, decidedAt: decidedAt, basis: basis)
            recordMisfire(
                .staleSegment, touchpoint: touchpoint, customer: c, platform: step.executor, field: condition.field,
                cause: cause, link: link, change: change, at: deliveredAt, count: 1, channel: step.channel,
                actedAt: decidedAt, step: s)
            break
        }
        if step.channel == .sms {
            let local = deliveredAt.millisecondsSinceStart + localClockOffset(c, at: deliveredAt)
            if SenderQueue.isQuiet(World.tcpaQuietHours, localMilliseconds: local) {
                var cause: MisfireCause =
                    platforms[step.executor].plan.quietHours == nil ? .journeyDesign : .complianceRule
                let skew = plan.faults.isEmpty ? nil : clockFault(of: step.executor, at: decidedAt)
                if skew != nil { cause = .clockFault }
                recordMisfire(
                    .quietHours, touchpoint: touchpoint, customer: c, platform: step.executor, field: -1,
                    cause: cause, link: -1, change: -1, at: deliveredAt, count: 1, channel: step.channel,
                    actedAt: decidedAt, step: s,
                    fault: skew ?? -1)
            }
        }
        for other in topology.siblings[s] {
            let last = lastSent[topology.lastSentSlot[other]][c]
            if last >= 0 && deliveredAt.millisecondsSinceStart - last <= plan.campaign.duplicateWindow.milliseconds {
                recordMisfire(
                    .duplicateAcrossChannels, touchpoint: touchpoint, customer: c, platform: step.executor, field: -1,
                    cause: .journeyDesign, link: -1, change: -1, at: deliveredAt, count: 1, channel: step.channel,
                    actedAt: decidedAt, step: s)
                break
            }
        }
        if policyCap != nil {
            if !policyCap!.allows(c, at: deliveredAt) {
                recordMisfire(
                    .frequencyCap, touchpoint: touchpoint, customer: c, platform: step.executor, field: -1,
                    cause: .journeyDesign, link: -1, change: -1, at: deliveredAt, count: 1, channel: step.channel,
                    actedAt: decidedAt, step: s)
            }
            policyCap!.recordSend(c, at: deliveredAt)
        }
        if !plan.population.ageBuckets.isEmpty && profiles.age[c] < 13 {
            recordMisfire(
                .minor, touchpoint: touchpoint, customer: c, platform: step.executor, field: -1,
                cause: .journeyDesign, link: -1, change: -1, at: deliveredAt, count: 1, channel: step.channel,
                actedAt: decidedAt, step: s)
        }
    }

    /// A scheduled step the customer truly qualified for but never got, because a platform's
    /// copy said otherwise (a silent drop): recorded with the field and link that hid them.
    ///
    /// `hiddenByConsent`: the executor's consent copy held the message back; otherwise the
    /// decider's audience did.
    mutating func checkMissed(step s: Int, customer c: Int, now: SimInstant, hiddenByConsent: Bool) {
        guard options.runsOracle else { return }
        let step = plan.campaign.steps[s]
        guard truth.holds(c, topology.stepAudience[s]) else { return }
        if let goal = plan.campaign.goal, truth.value(c, goal.field) == goal.value { return }
        if step.channel == .push && profiles.device[c] == 0 { return }
        if let minimum = plan.campaign.minimumAge, Int(profiles.age[c]) < minimum { return }
        var hidden: FieldID?
        if let cf = consentField(step.channel) {
            guard truth.value(c, cf) == 1 else { return }
            if hiddenByConsent { hidden = cf }
        }
        let platform = hiddenByConsent ? step.executor : step.decidedBy
        if !hiddenByConsent {
            hidden = topology.stepAudience[s].first { !$0.isMet(by: copyValue(platform, c, $0.field)) }?.field
        }
        guard let field = hidden else { return }
        let (cause, link, change) = attribute(platform: platform, customer: c, field: field, decidedAt: now)
        recordMisfire(
            .missedTouchpoint, touchpoint: -1, customer: c, platform: step.executor, field: field,
            cause: cause, link: link, change: change, at: now, count: 1, channel: step.channel, actedAt: now, step: s)
    }

    /// Why platform `p` decided on a value of `field` that the truth contradicts.
    ///
    /// Returns the cause, the link at fault (-1 for none) and the truth change the platform had
    /// not seen. Along a chain of links (CRM→CDP→MAP) the first link still holding the change
    /// is named: that is the one that was late.
    func attribute(platform p: Int, customer c: Int, field f: FieldID, decidedAt: SimInstant) -> (
        MisfireCause, Int, Int64
    ) {
        let truthChange = truth.lastChangeId(c, f)
        if truthChange >= 0 && truth.changeTime(truthChange) > decidedAt.millisecondsSinceStart {
            return (.changedAfterDecision, -1, truthChange)
        }
        if copyChangeId(p, c, f) == truthChange { return (.journeyDesign, -1, -1) }
        return linkCause(platform: p, customer: c, field: f, change: truthChange, depth: 0)
    }

    private func linkCause(platform p: Int, customer c: Int, field f: FieldID, change: Int64, depth: Int) -> (
        MisfireCause, Int, Int64
    ) {
        guard let l = topology.inboundLink[p][f], depth < 8 else { return (.notCarried, -1, change) }
        let link = links[l]
        if copyChangeId(link.plan.from, c, f) != change {
            return linkCause(platform: link.plan.from, customer: c, field: f, change: change, depth: depth + 1)
        }
        if link.hasFaults {
            let k = faultBehind(link: l, customer: c, field: f, change: change)
            if k >= 0 { return (cause(ofFault: k), l, change) }
        }
        switch link.plan.mode {
        case .stream:
            return (platforms[link.plan.to].plan.applyDelay == nil ? .streamLatency : .applyDelay, l, change)
        case .batch:
            let at = truth.changeTime(change)
            if at >= link.lastSnapshotAt { return (.awaitingBatch, l, change) }
            if at >= link.lastHandedSnapshotAt { return (.batchRunning, l, change) }
            return (.applyDelay, l, change)
        }
    }

    mutating func recordMisfire(
        _ type: MisfireType, touchpoint: Int64, customer c: Int, platform: Int, field: Int, cause: MisfireCause,
        link: Int,
        change: Int64, at: SimInstant, count: Int, channel: Channel, actedAt: SimInstant, step: Int,
        actedUntil: SimInstant? = nil,
        fault: Int = -1
    ) {
        var record = MisfireRecord(
            id: misfireNext, touchpoint: touchpoint, customer: Int32(c), type: type, platform: UInt16(platform),
            field: Int16(field), cause: cause, causeLink: Int16(link), changeId: change, at: at.millisecondsSinceStart,
            count: Int32(count))
        var k = fault
        if k < 0 && cause.isFault && link >= 0 && field >= 0 {
            k = faultBehind(link: link, customer: c, field: field, change: change)
        }
        if k >= 0 {
            record.causeFault = Int16(k)
            summary.faults[k].misfires += count
        }
        if change >= 0 { record.staleMs = max(0, actedAt.millisecondsSinceStart - truth.changeTime(change)) }
        recorder.batch.misfires.append(record)
        if link >= 0 {
            summary.links[link].misfires += count
            summary.links[link].misfiresByType[Int(type.rawValue)] += count
            let until =
                actedUntil.map { max(0, $0.millisecondsSinceStart - truth.changeTime(change)) } ?? record.staleMs
            summary.links[link].staleness.append(Staleness(from: record.staleMs, to: until, count: count))
        }
        let bit = UInt64(1) << UInt64(Int(type.rawValue) * Channel.allCases.count + Int(channel.rawValue))
        if misfiredBits[c] & bit == 0 {
            misfiredBits[c] |= bit
            summary.customersMisfiredByTypeAndChannel[Int(type.rawValue)][Int(channel.rawValue)] += 1
        }
        if let exposure = Exposure.of(type, channel: channel, staleMilliseconds: record.staleMs) {
            summary.exposureCounts[Int(exposure.rawValue)] += count
        }
        if cause == .journeyDesign && step >= 0 { summary.designMisfiresByStep[step][Int(type.rawValue)] += count }
        misfireNext += 1
        recorder.counted()
        summary.misfiresByType[Int(type.rawValue)] += count
        let day = Int(at.millisecondsSinceStart / 86_400_000)
        if day >= 0 && day < topology.dayCount { summary.misfiresByDay[Int(type.rawValue)][day] += count }
        summary.misfiresByTypeAndCause[Int(type.rawValue)][Int(cause.rawValue)] += count
        summary.misfiresByTypeAndChannel[Int(type.rawValue)][Int(channel.rawValue)] += count
    }
}
