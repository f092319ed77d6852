import Histogram
import MarTechModel
import PlatformFakes
import SimKernel

/// Links: stream deliveries per change, batch snapshots and page-by-page application.
extension World {
    /// Queues the first snapshot of every batch link.
    mutating func armLinks(followUps: inout FollowUps<SimEvent>) {
        for (i, l) in links.enumerated() {
            if case .batch(let schedule, _, _, _) = l.plan.mode, let first = schedule.first {
                followUps.schedule(SimEvent(.batchSnapshot, index: i, payload: 0), at: first)
            }
        }
    }

    /// A source copy changed: a stream sends it now; a batch marks the customer for its next snapshot.
    mutating func enqueue(
        link l: Int, customer c: Int, field f: FieldID, value: UInt8, changeId: Int64, now: SimInstant,
        followUps: inout FollowUps<SimEvent>
    ) {
        summary.links[l].changesEntered += 1
        // In serve mode the team's code carries an external link: nothing is queued.
        if !options.performsExternalLinks && links[l].plan.external { return }
        switch links[l].plan.mode {
        case .stream(let latency):
            var delay = latency.sample(&cores[random: c])
            if let apply = platforms[links[l].plan.to].plan.applyDelay {
                delay = delay + apply.sample(&cores[random: c])
            }
            if links[l].hasFaults {
                delay = shapeStreamDelay(link: l, customer: c, changeId: changeId, now: now, latency: delay)
            }
            if let rate = links[l].plan.destinationRequestsPerSecond {
                delay = delay + vendorQueueWait(platform: links[l].plan.to, requestsPerSecond: rate, now: now)
            }
            if waitsForRecompute(l) { delay = recomputeAfter(now.advanced(by: delay), link: l).duration(since: now) }
            var e = SimEvent(.streamArrives, index: l, customer: c, payload: Int32(truncatingIfNeeded: changeId))
            e.field = UInt8(f)
            e.value = value
            e.aux = UInt32(clamping: delay.milliseconds)
            followUps.schedule(e, at: now.advanced(by: delay))
            adjustBacklog(l, by: 1, now: now)
        case .batch:
            if !cores[dirty: c, links[l].dirtySlot] {
                cores[dirty: c, links[l].dirtySlot] = true
                links[l].dirty.append(Int32(c))
                adjustBacklog(l, by: 1, now: now)
            }
        }
    }

    mutating func streamArrives(_ arriving: SimEvent, now: SimInstant, followUps: inout FollowUps<SimEvent>) {
        var e = arriving
        let l = e.link, c = e.customerIndex, f = e.fieldID
        let plan = links[l].plan
        let sentAt =
            e.aux == UInt32.max && e.payload >= 0
            ? truth.changeTime(e.changeId) : now.millisecondsSinceStart - Int64(e.aux)
        if links[l].hasFaults {
            if e.tag & SimEvent.duplicateMark != 0 {
                duplicateArrives(e, now: now, followUps: &followUps)
                return
            }
            guard admitStream(&e, sentAt: sentAt, now: now, followUps: &followUps) else { return }
        }
        adjustBacklog(l, by: -1, now: now)
        // An idempotent destination keeps the newer version when copies arrive out of order.
        if plan.idempotent && e.payload >= 0 && copyChangeId(plan.to, c, f) > e.changeId { return }
        recordDelivery(
            link: l, customer: c, field: f, changeId: e.changeId, value: e.value, sentAt: sentAt, now: now,
            batch: -1)
        applyToCopy(
            platform: plan.to, customer: c, field: f, value: e.value, changeId: e.changeId, now: now,
            firesJourneys: e.tag & SimEvent.quietMark == 0, followUps: &followUps)
        if links[l].hasFaults { maybeDuplicate(e, now: now, followUps: &followUps) }
    }

