import SimKernel

/// Two sets of runs compared figure by figure: what changed, and whether it is more than noise.
///
/// Each side holds one value per run (replications are seeds). For each figure where higher is
/// worse (misfires, freshness, legal exposure), the difference of the means gets a 95% interval
/// (Welch, from the replications' spread; with a single run a side counts as Poisson noise for a
/// count). A regression is a worsening whose whole interval lies above zero.
public struct Comparison: Sendable {
    public struct Row: Sendable, Equatable {
        public var figure: String
        public var base: Double
        public var new: Double
        /// Half-width of the 95% interval of `new − base`.
        public var halfWidth: Double
        public var isRegression: Bool
        public var isImprovement: Bool
    }

    public var baseRuns: Int
    public var newRuns: Int
    public var rows: [Row]
    public var regressions: [Row] { rows.filter(\.isRegression) }

    /// - Parameters: `base`, `new`: per figure name, one value per run; `counts`: figures that are counts.
    public init(base: [String: [Double]], new: [String: [Double]], counts: Set<String>) {
        baseRuns = base.values.first?.count ?? 0
        newRuns = new.values.first?.count ?? 0
        rows = base.keys.filter { new[$0] != nil }.sorted().map { name in
            let b = base[name]!, n = new[name]!
            let (mb, vb) = Comparison.meanVariance(b, count: counts.contains(name))
            let (mn, vn) = Comparison.meanVariance(n, count: counts.contains(name))
            let se = (vb / Double(b.count) + vn / Double(n.count)).squareRoot()
            let df = max(1, min(b.count, n.count) - 1)
            let half = ReplicationSummary.t975(degreesOfFreedom: b.count > 1 && n.count > 1 ? df : 1000) * se
            let diff = mn - mb
            // Durations from single runs have no noise estimate: only a change above 10% counts.
            let floor = counts.contains(name) || (b.count > 1 && n.count > 1) ? 0 : abs(mb) * 0.10
            return Row(
                figure: name, base: mb, new: mn, halfWidth: max(half, floor),
                isRegression: diff > max(half, floor) && diff > 0, isImprovement: -diff > max(half, floor))
        }
    }

    static func meanVariance(_ x: [Double], count: Bool) -> (Double, Double) {
        let m = x.reduce(0, +) / Double(x.count)
        if x.count > 1 { return (m, x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)) }
        return (m, count ? max(m, 1) : 0)
    }

    public func render() -> String {
        var lines = [
            "Comparing \(baseRuns) base run(s) with \(newRuns) new run(s): mean new − base ± 95% interval", "",
        ]
        let changed = rows.filter { $0.isRegression || $0.isImprovement }
        for r in regressions { lines.append("  REGRESSION  \(Comparison.line(r))") }
        for r in changed where r.isImprovement { lines.append("  improved    \(Comparison.line(r))") }
        if changed.isEmpty { lines.append("  no change beyond noise in \(rows.count) figures") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func line(_ r: Row) -> String {
        let isDuration = r.figure.hasSuffix("_ms")
        func f(_ x: Double) -> String {
            isDuration ? (x < 0 ? "-" : "") + SimDuration(roundingMilliseconds: abs(x)).description : v(x)
        }
        let name = isDuration ? String(r.figure.dropLast(3)) : r.figure
        let sign = r.new >= r.base ? "+" : "-"
        return "\(name): \(f(r.base)) → \(f(r.new)) (\(sign)\(f(abs(r.new - r.base))) ± \(f(r.halfWidth)))"
    }

    static func v(_ x: Double) -> String {
        let tenths = Format.whole(x * 10)
        return (tenths < 0 ? "-" : "") + Format.count(abs(tenths) / 10)
            + (tenths % 10 == 0 ? "" : ".\(abs(tenths % 10))")
    }
}
