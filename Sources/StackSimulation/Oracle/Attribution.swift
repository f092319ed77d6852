import MarTechModel
import SimKernel

/// Root causes from provenance: why a platform's copy said what it said when it acted.
extension World {
    /// Why platform `p` decided on a value of `field` that the truth contradicts.
    ///
    /// Along a chain of links (CRM→CDP→MAP) the first link still holding the change is named:
    /// that is the one that was late.
    func attribute(platform p: Int, customer c: Int, field f: FieldID, decidedAt: SimInstant)
        -> Attribution
    {
        let truthChange = truth.lastChangeId(c, f)
        let change: Int64? = truthChange >= 0 ? truthChange : nil
        if let change, truth.changeTime(change) > decidedAt.millisecondsSinceStart {
            return Attribution(cause: .changedAfterDecision, change: change)
        }
        if copyChangeId(p, c, f) == truthChange { return .journeyDesign }
        return linkCause(platform: p, customer: c, field: f, change: truthChange, depth: 0, )
    }

    /// The attribution at decision time when it was taken, unless the truth moved since.
    func attribute(
        platform p: Int, customer c: Int, field f: FieldID, decidedAt: SimInstant, basis: [DecisionBasis]
    ) -> Attribution {
        let truthChange = truth.lastChangeId(c, f)
        if truthChange >= 0 && truth.changeTime(truthChange) > decidedAt.millisecondsSinceStart {
            return Attribution(cause: .changedAfterDecision, change: truthChange)
        }
        if let b = basis.first(where: { $0.platform == p && $0.field == f }) { return b.attribution }
        return attribute(platform: p, customer: c, field: f, decidedAt: decidedAt, )
    }

    /// Attributions of every field the oracle may ask about, taken at decision time for a
    /// message that will be delivered later.
    func decisionBasis(step s: Int, customer c: Int, now: SimInstant) -> [DecisionBasis] {
        let step = plan.campaign.steps[s]
        var out: [DecisionBasis] = []
        func add(_ p: Int, _ f: FieldID) {
            out.append(
                DecisionBasis(
                    platform: p, field: f,
                    attribution: attribute(platform: p, customer: c, field: f, decidedAt: now, )))
        }
        if let goal = plan.campaign.goal { add(step.decidedBy, goal.field) }
        if let cf = consentField(step.channel) { add(step.executor, cf) }
        for condition in topology.stepAudience[s] { add(step.decidedBy, condition.field) }
        return out
    }

    private func linkCause(
        platform p: Int, customer c: Int, field f: FieldID, change: Int64, depth: Int
    )
        -> Attribution
    {
        let unseen: Int64? = change == -1 ? nil : change
        guard let l = topology.inboundLink[p][f], depth < 8 else {
            return Attribution(cause: .notCarried, change: unseen)
        }
        let link = links[l]
        if copyChangeId(link.plan.from, c, f) != change {
            return linkCause(
                platform: link.plan.from, customer: c, field: f, change: change, depth: depth + 1, )
        }
        if link.hasFaults {
            if let k = faultBehind(link: l, customer: c, field: f, change: change) {
                return Attribution(cause: MisfireOracle.cause(ofFault: plan.faults[k]), link: l, change: unseen)
            }
        }
        switch link.plan.mode {
        case .stream:
            let cause: MisfireCause =
                waitsForRecompute(l)
                ? .awaitingRecompute : platforms[link.plan.to].plan.applyDelay == nil ? .streamLatency : .applyDelay
            return Attribution(cause: cause, link: l, change: unseen)
        case .batch:
            let at = truth.changeTime(change)
            if at >= link.lastSnapshotAt { return Attribution(cause: .awaitingBatch, link: l, change: unseen) }
            if at >= link.lastHandedSnapshotAt { return Attribution(cause: .batchRunning, link: l, change: unseen) }
            return Attribution(cause: waitsForRecompute(l) ? .awaitingRecompute : .applyDelay, link: l, change: unseen)
        }
    }
}

extension MisfireOracle {
    /// The oracle's cause for a record a fault of this kind touched.
    static func cause(ofFault fault: FaultPlan) -> MisfireCause {
        switch fault.kind {
        case .outage, .linkOutage: .outage
        case .pause: .linkPaused
        case .degrade: .linkErrors
        case .rateLimit: .rateLimited
        case .duplicate: .duplicateDelivery
        case .lostAcknowledgement: .lostAcknowledgement
        case .drift: .schemaDrift
        case .clockSkew: .clockFault
        }
    }
}
