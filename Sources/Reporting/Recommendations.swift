import MarTechModel
import SimKernel

/// Fixes that follow from what a run measured, largest effect first.
///
/// Each statement is computed from the run: a link's freshness percentiles and the staleness of
/// the changes behind the misfires attributed to it ("a link fresher than 1h would have
/// prevented 97% of them"), or misfires whose deciding platform already knew better, with the
/// scenario setting that closes the gap. Nothing here is a guess beyond the run's own numbers.
public enum Recommendations {
    /// Freshness targets tried, largest first.
    static let ladder: [Int64] = [86_400_000, 43_200_000, 21_600_000, 7_200_000, 3_600_000, 900_000, 300_000, 60_000]

    public static func make(
        summary s: RunSummary, linkNames: [String], stepNames: [String], salesStage: String?,
        applyDelays: [(setting: String, meanMilliseconds: Double)?] = [],
        stepConsent: [(platform: String, checksConsent: Bool, hasLookup: Bool)] = [],
        floors: [(milliseconds: Int64, source: String)?] = []
    ) -> [String] {
        var out: [(Int, String)] = []
        for (l, figures) in s.links.enumerated() where figures.misfires > 0 && l < linkNames.count {
            let types = MisfireType.allCases.filter { figures.misfiresByType[Int($0.rawValue)] > 0 }
                .map { "\($0) \(Format.count(figures.misfiresByType[Int($0.rawValue)]))" }.joined(separator: ", ")
            var text = "\(linkNames[l]) caused \(Format.count(figures.misfires)) misfires (\(types))."
            let ages = figures.staleness.filter { $0.from >= 0 }
            if !ages.isEmpty {
                let oldest = ages.map(\.to).max()!
                text += " The changes behind them were \(d(ages.map(\.from).min()!))–\(d(oldest)) old when acted on"
            }
            if figures.deliveries > 0 {
                text +=
                    "; its freshness is p50 \(d(figures.freshnessP50)), p95 \(d(figures.freshnessP95)), p99 \(d(figures.freshnessP99)), max \(d(figures.freshnessMax))."
            } else {
                text += "."
            }
            let apply = l < applyDelays.count ? applyDelays[l] : nil
            if let apply, !ages.isEmpty {
                // The destination's own apply delay is part of every delivery's freshness: no
                // faster link gets under it, so name the setting that does matter.
                let floor = Int64(apply.meanMilliseconds)
                text +=
                    " Every delivery waits \(apply.setting) (\(d(floor)) on average) before it takes effect, so no faster link gets below that: shorten that delay, or suppress on a platform that sees the change itself (a pixel, `observes:`)."
                if let x = ladder.filter({ $0 >= floor }).min() {
                    text +=
                        " At the fastest it allows (\(d(x))), \(percent(figures.preventedShare(freshnessUnder: x))) of them would have been prevented."
                }
            } else if !ages.isEmpty, l < floors.count, let floor = floors[l],
                ladder.first(where: { figures.preventedShare(freshnessUnder: $0) >= 0.9 }).map({ $0 < floor.milliseconds })
                    ?? true
            {
                // The vendors' own sync cycle bounds what a schedule can reach: no advice below it.
                text +=
                    " The vendors' sync runs every \(d(floor.milliseconds)) at best (\(floor.source)); even that fresh it would have prevented only \(percent(figures.preventedShare(freshnessUnder: floor.milliseconds))): check at send time instead (a consent lookup, a re-check on release), or suppress on a platform that sees the change itself."
            } else if !ages.isEmpty {
                if let x = ladder.first(where: { figures.preventedShare(freshnessUnder: $0) >= 0.9 }) {
                    text +=
                        " A link fresher than \(d(x)) would have prevented \(percent(figures.preventedShare(freshnessUnder: x))) of them."
                } else {
                    text +=
                        " Even a link fresher than 1m would have prevented only \(percent(figures.preventedShare(freshnessUnder: 60_000))): check at send time instead (a consent lookup, a re-check on release)."
                }
            }
            out.append((figures.misfires, text))
        }
        for (step, byType) in s.designMisfiresByStep.enumerated() where step < stepNames.count {
            for type in MisfireType.allCases where byType[Int(type.rawValue)] > 0 {
                let n = byType[Int(type.rawValue)]
                // Serve mode's client-sent steps are the team's own code, not a step the scenario can fix.
                let clientSent = stepNames[step].contains(": sent by clients (")
                let advice =
                    clientSent
                    ? "the platform that sent them already knew; the code that sent them should read \(type == .postConversion ? "the booking" : "that field") from it first"
                    : consentAlreadyChecked(type, step < stepConsent.count ? stepConsent[step] : nil)
                        ?? fix(type, salesStage: salesStage)
                out.append(
                    (
                        n,
                        "Step \(stepNames[step]): \(Format.count(n)) \(type) misfires with nothing late — \(advice)."
                    ))
            }
        }
        for fault in s.faults where fault.misfires > 0 {
            out.append(
                (fault.misfires, "\(fault.name) caused \(Format.count(fault.misfires)) misfires — \(faultFix(fault))."))
        }
        return out.enumerated().sorted { ($0.element.0, -$0.offset) > ($1.element.0, -$1.offset) }.map(\.element.1)
    }

