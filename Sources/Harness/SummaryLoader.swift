import Foundation
import Reporting

/// Reads the figures `compare` works on from JSON summaries (a file, a database's sibling
/// `.json`, or every `.json` in a folder of replications).
public enum SummaryLoader {
    public static func jsonFiles(_ path: String) throws(HarnessError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .cannotRead(path: path, reason: "no such file or folder")
        }
        if isDirectory.boolValue {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter {
                $0.hasSuffix(".json")
            }.sorted()
            guard !names.isEmpty else { throw .cannotRead(path: path, reason: "no .json summaries in this folder") }
            return names.map { (path as NSString).appendingPathComponent($0) }
        }
        if path.hasSuffix(".sqlite") { return [String(path.dropLast(7)) + ".json"] }
        return [path]
    }

    /// Figure name → one value per file; and which figures are counts.
    public static func figures(_ path: String) throws(HarnessError) -> (values: [String: [Double]], counts: Set<String>)
    {
        var values: [String: [Double]] = [:], counts = Set<String>()
        for file in try jsonFiles(path) {
            guard let data = FileManager.default.contents(atPath: file),
                let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else {
                throw .cannotRead(path: file, reason: "not a Rehearsal JSON summary")
            }
            guard (json["schema"] as? Int) == JSONSummary.schemaVersion else {
                throw .cannotRead(
                    path: file, reason: "summary schema \(json["schema"] ?? "?") is not \(JSONSummary.schemaVersion)")
            }
            func add(_ name: String, _ v: Any?, count: Bool) {
                guard let n = (v as? NSNumber)?.doubleValue else { return }
                values[name, default: []].append(n)
                if count { counts.insert(name) }
            }
            for (type, body) in (json["misfires"] as? [String: Any]) ?? [:] {
                add("misfires.\(type)", (body as? [String: Any])?["total"], count: true)
            }
            for (link, body) in (json["links"] as? [String: Any]) ?? [:] {
                for metric in ["freshness_p50_ms", "freshness_p95_ms", "freshness_p99_ms"] {
                    add("links.\(link).\(metric)", (body as? [String: Any])?[metric], count: false)
                }
                add("links.\(link).misfires", (body as? [String: Any])?["misfires"], count: true)
            }
            for (rule, body) in (json["legal_exposure"] as? [String: Any]) ?? [:] {
                add("legal_exposure.\(rule).messages", (body as? [String: Any])?["messages"], count: true)
            }
        }
        return (values, counts)
    }
}
