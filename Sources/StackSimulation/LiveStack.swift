import MarTechModel
import PlatformFakes
import SimKernel

/// One change to what a platform shows of a customer: the cause of a webhook, a new
/// last-modified time, an inbound STOP the SMS platform passes on.
public struct ViewChange: Sendable, Equatable {
    public let platform: Int
    public let customer: Int
    public let field: FieldID
    public let value: UInt8
    public let at: SimInstant
    /// The truth change the value reflects (-1: none, such as a client's write no change explains).
    public let changeId: Int64
}

/// What became of a client's write into a platform's record of a customer.
public enum ClientWriteOutcome: Equatable, Sendable {
    /// The platform's copy took the value; links carry it on as they carry any change.
    case applied
    /// The copy already held that value.
    case unchanged
    /// The platform observes this field itself (the system of record shows the customer's truth).
    case systemOfRecord
    /// The platform keeps no copy of this field in this scenario.
    case notHeld
}

/// Why a platform refused a message a client asked it to send.
public enum ClientRefusal: Equatable, Sendable {
    /// The platform's own copy says the customer opted out of the channel (Twilio's 21610).
    case optedOut
    /// The platform's frequency cap, or the orchestrator's, holds the message back.
    case capped
    /// The platform is in an outage window.
    case unavailable
    /// A push to a customer with no device.
    case unreachable
}

/// What became of a message a client asked a platform to send.
public enum ClientSendOutcome: Equatable, Sendable {
    /// Accepted as touchpoint `touchpoint`; it is delivered (and judged) when the sender releases it.
    case accepted(touchpoint: Int64)
    case refused(ClientRefusal)
}

/// The stack driven from outside, one instant at a time: serve mode's engine.
///
/// The same world `Engine.run` builds, with the same plan, rows and oracle; its clock moves only
/// when `advance(to:)` is called (serve mode maps the wall clock to virtual time at its edge).
/// Clients read platforms' views, write into their copies and send messages through them; each
/// message is a touchpoint of a client-sent step (`StepPlan.client`) and judged like any other.
public struct LiveStack {
    private var simulation: Simulation<World>
    public let plan: RunPlan
    /// Values clients wrote that no truth change explains (a wrong or stale value).
    public private(set) var unexplainedWrites = 0
    /// Per link: values written into an external link's destination that no truth change explains.
    public private(set) var unexplainedByLink: [Int]
    /// Per link: each measured freshness of an external link (ms), in arrival order.
    public private(set) var externalFreshness: [[Int64]]

    public init(plan: RunPlan, options: EngineOptions, sink: RecordSink) {
        self.plan = plan
        unexplainedByLink = plan.links.map { _ in 0 }
        externalFreshness = plan.links.map { _ in [] }
        var options = options
        options.logsViewChanges = true
        options.performsExternalLinks = false
        simulation = World.armed(plan: plan, options: options, sink: sink)
    }

    public var now: SimInstant { simulation.now }
    public var horizon: SimInstant { plan.horizon }
    public var customerCount: Int { plan.customers }
    public var eventsProcessed: Int { simulation.eventCountProcessed }

    /// Runs every event due up to `t` (capped at the horizon). Nil while the run is healthy.
    public mutating func advance(to t: SimInstant) -> StopReason? {
        let until = min(t, plan.horizon)
        guard until > simulation.now else { return nil }
        let reason = simulation.run(
            until: until, eventBudget: plan.limits.eventBudget, pendingEventsMax: plan.limits.pendingEventsMax)
        return reason == .horizonReached ? nil : reason
    }

    /// What platform `p` shows of `field` for `customer`; nil if it neither holds nor observes it.
    public func view(platform p: Int, customer c: Int, field f: FieldID) -> UInt8? {
        switch simulation.handler.platforms[p].copy.slots[f] {
        case .absent: return nil
        case .observesTruth: return simulation.handler.truth.value(c, f)
        case .stored: return simulation.handler.platforms[p].copy.storedValue(c, f)
        }
    }

    /// Whether platform `p` has field `f` at all (holds a copy or observes it).
    public func shows(platform p: Int, field f: FieldID) -> Bool {
        simulation.handler.platforms[p].copy.slots[f] != .absent
    }

    /// The customer's truth (for tests and the oracle's reports, never for a fake's answers).
    public func truth(customer c: Int, field f: FieldID) -> UInt8 { simulation.handler.truth.value(c, f) }

    /// When platform `p`'s record of the customer last changed (the start if never).
    public func lastModified(platform p: Int, customer c: Int) -> SimInstant {
        SimInstant(millisecondsSinceStart: simulation.handler.modifiedAt[p][c])
    }

