import Foundation
import Yams

/// Turns measured hand-off latencies into a scenario distribution, says how well it fits, and
/// writes it into a scenario: what `calibrated.yaml` and `rehearse calibrate` are made of.
///
/// Up to 200 samples become `{empirical: [...]}` (the samples themselves: an exact fit); more
/// become a 50-bucket `{histogram: [...]}` with equal-count buckets, whose fit is the
/// Kolmogorov–Smirnov distance between its CDF and the samples' (0: identical, 1: disjoint).
public struct LatencyFit: Sendable {
    /// The distribution in scenario syntax, flow style on one line (ready after `latency:`).
    public let flow: String
    public let sampleCount: Int
    /// Largest gap between the distribution's CDF and the samples' empirical CDF.
    public let ksDistance: Double
    public let p50: Int64
    public let p95: Int64
    public let p99: Int64
    /// Buckets of the histogram (0 for an empirical distribution).
    public var bucketCount = 0

    /// A sentence on the fit, for the console and the reports.
    public var description: String {
        let kind = flow.hasPrefix("{empirical") ? "empirical (every sample)" : "histogram of \(bucketCount) equal-count buckets"
        return
            "\(sampleCount) samples; \(kind); Kolmogorov–Smirnov distance to the samples \(String(format: "%.3f", ksDistance)); samples p50 \(LatencyFit.human(p50)), p95 \(LatencyFit.human(p95)), p99 \(LatencyFit.human(p99))"
    }

    /// Fits `samples` (milliseconds, at least one; negatives are the caller's error to report).
    public static func fit(milliseconds samples: [Int64]) -> LatencyFit {
        let sorted = samples.map { max(0, $0) }.sorted()
        precondition(!sorted.isEmpty, "fit needs at least one sample")
        func q(_ p: Double) -> Int64 { sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1 < 0 ? 0 : Int((p * Double(sorted.count)).rounded(.up)) - 1)] }
        if sorted.count <= 200 {
            let flow = "{empirical: [" + sorted.map(text).joined(separator: ", ") + "]}"
            return LatencyFit(flow: flow, sampleCount: sorted.count, ksDistance: 0, p50: q(0.5), p95: q(0.95), p99: q(0.99))
        }
        // Equal-count buckets; edges that tie (many equal samples) merge, and a bucket has width ≥ 1 ms.
        var buckets: [(lo: Int64, hi: Int64, n: Int)] = []
        let per = Double(sorted.count) / 50
        var start = 0
        for b in 1...50 {
            let end = b == 50 ? sorted.count : Int((Double(b) * per).rounded())
            guard end > start else { continue }
            let lo = sorted[start], hi = max(sorted[end - 1] + 1, lo + 1)
            if let last = buckets.last, lo < last.hi {
                buckets[buckets.count - 1] = (last.lo, max(last.hi, hi), last.n + end - start)
            } else {
                buckets.append((lo, hi, end - start))
            }
            start = end
        }
        let flow =
            "{histogram: ["
            + buckets.map { "{from: \(text($0.lo)), to: \(text($0.hi)), weight: \($0.n)}" }.joined(separator: ", ") + "]}"
        // KS distance: the histogram's CDF (uniform inside each bucket) against the samples' step CDF.
        let total = Double(sorted.count)
        func histogramCDF(_ x: Double) -> Double {
            var below = 0.0
            for b in buckets {
                let lo = Double(b.lo), hi = Double(b.hi)
                if x >= hi { below += Double(b.n) } else if x > lo { below += Double(b.n) * (x - lo) / (hi - lo) }
            }
            return below / total
        }
        var ks = 0.0
        for (i, x) in sorted.enumerated() {
            let f = histogramCDF(Double(x))
            ks = max(ks, abs(f - Double(i) / total), abs(f - Double(i + 1) / total))
        }
        var fit = LatencyFit(flow: flow, sampleCount: sorted.count, ksDistance: ks, p50: q(0.5), p95: q(0.95), p99: q(0.99))
        fit.bucketCount = buckets.count
        return fit
    }

    /// Milliseconds for people: `850ms`, `12.3s`, `7.8min`, `2.5h`.
    static func human(_ ms: Int64) -> String {
        let x = Double(ms)
        if ms < 1000 { return "\(ms)ms" }
        if ms < 60_000 { return String(format: "%.1fs", x / 1000) }
        if ms < 3_600_000 { return String(format: "%.1fmin", x / 60_000) }
        return String(format: "%.1fh", x / 3_600_000)
    }

    /// Milliseconds as a scenario duration (`1500ms`, `2m`).
    static func text(_ ms: Int64) -> String {
        if ms > 0 && ms % 60_000 == 0 { return "\(ms / 60_000)m" }
        if ms > 0 && ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }

    /// The scenario text with link `name`'s mode replaced by `stream: {latency: <flow>}` (no longer
    /// external: it now states the measured timing). Comments do not survive; a header says where
    /// the numbers came from.
    public static func replaceLatency(in yaml: String, links: [String: String], header: String) throws -> String {
        guard var root = try Yams.compose(yaml: yaml), case .mapping = root else {
            throw CalibrationError.notAScenario
        }
        guard var linksNode = root["links"], case .mapping = linksNode else { throw CalibrationError.noLinks }
        for (name, flow) in links.sorted(by: { $0.key < $1.key }) {
            guard var link = linksNode[name], case .mapping(var mapping) = link else {
                throw CalibrationError.noSuchLink(name)
            }
            for key in ["batch", "poll", "stream", "external"] { mapping[Node(key)] = nil }
            guard let distribution = try Yams.compose(yaml: "latency: " + flow) else { throw CalibrationError.notAScenario }
            mapping[Node("stream")] = distribution
            link = .mapping(mapping)
            linksNode[name] = link
        }
        root["links"] = linksNode
        let body = try Yams.serialize(node: root, width: -1, sortKeys: false)
        return header.split(separator: "\n", omittingEmptySubsequences: false).map { "# " + $0 }.joined(separator: "\n")
            + "\n" + body
    }
}

public enum CalibrationError: Error, CustomStringConvertible {
    case notAScenario
    case noLinks
    case noSuchLink(String)

    public var description: String {
        switch self {
        case .notAScenario: "the scenario is not a YAML mapping"
        case .noLinks: "the scenario has no links section"
        case .noSuchLink(let name): "the scenario has no link named '\(name)'"
        }
    }
}
