import MarTechModel
import SimKernel

/// `chaos:` and `expectations:` — parsed and checked now, acted on by later stages.
extension ScenarioParser {
    static let faultKinds = ["outage", "pause", "degrade", "rate_limit", "drift", "duplicate", "clock_skew"]
    /// A misfire type, or a type on one channel (`revoked_consent_sms`, `post_conversion_impressions`).
    static let misfireKeys = MisfireType.allCases.flatMap { type in
        [type.description] + ["email", "sms", "push", "sales_task", "impressions"].map { "\(type)_\($0)" }
    }
    static let slaMetrics = ["freshness_p50", "freshness_p95", "freshness_p99", "freshness_max", "completeness"]

    func readChaos(_ v: YAMLValue) {
        for item in v.items() {
            guard let f = item.fields(["at"] + ScenarioParser.faultKinds) else { continue }
            let at = f.required("at", expected: "when the fault starts, such as \"day 3 01:00\"").flatMap(readDayTime)
            let kinds = f.entries.map(\.key).filter { $0 != "at" }
            guard kinds.count == 1, let kind = kinds.first, let body = f[kind] else {
                item.error("a fault has exactly one kind; expected one of \(ScenarioParser.faultKinds.joined(separator: ", "))")
                continue
            }
            var target = ""
            if let b = body.fields(nil) {
                if let l = b["link"], let name = l.scalar(expected: "a link name") {
                    let names = links.map(\.name)
                    if !names.contains(name) { l.error("unknown link '\(name)'", suggestion: nearMiss(name, in: names)) }
                    target = name
                } else if let p = b["platform"], let i = platformIndex(p) {
                    target = platforms[i].name
                } else {
                    body.error("a fault names its target with 'link' or 'platform'")
                }
                if let d = b["for"] { _ = d.duration() }
            }
            if let at { chaos.append(ChaosFault(at: at, kind: kind, target: target, line: item.mark.line)) }
        }
    }

    /// `day 3 01:00`, `day 3`, or an ISO 8601 instant.
    func readDayTime(_ v: YAMLValue) -> SimInstant? {
        guard let text = v.scalar(expected: "an instant such as \"day 3 01:00\"") else { return nil }
        let parts = text.split(separator: " ").map(String.init)
        if parts.count >= 2, parts[0] == "day", let day = Int(parts[1]), day >= 0 {
            if parts.count == 2 { return instant(day: day, minutes: 0) }
            if parts.count == 3, let m = YAMLValue.parseClock(parts[2]) { return instant(day: day, minutes: m) }
        } else if let d = ScenarioParser.parseInstant(text) {
            return SimInstant(millisecondsSinceStart: Int64((d.timeIntervalSince(start) * 1000).rounded()))
        }
        v.error("'\(text)' is not an instant; expected \"day N HH:MM\" or an ISO 8601 time")
        return nil
    }

    func readExpectations(_ v: YAMLValue) {
        guard let f = v.fields(["misfires", "sla"]) else { return }
        if let m = f["misfires"], let mf = m.fields(ScenarioParser.misfireKeys) {
            for e in mf.entries {
                let line = e.keyMark.line
                if case .scalar = e.value.node {
                    if let n = e.value.integer(min: 0, max: Int.max) { expectations.append(Expectation(section: "misfires", subject: e.key, bound: .maxCount(n), line: line)) }
                    continue
                }
                guard let b = e.value.fields(["max", "max_rate_of_converters"]) else { continue }
                if let n = b["max"]?.integer(min: 0, max: Int.max) { expectations.append(Expectation(section: "misfires", subject: e.key, bound: .maxCount(n), line: line)) }
                if let r = b["max_rate_of_converters"]?.share() {
                    expectations.append(Expectation(section: "misfires", subject: e.key, bound: .maxRateOfConverters(r), line: line))
                }
            }
        }
        if let s = f["sla"], let sf = s.fields(nil, expected: "link names with SLOs") {
            let names = links.map(\.name)
            for e in sf.entries {
                if !names.contains(e.key) {
                    log.error("\(s.path).\(e.key): unknown link '\(e.key)'", at: e.keyMark, suggestion: nearMiss(e.key, in: names))
                    continue
                }
                guard let metrics = e.value.fields(ScenarioParser.slaMetrics) else { continue }
                for m in metrics.entries {
                    if m.key == "completeness" {
                        if let r = m.value.share() {
                            expectations.append(Expectation(section: "sla", subject: "\(e.key).\(m.key)", bound: .minShare(r), line: m.keyMark.line))
                        }
                    } else if let d = m.value.duration() {
                        expectations.append(Expectation(section: "sla", subject: "\(e.key).\(m.key)", bound: .maxDuration(d), line: m.keyMark.line))
                    }
                }
            }
        }
    }
}