    /// How long a message platform `p` sends now would wait behind its throughput queue.
    public func senderBacklog(platform p: Int) -> SimDuration {
        SimDuration(roundingMilliseconds: simulation.handler.platforms[p].sender.backlogMilliseconds(at: simulation.now))
    }

    /// Whether an outage window of the scenario's chaos holds platform `p` down now.
    public func isDown(platform p: Int) -> Bool {
        simulation.handler.outage(of: p, at: simulation.now) != nil
    }

    /// A client wrote `value` into platform `p`'s record of `field` for `customer`, now.
    public mutating func write(platform p: Int, customer c: Int, field f: FieldID, value: UInt8)
        -> ClientWriteOutcome
    {
        switch simulation.handler.platforms[p].copy.slots[f] {
        case .absent: return .notHeld
        case .observesTruth: return .systemOfRecord
        case .stored:
            if simulation.handler.platforms[p].copy.storedValue(c, f) == value { return .unchanged }
            let world = simulation.handler
            let explained = world.truth.value(c, f) == value
            let changeId = explained ? world.truth.lastChangeId(c, f) : -1
            if !explained { unexplainedWrites += 1 }
            let hadChange = simulation.handler.platforms[p].copy.storedChangeId(c, f)
            measureExternal(into: p, customer: c, field: f, value: value, changeId: changeId, previous: hadChange)
            var followUps = FollowUps<SimEvent>()
            simulation.handler.applyToCopy(
                platform: p, customer: c, field: f, value: value, changeId: changeId, now: simulation.now,
                followUps: &followUps)
            schedule(followUps)
            return .applied
        }
    }

    /// A value written into an external link's destination is that link's delivery: its
    /// freshness is the time since the truth change it carries (a value no change explains is
    /// counted apart, and so is a write of a change the copy already held).
    private mutating func measureExternal(
        into p: Int, customer c: Int, field f: FieldID, value: UInt8, changeId: Int64, previous: Int64
    ) {
        for (l, link) in plan.links.enumerated() where link.external && link.to == p && link.fields.contains(f) {
            guard changeId >= 0 else {
                unexplainedByLink[l] += 1
                continue
            }
            guard previous != Int64(Int32(truncatingIfNeeded: changeId)) else { continue }
            let changedAt = simulation.handler.truth.changeTime(changeId)
            externalFreshness[l].append(simulation.now.millisecondsSinceStart - changedAt)
            simulation.handler.recordDelivery(
                link: l, customer: c, field: f, changeId: changeId, value: value, sentAt: changedAt, now: simulation.now,
                batch: -1)
            return
        }
    }

    /// A client asked platform `p` (executor of client-sent step `step`) to message `customer` now.
    public mutating func send(step s: Int, customer c: Int) -> ClientSendOutcome {
        precondition(plan.campaign.steps[s].isClientSent, "only client-sent steps are sent from outside")
        var followUps = FollowUps<SimEvent>()
        let outcome = simulation.handler.clientSend(step: s, customer: c, now: simulation.now, followUps: &followUps)
        schedule(followUps)
        return outcome
    }

    /// The changes to platforms' views since the last call, in the order they happened.
    public mutating func takeViewChanges() -> [ViewChange] {
        let changes = simulation.handler.viewChanges
        simulation.handler.viewChanges.removeAll(keepingCapacity: true)
        return changes
    }

    /// Client-sent touchpoints delivered since the last call (`touchpoint`, when), in order.
    public mutating func takeDeliveries() -> [(touchpoint: Int64, at: SimInstant)] {
        let delivered = simulation.handler.clientDeliveries
        simulation.handler.clientDeliveries.removeAll(keepingCapacity: true)
        return delivered
    }

    /// Ends the session: settles what is open, flushes rows, returns the run's summary.
    /// `reachedHorizon`: the scenario's time ran out (rather than a signal ending it early).
    public mutating func finish(reachedHorizon: Bool) -> EngineResult {
        if reachedHorizon { simulation.handler.finishImpressions(now: plan.horizon) }
        simulation.handler.finishFigures()
        simulation.handler.recorder.flush()
        var summary = simulation.handler.summary
        summary.customers = plan.customers
        summary.eventsProcessed = simulation.eventCountProcessed
        summary.pendingEventsMax = simulation.queue.countMax
        return EngineResult(
            summary: summary, stopReason: reachedHorizon ? .horizonReached : .cancelled,
            rowsWritten: simulation.handler.recorder.rowsTotal,
            stateBytes: simulation.handler.stateBytes(pendingEventsMax: summary.pendingEventsMax))
    }

    /// Hands rows buffered so far to the sink (so an interrupted session keeps them).
    public mutating func flushRows() { simulation.handler.recorder.flush() }

    private mutating func schedule(_ followUps: FollowUps<SimEvent>) {
        for (due, event) in followUps.events { simulation.schedule(event, at: max(due, simulation.now)) }
    }
}
