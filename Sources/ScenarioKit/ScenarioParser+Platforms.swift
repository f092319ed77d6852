import Foundation
import MarTechModel
import PlatformFakes
import SimKernel

/// `platforms:` and `links:` — the stack and the syncs between its parts.
extension ScenarioParser {
    static let platformKeys = [
        "kind", "observes", "frequency_cap", "quiet_hours", "throughput", "apply_delay", "suppression_apply_delay",
        "checks_consent", "consent_lookup", "impressions", "recompute", "rechecks_on_release", "deduplicates_sends",
        "vendor",
    ]
    static let linkKeys = [
        "from", "to", "carries", "batch", "stream", "poll", "retry", "mapping", "on_contract_violation", "idempotent",
    ]

    func readPlatforms(_ v: YAMLValue) {
        guard let f = v.fields(nil, expected: "platform names, each with a kind") else { return }
        if f.isEmpty { v.error("declare at least one platform") }
        for e in f.entries {
            platformMarks[e.key] = e.keyMark
            guard let p = e.value.fields(ScenarioParser.platformKeys),
                let kindValue = p.required("kind", expected: "one of crm, map, cdp, sms, push, dsp"),
                let kindText = kindValue.scalar(expected: "a platform kind")
            else { continue }
            guard let kind = PlatformKind(rawValue: kindText) else {
                let kinds = PlatformKind.allCases.map(\.rawValue)
                kindValue.error(
                    "unknown platform kind '\(kindText)'; expected one of \(kinds.joined(separator: ", "))",
                    suggestion: nearMiss(kindText, in: kinds))
                continue
            }
            // What the scenario leaves unsaid comes from the kind's profile (PlatformFakes/Kinds).
            let profile = kind.profile
            var plan = PlatformPlan(name: e.key, kind: kind, observes: profile.observed(fields))
            plan.throughputPerSecond = profile.throughputPerSecond
            plan.applyDelay = profile.applyDelay
            if let v = p["vendor"], let vendor = readVendor(v, kind: kind) {
                // The vendor's defaults replace the kind's; the keys below still override both.
                plan.vendorID = vendor.id
                plan.vendorName = vendor.name
                if let t = vendor.throughputPerSecond { plan.throughputPerSecond = t }
                if let d = vendor.applyDelay { plan.applyDelay = d }
            }
            if let o = p["observes"] { plan.observes = o.items().flatMap { fieldsNamed($0) } }
            if let cap = p["frequency_cap"], let r = cap.rate(expected: "a cap such as 3/7d") {
                if r.count < 1 || r.count > 64 || r.count != r.count.rounded() {
                    cap.error("a frequency cap counts 1 to 64 whole messages")
                } else {
                    plan.frequencyCap = (Int(r.count), r.per)
                }
            }
            if let q = p["quiet_hours"], let t = q.scalar(expected: "a window such as \"21:00-08:00\"") {
                let parts = t.split(separator: "-").map(String.init)
                if parts.count == 2, let a = YAMLValue.parseClock(parts[0]), let b = YAMLValue.parseClock(parts[1]),
                    a != b
                {
                    plan.quietHours = (a, b)
                } else {
                    q.error("'\(t)' is not a quiet-hours window; expected HH:MM-HH:MM such as 21:00-08:00")
                }
            }
            if let t = p["throughput"], t.isNull || t.isWord("unlimited") {
                plan.throughputPerSecond = nil
            } else if let t = p["throughput"], let r = t.rate(expected: "a throughput such as 100/s or unlimited") {
                if r.count <= 0 {
                    t.error("throughput must be positive")
                } else {
                    plan.throughputPerSecond = r.count * 1000 / Double(r.per.milliseconds)
                }
            }
            if let d = p["apply_delay"] ?? p["suppression_apply_delay"] {
                plan.applyDelay = d.isNull || d.isWord("none") ? nil : d.distribution()
            }
            if let c = p["checks_consent"]?.bool() { plan.checksConsent = c }
            if let r = p["rechecks_on_release"]?.bool() { plan.rechecksOnRelease = r }
            if let d = p["deduplicates_sends"]?.bool() { plan.deduplicatesSends = d }
            platforms.append(plan)
            if let i = p["impressions"] { impressionRates[e.key] = i }
            if let r = p["recompute"] {
                if kind != .cdp { r.error("'recompute' is a CDP's audience cadence; '\(e.key)' is a \(kind.rawValue)") }
                recomputes.append((platforms.count - 1, r))
            }
        }
        // Consent lookups name other platforms: read them once every platform is known.
        for e in f.entries {
            guard let p = e.value.fields(nil), let lookup = p["consent_lookup"],
                let index = platforms.firstIndex(where: { $0.name == e.key })
            else { continue }
            guard let l = lookup.fields(["platform", "latency", "timeout", "on_timeout"]),
                let target = l.required("platform", expected: "the platform holding the master consent"),
                let t = platformIndex(target)
            else { continue }
            let latency = l["latency"]?.distribution() ?? .fixed(200)
            let timeout = l["timeout"]?.duration() ?? .seconds(2)
            var failOpen = false
            if let o = l["on_timeout"], let text = o.scalar(expected: "fail_open or fail_closed") {
                if text == "fail_open" {
                    failOpen = true
                } else if text != "fail_closed" {
                    o.error(
                        "unknown policy '\(text)'; expected fail_open or fail_closed",
                        suggestion: nearMiss(text, in: ["fail_open", "fail_closed"]))
                }
            }
            platforms[index].consentLookup = ConsentLookup(
                platform: t, latency: latency, timeout: timeout, failOpen: failOpen)
        }
    }

