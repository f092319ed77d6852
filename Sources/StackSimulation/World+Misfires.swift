import MarTechModel
import SimKernel

/// Where the oracle's findings become rows and figures: the one place a misfire is recorded.
extension World {
    /// Asks the oracle about a delivered message and records what it found.
    mutating func judge(
        touchpoint: Int64, customer c: Int, step s: Int, decidedAt: SimInstant, deliveredAt: SimInstant,
        basis: [DecisionBasis]
    ) {
        guard options.runsOracle else { return }
        let found = oracleJudge(
            touchpoint: touchpoint, customer: c, step: s, decidedAt: decidedAt, deliveredAt: deliveredAt, basis: basis)
        oracle.noteDelivered(customer: c, at: deliveredAt)
        for misfire in found { record(misfire) }
        if !found.isEmpty { summary.touchpointsMisfiredByChannel[Int(plan.campaign.steps[s].channel.rawValue)] += 1 }
    }

    /// Asks the oracle whether a step held back from customer `c` was a missed touchpoint.
    mutating func checkMissed(step s: Int, customer c: Int, now: SimInstant, hiddenByConsent: Bool) {
        guard options.runsOracle else { return }
        if let misfire = oracleMissed(step: s, customer: c, now: now, hiddenByConsent: hiddenByConsent) {
            record(misfire)
        }
    }

    /// Records one misfire: its row, and its count in every figure it belongs to.
    mutating func record(_ m: Misfire) {
        let type = Int(m.type.rawValue), channel = Int(m.channel.rawValue)
        recorder.batch.misfires.append(m.record(id: misfireNext))
        if let k = m.fault { summary.faults[k].misfires += m.count }
        if let link = m.attribution.link {
            summary.links[link].misfires += m.count
            summary.links[link].misfiresByType[type] += m.count
            summary.links[link].staleness.append(
                Staleness(from: m.staleMilliseconds, to: m.staleUntilMilliseconds, count: m.count))
        }
        let bit = UInt64(1) << UInt64(type * Channel.allCases.count + channel)
        if misfiredBits[m.customer] & bit == 0 {
            misfiredBits[m.customer] |= bit
            summary.customersMisfiredByTypeAndChannel[type][channel] += 1
        }
        if let exposure = Exposure.of(m.type, channel: m.channel, staleMilliseconds: m.staleMilliseconds) {
            summary.exposureCounts[Int(exposure.rawValue)] += m.count
        }
        if let t = m.touchpoint, t != funnelMisfiredTouchpoint, let step = m.step {
            funnelMisfiredTouchpoint = t
            funnel(step, .misfired)
        }
        if m.attribution.cause == .journeyDesign, let step = m.step {
            summary.designMisfiresByStep[step][type] += m.count
        }
        misfireNext += 1
        recorder.counted()
        summary.misfiresByType[type] += m.count
        let day = Int(m.at.millisecondsSinceStart / 86_400_000)
        if day >= 0 && day < topology.dayCount { summary.misfiresByDay[type][day] += m.count }
        summary.misfiresByTypeAndCause[type][Int(m.attribution.cause.rawValue)] += m.count
        summary.misfiresByTypeAndChannel[type][channel] += m.count
    }
}
