import Foundation
import MarTechModel
import Reporting
import RunStore
import ScenarioKit
import SimKernel
import StackSimulation

/// What to run and how.
public struct RunRequest: Sendable {
    public var scenarioPath: String
    public var seed: UInt64?
    public var customers: Int?
    public var reportsDirectory = "Reports"
    public var recordAllImpressions = false
    public var impressionMode = EngineOptions.ImpressionMode.aggregated
    /// The command line, stored with the run so it can be replayed.
    public var command: String = ""
    /// Limits checked before the run (population, memory, events).
    public var limits = RunLimitPolicy()
    /// Try candidate fixes by re-runs (`CounterfactualAdvisor`) for the report's advice.
    public var advises = true

    public init(scenarioPath: String, seed: UInt64? = nil, customers: Int? = nil) {
        self.scenarioPath = scenarioPath
        self.seed = seed
        self.customers = customers
    }
}

/// What a run produced.
public struct RunOutcome: Sendable {
    public var scenario: Scenario
    public var result: EngineResult
    public var paths: RunPaths
    /// Where the database ended up (complete, or marked interrupted).
    public var databasePath: String
    public var overview: RunOverview
    public var textSummary: String
    /// The verdict on the scenario's expectations.
    public var expectations: ExpectationReport
    /// Wall-clock seconds of each phase (simulate, drain the writer, index and commit): for
    /// `rehearse-bench` only; never written to the results.
    public var phaseSeconds: (simulate: Double, drain: Double, finish: Double) = (0, 0, 0)
    /// The run reached its horizon and its database was finalised (an interrupt after the last event still makes it incomplete).
    public var isComplete: Bool { result.stopReason == .horizonReached && overview.status == "complete" }
}

/// Errors of the environment or the input, as opposed to findings of a run.
public enum HarnessError: Error, CustomStringConvertible {
    case cannotRead(path: String, reason: String)
    case invalidScenario(ScenarioError)
    case cannotWrite(path: String, reason: String)
    case limitExceeded(String)

    public var description: String {
        switch self {
        case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
        case .invalidScenario(let e): e.description
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .limitExceeded(let message): message
        }
    }
}

/// The composition root: scenario file → plan → engine (with a writer thread) → SQLite → reports.
public enum ScenarioRunner {
    public static let toolVersion = "0.1.0"

    /// Reads and validates a scenario file.
    public static func load(path: String) throws(HarnessError) -> Scenario {
        let text = try FileAccess.readText(path)
        do {
            return try Scenario.parse(yaml: text, sourceName: path)
        } catch {
            throw .invalidScenario(error)
        }
    }

    public static func run(
        _ request: RunRequest, shouldStop: @escaping () -> Bool = { Interrupts.wasRequested },
        progress: (Double, Int) -> Void = { _, _ in }
    ) throws(HarnessError) -> RunOutcome {
        var scenario = try load(path: request.scenarioPath).overriding(seed: request.seed, customers: request.customers)
        try request.limits.check(scenario)
        scenario.plan.limits.eventBudget = request.limits.maxEvents
        let plan = scenario.plan
        let paths = RunPaths(
            reportsDirectory: request.reportsDirectory, scenario: scenario.name, seed: plan.seed,
            customers: request.customers)
        let recording = try RunRecording(scenario: scenario, paths: paths, command: request.command)
        let sink = recording.recordSink
        var options = EngineOptions()
        options.impressionMode = request.impressionMode
        options.recordAllImpressions = request.recordAllImpressions
        let clock = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
        let t0 = clock()
        let result = Engine.run(
            plan: plan, options: options, sink: sink, shouldStop: { shouldStop() || recording.hasFailed },
            progress: progress
        )
        let t1 = clock()
        var complete = result.stopReason == .horizonReached
        switch result.stopReason {
        case .eventBudgetExhausted, .pendingEventsExceeded:
            // Drain the writer before closing the store: it may still hold queued rows.
            recording.discard()
            if case .eventBudgetExhausted(let limit) = result.stopReason {
                throw .limitExceeded(
                    "\(request.scenarioPath): the run needed more than \(limit) events; raise --max-events if this is expected"
                )
            }
            throw .limitExceeded(
                "\(request.scenarioPath): more than \(plan.limits.pendingEventsMax) events were pending at once; use fewer customers or a shorter horizon"
            )
        default:
            break
        }
        let finalPath = try recording.close(summary: result.summary) {
            // An interrupt after the last event but before the database is final still stops the
            // run: the rows are kept, marked interrupted, as for an interrupt mid-run.
            if complete && shouldStop() && !recording.hasFailed { complete = false }
            return complete
        }
        let t2 = Double(recording.drainedAt) / 1e9
        let overview = makeOverview(
            scenario: scenario, scenarioFile: request.scenarioPath, summary: result.summary,
            databasePath: finalPath, rowsWritten: result.rowsWritten,
            reproduceCommand: reproduceCommand(request, seed: plan.seed), complete: complete,
            advice: request.advises && complete ? CounterfactualAdvisor.advise(plan: plan, summary: result.summary) : [])
        let verdicts = overview.expectations!
        let text = TextSummary.render(overview)
        if complete { try recording.writeReports(overview) }
        var outcome = RunOutcome(
            scenario: scenario, result: result, paths: paths, databasePath: finalPath, overview: overview,
            textSummary: text, expectations: verdicts)
        outcome.phaseSeconds = (t1 - t0, t2 - t1, clock() - t2)
        return outcome
    }

