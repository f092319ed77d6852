import Foundation
import Harness
import MarTechModel
import ScenarioKit
import StackSimulation
import TestKit
import Testing

/// Should say every default a run assumed, with its source, in every summary, and keep the
/// reference scenario to the reference model (issue 14: winback-ref's SMS once converted and
/// opted customers out at Klaviyo rates, silently).
@Suite struct AssumedDefaultsTests {
    @Test func everySummaryListsTheDefaultsItAssumed() throws {
        let reports = temporaryReports()
        defer { try? FileManager.default.removeItem(atPath: reports) }
        var request = RunRequest(
            scenarioPath: repositoryRoot + "/Scenarios/hotel-winback.yaml", seed: 2, customers: 1_000)
        request.reportsDirectory = reports
        let outcome = try ScenarioRunner.run(request, shouldStop: { false })
        let assumed = outcome.scenario.plan.assumptions
        #expect(assumed.contains { $0.setting == "platforms.crm.observes" })
        #expect(
            assumed.contains { $0.setting == "platforms.map.observes" } == false, "a MAP observes nothing by default")
        // hotel-winback states its email and SMS responses and its SMS throughput: those are not assumed.
        #expect(
            !assumed.contains {
                $0.setting.hasPrefix("population.behavior.") || $0.setting == "platforms.sms.throughput"
            })
        #expect(assumed.contains { $0.setting == "platforms.dsp.apply_delay" && $0.source.contains("Meta") })
        let stem = String(outcome.databasePath.dropLast(".sqlite".count))
        for ext in ["txt", "md", "html", "json"] {
            let text = try String(contentsOfFile: "\(stem).\(ext)", encoding: .utf8)
            for a in assumed {
                #expect(
                    text.contains(a.setting) && text.contains(SVGEscape.html(a.source, ext)),
                    "\(ext) lacks \(a.setting)")
            }
        }
    }

    @Test func aScenarioThatSaysNothingAboutResponsesIsToldWhichItGot() throws {
        let text = try String(contentsOfFile: repositoryRoot + "/Scenarios/bench/winback-ref.yaml", encoding: .utf8)
            .replacingOccurrences(of: "    sms: {click: 0, convert: 0, stop: 0}", with: "")
        let plan = try Scenario.parse(yaml: text, sourceName: "w.yaml").plan
        let sms = try #require(plan.assumptions.first { $0.setting == "population.behavior.sms" })
        #expect(sms.source.contains("Klaviyo"))
    }

    /// The reference model: a text changes nothing; only emails convert (3% of them).
    @Test func winbackRefRehearsesTheReferenceModel() throws {
        let scenario = try ScenarioRunner.load(path: repositoryRoot + "/Scenarios/bench/winback-ref.yaml")
        #expect(!scenario.plan.assumptions.contains { $0.setting.hasPrefix("population.behavior.") })
        let sink = CollectingSink()
        let result = Engine.run(plan: scenario.overriding(customers: 20_000).plan, options: EngineOptions(), sink: sink)
        let texts = sink.batch.touchpoints.filter { $0.channel == .sms }
        #expect(texts.count > 500)
        #expect(texts.allSatisfy { !$0.converted && !$0.optedOut && !$0.clicked })
        let emails = sink.batch.touchpoints.filter { $0.channel == .email }
        let converted = emails.filter(\.converted).count
        let expected = 0.03 * Double(emails.count), sd = (expected * 0.97).squareRoot()
        #expect(abs(Double(converted) - expected) < 4 * sd, "\(converted) of \(emails.count) emails converted")
        #expect(
            result.summary.conversionsAfterMessage == converted || result.summary.conversionsAfterMessage < converted)
    }
}

/// How a source text appears in each report (HTML escapes it).
private enum SVGEscape {
    static func html(_ s: String, _ ext: String) -> String {
        ext == "html"
            ? s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;") : s
    }
}