    /// Consent misfires on a platform that already checks its own copy: saying `checks_consent:
    /// true` would name a setting already set. What is left is the time between decision and send.
    static func consentAlreadyChecked(
        _ type: MisfireType, _ step: (platform: String, checksConsent: Bool, hasLookup: Bool)?
    ) -> String? {
        guard type == .revokedConsent || type == .noConsent, let step, step.checksConsent else { return nil }
        let lookup = step.hasLookup ? "" : ", or ask the master record at send time (`consent_lookup`)"
        return
            "\(step.platform) already checks its own consent copy (`checks_consent: true`); the consent changed between its decision and the send: re-check when a held message is released (`rechecks_on_release: true`) and keep retries from sending again (`deduplicates_sends: true`)\(lookup)"
    }

    static func fix(_ type: MisfireType, salesStage: String?) -> String {
        switch type {
        case .postConversion: "the deciding platform knew; add `unless: converted`"
        case .revokedConsent, .noConsent:
            "let the sending platform check consent (`checks_consent: true`) or add a `consent_lookup`"
        case .staleSegment: "add the segment to the step's audience"
        case .quietHours: "set the SMS platform's `quiet_hours: \"21:00-08:00\"`"
        case .minor: "set `campaign.min_age: 13`"
        case .duplicateAcrossChannels: "add `skip_if_sent` between steps that share a trigger"
        case .salesOverlap: "add `unless: {stage: \(salesStage ?? "sql")}`"
        case .frequencyCap: "set `campaign.enforce_frequency_cap: true`"
        case .missedTouchpoint: "carry the field to the deciding platform"
        case .duplicateSend:
            "make the destination idempotent (`idempotent: true` on the link, `deduplicates_sends: true` on the platform)"
        }
    }

    /// What a team does about a fault that bit, from what it touched.
    static func faultFix(_ f: FaultFigures) -> String {
        switch f.kind {
        case "outage", "pause":
            let lost = f.recordsDeadLettered - f.recordsReplayed
            if lost > 0 {
                return
                    "\(Format.count(lost)) records were dead-lettered and never replayed: add `recovery: replay` or `backfill`, and a step buffer longer than the outage"
            }
            return
                "the journeys decided on copies the outage left behind: hold the steps that read them until the sync catches up"
        case "drift":
            if f.recordsDeadLettered > 0 && f.recordsReplayed >= f.recordsDeadLettered {
                return
                    "its dead letters were replayed once the mapping was fixed; the misfires fell in between: alert on contract violations and fix faster"
            }
            if f.recordsNulled > 0 {
                return
                    "\(Format.count(f.recordsNulled)) records arrived with the field nulled: set the link's `on_contract_violation: dead_letter` so drift stops the line instead of corrupting it"
            }
            return "records that broke the contract were lost: fix the mapping and replay the dead letters"
        case "duplicate": return "set `idempotent: true` on the link"
        case "lost_ack": return "set `deduplicates_sends: true` on the platform"
        case "rate_limit":
            return
                "requests waited \(SimDuration(roundingMilliseconds: f.queueWaitMeanMs).description) on average: raise the limit or send fewer, larger requests"
        case "clock_skew": return "the platform read local times as UTC: check its time-zone setting"
        default: return "the copies it touched were wrong when the journeys read them"
        }
    }

    static func d(_ ms: Int64) -> String { SimDuration(milliseconds: ms).description }
    static func percent(_ x: Double) -> String { "\(Format.whole((x * 100).rounded(.down)))%" }
}
