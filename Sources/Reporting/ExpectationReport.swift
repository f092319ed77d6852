import MarTechModel
import SimKernel

/// The verdict on each of a scenario's expectations, phrased by business impact.
public struct ExpectationReport: Sendable {
    public struct Result: Sendable, Equatable {
        /// `misfires.revoked_consent_sms <= 0`, `sla.crm_to_map.freshness_p95 <= 26h`.
        public var name: String
        public var passed: Bool
        /// What was measured, against what, and what it meant.
        public var detail: String
        public var line: Int
    }

    public var scenario: String
    public var results: [Result]
    public var passed: Bool { results.allSatisfy(\.passed) }

    /// - Parameter redundantLinks: links whose destination already sees everything they carry,
    ///   by name, with why (`'crm' observes consent.sms itself`): their SLAs measure nothing.
    public init(
        scenario: String, expectations: [Expectation], summary s: RunSummary, linkNames: [String],
        redundantLinks: [String: String] = [:]
    ) {
        self.scenario = scenario
        results = expectations.map { e in
            switch e.section {
            case "misfires": ExpectationReport.misfires(e, s)
            case "sometimes": ExpectationReport.sometimes(e, s)
            default:
                if let link = e.subject.split(separator: ".").first.map(String.init), let why = redundantLinks[link] {
                    // Deliveries the destination already had measure nothing: never a vacuous pass.
                    Result(
                        name: "sla.\(e.subject)", passed: false,
                        detail: "\(link) carries nothing its destination does not already see (\(why)), so this measures nothing",
                        line: e.line)
                } else {
                    ExpectationReport.sla(e, s, linkNames)
                }
            }
        }
    }

    /// Splits `revoked_consent_sms` into the type and the channel (nil: every channel).
    static func misfireSubject(_ key: String) -> (MisfireType, Channel?)? {
        for type in MisfireType.allCases {
            if key == type.description { return (type, nil) }
            let channels: [(String, Channel)] = [
                ("email", .email), ("sms", .sms), ("push", .push), ("sales_task", .salesTask), ("impressions", .ad),
            ]
            for (suffix, channel) in channels where key == "\(type)_\(suffix)" { return (type, channel) }
        }
        return nil
    }

    static func misfires(_ e: Expectation, _ s: RunSummary) -> Result {
        guard let (type, channel) = misfireSubject(e.subject) else {
            return Result(name: "misfires.\(e.subject)", passed: false, detail: "unknown misfire key", line: e.line)
        }
        let count = channel.map { s.misfires(type, on: $0) } ?? s.misfires(type)
        let customers =
            channel.map { s.customersMisfiredByTypeAndChannel[Int(type.rawValue)][Int($0.rawValue)] }
            ?? s.customersMisfiredByTypeAndChannel[Int(type.rawValue)].reduce(0, +)
        let what = channel.map { $0 == .ad ? "\(type) impressions" : "\(type) \($0) messages" } ?? "\(type) misfires"
        switch e.bound {
        case .maxCount(let n):
            let ok = count <= n
            return Result(
                name: "misfires.\(e.subject) <= \(n)", passed: ok,
                detail:
                    "\(Format.count(count)) \(what) (\(Format.count(customers)) customers) against at most \(Format.count(n))",
                line: e.line)
        case .maxRateOfConverters(let r):
            let converters = max(s.conversions, 1)
            let rate = Double(customers) / Double(converters)
            return Result(
                name: "misfires.\(e.subject) <= \(percent(r)) of converters", passed: rate <= r,
                detail:
                    "\(Format.count(customers)) of \(Format.count(s.conversions)) converters (\(percent(rate))) got \(what), against at most \(percent(r))",
                line: e.line)
        default:
            return Result(
                name: "misfires.\(e.subject)", passed: false,
                detail: "a misfire expectation is a count or a rate of converters", line: e.line)
        }
    }

    /// Things that must happen at least once: every fault touched something; a misfire was seen.
    static func sometimes(_ e: Expectation, _ s: RunSummary) -> Result {
        if e.subject == "faults_bite" {
            let blind = s.faults.filter { !$0.bit }
            return Result(
                name: "sometimes.faults_bite", passed: blind.isEmpty && !s.faults.isEmpty,
                detail: blind.isEmpty
                    ? "all \(s.faults.count) injected faults touched records or messages"
                    : "never bit: \(blind.map(\.name).joined(separator: ", ")); the run proves nothing about them",
                line: e.line)
        }
        guard let (type, channel) = misfireSubject(e.subject) else {
            return Result(name: "sometimes.\(e.subject)", passed: false, detail: "unknown misfire key", line: e.line)
        }
        let count = channel.map { s.misfires(type, on: $0) } ?? s.misfires(type)
        return Result(
            name: "sometimes.\(e.subject)", passed: count > 0,
            detail: count > 0
                ? "seen \(Format.count(count)) times: the rehearsal exercised it"
                : "never seen: the rehearsal did not exercise it",
            line: e.line)
    }

