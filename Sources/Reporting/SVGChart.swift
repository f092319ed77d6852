import MarTechModel

/// Small inline-SVG charts for the HTML report: no scripts, no fonts to fetch, fixed number
/// formatting, so the page is self-contained and byte-stable.
enum SVGChart {
    static let palette = [
        "#d1495b", "#edae49", "#00798c", "#30638e", "#66a182", "#8d6a9f", "#e07a5f", "#3d405b", "#81b29a", "#f2cc8f",
    ]

    static func n(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    static func esc(_ s: String) -> String { Format.xml(s) }

    /// Misfire types and root causes keep one colour each on every chart (by identity, not by
    /// position), from two palettes that share no colour, so a cause is never read as a type.
    static let typePalette = [
        // post_conversion, revoked_consent, no_consent, stale_segment, quiet_hours, minor,
        // duplicate_across_channels, sales_overlap, frequency_cap, missed_touchpoint, duplicate_send
        "#b91c1c", "#ea580c", "#f59e0b", "#db2777", "#92400e", "#7f1d1d", "#fb7185", "#c2410c", "#eab308", "#be123c",
        "#a16207",
    ]
    static let causePalette = [
        "#1d4ed8", "#0891b2", "#047857", "#7c3aed", "#64748b", "#65a30d", "#0f766e", "#a855f7", "#1e3a8a", "#334155",
        "#4d7c0f", "#155e75", "#6366f1", "#0369a1", "#14b8a6", "#8b5cf6", "#166534",
    ]
    static func typeColor(_ t: MisfireType) -> String { typePalette[Int(t.rawValue) % typePalette.count] }
    static func causeColor(_ c: MisfireCause) -> String { causePalette[Int(c.rawValue) % causePalette.count] }

    /// Legend entries wrap onto a second row rather than run past the chart's edge.
    static func legend(_ names: [String], x: Double, y: Double, colors: [String]? = nil, width: Double = 860) -> String {
        var out = "", cx = x, cy = y
        for (i, name) in names.enumerated() {
            let step = 26 + Double(name.count) * 7
            if cx + step > width && cx > x {
                cx = x
                cy += 14
            }
            let color = colors.map { $0[i % $0.count] } ?? palette[i % palette.count]
            out +=
                "<rect x=\"\(n(cx))\" y=\"\(n(cy - 9))\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
            out += "<text x=\"\(n(cx + 14))\" y=\"\(n(cy))\" class=\"small\">\(esc(name))</text>"
            cx += step
        }
        return out
    }

    /// Horizontal stacked bars: one row per label, one segment per series.
    static func stackedBars(
        rows: [(label: String, values: [Int])], series: [String], colors: [String]? = nil, width: Double = 860
    ) -> String {
        let rowHeight = 26.0, left = 230.0, top = 30.0
        let height = top + Double(rows.count) * rowHeight + 10
        let maxTotal = Double(max(1, rows.map { $0.values.reduce(0, +) }.max() ?? 1))
        var out =
            "<svg viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\">"
        out += legend(series, x: left, y: 14, colors: colors, width: width)
        for (r, row) in rows.enumerated() {
            let y = top + Double(r) * rowHeight
            out += "<text x=\"\(n(left - 8))\" y=\"\(n(y + 15))\" text-anchor=\"end\">\(esc(row.label))</text>"
            var x = left
            for (i, v) in row.values.enumerated() where v > 0 {
                // At least 3 px: a handful of critical misfires stays visible beside thousands.
                let w = max(Double(v) / maxTotal * (width - left - 90), 3)
                let color = colors.map { $0[i % $0.count] } ?? palette[i % palette.count]
                out +=
                    "<rect x=\"\(n(x))\" y=\"\(n(y + 3))\" width=\"\(n(w))\" height=\"\(n(rowHeight - 8))\" fill=\"\(color)\"><title>\(esc(series[i])): \(v)</title></rect>"
                x += w
            }
            out +=
                "<text x=\"\(n(x + 6))\" y=\"\(n(y + 15))\" class=\"small\">\(Format.count(row.values.reduce(0, +)))</text>"
        }
        return out + "</svg>"
    }

    /// Stacked columns over days: one column per day, one colour per series.
    ///
    /// `windows` shade spans of the run behind the columns (injected faults), in fractional days.
    static func stackedColumns(
        days: Int, series: [(name: String, values: [Int])], windows: [(name: String, from: Double, to: Double)] = [],
        colors: [String]? = nil, yTitle: String = "", width: Double = 860, height: Double = 240
    ) -> String {
        let left = 60.0, bottom = 30.0, top = 28.0
        let plotHeight = height - bottom - top, plotWidth = width - left - 10
        let totals = (0..<days).map { d in series.reduce(0) { $0 + (d < $1.values.count ? $1.values[d] : 0) } }
        let maxTotal = niceCeiling(Double(max(1, totals.max() ?? 1)))
        let column = plotWidth / Double(max(days, 1))
        var out =
            "<svg viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\">"
        out += legend(series.map(\.name), x: left, y: 14, colors: colors, width: width)
        out += axis(left: left, top: top, plotHeight: plotHeight, plotWidth: plotWidth, maxValue: maxTotal, unit: "")
        out += axisTitles(x: "day of the run", y: yTitle, left: left, top: top, plotHeight: plotHeight, width: width, height: height)
        for (i, w) in windows.enumerated() {
            let x0 = left + max(0, w.from) * column, x1 = left + min(Double(days), w.to) * column
            out +=
                "<rect x=\"\(n(x0))\" y=\"\(n(top))\" width=\"\(n(max(x1 - x0, 1.5)))\" height=\"\(n(plotHeight))\" fill=\"#6b7280\" fill-opacity=\"0.13\"><title>\(esc(w.name))</title></rect>"
            // Short labels (`chaos[0] outage`), staggered so neighbouring windows stay readable.
            let short = w.name.split(separator: " ").prefix(2).joined(separator: " ")
            out +=
                "<text x=\"\(n(x0 + 3))\" y=\"\(n(top + 11 + Double(i % 3) * 12))\" class=\"small\">\(esc(short))</text>"
        }
        for d in 0..<days {
            var y = top + plotHeight
            for (i, s) in series.enumerated() where d < s.values.count && s.values[d] > 0 {
                let h = Double(s.values[d]) / maxTotal * plotHeight
                y -= h
                let color = colors.map { $0[i % $0.count] } ?? palette[i % palette.count]
                out +=
                    "<rect x=\"\(n(left + Double(d) * column + 1))\" y=\"\(n(y))\" width=\"\(n(max(column - 2, 1)))\" height=\"\(n(h))\" fill=\"\(color)\"><title>day \(d) \(esc(s.name)): \(s.values[d])</title></rect>"
            }
            if days <= 40 || d % 5 == 0 {
                out +=
                    "<text x=\"\(n(left + (Double(d) + 0.5) * column))\" y=\"\(n(height - 12))\" text-anchor=\"middle\" class=\"small\">\(d)</text>"
            }
        }
        return out + "</svg>"
    }

    /// "day of the run" under the x axis and the y axis's unit, rotated, left of it.
    static func axisTitles(
        x: String, y: String, left: Double, top: Double, plotHeight: Double, width: Double, height: Double
    ) -> String {
        var out =
            "<text x=\"\(n(left + (width - left) / 2))\" y=\"\(n(height - 1))\" text-anchor=\"middle\" class=\"small\">\(esc(x))</text>"
        if !y.isEmpty {
            let cy = top + plotHeight / 2
            out +=
                "<text x=\"12\" y=\"\(n(cy))\" transform=\"rotate(-90 12 \(n(cy)))\" text-anchor=\"middle\" class=\"small\">\(esc(y))</text>"
        }
        return out
    }

    /// Lines over days (hours on the y axis): mean solid, max dashed, one colour per link.
    static func lines(
        days: Int, series: [(name: String, mean: [Double?], max: [Double?])], width: Double = 860, height: Double = 240,
        unit: String = "h", yTitle: String = ""
    ) -> String {
        let left = 60.0, bottom = 30.0, top = 28.0
        let plotHeight = height - bottom - top, plotWidth = width - left - 10
        let maxValue = niceCeiling(
            max(1, series.flatMap { $0.max.compactMap { $0 } + $0.mean.compactMap { $0 } }.max() ?? 1))
        func x(_ d: Int) -> Double { left + (Double(d) + 0.5) * plotWidth / Double(max(days, 1)) }
        func y(_ v: Double) -> Double { top + plotHeight - v / maxValue * plotHeight }
        var out =
            "<svg viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\">"
        out += legend(series.map(\.name), x: left, y: 14, width: width)
        out += axis(left: left, top: top, plotHeight: plotHeight, plotWidth: plotWidth, maxValue: maxValue, unit: unit)
        out += axisTitles(x: "day of the run", y: yTitle, left: left, top: top, plotHeight: plotHeight, width: width, height: height)
        for (i, s) in series.enumerated() {
            let colour = palette[i % palette.count]
            for (values, dash) in [(s.mean, ""), (s.max, " stroke-dasharray=\"4 3\"")] {
                let points = values.enumerated().compactMap { d, v in v.map { "\(n(x(d))),\(n(y($0)))" } }
                if points.count > 1 {
                    out +=
                        "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash)/>"
                }
                for p in points where points.count == 1 {
                    out +=
                        "<circle cx=\"\(p.split(separator: ",")[0])\" cy=\"\(p.split(separator: ",")[1])\" r=\"3\" fill=\"\(colour)\"/>"
                }
            }
        }
        for d in 0..<days where days <= 40 || d % 5 == 0 {
            out += "<text x=\"\(n(x(d)))\" y=\"\(n(height - 12))\" text-anchor=\"middle\" class=\"small\">\(d)</text>"
        }
        return out + "</svg>"
    }

    /// The smallest of 1, 2, 2.5, 4, 5 or 10 times a power of ten at or above `x`, so axis ticks (quarters) read well.
    static func niceCeiling(_ x: Double) -> Double {
        var scale = 1.0
        while scale * 10 < x { scale *= 10 }
        for step in [1.0, 2.0, 2.5, 4.0, 5.0, 10.0] where step * scale >= x { return step * scale }
        return 10 * scale
    }

    static func axis(left: Double, top: Double, plotHeight: Double, plotWidth: Double, maxValue: Double, unit: String)
        -> String
    {
        var out =
            "<line x1=\"\(n(left))\" y1=\"\(n(top + plotHeight))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(top + plotHeight))\" class=\"axis\"/>"
        for k in 0...4 {
            let v = maxValue * Double(k) / 4, y = top + plotHeight - plotHeight * Double(k) / 4
            out +=
                "<line x1=\"\(n(left))\" y1=\"\(n(y))\" x2=\"\(n(left + plotWidth))\" y2=\"\(n(y))\" class=\"grid\"/>"
            out +=
                "<text x=\"\(n(left - 6))\" y=\"\(n(y + 4))\" text-anchor=\"end\" class=\"small\">\(n(v))\(unit)</text>"
        }
        return out
    }
}
