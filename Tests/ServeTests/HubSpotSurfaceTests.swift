import Foundation
import Testing

@testable import Serve

@Suite("HubSpot CRM v3 surface")
struct HubSpotSurfaceTests {
    let bearer = ["authorization": "Bearer pat-test"]

    @Test func withoutCredentialsHubSpotAnswers401InItsOwnShape() throws {
        let h = try ServeHarness()
        let r = h.request("hubspot", "GET", "/crm/v3/objects/contacts/1")
        #expect(r.status == 401)
        #expect(r.json["category"] as? String == "INVALID_AUTHENTICATION")
        #expect(r.json["status"] as? String == "error")
        #expect(r.json["correlationId"] is String)
    }

    @Test func everySyntheticCustomerIsAContactFoundByIdEmailOrCustomerID() throws {
        let h = try ServeHarness()
        let byID = h.request("hubspot", "GET", "/crm/v3/objects/contacts/42", query: ["properties": "email,customer_id,phone"], headers: bearer)
        #expect(byID.status == 200)
        let props = try #require(byID.json["properties"] as? [String: Any])
        #expect(props["email"] as? String == "cust-41@rehearsal.test")
        #expect(props["customer_id"] as? String == "cust-41")
        #expect(props["phone"] as? String == "+15550000041")
        let byEmail = h.request(
            "hubspot", "GET", "/crm/v3/objects/contacts/cust-41@rehearsal.test", query: ["idProperty": "email"], headers: bearer)
        #expect(byEmail.json["id"] as? String == "42")
        let missing = h.request("hubspot", "GET", "/crm/v3/objects/contacts/999999", headers: bearer)
        #expect(missing.status == 404)
        #expect(missing.json["category"] as? String == "OBJECT_NOT_FOUND")
    }

    @Test func listPagesThroughEveryContactWithAfter() throws {
        let h = try ServeHarness(customers: 25)
        var after: String?
        var seen: [String] = []
        repeat {
            var q = ["limit": "10"]
            if let after { q["after"] = after }
            let page = h.request("hubspot", "GET", "/crm/v3/objects/contacts", query: q, headers: bearer)
            #expect(page.status == 200)
            seen += ((page.json["results"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
            after = ((page.json["paging"] as? [String: Any])?["next"] as? [String: Any])?["after"] as? String
        } while after != nil
        #expect(seen == (1...25).map(String.init))
    }

    @Test func modelFieldsAppearUnderHubSpotsNamesAndSpellings() throws {
        let h = try ServeHarness()
        let r = h.request("hubspot", "GET", "/crm/v3/objects/contacts/1", query: ["properties": "hs_booking_status"], headers: bearer)
        let value = (r.json["properties"] as? [String: Any])?["hs_booking_status"] as? String
        #expect(value == (h.truth(0, "converted") == 1 ? "true" : "false"))
    }

    @Test func unknownPropertiesAndBadOptionsAreRefusedWholeWithValidationErrors() throws {
        let h = try ServeHarness()
        let unknown = h.request(
            "hubspot", "PATCH", "/crm/v3/objects/contacts/1", headers: bearer, json: ["properties": ["favourite_colour": "blue"]])
        #expect(unknown.status == 400)
        #expect(unknown.json["category"] as? String == "VALIDATION_ERROR")
        #expect((unknown.json["message"] as? String)?.contains("PROPERTY_DOESNT_EXIST") == true)
        let option = h.request(
            "hubspot", "PATCH", "/crm/v3/objects/contacts/1", headers: bearer, json: ["properties": ["hs_booking_status": "maybe"]])
        #expect(option.status == 400)
        #expect((option.json["message"] as? String)?.contains("INVALID_OPTION") == true)
        let notJSON = h.request("hubspot", "POST", "/crm/v3/objects/contacts", headers: bearer, body: Array("{oops".utf8))
        #expect(notJSON.status == 400)
        let wrongType = h.request(
            "hubspot", "POST", "/crm/v3/objects/contacts", headers: bearer.merging(["content-type": "text/plain"]) { $1 },
            body: Array("hello".utf8))
        #expect(wrongType.status == 415)
    }

    @Test func aBurstPast190RequestsInTenSecondsGets429WithHubSpotsHeaders() throws {
        let h = try ServeHarness()
        var statuses: [Int] = []
        var last: WireResponse?
        for _ in 0..<200 {
            let r = h.request("hubspot", "GET", "/crm/v3/objects/contacts/1", headers: bearer)
            statuses.append(r.status)
            last = r
        }
        #expect(statuses.prefix(190).allSatisfy { $0 == 200 })
        #expect(statuses.suffix(10).allSatisfy { $0 == 429 })
        #expect(last?.json["policyName"] as? String == "TEN_SECONDLY_ROLLING")
        #expect(last?.header("X-HubSpot-RateLimit-Max") == "190")
        #expect(last?.header("X-HubSpot-RateLimit-Remaining") == "0")
    }

    @Test func searchFindsContactsModifiedSinceAHighWaterMarkInVirtualTime() throws {
        let h = try ServeHarness(speed: 3600)
        h.advance(toWallSeconds: 24)  // a virtual day
        let mark = "2026-07-06T13:00:00.001Z"
        let r = h.request(
            "hubspot", "POST", "/crm/v3/objects/contacts/search", headers: bearer,
            json: [
                "filterGroups": [["filters": [["propertyName": "lastmodifieddate", "operator": "GTE", "value": mark]]]],
                "sorts": [["propertyName": "lastmodifieddate", "direction": "ASCENDING"]],
                "properties": ["lastmodifieddate", "hs_booking_status"], "limit": 100,
            ])
        #expect(r.status == 200)
        let total = try #require(r.json["total"] as? Int)
        #expect(total > 0 && total < 2000)
        let dates = ((r.json["results"] as? [[String: Any]]) ?? []).compactMap {
            ($0["properties"] as? [String: Any])?["lastmodifieddate"] as? String
        }
        #expect(dates == dates.sorted())
        #expect(dates.allSatisfy { $0 >= mark && $0 <= "2026-07-07T13:00:00.000Z" })
    }

    @Test func aWriteIntoAHeldFieldChangesHubSpotsCopyAndItsModifiedDate() throws {
        let h = try ServeHarness()
        let customer = (0..<2000).first { h.view("hubspot", $0, "consent.sms") == 1 }!
        h.advance(toWallSeconds: 10)
        let r = h.request(
            "hubspot", "PATCH", "/crm/v3/objects/contacts/\(customer + 1)", headers: bearer,
            json: ["properties": ["hs_legal_basis_sms": "NOT_OPTED_IN"]])
        #expect(r.status == 200)
        #expect(h.view("hubspot", customer, "consent.sms") == 0)
        let modified = (r.json["updatedAt"] as? String) ?? ""
        #expect(modified == "2026-07-06T13:10:00.000Z")
    }

    @Test func batchUpsertCreatesUnknownEmailsAndUpdatesKnownOnes() throws {
        let h = try ServeHarness()
        let r = h.request(
            "hubspot", "POST", "/crm/v3/objects/contacts/batch/upsert", headers: bearer,
            json: [
                "inputs": [
                    ["id": "cust-3@rehearsal.test", "idProperty": "email", "properties": ["firstname": "Ada"]],
                    ["id": "walk-in@example.com", "idProperty": "email", "properties": ["firstname": "Bo"]],
                ]
            ])
        #expect(r.status == 200)
        let results = (r.json["results"] as? [[String: Any]]) ?? []
        #expect(results.map { $0["new"] as? Bool } == [false, true])
        #expect(results.first?["id"] as? String == "4")
    }
}
