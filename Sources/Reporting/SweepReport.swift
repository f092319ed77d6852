import SimKernel

/// A sweep's results for people: each figure against the varied parameter, with 95% confidence
/// intervals over the replications — a text table and a self-contained HTML page with charts.
public struct SweepReport: Sendable {
    /// One point of a curve: the parameter's position, its label, and the figure's mean ± half-width.
    public struct Point: Sendable, Equatable {
        public var x: Double
        public var label: String
        public var mean: Double
        public var halfWidth: Double
        public var n: Int
        /// The other axes' values (one line per combination in a grid); empty for one axis.
        public var series: String
        public init(x: Double, label: String, mean: Double, halfWidth: Double, n: Int, series: String = "") {
            self.x = x
            self.label = label
            self.mean = mean
            self.halfWidth = halfWidth
            self.n = n
            self.series = series
        }
    }

    public var title: String
    public var parameter: String
    /// Curves by metric name, points in parameter order.
    public var curves: [(metric: String, points: [Point])]
    public var finding: String
    public var command: String
    /// The `--find` goal, drawn as a line on its figure's chart.
    public var goal: (metric: String, op: String, bound: Double)?

    public init(
        title: String, parameter: String, curves: [(metric: String, points: [Point])], finding: String, command: String
    ) {
        self.title = title
        self.parameter = parameter
        self.curves = curves
        self.finding = finding
        self.command = command
    }

