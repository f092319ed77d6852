import MarTechModel
import SimKernel

/// The stack's wiring, read on every event: which processes, platforms, links, steps and faults
/// each field, platform and step touches. Built once from the plan, never changed; flat tables
/// so the hot path indexes instead of searching or hashing.
struct Topology {
    let customerCount: Int
    let processCount: Int
    /// Days of the run, counted from day 0 (per-day figures have one slot each).
    let dayCount: Int
    /// Processes to re-evaluate when a field changes.
    let processesByField: [[Int]]
    /// Platforms observing each field in the truth.
    let observersByField: [[Int]]
    /// Per field, platforms that see its changes at once only from one source.
    let sourceObserversByField: [[(platform: Int, source: TruthChangeCause)]]
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
    /// Per field: do its truth changes matter to impressions (the goal, observed audience fields)?
    let impressionTruthField: [Bool]
    /// Per `[platform][field]`: does this copy field decide whether a retargeting serves?
    let impressionCopyField: [[Bool]]
    /// Steps sharing a trigger on another channel, per step (duplicates across channels).
    let siblings: [[Int]]
    /// Per step, its slot in the journeys' `lastSent` table, or -1 if nobody asks when it was sent.
    let lastSentSlot: [Int?]
    let lastSentSlotCount: Int
    /// Per step, the truth field its opens set (`opened.<step>`), or -1 when nobody asks.
    let openedField: [Int]
    /// Faults per platform (outages, lost acknowledgements, clock faults), by index into `plan.faults`.
    let platformFaults: [[Int]]
    /// Local clock offset of each time zone at the start (start time of day + UTC offset).
    let startOfDayMilliseconds: Int64

    init(plan: RunPlan) {
        let fieldCount = plan.fields.count, platformCount = plan.platforms.count
        customerCount = plan.customers
        processCount = plan.behavior.processes.count
        dayCount = Int(plan.horizon.millisecondsSinceStart / 86_400_000) + 1
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
        var bySource = [[(platform: Int, source: TruthChangeCause)]](repeating: [], count: fieldCount)
        for (i, p) in plan.platforms.enumerated() {
            for o in p.observesFromSource { bySource[o.field].append((i, o.source)) }
        }
        sourceObserversByField = bySource

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
        consentFieldByChannel = Channel.allCases.map { ch in ch.consentFieldName.flatMap { plan.field(named: $0) } }
        // A client-sent step's audience is whoever the team's code picked: no campaign audience.
        stepAudience = plan.campaign.steps.map { $0.isClientSent ? [] : plan.campaign.audience + $0.conditions }
        (impressionTruthField, impressionCopyField) = Topology.impressionFields(plan)

        let steps = plan.campaign.steps
        let siblings = steps.indices.map { s in
            steps.indices.filter { o in
                o != s && steps[o].channel != steps[s].channel
                    && Topology.sameTrigger(steps[o].trigger, steps[s].trigger)
            }
        }
        self.siblings = siblings
        var sentSlots = [Int?](repeating: nil, count: steps.count), sentCount = 0
        for s in steps.indices where !siblings[s].isEmpty || steps.contains(where: { $0.skipIfSent?.step == s }) {
            sentSlots[s] = sentCount
            sentCount += 1
        }
        (lastSentSlot, lastSentSlotCount) = (sentSlots, sentCount)
        openedField = steps.map { $0.openedField ?? -1 }

        platformFaults = plan.platforms.indices.map { p in
            plan.faults.indices.filter { k in
                switch plan.faults[k].kind {
                case .outage(let q), .lostAcknowledgement(let q, _, _), .clockSkew(let q): return q == p
                default: return false
                }
            }
        }
    }

    /// Which truth fields and which `[platform][field]` copy fields decide whether an ad serves.
    static func impressionFields(_ plan: RunPlan) -> (truth: [Bool], copy: [[Bool]]) {
        let fieldCount = plan.fields.count
        var truthFields = [Bool](repeating: false, count: fieldCount)
        if let goal = plan.campaign.goal { truthFields[goal.field] = true }
        var copyFields = [[Bool]](repeating: [Bool](repeating: false, count: fieldCount), count: plan.platforms.count)
        for r in plan.campaign.retargeting {
            for f in (r.audience + r.suppressOn).map(\.field) {
                copyFields[r.platform][f] = true
                if plan.platforms[r.platform].observes.contains(f) { truthFields[f] = true }
            }
        }
        return (truthFields, copyFields)
    }

    static func sameTrigger(_ a: StepPlan.Trigger, _ b: StepPlan.Trigger) -> Bool {
        switch (a, b) {
        case (.at(let x), .at(let y)): return x == y
        case (.on(let x, _), .on(let y, _)): return x == y
        default: return false
        }
    }

    /// The fields platform `p` must keep a copy of: those it is asked about (by links, steps,
    /// gates or retargeting) and does not observe.
    static func fieldsHeld(by p: Int, plan: RunPlan) -> [FieldID] {
        var held: [FieldID] = []
        func add(_ f: FieldID) { if !held.contains(f) { held.append(f) } }
        for l in plan.links where l.to == p || l.from == p { l.fields.forEach(add) }
        for s in plan.campaign.steps {
            if s.decidedBy == p && !s.isClientSent {
                (plan.campaign.audience + s.conditions).forEach { add($0.field) }
                if case .on(let c, _) = s.trigger { add(c.field) }
                // skip_if_opened reads the decider's own copy of the open.
                if let o = s.skipIfOpened, let f = plan.campaign.steps[o].openedField { add(f) }
            }
            // The sender of a step whose opens are asked about keeps them (it tracks its opens).
            if s.executor == p, let f = s.openedField { add(f) }
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
}
