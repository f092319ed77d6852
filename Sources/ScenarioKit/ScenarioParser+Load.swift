import MarTechModel

/// `load:` — arrival-rate executors for `rehearse serve` (k6's constant-arrival-rate and
/// ramping-arrival-rate), each with a platform or a URL as its target.
///
/// ```yaml
/// load:
///   events: {target: segment, rate: 1000/s, for: 60s}
///   replies: {target: twilio, stages: [{rate: 50/s, for: 30s}, {rate: 500/s, for: 2m}]}
///   webhook: {url: "http://127.0.0.1:8081/events", rate: 200/s, for: 5m, start_after: 10s, max_in_flight: 500}
/// ```
extension ScenarioParser {
    static let loadKeys = ["target", "url", "rate", "for", "stages", "start_after", "max_in_flight"]
    /// Vendors whose inbound path a load can target.
    static let loadVendors = ["segment", "twilio"]
    /// The highest rate an executor may ask for (a loopback fake answers ~20,000–50,000 a second).
    static let loadRateMax = 100_000.0

    func readLoad(_ v: YAMLValue) {
        guard let f = v.fields(nil, expected: "executors by name") else { return }
        for e in f.entries {
            guard let l = e.value.fields(ScenarioParser.loadKeys) else { continue }
            var target: LoadPlan.Target?
            if let t = l["target"], let name = t.scalar(expected: "a platform name") {
                if let p = platforms.firstIndex(where: { $0.name == name }) {
                    if ScenarioParser.loadVendors.contains(platforms[p].vendorID ?? "") {
                        target = .platform(p)
                    } else {
                        t.error(
                            "'\(name)' has no inbound path for load; a load targets a platform of vendor \(ScenarioParser.loadVendors.joined(separator: " or ")), or a url")
                    }
                } else {
                    t.error("unknown platform '\(name)'", suggestion: nearMiss(name, in: platforms.map(\.name)))
                }
            }
            if let u = l["url"], let url = u.scalar(expected: "an http:// URL") {
                if url.hasPrefix("http://") && url.count > 7 { target = .url(url) } else { u.error("'\(url)' is not an http:// URL") }
            }
            if (l["target"] == nil) == (l["url"] == nil) {
                e.value.error("a load has one target: either `target: <platform>` or `url: http://…`")
            }
            func rate(_ value: YAMLValue) -> Double? {
                guard let r = value.rate(expected: "requests a second, such as 1000/s") else { return nil }
                let perSecond = r.count * 1000 / Double(r.per.milliseconds)
                guard perSecond <= ScenarioParser.loadRateMax else {
                    value.error("\(Int(perSecond)) requests a second is above the limit of \(Int(ScenarioParser.loadRateMax))")
                    return nil
                }
                return perSecond
            }
            func seconds(_ value: YAMLValue) -> Double? {
                guard let d = value.duration() else { return nil }
                guard d.milliseconds > 0 && d.milliseconds <= 86_400_000 else {
                    value.error("a load lasts between 1ms and 24h of wall clock")
                    return nil
                }
                return Double(d.milliseconds) / 1000
            }
            var startRate = 0.0
            var stages: [LoadPlan.Stage] = []
            if let s = l["stages"] {
                if l["rate"] != nil || l["for"] != nil { e.value.error("a load has either `rate` and `for`, or `stages`") }
                for item in s.items() {
                    guard let st = item.fields(["rate", "for"]),
                        let r = st.required("rate", expected: "requests a second").flatMap(rate),
                        let d = st.required("for", expected: "a duration").flatMap(seconds)
                    else { continue }
                    stages.append(LoadPlan.Stage(rate: r, seconds: d))
                }
                if stages.isEmpty { s.error("stages needs at least one {rate, for}") }
            } else if let r = l.required("rate", expected: "requests a second").flatMap(rate),
                let d = l.required("for", expected: "how long, of wall clock").flatMap(seconds)
            {
                startRate = r
                stages = [LoadPlan.Stage(rate: r, seconds: d)]
            }
            let after = l["start_after"].flatMap { $0.duration() }.map { Double($0.milliseconds) / 1000 } ?? 0
            let inFlight = l["max_in_flight"]?.integer(min: 1, max: 10_000) ?? 200
            if let target, !stages.isEmpty {
                load.append(
                    LoadPlan(
                        name: e.key, target: target, startRate: startRate, stages: stages, startAfter: after,
                        maxInFlight: inFlight))
            }
        }
    }
}
