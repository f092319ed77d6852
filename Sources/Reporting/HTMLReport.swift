import MarTechModel
import SimKernel

/// The self-contained HTML report: inline CSS and SVG charts, the scenario text, no scripts and
/// no network fetches, so it opens anywhere (a CI artifact, an email attachment).
///
/// Sections: headline tiles (the verdict and critical misfires first), expectations, what to
/// change, misfires by type and root cause (most severe first), misfire timeline, freshness over
/// time per link, latency distributions, the SLA table, legal exposure, the scenario.
public enum HTMLReport {
    public static func render(_ o: RunOverview, scenarioText: String) -> String {
        header(o) + cards(o) + expectations(o) + advice(o) + misfireCharts(o) + funnel(o) + linkCharts(o) + linkTables(o)
            + platformTable(o) + sessionAndExposure(o)
            + scenarioAsRun(o, text: scenarioText) + "\n</body></html>\n"
    }

    /// The scenario as it ran: the file's text, after what the command line changed and the
    /// defaults the run assumed for what the file leaves unsaid.
    static func scenarioAsRun(_ o: RunOverview, text: String) -> String {
        var notes: [String] = []
        if !o.overrides.isEmpty {
            notes.append("Run with " + o.overrides.map { "<code>\(SVGChart.esc($0))</code>" }.joined(separator: ", "))
        }
        if !o.assumptions.isEmpty {
            let n = o.assumptions.count
            notes.append("\(n) setting\(n == 1 ? "" : "s") the file leaves unsaid took the defaults under “Assumed defaults”")
        }
        let said = notes.isEmpty ? "" : "<p class=\"sub\">" + notes.joined(separator: "; ") + "; everything else as written below.</p>"
        return "<h2>Scenario as it ran</h2>\(said)<pre>\(SVGChart.esc(text))</pre>"
    }

