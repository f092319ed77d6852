/// One problem in a scenario file, with where it is and what was expected.
public struct ScenarioDiagnostic: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    public var suggestion: String?
    /// A warning: the file is valid, but a setting does nothing or contradicts another.
    public var isWarning = false

    public init(
        file: String, line: Int, column: Int, message: String, suggestion: String? = nil, isWarning: Bool = false
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.suggestion = suggestion
        self.isWarning = isWarning
    }

    /// `file:line:column: error: message; did you mean 'x'?` — the form compilers use, so
    /// editors and CI annotate the line.
    public var description: String {
        var text = "\(file):\(line):\(column): \(isWarning ? "warning" : "error"): \(message)"
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
    /// Settings that do nothing or contradict another: the file is valid, the user is told.
    private(set) var warnings: [ScenarioDiagnostic] = []
    /// Cap so that a pathological file cannot produce an unbounded report.
    let limit = 200

    init(file: String) { self.file = file }

    func error(_ message: String, at mark: SourceMark, suggestion: String? = nil) {
        guard diagnostics.count < limit else { return }
        diagnostics.append(
            ScenarioDiagnostic(
                file: file, line: mark.line, column: mark.column, message: Quoting.shortened(message),
                suggestion: suggestion))
    }

    func warn(_ message: String, at mark: SourceMark) {
        guard warnings.count < limit else { return }
        warnings.append(
            ScenarioDiagnostic(
                file: file, line: mark.line, column: mark.column, message: Quoting.shortened(message), isWarning: true))
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
    public static func suggestion(for name: String, in candidates: [String]) -> String? {
        nearMiss(name, in: candidates)
    }
}

/// The closest candidate to a misspelt name, if one is close enough to be a likely typo.
func nearMiss(_ name: String, in candidates: [String]) -> String? { nearMissCounted(name, in: candidates).suggestion }

/// Names longer than this get no suggestion: no candidate is a typo away from them.
let nearMissLengthMax = 100

/// `nearMiss`, and the number of edit-distance cells it computed (the work, for tests that bound it).
///
/// A suggestion is at most three edits away (or a prefix of the candidate), so a candidate whose
/// length differs by more than three is skipped without comparing; a name longer than
/// `nearMissLengthMax` is compared with nothing. The work is at most candidates × 100 × 103.
func nearMissCounted(_ name: String, in candidates: [String]) -> (suggestion: String?, work: Int) {
    guard name.count <= nearMissLengthMax else { return (nil, 0) }
    let lowered = Array(name.lowercased())
    var best: (candidate: String, distance: Int)?
    var shortestExtension: String?
    var work = 0
    for candidate in candidates {
        let other = Array(candidate.lowercased())
        if lowered.count >= 3 && other.count > lowered.count && other.starts(with: lowered)
            && (shortestExtension == nil || candidate.count < shortestExtension!.count)
        {
            shortestExtension = candidate
        }
        guard abs(other.count - lowered.count) <= 3 else { continue }
        let d = editDistance(lowered, other)
        work += (lowered.count + 1) * (other.count + 1)
        if d <= max(1, min(3, candidate.count / 3)) && (best == nil || d < best!.distance) { best = (candidate, d) }
    }
    return (best?.candidate ?? shortestExtension, work)
}

/// Levenshtein distance with adjacent transpositions counted as one edit.
func editDistance(_ x: [Character], _ y: [Character]) -> Int {
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    // Three rows: the one before last (for transpositions), the last and the current.
    var before = [Int](repeating: 0, count: y.count + 1)
    var last = Array(0...y.count)
    var row = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        row[0] = i
        for j in 1...y.count {
            let cost = x[i - 1] == y[j - 1] ? 0 : 1
            row[j] = min(last[j] + 1, row[j - 1] + 1, last[j - 1] + cost)
            if i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] {
                row[j] = min(row[j], before[j - 2] + 1)
            }
        }
        (before, last, row) = (last, row, before)
    }
    return last[y.count]
}

func editDistance(_ a: String, _ b: String) -> Int { editDistance(Array(a), Array(b)) }

/// Keeps user text quoted in a message short: a value of a megabyte is named by its start and its length.
enum Quoting {
    static let lengthMax = 80

    /// `abc…` for a long string: its first 60 characters and how many there were.
    static func short(_ text: String) -> String {
        guard text.count > lengthMax else { return text }
        return String(text.prefix(60)) + "… (\(text.count) characters)"
    }

    /// The longest message kept whole (a list of names the file declares can be long).
    static let messageLengthMax = 600

    /// Every `'quoted'` stretch of a message longer than `lengthMax` shortened, then the message
    /// itself cut at `messageLengthMax`.
    static func shortened(_ message: String) -> String {
        guard message.count > lengthMax else { return message }
        let parts = message.split(separator: "'", omittingEmptySubsequences: false)
        let quoted =
            parts.count < 3
            ? message
            : parts.enumerated().map { i, part in i % 2 == 1 && i < parts.count - 1 ? short(String(part)) : String(part)
            }
            .joined(separator: "'")
        guard quoted.count > messageLengthMax else { return quoted }
        return String(quoted.prefix(messageLengthMax - 100)) + "… (\(quoted.count) characters in all)"
    }
}
