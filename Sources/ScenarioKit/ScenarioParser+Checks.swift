import MarTechModel
import SimKernel

/// `chaos:` and `expectations:` — parsed and checked now, acted on by later stages.
extension ScenarioParser {
    static let faultKinds = [
        "outage", "pause", "degrade", "rate_limit", "duplicate", "lost_ack", "drift", "clock_skew",
    ]
    /// Keys of each fault kind's body, besides its target (`link` or `platform`) and `for`.
    static let faultKeys: [String: [String]] = [
        "outage": ["recovery", "recovery_fires_journeys"],
        "pause": ["recovery", "recovery_fires_journeys"],
        "degrade": ["error_rate", "latency_factor", "jitter"],
        "rate_limit": ["requests", "service"],
        "duplicate": ["share", "reorder_by"],
        "lost_ack": ["share", "retry_after"],
        "drift": DriftChangeKeys.all + ["share", "recovery", "recovery_fires_journeys"],
        "clock_skew": [],
    ]
    enum DriftChangeKeys {
        static let all = FaultPlan.DriftChange.allCases.map(\.rawValue)
    }
    /// A misfire type, or a type on one channel (`revoked_consent_sms`, `post_conversion_impressions`).
    static let misfireKeys = MisfireType.allCases.flatMap { type in
        [type.description] + ["email", "sms", "push", "sales_task", "impressions"].map { "\(type)_\($0)" }
    }
    static let slaMetrics =
        ["freshness_p50", "freshness_p95", "freshness_p99", "freshness_max", "completeness"] + slaCounts
    /// Per-link failure counts an SLO may cap (drift that breaks the contract, records lost to the dead-letter queue).
    static let slaCounts = ["contract_violations", "dead_letters", "retries"]

    /// `chaos:` — a list of faults, each `{at: WHEN, KIND: {link|platform: NAME, for: DURATION, …}}`.
    func readChaos(_ v: YAMLValue) {
        for (position, item) in v.items().enumerated() {
            guard let f = item.fields(["at"] + ScenarioParser.faultKinds) else { continue }
            let at = f.required("at", expected: "when the fault starts, such as \"day 3 01:00\"").flatMap(readDayTime)
            let kinds = f.entries.map(\.key).filter { $0 != "at" }
            guard kinds.count == 1, let kind = kinds.first, let body = f[kind] else {
                item.error(
                    "a fault has exactly one kind; expected one of \(ScenarioParser.faultKinds.joined(separator: ", "))"
                )
                continue
            }
            guard let b = body.fields(["link", "platform", "for"] + (ScenarioParser.faultKeys[kind] ?? [])) else {
                continue
            }
            var end = SimInstant(millisecondsSinceStart: horizon.milliseconds)
            if let d = b["for"], let length = d.duration(), let at { end = min(end, at.advanced(by: length)) }
            guard let (linkIndex, platform) = readFaultTarget(b, body: body) else { continue }
            let target = linkIndex.map { links[$0].name } ?? platform.map { platforms[$0].name } ?? ""
            guard let at, linkIndex != nil || platform != nil else { continue }
            let name = "chaos[\(position)] \(kind) \(target)"
            func add(_ k: FaultPlan.Kind, recovery: FaultPlan.Recovery = .none, fires: Bool = true, suffix: String = "")
            {
                faults.append(
                    FaultPlan(
                        name: name + suffix, kind: k, start: at, end: end, recovery: recovery,
                        recoveryTriggersJourneys: fires))
            }
            func needsLink() -> Int? {
                if linkIndex == nil { body.error("a \(kind) fault targets a link; name it with 'link'") }
                return linkIndex
            }
            func needsPlatform() -> Int? {
                if platform == nil { body.error("a \(kind) fault targets a platform; name it with 'platform'") }
                return platform
            }
            let recovery = b["recovery"].flatMap(readRecovery) ?? FaultPlan.Recovery.none
            let fires = b["recovery_fires_journeys"]?.bool() ?? true
            switch kind {
            case "outage", "pause":
                if kind == "outage", let p = platform { add(.outage(platform: p), recovery: recovery, fires: fires) }
                if kind == "outage", let l = linkIndex { add(.linkOutage(link: l), recovery: recovery, fires: fires) }
                if kind == "pause", let l = needsLink() { add(.pause(link: l), recovery: recovery, fires: fires) }
            case "degrade":
                let rate = b["error_rate"]?.ratio() ?? .never
                let factor = b["latency_factor"]?.number(min: 0) ?? 1
                let jitter = b["jitter"].flatMap { $0.distribution() }
                if let l = needsLink() {
                    add(.degrade(link: l, errorRate: rate, latencyFactor: factor, jitter: jitter))
                }
            case "rate_limit":
                guard let l = needsLink() else { continue }
                if case .batch = links[l].mode {
                    body.error(
                        "a batch link is paced by its 'rate' (pages per second); rate_limit applies to stream links")
                }
                let (perSecond, exponential) = readRateLimit(b)
                if perSecond > 0 { add(.rateLimit(link: l, perSecond: perSecond, exponentialService: exponential)) }
            case "duplicate":
                let share = b["share"]?.ratio() ?? Ratio(1, 100)
                let reorder = b["reorder_by"]?.distribution() ?? .fixed(60_000)
                if let l = needsLink() { add(.duplicate(link: l, share: share, reorderBy: reorder)) }
            case "lost_ack":
                let share = b["share"]?.ratio() ?? Ratio(1, 100)
                let after = b["retry_after"]?.duration() ?? .minutes(5)
                if let p = needsPlatform() { add(.lostAcknowledgement(platform: p, share: share, retryAfter: after)) }
            case "drift":
                readDrift(b, body: body, link: linkIndex, platform: platform) { k, suffix in
                    add(k, recovery: recovery, fires: fires, suffix: suffix)
                }
            case "clock_skew":
                if let p = needsPlatform() { add(.clockSkew(platform: p)) }
            default:
                break
            }
        }
    }