    mutating func batchSnapshot(_ e: SimEvent, now: SimInstant, followUps: inout FollowUps<SimEvent>) {
        let l = e.link
        guard case .batch(let schedule, let runsFor, let pageSize, let pagesPerSecond) = links[l].plan.mode else {
            return
        }
        let plan = links[l].plan
        // An extra run (a retry or a backfill) does not continue the schedule.
        let extra = e.tag & SimEvent.duplicateMark != 0
        let next = e.schedulePosition + 1
        if !extra && next < schedule.count {
            followUps.schedule(SimEvent(.batchSnapshot, index: l, payload: Int32(next)), at: schedule[next])
        }
        if links[l].hasFaults && batchRunFails(e, schedule: schedule, now: now, followUps: &followUps) { return }

        var content = BatchContent(snapshotAt: now.millisecondsSinceStart, pageSize: 0, pageCount: 0)
        content.firesJourneys = e.tag & SimEvent.quietMark == 0
        let dirty = links[l].dirty
        links[l].dirty.removeAll(keepingCapacity: true)
        let settles = retargets(platform: plan.to)
        for (i, c32) in dirty.enumerated() {
            let c = Int(c32)
            if i + World.batchLookahead < dirty.count { prefetchCustomer(Int(dirty[i + World.batchLookahead])) }
            cores[dirty: c, links[l].dirtySlot] = false
            // Impressions until now were served without this batch: settle them under the old cause.
            if settles { settleImpressions(customer: c, now: now, followUps: &followUps) }
            for f in plan.fields {
                let id = copyChangeId(plan.from, c, f)
                content.customers.append(c32)
                content.fields.append(UInt8(f))
                content.values.append(copyValue(plan.from, c, f))
                content.changeIds.append(Int32(truncatingIfNeeded: id))
            }
        }
        links[l].lastSnapshotAt = now.millisecondsSinceStart
        let records = content.customers.count
        let size = pageSize.map { max(1, $0) } ?? max(records, 1)
        content.pageSize = size
        content.pageCount = max(1, (records + size - 1) / size)
        let batch = links[l].batchCount
        links[l].batchCount += 1
        links[l].batches[batch] = content
        for page in 0..<content.pageCount {
            let offset: SimDuration
            if let rate = pagesPerSecond, pageSize != nil {
                offset = SimDuration(roundingUpMilliseconds: Double(page + 1) * 1000 / rate)
            } else {
                offset = runsFor
            }
            var apply = SimEvent(.batchApply, index: l, customer: page, payload: batch)
            apply.field = 0
            followUps.schedule(apply, at: now.advanced(by: offset))
        }
    }

    mutating func batchApply(_ e: SimEvent, now: SimInstant, followUps: inout FollowUps<SimEvent>) {
        let l = e.link, batch = e.batch, page = e.page
        let plan = links[l].plan
        guard let content = links[l].batches[batch] else { return }
        if links[l].hasFaults && e.field == 0 && batchPageFails(e, content: content, now: now) { return }
        // An upload reaches the destination; a platform with an apply delay (a DSP list) takes
        // effect later, one draw per upload, from a generator keyed by (seed, link, batch, page);
        // a CDP's audiences see it at their next recompute.
        if e.field == 0 && appliesLater(l) {
            var at = now
            if let delay = platforms[plan.to].plan.applyDelay {
                var random = SeededRandom(
                    seed: self.plan.seed, stream: 3 + UInt64(l), UInt64(batch) << 20 | UInt64(page))
                at = at.advanced(by: delay.sample(&random))
            }
            if waitsForRecompute(l) { at = recomputeAfter(at, link: l) }
            var later = e
            later.field = 1
            followUps.schedule(later, at: at)
            markPage(link: l, batch: batch, handed: true)
            return
        }
        let start = page * content.pageSize
        let end = min(start + content.pageSize, content.customers.count)
        // The backlog counts customers: each holds `fields.count` consecutive records in the batch.
        adjustBacklog(l, by: -((end - start) / max(plan.fields.count, 1)), now: now)
        for i in start..<end {
            let c = Int(content.customers[i]), f = Int(content.fields[i])
            if i + World.batchLookahead < end { prefetchCustomer(Int(content.customers[i + World.batchLookahead])) }
            let id = Int64(content.changeIds[i])
            guard copyChangeId(plan.to, c, f) != id else { continue }
            var value = content.values[i], applied = id
            if links[l].hasFaults, let (k, action) = contractBreach(link: l, customer: c, field: f, now: now) {
                links[l].faultMark[id] = Int16(k)
                switch action {
                case .drop:
                    summary.faults[k].recordsDropped += 1
                    continue
                case .deadLetter:
                    deadLetter(link: l, customer: c, field: f, value: value, changeId: id, fault: k)
                    continue
                case .null:
                    summary.faults[k].recordsNulled += 1
                    (value, applied) = (0, World.nulledChangeId(k))
                    if copyChangeId(plan.to, c, f) == applied { continue }
                }
            }
            recordDelivery(
                link: l, customer: c, field: f, changeId: applied, value: value, sentAt: content.snapshotAt, now: now,
                batch: batch)
            applyToCopy(
                platform: plan.to, customer: c, field: f, value: value, changeId: applied, now: now,
                firesJourneys: content.firesJourneys, followUps: &followUps)
        }
        markPage(link: l, batch: batch, handed: !appliesLater(l))
    }

