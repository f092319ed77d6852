/// One problem in a scenario file, with where it is and what was expected.
public struct ScenarioDiagnostic: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    public var suggestion: String?

    public init(file: String, line: Int, column: Int, message: String, suggestion: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.suggestion = suggestion
    }

    /// `file:line:column: error: message; did you mean 'x'?` — the form compilers use, so
    /// editors and CI annotate the line.
    public var description: String {
        var text = "\(file):\(line):\(column): error: \(message)"
        if let suggestion { text += "; did you mean '\(suggestion)'?" }
        return text
    }
}

/// Every problem found in a scenario file, in file order.
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [ScenarioDiagnostic]
    public init(diagnostics: [ScenarioDiagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Collects problems instead of stopping at the first, so a user fixes a file in one pass.
final class DiagnosticLog {
    let file: String
    private(set) var diagnostics: [ScenarioDiagnostic] = []
    /// Cap so that a pathological file cannot produce an unbounded report.
    let limit = 200

    init(file: String) { self.file = file }

    func error(_ message: String, at mark: SourceMark, suggestion: String? = nil) {
        guard diagnostics.count < limit else { return }
        diagnostics.append(ScenarioDiagnostic(file: file, line: mark.line, column: mark.column, message: message, suggestion: suggestion))
    }

    var sorted: [ScenarioDiagnostic] {
        diagnostics.enumerated().sorted { a, b in
            (a.element.line, a.element.column, a.offset) < (b.element.line, b.element.column, b.offset)
        }.map(\.element)
    }
}

/// A line and column in the source, 1-based.
public struct SourceMark: Equatable, Sendable {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    static let top = SourceMark(line: 1, column: 1)
}

/// The closest candidate to a misspelt name, if one is close enough to be a likely typo
/// (for tools around the parser: `--vary` paths, `--find` metrics).
public enum NearMiss {
    public static func suggestion(for name: String, in candidates: [String]) -> String? { nearMiss(name, in: candidates) }
}

/// The closest candidate to a misspelt name, if one is close enough to be a likely typo.
func nearMiss(_ name: String, in candidates: [String]) -> String? {
    let lowered = name.lowercased()
    var best: (String, Int)?
    for candidate in candidates {
        let d = editDistance(lowered, candidate.lowercased())
        if best == nil || d < best!.1 { best = (candidate, d) }
    }
    guard let (candidate, distance) = best else { return nil }
    let allowed = max(1, min(3, candidate.count / 3))
    if distance <= allowed { return candidate }
    if candidate.lowercased().hasPrefix(lowered) && lowered.count >= 3 { return candidate }
    return nil
}

/// Levenshtein distance with adjacent transpositions counted as one edit.
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a), y = Array(b)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
    for i in 0...x.count { d[i][0] = i }
    for j in 0...y.count { d[0][j] = j }
    for i in 1...x.count {
        for j in 1...y.count {
            let cost = x[i - 1] == y[j - 1] ? 0 : 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
        }
    }
    return d[x.count][y.count]
}
