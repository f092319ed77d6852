import Histogram
import MarTechModel
import PlatformFakes
import Population
import SimKernel

/// The simulated stack: truth, six kinds of fake platform, the links between them, the
/// campaign, and the oracle watching every touchpoint.
///
/// The world is a pure event handler: it is told the time, draws randomness only from
/// per-customer generators derived from the scenario seed, and writes rows to a recorder.
/// Per-customer state lives in flat arrays indexed by customer number.
struct World: EventHandler {
    typealias Event = SimEvent

    let plan: RunPlan
    let options: EngineOptions
    let customerCount: Int
    var truth: TruthStore
    var profiles: CustomerProfiles
    var platforms: [FakePlatform]
    var links: [LinkState]
    var recorder: Recorder
    var summary = RunSummary()

    /// Each customer's behaviour generator state (SplitMix64), derived from (seed, customer).
    var customerRandom: [SeededRandom]
    /// `(customer, process)` generations: odd while a firing is pending.
    var processTokens: [UInt32]
    let processCount: Int
    /// Processes to re-evaluate when a field changes.
    let processesByField: [[Int]]
    /// Platforms observing each field in the truth.
    let observersByField: [[Int]]
    /// Outgoing links per `[platform][field]`.
    let outgoingLinks: [[[Int]]]
    /// Links reading the truth itself, per field (a CDP's audience recompute).
    let truthLinks: [[Int]]
    /// The link delivering each `[platform][field]`, if any.
    let inboundLink: [[Int?]]
    /// Triggered steps per `[platform][field]`: `(step, value, buffer)`.
    let triggers: [[[(step: Int, value: UInt8, buffer: SimDuration)]]]
    /// The consent field of each channel (by `Channel.rawValue`), resolved once: no string look-ups per message.
    let consentFieldByChannel: [FieldID?]
    /// Each step's whole audience (campaign audience + the step's conditions), built once.
    let stepAudience: [[Condition]]
    /// One bit per customer per step: already sent.
    var stepSent: [[UInt64]]
    var ledgers: [ImpressionLedger]
    /// Per field: do its truth changes matter to impressions (the goal, observed audience fields)?
    /// Flat tables, so the hot path indexes instead of hashing.
    let impressionTruthField: [Bool]
    /// Per `[platform][field]`: does this copy field decide whether a retargeting serves?
    let impressionCopyField: [[Bool]]
    /// The oracle's ledger of every delivered message, for the campaign's contact policy.
    var policyCap: FrequencyCapLedger?
    /// The orchestrator's ledger when it enforces the policy across channels.
    var enforcedCap: FrequencyCapLedger?
    /// Steps sharing a trigger on another channel, per step (duplicates across channels).
    let siblings: [[Int]]
    /// When each tracked step last went to each customer (-1: never): `lastSent[slot][customer]`.
    var lastSent: [[Int64]] = []
    let lastSentSlot: [Int]
    /// When each tracked step's message was last opened by each customer (-1: never): `lastOpened[slot][customer]`.
    var lastOpened: [[Int64]] = []
    let lastOpenedSlot: [Int]
    /// One bit per (misfire type, channel) per customer: already counted as a distinct customer.
    var misfiredBits: [UInt64]
    /// Freshness per link (ms) in an HDR histogram: constant memory, 3 significant digits.
    var linkFreshness: [Histogram<UInt64>]
    /// Per link and day: deliveries, sum and max of freshness (ms).
    var linkDaily: [[(count: Int, sum: Int64, max: Int64)]]
    /// Decision → delivery latency per platform (ms), in HDR histograms.
    var platformLatency: [Histogram<UInt64>]
    let dayCount: Int
    var pending: [PendingDelivery] = []
    var pendingFree: [Int32] = []
    var touchpointNext: Int64 = 0
    var misfireNext: Int64 = 0
    /// Faults per platform (outages, lost acknowledgements, clock faults), by index into `plan.faults`.
    let platformFaults: [[Int]]
    /// One bit per customer per fault: already counted as touched.
    var faultTouched: [[UInt64]]
    /// Summed rate-limit queue waits per fault (ms).
    var faultQueueWait: [Double]
    /// Local clock offset of each time zone at the start (start time of day + UTC offset).
    let startOfDayMilliseconds: Int64

