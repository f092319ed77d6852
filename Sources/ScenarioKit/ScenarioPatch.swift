import SimKernel
import Yams

/// Sets values at paths in a scenario's YAML: how a sweep makes its variants.
///
/// A path names mapping keys with dots and list items with `[n]`:
/// `links.crm_to_map.batch.at`, `chaos[0].outage.for`, `platforms.dsp.apply_delay`. A missing
/// last key is added (a setting the base file leaves at its default); anything else missing is
/// an error naming the part of the path that was not found.
///
/// ```swift
/// let text = try ScenarioPatch.apply(["chaos[0].outage.for": "12h"], to: yaml)
/// ```
public enum ScenarioPatch {
    public struct PatchError: Error, CustomStringConvertible {
        public var description: String
    }

    enum Step: Equatable {
        case key(String)
        case index(Int)
    }

    /// Splits `chaos[0].outage.for` into `[key chaos, index 0, key outage, key for]`.
    static func steps(_ path: String) throws(PatchError) -> [Step] {
        var out: [Step] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            var text = Substring(part)
            let first = text.firstIndex(of: "[") ?? text.endIndex
            let key = text[..<first]
            if key.isEmpty && out.isEmpty {
                throw PatchError(description: "path '\(path)' must start with a key, such as links.crm_to_map.batch.at")
            }
            if !key.isEmpty { out.append(.key(String(key))) }
            text = text[first...]
            while text.hasPrefix("[") {
                guard let close = text.firstIndex(of: "]"),
                    let n = Int(text[text.index(after: text.startIndex)..<close]), n >= 0
                else {
                    throw PatchError(description: "path '\(path)': expected an index such as [0]")
                }
                out.append(.index(n))
                text = text[text.index(after: close)...]
            }
            if !text.isEmpty { throw PatchError(description: "path '\(path)': unexpected '\(text)'") }
        }
        if out.isEmpty { throw PatchError(description: "empty path") }
        return out
    }

    /// The YAML text with each path set to its value (a scalar, or YAML such as `{lognormal: {median: 6h, sigma: 1}}`).
    public static func apply(_ values: [(path: String, value: String)], to yaml: String) throws(PatchError) -> String {
        var root: Node
        do {
            guard let composed = try Yams.compose(yaml: yaml) else {
                throw PatchError(description: "the scenario is empty")
            }
            root = composed
        } catch let error as PatchError {
            throw error
        } catch {
            throw PatchError(description: "the scenario is not valid YAML: \(error)")
        }
        for (path, value) in values {
            let replacement: Node
            do {
                replacement = try Yams.compose(yaml: value) ?? Node("")
            } catch {
                throw PatchError(description: "value '\(value)' for \(path) is not valid YAML")
            }
            root = try set(replacement, at: steps(path)[...], in: root, path: path)
        }
        do {
            return try Yams.serialize(node: root, width: -1)
        } catch {
            throw PatchError(description: "cannot write the variant: \(error)")
        }
    }

    private static func set(_ value: Node, at steps: ArraySlice<Step>, in node: Node, path: String) throws(PatchError)
        -> Node
    {
        guard let step = steps.first else { return value }
        let rest = steps.dropFirst()
        switch (step, node) {
        case (.key(let k), .mapping(var m)):
            if let child = m[k] {
                m[k] = try set(value, at: rest, in: child, path: path)
            } else if rest.isEmpty {
                m[k] = value
            } else {
                let known = Array(m.keys.compactMap(\.string))
                let hint =
                    nearMiss(k, in: known).map { "; did you mean '\($0)'?" }
                    ?? "; found \(known.joined(separator: ", "))"
                throw PatchError(description: "path '\(path)': no '\(k)' here\(hint)")
            }
            return .mapping(m)
        case (.index(let i), .sequence(var s)):
            guard i < s.count else {
                throw PatchError(description: "path '\(path)': index [\(i)] is past the end of a list of \(s.count)")
            }
            s[i] = try set(value, at: rest, in: s[i], path: path)
            return .sequence(s)
        case (.key(let k), _):
            throw PatchError(description: "path '\(path)': '\(k)' is a key, but the value here is not a mapping")
        case (.index(let i), _):
            throw PatchError(description: "path '\(path)': [\(i)] is an index, but the value here is not a list")
        }
    }
}

/// Quantities as scenario files write them, for tools around the parser (sweep ranges).
public enum ScenarioQuantity {
    /// `6h`, `90m`, `1d2h`, `250ms`.
    public static func duration(_ text: String) -> SimDuration? { YAMLValue.parseDuration(text) }
    /// `02:00` as minutes of the day.
    public static func clockMinutes(_ text: String) -> Int? { YAMLValue.parseClock(text) }
}