    /// Mean and the half-width of its two-sided 95% Student-t interval.
    public static func meanAndHalfWidth(_ values: [Double]) -> (mean: Double, halfWidth: Double) {
        guard !values.isEmpty else { return (0, 0) }
        let m = values.reduce(0, +) / Double(values.count)
        guard values.count > 1 else { return (m, 0) }
        let variance = values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)
        return (
            m,
            ReplicationSummary.t975(degreesOfFreedom: values.count - 1) * (variance / Double(values.count)).squareRoot()
        )
    }

    /// A figure as people read it: a share as a percent, a freshness as a duration.
    public static func value(_ v: Double, metric: String) -> String {
        if SweepMetrics.isDuration(metric) { return v < 0 ? "–" : SimDuration(roundingMilliseconds: v).description }
        if SweepMetrics.isRate(metric) { return String(format2(v * 100)) + "%" }
        return format2(v)
    }

    static func format2(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        return r == r.rounded() && abs(r) < 1e15 ? String(Int64(r)) : String(r)
    }

    public func renderText() -> String {
        var out = "Sweep of \(title) over \(parameter)\n"
        if !finding.isEmpty { out += "\n  \(finding)\n" }
        for (metric, points) in curves {
            out += "\n  \(metric) (mean ± 95% interval)\n"
            for p in points {
                let name = p.series.isEmpty ? p.label : "\(p.label), \(p.series)"
                out += "    \(Format.pad(name, 28)) \(SweepReport.value(p.mean, metric: metric))"
                out += p.n > 1 ? " ± \(SweepReport.value(p.halfWidth, metric: metric))" : ""
                out += "   (n=\(p.n))\n"
            }
        }
        out += "\n  reproduce with: \(command)\n"
        return out
    }

    public func renderMarkdown() -> String {
        var md = "## Sweep: \(title) over `\(parameter)`\n\n"
        if !finding.isEmpty { md += "**\(finding)**\n\n" }
        guard let first = curves.first else { return md }
        md += "| \(parameter) | " + curves.map { "`\($0.metric)`" }.joined(separator: " | ") + " |\n"
        md += "|---|" + curves.map { _ in "---:|" }.joined() + "\n"
        for (i, p) in first.points.enumerated() {
            md +=
                "| \(p.series.isEmpty ? p.label : "\(p.label), \(p.series)") | "
                + curves.map { c in
                    let q = c.points[i]
                    return SweepReport.value(q.mean, metric: c.metric)
                        + (q.n > 1 ? " ± " + SweepReport.value(q.halfWidth, metric: c.metric) : "")
                }.joined(separator: " | ") + " |\n"
        }
        return md + "\nReproduce with `\(command)`.\n"
    }

    public func renderHTML() -> String {
        var html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sweep: \(Format.xml(title))</title>
            <style>body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:940px;color:#1d2330}
            h1{font-size:22px}h2{font-size:16px;margin-top:28px}.finding{background:#eef4ff;border-left:4px solid #3d6fd8;padding:10px 14px}
            .small{font-size:11px;fill:#55607a}.axis{stroke:#889}.grid{stroke:#e4e7ee}code{background:#f3f4f7;padding:1px 4px}
            table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #e4e7ee;text-align:right}th:first-child,td:first-child{text-align:left}</style>
            </head><body><h1>Sweep: \(Format.xml(title))</h1><p>Varied: <code>\(Format.xml(parameter))</code>. Lines are means over
            the replications; the shaded band is the 95% confidence interval.</p>
            """
        if !finding.isEmpty { html += "<p class=\"finding\">\(HTMLReport.codeSpans(Format.xml(finding)))</p>" }
        // A figure the parameter does not move gets a line in a folded list, not a flat chart.
        let (moving, flat) = (curves.filter { !isFlat($0) }, curves.filter(isFlat))
        for (metric, points) in moving {
            let line = goal.flatMap { $0.metric == metric ? ($0.op, $0.bound) : nil }
            html +=
                "<h2>\(Format.xml(SweepMetrics.title(metric))) <span class=\"small\"><code>\(Format.xml(metric))</code></span></h2>"
                + SweepReport.bandChart(points, metric: metric, goal: line, xTitle: parameter)
        }
        if !flat.isEmpty {
            html +=
                "<details><summary>\(flat.count) figure\(flat.count == 1 ? "" : "s") the parameter did not move</summary><ul>"
                + flat.map {
                    "<li>\(Format.xml(SweepMetrics.title($0.metric))) (<code>\(Format.xml($0.metric))</code>): \(Format.xml(SweepReport.value($0.points.first?.mean ?? 0, metric: $0.metric))) at every value</li>"
                }.joined() + "</ul></details>"
        }
        html += "<h2>Reproduce</h2><p><code>\(Format.xml(command))</code></p></body></html>\n"
        return html
    }

    /// A curve whose mean is the same at every value (a figure the parameter does not move);
    /// the goal's figure is always drawn.
    func isFlat(_ curve: (metric: String, points: [Point])) -> Bool {
        guard curve.metric != goal?.metric, let first = curve.points.first else { return false }
        return curve.points.allSatisfy { abs($0.mean - first.mean) <= 1e-12 * max(1, abs(first.mean)) }
    }

    /// One line per series with its confidence band, x labelled with the parameter's values; the
    /// goal, if any, as a dashed line at its bound.
    static func bandChart(
        _ points: [Point], metric: String, goal: (op: String, bound: Double)? = nil, xTitle: String? = nil,
        width: Double = 860, height: Double = 230
    ) -> String {
        let n = SVGChart.n
        let left = 70.0, bottom = xTitle == nil ? 34.0 : 48.0, top = 22.0, right = 16.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        // Counts, rates and durations are never negative: the band stops at zero.
        let floor = points.allSatisfy { $0.mean >= 0 } ? 0.0 : -Double.infinity
        let lows = points.map { max(floor, $0.mean - $0.halfWidth) }, highs = points.map { $0.mean + $0.halfWidth }
        let minX = points.map(\.x).min() ?? 0, maxX = points.map(\.x).max() ?? 1
        let maxY = niceCeiling(max(highs.max() ?? 1, goal.map { $0.bound * 1.05 } ?? 0, 1e-9))
        let minY = min(0, lows.min() ?? 0)
        func x(_ v: Double) -> Double { left + (maxX > minX ? (v - minX) / (maxX - minX) : 0.5) * plotWidth }
        func y(_ v: Double) -> Double { top + plotHeight - (v - minY) / (maxY - minY) * plotHeight }
        var out =
            "<svg viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\">"
        for k in 0...4 {
            let v = minY + (maxY - minY) * Double(k) / 4
            out +=
                "<line x1=\"\(n(left))\" y1=\"\(n(y(v)))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(y(v)))\" class=\"grid\"/>"
            out +=
                "<text x=\"\(n(left - 6))\" y=\"\(n(y(v) + 4))\" text-anchor=\"end\" class=\"small\">\(Format.xml(value(v, metric: metric)))</text>"
        }
        var names: [String] = []
        for p in points where !names.contains(p.series) { names.append(p.series) }
        if names.count > 1 { out += SVGChart.legend(names, x: left, y: 12) }
        for (i, name) in names.enumerated() {
            let colour = names.count > 1 ? SVGChart.palette[i % SVGChart.palette.count] : "#3d6fd8"
            let line = points.filter { $0.series == name }.sorted { $0.x < $1.x }
            let band =
                line.map { "\(n(x($0.x))),\(n(y($0.mean + $0.halfWidth)))" }
                + line.reversed().map { "\(n(x($0.x))),\(n(y(max(floor, $0.mean - $0.halfWidth))))" }
            out +=
                "<polygon points=\"\(band.joined(separator: " "))\" fill=\"\(colour)\" fill-opacity=\"0.16\" stroke=\"none\"/>"
            out +=
                "<polyline points=\"\(line.map { "\(n(x($0.x))),\(n(y($0.mean)))" }.joined(separator: " "))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
            for p in line {
                out +=
                    "<circle cx=\"\(n(x(p.x)))\" cy=\"\(n(y(p.mean)))\" r=\"3\" fill=\"\(colour)\"><title>\(Format.xml(p.label)): \(Format.xml(value(p.mean, metric: metric)))</title></circle>"
            }
        }
        // Label the grid's values (not bisection points), at least 56 px apart.
        var lastLabelled = -Double.infinity
        for p in points.filter({ !$0.label.contains("bisection") }).sorted(by: { $0.x < $1.x })
        where x(p.x) - lastLabelled >= 56 {
            lastLabelled = x(p.x)
            let beyond = " (beyond the grid)"
            let label = p.label.hasSuffix(beyond) ? String(p.label.dropLast(beyond.count)) : p.label
            out +=
                "<text x=\"\(n(x(p.x)))\" y=\"\(n(top + plotHeight + 20))\" text-anchor=\"middle\" class=\"small\">\(Format.xml(label))</text>"
        }
        if let xTitle {
            out +=
                "<text x=\"\(n(left + plotWidth / 2))\" y=\"\(n(height - 6))\" text-anchor=\"middle\" class=\"small\">\(Format.xml(xTitle))</text>"
        }
        if let goal {
            let gy = n(y(goal.bound))
            out +=
                "<line x1=\"\(n(left))\" y1=\"\(gy)\" x2=\"\(n(left + plotWidth))\" y2=\"\(gy)\" stroke=\"#c62828\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>"
            out +=
                "<text x=\"\(n(left + plotWidth - 4))\" y=\"\(n(y(goal.bound) - 5))\" text-anchor=\"end\" class=\"small\" fill=\"#c62828\">goal \(Format.xml(goal.op)) \(Format.xml(value(goal.bound, metric: metric)))</text>"
        }
        out +=
            "<line x1=\"\(n(left))\" y1=\"\(n(top + plotHeight))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(top + plotHeight))\" class=\"axis\"/>"
        return out + "</svg>"
    }

    /// 1, 2, 2.5, 4, 5 or 10 times a power of ten at or above `x`, for any positive `x` (rates are below 1).
    static func niceCeiling(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return 1 }
        var scale = 1.0
        while scale > x { scale /= 10 }
        while scale * 10 < x { scale *= 10 }
        for step in [1.0, 2.0, 2.5, 4.0, 5.0, 10.0] where step * scale >= x * (1 - 1e-12) { return step * scale }
        return 10 * scale
    }
}