    init(plan: RunPlan, options: EngineOptions, sink: RecordSink) {
        self.plan = plan
        self.options = options
        let n = plan.customers
        let fieldCount = plan.fields.count
        customerCount = n
        truth = TruthStore(customerCount: n, fieldCount: fieldCount)
        profiles = CustomerProfiles(count: n)
        PopulationGenerator.generate(plan: plan, truth: &truth, profiles: &profiles)
        recorder = Recorder(sink: sink, flushRows: options.flushRows)
        customerRandom = (0..<n).map { SeededRandom(seed: plan.seed, stream: 2, UInt64($0)) }
        processCount = plan.behavior.processes.count
        processTokens = [UInt32](repeating: 0, count: n * processCount)
        startOfDayMilliseconds = ((plan.startUnixMilliseconds % 86_400_000) + 86_400_000) % 86_400_000

        var byField = [[Int]](repeating: [], count: fieldCount)
        for (i, p) in plan.behavior.processes.enumerated() {
            byField[p.field].append(i)
            for r in p.requires where !byField[r.field].contains(i) { byField[r.field].append(i) }
        }
        processesByField = byField

        var observers = [[Int]](repeating: [], count: fieldCount)
        for (i, p) in plan.platforms.enumerated() { for f in p.observes { observers[f].append(i) } }
        observersByField = observers

        let platformCount = plan.platforms.count
        var outgoing = [[[Int]]](repeating: [[Int]](repeating: [], count: fieldCount), count: platformCount)
        var inbound = [[Int?]](repeating: [Int?](repeating: nil, count: fieldCount), count: platformCount)
        var fromTruth = [[Int]](repeating: [], count: fieldCount)
        for (i, l) in plan.links.enumerated() {
            for f in l.fields {
                if l.from == LinkPlan.truth { fromTruth[f].append(i) } else { outgoing[l.from][f].append(i) }
                if inbound[l.to][f] == nil { inbound[l.to][f] = i }
            }
        }
        outgoingLinks = outgoing
        truthLinks = fromTruth
        inboundLink = inbound

        var trig = [[[(step: Int, value: UInt8, buffer: SimDuration)]]](
            repeating: [[(step: Int, value: UInt8, buffer: SimDuration)]](repeating: [], count: fieldCount),
            count: platformCount)
        for (i, s) in plan.campaign.steps.enumerated() {
            if case .on(let cond, let buffer) = s.trigger {
                trig[s.decidedBy][cond.field].append((i, cond.value, buffer))
            }
        }
        triggers = trig
        stepSent = plan.campaign.steps.map { _ in [UInt64](repeating: 0, count: (n + 63) / 64) }
        consentFieldByChannel = Channel.allCases.map { ch in ch.consentFieldName.flatMap { plan.field(named: $0) } }
        stepAudience = plan.campaign.steps.map { plan.campaign.audience + $0.conditions }

        // Every platform's copy starts equal to the truth; it stores the fields it is asked
        // about (by links, steps, gates or retargeting) and does not observe.
        platforms = plan.platforms.enumerated().map { (i, p) in
            let held = World.fieldsHeld(by: i, plan: plan)
            return FakePlatform(plan: p, customerCount: n, fieldCount: fieldCount, held: held)
        }
        ledgers = plan.campaign.retargeting.map { _ in ImpressionLedger(customerCount: n) }
        var truthFields = [Bool](repeating: false, count: fieldCount)
        if let goal = plan.campaign.goal { truthFields[goal.field] = true }
        var copyFields = [[Bool]](repeating: [Bool](repeating: false, count: fieldCount), count: plan.platforms.count)
        for r in plan.campaign.retargeting {
            for f in (r.audience + r.suppressOn).map(\.field) {
                copyFields[r.platform][f] = true
                if plan.platforms[r.platform].observes.contains(f) { truthFields[f] = true }
            }
        }
        impressionTruthField = truthFields
        impressionCopyField = copyFields
        links = plan.links.map { LinkState(plan: $0, customerCount: n) }
        // Values up to the horizon plus a year of slack (a stream latency can outlast the run).
        let trackable = UInt64(plan.horizon.millisecondsSinceStart) + 366 * 86_400_000
        linkFreshness = plan.links.map { _ in
            Histogram<UInt64>(highestTrackableValue: trackable, numberOfSignificantValueDigits: .three)
        }
        linkDaily = plan.links.map { _ in
            [(count: Int, sum: Int64, max: Int64)](
                repeating: (0, 0, 0), count: Int(plan.horizon.millisecondsSinceStart / 86_400_000) + 1)
        }
        platformLatency = plan.platforms.map { _ in
            Histogram<UInt64>(highestTrackableValue: trackable, numberOfSignificantValueDigits: .three)
        }
        summary.platforms = plan.platforms.map { _ in
            var f = PlatformFigures()
            f.perDay = [Int](repeating: 0, count: Int(plan.horizon.millisecondsSinceStart / 86_400_000) + 1)
            return f
        }
        dayCount = Int(plan.horizon.millisecondsSinceStart / 86_400_000) + 1
        summary.misfiresByDay = MisfireType.allCases.map { _ in
            [Int](repeating: 0, count: Int(plan.horizon.millisecondsSinceStart / 86_400_000) + 1)
        }
        misfiredBits = [UInt64](repeating: 0, count: n)
        summary.links = plan.links.map { _ in
            var f = LinkFigures()
            f.histogram = [Int](repeating: 0, count: LinkFigures.histogramBounds.count)
            f.backlogMaxByDay = [Int](repeating: 0, count: Int(plan.horizon.millisecondsSinceStart / 86_400_000) + 1)
            return f
        }
        summary.designMisfiresByStep = plan.campaign.steps.map { _ in
            [Int](repeating: 0, count: MisfireType.allCases.count)
        }
        policyCap = plan.campaign.frequencyCap.map {
            FrequencyCapLedger(customerCount: n, count: $0.count, window: $0.window)
        }
        if plan.campaign.enforcesFrequencyCap, let cap = plan.campaign.frequencyCap {
            enforcedCap = FrequencyCapLedger(customerCount: n, count: cap.count, window: cap.window)
        }
        let steps = plan.campaign.steps
        siblings = steps.indices.map { s in
            steps.indices.filter { o in
                o != s && steps[o].channel != steps[s].channel && World.sameTrigger(steps[o].trigger, steps[s].trigger)
            }
        }
        var slots = [Int](repeating: -1, count: steps.count)
        for s in steps.indices where !siblings[s].isEmpty || steps.contains(where: { $0.skipIfSent?.step == s }) {
            slots[s] = lastSent.count
            lastSent.append([Int64](repeating: -1, count: n))
        }
        lastSentSlot = slots
        var openedSlots = [Int](repeating: -1, count: steps.count)
        for s in steps.indices where steps.contains(where: { $0.skipIfOpened == s }) {
            openedSlots[s] = lastOpened.count
            lastOpened.append([Int64](repeating: -1, count: n))
        }
        lastOpenedSlot = openedSlots

        platformFaults = plan.platforms.indices.map { p in
            plan.faults.indices.filter { k in
                switch plan.faults[k].kind {
                case .outage(let q), .lostAcknowledgement(let q, _, _), .clockSkew(let q): return q == p
                default: return false
                }
            }
        }
        faultTouched = plan.faults.map { _ in [UInt64](repeating: 0, count: (n + 63) / 64) }
        faultQueueWait = plan.faults.map { _ in 0 }
        summary.faults = plan.faults.map { fault in
            var f = FaultFigures()
            f.name = fault.name
            f.kind = fault.kindName
            f.target = World.target(of: fault, plan: plan)
            f.startMs = fault.start.millisecondsSinceStart
            f.endMs = fault.end.millisecondsSinceStart
            return f
        }

        for p in platforms.indices {
            for f in 0..<fieldCount where platforms[p].copy.isStored(f) {
                for c in 0..<n { platforms[p].copy.store(c, f, value: truth.value(c, f), changeId: -1) }
            }
        }
    }

