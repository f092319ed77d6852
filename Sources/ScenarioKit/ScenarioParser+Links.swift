import Foundation
import MarTechModel
import PlatformFakes
import SimKernel

/// `links:` — the syncs between the platforms: their mode, retries, contract and names.
extension ScenarioParser {
    /// The most links a scenario may declare: a real stack has tens; each link costs about half a MiB.
    static let linksMax = 1000

    func readLinks(_ v: YAMLValue) {
        guard let f = v.fields(nil, expected: "link names, each with from, to and carries") else { return }
        if f.entries.count > ScenarioParser.linksMax {
            v.error(
                "\(f.entries.count) links; a scenario has at most \(ScenarioParser.linksMax) (each keeps its own figures and histograms)"
            )
            return
        }
        for e in f.entries {
            guard let l = e.value.fields(ScenarioParser.linkKeys) else { continue }
            let from = l.required("from", expected: "the source platform").flatMap(platformIndex)
            let to = l.required("to", expected: "the destination platform").flatMap(platformIndex)
            let carried =
                l.required("carries", expected: "the fields this link syncs")?.items().flatMap { fieldsNamed($0) } ?? []
            if let c = l["carries"], carried.isEmpty {
                // Names that exist but stand for no field here (`segments` without any segment) carry nothing.
                c.error(
                    c.items().isEmpty
                        ? "a link must carry at least one field"
                        : "the link carries nothing this scenario has (are its segments or fields declared under population?)"
                )
            }
            let modes = ["batch", "stream", "poll"].filter { l[$0] != nil }
            if modes.count != 1 {
                e.value.error(
                    modes.isEmpty
                        ? "missing the link's mode; expected one of batch, stream or poll"
                        : "a link has one mode; found \(modes.joined(separator: " and "))")
            }
            var mode: LinkPlan.Mode?
            if let b = l["batch"] { mode = readBatch(b) }
            if let p = l["poll"] { mode = readBatch(p) }
            if let s = l["stream"], let sf = s.fields(["latency"]) {
                let latency = sf["latency"]?.distribution() ?? .fixed(0)
                mode = .stream(latency: latency)
            }
            let retry = l["retry"].map(readRetry) ?? RetryPolicy.standard
            let names = to.map { contractNames(carried: carried, into: $0, mapping: l["mapping"]) } ?? []
            let contract = l["on_contract_violation"].flatMap(readContractPolicy) ?? .deadLetter
            let idempotent = l["idempotent"]?.bool() ?? false
            let external = l["external"]?.bool() ?? false
            if let from, let to, from == to { e.value.error("a link must join two different platforms") }
            if let to, !carried.isEmpty, carried.allSatisfy({ platforms[to].observes.contains($0) }) {
                l["carries"]?.warn(
                    "'\(platforms[to].name)' already sees \(carried.map { fields[$0].name }.joined(separator: ", ")) at once; this link delivers nothing it does not already have"
                )
            } else if let to, !carried.isEmpty, !platforms[to].audienceRecomputes.isEmpty {
                // A recomputing CDP sees what it observes at each recompute, and holds what links
                // bring until then: a link carrying only those fields brings nothing sooner.
                let own = links.filter { $0.from == LinkPlan.truth && $0.to == to }.flatMap(\.fields)
                if carried.allSatisfy(own.contains) {
                    l["carries"]?.warn(
                        "'\(platforms[to].name)' already sees \(carried.map { fields[$0].name }.joined(separator: ", ")) itself at each recompute, and holds what links bring until then; this link delivers nothing sooner"
                    )
                }
            }
            if let from, let to, let mode, !carried.isEmpty {
                if let c = l["carries"] { linkCarries.append(c) }
                var link = LinkPlan(name: e.key, from: from, to: to, fields: carried, mode: mode, retry: retry)
                link.destinationNames = names
                link.onContractViolation = contract
                link.idempotent = idempotent
                link.external = external
                links.append(link)
            }
        }
    }

