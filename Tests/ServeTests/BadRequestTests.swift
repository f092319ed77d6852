import Foundation
import Testing

@testable import Serve

/// Whatever arrives, every surface answers with a status (its vendor's error for bad input),
/// never a crash, and the session goes on answering.
@Suite("Bad requests to every surface")
struct BadRequestTests {
    static let targets: [(platform: String, method: String, path: String, headers: [String: String])] = [
        ("hubspot", "POST", "/crm/v3/objects/contacts", ["authorization": "Bearer t"]),
        ("hubspot", "PATCH", "/crm/v3/objects/contacts/1", ["authorization": "Bearer t"]),
        ("hubspot", "POST", "/crm/v3/objects/contacts/batch/upsert", ["authorization": "Bearer t"]),
        ("hubspot", "POST", "/crm/v3/objects/contacts/search", ["authorization": "Bearer t"]),
        ("hubspot", "POST", "/webhooks/v3/1/subscriptions", ["authorization": "Bearer t"]),
        ("twilio", "POST", "/2010-04-01/Accounts/AC1/Messages.json", ["authorization": "Basic eDp5"]),
        ("twilio", "POST", "/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json", ["authorization": "Basic eDp5"]),
        ("segment", "POST", "/v1/batch", ["authorization": "Basic eDp5"]),
        ("segment", "POST", "/v1/identify", ["authorization": "Basic eDp5"]),
        ("sendgrid", "POST", "/v3/mail/send", ["authorization": "Bearer t"]),
        ("braze", "POST", "/users/track", ["authorization": "Bearer t"]),
        ("braze", "POST", "/messages/send", ["authorization": "Bearer t"]),
        ("klaviyo", "POST", "/api/profiles/", ["authorization": "Klaviyo-API-Key pk_x"]),
        ("klaviyo", "POST", "/api/profile-subscription-bulk-create-jobs/", ["authorization": "Klaviyo-API-Key pk_x"]),
        ("ttd", "POST", "/data/advertiser", ["ttdsignature": "x"]),
    ]

    static let bodies: [[UInt8]] = [
        [], Array("null".utf8), Array("[]".utf8), Array("{".utf8), Array("\"text\"".utf8), [0xFF, 0xFE, 0x00],
        Array(String(repeating: "[", count: 100_000).utf8),
        Array(#"{"properties": 5, "inputs": "x", "batch": {"a": 1}, "personalizations": [1], "attributes": [null]}"#.utf8),
        Array(#"{"inputs": [{"id": 1e308, "properties": {"email": [1, 2]}}], "limit": -5, "after": "9223372036854775807"}"#.utf8),
        Array(#"{"data": {"attributes": {"profiles": {"data": [{"attributes": 7}]}, "email": 3}}, "Items": [{"TDID": 5, "Data": "x"}], "AdvertiserId": "a"}"#.utf8),
        Array("To=%ZZ&Body=&From=+&PageSize=99999999999999999999999&Page=-1".utf8),
    ]

    @Test(arguments: 0..<targets.count)
    func everyMalformedBodyGetsAStatusNeverACrash(target: Int) throws {
        let h = try ServeHarness(customers: 50)
        let t = BadRequestTests.targets[target]
        for body in BadRequestTests.bodies {
            for type in ["application/json", "application/x-www-form-urlencoded", "text/plain"] {
                var headers = t.headers
                headers["content-type"] = type
                let r = h.request(t.platform, t.method, t.path, headers: headers, body: body)
                #expect((200..<600).contains(r.status))
            }
        }
        // Still serving, and still right.
        let after = h.request("hubspot", "GET", "/crm/v3/objects/contacts/1", headers: ["authorization": "Bearer other"])
        #expect(after.status == 200)
    }

    @Test func hugeQueryValuesAreClampedNotTrapped() throws {
        let h = try ServeHarness(customers: 50)
        let twilio = h.request(
            "twilio", "GET", "/2010-04-01/Accounts/AC1/Messages.json", query: ["Page": "9223372036854775807", "PageSize": "-3"],
            headers: ["authorization": "Basic eDp5"])
        #expect(twilio.status == 200)
        let search = h.request(
            "hubspot", "POST", "/crm/v3/objects/contacts/search", headers: ["authorization": "Bearer t"],
            json: ["after": "9223372036854775807", "limit": 200])
        #expect(search.status == 400)
        let klaviyo = h.request(
            "klaviyo", "GET", "/api/profiles/", query: ["page[cursor]": "-99", "page[size]": "100000"],
            headers: ["authorization": "Klaviyo-API-Key pk_x"])
        #expect(klaviyo.status == 200)
    }
}
