import Foundation
import MarTechModel
import Testing

@testable import Serve

@Suite("Segment, SendGrid, Braze, Klaviyo and The Trade Desk surfaces")
struct VendorSurfacesTests {
    let segmentAuth = ["authorization": "Basic " + Data("writekey:".utf8).base64EncodedString()]
    let bearer = ["authorization": "Bearer key"]

    @Test func segmentIdentifyWritesTraitsOnceAndDeduplicatesOnMessageID() throws {
        let h = try ServeHarness()
        let customer = (0..<2000).first { h.view("segment", $0, "converted") == 0 }!
        // Segment observes conversions itself here: a write to an observed field leaves the truth alone.
        let event: [String: Any] = [
            "type": "identify", "userId": "cust-\(customer)", "messageId": "m-1", "traits": ["converted": true],
        ]
        let first = h.request("segment", "POST", "/v1/batch", headers: segmentAuth, json: ["batch": [event, event]])
        #expect(first.status == 200)
        #expect(first.json["success"] as? Bool == true)
        #expect(h.view("segment", customer, "converted") == 0)
        let surface = try #require(h.session.surface(named: "segment") as? SegmentSurface)
        #expect(surface.duplicates == 1)
        #expect(surface.events == 1)
    }

    @Test func segmentRefusesEventsOver32KBAndBatchesOver500KB() throws {
        let h = try ServeHarness()
        let big = String(repeating: "x", count: 33 * 1024)
        let event = h.request("segment", "POST", "/v1/track", headers: segmentAuth, json: ["userId": "cust-1", "event": "E", "properties": ["p": big]])
        #expect(event.status == 400)
        let batch = (0..<20).map { _ in ["type": "track", "userId": "cust-1", "event": "E", "properties": ["p": String(repeating: "y", count: 30 * 1024)]] as [String: Any] }
        let tooBig = h.request("segment", "POST", "/v1/batch", headers: segmentAuth, json: ["batch": batch])
        #expect(tooBig.status == 400)
        #expect((tooBig.json["message"] as? String)?.contains("500KB") == true)
        let anonymous = h.request("segment", "POST", "/v1/track", json: ["userId": "cust-1", "event": "E"])
        #expect(anonymous.status == 401)
    }