    func readBatch(_ v: YAMLValue) -> LinkPlan.Mode? {
        guard let b = v.fields(["at", "every", "starting", "runs_for", "page_size", "rate", "timezone"]) else {
            return nil
        }
        var zone: TimeZone?
        if let z = b["timezone"], let t = z.scalar(expected: "a time zone") {
            zone = TimeZone(identifier: t)
            if zone == nil {
                z.error("unknown time zone '\(t)'", suggestion: nearMiss(t, in: TimeZone.knownTimeZoneIdentifiers))
            }
        }
        var schedule: [SimInstant] = []
        if let at = b["at"] {
            for item in at.items() {
                if let m = item.clockMinutes() { schedule += dailySchedule(minutes: m, zone: zone) }
            }
            schedule.sort()
        } else if let every = b["every"], let period = every.duration() {
            guard period.milliseconds >= 1000 else {
                every.error("a batch runs at most once a second")
                return nil
            }
            let runs = horizon.milliseconds / period.milliseconds + 1
            guard runs <= Int64(ScenarioParser.batchRunsMax) else {
                every.error(
                    "a batch every \(period) over \(horizon) runs \(runs) times; the limit is \(ScenarioParser.batchRunsMax) (use a longer period or a stream)"
                )
                return nil
            }
            var t = SimInstant.start
            if let s = b["starting"], let m = s.clockMinutes() { t = instant(day: 0, minutes: m, zone: zone) }
            while t.millisecondsSinceStart < 0 { t = t + period }
            while t <= SimInstant(millisecondsSinceStart: horizon.milliseconds) {
                schedule.append(t)
                t = t + period
            }
        } else {
            v.error("a batch needs 'at' (daily clock times) or 'every' (a period)")
            return nil
        }
        let runsFor = b["runs_for"]?.duration() ?? .zero
        let pageSize = b["page_size"]?.integer(min: 1, max: 10_000_000)
        var pagesPerSecond: Double?
        if let r = b["rate"], let rate = r.rate(expected: "pages per time, such as 10/s") {
            if pageSize == nil { r.error("'rate' needs 'page_size' (pages of how many records)") }
            if rate.count <= 0 {
                r.error("rate must be positive")
            } else {
                pagesPerSecond = rate.count * 1000 / Double(rate.per.milliseconds)
            }
        }
        return .batch(schedule: schedule, runsFor: runsFor, pageSize: pageSize, pagesPerSecond: pagesPerSecond)
    }

    /// `retry: {attempts, backoff, base, cap, jitter}`.
    func readRetry(_ r: YAMLValue) -> RetryPolicy {
        guard let rf = r.fields(["attempts", "backoff", "base", "cap", "jitter"]) else { return .standard }
        let attempts = rf["attempts"]?.integer(min: 0, max: 63) ?? RetryPolicy.standard.attempts
        var backoff = RetryPolicy.Backoff.exponential
        if let b = rf["backoff"], let t = b.scalar(expected: "fixed or exponential") {
            if let k = RetryPolicy.Backoff(rawValue: t) {
                backoff = k
            } else {
                b.error(
                    "unknown backoff '\(t)'; expected fixed or exponential",
                    suggestion: nearMiss(t, in: ["fixed", "exponential"]))
            }
        }
        return RetryPolicy(
            attempts: attempts, backoff: backoff, base: rf["base"]?.duration() ?? .seconds(30),
            cap: rf["cap"]?.duration() ?? .hours(1), jitter: rf["jitter"]?.bool() ?? false)
    }

    /// The contract: each carried field under the destination's own name (its vendor's by
    /// default), renamed where `mapping:` says.
    func contractNames(carried: [FieldID], into to: Int, mapping: YAMLValue?) -> [String] {
        var names = carried.map { destinationName(platform: to, field: fields[$0].name) }
        guard let m = mapping, let mf = m.fields(nil, expected: "carried field names mapped to destination field names")
        else { return names }
        for entry in mf.entries {
            let ids = fieldsNamed(entry.key) {
                log.error("\(entry.value.path): \($0)", at: entry.keyMark, suggestion: $1)
            }
            guard let target = entry.value.scalar(expected: "the destination's field name") else { continue }
            for id in ids {
                if let i = carried.firstIndex(of: id) {
                    names[i] = target
                } else {
                    log.error("\(entry.value.path): '\(entry.key)' is not carried by this link", at: entry.keyMark)
                }
            }
        }
        return names
    }

    /// `on_contract_violation: reject | dead_letter | null | coerce`.
    func readContractPolicy(_ c: YAMLValue) -> ContractPolicy? {
        guard let t = c.scalar(expected: "reject, dead_letter, null or coerce") else { return nil }
        let policies = ContractPolicy.allCases.map(\.rawValue)
        guard let p = ContractPolicy(rawValue: t) else {
            c.error(
                "unknown policy '\(t)'; expected one of \(policies.joined(separator: ", "))",
                suggestion: nearMiss(t, in: policies))
            return nil
        }
        return p
    }

    /// A link can only carry what its source comes to know: a field the source neither observes,
    /// receives over a link, nor hears from customers itself (an unsubscribe, a STOP, a process it
    /// observes) never changes there, so the link carries the initial import and nothing else.
    /// Run once the campaign is read (executors hear their channel's opt-outs).
    func lintLinkSources() {
        for (i, link) in links.enumerated() where i < linkCarries.count && link.from != LinkPlan.truth {
            let p = link.from
            var hears = Set(platforms[p].observes + platforms[p].observesFromSource.map(\.field))
            for other in links where other.to == p { hears.formUnion(other.fields) }
            for step in campaign.steps where step.executor == p {
                if let opened = step.openedField { hears.insert(opened) }
                if let name = step.channel.consentFieldName, let f = fields.firstIndex(where: { $0.name == name }) {
                    hears.insert(f)
                }
            }
            for process in behavior.processes where process.observedBy == p { hears.insert(process.field) }
            let never = link.fields.filter { !hears.contains($0) }
            guard !never.isEmpty else { continue }
            linkCarries[i].warn(
                "'\(platforms[p].name)' never learns of \(never.map { fields[$0].name }.joined(separator: ", ")) after the start (it does not observe it, no link brings it, no customer tells it), so \(link.name) only ever carries the initial import of it; carry it from a platform that knows"
            )
        }
    }
}
