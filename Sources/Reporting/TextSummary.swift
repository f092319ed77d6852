import MarTechModel

/// The terminal summary printed at the end of `rehearse run`: fits a screen, ends with the
/// seed and the exact command that reproduces the run.
public enum TextSummary {
    public static func render(_ o: RunOverview) -> String {
        let s = o.summary
        var lines: [String] = []
        let days = o.horizonDays == o.horizonDays.rounded() ? "\(Int(o.horizonDays))d" : "\(o.horizonDays)d"
        lines.append("Rehearsal of \(o.scenario): \(Format.count(o.customers)) customers, \(days), seed \(o.seed)")
        if o.status != "complete" { lines.append("  STATUS: \(o.status) — the results below are partial") }
        lines.append("")
        lines.append("  touchpoints     email \(Format.count(s.touchpoints(.email)))   sms \(Format.count(s.touchpoints(.sms)))   push \(Format.count(s.touchpoints(.push)))   ad impressions \(Format.count(s.impressionsServed))")
        let held = Channel.allCases.filter { s.suppressedByChannel[Int($0.rawValue)] > 0 }
            .map { "\($0) \(Format.count(s.suppressedByChannel[Int($0.rawValue)]))" }
        if !held.isEmpty { lines.append("  held back       \(held.joined(separator: "   "))   (the platform's own consent copy or frequency cap)") }
        lines.append("  conversions     \(Format.count(s.conversions))   (organic \(Format.count(s.conversionsOrganic)), after a message \(Format.count(s.conversionsAfterMessage)))")
        lines.append("")
        let after = [Channel.email, .sms, .push].map { "\($0) \(Format.count(o.postConversion($0)))" }.joined(separator: ", ")
        lines.append("  messages after conversion   \(Format.count(s.misfires(.postConversion) - o.postConversion(.ad))) (\(after)); ad impressions \(Format.count(o.postConversion(.ad))) of \(Format.count(s.impressionsServed)) (\(Format.percent(o.postConversion(.ad), of: s.impressionsServed)))")
        lines.append("  SMS to revoked consent      \(Format.count(o.smsToRevokedConsent))")
        let types = o.misfireTypesByCount
        if !types.isEmpty {
            lines.append("")
            lines.append("  misfires by type and root cause")
            for (type, count) in types {
                let causes = o.causes(of: type).map { "\($0.0) \(Format.percent($0.1, of: count))" }.joined(separator: ", ")
                lines.append("    \(Format.pad(type.description, 16)) \(Format.padLeft(Format.count(count), 10))   [\(type.severity)]  \(causes)")
            }
        }
        if let e = o.expectations, !e.results.isEmpty {
            let failed = e.results.filter { !$0.passed }.count
            lines.append("")
            lines.append("  expectations: \(e.results.count - failed) of \(e.results.count) hold" + (failed > 0 ? " (`rehearse check` fails on these)" : ""))
            lines.append(e.render().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }
        let exposures = Exposure.allCases.filter { s.exposureCounts[Int($0.rawValue)] > 0 }
        if !exposures.isEmpty {
            lines.append("")
            lines.append("  legal exposure (published penalties per message)")
            for e in exposures {
                let n = s.exposureCounts[Int(e.rawValue)], (low, high) = e.dollarsPerMessage
                lines.append("    \(Format.pad(e.description, 9)) \(Format.count(n)) message(s) × $\(Format.count(low))–$\(Format.count(high)) = $\(Format.count(n * low))–$\(Format.count(n * high))   (\(e.source))")
            }
        }
        let advice = o.recommendations
        if !advice.isEmpty {
            lines.append("")
            lines.append("  what would have prevented them")
            for text in advice.prefix(6) { lines.append("    - " + text) }
        }
        if o.chaosDeclared > 0 {
            lines.append("")
            lines.append("  note: \(o.chaosDeclared) chaos fault(s) declared; this version validates them but does not inject them yet")
        }
        lines.append("")
        lines.append("  results         \(o.databasePath)  (\(Format.count(o.rowsWritten)) rows, \(Format.count(s.eventsProcessed)) events)")
        if o.status == "complete", o.databasePath.hasSuffix(".sqlite") {
            lines.append("  reports         \(o.databasePath.dropLast(7)).{html,md,json,txt}")
        }
        lines.append("  seed \(o.seed); reproduce with: \(o.reproduceCommand)")
        return lines.joined(separator: "\n") + "\n"
    }
}
