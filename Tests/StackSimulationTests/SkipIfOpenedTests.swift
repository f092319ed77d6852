import MarTechModel
import StackSimulation
import Testing

/// An email at 10:00 from the MAP; a push at 14:00 decided by the push platform, skipped for
/// customers who opened the email — as far as the push platform knows.
private func openScenario(links: String) -> String {
    """
    name: opens
    seed: 8
    start: 2026-03-02T00:00:00Z
    duration: 3d
    population:
      customers: 4000
      consent: {email: 1.0, push: 1.0}
      devices: {ios: 1.0}
      behavior:
        email: {open: 0.4, open_delay: {exponential: {mean: 2h}}}
        push: {open: 0.05}
    platforms:
      crm: {kind: crm}
      map: {kind: map}
      push: {kind: push}
    \(links)
    campaign:
      steps:
        - {name: email, day: 1, at: "10:00", via: map}
        - {name: nudge, day: 1, at: "14:00", via: push, skip_if_opened: {step: email}}
    """
}

/// Should skip on the deciding platform's copy of the open, which only a link brings.
@Suite struct SkipIfOpenedTests {
    @Test func thePushPlatformSkipsOnlyTheOpensItHeardOfInTime() throws {
        let p = try plan(openScenario(links: "links:\n  map_to_push: {from: map, to: push, carries: [opened.email], stream: {latency: 30m}}"))
        let opened = try #require(p.fields.firstIndex { $0.name == "opened.email" })
        let (_, rows) = run(p)
        let openedAt = Dictionary(
            rows.truthChanges.filter { Int($0.field) == opened }.map { ($0.customer, $0.at) }, uniquingKeysWith: min)
        let pushTime = try #require(rows.touchpoints.first { $0.channel == .push }?.decidedAt)
        let pushed = Set(rows.touchpoints.filter { $0.channel == .push }.map(\.customer))
        let heardInTime = Set(openedAt.filter { $0.value + 1_800_000 <= pushTime }.map(\.key))
        #expect(heardInTime.count > 500, "\(heardInTime.count) opens reached the push platform before 14:00")
        #expect(pushed.isDisjoint(with: heardInTime))
        // Opened, but too late for the feed to tell the push platform: pushed anyway.
        let lateOpeners = Set(openedAt.filter { $0.value <= pushTime && $0.value + 1_800_000 > pushTime }.map(\.key))
        #expect(!lateOpeners.isEmpty && lateOpeners.isSubset(of: pushed))
        #expect(pushed.count == 4000 - heardInTime.count)
    }

    @Test func withoutTheFeedNobodyIsSkipped() throws {
        let (result, rows) = run(try plan(openScenario(links: "")))
        #expect(rows.touchpoints.filter { $0.channel == .push }.count == 4000)
        #expect(rows.truthChanges.contains { $0.cause == .response })
        let skipped = result.summary.stepFunnel?[1][Int(FunnelStage.skipped.rawValue)] ?? -1
        #expect(skipped == 0)
    }
}
