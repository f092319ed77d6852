import Testing

@testable import ScenarioKit

/// Should warn when a step can never reach anyone, or a buffer or recompute gates nothing, and
/// stay quiet when the scenario gives them something to do.
@Suite struct ReachLintTests {
    func warnings(_ text: String) throws -> [String] {
        try Scenario.parse(yaml: text, sourceName: "reach.yaml").warnings.map(\.description)
    }

    @Test func aStepNobodyConsentsToIsFlagged() throws {
        let flagged = try warnings(validScenario.replacingOccurrences(of: ", sms: 0.3}", with: "}"))
        let warning = flagged.first { $0.contains("no customer consents to sms") }
        #expect(warning?.hasPrefix("reach.yaml:31:") == true, "\(String(describing: warning))")
        #expect(warning?.contains("step 'text'") == true)
        #expect(!(try warnings(validScenario)).contains { $0.contains("consents to") })
        // A platform that does not check consent sends anyway: nothing to flag.
        let unchecked = validScenario.replacingOccurrences(of: ", sms: 0.3}", with: "}")
            .replacingOccurrences(of: "throughput: 10/s}", with: "throughput: 10/s, checks_consent: false}")
        #expect(!(try warnings(unchecked)).contains { $0.contains("consents to") })
    }

    @Test func aTriggerNothingSetsIsFlagged() throws {
        let onBrowse = mutate("- {name: first", "    - {name: first, on: cart_abandoned, via: map}")
            .replacingOccurrences(of: "organic_conversion: 0.02/d", with: "organic_conversion: 0.02/d\n    abandons_cart: 0/d")
        // abandons_cart at 0/d declares nothing; the field is unknown, which is an error, not this lint.
        #expect(throws: ScenarioError.self) { try warnings(onBrowse) }
        let onConversion = mutate("- {name: first", "    - {name: first, on: converted, via: map}")
            .replacingOccurrences(of: "    organic_conversion: 0.02/d\n", with: "    email: {open: 0.2}\n    sms: {click: 0.1}\n")
        let flagged = try warnings(onConversion)
        #expect(flagged.contains { $0.contains("step 'first' fires when converted is yes, but nothing in the scenario makes it so") }, "\(flagged)")
        let converting = mutate("- {name: first", "    - {name: first, on: converted, via: map}")
        #expect(!(try warnings(converting)).contains { $0.contains("never fires") })
    }

    @Test func aConditionNoCustomerMeetsIsFlagged() throws {
        let nobody = validScenario.replacingOccurrences(of: "inactive: {share: 0.6, leaves: 0.05/d}", with: "inactive: 0")
        let flagged = try warnings(nobody)
        #expect(flagged.contains { $0.contains("step 'first' needs segment.inactive is yes, which no customer ever has") }, "\(flagged)")
        let joining = validScenario.replacingOccurrences(
            of: "inactive: {share: 0.6, leaves: 0.05/d}", with: "inactive: {share: 0, joins: 0.05/d}")
        #expect(!(try warnings(joining)).contains { $0.contains("no customer ever has") })
    }

