import MarTechModel

/// The terminal summary printed at the end of `rehearse run`: fits a screen, ends with the
/// seed and the exact command that reproduces the run.
public enum TextSummary {
    /// ANSI colours, used only when the caller writes to a terminal.
    struct Palette {
        var red = "", yellow = "", green = "", bold = "", reset = ""
        static let terminal = Palette(
            red: "\u{1B}[31m", yellow: "\u{1B}[33m", green: "\u{1B}[32m", bold: "\u{1B}[1m", reset: "\u{1B}[0m")
    }

    /// The most important breach: a failed expectation, else the most severe misfire type.
    public static func headline(_ o: RunOverview) -> String? {
        if let failed = o.expectations?.results.first(where: { !$0.passed }) {
            return "\(failed.name): \(failed.detail)"
        }
        let worst = o.misfireTypesByCount.sorted { ($0.0.severity.rawValue, $0.1) > ($1.0.severity.rawValue, $1.1) }
            .first
        return worst.map { "\(Format.count($0.1)) \($0.0) misfires [\($0.0.severity)]" }
    }

    public static func render(_ o: RunOverview, colour: Bool = false) -> String {
        let c = colour ? Palette.terminal : Palette()
        let lines = headlines(o, c) + misfireLines(o, c) + closingLines(o, c)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The run, its status, the worst breach, messages and conversions.
    static func headlines(_ o: RunOverview, _ c: Palette) -> [String] {
        var lines: [String] = []
        let s = o.summary
        let days = o.horizonDays == o.horizonDays.rounded() ? "\(Int(o.horizonDays))d" : "\(o.horizonDays)d"
        lines.append(
            "\(c.bold)Rehearsal of \(o.scenario)\(c.reset): \(Format.count(o.customers)) customers, \(days), seed \(o.seed)"
        )
        if let stack = o.stackLine { lines.append("  stack: \(stack)") }
        if o.status != "complete" {
            lines.append("  \(c.red)STATUS: \(o.status) — the results below are partial\(c.reset)")
        }
        if let breach = headline(o) {
            let failed = o.expectations?.results.contains { !$0.passed } ?? false
            lines.append("  \(failed ? c.red : c.yellow)worst: \(breach)\(c.reset)")
        }
        lines.append("")
        let tasks = s.touchpoints(.salesTask) > 0 ? "   sales tasks \(Format.count(s.touchpoints(.salesTask)))" : ""
        lines.append(
            "  touchpoints     email \(Format.count(s.touchpoints(.email)))   sms \(Format.count(s.touchpoints(.sms)))   push \(Format.count(s.touchpoints(.push)))   ad impressions \(Format.count(s.impressionsServed))\(tasks)"
        )
        let held = Channel.allCases.filter { s.suppressedByChannel[Int($0.rawValue)] > 0 }
            .map { "\($0) \(Format.count(s.suppressedByChannel[Int($0.rawValue)]))" }
        if !held.isEmpty {
            lines.append(
                "  held back       \(held.joined(separator: "   "))   (the platform's own consent copy or frequency cap)"
            )
        }
        lines.append(
            "  conversions     \(Format.count(s.conversions))   (organic \(Format.count(s.conversionsOrganic)), after a message \(Format.count(s.conversionsAfterMessage)))"
        )
        lines.append("")
        let after = [Channel.email, .sms, .push].map { "\($0) \(Format.count(o.postConversion($0)))" }.joined(
            separator: ", ")
        lines.append(
            "  messages after conversion   \(Format.count(s.misfires(.postConversion) - o.postConversion(.ad))) (\(after)); ad impressions \(Format.count(o.postConversion(.ad))) of \(Format.count(s.impressionsServed)) (\(Format.percent(o.postConversion(.ad), of: s.impressionsServed)))"
        )
        lines.append("  SMS to revoked consent      \(Format.count(o.smsToRevokedConsent))")
        return lines
    }

    /// Misfires by type and root cause, the overlap audit and the expectations.
    static func misfireLines(_ o: RunOverview, _ c: Palette) -> [String] {
        var lines: [String] = []
        let types = o.misfireTypesByCount
        if !types.isEmpty {
            lines.append("")
            lines.append("  misfires by type and root cause")
            for (type, count) in types {
                let causes = o.causes(of: type).map { "\($0.0) \(Format.percent($0.1, of: count))" }.joined(
                    separator: ", ")
                let tint = type.severity == .critical ? c.red : (type.severity == .major ? c.yellow : "")
                lines.append(
                    "    \(Format.pad(type.description, 16)) \(Format.padLeft(Format.count(count), 10))   \(tint)[\(type.severity)]\(tint.isEmpty ? "" : c.reset)  \(causes)"
                )
            }
        }
        let audit = o.overlapByWeek
        if !audit.isEmpty {
            lines.append(
                "  weekly overlap audit (marketing to leads sales owns): "
                    + audit.enumerated().map { "week \($0.offset + 1) \(Format.count($0.element))" }.joined(
                        separator: ", "))
        }
        if let e = o.expectations, !e.results.isEmpty {
            let failed = e.results.filter { !$0.passed }.count
            lines.append("")
            lines.append(
                "  expectations: \(e.results.count - failed) of \(e.results.count) hold"
                    + (failed > 0 ? " (`rehearse check` fails on these)" : ""))
            let rendered = e.render().split(separator: "\n").map { line -> String in
                let text = "  " + line
                if line.hasPrefix("  FAIL") { return c.red + text + c.reset }
                if line.hasPrefix("  pass") { return c.green + text + c.reset }
                return text
            }
            lines.append(rendered.joined(separator: "\n"))
        }
        return lines
    }

    /// Legal exposure, advice, faults, and where the results are.
    static func closingLines(_ o: RunOverview, _ c: Palette) -> [String] {
        var lines: [String] = []
        let s = o.summary
        let exposures = Exposure.allCases.filter { s.exposureCounts[Int($0.rawValue)] > 0 }
        if !exposures.isEmpty {
            lines.append("")
            lines.append("  legal exposure (published penalties per message)")
            for e in exposures {
                let n = s.exposureCounts[Int(e.rawValue)], (low, high) = e.dollarsPerMessage
                lines.append(
                    "    \(Format.pad(e.description, 9)) \(Format.count(n)) message(s) × $\(Format.count(low))–$\(Format.count(high)) = $\(Format.count(n * low))–$\(Format.count(n * high))   (\(e.source))"
                )
            }
        }
        let advice = o.recommendations
        if !advice.isEmpty {
            lines.append("")
            lines.append("  what would have prevented them")
            for text in advice.prefix(6) { lines.append("    - " + text) }
        }
        if !o.serveNotes.isEmpty {
            lines.append("")
            lines.append("  serve session")
            for n in o.serveNotes { lines.append("    - " + n) }
        }
        if !o.loadFigures.isEmpty {
            lines.append("")
            lines.append("  load (arrival-rate executors)")
            for l in o.loadFigures { lines.append("    - " + l.line) }
        }
        if !o.serveClients.isEmpty {
            lines.append("")
            lines.append("  clients of the fakes (per platform and credential)")
            for client in o.serveClients { lines.append("    - " + client.line) }
        }
        if !o.assumptions.isEmpty {
            lines.append("")
            lines.append("  assumed defaults (the scenario does not say; write the setting to choose another)")
            for a in o.assumptions { lines.append("    - \(a.setting): \(a.value) (\(a.source))") }
        }
        if !s.faults.isEmpty {
            lines.append("")
            lines.append("  injected faults (what each touched)")
            for f in s.faults {
                let tint = f.bit ? "" : c.yellow
                lines.append("    \(tint)\(FaultLines.describe(f))\(tint.isEmpty ? "" : c.reset)")
            }
        }
        lines.append("")
        lines.append(
            "  results         \(o.databasePath)  (\(Format.count(o.rowsWritten)) rows, \(Format.count(s.eventsProcessed)) events)"
        )
        if o.status == "complete", o.databasePath.hasSuffix(".sqlite") {
            lines.append("  reports         \(o.databasePath.dropLast(7)).{html,md,json,txt}")
        }
        lines.append("  seed \(o.seed); reproduce with: \(o.reproduceCommand)")
        return lines
    }

}
