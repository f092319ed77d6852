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
        "external",
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
            let vendor = p["vendor"].flatMap { readVendor($0, kind: kind) }
            noteAssumptions(platform: e.key, keys: p, profile: profile, vendor: vendor)
            if let vendor {
                // The vendor's defaults replace the kind's; the keys below still override both.
                plan.vendorID = vendor.id
                plan.vendorName = vendor.name
                if let t = vendor.throughputPerSecond { plan.throughputPerSecond = t }
                if let d = vendor.applyDelay { plan.applyDelay = d }
            }
            if let o = p["observes"] { readObserves(o, into: &plan) }
            readSendingRules(p, into: &plan)
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
        readConsentLookups(f)
    }

    /// A sender's rules: frequency cap, quiet hours, throughput, apply delay.
    func readSendingRules(_ p: YAMLValue.Fields, into plan: inout PlatformPlan) {
        if let cap = p["frequency_cap"], let r = cap.rate(expected: "a cap such as 3/7d") {
            if r.count < 1 || r.count > 64 || r.count != r.count.rounded() {
                cap.error("a frequency cap counts 1 to 64 whole messages")
            } else {
                plan.frequencyCap = (Int(r.count), r.per)
                capNodes.append((plan.name, cap))
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
    }

    /// `consent_lookup: {platform, latency, timeout, on_timeout}` on each platform that has one.
    func readConsentLookups(_ f: YAMLValue.Fields) {
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

    /// `observes: [conversions, {consent.sms: behavior}]`: a field seen at once from every
    /// source, or only from one (`behavior`: what customers change themselves, a preference
    /// centre or a purchase; `responses`: replies to messages, a STOP or an unsubscribe link).
    func readObserves(_ v: YAMLValue, into plan: inout PlatformPlan) {
        plan.observes = []
        for item in v.items() {
            guard case .mapping = item.node else {
                plan.observes += fieldsNamed(item)
                continue
            }
            guard let f = item.fields(nil, expected: "a field with the source it is seen from") else { continue }
            for e in f.entries {
                let sources = ["behavior", "responses"]
                guard let text = e.value.scalar(expected: "behavior or responses") else { continue }
                guard let i = sources.firstIndex(of: text) else {
                    e.value.error(
                        "unknown source '\(text)'; expected behavior (what customers change themselves) or responses (replies to messages)",
                        suggestion: nearMiss(text, in: sources))
                    continue
                }
                let source: TruthChangeCause = i == 0 ? .behavior : .response
                let named = fieldsNamed(e.key) { message, suggestion in
                    log.error("\(item.path).\(e.key): \(message)", at: e.keyMark, suggestion: suggestion)
                }
                plan.observesFromSource += named.map { ($0, source) }
            }
        }
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
    /// What links deliver into it waits for the next recompute too (`audienceRecomputes`).
    func addRecomputeLinks() {
        for (index, value) in recomputes {
            guard let mode = readBatch(value), case .batch(let schedule, let runsFor, _, _) = mode else { continue }
            platforms[index].audienceRecomputes = schedule.map { $0.advanced(by: runsFor) }
            let observed = platforms[index].observes
            if observed.isEmpty { continue }
            platforms[index].observes = []
            links.append(
                LinkPlan(
                    name: platforms[index].name + ".recompute", from: LinkPlan.truth, to: index, fields: observed,
                    mode: mode))
        }
    }

    /// Records each default the platform takes from its kind or vendor because its keys do not say.
    func noteAssumptions(platform name: String, keys p: YAMLValue.Fields, profile: KindProfile, vendor: VendorProfile?)
    {
        let fromVendor = vendor?.assumptions ?? []
        let fromKind = profile.assumptions.filter { a in !fromVendor.contains { $0.setting == a.setting } }
        let stated: [String: Bool] = [
            "observes": p["observes"] != nil, "throughput": p["throughput"] != nil,
            "apply_delay": p["apply_delay"] != nil || p["suppression_apply_delay"] != nil,
        ]
        for a in fromVendor + fromKind where stated[a.setting] != true {
            assumptions.append(Assumption(setting: "platforms.\(name).\(a.setting)", value: a.value, source: a.source))
        }
    }
}
