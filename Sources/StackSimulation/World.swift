import MarTechModel
import PlatformFakes
import Population
import SimKernel

/// The simulated stack: truth, six kinds of fake platform, the links between them, the
/// campaign, and the oracle watching every touchpoint.
///
/// The world is a pure event handler: it is told the time, draws randomness only from
/// per-customer generators derived from the scenario seed, and writes rows to a recorder.
/// A customer's hot state is one record (`CustomerRecords`); the rest lives in flat arrays indexed
/// by customer number. Its wiring (what each field, platform and step touches) is the
/// `Topology`; the figures beside the rows are `RunFigures`.
struct World: EventHandler {
    typealias Event = SimEvent

    let plan: RunPlan
    let options: EngineOptions
    let topology: Topology
    let customerCount: Int
    var truth: TruthStore
    var profiles: CustomerProfiles
    var platforms: [FakePlatform]
    var links: [LinkState]
    var recorder: Recorder
    var summary: RunSummary
    var figures: RunFigures

    /// Every customer's one record: truth, cores, each platform's copy, each impression account.
    let recordArena: CustomerRecordArena
    /// Each customer's behaviour generator (SplitMix64, derived from (seed, customer)), process
    /// generations and batch links' changed bits, one record per customer.
    var cores: CustomerCores
    /// One bit per customer per step: already sent.
    var stepSent: [[UInt64]]
    var ledgers: [ImpressionLedger]
    /// The misfire oracle: it watches every touchpoint and returns misfires; `record` counts them.
    var oracle: MisfireOracle
    /// The orchestrator's ledger when it enforces the policy across channels.
    var enforcedCap: FrequencyCapLedger?
    /// When each tracked step last went to each customer (-1: never): `lastSent[slot][customer]`.
    var lastSent: [[Int64]]
    /// One bit per (misfire type, channel) per customer: already counted as a distinct customer.
    var misfiredBits: [UInt64]
    var pending: [PendingDelivery] = []
    var pendingFree: [Int32] = []
    var touchpointNext: Int64 = 0
    /// The step funnel, `[step × FunnelStage]`, and the last touchpoint counted as misfired in it
    /// (one message with several misfire types counts once).
    var funnelCounts: [Int]
    var funnelMisfiredTouchpoint: Int64 = -1
    var misfireNext: Int64 = 0
    /// One bit per customer per fault: already counted as touched.
    var faultTouched: [[UInt64]]
    /// Summed rate-limit queue waits per fault (ms).
    var faultQueueWait: [Double]
    /// When each platform's vendor API is next free to take a write (ms; see `vendorQueueWait`).
    var vendorFreeAt: [Double]
    /// Serve mode only (`EngineOptions.logsViewChanges`): what changed in each platform's view, and when each
    /// platform's record of each customer last changed (`modifiedAt[platform][customer]`, ms).
    var viewChanges: [ViewChange] = []
    var modifiedAt: [[Int64]] = []
    /// Serve mode only: client-sent touchpoints delivered, in order (`touchpoint`, ms).
    var clientDeliveries: [(touchpoint: Int64, at: SimInstant)] = []

    init(plan: RunPlan, options: EngineOptions, sink: RecordSink) {
        self.plan = plan
        self.options = options
        let topology = Topology(plan: plan)
        self.topology = topology
        let n = plan.customers
        let fieldCount = plan.fields.count
        customerCount = n
        let records = CustomerRecords(plan: plan, topology: topology, spacing: options.recordSpacing)
        recordArena = records.arena
        truth = TruthStore(fieldCount: fieldCount, records: ValueRecords(section: records.truth, slots: fieldCount))
        profiles = CustomerProfiles(count: n)
        PopulationGenerator.generate(plan: plan, truth: &truth, profiles: &profiles)
        recorder = Recorder(sink: sink, flushRows: options.flushRows)
        cores = CustomerCores(
            section: records.cores, processCount: topology.processCount, batchLinkCount: records.batchLinkCount,
            seed: plan.seed)
        stepSent = plan.campaign.steps.map { _ in [UInt64](hugeRepeating: 0, count: (n + 63) / 64) }
        platforms = plan.platforms.enumerated().map { (i, p) in
            FakePlatform(
                plan: p, customerCount: n, fieldCount: fieldCount, held: Topology.fieldsHeld(by: i, plan: plan),
                records: records.copies[i])
        }
        ledgers = records.accounts.map {
            ImpressionLedger(accounts: $0, perEvent: options.impressionMode == .perEvent)
        }
        var batchLinks = 0
        links = plan.links.map {
            var slot = -1
            if case .batch = $0.mode {
                slot = batchLinks
                batchLinks += 1
            }
            return LinkState(plan: $0, destination: $0.to >= 0 ? plan.platforms[$0.to] : nil, dirtySlot: slot)
        }
        figures = RunFigures(plan: plan, dayCount: topology.dayCount)
        summary = RunFigures.emptySummary(plan: plan, dayCount: topology.dayCount)
        misfiredBits = [UInt64](hugeRepeating: 0, count: n)
        funnelCounts = [Int](repeating: 0, count: plan.campaign.steps.count * FunnelStage.allCases.count)
        oracle = MisfireOracle(plan: plan)
        if plan.campaign.enforcesFrequencyCap, let cap = plan.campaign.frequencyCap {
            enforcedCap = FrequencyCapLedger(customerCount: n, count: cap.count, window: cap.window)
        }
        lastSent = (0..<topology.lastSentSlotCount).map { _ in [Int64](hugeRepeating: -1, count: n) }
        faultTouched = plan.faults.map { _ in [UInt64](hugeRepeating: 0, count: (n + 63) / 64) }
        faultQueueWait = plan.faults.map { _ in 0 }
        vendorFreeAt = plan.platforms.map { _ in 0 }
        if options.logsViewChanges { modifiedAt = plan.platforms.map { _ in [Int64](repeating: 0, count: n) } }
        // Every platform's copy starts equal to the truth (customer by customer: one record at a time).
        let stored = platforms.indices.flatMap { p in (0..<fieldCount).filter { platforms[p].copy.isStored($0) }.map { (p, $0) } }
        for c in 0..<n {
            for (p, f) in stored { platforms[p].copy.store(c, f, value: truth.value(c, f), changeId: -1) }
        }
    }

    @inline(__always) func consentField(_ channel: Channel) -> FieldID? {
        topology.consentFieldByChannel[Int(channel.rawValue)]
    }

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
        return topology.startOfDayMilliseconds + table.offset(at: t)
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
            // A journey re-entered by a duplicated delivery carries the fault that duplicated it.
            let reentry: Int? = event.tag & SimEvent.duplicateMark != 0 ? Int(event.payload) : nil
            attemptSend(
                step: event.step, customer: event.customerIndex, now: now, reentry: reentry, followUps: &followUps
            )
        case .deliver: deliverPending(event, now: now, followUps: &followUps)
        case .impression: impressionFires(event, now: now, followUps: &followUps)
        case .faultEdge: faultWindowCloses(event, now: now, followUps: &followUps)
        }
    }
}