    static func target(of fault: FaultPlan, plan: RunPlan) -> String {
        switch fault.kind {
        case .outage(let p), .lostAcknowledgement(let p, _, _), .clockSkew(let p): plan.platforms[p].name
        case .pause(let l), .linkOutage(let l), .degrade(let l, _, _, _), .rateLimit(let l, _, _),
            .duplicate(let l, _, _),
            .drift(let l, _, _, _):
            plan.links[l].name
        }
    }

    static func sameTrigger(_ a: StepPlan.Trigger, _ b: StepPlan.Trigger) -> Bool {
        switch (a, b) {
        case (.at(let x), .at(let y)): return x == y
        case (.on(let x, _), .on(let y, _)): return x == y
        default: return false
        }
    }

    /// The fields platform `p` must keep a copy of.
    static func fieldsHeld(by p: Int, plan: RunPlan) -> [FieldID] {
        var held: [FieldID] = []
        func add(_ f: FieldID) { if !held.contains(f) { held.append(f) } }
        for l in plan.links where l.to == p || l.from == p { l.fields.forEach(add) }
        for s in plan.campaign.steps {
            if s.decidedBy == p {
                (plan.campaign.audience + s.conditions).forEach { add($0.field) }
                if case .on(let c, _) = s.trigger { add(c.field) }
            }
            if s.executor == p, let name = s.channel.consentFieldName, let f = plan.field(named: name) { add(f) }
        }
        for r in plan.campaign.retargeting where r.platform == p {
            (r.audience + r.suppressOn).forEach { add($0.field) }
        }
        if let stage = plan.campaign.salesStage, plan.campaign.steps.contains(where: { $0.decidedBy == p }) {
            add(stage.field)
        }
        for q in plan.platforms {
            if let lookup = q.consentLookup, lookup.platform == p {
                for name in ["consent.email", "consent.sms", "consent.push"] {
                    if let f = plan.field(named: name) { add(f) }
                }
            }
        }
        for pr in plan.behavior.processes where pr.observedBy == p { add(pr.field) }
        for ch in Channel.allCases where plan.platforms[p].kind.channel == ch {
            if let name = ch.consentFieldName, let f = plan.field(named: name) { add(f) }
        }
        return held
    }

