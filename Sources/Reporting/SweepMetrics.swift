import MarTechModel

/// The figures a sweep records per run, by name: what `--find` and the sweep report speak of.
///
/// - `misfires.<key>.count` and `misfires.<key>.rate` (distinct customers / converters), where
///   `<key>` is a misfire type or a type on a channel, as in expectations
///   (`post_conversion_impressions`, `revoked_consent_sms`);
/// - `impressions.wasted_per_converter`, `conversions`;
/// - `sla.<link>.freshness_p50|p95|p99|max` (ms) and `sla.<link>.completeness`;
/// - `faults.<n>.misfires` for each injected fault.
public enum SweepMetrics {
    static let channels: [(String, Channel)] = [
        ("email", .email), ("sms", .sms), ("push", .push), ("sales_task", .salesTask), ("impressions", .ad),
    ]

    public static func extract(_ s: RunSummary, linkNames: [String]) -> [(name: String, value: Double)] {
        var out: [(String, Double)] = []
        let converters = Double(max(s.conversions, 1))
        for type in MisfireType.allCases {
            let t = Int(type.rawValue)
            out.append(("misfires.\(type).count", Double(s.misfires(type))))
            out.append(
                ("misfires.\(type).rate", Double(s.customersMisfiredByTypeAndChannel[t].reduce(0, +)) / converters))
            for (suffix, channel) in channels {
                out.append(("misfires.\(type)_\(suffix).count", Double(s.misfires(type, on: channel))))
                out.append(
                    (
                        "misfires.\(type)_\(suffix).rate",
                        Double(s.customersMisfiredByTypeAndChannel[t][Int(channel.rawValue)]) / converters
                    ))
            }
        }
        out.append(("impressions.wasted_per_converter", Double(s.impressionsWasted) / converters))
        out.append(("conversions", Double(s.conversions)))
        for (l, name) in linkNames.enumerated() where l < s.links.count {
            let f = s.links[l]
            out.append(("sla.\(name).freshness_p50", Double(f.freshnessP50)))
            out.append(("sla.\(name).freshness_p95", Double(f.freshnessP95)))
            out.append(("sla.\(name).freshness_p99", Double(f.freshnessP99)))
            out.append(("sla.\(name).freshness_max", Double(f.freshnessMax)))
            out.append(("sla.\(name).completeness", f.completeness))
        }
        for (i, f) in s.faults.enumerated() { out.append(("faults.\(i).misfires", Double(f.misfires))) }
        return out
    }

    /// Whether a metric is a duration in ms (for display and for reading `--find` bounds).
    public static func isDuration(_ name: String) -> Bool { name.hasPrefix("sla.") && name.contains(".freshness_") }
    public static func isRate(_ name: String) -> Bool { name.hasSuffix(".rate") || name.hasSuffix(".completeness") }
}

extension SweepMetrics {
    /// A figure's name for people: `misfires.post_conversion_impressions.rate` is
    /// "Post-conversion impressions: customers hit, per converter".
    public static func title(_ name: String) -> String {
        let parts = name.split(separator: ".").map(String.init)
        func words(_ key: String) -> String {
            let joined = key.hasPrefix("post_conversion") ? "post-conversion" + key.dropFirst(15) : key
            let text = joined.split(separator: "_").map { $0 == "sms" ? "SMS" : String($0) }.joined(separator: " ")
            return text.prefix(1).uppercased() + text.dropFirst()
        }
        switch parts.first {
        case "misfires" where parts.count == 3:
            return parts[2] == "rate"
                ? "\(words(parts[1])) misfires: customers hit, per converter" : "\(words(parts[1])) misfires: count"
        case "sla" where parts.count == 3:
            let figure = parts[2].hasPrefix("freshness_") ? "freshness, \(parts[2].dropFirst(10))" : parts[2]
            return "Link \(parts[1]): \(figure)"
        case "faults" where parts.count == 3:
            return "Misfires caused by injected fault \(parts[1])"
        default:
            if name == "impressions.wasted_per_converter" { return "Ad impressions after converting, per converter" }
            return words(name)
        }
    }
}
