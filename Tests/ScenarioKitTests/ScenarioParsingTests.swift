import MarTechModel
import SimKernel
import Testing

@testable import ScenarioKit

/// Should turn a valid file into a plan that says what the file says.
@Suite struct ScenarioParsingTests {
    @Test func validScenarioCompiles() throws {
        let s = try Scenario.parse(yaml: validScenario, sourceName: "tiny.yaml")
        #expect(s.name == "tiny")
        #expect(s.plan.seed == 7 && s.plan.customers == 100)
        #expect(s.plan.horizon == SimInstant(millisecondsSinceStart: 14 * 86_400_000))
        #expect(s.plan.platforms.map(\.name) == ["crm", "map", "sms"])
        #expect(s.plan.platforms[1].frequencyCap?.count == 3)
        #expect(s.plan.platforms[2].quietHours?.startMinute == 21 * 60)
        #expect(s.plan.platforms[2].throughputPerSecond == 10)
        let map = s.plan.links[0]
        guard case .batch(let schedule, let runsFor, _, _) = map.mode else {
            Issue.record("expected a batch")
            return
        }
        #expect(runsFor == .minutes(45))
        #expect(schedule.first == SimInstant(millisecondsSinceStart: 2 * 3_600_000))
        #expect(schedule.count == 14, "02:00 on each of days 0...13 (day 14 02:00 is past the 14d horizon)")
        #expect(map.fields.map { s.plan.fields[$0].name }.sorted() == ["converted", "segment.inactive"])
        guard case .at(let t) = s.plan.campaign.steps[0].trigger else {
            Issue.record("expected a scheduled step")
            return
        }
        #expect(t == SimInstant(millisecondsSinceStart: 34 * 3_600_000))
        #expect(s.plan.campaign.steps[1].decidedBy == 1 && s.plan.campaign.steps[1].executor == 2)
    }

    @Test(arguments: [
        ("45m", 2_700_000), ("1h30m", 5_400_000), ("500ms", 500), ("7d", 604_800_000), ("2w", 1_209_600_000), ("0", 0),
        ("1.5h", 5_400_000),
    ])
    func durations(text: String, milliseconds: Int64) {
        #expect(YAMLValue.parseDuration(text)?.milliseconds == milliseconds)
    }

    @Test(arguments: ["", "h", "5", "5x", "-3h", "3h-"])
    func notDurations(text: String) { #expect(YAMLValue.parseDuration(text) == nil) }

    @Test func dailyScheduleFollowsTheZonesClock() throws {
        let text = mutate("batch: {at: \"02:00\"", "    batch: {at: \"02:00\", timezone: America/New_York}")
        let s = try Scenario.parse(yaml: text, sourceName: "tz.yaml")
        guard case .batch(let schedule, _, _, _) = s.plan.links[0].mode else {
            Issue.record("expected a batch")
            return
        }
        // 02:00 in New York in June (EDT, UTC-4) is 06:00 UTC, and the scenario starts at 00:00 UTC.
        #expect(schedule.first == SimInstant(millisecondsSinceStart: 6 * 3_600_000))
    }

    @Test func gitHashIsAcceptedAsSeed() {
        #expect(Scenario.parseSeed("42") == 42)
        #expect(Scenario.parseSeed("d828095a1b2c3d4e5f60718293a4b5c6d7e8f901") == 0xD828_095A_1B2C_3D4E)
        #expect(Scenario.parseSeed("not-a-seed") == nil)
    }

    @Test func everyDistributionKindParses() throws {
        for dist in [
            "{fixed: 5m}", "{uniform: {min: 1m, max: 5m}}", "{exponential: {mean: 6h}}", "{exponential: {rate: 2/h}}",
            "{lognormal: {median: 6h, p99: 30h}}", "{normal: {mean: 10m, sd: 3m}}", "{empirical: [1m, 2m, 9m]}",
            "{histogram: [{from: 0s, to: 1m, weight: 3}, {from: 1m, to: 10m, weight: 1}]}", "15m",
        ] {
            let text = mutate("stream: {latency:", "    stream: {latency: \(dist)}")
            let s = try Scenario.parse(yaml: text, sourceName: "d.yaml")
            guard case .stream = s.plan.links[1].mode else {
                Issue.record("\(dist)")
                continue
            }
        }
    }
}

/// Should record each link's contract: carried fields under the destination's own names.
@Suite struct LinkContractTests {
    @Test func destinationNamesDefaultToTheVendorsAndCanBeMapped() throws {
        let s = try Scenario.parse(yaml: validScenario, sourceName: "c.yaml")
        #expect(s.plan.links[0].destinationNames.sorted() == ["has_booked", "list:inactive"])
        let mapped = mutate(
            "carries: [segments", "    carries: [segments, conversions]\n    mapping: {conversions: booked_flag}")
        let m = try Scenario.parse(yaml: mapped, sourceName: "c.yaml")
        let i = m.plan.links[0].fields.firstIndex(of: m.plan.field(named: "converted")!)!
        #expect(m.plan.links[0].destinationNames[i] == "booked_flag")
    }

    @Test func mappingAFieldTheLinkDoesNotCarryIsAnError() {
        let text = mutate("carries: [segments", "    carries: [segments]\n    mapping: {conversions: booked_flag}")
        #expect(throws: ScenarioError.self) { _ = try Scenario.parse(yaml: text, sourceName: "c.yaml") }
    }

    @Test func browsingAddsAFieldClearedByBuying() throws {
        let text = mutate("organic_conversion", "    organic_conversion: 0.02/d\n    browses: 1/d")
        let s = try Scenario.parse(yaml: text, sourceName: "b.yaml")
        let browsed = try #require(s.plan.field(named: "browsed"))
        #expect(s.plan.behavior.processes.contains { $0.field == browsed && $0.value == 1 })
        #expect(s.plan.behavior.cascades.contains { $0.then.field == browsed && $0.then.value == 0 })
    }
}
