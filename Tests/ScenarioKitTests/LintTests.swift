import Testing

@testable import ScenarioKit

/// Should warn (file:line:col, what has no effect, how to fix) for every setting that does
/// nothing or contradicts another, and stay quiet when the setting does its job.
@Suite struct LintTests {
    func warnings(_ text: String) throws -> [ScenarioDiagnostic] {
        try Scenario.parse(yaml: text, sourceName: "lint.yaml").warnings
    }

    @Test func aChannelThroughAPlatformOfAnotherKindIsFlagged() throws {
        let flagged = try warnings(
            mutate(
                "- {name: first",
                "    - {name: first, day: 1, at: \"10:00\", via: sms, channel: email, decided_by: map}"))
        #expect(flagged.contains { $0.isWarning && $0.message.contains("email sent through 'sms'") }, "\(flagged)")
        let fine = try warnings(
            mutate("- {name: first", "    - {name: first, day: 1, at: \"10:00\", via: map, channel: email}"))
        #expect(!fine.contains { $0.message.contains("sent through") })
    }

    @Test func anOrchestratorDecidingAnotherPlatformsStepIsFlagged() throws {
        let orchestrated = validScenario.replacingOccurrences(of: "  steps:", with: "  orchestrator: map\n  steps:")
            .replacingOccurrences(of: ", decided_by: map}", with: "}")
        let flagged = try warnings(orchestrated)
        #expect(
            flagged.contains {
                $0.message.contains("step 'text' sends via 'sms' but the orchestrator 'map' decides it")
            })
        let said = try warnings(
            validScenario.replacingOccurrences(of: "  steps:", with: "  orchestrator: map\n  steps:"))
        #expect(!said.contains { $0.message.contains("orchestrator") })
    }

    @Test func aLinkDeliveringOnlyWhatItsDestinationSeesIsFlagged() throws {
        let intoCRM = validScenario.replacingOccurrences(
            of: "campaign:",
            with: "  map_to_crm: {from: map, to: crm, carries: [conversions], stream: {latency: 1m}}\ncampaign:")
        let flagged = try warnings(intoCRM)
        #expect(flagged.contains { $0.message.contains("'crm' already sees converted at once") }, "\(flagged)")
        #expect(try warnings(validScenario).filter { !$0.message.contains("gates nothing") }.isEmpty)
    }

    @Test func aSuppressionTheDSPNeverHearsOfIsFlagged() throws {
        let withDSP =
            validScenario.replacingOccurrences(of: "  sms: {kind: sms", with: "  dsp: {kind: dsp}\n  sms: {kind: sms")
            + "\n  retargeting: {via: dsp, suppress_on: converted}\n"
        let flagged = try warnings(withDSP)
        #expect(flagged.contains { $0.message.contains("'dsp' never hears of converted") })
        let carried = withDSP.replacingOccurrences(
            of: "campaign:",
            with: "  crm_to_dsp: {from: crm, to: dsp, carries: [conversions], batch: {every: 6h}}\ncampaign:")
        #expect(!(try warnings(carried)).contains { $0.message.contains("never hears") })
    }

    @Test func aPushStepWhenNobodyHasADeviceIsFlagged() throws {
        let push = validScenario.replacingOccurrences(
            of: "  sms: {kind: sms, quiet_hours: \"21:00-08:00\", throughput: 10/s}",
            with: "  sms: {kind: sms, quiet_hours: \"21:00-08:00\", throughput: 10/s}\n  app: {kind: push}"
        ).replacingOccurrences(
            of: "    - {name: text, day: 3, at: \"10:00\", via: sms, decided_by: map}",
            with: "    - {name: text, day: 3, at: \"10:00\", via: sms, decided_by: map}\n    - {name: nudge, day: 4, at: \"10:00\", via: app, decided_by: map}")
        let flagged = try warnings(push)
        #expect(flagged.contains { $0.message.contains("step 'nudge' sends push, but no customer has a push device") }, "\(flagged)")
        let withDevices = try warnings(
            push.replacingOccurrences(of: "  customers: 100", with: "  customers: 100\n  devices: {ios: 0.5}"))
        #expect(!withDevices.contains { $0.message.contains("push device") })
    }

    @Test func aLinkFromAPlatformThatNeverLearnsItsFieldIsFlagged() throws {
        // The MAP hears of consent.sms from no one (it sends no SMS, observes nothing): carrying it on carries nothing.
        let relay = validScenario.replacingOccurrences(
            of: "campaign:",
            with: "  map_to_sms: {from: map, to: sms, carries: [consent.sms], stream: {latency: 1m}}\ncampaign:")
        let flagged = try warnings(relay)
        let warning = flagged.first { $0.message.contains("'map' never learns of consent.sms") }
        #expect(warning != nil, "\(flagged)")
        #expect(warning?.line == 27)
        // The CRM observes it: the same link from the CRM is fine.
        #expect(!(try warnings(validScenario)).contains { $0.message.contains("never learns") })
    }

    @Test func aCapNoStepCanReachIsFlagged() throws {
        // validScenario: map sends one step and has a 3/7d cap.
        let flagged = try warnings(validScenario)
        #expect(
            flagged.contains { $0.isWarning && $0.message.contains("a cap of 3 messages gates nothing in a run: 'map' sends each customer at most 1") },
            "\(flagged)")
        let binding = try warnings(validScenario.replacingOccurrences(of: "frequency_cap: 3/7d", with: "frequency_cap: 1/7d")
            .replacingOccurrences(of: "via: sms, decided_by: map}", with: "via: map}"))
        #expect(!binding.contains { $0.message.contains("gates nothing") }, "\(binding)")
    }

    @Test func aMessageDecidedByADSPIsFlagged() throws {
        let withDSP = validScenario.replacingOccurrences(of: "  map: {kind: map", with: "  dsp: {kind: dsp}\n  map: {kind: map")
        let flagged = try warnings(withDSP.replacingOccurrences(of: "decided_by: map}", with: "decided_by: dsp}"))
        #expect(flagged.contains { $0.message.contains("is decided by 'dsp', a DSP") }, "\(flagged)")
        #expect(!(try warnings(validScenario)).contains { $0.message.contains("a DSP:") })
    }
}