    /// The report model of a run, from its scenario and summary (also used by `rehearse report`).
    public static func makeOverview(
        scenario: Scenario, scenarioFile: String, summary: RunSummary, databasePath: String, rowsWritten: Int,
        reproduceCommand: String,
        complete: Bool, advice: [Counterfactual] = []
    ) -> RunOverview {
        let plan = scenario.plan
        var overview = RunOverview(
            scenario: scenario.name, scenarioFile: scenarioFile, seed: plan.seed, customers: plan.customers,
            horizonDays: Double(plan.horizon.millisecondsSinceStart) / 86_400_000, summary: summary,
            databasePath: databasePath, rowsWritten: rowsWritten, reproduceCommand: reproduceCommand,
            status: complete ? "complete" : "interrupted")
        overview.linkNames = plan.links.map(\.name)
        overview.platformNames = plan.platforms.map(\.name)
        overview.platformKinds = plan.platforms.map(\.kind.rawValue)
        overview.platformVendors = plan.platforms.map { $0.vendorName ?? "" }
        overview.assumptions = plan.assumptions
        overview.overrides = scenario.overrides
        overview.stepConsent = plan.campaign.steps.map { step in
            let p = plan.platforms[step.executor]
            return (p.name, p.checksConsent, p.consentLookup != nil)
        }
        overview.linkApplyDelays = plan.links.map { link in
            guard link.to >= 0 else { return nil }
            let to = plan.platforms[link.to]
            if let delay = to.applyDelay { return ("platforms.\(to.name).apply_delay", delay.mean) }
            // A CDP's audiences see a delivery at their next recompute: half the cadence on average.
            guard link.from != LinkPlan.truth, let interval = to.recomputeInterval else { return nil }
            return ("platforms.\(to.name).recompute", interval / 2)
        }
        overview.linkFloors = plan.links.map { $0.vendorFloor.map { ($0.interval.milliseconds, $0.source) } }
        overview.stepNames = plan.campaign.steps.map(\.name)
        overview.counterfactuals = advice
        overview.salesStage = plan.campaign.salesStage.map { plan.fields[$0.field].valueNames[Int($0.value)] }
        var redundant: [String: String] = [:]
        for link in plan.links where link.to >= 0 && !link.fields.isEmpty {
            let observed = plan.platforms[link.to].observes
            guard link.fields.allSatisfy(observed.contains) else { continue }
            let names = link.fields.map { plan.fields[$0].name }.joined(separator: ", ")
            redundant[link.name] = "'\(plan.platforms[link.to].name)' observes \(names) itself"
        }
        overview.expectations = ExpectationReport(
            scenario: scenario.name, expectations: scenario.expectations, summary: summary,
            linkNames: overview.linkNames, redundantLinks: redundant)
        return overview
    }

    /// Writes `<stem>.{json,txt,html,md}`.
    static func writeReports(_ overview: RunOverview, scenarioText: String, stem: String) throws {
        try JSONSummary.render(overview).write(toFile: stem + ".json", atomically: true, encoding: .utf8)
        try TextSummary.render(overview).write(toFile: stem + ".txt", atomically: true, encoding: .utf8)
        try HTMLReport.render(overview, scenarioText: scenarioText).write(
            toFile: stem + ".html", atomically: true, encoding: .utf8)
        try MarkdownReport.render(overview).write(toFile: stem + ".md", atomically: true, encoding: .utf8)
    }

