import SimKernel
import Testing

/// A handler that sends pings to itself with random delays and records what it saw.
private struct PingHandler: EventHandler {
    var trace: [String] = []
    var random: SeededRandom
    mutating func handle(_ event: Int, at now: SimInstant, followUps: inout FollowUps<Int>) {
        trace.append("t+\(now.millisecondsSinceStart)ms ping(\(event))")
        if event < 200 {
            let delay = Distribution.exponential(mean: 1000).sample(&random)
            followUps.schedule(event + 50, at: now.advanced(by: delay))
        }
    }
}

private func runTrace(seed: UInt64, horizon: Int64 = 1_000_000) -> [String] {
    var sim = Simulation(handler: PingHandler(random: SeededRandom(seed: seed)))
    for i in 0..<50 { sim.schedule(i, at: SimInstant(millisecondsSinceStart: Int64(i % 5) * 10)) }
    _ = sim.run(until: SimInstant(millisecondsSinceStart: horizon))
    return sim.handler.trace
}

/// Should replay identically from a seed, respect the horizon and the event budget.
@Suite struct SimulationTests {
    @Test func sameSeedReplaysSameTrace() { #expect(runTrace(seed: 42) == runTrace(seed: 42)) }

    @Test func differentSeedsDiverge() { #expect(runTrace(seed: 42) != runTrace(seed: 43)) }

    @Test func eventsDueAtSameInstantRunInScheduleOrder() {
        let atZero = runTrace(seed: 7).filter { $0.hasPrefix("t+0ms ") }
        #expect(atZero == (0..<50).filter { $0 % 5 == 0 }.map { "t+0ms ping(\($0))" })
    }

    @Test func horizonIsRespected() {
        let trace = runTrace(seed: 3, horizon: 2000)
        let times = trace.map { Int64($0.dropFirst(2).prefix { $0.isNumber })! }
        #expect(!times.isEmpty && times.allSatisfy { $0 <= 2000 })
        #expect(times == times.sorted(), "time never runs backwards")
    }

    @Test func eventBudgetStopsTheRun() {
        var sim = Simulation(handler: PingHandler(random: SeededRandom(seed: 1)))
        for i in 0..<50 { sim.schedule(i, at: .start) }
        let reason = sim.run(until: SimInstant(millisecondsSinceStart: 10_000_000), eventBudget: 60)
        #expect(reason == .eventBudgetExhausted(limit: 60))
        #expect(sim.eventCountProcessed == 60)
    }
}