    /// A batch run meets a pause or an outage (or an error draw): it fails, its records stay
    /// marked for the next run, and it is retried per the link's policy. Returns true if it failed.
    private mutating func batchRunFails(
        _ e: SimEvent, schedule: [SimInstant], now: SimInstant, followUps: inout FollowUps<SimEvent>
    ) -> Bool {
        let l = e.link
        let attempt = e.attempt
        let key =
            UInt64(bitPattern: Int64(e.schedulePosition)) << 8 | UInt64(attempt) | UInt64(links[l].batchCount) << 32
        guard let k = failure(link: l, at: now, key: key, includeSource: true) else { return false }
        let scheduled =
            e.schedulePosition >= 0 && e.schedulePosition < schedule.count
            ? schedule[e.schedulePosition].millisecondsSinceStart : now.millisecondsSinceStart
        links[l].failedRunAt = max(links[l].failedRunAt, scheduled)
        links[l].failedRunFault = k
        for c in links[l].dirty where touch(k, customer: Int(c)) { summary.faults[k].recordsDelayed += 1 }
        let policy = links[l].plan.retry
        let pauses: Bool
        if case .pause = plan.faults[k].kind { pauses = true } else { pauses = false }
        if !pauses && attempt < min(policy.attempts, Int(SimEvent.attemptMask)) {
            var random = faultRandom(k, key &+ 1)
            var retry = e
            retry.tag = (e.tag & ~SimEvent.attemptMask) | SimEvent.duplicateMark | UInt8(attempt + 1)
            followUps.schedule(retry, at: now.advanced(by: policy.wait(attempt: attempt + 1, unit: random.unit())))
            summary.faults[k].retries += 1
            summary.links[l].retries += 1
        }
        return true
    }

    /// A page reaches a destination that is down: its records go back to wait for the next run.
    private mutating func batchPageFails(_ e: SimEvent, content: BatchContent, now: SimInstant) -> Bool {
        let l = e.link, page = e.page
        let key = UInt64(bitPattern: Int64(e.batch)) << 24 | UInt64(page)
        guard let k = failure(link: l, at: now, key: key, includeSource: false) else { return false }
        let start = page * content.pageSize
        let end = min(start + content.pageSize, content.customers.count)
        let perCustomer = max(links[l].plan.fields.count, 1)
        adjustBacklog(l, by: -((end - start) / perCustomer), now: now)
        for i in start..<end {
            let c = Int(content.customers[i])
            links[l].faultMark[Int64(content.changeIds[i])] = Int16(k)
            if touch(k, customer: c) { summary.faults[k].recordsDelayed += 1 }
            if !cores[dirty: c, links[l].dirtySlot] {
                cores[dirty: c, links[l].dirtySlot] = true
                links[l].dirty.append(Int32(c))
                adjustBacklog(l, by: 1, now: now)
            }
        }
        markPage(link: l, batch: e.payload, handed: true)
        if appliesLater(l) { markPage(link: l, batch: e.payload, handed: false) }
        return true
    }

    /// Counts a page handed over to the destination and, separately, a page applied there.
    private mutating func markPage(link l: Int, batch: Int32, handed: Bool) {
        guard var stored = links[l].batches[batch] else { return }
        if handed {
            stored.pagesHanded += 1
            if stored.pagesHanded == stored.pageCount {
                links[l].lastHandedSnapshotAt = max(links[l].lastHandedSnapshotAt, stored.snapshotAt)
            }
        }
        let applied = appliesLater(l) ? !handed : handed
        if applied { stored.pagesApplied += 1 }
        links[l].batches[batch] = stored.pagesApplied >= stored.pageCount ? nil : stored
    }