    static func encodeSummary(_ s: RunSummary) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(s)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// SQLite reports a full disk or a file-size limit as an I/O error: say what it likely means.
    public static func explainWriteError(_ error: Error) -> String {
        var text = "\(error)"
        // Foundation's write errors name a domain and a number; say what the system said instead.
        let ns = error as NSError
        if ns.domain == NSCocoaErrorDomain {
            if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
                text = FileAccess.reason(Int32(underlying.code))
            } else {
                text =
                    ns.code == NSFileWriteOutOfSpaceError
                    ? "the disk is full"
                    : ns.code == NSFileWriteNoPermissionError ? "permission denied" : "the file could not be written"
            }
            if text == "the disk is full" { text = "disk is full" }
        }
        if text.contains("disk I/O error") || text.contains("disk is full") {
            return text
                + " — is the disk full, or a file-size limit (ulimit -f) set? Nothing was kept: the partial file was removed"
        }
        return text
    }

    /// Deletes `….sqlite.partial-<pid>` files left by runs that were killed outright (SIGKILL, a
    /// power cut): their process is gone, so nothing will finish them. Live runs' files stay.
    static func removeAbandonedPartials(_ paths: RunPaths) {
        let prefix = (paths.database as NSString).lastPathComponent + ".partial-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: paths.directory)) ?? []
        where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != ProcessInfo.processInfo.processIdentifier else {
                continue
            }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: (paths.directory as NSString).appendingPathComponent(name))
            }
        }
    }

    static func rename(_ from: String, to: String) throws {
        // rename(2) replaces the target atomically: readers see the old file or the new one.
        if Foundation.rename(from, to) != 0 {
            throw HarnessError.cannotWrite(path: to, reason: String(cString: strerror(errno)))
        }
    }

    public static func reproduceCommand(_ r: RunRequest, seed: UInt64) -> String {
        var parts = ["rehearse run", r.scenarioPath, "--seed \(seed)"]
        if let c = r.customers { parts.append("--customers \(c)") }
        if r.recordAllImpressions { parts.append("--record all") }
        return parts.joined(separator: " ")
    }

    static func summaryRows(_ s: RunSummary) -> [(String, Int)] {
        var rows: [(String, Int)] = [
            ("customers", s.customers), ("conversionsOrganic", s.conversionsOrganic),
            ("conversionsAfterMessage", s.conversionsAfterMessage),
            ("impressionsServed", s.impressionsServed), ("impressionsWasted", s.impressionsWasted),
            ("truthChanges", s.truthChanges),
            ("deliveries", s.deliveries), ("eventsProcessed", s.eventsProcessed),
            ("pendingEventsMax", s.pendingEventsMax),
        ]
        for ch in Channel.allCases {
            rows.append(("touchpoints.\(ch)", s.touchpoints(ch)))
            rows.append(("heldBack.\(ch)", s.suppressedByChannel[Int(ch.rawValue)]))
        }
        for t in MisfireType.allCases { rows.append(("misfires.\(t)", s.misfires(t))) }
        for (i, l) in s.links.enumerated() {
            rows += [
                ("link\(i).retries", l.retries), ("link\(i).deadLetters", l.deadLetters),
                ("link\(i).replayed", l.replayed),
                ("link\(i).contractViolations", l.contractViolations), ("link\(i).duplicates", l.duplicates),
                ("link\(i).throttled", l.throttled),
            ]
        }
        return rows
    }

    static func describe(_ scenario: Scenario, command: String) -> RunDescription {
        let plan = scenario.plan
        return RunDescription(
            scenario: scenario.name, scenarioFile: scenario.sourceName, scenarioText: scenario.sourceText,
            scenarioHash: fnv1a(scenario.sourceText), seed: plan.seed, customers: plan.customers,
            horizonMilliseconds: plan.horizon.millisecondsSinceStart, startUnixMilliseconds: plan.startUnixMilliseconds,
            toolVersion: toolVersion, command: command, fields: plan.fields,
            platforms: plan.platforms.map { ($0.name, $0.kind.rawValue, $0.observes, $0.vendorName ?? "") },
            // A link from the truth (a CDP's recompute) shows `fromPlatform = -1`.
            links: plan.links.map { l in
                let mode: String
                switch l.mode {
                case .stream: mode = "stream"
                case .batch: mode = "batch"
                }
                let contract = l.fields.enumerated().map { i, f in
                    let target = i < l.destinationNames.count ? l.destinationNames[i] : plan.fields[f].name
                    return plan.fields[f].name + "→" + target
                }
                return (l.name, l.from, l.to, mode, contract.joined(separator: ","))
            },
            steps: plan.campaign.steps.map { ($0.name, Int($0.channel.rawValue), $0.executor, $0.decidedBy) },
            timezones: plan.population.timezones.map(\.table.name))
    }

    /// FNV-1a 64-bit of the scenario text: a stable fingerprint stored with each run.
    static func fnv1a(_ text: String) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in text.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return String(h, radix: 16).leftPadded(16)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
