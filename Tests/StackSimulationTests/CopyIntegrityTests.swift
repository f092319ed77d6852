import MarTechModel
import StackSimulation
import Testing

/// Should keep each platform's copy to itself: a link that delivers a field its destination
/// already observes in the truth changes nothing (it once wrote into the neighbouring customer's
/// slot and turned opted-out devices into opted-in ones).
@Suite struct CopyIntegrityTests {
    @Test func aSyncedFieldTheDestinationObservesLeavesOtherFieldsAlone() throws {
        let yaml = """
            name: observed-and-synced
            seed: 9
            start: 2026-03-02T00:00:00Z
            duration: 5d
            population:
              customers: 4000
              segments: {shoppers: 1.0}
              consent: {push: 0.5}
              devices: {ios: 1.0}
              behavior: {abandons_cart: 0.3/d}
            platforms:
              cdp: {kind: cdp}
              push: {kind: push, observes: [cart_abandoned]}
            links:
              cdp_to_push: {from: cdp, to: push, carries: [cart_abandoned], stream: {latency: 1m}}
            campaign:
              audience: {segment: shoppers}
              steps: [{name: cart_push, on: cart_abandoned, buffer: 10m, via: push, require: cart_abandoned}]
            """
        let (result, rows) = run(try plan(yaml))
        #expect(rows.touchpoints.count > 500)
        #expect(result.summary.misfires(.noConsent) == 0)
        #expect(rows.deliveries.count > 500, "the link did deliver")
    }
}
