import Foundation
import Harness
import RunStore
import TestKit
import Testing

/// Should tell one customer's story from the results database, with each misfire's cause.
@Suite struct ExplainTests {
    @Test func explainsAMisfireWithItsLinkAndTheStaleView() throws {
        let dir = temporaryReports()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var r = RunRequest(scenarioPath: repositoryRoot + "/Scenarios/twins/hotel-winback.broken.yaml", customers: 3000)
        r.reportsDirectory = dir
        let o = try ScenarioRunner.run(r, shouldStop: { false })
        let reader = try RunReader(path: o.databasePath)
        let row = try #require(
            try reader.rows(
                "SELECT id, customer, causeLink FROM misfireView WHERE type = 'post_conversion' AND touchpoint >= 0 AND cause = 'awaiting_batch' LIMIT 1"
            ).first)
        let misfire = Int64(row[0]!)!, customer = Int(row[1]!)!
        let text = try Explainer.explain(results: o.databasePath, customer: customer, misfire: nil).render()
        #expect(text.hasPrefix("Customer \(customer) — hotel-winback-broken, seed 42"))
        #expect(
            text.contains("✗ misfire #\(misfire) post_conversion [major]: cause awaiting_batch on \(row[2]!)"),
            "\(text)")
        #expect(text.contains("map saw: converted=no (truth: yes)"), "\(text)")
        #expect(text.contains("truth     #") && text.contains("delivery  crm_to_map → map"))
        let only = try Explainer.explain(results: o.databasePath, customer: nil, misfire: misfire)
        #expect(only.entries.allSatisfy { $0.kind != "truth" && $0.kind != "delivery" })
        #expect(only.entries.contains { $0.details.contains { $0.contains("misfire #\(misfire) ") } })
        let json = only.renderJSON()
        #expect(json.contains("\"timeline\"") && json.contains("\"kind\": \"email\""))
    }

    @Test func unknownCustomerIsAClearError() throws {
        let dir = temporaryReports()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var r = RunRequest(scenarioPath: repositoryRoot + "/Scenarios/hotel-winback.yaml", customers: 50)
        r.reportsDirectory = dir
        let o = try ScenarioRunner.run(r, shouldStop: { false })
        #expect(throws: HarnessError.self) {
            _ = try Explainer.explain(results: o.databasePath, customer: 50, misfire: nil)
        }
        #expect(throws: HarnessError.self) {
            _ = try Explainer.explain(results: dir + "/nothing.sqlite", customer: 1, misfire: nil)
        }
    }
}
