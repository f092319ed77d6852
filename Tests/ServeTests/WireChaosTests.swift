import Foundation
import Testing

@testable import Serve

/// The scenario's chaos as clients meet it (Tests/ServeTests/Fixtures/chaos-stack.yaml; speed
/// 3600, so wall second h is virtual hour h).
@Suite("Chaos on the wire")
struct WireChaosTests {
    let bearer = ["authorization": "Bearer t"]

    func harness() throws -> ServeHarness {
        try ServeHarness(scenario: "Tests/ServeTests/Fixtures/chaos-stack.yaml", speed: 3600)
    }

    @Test func aRenamedPropertyIsRefusedByHubSpotWhileTheDriftLasts() throws {
        let h = try harness()
        h.advance(toWallSeconds: 1.5)
        let name = try #require(h.session.fieldSpellings(platform: h.platform("hubspot")).entries.first { $0.model == "segment.vip" }?.name)
        let during = h.request("hubspot", "PATCH", "/crm/v3/objects/contacts/1", headers: bearer, json: ["properties": [name: "true"]])
        #expect(during.status == 400)
        #expect((during.json["message"] as? String)?.contains("PROPERTY_DOESNT_EXIST") == true)
        h.advance(toWallSeconds: 2.5)
        let after = h.request("hubspot", "PATCH", "/crm/v3/objects/contacts/1", headers: bearer, json: ["properties": [name: "true"]])
        #expect(after.status == 200)
    }

    @Test func aLostAcknowledgementWritesYetAnswers5xx() throws {
        let h = try harness()
        h.advance(toWallSeconds: 3.5)
        let customer = (0..<100).first { h.view("braze", $0, "converted") == 0 }!
        let r = h.request(
            "braze", "POST", "/users/track", headers: bearer, json: ["attributes": [["external_id": "cust-\(customer)", "booked": true]]])
        #expect(r.status == 503)
        #expect(h.view("braze", customer, "converted") == 1)
    }

    @Test func aRateLimitOnTheLinkIntoBrazeThrottlesItsAPI() throws {
        let h = try harness()
        h.advance(toWallSeconds: 5.5)
        let statuses = (0..<8).map { _ in h.request("braze", "POST", "/users/export/ids", headers: bearer, json: ["external_ids": ["cust-1"]]).status }
        #expect(statuses.prefix(5).allSatisfy { $0 == 201 })
        #expect(statuses.suffix(3).allSatisfy { $0 == 429 })
    }

    @Test func aDegradedLinkFailsItsShareOfRequestsWithTheVendors5xx() throws {
        let h = try harness()
        h.advance(toWallSeconds: 7.5)
        #expect(h.request("braze", "POST", "/users/export/ids", headers: bearer, json: ["external_ids": ["cust-1"]]).status == 503)
        h.advance(toWallSeconds: 8.5)
        #expect(h.request("braze", "POST", "/users/export/ids", headers: bearer, json: ["external_ids": ["cust-1"]]).status == 201)
    }
}
