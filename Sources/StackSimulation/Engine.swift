import MarTechModel
import SimKernel

/// What one run of the engine produced, besides the rows it wrote.
public struct EngineResult: Sendable {
    public var summary: RunSummary
    public var stopReason: StopReason
    public var rowsWritten: Int
    /// The engine's state in memory at the end of the run, part by part.
    public var stateBytes: StateBytes
}

/// Runs a compiled plan: builds the world, queues the starting events, runs to the horizon.
///
/// Pure: all output goes to the sink it is given, all randomness derives from the plan's seed.
///
/// ```swift
/// let result = Engine.run(plan: plan, options: EngineOptions(), sink: DiscardingSink())
/// print(result.summary.touchpoints(.email))
/// ```
public enum Engine {
    /// - Parameters:
    ///   - shouldStop: polled every 65,536 events; true stops the run (it is then incomplete).
    ///   - progress: told the share of virtual time done and the events processed, at the same cadence.
    ///   - armed: called once the world is built and its first events are queued, before the first
    ///     event runs (the benchmark times setup and the event loop apart).
    public static func run(
        plan: RunPlan, options: EngineOptions, sink: RecordSink, shouldStop: () -> Bool = { false },
        progress: (Double, Int) -> Void = { _, _ in }, armed: () -> Void = {}
    ) -> EngineResult {
        var simulation = World.armed(plan: plan, options: options, sink: sink)
        armed()
        let horizon = Double(max(plan.horizon.millisecondsSinceStart, 1))
        let reason = simulation.run(
            until: plan.horizon, eventBudget: plan.limits.eventBudget, pendingEventsMax: plan.limits.pendingEventsMax
        ) { now, events in
            progress(Double(now.millisecondsSinceStart) / horizon, events)
            return shouldStop()
        }
        if reason == .horizonReached { simulation.handler.finishImpressions(now: plan.horizon) }
        simulation.handler.finishFigures()
        simulation.handler.recorder.flush()
        var summary = simulation.handler.summary
        summary.customers = plan.customers
        summary.eventsProcessed = simulation.eventCountProcessed
        summary.pendingEventsMax = simulation.queue.countMax
        return EngineResult(
            summary: summary, stopReason: reason, rowsWritten: simulation.handler.recorder.rowsTotal,
            stateBytes: simulation.handler.stateBytes(pendingEventsMax: summary.pendingEventsMax))
    }
}

extension World {
    /// A world with its customers recorded and its first events queued: what `Engine.run` runs
    /// to the horizon and `LiveStack` advances from outside.
    static func armed(plan: RunPlan, options: EngineOptions, sink: RecordSink) -> Simulation<World> {
        var world = World(plan: plan, options: options, sink: sink)
        world.recordCustomers()
        var starting = FollowUps<SimEvent>()
        world.armProcesses(followUps: &starting)
        world.armLinks(followUps: &starting)
        world.armSteps(followUps: &starting)
        world.armImpressions(followUps: &starting)
        world.armFaults(followUps: &starting)
        var simulation = Simulation(handler: world)
        simulation.scheduleAll(&starting)
        return simulation
    }

    mutating func recordCustomers() {
        for c in 0..<customerCount {
            recorder.batch.customers.append(
                CustomerRecord(
                    id: Int32(c), timezone: profiles.timezone[c], age: profiles.age[c], device: profiles.device[c],
                    attributes: profiles.attributes[c], initialFields: truth.packedValues(c)))
            recorder.counted()
        }
    }
}
