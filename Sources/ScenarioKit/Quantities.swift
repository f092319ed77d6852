import MarTechModel
import SimKernel

/// Reading the quantities people write: durations (`45m`, `1h30m`, `7d`), rates (`0.02/d`,
/// `100/s`, `3/7d`), shares (`0.35`, `35%`), clock times (`02:00`) and distributions.
extension YAMLValue {
    /// Milliseconds per unit suffix.
    static let units: [(String, Int64)] = [
        ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000), ("w", 604_800_000),
    ]

    static func parseDuration(_ text: String) -> SimDuration? {
        let s = text.trimmedSpaces()
        if s == "0" { return .zero }
        var total: Double = 0
        var number = ""
        var i = s.startIndex
        var sawUnit = false
        while i < s.endIndex {
            let ch = s[i]
            if ch.isNumber || ch == "." {
                number.append(ch)
                i = s.index(after: i)
                continue
            }
            var unit = String(ch)
            let next = s.index(after: i)
            if ch == "m" && next < s.endIndex && s[next] == "s" { unit = "ms" }
            guard let value = Double(number), let size = units.first(where: { $0.0 == unit })?.1 else { return nil }
            total += value * Double(size)
            number = ""
            sawUnit = true
            i = s.index(i, offsetBy: unit.count)
        }
        guard number.isEmpty, sawUnit, total.isFinite, total >= 0, total < 1e15 else { return nil }
        return SimDuration(roundingMilliseconds: total)
    }

    func duration() -> SimDuration? {
        guard let text = scalar(expected: "a duration such as 45m, 24h or 7d") else { return nil }
        guard let d = YAMLValue.parseDuration(text) else {
            error(
                "'\(text)' is not a duration; expected a number with a unit (ms, s, m, h, d, w), such as 45m, 24h or 1h30m"
            )
            return nil
        }
        return d
    }

    /// `count/window`: `0.02/d` (per day), `100/s`, `3/7d`.
    func rate(expected: String = "a rate such as 0.02/d or 100/s") -> (count: Double, per: SimDuration)? {
        guard let text = scalar(expected: expected) else { return nil }
        let parts = text.split(separator: "/", maxSplits: 1).map { String($0).trimmedSpaces() }
        guard parts.count == 2, let count = Double(parts[0]), count >= 0, count.isFinite else {
            error("'\(text)' is not a rate; expected \(expected)")
            return nil
        }
        let windowText = parts[1].first?.isNumber == true ? parts[1] : "1" + parts[1]
        guard let window = YAMLValue.parseDuration(windowText), window.milliseconds > 0 else {
            error("'\(text)' has no time unit after '/'; expected \(expected)")
            return nil
        }
        return (count, window)
    }

    /// The highest rate a behaviour may have per customer: 1,000 a day (one every 86 s).
    static let perCustomerRateMax = 1000.0 / 86_400_000

    /// A rate as events per millisecond, at most `perCustomerRateMax` (a customer does not
    /// change state every second; a typo such as `0.02/s` for `0.02/d` would flood the run).
    func ratePerMillisecond() -> Double? {
        guard let r = rate() else { return nil }
        let perMs = r.count / Double(r.per.milliseconds)
        if perMs > YAMLValue.perCustomerRateMax {
            error("rate \(r.count)/\(r.per) is above the limit of 1000/d per customer (did you mean /d?)")
            return nil
        }
        return perMs
    }

    /// A share or probability: `0.35` or `35%`, between 0 and 1.
    func share() -> Double? {
        guard let text = scalar(expected: "a share between 0 and 1, such as 0.35 or 35%") else { return nil }
        var value: Double?
        if text.hasSuffix("%") { value = Double(text.dropLast()).map { $0 / 100 } } else { value = Double(text) }
        guard let v = value, v.isFinite else {
            error("'\(text)' is not a share; expected a number between 0 and 1, such as 0.35 or 35%")
            return nil
        }
        guard v >= 0 && v <= 1 else {
            error("share \(text) is outside 0..1")
            return nil
        }
        return v
    }

    /// A share as an exact ratio (parts per billion).
    func ratio() -> Ratio? {
        share().map { Ratio(UInt64(($0 * 1e9).rounded()), 1_000_000_000) }
    }

    func integer(min lowest: Int, max highest: Int) -> Int? {
        guard let text = scalar(expected: "a whole number") else { return nil }
        guard let v = Int(text.replacingOccurrences(of: "_", with: "")) else {
            error("'\(text)' is not a whole number")
            return nil
        }
        guard v >= lowest && v <= highest else {
            error("\(v) is outside the allowed range \(lowest)...\(highest)")
            return nil
        }
        return v
    }

    func number(min lowest: Double = -.greatestFiniteMagnitude) -> Double? {
        guard let text = scalar(expected: "a number") else { return nil }
        guard let v = Double(text), v.isFinite, v >= lowest else {
            error("'\(text)' is not a number of at least \(lowest)")
            return nil
        }
        return v
    }

    func bool() -> Bool? {
        guard let text = scalar(expected: "true or false") else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error("'\(text)' is not true or false")
            return nil
        }
    }

    /// `HH:MM` as minutes after midnight.
    func clockMinutes() -> Int? {
        guard let text = scalar(expected: "a clock time such as 02:00") else { return nil }
        guard let m = YAMLValue.parseClock(text) else {
            error("'\(text)' is not a clock time; expected HH:MM between 00:00 and 23:59")
            return nil
        }
        return m
    }

    static func parseClock(_ text: String) -> Int? {
        let parts = text.trimmedSpaces().split(separator: ":")
        guard parts.count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0..<24).contains(h), (0..<60).contains(m)
        else { return nil }
        return h * 60 + m
    }

    /// A distribution of durations, by its usual parameters.
    func distribution() -> Distribution? {
        if case .scalar = node, let d = duration() { return .fixed(Double(d.milliseconds)) }
        guard case .mapping = node else {
            if case .scalar = node { return nil }
            error("expected a distribution such as {lognormal: {median: 5m, sigma: 1.5}} or a fixed duration")
            return nil
        }
        let kinds = ["fixed", "uniform", "exponential", "lognormal", "normal", "empirical", "histogram"]
        guard let f = fields(kinds), let entry = f.entries.first else { return nil }
        if f.entries.count > 1 {
            error("a distribution has exactly one kind; found \(f.entries.map(\.key).joined(separator: ", "))")
            return nil
        }
        let v = entry.value
        func ms(_ d: SimDuration?) -> Double? { d.map { Double($0.milliseconds) } }
        switch entry.key {
        case "fixed":
            return ms(v.duration()).map { .fixed($0) }
        case "uniform":
            guard let p = v.fields(["min", "max"]),
                let lo = ms(p.required("min", expected: "a duration")?.duration()),
                let hi = ms(p.required("max", expected: "a duration")?.duration())
            else { return nil }
            guard hi >= lo else {
                v.error("max must not be below min")
                return nil
            }
            return .uniform(min: lo, max: hi)
        case "exponential":
            guard let p = v.fields(["mean", "rate"]) else { return nil }
            if let mean = p["mean"] { return ms(mean.duration()).flatMap { $0 > 0 ? .exponential(mean: $0) : nil } }
            if let rate = p["rate"], let r = rate.rate(), r.count > 0 {
                return .exponential(mean: Double(r.per.milliseconds) / r.count)
            }
            v.error("exponential needs 'mean' (a duration) or 'rate' (such as 2/h)")
            return nil
        case "lognormal":
            guard let p = v.fields(["median", "sigma", "p99"]),
                let median = ms(p.required("median", expected: "a duration")?.duration()), median > 0
            else { return nil }
            if let s = p["sigma"], let sigma = s.number(min: 0) {
                // Above 10 the p99 is e^23 (10^10) times the median: no latency anyone measured.
                guard sigma <= 10 else {
                    s.error(
                        "sigma \(sigma) is above 10 (its p99 would be 10^10 times the median); real latencies have sigma 0.1 to 3"
                    )
                    return nil
                }
                return .lognormal(median: median, sigma: sigma)
            }
            if let p99 = ms(p["p99"]?.duration()) {
                guard p99 > median else {
                    v.error("p99 must be above the median")
                    return nil
                }
                return Distribution.lognormal(median: median, p99: p99)
            }
            v.error("lognormal needs 'sigma' or 'p99' besides 'median'")
            return nil
        case "normal":
            guard let p = v.fields(["mean", "sd"]),
                let mean = ms(p.required("mean", expected: "a duration")?.duration()),
                let sd = ms(p.required("sd", expected: "a duration")?.duration()), sd > 0
            else { return nil }
            return .truncatedNormal(mean: mean, standardDeviation: sd)
        case "empirical":
            let values = v.items().compactMap { ms($0.duration()) }
            guard !values.isEmpty else {
                v.error("empirical needs a non-empty list of durations")
                return nil
            }
            return .empirical(values: values)
        default:
            return v.histogram()
        }
    }

    /// `histogram: [{from, to, weight}, …]`: a bucket by weight, then a uniform point inside it.
    func histogram() -> Distribution? {
        let v = self
        func ms(_ d: SimDuration?) -> Double? { d.map { Double($0.milliseconds) } }
        var buckets: [HistogramBucket] = []
        for item in v.items() {
            guard let p = item.fields(["from", "to", "weight"]),
                let lo = ms(p.required("from", expected: "a duration")?.duration()),
                let hi = ms(p.required("to", expected: "a duration")?.duration()),
                let w = p.required("weight", expected: "a number")?.number(min: 0)
            else { continue }
            guard hi > lo else {
                item.error("'to' must be after 'from'")
                continue
            }
            buckets.append(HistogramBucket(lower: lo, upper: hi, weight: w))
        }
        guard !buckets.isEmpty, buckets.contains(where: { $0.weight > 0 }) else {
            v.error("histogram needs buckets {from, to, weight} with a positive weight")
            return nil
        }
        return .histogram(buckets: buckets)
    }
}

extension String {
    func trimmedSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
