import MarTechModel
import StackSimulation
import Testing

/// Conversions reach the CDP only through the CRM's stream; its audiences recompute every 4 hours.
private func gatedScenario(recompute: String) -> String {
    """
    name: gated
    seed: 11
    start: 2026-03-02T00:00:00Z
    duration: 7d
    population:
      customers: 3000
      consent: {email: 1.0}
      behavior:
        organic_conversion: 0.2/d
    platforms:
      crm: {kind: crm}
      cdp: {kind: cdp, observes: []\(recompute)}
      map: {kind: map}
    links:
      crm_to_cdp: {from: crm, to: cdp, carries: [conversions], stream: {latency: 1m}}
    campaign:
      steps:
        - {name: offer, day: 3, at: "10:30", via: map, decided_by: cdp, unless: converted}
    """
}

/// A CDP's recompute gates what links deliver into it, not only what it observes itself.
@Suite struct RecomputeGateTests {
    @Test func linkDeliveriesTakeEffectAtTheNextRecompute() throws {
        let p = try plan(gatedScenario(recompute: ", recompute: {every: 4h}"))
        let link = try #require(p.links.firstIndex { $0.name == "crm_to_cdp" })
        let (_, rows) = run(p)
        let changeTime = Dictionary(uniqueKeysWithValues: rows.truthChanges.map { ($0.id, $0.at) })
        let deliveries = rows.deliveries.filter { Int($0.link) == link }
        #expect(deliveries.count > 1000)
        // Every conversion is seen at a 4-hour recompute, at least the stream's minute after it happened.
        #expect(deliveries.allSatisfy { $0.appliedAt % 14_400_000 == 0 })
        #expect(deliveries.allSatisfy { $0.appliedAt - changeTime[$0.changeId]! >= 60_000 })
        let waits = deliveries.map { Double($0.appliedAt - changeTime[$0.changeId]!) / 3_600_000 }
        #expect(abs(mean(waits) - 2) < 4 * standardError(waits), "mean wait \(mean(waits)) h: half the cadence")
    }

    @Test func misfiresWaitingForTheRecomputeNameItAndTheLink() throws {
        let gated = try plan(gatedScenario(recompute: ", recompute: {every: 4h}"))
        let link = try #require(gated.links.firstIndex { $0.name == "crm_to_cdp" })
        let (result, rows) = run(gated)
        let late = rows.misfires.filter { $0.type == .postConversion }
        #expect(!late.isEmpty)
        #expect(late.allSatisfy { $0.cause == .awaitingRecompute && Int($0.causeLink) == link })
        #expect(!MisfireCause.awaitingRecompute.isFault)
        // Without the cadence the stream's minute is all the CDP waits: far fewer misfires.
        let (direct, directRows) = run(try plan(gatedScenario(recompute: "")))
        #expect(directRows.misfires.allSatisfy { $0.cause == .streamLatency })
        let gatedCount = result.summary.misfiresByType.reduce(0, +)
        let directCount = direct.summary.misfiresByType.reduce(0, +)
        #expect(gatedCount > 10 * max(directCount, 1), "gated \(gatedCount), direct \(directCount)")
    }
}
