import Yams

/// A YAML node with its position and key path, read with errors logged rather than thrown.
///
/// Decoding reads each mapping through `fields(_:)`, which reports every key not in the
/// allowed list as an error with its line, column and nearest allowed key. Unknown keys are
/// never silently ignored.
struct YAMLValue {
    let node: Node
    let path: String
    let log: DiagnosticLog

    var mark: SourceMark {
        guard let m = node.mark else { return .top }
        return SourceMark(line: m.line, column: m.column)
    }

    func error(_ message: String, suggestion: String? = nil) {
        log.error("\(path): \(message)", at: mark, suggestion: suggestion)
    }

    /// A lint warning at this value: valid, but it does nothing or contradicts another setting.
    func warn(_ message: String) { log.warn("\(path): \(message)", at: mark) }

    var isNull: Bool {
        if case .scalar(let s) = node {
            return s.tag == Tag(.null)
                || (s.style == .plain && (s.string == "~" || s.string == "null" || s.string.isEmpty))
        }
        return false
    }

    /// True when this is the plain word `word` (such as `none` or `unlimited`); logs nothing.
    func isWord(_ word: String) -> Bool {
        if case .scalar(let s) = node { return s.string == word }
        return false
    }

    /// The scalar text, or nil (with an error naming what was expected).
    func scalar(expected: String) -> String? {
        if case .scalar(let s) = node { return s.string }
        error("expected \(expected), found \(kindName)")
        return nil
    }

    var kindName: String {
        switch node {
        case .scalar: "a value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// The entries of a mapping, in file order; reports unknown keys against `allowed`.
    func fields(_ allowed: [String]?, expected: String = "a mapping") -> Fields? {
        guard case .mapping(let mapping) = node else {
            if !isNull { error("expected \(expected), found \(kindName)") }
            return isNull ? Fields(entries: [], owner: self) : nil
        }
        var entries: [(key: String, keyMark: SourceMark, value: YAMLValue)] = []
        for (k, v) in mapping {
            guard case .scalar(let ks) = k else {
                log.error("\(path): a key must be a plain name", at: mark)
                continue
            }
            let keyMark = k.mark.map { SourceMark(line: $0.line, column: $0.column) } ?? mark
            let childPath = path.isEmpty ? ks.string : "\(path).\(ks.string)"
            if let allowed, !allowed.contains(ks.string) {
                log.error(
                    "\(childPath): unknown key '\(ks.string)'; expected one of: \(allowed.joined(separator: ", "))",
                    at: keyMark, suggestion: nearMiss(ks.string, in: allowed))
                continue
            }
            entries.append((ks.string, keyMark, YAMLValue(node: v, path: childPath, log: log)))
        }
        return Fields(entries: entries, owner: self)
    }

    /// The items of a list (a single value counts as a list of one).
    func items() -> [YAMLValue] {
        switch node {
        case .sequence(let seq):
            return seq.enumerated().map { YAMLValue(node: $0.element, path: "\(path)[\($0.offset)]", log: log) }
        case .scalar:
            return isNull ? [] : [self]
        default:
            error("expected a list, found \(kindName)")
            return []
        }
    }

    struct Fields {
        let entries: [(key: String, keyMark: SourceMark, value: YAMLValue)]
        let owner: YAMLValue

        subscript(key: String) -> YAMLValue? { entries.first { $0.key == key }?.value }

        func required(_ key: String, expected: String) -> YAMLValue? {
            if let v = self[key] { return v }
            let where_ = owner.path.isEmpty ? "the top level" : owner.path
            owner.log.error("\(where_): missing required key '\(key)' (\(expected))", at: owner.mark)
            return nil
        }

        var isEmpty: Bool { entries.isEmpty }
    }
}
