import Foundation
import Testing

@testable import ScenarioKit

private func diagnostics(_ text: String) -> [ScenarioDiagnostic] {
    do {
        _ = try Scenario.parse(yaml: text, sourceName: "bad.yaml")
        return []
    } catch {
        return error.diagnostics
    }
}

/// Should name file, line and column, say what was expected, and suggest the near miss.
@Suite struct ScenarioErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var find: String
        var replacement: String
        var line: Int
        var column: Int
        var message: String
        var suggestion: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "unknown platform reference", find: "from: crm", replacement: "    from: crn", line: 18, column: 11,
            message: "unknown platform 'crn'", suggestion: "crm"),
        Case(
            name: "unknown top-level key", find: "seed: 7", replacement: "sed: 7", line: 2, column: 1,
            message: "unknown key 'sed'", suggestion: "seed"),
        Case(
            name: "unknown platform kind", find: "map: {kind: map",
            replacement: "  map: {kind: mpa, frequency_cap: 3/7d}", line: 14, column: 15,
            message: "unknown platform kind 'mpa'", suggestion: "map"),
        Case(
            name: "bad duration", find: "duration: 14d", replacement: "duration: 14 days", line: 4, column: 11,
            message: "is not a duration"),
        Case(
            name: "bad rate", find: "organic_conversion", replacement: "    organic_conversion: 2%", line: 11,
            column: 25,
            message: "is not a rate"),
        Case(
            name: "share above one", find: "consent:", replacement: "  consent: {email: 1.9, sms: 0.3}", line: 9,
            column: 20,
            message: "outside 0..1"),
        Case(
            name: "bad clock time", find: "batch: {at", replacement: "    batch: {at: \"25:00\", runs_for: 45m}",
            line: 21, column: 17,
            message: "is not a clock time"),
        Case(
            name: "missing required key", find: "    to: map", replacement: "", line: 18, column: 5,
            message: "missing required key 'to'"),
        Case(
            name: "unknown field carried", find: "carries: [segments",
            replacement: "    carries: [segmnets, conversions]", line: 20, column: 15,
            message: "unknown field 'segmnets'", suggestion: "segments"),
        Case(
            name: "two link modes", find: "stream: {latency",
            replacement: "    stream: {latency: 5m}\n    batch: {every: 1h}", line: 23, column: 5,
            message: "a link has one mode"),
        Case(
            name: "unknown channel", find: "name: first",
            replacement: "    - {name: first, day: 1, at: \"10:00\", via: map, channel: emial}", line: 30, column: 61,
            message: "unknown channel 'emial'", suggestion: "email"),
        Case(
            name: "unknown segment", find: "audience:", replacement: "  audience: {segment: inactiv}", line: 28,
            column: 23,
            message: "unknown segment 'inactiv'", suggestion: "inactive"),
        Case(
            name: "step after the horizon", find: "name: text",
            replacement: "    - {name: text, day: 30, at: \"10:00\", via: sms}", line: 31, column: 7,
            message: "after the end of the run"),
        Case(
            name: "unknown time zone", find: "customers: 100",
            replacement: "  customers: 100\n  timezones: {America/New_Yrok: 1}", line: 7, column: 15,
            message: "unknown time zone 'America/New_Yrok'", suggestion: "America/New_York"),
        Case(
            name: "too many customers", find: "customers: 100", replacement: "  customers: 2000000000", line: 6,
            column: 14,
            message: "outside the allowed range"),
        Case(
            name: "unknown fault key", find: "name: text",
            replacement:
                "    - {name: text, day: 3, at: \"10:00\", via: sms, decided_by: map}\nchaos:\n  - {at: \"day 1\", outage: {platfrom: map, for: 3h}}",
            line: 33, column: 28,
            message: "unknown key 'platfrom'", suggestion: "platform"),
        Case(
            name: "unknown fault kind", find: "name: text",
            replacement:
                "    - {name: text, day: 3, at: \"10:00\", via: sms, decided_by: map}\nchaos:\n  - {at: \"day 1\", outgae: {platform: map}}",
            line: 33, column: 19,
            message: "unknown key 'outgae'", suggestion: "outage"),
        Case(
            name: "bad rate limit", find: "name: text",
            replacement:
                "    - {name: text, day: 3, at: \"10:00\", via: sms, decided_by: map}\nchaos:\n  - {at: \"day 1\", rate_limit: {link: crm_to_sms, requests: fast}}",
            line: 33, column: 60,
            message: "not a rate", suggestion: nil),
        Case(
            name: "YAML syntax", find: "crm: {kind: crm}", replacement: "  crm: {kind: crm", line: 14, column: 6,
            message: "YAML syntax"),
    ]

    @Test(arguments: cases)
    func reportsPositionAndNearMiss(_ c: Case) throws {
        let found = diagnostics(mutate(c.find, c.replacement))
        let d = try #require(
            found.first { $0.message.contains(c.message) }, "no diagnostic containing '\(c.message)' in \(found)")
        #expect(d.file == "bad.yaml")
        #expect(d.line == c.line, "\(d)")
        #expect(d.column == c.column, "\(d)")
        #expect(d.suggestion == c.suggestion, "\(d)")
    }

    /// A link whose names exist but stand for nothing here (`segments` with no segment declared)
    /// is an error at the link, not a silently missing link that later references call unknown.
    @Test func aLinkCarryingNothingIsNamed() {
        let text = """
            name: x
            duration: 2d
            population: {customers: 10}
            platforms: {crm: {kind: crm}, map: {kind: map}}
            links: {l: {from: crm, to: map, carries: [segments], stream: {latency: 1m}}}
            campaign: {steps: [{name: a, day: 1, at: "10:00", via: map}]}
            """
        let found = diagnostics(text)
        #expect(found.contains { $0.line == 5 && $0.message.contains("carries nothing this scenario has") }, "\(found)")
    }

    @Test func collectsEveryProblemNotJustTheFirst() {
        var text = mutate("seed: 7", "sed: 7")
        text = text.replacingOccurrences(of: "from: crm", with: "from: crn")
        text = text.replacingOccurrences(of: "duration: 14d", with: "duration: forever")
        let found = diagnostics(text)
        #expect(found.count >= 4, "\(found)")
        #expect(found.map(\.line) == found.map(\.line).sorted(), "in file order")
    }

    @Test func descriptionReadsLikeACompilerError() {
        let d = ScenarioDiagnostic(
            file: "x.yaml", line: 3, column: 9, message: "links.a.from: unknown platform 'crn'", suggestion: "crm")
        #expect(d.description == "x.yaml:3:9: error: links.a.from: unknown platform 'crn'; did you mean 'crm'?")
    }

    /// Nine levels of aliases, each listing the previous nine times: 9^9 nodes once expanded.
    @Test func aliasBombIsRefusedQuickly() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 {
            text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        let found = diagnostics(text)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("more than 100000 YAML nodes") == true, "\(found)")
    }

    @Test func deepNestingIsRefused() {
        let text = "name: " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "\n"
        #expect(diagnostics(text).first?.message.contains("deeper than 64") == true)
    }

    @Test func emptyFileIsAnError() {
        #expect(diagnostics("").first?.message.contains("empty") == true)
    }
}

