import MarTechModel
import SimKernel

/// The Markdown report, for pull-request comments: headline, expectations, what to change,
/// misfires by cause (most severe first), the SLA table.
public enum MarkdownReport {
    public static func render(_ o: RunOverview) -> String {
        let s = o.summary
        var md =
            "## Rehearsal: \(o.scenario)\n\n\(Format.count(o.customers)) customers, seed \(o.seed), status \(o.status). "
        md += "Reproduce with `\(o.reproduceCommand)`.\n\n"
        if !o.overrides.isEmpty {
            md += "Run with " + o.overrides.map { "`\($0)`" }.joined(separator: ", ") + "; everything else as the file says.\n\n"
        }
        if let stack = o.stackLine { md += "Stack: \(stack).\n\n" }
        md += "| emails | SMS | push | ad impressions | conversions | misfires |\n|---:|---:|---:|---:|---:|---:|\n"
        md +=
            "| \(Format.count(s.touchpoints(.email))) | \(Format.count(s.touchpoints(.sms))) | \(Format.count(s.touchpoints(.push))) | \(Format.count(s.impressionsServed)) | \(Format.count(s.conversions)) | \(Format.count(s.misfiresByType.reduce(0, +))) |\n\n"
        if let e = o.expectations, !e.results.isEmpty {
            md += "### Expectations\n\n"
            for r in e.results.filter({ !$0.passed }) + e.results.filter(\.passed) {
                md += "- \(r.passed ? "✅" : "❌") `\(r.name)`: \(r.detail)\n"
            }
            md += "\n"
        }
        // What to change comes right after the verdict.
        let advice = o.recommendations
        if !advice.isEmpty { md += "### What to change\n\n" + advice.map { "- \($0)\n" }.joined() + "\n" }
        // Most severe first, then the most frequent.
        let types = o.misfireTypesByCount.sorted { ($0.0.severity.rawValue, $0.1) > ($1.0.severity.rawValue, $1.1) }
        if !types.isEmpty {
            md += "### Misfires\n\n| type | severity | count | root causes |\n|---|---|---:|---|\n"
            for (t, count) in types {
                md +=
                    "| \(t) | \(t.severity) | \(Format.count(count)) | \(o.causes(of: t).map { "\($0.0) \(Format.percent($0.1, of: count))" }.joined(separator: ", ")) |\n"
            }
            md += "\n"
        }
        md += funnel(o)
        let audit = o.overlapByWeek
        if !audit.isEmpty {
            md +=
                "### Weekly overlap audit\n\nMarketing messages to leads sales already owns: "
                + audit.enumerated().map { "week \($0.offset + 1): \(Format.count($0.element))" }.joined(
                    separator: ", ") + ".\n\n"
        }
        md +=
            "### Links\n\n| link | deliveries | p50 | p95 | p99 | max | misfires caused |\n|---|---:|---:|---:|---:|---:|---:|\n"
        for (l, name) in o.linkNames.enumerated() where l < s.links.count {
            let f = s.links[l]
            func d(_ ms: Int64) -> String { ms < 0 ? "–" : SimDuration(milliseconds: ms).description }
            md +=
                "| \(name) | \(Format.count(f.deliveries)) | \(d(f.freshnessP50)) | \(d(f.freshnessP95)) | \(d(f.freshnessP99)) | \(d(f.freshnessMax)) | \(Format.count(f.misfires)) |\n"
        }
        if s.links.contains(where: {
            $0.retries + $0.deadLetters + $0.contractViolations + $0.duplicates + $0.throttled > 0
        }) {
            md +=
                "\n| link | retries | dead letters | replayed | contract violations | duplicates | throttled |\n|---|---:|---:|---:|---:|---:|---:|\n"
            for (l, name) in o.linkNames.enumerated() where l < s.links.count {
                let f = s.links[l]
                md +=
                    "| \(name) | \(f.retries) | \(f.deadLetters) | \(f.replayed) | \(f.contractViolations) | \(f.duplicates) | \(f.throttled) |\n"
            }
        }
        if !s.faults.isEmpty {
            md +=
                "\n### Injected faults\n\n"
                + s.faults.map { "- \($0.bit ? "" : "⚠️ ")\(FaultLines.describe($0))\n" }.joined()
        }
        if !o.serveNotes.isEmpty {
            md += "\n### Serve session\n\n" + o.serveNotes.map { "- \($0)\n" }.joined()
        }
        if !o.loadFigures.isEmpty {
            md += "\n### Load\n\n" + o.loadFigures.map { "- \($0.line)\n" }.joined()
        }
        if !o.serveClients.isEmpty {
            md += "\n### Clients of the fakes\n\n" + o.serveClients.map { "- \($0.line)\n" }.joined()
        }
        if !o.assumptions.isEmpty {
            md += "\n### Assumed defaults\n\nThe scenario does not say these; write the setting to choose another.\n\n"
            md += o.assumptions.map { "- `\($0.setting)`: \($0.value) (\($0.source))\n" }.joined()
        }
        return md
    }

    /// Per step: evaluated → in audience → skipped / held back → sent → misfired.
    static func funnel(_ o: RunOverview) -> String {
        guard !o.funnelRows.isEmpty else { return "" }
        var md = "### Journey funnel\n\n| step | " + FunnelStage.allCases.map(\.description).joined(separator: " | ")
        md += " |\n|---|" + FunnelStage.allCases.map { _ in "---:|" }.joined() + "\n"
        for (name, counts) in o.funnelRows {
            md += "| \(name) | " + counts.map { Format.count($0) }.joined(separator: " | ") + " |\n"
        }
        return md + "\n"
    }
}
