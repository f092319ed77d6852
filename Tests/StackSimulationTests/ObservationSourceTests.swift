import MarTechModel
import StackSimulation
import Testing

/// The CRM sees preference-centre revocations at once but STOP replies only through the SMS
/// platform's link; the CRM passes consent on to the MAP a minute later.
private let stopScenario = """
    name: stops
    seed: 4
    start: 2026-03-02T00:00:00Z
    duration: 5d
    population:
      customers: 3000
      consent: {sms: 1.0, email: 1.0}
      behavior:
        revokes_consent: {sms: 0.05/d}
        sms: {click: 0.05, stop: 0.05, opt_out_delay: 10m}
    platforms:
      crm: {kind: crm, observes: [conversions, {consent.sms: behavior}]}
      sms: {kind: sms}
      map: {kind: map, observes: []}
    links:
      sms_to_crm: {from: sms, to: crm, carries: [consent.sms], stream: {latency: 1h}}
      crm_to_map: {from: crm, to: map, carries: [consent.sms], stream: {latency: 1m}}
    campaign:
      steps:
        - {name: text, day: 1, at: "10:00", via: sms}
    """

/// Should see a field at once only from the sources the platform observes it from.
@Suite struct ObservationSourceTests {
    @Test func aCRMSeesPreferenceCentreChangesAtOnceAndSTOPRepliesByLink() throws {
        let p = try plan(stopScenario)
        let toMap = try #require(p.links.firstIndex { $0.name == "crm_to_map" })
        let (_, rows) = run(p)
        let changes = Dictionary(uniqueKeysWithValues: rows.truthChanges.map { ($0.id, $0) })
        var waits: [TruthChangeCause: [Int64]] = [:]
        for d in rows.deliveries where Int(d.link) == toMap {
            guard let change = changes[d.changeId] else { continue }
            waits[change.cause, default: []].append(d.appliedAt - change.at)
        }
        let own = waits[.behavior] ?? [], replies = waits[.response] ?? []
        #expect(own.count > 100 && replies.count > 50, "behavior \(own.count), responses \(replies.count)")
        // A revocation in the preference centre: the CRM knew at once, the MAP a minute later.
        #expect(own.allSatisfy { $0 == 60_000 })
        // A STOP: the SMS platform's hour to the CRM first, then the minute to the MAP.
        #expect(replies.allSatisfy { $0 == 3_660_000 })
    }

    @Test func anUnknownSourceIsAnErrorWithTheNearMiss() throws {
        let text = stopScenario.replacingOccurrences(of: "{consent.sms: behavior}", with: "{consent.sms: behaviour}")
        #expect {
            try plan(text)
        } throws: { error in
            "\(error)".contains("unknown source 'behaviour'") && "\(error)".contains("did you mean 'behavior'")
        }
    }
}
