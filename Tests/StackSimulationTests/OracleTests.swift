import MarTechModel
import StackSimulation
import Testing

private func withLinks(_ text: String, _ replacements: [(String, String)]) -> String {
    replacements.reduce(text) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
}

/// Should find the misfires that follow from the stack's lags, attribute them to the link that
/// lagged, and find none when every link is instant and every step is gated.
@Suite struct OracleTests {
    @Test func instantLinksAndGatedJourneysGiveNoMisfires() throws {
        let instant = withLinks(
            miniWinback,
            [
                ("batch: {at: \"02:00\", runs_for: 45m}", "stream: {latency: 0s}"),
                ("stream: {latency: {lognormal: {median: 5m, sigma: 1.5}}}", "stream: {latency: 0s}"),
                ("batch: {every: 6h}", "stream: {latency: 0s}"),
                ("apply_delay: {lognormal: {median: 6h, p99: 30h}}", "apply_delay: none"),
                // 18:00 UTC is 14:00 in New York and 11:00 in Los Angeles: inside TCPA hours everywhere.
                ("at: \"14:00\"", "at: \"18:00\""),
            ])
        let (result, rows) = run(try plan(instant))
        #expect(result.summary.touchpoints(.email) > 500 && result.summary.impressionsServed > 10_000)
        #expect(result.summary.misfiresByType.reduce(0, +) == 0, "\(rows.misfires.prefix(5))")
    }

    @Test func lateSuppressionWastesImpressionsAttributedToTheDSPLink() throws {
        let p = try plan(miniWinback)
        let (result, rows) = run(p)
        let dspLink = p.links.firstIndex { $0.name == "crm_to_dsp" }!
        let adMisfires = rows.misfires.filter { $0.touchpoint < 0 }
        #expect(result.summary.impressionsWasted > 0)
        #expect(adMisfires.allSatisfy { $0.type == .postConversion && $0.causeLink == dspLink })
        #expect(Set(adMisfires.map(\.cause)).isSubset(of: [.awaitingBatch, .batchRunning, .applyDelay]))
        #expect(adMisfires.reduce(0) { $0 + Int($1.count) } == result.summary.impressionsWasted)
    }

    @Test func nightlyBatchCausesStaleEmailsAttributedToIt() throws {
        let p = try plan(miniWinback)
        let (result, rows) = run(p)
        let mapLink = p.links.firstIndex { $0.name == "crm_to_map" }!
        let emailMisfires = rows.misfires.filter { $0.touchpoint >= 0 && p.platforms[Int($0.platform)].kind == .map }
        #expect(result.summary.misfires(.postConversion, on: .email) > 0)
        #expect(result.summary.misfires(.staleSegment) > 0)
        // The MAP decides at once on its own copy, so every email misfire is the nightly batch's.
        #expect(
            emailMisfires.allSatisfy { $0.causeLink == mapLink && $0.cause == .awaitingBatch },
            "\(emailMisfires.prefix(3))")
    }

    @Test func ungatedStepIsAJourneyDesignFault() throws {
        let ungated = miniWinback.replacingOccurrences(
            of: "{name: upgrade, day: 7, at: \"14:00\", via: map, unless: converted}",
            with: "{name: upgrade, day: 7, at: \"14:00\", via: map}")
        let p = try plan(ungated)
        let (_, rows) = run(p)
        let upgrade = Int16(p.campaign.steps.firstIndex { $0.name == "upgrade" }!)
        let touchpointsOfUpgrade = Set(rows.touchpoints.filter { $0.step == upgrade }.map(\.id))
        let design = rows.misfires.filter {
            touchpointsOfUpgrade.contains($0.touchpoint) && $0.type == .postConversion && $0.cause == .journeyDesign
        }
        #expect(design.count > 10, "the MAP knew these customers had converted and sent anyway")
    }

    @Test func smsWithoutAConsentCheckIsCaught() throws {
        let unchecked = miniWinback.replacingOccurrences(
            of: "sms: {kind: sms, throughput: unlimited}",
            with: "sms: {kind: sms, throughput: unlimited, checks_consent: false}")
        let (result, _) = run(try plan(unchecked))
        #expect(result.summary.misfires(.noConsent, on: .sms) > 100)
        #expect(
            result.summary.misfiresByTypeAndCause[Int(MisfireType.noConsent.rawValue)][
                Int(MisfireCause.journeyDesign.rawValue)]
                == result.summary.misfires(.noConsent))
    }

    @Test func quietHoursHoldSMSUntilMorningLocalTime() throws {
        // 10:00 in New York is 07:00 in Los Angeles: those messages wait until 08:00 local.
        let text = miniWinback.replacingOccurrences(
            of: "sms: {kind: sms, throughput: unlimited}",
            with: "sms: {kind: sms, throughput: unlimited, quiet_hours: \"21:00-08:00\"}"
        )
        .replacingOccurrences(of: "{name: text, day: 3, at: \"14:00\"", with: "{name: text, day: 3, at: \"10:00\"")
        .replacingOccurrences(
            of: "start: 2026-06-01T00:00:00Z", with: "start: 2026-06-01T00:00:00Z\ntimezone: America/New_York")
        let p = try plan(text)
        let (result, rows) = run(p)
        let sms = rows.touchpoints.filter { $0.channel == .sms }
        #expect(!sms.isEmpty)
        #expect(result.summary.misfires(.quietHours) == 0)
        #expect(sms.contains { $0.deliveredAt > $0.decidedAt }, "some messages were held")
        #expect(
            sms.allSatisfy { $0.deliveredAt - $0.decidedAt <= 3_600_000 }, "held one hour at most (07:00 → 08:00 in LA)"
        )
    }
}