    @Test func sendGridAcceptsWith202AndEachRecipientIsAnEmailTouchpoint() throws {
        let h = try ServeHarness()
        let r = h.request(
            "sendgrid", "POST", "/v3/mail/send", headers: bearer,
            json: [
                "personalizations": [["to": [["email": "cust-1@rehearsal.test"], ["email": "cust-2@rehearsal.test"]]]],
                "from": ["email": "hotel@example.com"], "subject": "Hi", "content": [["type": "text/plain", "value": "x"]],
            ])
        #expect(r.status == 202)
        #expect(r.header("X-Message-Id") != nil)
        let bad = h.request("sendgrid", "POST", "/v3/mail/send", headers: bearer, json: ["subject": "Hi"])
        #expect(bad.status == 400)
        let fields = ((bad.json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }
        #expect(fields.contains("personalizations") && fields.contains("from.email"))
        h.advance(toWallSeconds: 1)
        let result = h.finish()
        let step = h.plan.campaign.steps.firstIndex { $0.name == "sendgrid: sent by clients (email)" }!
        let sent = h.sink.batch.touchpoints.filter { $0.step == Int16(step) }
        let consented = [1, 2].filter { h.view("sendgrid", $0, "consent.email") == 1 }
        #expect(sent.count == consented.count)
        #expect(result.summary.touchpoints(.email) >= sent.count)
    }

    @Test func brazeTrackCapsObjectsAt75AndThrottlesPast3000RequestsIn3Seconds() throws {
        let h = try ServeHarness()
        let many = (0..<76).map { ["external_id": "cust-\($0)", "booked": true] as [String: Any] }
        let tooMany = h.request("braze", "POST", "/users/track", headers: bearer, json: ["attributes": many])
        #expect(tooMany.status == 400)
        let ok = h.request("braze", "POST", "/users/track", headers: bearer, json: ["attributes": Array(many.prefix(2))])
        #expect(ok.status == 201)
        #expect(ok.json["attributes_processed"] as? Int == 2)
        #expect(h.view("braze", 0, "converted") == 1)
        var last = ok
        for _ in 0..<3000 { last = h.request("braze", "POST", "/users/track", headers: bearer, json: ["attributes": []]) }
        #expect(last.status == 429)
        #expect(last.header("X-RateLimit-Limit") == "3000")
        #expect(last.header("Retry-After") != nil)
        #expect(h.request("braze", "POST", "/users/track", json: [:]).status == 401)
    }

    @Test func brazeMessagesSendMakesAPushTouchpointPerReachableRecipient() throws {
        let h = try ServeHarness()
        let r = h.request(
            "braze", "POST", "/messages/send", headers: bearer,
            json: ["external_user_ids": (0..<50).map { "cust-\($0)" }, "messages": ["apple_push": ["alert": "Hi"]]])
        #expect(r.status == 201)
        #expect(r.json["dispatch_id"] is String)
        h.advance(toWallSeconds: 1)
        let result = h.finish()
        let consented = (0..<50).filter { h.view("braze", $0, "consent.push") == 1 }.count
        #expect(result.summary.touchpoints(.push) > 0)
        #expect(result.summary.touchpoints(.push) <= consented)
    }

    @Test func klaviyoSpeaksJSONAPIWithItsAuthSchemeAndConflicts() throws {
        let h = try ServeHarness()
        let anonymous = h.request("klaviyo", "GET", "/api/profiles/")
        #expect(anonymous.status == 401)
        #expect(((anonymous.json["errors"] as? [[String: Any]])?.first?["code"] as? String) == "not_authenticated")
        let auth = ["authorization": "Klaviyo-API-Key pk_test"]
        let conflict = h.request(
            "klaviyo", "POST", "/api/profiles/", headers: auth,
            json: ["data": ["type": "profile", "attributes": ["email": "cust-5@rehearsal.test"]]])
        #expect(conflict.status == 409)
        let id = ((conflict.json["errors"] as? [[String: Any]])?.first?["meta"] as? [String: Any])?["duplicate_profile_id"] as? String
        let profile = h.request("klaviyo", "GET", "/api/profiles/\(id ?? "")/", headers: auth)
        #expect(profile.status == 200)
        let attributes = (profile.json["data"] as? [String: Any])?["attributes"] as? [String: Any]
        #expect(attributes?["external_id"] as? String == "cust-5")
        let job = h.request(
            "klaviyo", "POST", "/api/profile-subscription-bulk-delete-jobs/", headers: auth,
            json: ["data": ["type": "profile-subscription-bulk-delete-job", "attributes": ["profiles": ["data": [["type": "profile", "attributes": ["email": "cust-5@rehearsal.test"]]]]]]])
        #expect(job.status == 202)
        #expect(h.view("klaviyo", 5, "consent.email") == 0)
    }

    @Test func aTradeDeskSuppressionUploadAppliesOnlyAfterTheDSPsApplyDelay() throws {
        let h = try ServeHarness(speed: 3600)
        let customers = (0..<200).filter { h.view("ttd", $0, "converted") == 0 }
        let items = customers.map { ["TDID": "cust-\($0)", "Data": [["Name": "suppression segment", "TTLInMinutes": 43200]]] as [String: Any] }
        let r = h.request("ttd", "POST", "/data/advertiser", headers: ["ttdsignature": "x"], json: ["AdvertiserId": "adv", "Items": items])
        #expect(r.status == 200)
        #expect((r.json["FailedLines"] as? [Any])?.isEmpty == true)
        h.advance(toWallSeconds: 0.5)  // 30 virtual minutes: well under the 6 h median
        let early = customers.filter { h.view("ttd", $0, "converted") == 1 }.count
        h.advance(toWallSeconds: 3 * 24)  // three virtual days: past nearly every delay
        let late = customers.filter { h.view("ttd", $0, "converted") == 1 }.count
        #expect(early < customers.count / 10)
        #expect(late > customers.count * 9 / 10)
    }

    @Test func anOutageWindowAnswersEachVendorsOwn503() throws {
        let h = try ServeHarness(scenario: "Tests/ServeTests/Fixtures/outage-stack.yaml", speed: 3600)
        h.advance(toWallSeconds: 1.5)  // 01:30 virtual, inside the 01:00–02:00 outage
        let down = h.request("hubspot", "GET", "/crm/v3/objects/contacts/1", headers: bearer)
        #expect(down.status == 503)
        #expect(down.json["category"] as? String == "SERVICE_UNAVAILABLE")
        h.advance(toWallSeconds: 2.5)
        #expect(h.request("hubspot", "GET", "/crm/v3/objects/contacts/1", headers: bearer).status == 200)
    }

    @Test func unknownPlatformsAndPathsGet404sThatSayWhatExists() throws {
        let h = try ServeHarness()
        let r = h.request("salesforce", "GET", "/services/data")
        #expect(r.status == 404)
        #expect((r.json["message"] as? String)?.contains("hubspot") == true)
        #expect(h.request("hubspot", "GET", "/crm/v3/objects/deals", headers: bearer).status == 404)
        #expect(h.request("twilio", "GET", "/nope", headers: ["authorization": "Basic eDp5"]).json["code"] as? Int == 20404)
    }
}
