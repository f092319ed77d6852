import MarTechModel
import Population
import SimKernel
import Testing

/// Should draw the population the plan describes, the same one for the same seed.
@Suite struct PopulationTests {
    func plan(customers: Int, seed: UInt64, share: Ratio) -> RunPlan {
        let population = PopulationPlan(initialShares: [(0, share)], devices: [("ios", 0.5)])
        return RunPlan(
            name: "p", seed: seed, customers: customers, horizon: SimInstant(millisecondsSinceStart: 86_400_000),
            startUnixMilliseconds: 0,
            fields: [FieldSpec(name: "consent.email", category: .consent, valueNames: ["no", "yes"])],
            population: population, behavior: BehaviorPlan(), platforms: [], links: [],
            campaign: CampaignPlan(audience: [], goal: nil, steps: [], retargeting: []))
    }

    @Test func initialSharesMatchThePlanWithinBinomialError() {
        let n = 100_000, p = 0.35
        var truth = TruthStore(customerCount: n, fieldCount: 1)
        var profiles = CustomerProfiles(count: n)
        PopulationGenerator.generate(
            plan: plan(customers: n, seed: 7, share: Ratio(35, 100)), truth: &truth, profiles: &profiles)
        let holding = (0..<n).filter { truth.value($0, 0) == 1 }.count
        let sd = (Double(n) * p * (1 - p)).squareRoot()
        #expect(abs(Double(holding) - Double(n) * p) < 4 * sd, "\(holding)")
        let devices = profiles.device.filter { $0 != 0 }.count
        #expect(abs(Double(devices) - Double(n) / 2) < 4 * (Double(n) / 4).squareRoot(), "\(devices)")
    }

    @Test func theSameSeedDrawsTheSamePopulation() {
        func draw(_ seed: UInt64) -> [UInt8] {
            var truth = TruthStore(customerCount: 1000, fieldCount: 1)
            var profiles = CustomerProfiles(count: 1000)
            PopulationGenerator.generate(
                plan: plan(customers: 1000, seed: seed, share: Ratio(1, 2)), truth: &truth, profiles: &profiles)
            return (0..<1000).map { truth.value($0, 0) }
        }
        #expect(draw(3) == draw(3))
        #expect(draw(3) != draw(4))
    }

    @Test func aTruthChangeIsRecordedWithItsTime() {
        var truth = TruthStore(customerCount: 2, fieldCount: 1)
        let id = truth.change(1, 0, to: 1, at: SimInstant(millisecondsSinceStart: 5000))
        #expect(truth.value(1, 0) == 1 && truth.lastChangeId(1, 0) == id && truth.changeTime(id) == 5000)
        #expect(truth.lastChangeId(0, 0) == -1)
    }
}