    @Test func aMinimumAgeAboveEveryCustomerIsFlagged() throws {
        let flagged = try warnings(validScenario.replacingOccurrences(of: "  audience:", with: "  min_age: 50\n  audience:"))
        #expect(flagged.contains { $0.contains("min_age 50 is above every customer's age (the oldest is 40") }, "\(flagged)")
        #expect(!(try warnings(validScenario.replacingOccurrences(of: "  audience:", with: "  min_age: 21\n  audience:")))
            .contains { $0.contains("min_age") })
    }

    @Test func aBufferOnAScheduledStepIsFlagged() throws {
        let flagged = try warnings(mutate("- {name: first", "    - {name: first, day: 1, at: \"10:00\", buffer: 1h, via: map}"))
        #expect(flagged.contains { $0.contains("step 'first' runs at a day and time, so it does nothing here") }, "\(flagged)")
        let triggered = mutate("- {name: first", "    - {name: first, on: converted, buffer: 1h, via: map}")
        #expect(!(try warnings(triggered)).contains { $0.contains("buffer") })
    }

    @Test func aRecomputeWithNothingToGateIsFlagged() throws {
        let cdp = validScenario.replacingOccurrences(of: "  crm: {kind: crm}", with: "  crm: {kind: crm}\n  cdp: {kind: cdp, observes: [], recompute: {every: 4h}}")
        let flagged = try warnings(cdp)
        #expect(flagged.contains { $0.contains("'cdp' observes nothing itself and no link delivers into it, so its recompute gates nothing") }, "\(flagged)")
        let fed = cdp.replacingOccurrences(
            of: "campaign:", with: "  crm_to_cdp: {from: crm, to: cdp, carries: [conversions], stream: {latency: 1m}}\ncampaign:")
        #expect(!(try warnings(fed)).contains { $0.contains("recompute gates nothing") })
    }

    @Test func skippingOnAnOpenTheDeciderNeverHearsOfIsFlagged() throws {
        let push = validScenario.replacingOccurrences(of: "  customers: 100", with: "  customers: 100\n  devices: {ios: 0.5}")
            .replacingOccurrences(of: "  sms: {kind: sms", with: "  app: {kind: push}\n  sms: {kind: sms")
            .replacingOccurrences(
                of: "    - {name: text,",
                with: "    - {name: nudge, day: 2, at: \"10:00\", via: app, skip_if_opened: {step: first}}\n    - {name: text,")
        let flagged = try warnings(push)
        #expect(
            flagged.contains { $0.contains("step 'nudge' is decided on 'app', which never hears that 'first' was opened") },
            "\(flagged)")
        let fed = push.replacingOccurrences(
            of: "campaign:", with: "  map_to_app: {from: map, to: app, carries: [opened.first], stream: {latency: 1m}}\ncampaign:")
        #expect(!(try warnings(fed)).contains { $0.contains("was opened") })
        #expect(!(try warnings(fed)).contains { $0.contains("never learns of opened.first") })
    }

    @Test func aRetargetingAudienceTheDSPNeverHearsOfAndNobodyIsInIsFlagged() throws {
        let carts = validScenario.replacingOccurrences(
            of: "organic_conversion: 0.02/d", with: "organic_conversion: 0.02/d\n    abandons_cart: 0.1/d"
        ).replacingOccurrences(of: "  sms: {kind: sms", with: "  dsp: {kind: dsp}\n  sms: {kind: sms")
        let flagged = try warnings(carts + "\n  retargeting: {via: dsp, audience: cart_abandoned}\n")
        #expect(flagged.contains { $0.contains("'dsp' never hears of cart_abandoned") && $0.contains("it serves no one") }, "\(flagged)")
        let carried = carts.replacingOccurrences(
            of: "campaign:", with: "  crm_to_dsp: {from: crm, to: dsp, carries: [cart_abandoned], batch: {every: 1h}}\ncampaign:")
        #expect(!(try warnings(carried + "\n  retargeting: {via: dsp, audience: cart_abandoned}\n")).contains { $0.contains("serves no one") })
        // A static upload of a segment people are in at the start is a design choice, not flagged.
        #expect(!(try warnings(carts + "\n  retargeting: {via: dsp}\n")).contains { $0.contains("serves no one") })
    }

    @Test func aLinkBringingARecomputingCDPOnlyWhatItSeesItselfIsFlagged() throws {
        let cdp = validScenario.replacingOccurrences(
            of: "  crm: {kind: crm}", with: "  crm: {kind: crm}\n  cdp: {kind: cdp, recompute: {every: 4h}}")
        let same = cdp.replacingOccurrences(
            of: "campaign:", with: "  crm_to_cdp: {from: crm, to: cdp, carries: [conversions], stream: {latency: 1m}}\ncampaign:")
        #expect((try warnings(same)).contains { $0.contains("already sees converted itself at each recompute") })
        let more = same.replacingOccurrences(of: "carries: [conversions], stream", with: "carries: [conversions, segments], stream")
        #expect(!(try warnings(more)).contains { $0.contains("at each recompute") })
    }
}
