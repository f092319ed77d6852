import MarTechModel
import Reporting
import ScenarioKit
import SimKernel
import StackSimulation
import Testing

private let day: Int64 = 86_400_000
private let hour: Int64 = 3_600_000
private let minute: Int64 = 60_000

/// A nightly CRM→MAP batch of segments and one email step on day 4 at 10:00; `chaos` is appended.
private func segmentScenario(chaos: String, link: String = "batch: {at: \"02:00\"}") -> String {
    """
    name: outage-theory
    seed: 21
    start: 2026-03-02T00:00:00Z
    duration: 6d
    population:
      customers: 20000
      segments: {lapsed: {share: 1.0, leaves: 0.1/d}}
      consent: {email: 1.0}
    platforms:
      crm: {kind: crm}
      map: {kind: map}
    links:
      crm_to_map: {from: crm, to: map, carries: [segments], \(link)}
    campaign:
      audience: {segment: lapsed}
      steps: [{name: nudge, day: 4, at: "10:00", via: map}]
    chaos:
    \(chaos)
    """
}

/// A consent stream CRM→SMS with a fixed one-minute latency; `extra` goes into the link.
private func streamScenario(chaos: String, extra: String = "", customers: Int = 5000) -> String {
    """
    name: stream-faults
    seed: 8
    start: 2026-03-02T00:00:00Z
    duration: 4d
    population:
      customers: \(customers)
      segments: {all: 1.0}
      consent: {sms: 1.0}
      behavior: {revokes_consent: {sms: 0.5/d}}
    platforms:
      crm: {kind: crm}
      sms: {kind: sms, throughput: unlimited}
    links:
      crm_to_sms: {from: crm, to: sms, carries: [consent.sms], stream: {latency: 1m}\(extra)}
    campaign:
      audience: {segment: all}
      steps: [{name: text, day: 3, at: "15:00", via: sms}]
    chaos:
    \(chaos)
    """
}