    /// A fault's target: `link:` or `platform:` (nil after an error).
    func readFaultTarget(_ b: YAMLValue.Fields, body: YAMLValue) -> (link: Int?, platform: Int?)? {
        if let l = b["link"], let name = l.scalar(expected: "a link name") {
            let names = links.map(\.name)
            if let i = names.firstIndex(of: name) { return (i, nil) }
            l.error("unknown link '\(name)'", suggestion: nearMiss(name, in: names))
            return (nil, nil)
        }
        if let p = b["platform"] { return (nil, platformIndex(p)) }
        body.error("a fault names its target with 'link' or 'platform'")
        return nil
    }

    /// `recovery: none | replay | backfill`.
    func readRecovery(_ r: YAMLValue) -> FaultPlan.Recovery? {
        guard let t = r.scalar(expected: "none, replay or backfill") else { return nil }
        if let value = FaultPlan.Recovery(rawValue: t) { return value }
        let names = FaultPlan.Recovery.allCases.map(\.rawValue)
        r.error(
            "unknown recovery '\(t)'; expected one of \(names.joined(separator: ", "))",
            suggestion: nearMiss(t, in: names))
        return nil
    }

    /// `rate_limit: {requests: 10/s, service: fixed | exponential}`: requests per second (0 after an error).
    func readRateLimit(_ b: YAMLValue.Fields) -> (perSecond: Double, exponential: Bool) {
        var perSecond = 0.0
        if let r = b.required("requests", expected: "requests allowed per time, such as 10/s"),
            let rate = r.rate(expected: "requests per time, such as 10/s")
        {
            if rate.count <= 0 {
                r.error("requests must be positive")
            } else {
                perSecond = rate.count * 1000 / Double(rate.per.milliseconds)
            }
        }
        var exponential = false
        if let sv = b["service"], let t = sv.scalar(expected: "fixed or exponential") {
            if t == "exponential" {
                exponential = true
            } else if t != "fixed" {
                sv.error(
                    "unknown service '\(t)'; expected fixed (a token bucket) or exponential",
                    suggestion: nearMiss(t, in: ["fixed", "exponential"]))
            }
        }
        return (perSecond, exponential)
    }

    /// `drift: {link|platform: NAME, rename: {FIELD: NEW}, drop: FIELD, type_change: FIELD, enum_added: FIELD,
    /// required_added: NAME, identity_changed: true, share: 3%}`. On a platform, every link out of it that
    /// carries a drifted field breaks.
    private func readDrift(
        _ b: YAMLValue.Fields, body: YAMLValue, link: Int?, platform: Int?, add: (FaultPlan.Kind, String) -> Void
    ) {
        let changes = b.entries.map(\.key).filter { DriftChangeKeys.all.contains($0) }
        guard changes.count == 1, let key = changes.first, let change = FaultPlan.DriftChange(rawValue: key),
            let value = b[key]
        else {
            body.error("a drift names one change; expected one of \(DriftChangeKeys.all.joined(separator: ", "))")
            return
        }
        let share = b["share"]?.ratio() ?? (change == .identityChanged ? Ratio(3, 100) : .always)
        var drifted: [FieldID] = []
        switch change {
        case .requiredAdded, .identityChanged:
            break
        case .rename:
            if let m = value.fields(nil, expected: "old field name: new name") {
                for e in m.entries {
                    drifted += fieldsNamed(e.key) {
                        log.error("\(value.path).\(e.key): \($0)", at: e.keyMark, suggestion: $1)
                    }
                }
            }
        default:
            let items: [YAMLValue]
            if case .mapping = value.node {
                items =
                    value.fields(nil)?.entries.map {
                        YAMLValue(node: .scalar(.init($0.key)), path: value.path, log: log)
                    } ?? []
            } else {
                items = value.items()
            }
            for item in items { drifted += fieldsNamed(item) }
        }
        let candidates = link.map { [$0] } ?? links.indices.filter { links[$0].from == platform }
        var hit = false
        for l in candidates where drifted.isEmpty || !Set(links[l].fields).isDisjoint(with: drifted) {
            hit = true
            add(
                .drift(link: l, fields: drifted.filter { links[l].fields.contains($0) }, change: change, share: share),
                link == nil ? " → \(links[l].name)" : "")
        }
        if !hit {
            body.error(
                link != nil
                    ? "the drifted field is not carried by this link"
                    : "no link out of this platform carries the drifted field")
        }
    }

