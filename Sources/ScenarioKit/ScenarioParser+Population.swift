import Foundation
import MarTechModel
import SimKernel

/// `population:` — who the customers are and how their truth changes.
extension ScenarioParser {
    static let populationKeys = [
        "customers", "timezones", "ages", "attributes", "devices", "segments", "consent", "lifecycle", "behavior",
    ]
    static let behaviorKeys = [
        "organic_conversion", "leaves_segment", "joins_segment", "revokes_consent", "revokes_sms_consent",
        "revokes_email_consent", "abandons_cart", "browses", "email", "sms", "push",
    ]
    static let responseKeys = [
        "open", "click", "click_given_open", "convert", "convert_given_click", "unsubscribe", "stop", "opt_out",
        "open_delay", "convert_delay", "opt_out_delay",
    ]

    func readPopulation(_ v: YAMLValue) {
        guard let p = v.fields(ScenarioParser.populationKeys) else { return }
        if let c = p.required("customers", expected: "how many synthetic customers") {
            customers = c.integer(min: 1, max: ScenarioParser.customersMax) ?? customers
        }
        if let tz = p["timezones"], let f = tz.fields(nil, expected: "time zones with shares") {
            var zones: [(table: LocalTimeTable, share: Double)] = []
            for e in f.entries {
                guard let share = e.value.share() else { continue }
                guard let zone = TimeZone(identifier: e.key) else {
                    log.error(
                        "\(tz.path).\(e.key): unknown time zone '\(e.key)'", at: e.keyMark,
                        suggestion: nearMiss(e.key, in: TimeZone.knownTimeZoneIdentifiers))
                    continue
                }
                zones.append((localTimeTable(zone), share))
            }
            checkShares(zones.map(\.share), at: tz, mustSumToOne: true)
            if zones.count > 255 {
                tz.error("at most 255 time zones")
            } else if !zones.isEmpty {
                population.timezones = zones
            }
        } else {
            population.timezones = [(localTimeTable(clock), 1)]
        }
        if let ages = p["ages"], let f = ages.fields(nil, expected: "age ranges with shares, such as \"18-34\": 0.4") {
            for e in f.entries {
                let bounds = e.key.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard bounds.count == 2, bounds[0] >= 0, bounds[1] >= bounds[0], bounds[1] <= 120 else {
                    log.error(
                        "\(ages.path).\(e.key): '\(e.key)' is not an age range; expected LOW-HIGH such as 13-17",
                        at: e.keyMark)
                    continue
                }
                if let share = e.value.share() { population.ageBuckets.append((bounds[0], bounds[1], share)) }
            }
            checkShares(population.ageBuckets.map(\.share), at: ages, mustSumToOne: true)
        }
        if let attributes = p["attributes"], let f = attributes.fields(nil) {
            for e in f.entries {
                guard let values = e.value.fields(nil, expected: "values with shares") else { continue }
                let shares = values.entries.compactMap { $0.value.share() }
                checkShares(shares, at: e.value, mustSumToOne: true)
                if values.entries.count > 15 { e.value.error("at most 15 values per attribute") }
                population.attributes.append((e.key, values.entries.map(\.key), shares))
            }
            if population.attributes.count > 8 { attributes.error("at most 8 attributes") }
        }
        if let devices = p["devices"], let f = devices.fields(["ios", "android"]) {
            population.devices = f.entries.compactMap { e in e.value.share().map { (e.key, $0) } }
            checkShares(population.devices.map(\.share), at: devices, mustSumToOne: false)
        }
        if let consent = p["consent"], let f = consent.fields(["email", "sms", "push"]) {
            for e in f.entries {
                if let r = e.value.ratio() { population.initialShares.append((fieldID("consent." + e.key)!, r)) }
            }
        }
        if let segments = p["segments"], let f = segments.fields(nil, expected: "segment names with shares") {
            if f.entries.count > 48 { segments.error("at most 48 segments (each is a field every platform may copy)") }
            for e in f.entries.prefix(48) { readSegment(name: e.key, e.value) }
        }
        if let lifecycle = p["lifecycle"] { readLifecycle(lifecycle) }
        if let b = p["behavior"] { readBehavior(b) }
    }

    private func readSegment(name: String, _ v: YAMLValue) {
        let field = addField(FieldSpec(name: "segment." + name, category: .segment))
        if case .scalar = v.node {
            if let r = v.ratio() { population.initialShares.append((field, r)) }
            return
        }
        guard let f = v.fields(["share", "leaves", "joins"]) else { return }
        if let r = f.required("share", expected: "the share in the segment at the start")?.ratio() {
            population.initialShares.append((field, r))
        }
        if let rate = f["leaves"]?.ratePerMillisecond(), rate > 0 {
            behavior.processes.append(
                BehaviorProcess(name: "leaves \(name)", field: field, value: 0, ratePerMillisecond: rate))
        }
        if let rate = f["joins"]?.ratePerMillisecond(), rate > 0 {
            behavior.processes.append(
                BehaviorProcess(name: "joins \(name)", field: field, value: 1, ratePerMillisecond: rate))
        }
    }

