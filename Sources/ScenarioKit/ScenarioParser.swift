import Foundation
import MarTechModel
import SimKernel
import Yams

/// Turns YAML text into a `Scenario`, logging every problem with its position.
///
/// Sections are read in dependency order (population defines fields, platforms are named
/// before links refer to them), each in its own `ScenarioParser+Section.swift`.
final class ScenarioParser {
    let text: String
    let sourceName: String
    let log: DiagnosticLog

    // Built up while reading.
    var fields: [FieldSpec] = [
        FieldSpec(name: "converted", category: .conversion),
        FieldSpec(name: "consent.email", category: .consent),
        FieldSpec(name: "consent.sms", category: .consent),
        FieldSpec(name: "consent.push", category: .consent),
    ]
    var population = PopulationPlan()
    var behavior = BehaviorPlan()
    var platforms: [PlatformPlan] = []
    var platformMarks: [String: SourceMark] = [:]
    var links: [LinkPlan] = []
    var campaign = CampaignPlan(audience: [], goal: nil, steps: [], retargeting: [])
    var faults: [FaultPlan] = []
    var load: [LoadPlan] = []
    /// Each link's `carries` node, in `links` order (for lint warnings placed on it).
    var linkCarries: [YAMLValue] = []
    /// Each `frequency_cap` node and its owner (a platform's name; nil: the campaign's), for lint.
    var capNodes: [(owner: String?, node: YAMLValue)] = []
    /// Each step's node, by step index, for lints that need the whole scenario.
    var stepNodes: [(step: Int, node: YAMLValue)] = []
    /// `campaign.min_age` and where it is written.
    var minimumAgeNode: (age: Int, node: YAMLValue)?
    /// Defaults applied because the scenario did not say (kinds', vendors', responses').
    var assumptions: [Assumption] = []
    var expectations: [Expectation] = []
    var customers = 1000
    var seed: UInt64 = 0
    var start = Date(timeIntervalSince1970: 0)
    var horizon = SimDuration.days(21)
    var clock = TimeZone(identifier: "UTC")!
    /// Deferred: behaviour processes observed by a platform are resolved after platforms are read.
    /// `impressions:` written on a DSP platform, the default rate for retargeting through it.
    var impressionRates: [String: YAMLValue] = [:]
    /// CDPs with an audience recompute cadence, read once platforms are known.
    var recomputes: [(platform: Int, value: YAMLValue)] = []

    static let topKeys = [
        "name", "description", "seed", "start", "timezone", "duration", "population", "platforms", "links",
        "campaign", "chaos", "expectations", "load",
    ]
    /// Largest population a file can name at all (customer numbers are 32-bit); the practical
    /// limit (memory) is checked by the harness, which can be raised with `--allow-large`.
    static let customersMax = 1_000_000_000
    /// Most batch runs one link may schedule.
    static let batchRunsMax = 100_000
    static let horizonMax = SimDuration.days(366)

    init(text: String, sourceName: String) {
        self.text = text
        self.sourceName = sourceName
        self.log = DiagnosticLog(file: sourceName)
    }

