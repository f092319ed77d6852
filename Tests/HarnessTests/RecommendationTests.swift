import Foundation
import MarTechModel
import Reporting
import ScenarioKit
import StackSimulation
import TestKit
import Testing

private func summary(_ text: String) throws -> RunSummary {
    let plan = try Scenario.parse(yaml: text, sourceName: "r.yaml").overriding(customers: 20000).plan
    return Engine.run(plan: plan, options: EngineOptions(), sink: DiscardingSink()).summary
}

/// Should predict what a fresher link prevents, and the prediction should hold when re-run.
@Suite struct RecommendationTests {
    @Test func preventedShareIsProRataOverIntervals() {
        var f = LinkFigures()
        f.staleness = [
            Staleness(from: 0, to: 0, count: 1), Staleness(from: 100, to: 100, count: 1),
            Staleness(from: 0, to: 200, count: 2),
        ]
        // Threshold 50: the age-0 message is not prevented, the age-100 one is, 3/4 of the interval is.
        #expect(abs(f.preventedShare(freshnessUnder: 50) - (0 + 1 + 1.5) / 4) < 1e-12)
    }

    @Test func recommendedFreshnessPreventsWhatItPredicts() throws {
        let text = try String(
            contentsOfFile: repositoryRoot + "/Scenarios/twins/hotel-winback.broken.yaml", encoding: .utf8)
        let before = try summary(text)
        let mapLink = 0
        let predicted = before.links[mapLink].preventedShare(freshnessUnder: 900_000)
        #expect(predicted > 0.8)
        let after = try summary(
            text.replacingOccurrences(of: "batch: {at: \"02:00\", runs_for: 45m}", with: "stream: {latency: 15m}"))
        let actual = 1 - Double(after.links[mapLink].misfires) / Double(before.links[mapLink].misfires)
        #expect(abs(actual - predicted) < 0.05, "predicted \(predicted), re-run shows \(actual)")
        let advice = Recommendations.make(
            summary: before, linkNames: ["crm_to_map", "crm_to_sms", "crm_to_dsp"], stepNames: [], salesStage: nil)
        #expect(
            advice.contains {
                $0.hasPrefix("crm_to_map caused") && $0.contains("A link fresher than 15m would have prevented")
            })
    }

    @Test func aDestinationsApplyDelayIsNamedAndNoFasterLinkIsPromised() {
        var s = RunSummary()
        var f = LinkFigures()
        f.misfires = 100
        f.misfiresByType = [Int](repeating: 0, count: MisfireType.allCases.count)
        f.misfiresByType[Int(MisfireType.postConversion.rawValue)] = 100
        f.staleness = [Staleness(from: 0, to: 30 * 3_600_000, count: 100)]
        f.deliveries = 10
        s.links = [f]
        let advice = Recommendations.make(
            summary: s, linkNames: ["crm_to_dsp"], stepNames: [], salesStage: nil,
            applyDelays: [("platforms.dsp.apply_delay", 6 * 3_600_000)])
        let text = try! #require(advice.first)
        #expect(text.contains("Every delivery waits platforms.dsp.apply_delay (6h on average)"))
        #expect(!text.contains("A link fresher than 1h"))
        // The fastest the delay allows on the ladder is 6h: 24h of the 30h spread is older than that.
        #expect(text.contains("At the fastest it allows (6h), 80% of them would have been prevented."))
    }

    @Test func consentAdviceNeverNamesASettingAlreadySet() {
        var s = RunSummary()
        s.designMisfiresByStep = [[Int](repeating: 0, count: MisfireType.allCases.count)]
        s.designMisfiresByStep[0][Int(MisfireType.revokedConsent.rawValue)] = 7
        let checked = Recommendations.make(
            summary: s, linkNames: [], stepNames: ["sms_offer"], salesStage: nil,
            stepConsent: [("sms", true, false)])
        #expect(checked.first?.contains("sms already checks its own consent copy") == true)
        #expect(checked.first?.contains("rechecks_on_release: true") == true)
        let unchecked = Recommendations.make(
            summary: s, linkNames: [], stepNames: ["sms_offer"], salesStage: nil,
            stepConsent: [("sms", false, false)])
        #expect(unchecked.first?.contains("let the sending platform check consent (`checks_consent: true`)") == true)
    }

    @Test func designFaultsNameTheSettingThatFixesThem() {
        var s = RunSummary()
        s.designMisfiresByStep = [[Int](repeating: 0, count: MisfireType.allCases.count)]
        s.designMisfiresByStep[0][Int(MisfireType.postConversion.rawValue)] = 12
        let advice = Recommendations.make(summary: s, linkNames: [], stepNames: ["upgrade"], salesStage: nil)
        #expect(
            advice == [
                "Step upgrade: 12 post_conversion misfires with nothing late — the deciding platform knew; add `unless: converted`."
            ])
    }
}