    static func sla(_ e: Expectation, _ s: RunSummary, _ linkNames: [String]) -> Result {
        let parts = e.subject.split(separator: ".").map(String.init)
        guard parts.count == 2, let l = linkNames.firstIndex(of: parts[0]), l < s.links.count else {
            return Result(name: "sla.\(e.subject)", passed: false, detail: "unknown link", line: e.line)
        }
        let link = s.links[l], metric = parts[1]
        let blame =
            link.misfires > 0
            ? "; \(Format.count(link.misfires)) misfires came from changes this link had not delivered in time" : ""
        switch (metric, e.bound) {
        case ("completeness", .minShare(let floor)):
            return Result(
                name: "sla.\(e.subject) >= \(percent(floor))", passed: link.completeness >= floor,
                detail:
                    "\(parts[0]) delivered \(percent(link.completeness)) of \(Format.count(link.changesEntered)) changes by the end, against at least \(percent(floor))",
                line: e.line)
        case (_, .maxCount(let most)):
            let counts = [
                "contract_violations": link.contractViolations, "dead_letters": link.deadLetters,
                "retries": link.retries,
            ]
            guard let measured = counts[metric] else {
                return Result(name: "sla.\(e.subject)", passed: false, detail: "unsupported SLO", line: e.line)
            }
            let label = metric.replacingUnderscoreWithSpace()
            let lost =
                metric == "dead_letters" && link.deadLetters > link.replayed
                ? "; \(Format.count(link.deadLetters - link.replayed)) never replayed" : ""
            return Result(
                name: "sla.\(e.subject) <= \(most)", passed: measured <= most,
                detail:
                    "\(parts[0]) had \(Format.count(measured)) \(label) against at most \(Format.count(most))\(lost)",
                line: e.line)
        case (_, .maxDuration(let ceiling)):
            let measured: Int64
            switch metric {
            case "freshness_p50": measured = link.freshnessP50
            case "freshness_p95": measured = link.freshnessP95
            case "freshness_p99": measured = link.freshnessP99
            default: measured = link.freshnessMax
            }
            let label = metric.replacingUnderscoreWithSpace()
            if measured < 0 {
                // Nothing delivered is nothing measured: never a vacuous pass.
                return Result(
                    name: "sla.\(e.subject) <= \(ceiling)", passed: false,
                    detail:
                        "\(parts[0]) delivered nothing, so its \(label) was never measured (does it carry anything its destination does not already see?)",
                    line: e.line)
            }
            let ok = measured <= ceiling.milliseconds
            return Result(
                name: "sla.\(e.subject) <= \(ceiling)", passed: ok,
                detail:
                    "\(parts[0]) \(label) \(SimDuration(milliseconds: measured)) against \(ceiling)\(ok ? "" : blame)",
                line: e.line)
        default:
            return Result(name: "sla.\(e.subject)", passed: false, detail: "unsupported SLO", line: e.line)
        }
    }

    static func percent(_ x: Double) -> String {
        let hundredths = Format.whole(x * 10000)
        return "\(hundredths / 100).\(String(hundredths % 100).leftPadded(2))%"
    }

    /// Lines for the terminal: failures first.
    public func render() -> String {
        let ordered = results.filter { !$0.passed } + results.filter(\.passed)
        return ordered.map { "  \($0.passed ? "pass" : "FAIL")  \($0.name): \($0.detail)" }.joined(separator: "\n")
            + (ordered.isEmpty ? "" : "\n")
    }
}

extension String {
    func replacingUnderscoreWithSpace() -> String { String(map { $0 == "_" ? " " : $0 }) }
}

/// JUnit XML for CI: one test suite per scenario, one test case per expectation.
public enum JUnitReport {
    public static func render(
        _ reports: [(report: ExpectationReport, file: String, reproduce: String)],
        errors: [(file: String, message: String)]
    ) -> String {
        let tests = reports.reduce(0) { $0 + $1.report.results.count } + errors.count
        let failures = reports.reduce(0) { $0 + $1.report.results.filter { !$0.passed }.count }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out +=
            "<testsuites name=\"rehearse check\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors.count)\">\n"
        for (report, file, reproduce) in reports {
            let f = report.results.filter { !$0.passed }.count
            out +=
                "  <testsuite name=\(attr(report.scenario)) tests=\"\(report.results.count)\" failures=\"\(f)\" errors=\"0\" skipped=\"0\">\n"
            for r in report.results {
                out +=
                    "    <testcase classname=\(attr("\(report.scenario).\(r.name.split(separator: ".").first ?? "")")) name=\(attr(r.name)) file=\(attr(file)) line=\"\(r.line)\""
                if r.passed {
                    out += "/>\n"
                } else {
                    out +=
                        ">\n      <failure type=\"expectation\" message=\(attr(r.detail))>\(text("\(file):\(r.line): \(r.detail)\nreproduce with: \(reproduce)"))</failure>\n    </testcase>\n"
                }
            }
            out += "    <system-out>\(text("reproduce with: \(reproduce)"))</system-out>\n  </testsuite>\n"
        }
        for e in errors {
            out += "  <testsuite name=\(attr(e.file)) tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n"
            out +=
                "    <testcase classname=\"scenario\" name=\(attr(e.file))>\n      <error type=\"invalid scenario\" message=\(attr(e.message.split(separator: "\n").first.map(String.init) ?? ""))>\(text(e.message))</error>\n    </testcase>\n  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    static func text(_ s: String) -> String { Format.xml(s) }

    static func attr(_ s: String) -> String { "\"" + text(s).replacingNewlines() + "\"" }
}

extension String {
    func replacingNewlines() -> String { String(map { $0 == "\n" ? " " : $0 }) }
}
