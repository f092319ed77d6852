import MarTechModel
import PlatformFakes
import Testing

@testable import ScenarioKit

/// Should name the products teams run: `vendor:` validates against the catalog (with the near
/// miss), fits the kind, brings the vendor's names and defaults, and throttles links into it.
@Suite struct VendorProfileTests {
    func parse(_ text: String) throws(ScenarioError) -> Scenario {
        try Scenario.parse(yaml: text, sourceName: "v.yaml")
    }

    @Test func aKnownVendorValidatesAndAMisspeltOneIsNamedWithTheNearMiss() throws {
        let s = try parse(mutate("crm: {kind: crm}", "  crm: {kind: crm, vendor: salesforce}"))
        #expect(s.plan.platforms[0].vendorName == "Salesforce")
        do {
            _ = try parse(mutate("crm: {kind: crm}", "  crm: {kind: crm, vendor: salesfroce}"))
            Issue.record("a misspelt vendor must not validate")
        } catch {
            let d = try #require(error.diagnostics.first { $0.message.contains("unknown vendor") })
            #expect(d.line == 13 && d.column == 28 && d.suggestion == "salesforce", "\(d)")
        }
    }

    @Test func aVendorMustBeAProductOfTheKind() {
        #expect(throws: ScenarioError.self) {
            try parse(mutate("crm: {kind: crm}", "  crm: {kind: crm, vendor: twilio}"))
        }
        do {
            _ = try parse(mutate("crm: {kind: crm}", "  crm: {kind: crm, vendor: twilio}"))
        } catch {
            #expect(error.diagnostics.first?.message.contains("Twilio is not a crm platform") == true)
        }
    }

    /// Each vendor's names reach the links' contracts; no other vendor's names do.
    @Test(arguments: VendorCatalog.all.map(\.id))
    func eachVendorsNamesAndDefaultsAppear(_ id: String) throws {
        let vendor = try #require(VendorCatalog.named(id))
        let kind = vendor.kinds[0]
        for (setting, value, source) in vendor.assumptions {
            #expect(!setting.isEmpty && !value.isEmpty && !source.isEmpty)
        }
        if kind == .map || kind == .crm {
            let field = kind == .map ? "map: {kind: map, frequency_cap: 3/7d}" : "crm: {kind: crm}"
            var text = mutate(field, "  \(field.dropLast()), vendor: \(id)}")
            if kind == .crm {
                // A link into the CRM so its names show: the MAP sends unsubscribes back.
                text = text.replacingOccurrences(
                    of: "campaign:",
                    with:
                        "  map_to_crm: {from: map, to: crm, carries: [consent.email], stream: {latency: 1m}}\ncampaign:"
                )
                text = text.replacingOccurrences(
                    of: "  crm: {kind: crm, vendor: \(id)}",
                    with: "  crm: {kind: crm, vendor: \(id), observes: [conversions]}")
            }
            let s = try parse(text)
            let link = try #require(s.plan.links.first { s.plan.platforms[$0.to].vendorID == id })
            for (f, name) in zip(link.fields, link.destinationNames) {
                let expected = vendor.fieldName(s.plan.fields[f].name) ?? kind.profile.fieldName(s.plan.fields[f].name)
                #expect(name == expected)
                for other in VendorCatalog.all where other.id != id && other.name != vendor.name {
                    #expect(!name.contains("hs_") || id == "hubspot", "\(id) shows \(name)")
                }
            }
        }
        if let t = vendor.throughputPerSecond {
            let s = try parse(
                mutate("sms: {kind: sms", "  sms: {kind: sms, vendor: \(id), quiet_hours: \"21:00-08:00\"}"))
            #expect(s.plan.platforms[2].throughputPerSecond == t)
        }
    }

    /// HubSpot takes 190 requests per 10 s of 100 records: a batch into it pages at 19 pages a second.
    @Test func aBatchIntoAVendorPagesAtItsPublishedLimit() throws {
        let s = try parse(mutate("map: {kind: map", "  map: {kind: map, vendor: hubspot}"))
        guard case .batch(_, _, let pageSize, let pagesPerSecond) = s.plan.links[0].mode else {
            Issue.record("crm_to_map is a batch")
            return
        }
        #expect(pageSize == 100)
        #expect(pagesPerSecond == 19)
        // A link that says how it pages keeps its own figures.
        let own = try parse(
            mutate("map: {kind: map", "  map: {kind: map, vendor: hubspot}").replacingOccurrences(
                of: "batch: {at: \"02:00\", runs_for: 45m}", with: "batch: {at: \"02:00\", page_size: 10, rate: 1/s}"))
        guard case .batch(_, _, let p2, let r2) = own.plan.links[0].mode else { return }
        #expect(p2 == 10 && r2 == 1)
    }

    /// Every vendor with a published write limit paces a batch into it at that limit, and queues a stream.
    @Test(
        arguments: VendorCatalog.all.filter {
            $0.writeLimit != nil && ($0.kinds.contains(.map) || $0.kinds.contains(.crm))
        }.map(\.id))
    func everyWriteLimitPacesSyncsIntoIt(_ id: String) throws {
        let vendor = try #require(VendorCatalog.named(id))
        let limit = try #require(vendor.writeLimit)
        let kind = vendor.kinds.contains(.map) ? "map" : "crm"
        var text = mutate("map: {kind: map", "  map: {kind: map, frequency_cap: 3/7d}")
        if kind == "map" {
            text = mutate("map: {kind: map", "  map: {kind: map, vendor: \(id)}")
        } else {
            text = text.replacingOccurrences(
                of: "  crm: {kind: crm}", with: "  crm: {kind: crm, vendor: \(id), observes: [conversions, segments]}"
            )
            .replacingOccurrences(
                of: "campaign:",
                with:
                    "  map_to_crm: {from: map, to: crm, carries: [consent.email], batch: {every: 1h}}\n  sms_to_crm: {from: sms, to: crm, carries: [consent.sms], stream: {latency: 1s}}\ncampaign:"
            )
        }
        let s = try parse(text)
        let into = s.plan.links.filter { s.plan.platforms[$0.to].vendorID == id }
        #expect(!into.isEmpty)
        for link in into {
            switch link.mode {
            case .batch(_, _, let pageSize, let pagesPerSecond):
                #expect(
                    pageSize == limit.recordsPerRequest && pagesPerSecond == limit.requestsPerSecond, "\(link.name)")
            case .stream:
                #expect(link.destinationRequestsPerSecond == limit.requestsPerSecond, "\(link.name)")
            }
        }
    }
}