    /// `day 3 01:00`, `day 3`, or an ISO 8601 instant.
    func readDayTime(_ v: YAMLValue) -> SimInstant? {
        guard let text = v.scalar(expected: "an instant such as \"day 3 01:00\"") else { return nil }
        let parts = text.split(separator: " ").map(String.init)
        var found: SimInstant?
        if parts.count >= 2, parts[0] == "day", let day = Int(parts[1]), day >= 0 {
            guard day <= ScenarioParser.dayMax else {
                v.error("day \(day) is past any run (a run lasts at most \(ScenarioParser.horizonMax))")
                return nil
            }
            if parts.count == 2 { found = instant(day: day, minutes: 0) }
            if parts.count == 3, let m = YAMLValue.parseClock(parts[2]) { found = instant(day: day, minutes: m) }
        } else if case .success(let d) = ScenarioParser.parseInstant(text, zone: clock) {
            found = SimInstant(millisecondsSinceStart: Int64((d.timeIntervalSince(start) * 1000).rounded()))
        }
        guard let found else {
            v.error("'\(text)' is not an instant; expected \"day N HH:MM\" or a time such as 2026-06-01T09:00:00Z")
            return nil
        }
        guard found.millisecondsSinceStart >= 0 else {
            v.error("'\(text)' is before the run starts (\(startDescription))")
            return nil
        }
        return found
    }

    func readExpectations(_ v: YAMLValue) {
        guard let f = v.fields(["misfires", "sla", "sometimes"]) else { return }
        // `sometimes:` — things that must happen at least once, or a green run proves nothing.
        if let s = f["sometimes"], let sf = s.fields(["faults_bite", "misfires"]) {
            if let b = sf["faults_bite"], b.bool() == true {
                if faults.isEmpty { b.error("'faults_bite' needs a chaos section: there is no fault to bite") }
                expectations.append(
                    Expectation(section: "sometimes", subject: "faults_bite", bound: .atLeastOnce, line: b.mark.line))
            }
            if let m = sf["misfires"] {
                for item in m.items() {
                    guard let key = item.scalar(expected: "a misfire key") else { continue }
                    if !ScenarioParser.misfireKeys.contains(key) {
                        item.error(
                            "unknown misfire '\(key)'", suggestion: nearMiss(key, in: ScenarioParser.misfireKeys))
                        continue
                    }
                    expectations.append(
                        Expectation(section: "sometimes", subject: key, bound: .atLeastOnce, line: item.mark.line))
                }
            }
        }
        if let m = f["misfires"], let mf = m.fields(ScenarioParser.misfireKeys) {
            for e in mf.entries {
                let line = e.keyMark.line
                if case .scalar = e.value.node {
                    if let n = e.value.integer(min: 0, max: Int.max) {
                        expectations.append(
                            Expectation(section: "misfires", subject: e.key, bound: .maxCount(n), line: line))
                    }
                    continue
                }
                guard let b = e.value.fields(["max", "max_rate_of_converters"]) else { continue }
                if let n = b["max"]?.integer(min: 0, max: Int.max) {
                    expectations.append(
                        Expectation(section: "misfires", subject: e.key, bound: .maxCount(n), line: line))
                }
                if let r = b["max_rate_of_converters"]?.share() {
                    expectations.append(
                        Expectation(section: "misfires", subject: e.key, bound: .maxRateOfConverters(r), line: line))
                }
            }
        }
        if let s = f["sla"], let sf = s.fields(nil, expected: "link names with SLOs") {
            let names = links.map(\.name)
            for e in sf.entries {
                if !names.contains(e.key) {
                    log.error(
                        "\(s.path).\(e.key): unknown link '\(e.key)'", at: e.keyMark,
                        suggestion: nearMiss(e.key, in: names))
                    continue
                }
                guard let metrics = e.value.fields(ScenarioParser.slaMetrics) else { continue }
                for m in metrics.entries {
                    if ScenarioParser.slaCounts.contains(m.key) {
                        if let n = m.value.integer(min: 0, max: Int.max) {
                            expectations.append(
                                Expectation(
                                    section: "sla", subject: "\(e.key).\(m.key)", bound: .maxCount(n),
                                    line: m.keyMark.line))
                        }
                    } else if m.key == "completeness" {
                        if let r = m.value.share() {
                            expectations.append(
                                Expectation(
                                    section: "sla", subject: "\(e.key).\(m.key)", bound: .minShare(r),
                                    line: m.keyMark.line))
                        }
                    } else if let d = m.value.duration() {
                        expectations.append(
                            Expectation(
                                section: "sla", subject: "\(e.key).\(m.key)", bound: .maxDuration(d),
                                line: m.keyMark.line))
                    }
                }
            }
        }
    }
}
