import Foundation
import Harness
import MarTechModel
import Reporting
import ScenarioKit
import StackSimulation
import TestKit
import Testing

/// One scenario of the library and what its broken twin must show.
struct LibraryPair: Sendable, CustomStringConvertible {
    var name: String
    /// The misfire types the playbook predicts will dominate the twin (ties allowed).
    var dominant: Set<MisfireType>
    var cause: MisfireCause
    var customers: Int
    var description: String { name }
}

private let pairs = [
    LibraryPair(name: "hotel-winback", dominant: [.postConversion], cause: .applyDelay, customers: 10000),
    LibraryPair(name: "b2b-launch-handoff", dominant: [.salesOverlap], cause: .awaitingBatch, customers: 8000),
    LibraryPair(
        name: "ecommerce-behavioral", dominant: [.duplicateAcrossChannels], cause: .journeyDesign, customers: 8000),
    LibraryPair(name: "regulated-sms-email", dominant: [.revokedConsent], cause: .awaitingBatch, customers: 10000),
    LibraryPair(
        name: "feature-launch", dominant: [.frequencyCap, .duplicateAcrossChannels], cause: .journeyDesign,
        customers: 8000),
]

private func verdict(_ path: String, customers: Int) throws -> (Scenario, RunSummary, ExpectationReport) {
    let scenario = try ScenarioRunner.load(path: path).overriding(customers: customers)
    let summary = Engine.run(plan: scenario.plan, options: EngineOptions(), sink: DiscardingSink()).summary
    return (
        scenario, summary,
        ExpectationReport(
            scenario: scenario.name, expectations: scenario.expectations, summary: summary,
            linkNames: scenario.plan.links.map(\.name))
    )
}

/// Should pass every good scenario, fail every broken twin, and tell each twin's story: the
/// misfire its playbook predicts dominates, with the predicted root cause.
@Suite struct ScenarioLibraryTests {
    @Test(arguments: pairs)
    func goodPassesTwinFailsWithThePredictedMisfireAndCause(pair: LibraryPair) throws {
        let (_, _, good) = try verdict(repositoryRoot + "/Scenarios/\(pair.name).yaml", customers: pair.customers)
        #expect(!good.results.isEmpty)
        #expect(good.passed, "\(pair.name): \(good.render())")

        let (twin, summary, broken) = try verdict(
            repositoryRoot + "/Scenarios/twins/\(pair.name).broken.yaml", customers: pair.customers)
        #expect(!broken.passed, "\(pair.name) twin must fail an expectation")
        let top = summary.misfiresByType.max()!
        let dominant = Set(MisfireType.allCases.filter { summary.misfires($0) == top })
        #expect(
            top > 0 && dominant == pair.dominant, "\(pair.name) twin: dominant \(dominant), predicted \(pair.dominant)")
        for type in pair.dominant {
            let byCause = summary.misfiresByTypeAndCause[Int(type.rawValue)]
            let cause = MisfireCause.allCases.max { byCause[Int($0.rawValue)] < byCause[Int($1.rawValue)] }!
            #expect(cause == pair.cause, "\(pair.name) twin: \(type) mostly \(cause), predicted \(pair.cause)")
        }
        // The twin's header says what it breaks, naming the predicted misfire.
        #expect(twin.sourceText.hasPrefix("# yaml-language-server"))
        #expect(pair.dominant.contains { twin.sourceText.contains($0.description) })
    }

    @Test func everyShippedScenarioHasAHeaderAndExpectations() throws {
        for file in scenarioFiles() {
            let scenario = try ScenarioRunner.load(path: file)
            #expect(!scenario.expectations.isEmpty, "\(file) has no expectations")
            #expect(
                scenario.sourceText.contains("# What it rehearses:") || scenario.sourceText.contains("# What it shows:")
                    || scenario.sourceText.contains("performance reference"), "\(file) lacks its header")
        }
        // Every good scenario in the library has a twin and every twin a good scenario.
        let good = Set(pairs.map(\.name))
        let twins = Set(
            scenarioFiles().filter { $0.contains("/twins/") }.map {
                ($0 as NSString).lastPathComponent.replacingOccurrences(of: ".broken.yaml", with: "")
            })
        #expect(twins == good)
    }
}
