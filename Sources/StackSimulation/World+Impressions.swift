import MarTechModel
import PlatformFakes
import SimKernel

/// Paid retargeting: a Poisson stream of impressions while the DSP's copy says "serve".
///
/// Aggregated mode settles the interval since the last relevant change in one draw; per-event
/// mode runs one event per impression. Both classify an impression as wasted when the customer
/// had truly reached the campaign goal, and both attribute it through the DSP's provenance.
extension World {
    @inline(__always) func isServing(_ r: Int, customer c: Int) -> Bool {
        let plan = self.plan.campaign.retargeting[r]
        guard copyHolds(plan.platform, c, plan.audience) else { return false }
        return DSPKind.serves(
            inAudience: true, suppressed: !plan.suppressOn.isEmpty && copyHolds(plan.platform, c, plan.suppressOn))
    }

    @inline(__always) func isWasted(customer c: Int) -> Bool {
        guard let goal = plan.campaign.goal else { return false }
        return truth.value(c, goal.field) == goal.value
    }

    /// Starts the per-event impression streams at the start of the run.
    mutating func armImpressions(followUps: inout FollowUps<SimEvent>) {
        guard options.impressionMode == .perEvent else { return }
        for c in 0..<customerCount { refreshServing(customer: c, now: .start, followUps: &followUps) }
    }

    /// Per-event mode: starts or stops a customer's impression stream after its serving state may have changed.
    mutating func refreshServing(customer c: Int, now: SimInstant, followUps: inout FollowUps<SimEvent>) {
        guard options.impressionMode == .perEvent else { return }
        for r in plan.campaign.retargeting.indices {
            let serving = isServing(r, customer: c)
            let pendingNow = ledgers[r].tokens[c] & 1 == 1
            if serving && !pendingNow {
                ledgers[r].tokens[c] &+= 1
                scheduleImpression(r, customer: c, now: now, followUps: &followUps)
            } else if !serving && pendingNow {
                ledgers[r].tokens[c] &+= 1
            }
        }
    }

    private mutating func scheduleImpression(
        _ r: Int, customer c: Int, now: SimInstant, followUps: inout FollowUps<SimEvent>
    ) {
        let rate = plan.campaign.retargeting[r].impressionsPerMillisecond
        let due = now.advanced(by: SimDuration(roundingMilliseconds: cores[random: c].exponential(mean: 1 / rate)))
        if due <= plan.horizon {
            followUps.schedule(
                SimEvent(.impression, index: r, customer: c, payload: Int32(bitPattern: ledgers[r].tokens[c])), at: due)
        }
    }

    mutating func impressionFires(_ e: SimEvent, now: SimInstant, followUps: inout FollowUps<SimEvent>) {
        let r = e.retargeting, c = e.customerIndex
        guard ledgers[r].tokens[c] == UInt32(bitPattern: e.payload) else { return }
        let wasted = isWasted(customer: c)
        let t = now.millisecondsSinceStart
        ledgers[r].add(c, count: 1, first: t, last: t, wasted: wasted)
        if options.recordAllImpressions { recordImpression(r, customer: c, at: t, wasted: wasted) }
        countImpressions(r, customer: c, count: 1, wasted: wasted, from: now, now: now)
        scheduleImpression(r, customer: c, now: now, followUps: &followUps)
    }

    /// Aggregated mode: draws the impressions served since the customer's last settlement.
    mutating func settleImpressions(customer c: Int, now: SimInstant, followUps: inout FollowUps<SimEvent>) {
        guard options.impressionMode == .aggregated else { return }
        for r in plan.campaign.retargeting.indices {
            let from = ledgers[r][account: c].settledAt
            let to = now.millisecondsSinceStart
            guard to > from else { continue }
            ledgers[r][account: c].settledAt = to
            guard isServing(r, customer: c) else { continue }
            let mean = plan.campaign.retargeting[r].impressionsPerMillisecond * Double(to - from)
            let n = cores[random: c].poisson(mean: mean)
            guard n > 0 else { continue }
            let wasted = isWasted(customer: c)
            if options.recordAllImpressions {
                var times = (0..<n).map { _ in
                    from + Int64((cores[random: c].unit() * Double(to - from)).rounded(.down))
                }
                times.sort()
                ledgers[r].add(c, count: n, first: times[0], last: times[n - 1], wasted: wasted)
                for t in times { recordImpression(r, customer: c, at: t, wasted: wasted) }
            } else {
                _ = ledgers[r].addAggregated(
                    c, count: n, from: from, to: to, wasted: wasted, random: &cores[random: c])
            }
            countImpressions(
                r, customer: c, count: n, wasted: wasted, from: SimInstant(millisecondsSinceStart: from), now: now)
        }
    }

    private mutating func countImpressions(
        _ r: Int, customer c: Int, count n: Int, wasted: Bool, from: SimInstant, now: SimInstant
    ) {
        summary.impressionsServed += n
        guard wasted, options.runsOracle, plan.campaign.goal != nil else { return }
        summary.impressionsWasted += n
        if let misfire = oracleWastedImpressions(retargeting: r, customer: c, count: n, from: from, now: now) {
            record(misfire)
        }
    }

    private mutating func recordImpression(_ r: Int, customer c: Int, at t: Int64, wasted: Bool) {
        recorder.batch.impressions.append(
            ImpressionRecord(
                customer: Int32(c), platform: UInt16(plan.campaign.retargeting[r].platform), at: t, wasted: wasted))
        recorder.counted()
    }

    /// Settles everyone at the horizon and writes one summary row per customer served.
    mutating func finishImpressions(now: SimInstant) {
        var ignored = FollowUps<SimEvent>()
        for c in 0..<customerCount { settleImpressions(customer: c, now: now, followUps: &ignored) }
        for (r, retargeting) in plan.campaign.retargeting.enumerated() {
            for c in 0..<customerCount {
                let account = ledgers[r][account: c]
                guard account.served > 0 else { continue }
                recorder.batch.impressionSummaries.append(
                    ImpressionSummaryRecord(
                        customer: Int32(c), platform: UInt16(retargeting.platform), served: account.served,
                        wasted: account.wasted, firstAt: account.firstAt, lastAt: account.lastAt))
                recorder.counted()
            }
        }
    }
}