    /// Moves a link's backlog and keeps the day's maximum.
    @inline(__always) mutating func adjustBacklog(_ l: Int, by delta: Int, now: SimInstant) {
        links[l].backlog += delta
        assert(links[l].backlog >= 0, "a backlog cannot go negative")
        let d = min(Int(now.millisecondsSinceStart / 86_400_000), topology.dayCount - 1)
        if links[l].backlog > summary.links[l].backlogMaxByDay[d] {
            summary.links[l].backlogMaxByDay[d] = links[l].backlog
        }
    }

    mutating func recordDelivery(
        link l: Int, customer c: Int, field f: Int, changeId: Int64, value: UInt8, sentAt: Int64, now: SimInstant,
        batch: Int32
    ) {
        recorder.batch.deliveries.append(
            DeliveryRecord(
                link: UInt16(l), customer: Int32(c), field: UInt16(f), changeId: changeId, value: value, sentAt: sentAt,
                appliedAt: now.millisecondsSinceStart, batch: batch))
        recorder.counted()
        summary.deliveries += 1
        if changeId >= 0 {
            let freshness = now.millisecondsSinceStart - truth.changeTime(changeId)
            _ = figures.linkFreshness[l].record(UInt64(max(0, freshness)))
            let d = min(Int(now.millisecondsSinceStart / 86_400_000), topology.dayCount - 1)
            figures.linkDaily[l][d].count += 1
            figures.linkDaily[l][d].sum += freshness
            figures.linkDaily[l][d].max = max(figures.linkDaily[l][d].max, freshness)
            summary.links[l].histogram[LinkFigures.histogramBounds.firstIndex { freshness <= $0 }!] += 1
        }
    }

    /// Reads percentiles out of the histograms and completes the per-link figures, once at the end.
    mutating func finishLinkFigures() {
        func percentiles(_ h: Histogram<UInt64>) -> (p50: Int64, p95: Int64, p99: Int64, max: Int64) {
            (
                Int64(h.valueAtPercentile(50)), Int64(h.valueAtPercentile(95)), Int64(h.valueAtPercentile(99)),
                Int64(h.max)
            )
        }
        for p in platforms.indices where figures.platformLatency[p].totalCount > 0 {
            let q = percentiles(figures.platformLatency[p])
            summary.platforms[p].deliveries = Int(figures.platformLatency[p].totalCount)
            (summary.platforms[p].latencyP50, summary.platforms[p].latencyP95, summary.platforms[p].latencyMax) = (
                q.p50, q.p95, q.max
            )
        }
        for l in links.indices {
            // A change is pending when the destination does not yet hold what the source holds.
            let link = links[l].plan
            var pendingCount = 0
            for c in 0..<customerCount {
                for f in link.fields where copyChangeId(link.to, c, f) != copyChangeId(link.from, c, f) {
                    pendingCount += 1
                }
            }
            summary.links[l].changesPendingAtEnd = pendingCount
            summary.links[l].deliveries = Int(figures.linkFreshness[l].totalCount)
            summary.links[l].staleness.sort { ($0.from, $0.to) < ($1.from, $1.to) }
            guard figures.linkFreshness[l].totalCount > 0 else { continue }
            let q = percentiles(figures.linkFreshness[l])
            (
                summary.links[l].freshnessP50, summary.links[l].freshnessP95, summary.links[l].freshnessP99,
                summary.links[l].freshnessMax
            ) = q
            summary.links[l].daily = figures.linkDaily[l].map {
                DailyFreshness(deliveries: $0.count, meanMs: $0.count > 0 ? $0.sum / Int64($0.count) : 0, maxMs: $0.max)
            }
        }
    }

    @inline(__always) func retargets(platform p: Int) -> Bool {
        plan.campaign.retargeting.contains { $0.platform == p }
    }

    /// The wait of one write request into a vendor at its published limit: a FIFO queue with one
    /// server per destination platform, shared by every link writing into it (Lindley's recursion).
    mutating func vendorQueueWait(platform p: Int, requestsPerSecond: Double, now: SimInstant) -> SimDuration {
        let arrival = Double(now.millisecondsSinceStart)
        let start = max(arrival, vendorFreeAt[p])
        vendorFreeAt[p] = start + 1000 / requestsPerSecond
        return SimDuration(roundingUpMilliseconds: start - arrival)
    }
}