/// Each fault kind, in a scenario where its effect is known by construction or by theory.
@Suite struct FaultTests {
    /// A 30h outage from day 3 01:00 fails the day 3 and day 4 02:00 runs (and their retries):
    /// every customer who left the segment between the day 2 run and the day 4 run is still in
    /// it on the MAP at the day 4 10:00 step — a stale-segment misfire owed to the outage. Those
    /// who left after the day 4 run would have been late anyway: awaiting the batch.
    @Test func outageOnABatchLinkPushesExactlyTheWindowsChangesIntoStaleSegments() throws {
        let p = try plan(segmentScenario(chaos: "  - {at: \"day 3 01:00\", outage: {platform: map, for: 30h}}"))
        let (result, rows) = run(p)
        let segment = UInt16(try #require(p.field(named: "segment.lapsed")))
        let leftAt = Dictionary(
            uniqueKeysWithValues: rows.truthChanges.filter { $0.field == segment }.map { ($0.customer, $0.at) })
        let runBefore = 2 * day + 2 * hour, failedRun = 4 * day + 2 * hour, step = 4 * day + 10 * hour
        let owedToOutage = Set(leftAt.filter { $0.value >= runBefore && $0.value < failedRun }.map(\.key))
        let awaiting = Set(leftAt.filter { $0.value >= failedRun && $0.value < step }.map(\.key))
        let stale = rows.misfires.filter { $0.type == .staleSegment }
        #expect(owedToOutage.count > 2000)
        #expect(Set(stale.filter { $0.cause == .outage }.map(\.customer)) == owedToOutage)
        #expect(Set(stale.filter { $0.cause == .awaitingBatch }.map(\.customer)) == awaiting)
        #expect(stale.count == owedToOutage.count + awaiting.count)
        #expect(stale.filter { $0.cause == .outage }.allSatisfy { $0.causeFault == 0 })
        let fault = result.summary.faults[0]
        // The last retry of the day 4 run fails at 02:03:30 (30 s, 1 m, 2 m backoff): it held those changes too.
        let lastRetry = failedRun + 210_000
        #expect(fault.recordsDelayed == leftAt.filter { $0.value >= runBefore && $0.value < lastRetry }.count)
        #expect(fault.misfires == owedToOutage.count)
        #expect(fault.retries == 6, "two failed runs, three retries each")
        #expect(result.summary.links[0].retries == 6)
    }

    /// The same outage on a link that is never asked during it touches records but the step
    /// runs after it; an outage before anything changes touches nothing and is flagged.
    @Test func aFaultThatTouchedNothingIsFlagged() throws {
        let quietText =
            segmentScenario(chaos: "  - {at: \"day 5 12:00\", outage: {platform: map, for: 1h}}")
            + "\nexpectations:\n  sometimes: {faults_bite: true, misfires: [stale_segment, duplicate_send]}\n"
        let scenario = try Scenario.parse(yaml: quietText, sourceName: "quiet.yaml")
        let (result, _) = run(scenario.plan)
        #expect(!result.summary.faults[0].bit)
        // `sometimes` turns a fault that never bit, or a misfire never seen, into a failed check.
        let verdict = ExpectationReport(
            scenario: "q", expectations: scenario.expectations, summary: result.summary, linkNames: ["crm_to_map"])
        #expect(verdict.results.map(\.passed) == [false, true, false], "\(verdict.render())")
        #expect(verdict.results[0].detail.contains("never bit: chaos[0] outage map"))
        let busy = try plan(segmentScenario(chaos: "  - {at: \"day 3 01:00\", outage: {platform: map, for: 30h}}"))
        #expect(run(busy).0.summary.faults[0].bit)
    }

    /// Stream records reaching a destination that is down are retried (fixed 10m, twice) and
    /// then dead-lettered: exactly those arriving more than 20m before the outage ends. A replay
    /// at the end delivers every dead letter at that instant.
    @Test(arguments: [false, true])
    func streamOutageRetriesThenDeadLettersThenReplays(replay: Bool) throws {
        let recovery = replay ? ", recovery: replay" : ""
        let p = try plan(
            streamScenario(
                chaos: "  - {at: \"day 1 06:00\", outage: {platform: sms, for: 6h\(recovery)}}",
                extra: ", retry: {attempts: 2, backoff: fixed, base: 10m}"))
        let (result, rows) = run(p)
        let start = day + 6 * hour, end = start + 6 * hour
        let consent = UInt16(try #require(p.field(named: "consent.sms")))
        let arrivals = rows.truthChanges.filter { $0.field == consent }.map { $0.at + minute }
        let dead = arrivals.filter { $0 >= start && $0 < end - 20 * minute }.count
        let retried = arrivals.filter { $0 >= start && $0 < end }.count
        #expect(dead > 200)
        let fault = result.summary.faults[0]
        #expect(fault.recordsDeadLettered == dead)
        #expect(fault.recordsDelayed == retried)
        #expect(result.summary.links[0].deadLetters == dead)
        if replay {
            #expect(fault.recordsReplayed == dead)
            #expect(rows.deliveries.filter { $0.appliedAt == end }.count >= dead)
            #expect(result.summary.links[0].changesPendingAtEnd == 0)
        } else {
            #expect(fault.recordsReplayed == 0)
            #expect(result.summary.links[0].changesPendingAtEnd > 0)
        }
    }

    /// After an outage the team backfills what was dead-lettered, and chooses whether those
    /// records fire journeys: with the choice off, no customer whose abandonment was backfilled
    /// gets the cart email; with it on, each gets it after the window, never before.
    @Test(arguments: [false, true])
    func backfillFiresJourneysOnlyWhenTheTeamSaysSo(fires: Bool) throws {
        let yaml = """
            name: backfill
            seed: 6
            start: 2026-03-02T00:00:00Z
            duration: 4d
            population:
              customers: 4000
              segments: {shoppers: 1.0}
              consent: {email: 1.0}
              behavior: {abandons_cart: 0.3/d, email: {open: 0.2}}
            platforms:
              cdp: {kind: cdp}
              map: {kind: map}
            links:
              cdp_to_map: {from: cdp, to: map, carries: [cart_abandoned], stream: {latency: 1m}, retry: {attempts: 0}}
            campaign:
              audience: {segment: shoppers}
              steps: [{name: cart, on: cart_abandoned, buffer: 10m, via: map, require: cart_abandoned}]
            chaos:
              - {at: "day 1", outage: {platform: map, for: 12h, recovery: backfill, recovery_fires_journeys: \(fires)}}
            """
        let (result, rows) = run(try plan(yaml))
        let start = day, end = day + 12 * hour
        let fault = result.summary.faults[0]
        #expect(fault.recordsDeadLettered > 100)
        #expect(fault.recordsReplayed == fault.recordsDeadLettered)
        let backfilled = Set(rows.deliveries.filter { $0.appliedAt == end }.map(\.customer))
        #expect(backfilled.count > 100)
        let emailed = rows.touchpoints.filter {
            backfilled.contains($0.customer) && $0.decidedAt >= start && $0.decidedAt <= end + 10 * minute
        }
        if fires {
            #expect(emailed.count > 50)
            #expect(emailed.allSatisfy { $0.decidedAt >= end })
        } else {
            #expect(emailed.isEmpty)
        }
    }

    /// A paused stream holds what arrives and resumes at the end of the window, in order.
    @Test func pausedStreamResumesAtTheEndOfTheWindow() throws {
        let p = try plan(streamScenario(chaos: "  - {at: \"day 1 06:00\", pause: {link: crm_to_sms, for: 3h}}"))
        let (result, rows) = run(p)
        let start = day + 6 * hour, end = start + 3 * hour
        let held = rows.deliveries.filter { $0.sentAt + minute >= start && $0.sentAt + minute < end }
        #expect(held.count > 100)
        #expect(held.allSatisfy { $0.appliedAt == end })
        #expect(result.summary.faults[0].requestsThrottled == held.count)
        #expect(result.summary.links[0].changesPendingAtEnd == 0)
    }

    /// A degradation window triples the latency of what enters it and fails a share of requests.
    @Test func degradationMultipliesLatencyInsideTheWindow() throws {
        let p = try plan(
            streamScenario(chaos: "  - {at: \"day 1\", degrade: {link: crm_to_sms, for: 1d, latency_factor: 3}}"))
        let (_, rows) = run(p)
        let inside = rows.deliveries.filter { $0.sentAt >= day && $0.sentAt < 2 * day }
        let outside = rows.deliveries.filter { $0.sentAt >= 2 * day }
        #expect(inside.count > 1000 && outside.count > 1000)
        #expect(inside.allSatisfy { $0.appliedAt - $0.sentAt == 3 * minute })
        #expect(outside.allSatisfy { $0.appliedAt - $0.sentAt == minute })
    }

    /// An error window fails each request with its error rate; with no retries a failed record is
    /// dead-lettered at once, so the dead letters are a binomial share of what arrived in the window.
    @Test func errorRateFailsThatShareOfRequests() throws {
        let p = try plan(
            streamScenario(
                chaos: "  - {at: \"day 1\", degrade: {link: crm_to_sms, for: 1d, error_rate: 30%}}",
                extra: ", retry: {attempts: 0}"))
        let (result, rows) = run(p)
        let consent = UInt16(try #require(p.field(named: "consent.sms")))
        let arrived = Double(
            rows.truthChanges.filter { $0.field == consent && $0.at + minute >= day && $0.at + minute < 2 * day }.count)
        let dead = Double(result.summary.faults[0].recordsDeadLettered)
        #expect(arrived > 1000)
        #expect(abs(dead - 0.3 * arrived) < 4 * (arrived * 0.21).squareRoot(), "\(dead) of \(arrived)")
        #expect(result.summary.links[0].retries == 0)
        #expect(
            rows.deliveries.filter { $0.sentAt + minute >= day && $0.sentAt + minute < 2 * day }.count
                == Int(arrived - dead))
    }

    /// Schema drift nulls, rejects, dead-letters or coerces, as the link's contract says; the
    /// nulled field surfaces as misfires attributed to the drift.
    @Test(arguments: [("null", "rename"), ("reject", "rename"), ("dead_letter", "drop"), ("coerce", "type_change")])
    func driftFollowsTheContract(policy: String, change: String) throws {
        let field = change == "rename" ? "{consent.sms: sms_optin}" : "consent.sms"
        let p = try plan(
            streamScenario(
                chaos: "  - {at: \"day 2\", drift: {link: crm_to_sms, \(change): \(field)}}",
                extra: ", on_contract_violation: \(policy)"))
        let (result, rows) = run(p)
        let fault = result.summary.faults[0]
        let consent = UInt16(try #require(p.field(named: "consent.sms")))
        let after = rows.truthChanges.filter {
            $0.field == consent && $0.at + minute >= 2 * day && $0.at + minute < 4 * day
        }.count
        #expect(after > 1000)
        #expect(result.summary.links[0].contractViolations == after)
        switch policy {
        case "null":
            #expect(fault.recordsNulled == after)
            // Nulled consent reads "no": those customers are not texted; no misfire is a legal one.
            #expect(result.summary.misfires(.revokedConsent) == 0)
        case "reject":
            #expect(fault.recordsDropped == after)
            // Revocations lost on the way: texts to customers who said STOP, owed to the drift.
            let revoked = rows.misfires.filter { $0.type == .revokedConsent }
            #expect(!revoked.isEmpty)
            #expect(revoked.allSatisfy { $0.cause == .schemaDrift && $0.causeFault == 0 })
            #expect(fault.misfires == revoked.count)
        case "dead_letter":
            #expect(fault.recordsDeadLettered == after)
        default:
            #expect(fault.recordsNulled + fault.recordsDropped + fault.recordsDeadLettered == 0)
            #expect(result.summary.misfires(.revokedConsent) == 0)
        }
    }

    /// A changed identity key loses the records of the customers it hits (a share of them); a new
    /// required field breaks every record of the link.
    @Test(arguments: [("identity_changed: true, share: 10%", 0.1), ("required_added: consent_source", 1.0)])
    func identityAndRequiredFieldDriftDropTheirShare(drift: String, share: Double) throws {
        let p = try plan(
            streamScenario(
                chaos: "  - {at: \"day 2\", drift: {link: crm_to_sms, \(drift)}}",
                extra: ", on_contract_violation: null"))
        let (result, rows) = run(p)
        let consent = UInt16(try #require(p.field(named: "consent.sms")))
        let after = rows.truthChanges.filter { $0.field == consent && $0.at + minute >= 2 * day }
        let fault = result.summary.faults[0]
        #expect(
            fault.recordsDropped == result.summary.links[0].contractViolations,
            "identity and required-field breaks are lost, not nulled")
        #expect(fault.recordsNulled == 0)
        if share == 1 {
            #expect(fault.recordsDropped == after.count)
        } else {
            // Whole customers are hit: the dropped records are those of about 10% of the customers who changed.
            let customers = Set(after.map(\.customer)).count
            #expect(
                abs(Double(fault.customersAffected) - 0.1 * Double(customers)) < 4
                    * (Double(customers) * 0.09).squareRoot())
            #expect(fault.recordsDropped >= fault.customersAffected)
        }
    }

    /// A duplicate that arrives after a newer change overwrites it on a destination without
    /// idempotency: the destination goes back in time, and what it then decides is pinned on the
    /// duplicate. With idempotency the older copy is ignored.
    @Test(arguments: [false, true])
    func lateDuplicatesOverwriteNewerValuesWithoutIdempotency(idempotent: Bool) throws {
        let yaml = """
            name: reorder
            seed: 12
            start: 2026-03-02T00:00:00Z
            duration: 6d
            population:
              customers: 6000
              segments: {hot: {share: 0.5, leaves: 1/d, joins: 1/d}}
              consent: {email: 1.0}
            platforms:
              crm: {kind: crm}
              map: {kind: map}
            links:
              crm_to_map: {from: crm, to: map, carries: [segments], stream: {latency: 1m}, idempotent: \(idempotent)}
            campaign:
              audience: {segment: hot}
              steps: [{name: d3, day: 3, at: "12:00", via: map}, {name: d5, day: 5, at: "12:00", via: map}]
            chaos:
              - {at: "day 0", duplicate: {link: crm_to_map, share: 50%, reorder_by: 18h}}
            """
        let (result, rows) = run(try plan(yaml))
        let owed = rows.misfires.filter { $0.cause == .duplicateDelivery }
        if idempotent {
            #expect(owed.isEmpty)
        } else {
            #expect(owed.count > 100)
            // A stale "in" sends to someone who left; a stale "out" hides someone who came back.
            #expect(
                owed.allSatisfy {
                    [.staleSegment, .missedTouchpoint].contains($0.type) && $0.causeFault == 0 && $0.causeLink == 0
                })
            #expect(owed.contains { $0.type == .staleSegment } && owed.contains { $0.type == .missedTouchpoint })
            #expect(result.summary.faults[0].misfires == owed.count)
        }
    }

    /// Duplicated deliveries re-fire a triggered step on a destination without idempotency keys:
    /// a duplicate send per re-fired trigger. With idempotency, none.
    @Test(arguments: [false, true])
    func duplicatesBecomeDuplicateSendsWithoutIdempotency(idempotent: Bool) throws {
        let yaml = """
            name: dup
            seed: 4
            start: 2026-03-02T00:00:00Z
            duration: 7d
            population:
              customers: 4000
              segments: {shoppers: 1.0}
              consent: {email: 1.0}
              behavior: {abandons_cart: 0.2/d}
            platforms:
              cdp: {kind: cdp}
              map: {kind: map}
            links:
              cdp_to_map: {from: cdp, to: map, carries: [cart_abandoned], stream: {latency: 1m}, idempotent: \(idempotent)}
            campaign:
              audience: {segment: shoppers}
              steps: [{name: cart, on: cart_abandoned, buffer: 30m, via: map}]
            chaos:
              - {at: "day 0", duplicate: {link: cdp_to_map, share: 10%, reorder_by: 5m}}
            """
        let (result, rows) = run(try plan(yaml))
        let fault = result.summary.faults[0]
        let emails = result.summary.touchpoints(.email)
        #expect(emails > 500)
        #expect(Double(fault.recordsDuplicated) > 0.07 * Double(rows.deliveries.count))
        let duplicates = rows.misfires.filter { $0.type == .duplicateSend }
        if idempotent {
            #expect(duplicates.isEmpty)
        } else {
            #expect(duplicates.count == fault.messagesAffected)
            #expect(duplicates.count > emails / 20)
            #expect(duplicates.allSatisfy { $0.cause == .duplicateDelivery && $0.causeFault == 0 && $0.causeLink == 0 })
        }
    }

    /// A lost acknowledgement makes the sender retry: each retry is a second SMS unless the
    /// platform deduplicates by message id.
    @Test(arguments: [false, true])
    func lostAcknowledgementsBecomeDuplicateSMS(deduplicates: Bool) throws {
        let yaml = streamScenario(chaos: "  - {at: \"day 0\", lost_ack: {platform: sms, share: 10%, retry_after: 5m}}")
            .replacingOccurrences(
                of: "sms: {kind: sms, throughput: unlimited}",
                with: "sms: {kind: sms, throughput: unlimited, deduplicates_sends: \(deduplicates)}")
        let (result, rows) = run(try plan(yaml))
        let fault = result.summary.faults[0]
        let texts = rows.touchpoints.count
        #expect(texts > 500)
        // Each send loses its acknowledgement with probability 10%: a binomial count.
        let sent = Double(texts - (deduplicates ? 0 : fault.retries))
        #expect(abs(Double(fault.retries) - 0.1 * sent) < 4 * (sent * 0.09).squareRoot())
        let duplicates = rows.misfires.filter { $0.type == .duplicateSend }
        #expect(duplicates.count == (deduplicates ? 0 : fault.retries))
        #expect(duplicates.allSatisfy { $0.cause == .lostAcknowledgement })
    }

    /// An SMS platform that reads local times as UTC sends at 03:00 UTC to Los Angeles customers
    /// (20:00 local, fine) only after holding them until "08:00" — 01:00 in Los Angeles.
    @Test(arguments: [false, true])
    func clockFaultSlipsQuietHours(skewed: Bool) throws {
        let yaml = """
            name: clock
            seed: 2
            start: 2026-06-01T00:00:00Z
            duration: 3d
            population:
              customers: 2000
              timezones: {America/Los_Angeles: 1.0}
              segments: {all: 1.0}
              consent: {sms: 1.0}
            platforms:
              crm: {kind: crm}
              sms: {kind: sms, quiet_hours: "21:00-08:00", throughput: unlimited}
            campaign:
              audience: {segment: all}
              steps: [{name: text, day: 1, at: "03:00", via: sms}]
            \(skewed ? "chaos:\n  - {at: \"day 0\", clock_skew: {platform: sms}}" : "")
            """
        let (result, rows) = run(try plan(yaml))
        #expect(rows.touchpoints.count == 2000)
        let quiet = rows.misfires.filter { $0.type == .quietHours }
        if skewed {
            #expect(quiet.count == 2000)
            #expect(quiet.allSatisfy { $0.cause == .clockFault && $0.causeFault == 0 })
            #expect(result.summary.faults[0].misfires == 2000)
        } else {
            #expect(quiet.isEmpty)
        }
    }
}

/// A rate-limited link is a single-server FIFO queue. With Poisson arrivals (each customer's
/// segment flips in and out at the same rate, so the superposition is Poisson) the mean wait
/// before service must match M/D/1 (fixed service, a token bucket) and M/M/1 (exponential).
@Suite struct RateLimitQueueTests {
    @Test(arguments: [(0.5, false), (0.8, false), (0.5, true), (0.8, true)])
    func meanWaitMatchesQueueingTheory(rho: Double, exponential: Bool) throws {
        // λ = 1000 customers × 432/d = 5 per second; μ = λ/ρ.
        let mu = 5 / rho
        let yaml = """
            name: queue
            seed: \(exponential ? 31 : 17)
            start: 2026-03-02T00:00:00Z
            duration: 1d
            population:
              customers: 1000
              segments: {flips: {share: 0.5, leaves: 432/d, joins: 432/d}}
            platforms:
              crm: {kind: crm}
              map: {kind: map}
            links:
              crm_to_map: {from: crm, to: map, carries: [segments], stream: {latency: 0s}}
            campaign:
              audience: {segment: flips}
              steps: [{name: hello, day: 0, at: "00:00", via: map}]
            chaos:
              - {at: "day 0", rate_limit: {link: crm_to_map, requests: \(mu)/s, service: \(exponential ? "exponential" : "fixed")}}
            """
        let (result, _) = run(try plan(yaml), options: EngineOptions())
        let fault = result.summary.faults[0]
        #expect(fault.queueRequests > 400_000)
        let service = 1000 / mu
        let theory = exponential ? rho * service / (1 - rho) : rho * service / (2 * (1 - rho))
        let relative = abs(fault.queueWaitMeanMs - theory) / theory
        #expect(
            relative < 0.05,
            "mean wait \(fault.queueWaitMeanMs) ms vs \(theory) ms (\(exponential ? "M/M/1" : "M/D/1"), ρ = \(rho))")
        // Little's law on the waiting line: L_q = λ W_q (both measured, per ms).
        let arrivalRate = Double(fault.queueRequests) / Double(day)
        #expect(abs(arrivalRate * 1000 - 5) < 0.05)
    }
}