    private func readLifecycle(_ v: YAMLValue) {
        guard let f = v.fields(["stages", "advances"]),
            let stages = f.required("stages", expected: "stage names with initial shares"),
            let s = stages.fields(nil)
        else { return }
        let names = s.entries.map(\.key)
        guard names.count >= 2, names.count <= 15 else {
            stages.error("a lifecycle needs 2 to 15 stages")
            return
        }
        let shares = s.entries.map { $0.value.share() ?? 0 }
        checkShares(shares, at: stages, mustSumToOne: true)
        let field = addField(FieldSpec(name: "stage", category: .stage, valueNames: names))
        population.stage = (field, shares)
        if let rate = f["advances"]?.ratePerMillisecond(), rate > 0 {
            for i in 0..<(names.count - 1) {
                behavior.processes.append(
                    BehaviorProcess(
                        name: "\(names[i]) → \(names[i + 1])", field: field, value: UInt8(i + 1),
                        ratePerMillisecond: rate,
                        requires: [Condition(field: field, value: UInt8(i))]))
            }
        }
    }

    private func readBehavior(_ v: YAMLValue) {
        guard let f = v.fields(ScenarioParser.behaviorKeys) else { return }
        let converted = fieldID("converted")!
        if let rate = f["organic_conversion"]?.ratePerMillisecond(), rate > 0 {
            behavior.processes.append(
                BehaviorProcess(name: "organic conversion", field: converted, value: 1, ratePerMillisecond: rate))
        }
        for (key, value) in [("leaves_segment", UInt8(0)), ("joins_segment", UInt8(1))] {
            guard let r = f[key], let rate = r.ratePerMillisecond(), rate > 0 else { continue }
            let segments = fields.indices.filter { fields[$0].category == .segment }
            if segments.isEmpty { r.error("no segments are declared under population.segments") }
            for s in segments where !behavior.processes.contains(where: { $0.field == s && $0.value == value }) {
                behavior.processes.append(
                    BehaviorProcess(name: "\(key) \(fields[s].name)", field: s, value: value, ratePerMillisecond: rate))
            }
        }
        var revocations: [(String, YAMLValue)] = []
        if let r = f["revokes_consent"], let rf = r.fields(["email", "sms", "push"]) {
            revocations += rf.entries.map { ($0.key, $0.value) }
        }
        if let r = f["revokes_sms_consent"] { revocations.append(("sms", r)) }
        if let r = f["revokes_email_consent"] { revocations.append(("email", r)) }
        for (channel, r) in revocations {
            guard let rate = r.ratePerMillisecond(), rate > 0 else { continue }
            behavior.processes.append(
                BehaviorProcess(
                    name: "revokes \(channel) consent", field: fieldID("consent." + channel)!, value: 0,
                    ratePerMillisecond: rate))
        }
        if let r = f["abandons_cart"], let rate = r.ratePerMillisecond(), rate > 0 {
            let cart = addField(FieldSpec(name: "cart_abandoned", category: .behavior))
            behavior.processes.append(
                BehaviorProcess(
                    name: "abandons cart", field: cart, value: 1, ratePerMillisecond: rate,
                    requires: [Condition(field: converted, value: 0)]))
            behavior.cascades.append((Condition(field: converted, value: 1), Condition(field: cart, value: 0)))
        }
        if let r = f["browses"], let rate = r.ratePerMillisecond(), rate > 0 {
            // A category browse sets `browsed` until the customer buys (browse-abandonment journeys).
            let browsed = addField(FieldSpec(name: "browsed", category: .behavior))
            behavior.processes.append(
                BehaviorProcess(
                    name: "browses", field: browsed, value: 1, ratePerMillisecond: rate,
                    requires: [Condition(field: converted, value: 0)]))
            behavior.cascades.append((Condition(field: converted, value: 1), Condition(field: browsed, value: 0)))
        }
        for channel in [Channel.email, .sms, .push] {
            if let r = f[channel.description] { behavior.responses[channel] = readResponse(r, channel: channel) }
        }
    }

    private func readResponse(_ v: YAMLValue, channel: Channel) -> ResponsePlan {
        var plan = ResponsePlan()
        guard let f = v.fields(ScenarioParser.responseKeys) else { return plan }
        if let r = f["open"]?.ratio() { plan.open = r }
        if let r = f["click"]?.ratio() {
            // A click without an open step (SMS, push): every delivered message counts as seen.
            if f["open"] == nil { plan.open = .always }
            plan.clickGivenOpen = r
        }
        if let r = f["click_given_open"]?.ratio() { plan.clickGivenOpen = r }
        if let r = f["convert_given_click"]?.ratio() { plan.convertGivenClick = r }
        if let r = f["convert"]?.ratio() { plan.convert = r }
        for key in ["unsubscribe", "stop", "opt_out"] { if let r = f[key]?.ratio() { plan.optOut = r } }
        if let d = f["open_delay"]?.distribution() { plan.openDelay = d }
        if let d = f["convert_delay"]?.distribution() { plan.convertDelay = d }
        if let d = f["opt_out_delay"]?.distribution() { plan.optOutDelay = d }
        return plan
    }

    func checkShares(_ shares: [Double], at v: YAMLValue, mustSumToOne: Bool) {
        let total = shares.reduce(0, +)
        if total > 1.000_001 {
            v.error("shares add up to \(total.formatted2), more than 1")
        } else if mustSumToOne && !shares.isEmpty && abs(total - 1) > 0.000_001 {
            v.error("shares add up to \(total.formatted2); expected them to add up to 1")
        }
    }
}

extension Double {
    var formatted2: String { String(format: "%.4g", self) }
}