    func parse() throws(ScenarioError) -> Scenario {
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                throw ScenarioError(diagnostics: [
                    ScenarioDiagnostic(
                        file: sourceName, line: 1, column: 1,
                        message:
                            "the file is empty; expected a scenario mapping with 'name', 'population', 'platforms', 'links' and 'campaign'"
                    )
                ])
            }
            node = composed
        } catch let error as ScenarioError {
            throw error
        } catch {
            throw ScenarioError(diagnostics: [ScenarioParser.diagnostic(fromYAML: error, file: sourceName)])
        }
        var budget = ScenarioParser.nodesMax
        if !ScenarioParser.fitsBudget(node, depth: 0, budget: &budget) {
            throw ScenarioError(diagnostics: [
                ScenarioDiagnostic(
                    file: sourceName, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1,
                    message:
                        "the document expands to more than \(ScenarioParser.nodesMax) YAML nodes or nests deeper than \(ScenarioParser.depthMax) levels (aliases that multiply?); a scenario is far smaller"
                )
            ])
        }
        let root = YAMLValue(node: node, path: "", log: log)
        guard let top = root.fields(ScenarioParser.topKeys, expected: "a scenario mapping") else {
            throw ScenarioError(diagnostics: log.sorted)
        }
        let name =
            top.required("name", expected: "the scenario's name").flatMap(ScenarioParser.scenarioName) ?? "unnamed"
        let description = top["description"]?.scalar(expected: "text") ?? ""
        readHeader(top)
        if let p = top.required("population", expected: "who the customers are") { readPopulation(p) }
        if let p = top.required("platforms", expected: "the platforms of the stack") { readPlatforms(p) }
        addRecomputeLinks()
        declareOpenedFields(top["campaign"])
        if let l = top["links"] { readLinks(l) }
        applyVendorWriteLimits()
        applyVendorSyncFloors()
        if let c = top.required("campaign", expected: "the journey steps") { readCampaign(c) }
        applyDefaultResponses()
        lintLinkSources()
        if let c = top["chaos"] { readChaos(c) }
        lintCaps()
        if let e = top["expectations"] { readExpectations(e) }
        if let l = top["load"] { readLoad(l) }
        lintReach()
        let diagnostics = log.sorted
        guard diagnostics.isEmpty else { throw ScenarioError(diagnostics: diagnostics) }

        var plan = RunPlan(
            name: name, seed: seed, customers: customers,
            horizon: SimInstant(millisecondsSinceStart: horizon.milliseconds),
            startUnixMilliseconds: Int64((start.timeIntervalSince1970 * 1000).rounded()), fields: fields,
            population: population, behavior: behavior, platforms: platforms, links: links, campaign: campaign)
        plan.assumptions = assumptions
        plan.faults = faults
        plan.load = load
        var scenario = Scenario(
            name: name, description: description, sourceName: sourceName, sourceText: text, plan: plan,
            expectations: expectations)
        scenario.warnings = log.warnings.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        return scenario
    }

    private func readHeader(_ top: YAMLValue.Fields) {
        if let s = top["seed"], let t = s.scalar(expected: "a seed") {
            if let v = Scenario.parseSeed(t) {
                seed = v
            } else {
                s.error("'\(t)' is not a seed; expected a whole number or a git commit hash")
            }
        }
        if let tz = top["timezone"], let t = tz.scalar(expected: "a time zone such as America/New_York") {
            if let zone = TimeZone(identifier: t) {
                clock = zone
            } else {
                tz.error("unknown time zone '\(t)'", suggestion: nearMiss(t, in: TimeZone.knownTimeZoneIdentifiers))
            }
        }
        if let s = top["start"], let t = s.scalar(expected: "an instant such as 2026-06-01T00:00:00Z") {
            switch ScenarioParser.parseInstant(t, zone: clock) {
            case .success(let d): start = d
            case .failure(let problem): s.error(problem.message, suggestion: problem.suggestion)
            }
        }
        if let d = top.required("duration", expected: "how long the run lasts, such as 21d"), let v = d.duration() {
            if v.milliseconds <= 0 {
                d.error("duration must be positive")
            } else if v > ScenarioParser.horizonMax {
                d.error(
                    "duration \(v) exceeds the limit of \(ScenarioParser.horizonMax); split the campaign into shorter runs"
                )
            } else {
                horizon = v
            }
        }
    }

    static func diagnostic(fromYAML error: Error, file: String) -> ScenarioDiagnostic {
        if let y = error as? YamlError {
            switch y {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                .composer(_, let problem, let mark, _):
                return ScenarioDiagnostic(
                    file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(problem)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                return ScenarioDiagnostic(
                    file: file, line: context.mark.line, column: context.mark.column,
                    message: "duplicate key(s) \(duplicates.joined(separator: ", "))")
            case .reader(let problem, _, _, _):
                return ScenarioDiagnostic(file: file, line: 1, column: 1, message: "cannot read the file: \(problem)")
            default:
                break
            }
        }
        return ScenarioDiagnostic(file: file, line: 1, column: 1, message: "YAML: \(error)")
    }

    /// Limits on the parsed document, so a hostile file (an alias bomb) is refused in bounded time.
    static let nodesMax = 100_000
    static let depthMax = 64

    /// Walks the document, spending one unit of `budget` per node; false once it runs out.
    static func fitsBudget(_ node: Node, depth: Int, budget: inout Int) -> Bool {
        budget -= 1
        if budget < 0 || depth > depthMax { return false }
        switch node {
        case .alias, .scalar: return true
        case .mapping(let m):
            for (k, v) in m
            where !fitsBudget(k, depth: depth + 1, budget: &budget) || !fitsBudget(v, depth: depth + 1, budget: &budget)
            {
                return false
            }
            return true
        case .sequence(let s):
            for item in s where !fitsBudget(item, depth: depth + 1, budget: &budget) { return false }
            return true
        }
    }

    // MARK: Names

    func addField(_ spec: FieldSpec) -> FieldID {
        if let i = fields.firstIndex(where: { $0.name == spec.name }) { return i }
        fields.append(spec)
        return fields.count - 1
    }

    func fieldID(_ name: String) -> FieldID? { fields.firstIndex { $0.name == name } }

    var segmentNames: [String] { fields.filter { $0.category == .segment }.map { String($0.name.dropFirst(8)) } }

    /// Resolves a platform name, logging an unknown one with the near miss.
    func platformIndex(_ v: YAMLValue) -> Int? {
        guard let name = v.scalar(expected: "a platform name") else { return nil }
        if let i = platforms.firstIndex(where: { $0.name == name }) { return i }
        let names = platforms.map(\.name)
        v.error(
            "unknown platform '\(name)'; the scenario declares: \(names.joined(separator: ", "))",
            suggestion: nearMiss(name, in: names))
        return nil
    }

    /// Instant of `day N at HH:MM` on the scenario's clock.
    func instant(day: Int, minutes: Int, zone: TimeZone? = nil) -> SimInstant {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone ?? clock
        let startDay = calendar.startOfDay(for: start)
        let dayDate = calendar.date(byAdding: .day, value: day, to: startDay)!
        var parts = calendar.dateComponents([.year, .month, .day], from: dayDate)
        parts.hour = minutes / 60
        parts.minute = minutes % 60
        let date = calendar.date(from: parts) ?? dayDate
        return SimInstant(millisecondsSinceStart: Int64(((date.timeIntervalSince(start)) * 1000).rounded()))
    }

    /// A daily clock time in a zone, every day of the run.
    func dailySchedule(minutes: Int, zone: TimeZone?) -> [SimInstant] {
        var out: [SimInstant] = []
        for day in -1...(Int(horizon.days) + 1) {
            let t = instant(day: day, minutes: minutes, zone: zone)
            if t.millisecondsSinceStart >= 0 && t.millisecondsSinceStart <= horizon.milliseconds { out.append(t) }
        }
        return out
    }

    /// The UTC offsets of a zone over the run.
    func localTimeTable(_ zone: TimeZone) -> LocalTimeTable {
        let startMs = Int64((start.timeIntervalSince1970 * 1000).rounded())
        var transitions: [(from: Int64, offsetMilliseconds: Int64)] = [
            (Int64.min, Int64(zone.secondsFromGMT(for: start)) * 1000)
        ]
        var cursor = start
        let end = start.addingTimeInterval(Double(horizon.milliseconds) / 1000)
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next <= end, transitions.count < 64 {
            let at = Int64((next.timeIntervalSince1970 * 1000).rounded()) - startMs
            transitions.append((at, Int64(zone.secondsFromGMT(for: next)) * 1000))
            cursor = next
        }
        return LocalTimeTable(name: zone.identifier, transitions: transitions)
    }
}
