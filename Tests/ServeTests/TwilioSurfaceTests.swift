import Foundation
import MarTechModel
import TestKit
import Testing

@testable import Serve

@Suite("Twilio Programmable Messaging surface")
struct TwilioSurfaceTests {
    let auth = ["authorization": "Basic " + Data("AC123:token".utf8).base64EncodedString()]
    let messages = "/2010-04-01/Accounts/AC123/Messages.json"

    @Test func anInvalidNumberIs21211AndMissingAuthIs20003() throws {
        let h = try ServeHarness()
        let bad = h.request("twilio", "POST", messages, headers: auth, form: [("To", "12345"), ("From", "+15005550006"), ("Body", "hi")])
        #expect(bad.status == 400)
        #expect(bad.json["code"] as? Int == 21211)
        #expect(bad.json["more_info"] as? String == "https://www.twilio.com/docs/errors/21211")
        let anonymous = h.request("twilio", "POST", messages, form: [("To", "+15550000001"), ("Body", "hi")])
        #expect(anonymous.status == 401)
        #expect(anonymous.json["code"] as? Int == 20003)
    }

    @Test func afterACustomersStopTheInboundMessageIsPostedAndLaterSendsGet21610() throws {
        let h = try ServeHarness(speed: 3600)
        let number = h.request(
            "twilio", "POST", "/2010-04-01/Accounts/AC123/IncomingPhoneNumbers.json", headers: auth,
            form: [("PhoneNumber", "+15005550006"), ("SmsUrl", "http://127.0.0.1:9/sms")])
        #expect(number.status == 201)
        let subscribed = (0..<2000).filter { h.view("twilio", $0, "consent.sms") == 1 }
        h.advance(toWallSeconds: 48)  // two virtual days: some of them text STOP
        let stopped = subscribed.filter { h.view("twilio", $0, "consent.sms") == 0 }
        let customer = try #require(stopped.first)
        let inbound = h.session.takeOutbox(readyAt: .infinity).filter { $0.url == "http://127.0.0.1:9/sms" }
        let bodies = inbound.map { WireRequest.decodeForm(String(decoding: $0.body, as: UTF8.self)) }
        #expect(bodies.contains { $0["From"] == "+1555" + String(format: "%07d", customer) && $0["Body"] == "STOP" })
        #expect(bodies.count >= stopped.count)
        let refused = h.request(
            "twilio", "POST", messages, headers: auth,
            form: [("To", "+1555" + String(format: "%07d", customer)), ("From", "+15005550006"), ("Body", "Come back!")])
        #expect(refused.status == 400)
        #expect(refused.json["code"] as? Int == 21610)
    }

    @Test func aMessageIsQueuedThenDeliveredInVirtualTimeAndFetchableAndListed() throws {
        let h = try ServeHarness(speed: 60)
        let customer = (0..<2000).first { h.view("twilio", $0, "consent.sms") == 1 }!
        let to = "+1555" + String(format: "%07d", customer)
        let created = h.request("twilio", "POST", messages, headers: auth, form: [("To", to), ("From", "+15005550006"), ("Body", "hi")])
        #expect(created.status == 201)
        let sid = try #require(created.json["sid"] as? String)
        #expect(sid.hasPrefix("SM") && sid.count == 34)
        h.advance(toWallSeconds: 5)
        let fetched = h.request("twilio", "GET", "/2010-04-01/Accounts/AC123/Messages/\(sid).json", headers: auth)
        #expect(fetched.json["status"] as? String == "delivered")
        let listed = h.request("twilio", "GET", messages, query: ["To": to], headers: auth)
        #expect((listed.json["messages"] as? [[String: Any]])?.count == 1)
        let missing = h.request("twilio", "GET", "/2010-04-01/Accounts/AC123/Messages/SMnope.json", headers: auth)
        #expect(missing.status == 404)
        #expect(missing.json["code"] as? Int == 20404)
    }

    @Test func anSMSAClientSendsToACustomerWhoAlreadyBookedIsAPostConversionMisfire() throws {
        let h = try ServeHarness(speed: 3600)
        h.advance(toWallSeconds: 24)
        let customer = try #require(
            (0..<2000).first { h.truth($0, "converted") == 1 && h.view("twilio", $0, "consent.sms") == 1 })
        let sent = h.request(
            "twilio", "POST", messages, headers: auth,
            form: [("To", "+1555" + String(format: "%07d", customer)), ("From", "+15005550006"), ("Body", "20% off")])
        #expect(sent.status == 201)
        h.advance(toWallSeconds: 26)
        let result = h.finish()
        #expect(result.summary.misfires(.postConversion) >= 1)
        let step = try #require(h.plan.campaign.steps.firstIndex { $0.name == "twilio: sent by clients (sms)" })
        #expect(h.sink.batch.misfires.contains { $0.customer == Int32(customer) && $0.type == .postConversion })
        #expect(h.sink.batch.touchpoints.contains { $0.customer == Int32(customer) && $0.step == Int16(step) })
    }
}

@Suite("Twilio's 10-hour queue")
struct TwilioQueueTests {
    @Test func pastTenHoursOfBacklogAMessageFailsWith30001() throws {
        let source = try String(contentsOfFile: repositoryRoot + "/Tests/ServeTests/Fixtures/check-stack.yaml", encoding: .utf8)
            .replacingOccurrences(of: "observes: [consent.sms]}", with: "observes: [consent.sms], throughput: 1/m}")
        let file = temporaryPath("queue-stack", ".yaml")
        try source.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let h = try ServeHarness(scenario: file, speed: 60)
        let auth = ["authorization": "Basic " + Data("AC1:token".utf8).base64EncodedString()]
        var statuses: [String] = []
        for i in 0..<610 {
            let r = h.request(
                "twilio", "POST", "/2010-04-01/Accounts/AC1/Messages.json", headers: auth,
                form: [("To", "+1555" + String(format: "%07d", i % 200)), ("From", "+15005550006"), ("Body", "hi")])
            #expect(r.status == 201)
            statuses.append(r.json["status"] as? String ?? "")
        }
        // One a minute: the 601st message would wait past 10 hours.
        #expect(statuses.prefix(600).allSatisfy { $0 == "queued" || $0 == "delivered" })
        #expect(statuses.suffix(9).allSatisfy { $0 == "failed" })
        #expect(h.messages.filter { $0.outcome.contains("30001") }.count >= 9)
    }
}
