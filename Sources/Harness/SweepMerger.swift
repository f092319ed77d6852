import Foundation
import Reporting
import RunStore

/// `rehearse merge`: joins the shard databases of one sweep (`--shard K/N`) into the database
/// the unsharded sweep would have written, and its reports.
public enum SweepMerger {
    public static func merge(_ paths: [String], reportsDirectory: String, command: String) throws(HarnessError)
        -> SweepOutcome
    {
        guard !paths.isEmpty else { throw .limitExceeded("name the shard databases to merge") }
        var parts: [(header: SweepStore.Header, variants: [SweepStore.Variant], samples: [SweepStore.Sample])] = []
        for p in paths {
            do { parts.append(try SweepStore.read(path: p)) } catch { throw .cannotRead(path: p, reason: "\(error)") }
        }
        let first = parts[0].header
        for (p, part) in zip(paths, parts) {
            let h = part.header
            guard h.scenarioHash == first.scenarioHash, h.vary == first.vary, h.replications == first.replications,
                h.customers == first.customers, h.baseSeed == first.baseSeed
            else {
                throw .limitExceeded(
                    "\(p) is a slice of a different sweep (scenario, --vary, replications, customers or seed differ) than \(paths[0])"
                )
            }
            guard part.variants == parts[0].variants else {
                throw .limitExceeded("\(p): its variants differ from \(paths[0])'s")
            }
        }
        let counts = parts.compactMap { part -> Int? in
            let s = part.header.shard.split(separator: "/")
            return s.count == 2 ? Int(s[1]) : nil
        }
        let expected = Set(parts.flatMap { $0.variants.map(\.id) }).count * first.replications
        var seen = Set<[Int]>()
        var samples: [SweepStore.Sample] = []
        for part in parts {
            for s in part.samples {
                samples.append(s)
                seen.insert([s.variant, s.replication])
            }
        }
        if samples.count != Set(samples.map { "\($0.variant)/\($0.replication)/\($0.metric)" }).count {
            throw .limitExceeded(
                "the shards overlap: a (variant, replication) appears in more than one; merge each slice once")
        }
        guard seen.count == expected else {
            let n = counts.first.map { " of \($0)" } ?? ""
            throw .limitExceeded(
                "the shards cover \(seen.count) of \(expected) runs: a slice\(n) is missing or was interrupted")
        }
        var header = first
        header.shard = ""
        header.status = "complete"
        header.command = command
        let directory = (reportsDirectory as NSString).appendingPathComponent(header.scenario)
        let axes = reconstructAxes(header.vary)
        var request = SweepRequest(scenarioPath: header.scenarioFile, axes: axes)
        request.replications = header.replications
        let stem = (directory as NSString).appendingPathComponent(SweepRunner.stemName(request, header: header))
        let report = SweepRunner.makeReport(
            header: header, variants: parts[0].variants, samples: samples, axes: axes, goal: nil)
        try FileAccess.makeFolder(directory)
        do {
            try SweepStore.write(path: stem + ".sqlite", header: header, variants: parts[0].variants, samples: samples)
            try SweepRunner.writeReports(report, stem: stem)
        } catch {
            throw .cannotWrite(path: stem + ".sqlite", reason: ScenarioRunner.explainWriteError(error))
        }
        return SweepOutcome(
            databasePath: stem + ".sqlite", header: header, variants: parts[0].variants, samples: samples,
            report: report, threshold: nil)
    }

    /// The axes as stored (`path=v1,v2 path=…`), for naming and reporting; positions are the stored values' order.
    static func reconstructAxes(_ vary: String) -> [SweepAxis] {
        vary.split(separator: " ").compactMap { part in
            (try? SweepAxis.parse(String(part))) ?? nil
        }
    }
}
