import Harness
import MarTechModel
import Reporting
import ScenarioKit
import StackSimulation
import TestKit
import Testing

/// Advice from re-runs: each candidate setting changed alone, same seed and customers, ranked by
/// misfires prevented; only settings that prevent something and are not already set.
@Suite struct CounterfactualAdvisorTests {
    @Test func theDSPsApplyDelayComesFirstWhereItDominates() throws {
        let scenario = try ScenarioRunner.load(path: repositoryRoot + "/Scenarios/twins/hotel-winback.broken.yaml")
            .overriding(customers: 5000)
        let summary = Engine.run(plan: scenario.plan, options: EngineOptions(), sink: DiscardingSink()).summary
        let advice = CounterfactualAdvisor.advise(plan: scenario.plan, summary: summary)
        #expect(advice.first?.setting == "platforms.dsp.apply_delay", "\(advice.map(\.setting))")
        #expect(advice.first.map { $0.prevented * 2 > $0.misfiresBefore } == true, "the apply delay causes most of them")
        #expect(advice.allSatisfy { $0.prevented > 0 && $0.misfiresBefore == summary.misfiresByType.reduce(0, +) })
        #expect(zip(advice, advice.dropFirst()).allSatisfy { $0.prevented >= $1.prevented })
        #expect(advice.first?.sentence.contains("re-run of the first 5,000 customers") == true)
        // Common random numbers: the same advice every time.
        #expect(CounterfactualAdvisor.advise(plan: scenario.plan, summary: summary) == advice)
    }

    @Test func aSettingAlreadySetOrUselessIsNeverSuggested() throws {
        var scenario = try ScenarioRunner.load(path: repositoryRoot + "/Scenarios/twins/hotel-winback.broken.yaml")
            .overriding(customers: 3000)
        // With no apply delay on the DSP there is none to remove.
        for p in scenario.plan.platforms.indices { scenario.plan.platforms[p].applyDelay = nil }
        let summary = Engine.run(plan: scenario.plan, options: EngineOptions(), sink: DiscardingSink()).summary
        let advice = CounterfactualAdvisor.advise(plan: scenario.plan, summary: summary)
        #expect(!advice.contains { $0.setting.hasSuffix(".apply_delay") })
        #expect(!advice.isEmpty)
        // A run without misfires gets no re-runs at all.
        var clean = summary
        clean.misfiresByType = clean.misfiresByType.map { _ in 0 }
        #expect(CounterfactualAdvisor.advise(plan: scenario.plan, summary: clean).isEmpty)
    }

    /// Revocations the SMS platform never hears of: asking the CRM at send time prevents them,
    /// and the line says they were critical even though they are a sliver of all misfires.
    @Test func aConsentLookupIsTriedForRevocationsNoLinkCarries() throws {
        let text = """
            name: lookup
            seed: 3
            start: 2026-03-02T00:00:00Z
            duration: 7d
            population:
              customers: 4000
              consent: {sms: 1.0, email: 1.0}
              behavior:
                revokes_consent: {sms: 0.05/d}
            platforms:
              crm: {kind: crm}
              sms: {kind: sms}
            campaign:
              steps:
                - {name: text, day: 3, at: "10:00", via: sms}
            """
        let plan = try Scenario.parse(yaml: text, sourceName: "lookup.yaml").plan
        let summary = Engine.run(plan: plan, options: EngineOptions(), sink: DiscardingSink()).summary
        #expect(summary.misfires(.revokedConsent) > 100)
        let advice = CounterfactualAdvisor.advise(plan: plan, summary: summary)
        let lookup = try #require(advice.first { $0.setting == "platforms.sms.consent_lookup" }, "\(advice)")
        #expect(lookup.change.hasPrefix("{platform: crm"))
        #expect(lookup.criticalBefore == summary.misfires(.revokedConsent) && lookup.criticalAfter == 0)
        let n = lookup.criticalBefore
        #expect(n < 1000, "a count below a thousand reads the same with or without grouping")
        #expect(lookup.sentence.contains("including \(n) of \(n) critical ones"), "\(lookup.sentence)")
    }
}