    /// Names a link may carry, and the fields each stands for.
    var carriableNames: [String] {
        [
            "segments", "conversions", "converted", "consent", "consent.email", "consent.sms", "consent.push", "stage",
            "lifecycle",
            "cart_abandoned", "browsed", "events",
        ] + segmentNames.map { "segment." + $0 }
    }

    func fieldsNamed(_ v: YAMLValue) -> [FieldID] {
        guard let name = v.scalar(expected: "a field name") else { return [] }
        return fieldsNamed(name) { v.error($0, suggestion: $1) }
    }

    /// The fields a carried name stands for; `report` receives the error for an unknown name.
    func fieldsNamed(_ name: String, report: (String, String?) -> Void) -> [FieldID] {
        let byCategory: (FieldSpec.Category) -> [FieldID] = { c in
            self.fields.indices.filter { self.fields[$0].category == c }
        }
        switch name {
        case "segments", "segment": return byCategory(.segment)
        case "conversions", "converted", "purchases": return [fieldID("converted")!]
        case "consent": return byCategory(.consent)
        case "stage", "lifecycle", "lifecycle_stage": if let f = fieldID("stage") { return [f] }
        case "events": return byCategory(.behavior) + [fieldID("converted")!]
        default:
            let canonical = name.hasPrefix("segments.") ? "segment." + name.dropFirst(9) : name
            if let f = fieldID(canonical) { return [f] }
            if let f = fieldID("segment." + name) { return [f] }
        }
        report(
            "unknown field '\(name)'; expected one of \(carriableNames.joined(separator: ", "))",
            nearMiss(name, in: carriableNames))
        return []
    }

