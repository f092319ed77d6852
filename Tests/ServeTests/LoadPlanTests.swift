import MarTechModel
import Testing

@Suite("Arrival-rate schedules")
struct LoadPlanTests {
    @Test func aConstantRateCallsForRateTimesTime() {
        let plan = LoadPlan(name: "c", target: .url("http://x/"), startRate: 1000, stages: [.init(rate: 1000, seconds: 60)])
        #expect(plan.arrivals(by: 0) == 0)
        #expect(plan.arrivals(by: 1.5) == 1500)
        #expect(plan.arrivals(by: 60) == 60_000)
        #expect(plan.arrivals(by: 90) == 60_000)
    }

    @Test func aRampIsTheAreaUnderAPiecewiseLinearRate() {
        // 0 → 100/s over 10 s (500 requests), then 100 → 100 over 5 s (500), then down to 0 over 2 s (100).
        let plan = LoadPlan(
            name: "r", target: .url("http://x/"), startRate: 0,
            stages: [.init(rate: 100, seconds: 10), .init(rate: 100, seconds: 5), .init(rate: 0, seconds: 2)])
        #expect(plan.seconds == 17)
        #expect(plan.arrivals(by: 5) == 125)
        #expect(plan.arrivals(by: 10) == 500)
        #expect(plan.arrivals(by: 15) == 1000)
        #expect(plan.arrivals(by: 17) == 1100)
    }
}