/// Should refuse per-customer behaviour rates no customer has, with the likely typo named.
@Suite struct RateLimitTests {
    @Test func aRateAboveAThousandADayIsRefused() throws {
        let text = mutate("organic_conversion", "    organic_conversion: 0.02/s")
        do {
            _ = try Scenario.parse(yaml: text, sourceName: "r.yaml")
            Issue.record("0.02/s must be refused")
        } catch {
            #expect(
                error.diagnostics.first?.message.contains("above the limit of 1000/d per customer (did you mean /d?)")
                    == true)
            #expect(error.diagnostics.first?.line == 11)
        }
    }
}

/// Should find near misses with bounded work, and quote long values short (issue 12: a 1 MB
/// unknown time zone took 162 s and was repeated whole in the message).
@Suite struct NearMissWorkTests {
    @Test func aMegabyteNameIsComparedWithNothing() {
        let zones = TimeZoneNames.all
        let huge = String(repeating: "Zx", count: 500_000)
        let (suggestion, work) = nearMissCounted(huge, in: zones)
        #expect(suggestion == nil && work == 0)
    }

    @Test func workIsBoundedByCandidatesOfSimilarLength() {
        let zones = TimeZoneNames.all
        let name = String(repeating: "q", count: 100)
        let (_, work) = nearMissCounted(name, in: zones)
        // Only candidates within three characters of the name's length are compared.
        #expect(work <= zones.count * 101 * 104)
        let typo = nearMissCounted("America/New_Yrok", in: zones)
        #expect(typo.suggestion == "America/New_York")
        #expect(typo.work <= zones.count * 17 * 20, "\(typo.work) cells")
        #expect(nearMiss("Amer", in: ["America/New_York", "UTC"]) == "America/New_York")
    }

    @Test func longQuotedValuesAreShortened() {
        let value = String(repeating: "a", count: 10_000)
        let message = Quoting.shortened("unknown time zone '\(value)'")
        #expect(message.count < 150 && message.contains("(10000 characters)"))
        #expect(Quoting.shortened("short 'x' message") == "short 'x' message")
        let list = (0..<500).map { "name\($0)" }.joined(separator: ", ")
        #expect(Quoting.shortened("the scenario declares: \(list)").count <= Quoting.messageLengthMax)
    }
}

private enum TimeZoneNames { static let all = TimeZone.knownTimeZoneIdentifiers }
