import Foundation
import MarTechModel
import SimKernel

/// The header of a scenario: its name (which names its reports folder) and its start instant.
extension ScenarioParser {
    /// Years a run may start in.
    static let startYears = 1970...2199
    /// The largest `day N` a fault may name.
    static let dayMax = 3660

    /// The scenario's start as people read it, for messages: `2026-10-05 09:00 America/New_York`.
    var startDescription: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = clock
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: start)
        func two(_ v: Int?) -> String {
            let v = v ?? 0
            return v < 10 ? "0\(v)" : "\(v)"
        }
        return "\(p.year ?? 0)-\(two(p.month))-\(two(p.day)) \(two(p.hour)):\(two(p.minute)) \(clock.identifier)"
    }

    /// Why a text is not an instant.
    struct InstantProblem: Error {
        var message: String
        var suggestion: String?
    }

    /// An instant as people write it, every part honoured:
    /// `2026-06-01T09:00:00Z`, `2026-06-01T09:00:00+02:00`, `2026-06-01 09:00 America/New_York`,
    /// `2026-06-01T09:00` or `2026-06-01` (in `zone`, the scenario's `timezone:`).
    static func parseInstant(_ text: String, zone: TimeZone) -> Result<Date, InstantProblem> {
        let expected =
            "expected a time such as 2026-06-01T09:00:00Z, 2026-06-01T09:00:00-04:00 or 2026-06-01 09:00 America/New_York"
        func fail(_ why: String) -> Result<Date, InstantProblem> {
            .failure(InstantProblem(message: "'\(text)' \(why); \(expected)"))
        }
        let chars = Array(text.trimmedSpaces())
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= chars.count, chars[from..<(from + count)].allSatisfy({ $0.isASCII && $0.isNumber })
            else { return nil }
            return Int(String(chars[from..<(from + count)]))
        }
        guard let year = number(0, 4), chars.count >= 10, chars[4] == "-", let month = number(5, 2), chars[7] == "-",
            let day = number(8, 2)
        else { return fail("is not an instant") }
        guard startYears.contains(year) else {
            return .failure(
                InstantProblem(
                    message: "'\(text)': year \(year) is outside \(startYears.lowerBound)–\(startYears.upperBound)"))
        }
        var parts = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        var rest = chars[10...]
        if let first = rest.first, first == "T" || first == " ", rest.count >= 6, rest[rest.startIndex + 3] == ":" {
            let at = rest.startIndex + 1
            guard let h = number(at, 2), let m = number(at + 3, 2) else { return fail("has no valid time of day") }
            parts.hour = h
            parts.minute = m
            rest = chars[(at + 5)...]
            if rest.first == ":" {
                guard let s = number(rest.startIndex + 1, 2) else { return fail("has no valid seconds") }
                parts.second = s
                rest = chars[(rest.startIndex + 3)...]
                if rest.first == "." { rest = rest.drop { $0 == "." || ($0.isASCII && $0.isNumber) } }
            }
        }
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(parts.hour!),
            (0...59).contains(parts.minute!),
            (0...59).contains(parts.second!)
        else { return fail("is not a calendar date and time") }
        var timeZone = zone
        let suffix = String(rest).trimmedSpaces()
        if suffix == "Z" {
            timeZone = TimeZone(identifier: "UTC")!
        } else if let sign = suffix.first, sign == "+" || sign == "-" {
            let digits = suffix.dropFirst().filter { $0 != ":" }
            guard digits.count == 2 || digits.count == 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                let hm = Int(digits),
                let offset = TimeZone(
                    secondsFromGMT: (sign == "-" ? -1 : 1)
                        * (digits.count == 2 ? hm * 3600 : (hm / 100) * 3600 + (hm % 100) * 60))
            else { return fail("has an offset that is not ±HH:MM") }
            timeZone = offset
        } else if !suffix.isEmpty {
            guard let named = TimeZone(identifier: suffix) else {
                return .failure(
                    InstantProblem(
                        message: "'\(text)': unknown time zone '\(suffix)'",
                        suggestion: nearMiss(suffix, in: TimeZone.knownTimeZoneIdentifiers)))
            }
            timeZone = named
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard let date = calendar.date(from: parts),
            calendar.dateComponents([.year, .month, .day], from: date).day == day
        else {
            return fail("is not a calendar date")
        }
        return .success(date)
    }

    /// The longest scenario name: it names the reports folder and prefixes every file in it.
    static let nameLengthMax = 100

    /// A scenario name, which names its folder under `Reports/` as it is: letters, digits, `-`
    /// and `_` only, so that two names never share a folder and none escapes `Reports/`.
    static func scenarioName(_ value: YAMLValue) -> String? {
        guard let text = value.scalar(expected: "a name") else { return nil }
        guard !text.isEmpty else {
            value.error("the name is empty; it names the reports folder, so give one such as 'spring-winback'")
            return nil
        }
        let allowed = { (c: Character) in c.isLetter || c.isNumber || c == "-" || c == "_" }
        guard text.allSatisfy(allowed) else {
            let safe = String(text.map { allowed($0) ? $0 : "-" })
            value.error(
                "the name '\(text)' holds characters a folder name cannot keep apart; use only letters, digits, '-' and '_'",
                suggestion: Quoting.short(safe))
            return nil
        }
        guard text.count <= nameLengthMax, text.utf8.count <= 2 * nameLengthMax else {
            value.error(
                "the name is \(text.count) characters long; at most \(nameLengthMax) fit in the reports' file names")
            return nil
        }
        return text
    }
}
