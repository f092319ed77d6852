import MarTechModel
import SimKernel
import StackSimulation
import Testing

private func linkScenario(_ link: String, customers: Int = 20000, rate: String = "0.05/d") -> String {
    """
    name: link-theory
    seed: 11
    start: 2026-01-01T00:00:00Z
    duration: 20d
    population:
      customers: \(customers)
      segments: {all: 1.0}
      behavior: {organic_conversion: \(rate)}
    platforms:
      crm: {kind: crm}
      map: {kind: map}
    links:
      crm_to_map: {from: crm, to: map, carries: [conversions], \(link)}
    campaign:
      audience: {segment: all}
      steps: [{name: never, day: 19, at: "23:00", via: map, unless: converted}]
    """
}

/// Should reproduce the closed forms of queueing theory for sync links.
@Suite struct LinkTheoryTests {
    /// Changes at uniformly random times wait T/2 on average for a batch every T, plus the run duration.
    @Test(arguments: [(6, 45), (24, 0), (1, 10)])
    func periodicBatchMeanFreshnessIsHalfThePeriodPlusRunTime(periodHours: Int, runsForMinutes: Int) throws {
        let p = try plan(linkScenario("batch: {every: \(periodHours)h, runs_for: \(runsForMinutes)m}"))
        let (_, rows) = run(p)
        let changeTime = Dictionary(uniqueKeysWithValues: rows.truthChanges.map { ($0.id, $0.at) })
        let freshness = rows.deliveries.map { Double($0.appliedAt - changeTime[$0.changeId]!) / 3_600_000 }
        #expect(freshness.count > 5000)
        let expected = Double(periodHours) / 2 + Double(runsForMinutes) / 60
        let m = mean(freshness), se = standardError(freshness)
        #expect(abs(m - expected) < 4 * se, "mean freshness \(m)h, expected \(expected)h ± \(4 * se)")
        #expect(
            freshness.allSatisfy {
                $0 >= Double(runsForMinutes) / 60 - 1e-9 && $0 <= Double(periodHours) + Double(runsForMinutes) / 60
            })
    }

    /// A stream link's freshness is its latency distribution: lognormal median 5m, sigma 1.5.
    @Test func streamFreshnessFollowsItsDistribution() throws {
        let p = try plan(linkScenario("stream: {latency: {lognormal: {median: 5m, sigma: 1.5}}}"))
        let (_, rows) = run(p)
        let changeTime = Dictionary(uniqueKeysWithValues: rows.truthChanges.map { ($0.id, $0.at) })
        let minutes = rows.deliveries.map { Double($0.appliedAt - changeTime[$0.changeId]!) / 60_000 }.sorted()
        #expect(minutes.count > 5000)
        let median = minutes[minutes.count / 2]
        // Median of n lognormal draws: standard error ≈ 1.2533·σ·median/√n in log space.
        let tolerance = 4 * 1.2533 * 1.5 * 5 / Double(minutes.count).squareRoot()
        #expect(abs(median - 5) < tolerance + 0.01, "median \(median)m")
        let logs = minutes.map { _log(max($0, 1e-6)) }
        let m = mean(logs)
        let sd = (logs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(logs.count - 1)).squareRoot()
        #expect(abs(sd - 1.5) < 0.05, "sigma of log-latency \(sd)")
    }

    /// Snapshot semantics: a change made while a batch is running waits for the next one.
    @Test func changesDuringARunningBatchWaitForTheNext() throws {
        let p = try plan(linkScenario("batch: {at: \"02:00\", runs_for: 45m}"))
        let (_, rows) = run(p)
        let changeTime = Dictionary(uniqueKeysWithValues: rows.truthChanges.map { ($0.id, $0.at) })
        for d in rows.deliveries {
            let changed = changeTime[d.changeId]!
            #expect(changed < d.sentAt, "a change is carried by the first snapshot after it")
            #expect(d.sentAt - changed <= 86_400_000)
            #expect(d.appliedAt == d.sentAt + 45 * 60_000)
        }
    }
}

/// Should measure a link's backlog: what waits for a snapshot or travels on the stream.
@Suite struct BacklogTests {
    private func scenario(_ link: String) -> String {
        """
        name: backlog
        seed: 2
        start: 2026-01-01T00:00:00Z
        duration: 10d
        population:
          customers: 5000
          segments: {all: 1.0}
          behavior: {organic_conversion: 0.05/d}
        platforms:
          crm: {kind: crm}
          map: {kind: map}
        links:
          crm_to_map: {from: crm, to: map, carries: [conversions], \(link)}
        campaign:
          audience: {segment: all}
          steps: [{name: s, day: 9, at: "23:00", via: map, unless: converted}]
        """
    }

    @Test func anInstantStreamHoldsAtMostOneRecord() throws {
        let (result, _) = run(try plan(scenario("stream: {latency: 0s}")))
        #expect(result.summary.links[0].backlogMaxByDay.allSatisfy { $0 <= 1 })
        #expect(result.summary.links[0].backlogMaxByDay.contains(1))
    }

    @Test func aNightlyBatchBacklogPeaksAtLeastAtItsBatchSize() throws {
        let (result, rows) = run(try plan(scenario("batch: {at: \"02:00\", runs_for: 45m}")))
        let perBatch = Dictionary(grouping: rows.deliveries, by: \.batch).mapValues { Set($0.map(\.customer)).count }
        for (batch, customers) in perBatch where batch >= 1 {
            // Batch k is snapshotted at 02:00 on day k: everything in it was waiting that day.
            #expect(result.summary.links[0].backlogMaxByDay[Int(batch)] >= customers, "batch \(batch)")
        }
        #expect(result.summary.links[0].backlogMaxByDay.max()! < 5000)
    }
}