    /// A CDP that recomputes its audiences on a cadence sees what it observes only at each
    /// recompute: an implicit batch link `<cdp>.recompute` from the truth carries those fields.
    func addRecomputeLinks() {
        for (index, value) in recomputes {
            let observed = platforms[index].observes
            guard !observed.isEmpty, let mode = readBatch(value) else { continue }
            platforms[index].observes = []
            links.append(
                LinkPlan(
                    name: platforms[index].name + ".recompute", from: LinkPlan.truth, to: index, fields: observed,
                    mode: mode))
        }
    }

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
            var retry = RetryPolicy.standard
            if let r = l["retry"], let rf = r.fields(["attempts", "backoff", "base", "cap", "jitter"]) {
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
                retry = RetryPolicy(
                    attempts: attempts, backoff: backoff, base: rf["base"]?.duration() ?? .seconds(30),
                    cap: rf["cap"]?.duration() ?? .hours(1), jitter: rf["jitter"]?.bool() ?? false)
            }
            // The contract: each carried field under the destination's own name (its vendor's by default).
            var names: [String] = []
            if let to {
                names = carried.map { destinationName(platform: to, field: fields[$0].name) }
            }
            if let m = l["mapping"],
                let mf = m.fields(nil, expected: "carried field names mapped to destination field names")
            {
                for entry in mf.entries {
                    let ids = fieldsNamed(entry.key) {
                        log.error("\(entry.value.path): \($0)", at: entry.keyMark, suggestion: $1)
                    }
                    guard let target = entry.value.scalar(expected: "the destination's field name") else { continue }
                    for id in ids {
                        if let i = carried.firstIndex(of: id) {
                            names[i] = target
                        } else {
                            log.error(
                                "\(entry.value.path): '\(entry.key)' is not carried by this link", at: entry.keyMark)
                        }
                    }
                }
            }
            var contract = ContractPolicy.deadLetter
            if let c = l["on_contract_violation"], let t = c.scalar(expected: "reject, dead_letter, null or coerce") {
                let policies = ContractPolicy.allCases.map(\.rawValue)
                if let p = ContractPolicy(rawValue: t) {
                    contract = p
                } else {
                    c.error(
                        "unknown policy '\(t)'; expected one of \(policies.joined(separator: ", "))",
                        suggestion: nearMiss(t, in: policies))
                }
            }
            let idempotent = l["idempotent"]?.bool() ?? false
            if let from, let to, from == to { e.value.error("a link must join two different platforms") }
            if let from, let to, let mode, !carried.isEmpty {
                var link = LinkPlan(name: e.key, from: from, to: to, fields: carried, mode: mode, retry: retry)
                link.destinationNames = names
                link.onContractViolation = contract
                link.idempotent = idempotent
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

    /// `vendor: salesforce`: a product from the catalog that can be this kind of platform.
    func readVendor(_ v: YAMLValue, kind: PlatformKind) -> VendorProfile? {
        guard let text = v.scalar(expected: "a vendor such as salesforce, hubspot or twilio") else { return nil }
        guard let vendor = VendorCatalog.named(text.lowercased()) else {
            v.error(
                "unknown vendor '\(text)'; expected one of \(VendorCatalog.ids.joined(separator: ", "))",
                suggestion: nearMiss(text.lowercased(), in: VendorCatalog.ids))
            return nil
        }
        guard vendor.kinds.contains(kind) else {
            v.error(
                "\(vendor.name) is not a \(kind.rawValue) platform; it is a \(vendor.kinds.map(\.rawValue).joined(separator: " or "))"
            )
            return nil
        }
        return vendor
    }

    /// A field's name in a platform's schema: its vendor's, else its kind's.
    func destinationName(platform p: Int, field: String) -> String {
        if let id = platforms[p].vendorID, let name = VendorCatalog.named(id)?.fieldName(field) { return name }
        return platforms[p].kind.profile.fieldName(field)
    }

    /// Links into a vendor with a published write limit are throttled as it throttles: a batch
    /// pages at its records per request and requests per second (unless the link says), a
    /// stream queues one request per record.
    func applyVendorWriteLimits() {
        for l in links.indices {
            let to = links[l].to
            guard to >= 0, let id = platforms[to].vendorID, let limit = VendorCatalog.named(id)?.writeLimit else {
                continue
            }
            switch links[l].mode {
            case .batch(let schedule, let runsFor, nil, nil):
                links[l].mode = .batch(
                    schedule: schedule, runsFor: runsFor, pageSize: limit.recordsPerRequest,
                    pagesPerSecond: limit.requestsPerSecond)
            case .batch:
                continue
            case .stream:
                links[l].destinationRequestsPerSecond = limit.requestsPerSecond
            }
        }
    }
}
