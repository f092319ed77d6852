import Foundation
import MarTechModel
import Testing

@testable import Serve

@Suite("Load-test figures per client")
struct ClientLogTests {
    @Test func retriesRetryAfterAndGiveUpsAreCountedPerCredential() throws {
        let h = try ServeHarness()
        // The same bytes each time, as a client's retry sends them (a dictionary's key order is per
        // instance unless SWIFT_DETERMINISTIC_HASHING is set).
        let body = Array(#"{"attributes":[{"external_id":"cust-1","nickname":"x"}]}"#.utf8)
        let json = ["content-type": "application/json", "authorization": "Bearer secret-key-1"]
        // Fill Braze's /users/track window (3,000 / 3 s) with distinct requests, then one more is throttled.
        for i in 0..<3000 {
            h.request("braze", "POST", "/users/track", headers: ["authorization": "Bearer secret-key-1"], json: ["attributes": [["external_id": "cust-\(i % 50)"]]])
        }
        h.at = 0.5
        #expect(h.request("braze", "POST", "/users/track", headers: json, body: body).status == 429)
        h.at = 0.6  // too soon: Retry-After asked for the rest of the window
        #expect(h.request("braze", "POST", "/users/track", headers: json, body: body).status == 429)
        h.at = 3.7  // waited the whole seconds the last 429 asked for: honoured, and it goes through
        #expect(h.request("braze", "POST", "/users/track", headers: json, body: body).status == 201)
        // Another client is throttled by its own window only after its own 3,000; this one gives up after a 5xx-free 400.
        h.request("braze", "POST", "/users/track", headers: ["authorization": "Bearer other"], json: ["attributes": Array(repeating: ["external_id": "cust-1"], count: 76)])
        let figures = h.session.clients.figures
        let first = try #require(figures.first { $0.client == "secret-k…" })
        #expect(first.requests == 3003)
        #expect(first.throttled == 2)
        #expect(first.retries == 2)
        #expect(first.retryAfterIgnored == 1)
        #expect(first.retryAfterHonoured == 1)
        #expect(first.gaveUp == 0)
        let other = try #require(figures.first { $0.client == "other" })
        #expect(other.clientErrors == 1 && other.retries == 0 && other.gaveUp == 0)
        #expect(!figures.contains { $0.client.contains("secret-key-1") }, "a whole credential never reaches a report")
    }

    @Test func aRequestThatFailedAndWasNeverSentAgainIsAGiveUp() throws {
        let h = try ServeHarness(scenario: "Tests/ServeTests/Fixtures/outage-stack.yaml", speed: 3600)
        h.advance(toWallSeconds: 1.5)
        #expect(h.request("hubspot", "GET", "/crm/v3/objects/contacts/1", headers: ["authorization": "Bearer t"]).status == 503)
        #expect(h.session.clients.figures.first { $0.platform == "hubspot" }?.gaveUp == 1)
    }
}
