import MarTechModel
import StackSimulation
import Testing

/// Cart abandonment through a CDP that recomputes audiences hourly and streams them to the MAP.
private let cartScenario = """
    name: cart
    seed: 5
    start: 2026-03-02T00:00:00Z
    duration: 14d
    population:
      customers: 4000
      segments: {shoppers: 1.0}
      consent: {email: 1.0}
      behavior:
        abandons_cart: 0.2/d
        organic_conversion: 0.05/d
    platforms:
      crm: {kind: crm}
      cdp: {kind: cdp, recompute: {every: 1h}}
      map: {kind: map}
    links:
      cdp_to_map: {from: cdp, to: map, carries: [cart_abandoned, conversions], stream: {latency: 2m}}
    campaign:
      audience: {segment: shoppers}
      steps:
        - {name: cart_reminder, on: cart_abandoned, buffer: 1h, via: map, unless: converted, require: cart_abandoned}
    """

/// Should see behavioural events only at the CDP's recompute, fire event-triggered steps after
/// their buffer, and attribute late suppressions to the recompute or the stream.
@Suite struct CDPTriggerTests {
    @Test func recomputeIsAnHourlyBatchFromTheTruth() throws {
        let p = try plan(cartScenario)
        let recompute = try #require(p.links.firstIndex { $0.name == "cdp.recompute" })
        #expect(p.links[recompute].from == LinkPlan.truth)
        let (_, rows) = run(p)
        let changeTime = Dictionary(uniqueKeysWithValues: rows.truthChanges.map { ($0.id, $0.at) })
        let waits = rows.deliveries.filter { Int($0.link) == recompute }.map {
            Double($0.appliedAt - changeTime[$0.changeId]!) / 60_000
        }
        #expect(waits.count > 1000)
        #expect(waits.allSatisfy { $0 > 0 && $0 <= 60 })
        #expect(
            abs(mean(waits) - 30) < 4 * standardError(waits), "mean wait \(mean(waits)) min: half the hourly cadence")
    }

    @Test func cartRemindersFollowTheirTriggerAfterTheBuffer() throws {
        let p = try plan(cartScenario)
        let (result, rows) = run(p)
        #expect(result.summary.touchpoints(.email) > 500)
        let mapLink = p.links.firstIndex { $0.name == "cdp_to_map" }!
        // Each reminder goes exactly 1h after the MAP learned of the abandonment.
        let arrivals = Dictionary(
            grouping: rows.deliveries.filter {
                Int($0.link) == mapLink && $0.value == 1 && p.fields[Int($0.field)].name == "cart_abandoned"
            }, by: \.customer)
        for tp in rows.touchpoints.prefix(200) {
            let times = arrivals[tp.customer]?.map(\.appliedAt) ?? []
            #expect(times.contains(tp.decidedAt - 3_600_000), "customer \(tp.customer)")
        }
        // Purchases between the abandonment and the reminder reach the MAP late: those are the misfires.
        let misfires = rows.misfires.filter { $0.type == .postConversion }
        #expect(!misfires.isEmpty)
        #expect(
            misfires.allSatisfy { [.awaitingBatch, .batchRunning, .streamLatency, .journeyDesign].contains($0.cause) })
    }
}