    @inline(__always) func consentField(_ channel: Channel) -> FieldID? { consentFieldByChannel[Int(channel.rawValue)] }

    /// What platform `p`'s copy says about `field` for `customer`.
    @inline(__always) func copyValue(_ p: Int, _ customer: Int, _ field: FieldID) -> UInt8 {
        if p == LinkPlan.truth { return truth.value(customer, field) }
        let copy = platforms[p].copy
        if copy.isStored(field) { return copy.storedValue(customer, field) }
        return truth.value(customer, field)
    }

    @inline(__always) func copyHolds(_ p: Int, _ customer: Int, _ conditions: [Condition]) -> Bool {
        for c in conditions where !c.isMet(by: copyValue(p, customer, c.field)) { return false }
        return true
    }

    /// The provenance of platform `p`'s value: the truth change it reflects.
    @inline(__always) func copyChangeId(_ p: Int, _ customer: Int, _ field: FieldID) -> Int64 {
        if p == LinkPlan.truth { return truth.lastChangeId(customer, field) }
        let copy = platforms[p].copy
        if copy.isStored(field) { return copy.storedChangeId(customer, field) }
        return truth.lastChangeId(customer, field)
    }

    /// The customer's local clock offset from the scenario clock at `t` (time of day of the start included).
    @inline(__always) func localClockOffset(_ customer: Int, at t: SimInstant) -> Int64 {
        let table = plan.population.timezones[Int(profiles.timezone[customer])].table
        return startOfDayMilliseconds + table.offset(at: t)
    }

    mutating func handle(_ event: SimEvent, at now: SimInstant, followUps: inout FollowUps<SimEvent>) {
        switch event.kind {
        case .processFires: processFires(event, now: now, followUps: &followUps)
        case .responseChange: responseChange(event, now: now, followUps: &followUps)
        case .streamArrives: streamArrives(event, now: now, followUps: &followUps)
        case .batchSnapshot: batchSnapshot(event, now: now, followUps: &followUps)
        case .batchApply: batchApply(event, now: now, followUps: &followUps)
        case .stepAt: stepAt(event, now: now, followUps: &followUps)
        case .stepCheck:
            let reentry = event.tag & SimEvent.duplicateMark != 0 ? Int(event.payload) : -1
            attemptSend(
                step: Int(event.index), customer: Int(event.customer), now: now, reentry: reentry, followUps: &followUps
            )
        case .deliver: deliverPending(event, now: now, followUps: &followUps)
        case .impression: impressionFires(event, now: now, followUps: &followUps)
        case .faultEdge: faultWindowCloses(event, now: now, followUps: &followUps)
        }
    }
}