    /// The page head, styles and title line.
    static func header(_ o: RunOverview) -> String {
        let h = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Rehearsal: \(SVGChart.esc(o.scenario)) (seed \(o.seed))</title>
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:920px;color:#222;background:#fff}
            h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
            .sub{color:#666;font-size:13px} .cards{display:flex;gap:10px;flex-wrap:wrap;margin:14px 0}
            .card{border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:120px} .card b{display:block;font-size:20px}
            table{border-collapse:collapse;font-size:13px;width:100%} td,th{border-bottom:1px solid #eee;padding:4px 6px;text-align:left}
            th{background:#f6f6f6} .num{text-align:right;font-variant-numeric:tabular-nums}
            .pass{color:#2e7d32;font-weight:600} .fail{color:#c62828;font-weight:600}
            .card.bad{border-color:#c62828;background:#fdecea} .card.good{border-color:#2e7d32;background:#edf7ee}
            code{background:#f3f4f6;padding:0 3px;border-radius:3px;font-size:12.5px}
            svg text{font-size:12px;fill:#333} svg .small{font-size:11px;fill:#555} svg .axis{stroke:#999} svg .grid{stroke:#eee}
            pre{background:#f7f7f7;padding:10px;font-size:12px;overflow:auto;border-radius:4px} li{margin:4px 0;font-size:14px}
            </style></head><body>
            <h1>Rehearsal: \(SVGChart.esc(o.scenario))</h1>
            <div class="sub">\(Format.count(o.customers)) customers · \(SVGChart.n(o.horizonDays)) days · seed \(o.seed) · status \(o.status) · reproduce with <code>\(SVGChart.esc(o.reproduceCommand))</code>\(o.stackLine.map { "<br>stack: " + SVGChart.esc($0) } ?? "")</div>
            <div class="cards">
            """
        return h
    }

    /// Headline tiles: the verdict on the expectations and the critical (legal) misfires first,
    /// then messages, impressions, conversions, misfires.
    static func cards(_ o: RunOverview) -> String {
        let s = o.summary
        var h = ""
        let misfireTotal = s.misfiresByType.reduce(0, +)
        if let e = o.expectations, !e.results.isEmpty {
            let failed = e.results.filter { !$0.passed }.count
            h +=
                failed > 0
                ? "<div class=\"card bad\"><b>FAIL</b>\(failed) of \(e.results.count) expectations failed</div>"
                : "<div class=\"card good\"><b>PASS</b>all \(e.results.count) expectations met</div>"
        }
        let critical = MisfireType.allCases.filter { $0.severity == .critical }.reduce(0) { $0 + s.misfires($1) }
        h +=
            "<div class=\"card \(critical > 0 ? "bad" : "good")\"><b>\(Format.count(critical))</b>critical misfires (consent, quiet hours, minors)</div>"
        for (label, value) in [
            ("emails", s.touchpoints(.email)), ("SMS", s.touchpoints(.sms)), ("push", s.touchpoints(.push)),
            ("ad impressions", s.impressionsServed), ("conversions", s.conversions), ("misfires", misfireTotal),
        ] {
            h += "<div class=\"card\"><b>\(Format.count(value))</b>\(label)</div>"
        }
        h += "</div>\n"
        return h
    }

    /// The expectations, failures first.
    static func expectations(_ o: RunOverview) -> String {
        var h = ""
        if let e = o.expectations, !e.results.isEmpty {
            h += "<h2>Expectations</h2><table><tr><th></th><th>expectation</th><th>measured</th></tr>"
            for r in e.results.filter({ !$0.passed }) + e.results.filter(\.passed) {
                h +=
                    "<tr><td class=\"\(r.passed ? "pass" : "fail")\">\(r.passed ? "pass" : "FAIL")</td><td>\(SVGChart.esc(r.name))</td><td>\(SVGChart.esc(r.detail))</td></tr>"
            }
            h += "</table>\n"
        }
        return h
    }

    /// Misfires by type and root cause, the weekly overlap audit and the misfire timeline.
    static func misfireCharts(_ o: RunOverview) -> String {
        let s = o.summary
        var h = ""
        // Most severe first, then the most frequent: a critical misfire heads every chart and list.
        let types = MisfireType.allCases.filter { s.misfires($0) > 0 }
            .sorted { ($0.severity.rawValue, s.misfires($0)) > ($1.severity.rawValue, s.misfires($1)) }
        let audit = o.overlapByWeek
        if !audit.isEmpty {
            h +=
                "<h2>Weekly overlap audit</h2><p>Marketing messages to leads sales already owns: "
                + audit.enumerated().map { "week \($0.offset + 1): <b>\(Format.count($0.element))</b>" }.joined(
                    separator: ", ") + ".</p>\n"
        }
        h += "<h2>Misfires by type and root cause</h2>"
        if types.isEmpty {
            h += "<p>No misfires.</p>"
        } else {
            let causes = MisfireCause.allCases.filter { c in
                types.contains { s.misfiresByTypeAndCause[Int($0.rawValue)][Int(c.rawValue)] > 0 }
            }
            let rows = types.map { t in
                ("\(t.description) [\(t.severity)]", causes.map { s.misfiresByTypeAndCause[Int(t.rawValue)][Int($0.rawValue)] })
            }
            h += SVGChart.stackedBars(
                rows: rows, series: causes.map(\.description), colors: causes.map(SVGChart.causeColor))
            h += "<h2>Misfire timeline (per day of the run\(s.faults.isEmpty ? "" : "; injected faults shaded"))</h2>"
            let days = s.misfiresByDay.first?.count ?? 0
            let windows = s.faults.map {
                (name: $0.name, from: Double($0.startMs) / 86_400_000, to: Double($0.endMs) / 86_400_000)
            }
            h += SVGChart.stackedColumns(
                days: days, series: types.map { ($0.description, s.misfiresByDay[Int($0.rawValue)]) }, windows: windows,
                colors: types.map(SVGChart.typeColor), yTitle: "misfires per day")
        }
        return h
    }

    /// Freshness, backlog and latency charts per link.
    static func linkCharts(_ o: RunOverview) -> String {
        let s = o.summary
        var h = ""
        let linked = o.linkNames.indices.filter { $0 < s.links.count && s.links[$0].deliveries > 0 }
        if !linked.isEmpty {
            h += "<h2>Freshness over time (truth change → visible at the destination; mean solid, max dashed)</h2>"
            let days = s.links[linked[0]].daily.count
            h += SVGChart.lines(
                days: days,
                series: linked.map { l in
                    (
                        o.linkNames[l],
                        s.links[l].daily.map { $0.deliveries > 0 ? Double($0.meanMs) / 3_600_000 : nil },
                        s.links[l].daily.map { $0.deliveries > 0 ? Double($0.maxMs) / 3_600_000 : nil }
                    )
                }, yTitle: "freshness (hours)")
            h += "<h2>Backlog over time (most records waiting or in flight per day)</h2>"
            h += SVGChart.lines(
                days: days,
                series: linked.map { l in
                    (
                        o.linkNames[l], s.links[l].backlogMaxByDay.map { Double($0) },
                        s.links[l].backlogMaxByDay.map { _ in nil }
                    )
                }, unit: "", yTitle: "records waiting")
            h += "<h2>Latency distributions (deliveries per freshness bucket)</h2>"
            let bucketNames = [
                "≤1s", "≤10s", "≤1m", "≤5m", "≤15m", "≤1h", "≤3h", "≤6h", "≤12h", "≤1d", "≤2d", "≤4d", ">4d",
            ]
            let used = bucketNames.indices.filter { b in linked.contains { s.links[$0].histogram[b] > 0 } }
            h += SVGChart.stackedBars(
                rows: used.map { b in (bucketNames[b], linked.map { s.links[$0].histogram[b] }) },
                series: linked.map { o.linkNames[$0] })
        }
        return h
    }

    /// The SLA table, link failures and injected faults.
    static func linkTables(_ o: RunOverview) -> String {
        let s = o.summary
        var h = ""
        h +=
            "<h2>Links (SLA)</h2><table><tr><th>link</th><th class=\"num\">deliveries</th><th class=\"num\">completeness</th><th class=\"num\">p50</th><th class=\"num\">p95</th><th class=\"num\">p99</th><th class=\"num\">max</th><th class=\"num\">misfires caused</th></tr>"
        for (l, name) in o.linkNames.enumerated() where l < s.links.count {
            let f = s.links[l]
            func d(_ ms: Int64) -> String { ms < 0 ? "–" : SimDuration(milliseconds: ms).description }
            h +=
                "<tr><td>\(SVGChart.esc(name))</td><td class=\"num\">\(Format.count(f.deliveries))</td><td class=\"num\">\(ExpectationReport.percent(f.completeness))</td><td class=\"num\">\(d(f.freshnessP50))</td><td class=\"num\">\(d(f.freshnessP95))</td><td class=\"num\">\(d(f.freshnessP99))</td><td class=\"num\">\(d(f.freshnessMax))</td><td class=\"num\">\(Format.count(f.misfires))</td></tr>"
        }
        h += "</table>\n"
        if s.links.contains(where: {
            $0.retries + $0.deadLetters + $0.contractViolations + $0.duplicates + $0.throttled > 0
        }) {
            h +=
                "<h2>Link failures (retries, dead letters, contract violations)</h2><table><tr><th>link</th><th class=\"num\">retries</th><th class=\"num\">dead letters</th><th class=\"num\">replayed</th><th class=\"num\">contract violations</th><th class=\"num\">duplicates</th><th class=\"num\">throttled</th></tr>"
            for (l, name) in o.linkNames.enumerated() where l < s.links.count {
                let f = s.links[l]
                h +=
                    "<tr><td>\(SVGChart.esc(name))</td>"
                    + [f.retries, f.deadLetters, f.replayed, f.contractViolations, f.duplicates, f.throttled]
                    .map { "<td class=\"num\">\(Format.count($0))</td>" }.joined() + "</tr>"
            }
            h += "</table>\n"
        }
        if !s.faults.isEmpty {
            h +=
                "<h2>Injected faults (what each touched)</h2><ul>"
                + s.faults.map {
                    "<li\($0.bit ? "" : " style=\"color:#b45309\"")>\(SVGChart.esc(FaultLines.describe($0)))</li>"
                }.joined() + "</ul>\n"
        }
        return h
    }

    /// Decision-to-delivery latency per sending platform.
    static func platformTable(_ o: RunOverview) -> String {
        let s = o.summary
        var h = ""
        let senders = o.platformNames.indices.filter { $0 < s.platforms.count && s.platforms[$0].deliveries > 0 }
        if !senders.isEmpty {
            h +=
                "<h2>Platforms (decision → delivered)</h2><table><tr><th>platform</th><th class=\"num\">messages</th><th class=\"num\">latency p50</th><th class=\"num\">p95</th><th class=\"num\">max</th><th class=\"num\">busiest day</th></tr>"
            for p in senders {
                let f = s.platforms[p]
                let busiest = f.perDay.enumerated().max { $0.element < $1.element }!
                h +=
                    "<tr><td>\(SVGChart.esc(o.platformNames[p]))</td><td class=\"num\">\(Format.count(f.deliveries))</td><td class=\"num\">\(SimDuration(milliseconds: f.latencyP50))</td><td class=\"num\">\(SimDuration(milliseconds: f.latencyP95))</td><td class=\"num\">\(SimDuration(milliseconds: f.latencyMax))</td><td class=\"num\">day \(busiest.offset): \(Format.count(busiest.element))</td></tr>"
            }
            h += "</table>\n"
        }
        return h
    }

    /// What would have prevented the misfires, right after the expectations; `setting: value`
    /// spans in backticks are shown as code.
    static func advice(_ o: RunOverview) -> String {
        let advice = o.recommendations
        guard !advice.isEmpty else { return "" }
        return "<h2>What to change</h2><ul>" + advice.map { "<li>\(codeSpans(SVGChart.esc($0)))</li>" }.joined()
            + "</ul>\n"
    }

    /// `a` → <code>a</code>, for text already escaped.
    static func codeSpans(_ escaped: String) -> String {
        let parts = escaped.split(separator: "`", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return escaped }
        return parts.enumerated().map { i, part in
            i % 2 == 1 && i < parts.count - 1 ? "<code>\(part)</code>" : (i % 2 == 1 ? "`" + part : String(part))
        }.joined()
    }

    /// Per step: evaluated → in audience → skipped / held back → sent → misfired.
    static func funnel(_ o: RunOverview) -> String {
        let rows = o.funnelRows
        guard !rows.isEmpty else { return "" }
        var h =
            "<h2>Journey funnel (what each step's decisions came to)</h2><table><tr><th>step</th>"
            + FunnelStage.allCases.map { "<th class=\"num\">\($0)</th>" }.joined() + "</tr>"
        for (name, counts) in rows {
            h += "<tr><td>\(SVGChart.esc(name))</td>"
            for stage in FunnelStage.allCases {
                let v = counts[stage.rawValue]
                let bad = stage == .misfired && v > 0
                h += "<td class=\"num\(bad ? " fail" : "")\">\(Format.count(v))</td>"
            }
            h += "</tr>"
        }
        return h + "</table>\n"
    }

    /// Serve sessions' notes, load and clients, assumed defaults, and the legal exposure.
    static func sessionAndExposure(_ o: RunOverview) -> String {
        let s = o.summary
        var h = ""
        if !o.serveNotes.isEmpty {
            h += "<h2>Serve session</h2><ul>" + o.serveNotes.map { "<li>\(SVGChart.esc($0))</li>" }.joined() + "</ul>\n"
        }
        if !o.loadFigures.isEmpty {
            h += "<h2>Load</h2><ul>" + o.loadFigures.map { "<li>\(SVGChart.esc($0.line))</li>" }.joined() + "</ul>\n"
        }
        if !o.serveClients.isEmpty {
            func ms(_ us: Int) -> String { String(Double(us / 10) / 100) + " ms" }
            h +=
                "<h2>Clients of the fakes</h2><table><tr><th>platform</th><th>client</th><th>requests</th><th>ok</th><th>429</th><th>5xx</th><th>other 4xx</th><th>retries</th><th>Retry-After honoured / ignored</th><th>gave up</th><th>fake p50 / p99</th></tr>"
                + o.serveClients.map { c in
                    "<tr><td>\(SVGChart.esc(c.platform))</td><td><code>\(SVGChart.esc(c.client))</code></td><td>\(c.requests)</td><td>\(c.succeeded)</td><td>\(c.throttled)</td><td>\(c.serverErrors)</td><td>\(c.clientErrors)</td><td>\(c.retries)</td><td>\(c.retryAfterHonoured) / \(c.retryAfterIgnored)</td><td>\(c.gaveUp)</td><td>\(ms(c.p50Microseconds)) / \(ms(c.p99Microseconds))</td></tr>"
                }.joined() + "</table>\n"
        }
        if !o.assumptions.isEmpty {
            h +=
                "<h2>Assumed defaults</h2><p>The scenario does not say these; write the setting to choose another.</p><ul>"
                + o.assumptions.map {
                    "<li><code>\(SVGChart.esc($0.setting))</code>: \(SVGChart.esc($0.value)) (\(SVGChart.esc($0.source)))</li>"
                }.joined() + "</ul>\n"
        }
        let exposures = Exposure.allCases.filter { s.exposureCounts[Int($0.rawValue)] > 0 }
        if !exposures.isEmpty {
            h +=
                "<h2>Legal exposure (published penalties)</h2><table><tr><th>rule</th><th class=\"num\">messages</th><th class=\"num\">range</th><th>source</th></tr>"
            for e in exposures {
                let count = s.exposureCounts[Int(e.rawValue)], (low, high) = e.dollarsPerMessage
                h +=
                    "<tr><td>\(e)</td><td class=\"num\">\(Format.count(count))</td><td class=\"num\">$\(Format.count(count * low))–$\(Format.count(count * high))</td><td>\(SVGChart.esc(e.source))</td></tr>"
            }
            h += "</table>\n"
        }
        return h
    }
}
