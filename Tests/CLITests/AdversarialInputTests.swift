import Foundation
import TestKit
import Testing

/// How a `rehearse` process ended: by `exit` with a code, or by a signal (a crash).
struct Ending {
    var exitedNormally: Bool
    var code: Int32
    var stdout: String
    var stderr: String
    /// 0, 1 or 2 by `exit`: what every input must end in, never a signal.
    var isClean: Bool { exitedNormally && [0, 1, 2].contains(code) }
}

/// Runs `rehearse` through bash so that redirections (`2>/dev/full`) can be part of the test.
func rehearseInShell(_ command: String, timeout: TimeInterval = 60) throws -> Ending {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/bash")
    p.arguments = ["-c", "exec timeout -s KILL \(Int(timeout)) .build/debug/rehearse " + command]
    p.currentDirectoryURL = root
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    // Read both pipes at once: a long stderr must not block the process while stdout is read.
    nonisolated(unsafe) var errText = ""
    let reader = Thread { errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
    reader.start()
    let outText = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    while !reader.isFinished { usleep(1000) }
    // bash `exec`s rehearse, so a signal shows as the process's own uncaught signal.
    return Ending(
        exitedNormally: p.terminationReason == .exit, code: p.terminationStatus, stdout: outText, stderr: errText)
}

/// A small scenario that every case below varies (200 customers, a week).
let adversarialBase = """
    name: adversarial
    seed: 1
    start: 2026-01-05T00:00:00Z
    timezone: UTC
    duration: 7d
    population:
      customers: 200
      segments:
        inactive: {share: 0.6, leaves: 0.05/d}
      consent: {email: 0.92, sms: 0.35}
      behavior:
        organic_conversion: 0.02/d
        revokes_consent: {sms: 0.01/d}
    platforms:
      crm: {kind: crm}
      map: {kind: map}
      sms: {kind: sms, throughput: 10/s}
      dsp: {kind: dsp, apply_delay: none, impressions: 3/d}
    links:
      crm_to_map:
        from: crm
        to: map
        carries: [segments, conversions]
        batch: {at: "02:00", runs_for: 45m}
      crm_to_dsp:
        from: crm
        to: dsp
        carries: [conversions]
        batch: {every: 6h}
      crm_to_sms:
        from: crm
        to: sms
        carries: [consent.sms]
        stream: {latency: {lognormal: {median: 5m, sigma: 1.5}}}
    campaign:
      audience: {segment: inactive}
      goal: converted
      steps:
        - {name: email_day_1, day: 1, at: "10:00", via: map, unless: converted}
        - {name: sms_day_3, day: 3, at: "10:00", via: sms, decided_by: map, unless: converted}
      retargeting:
        via: dsp
        audience: {segment: inactive}
        suppress_on: converted

    """

/// Writes a variant of the base scenario (each pair replaces text) and returns its path.
func adversarialFile(_ folder: String, _ name: String, _ replacements: [(String, String)]) throws -> String {
    var text = adversarialBase
    for (from, to) in replacements {
        #expect(text.contains(from), "the base scenario has no '\(from)'")
        text = text.replacingOccurrences(of: from, with: to)
    }
    let path = folder + "/" + name + ".yaml"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// Issue 12: every input ends in exit 0, 1 or 2 — never a signal, never a hang — with a position
/// where there is one. Each test is one class of input; the examples are the issue's and others
/// of the same class.
@Suite(.serialized) struct AdversarialInputTests {
    let folder = temporaryFolder("adversarial")

    /// A rate, throughput, factor or spread whose wait in milliseconds is beyond any Int64 means "never".
    @Test(arguments: [
        ("organic_conversion: 0.02/d", "organic_conversion: 1e-300/d"),
        ("leaves: 0.05/d", "leaves: 1e-300/d"),
        ("revokes_consent: {sms: 0.01/d}", "revokes_consent: {sms: 1e-300/d}"),
        ("throughput: 10/s", "throughput: 1e-16/s"),
        ("throughput: 10/s", "throughput: 1e-300/s"),
        ("impressions: 3/d", "impressions: 1e-300/d"),
        ("batch: {every: 6h}", "batch: {every: 6h, rate: 1e-16/s, page_size: 1}"),
        ("sigma: 1.5}", "sigma: 10}"),
        ("median: 5m, sigma: 1.5", "median: 100000000d, sigma: 10"),
        (
            "stream: {latency: {lognormal: {median: 5m, sigma: 1.5}}}",
            "stream: {latency: {exponential: {mean: 10000000000d}}}"
        ),
        ("campaign:", "chaos:\n  - {at: \"day 1\", rate_limit: {link: crm_to_sms, requests: 1e-16/s}}\ncampaign:"),
        (
            "campaign:",
            "chaos:\n  - {at: \"day 1\", rate_limit: {link: crm_to_sms, requests: 1e-300/s, service: exponential}}\ncampaign:"
        ),
        (
            "campaign:",
            "chaos:\n  - {at: \"day 1\", degrade: {link: crm_to_sms, for: 2d, latency_factor: 1e15}}\ncampaign:"
        ),
        (
            "campaign:",
            "chaos:\n  - {at: \"day 1\", degrade: {link: crm_to_sms, for: 2d, latency_factor: 1e300, jitter: 100000000d}}\ncampaign:"
        ),
    ])
    func extremeQuantitiesEndInAResult(_ from: String, _ to: String) throws {
        let file = try adversarialFile(folder, "extreme", [(from, to), ("customers: 200", "customers: 3000")])
        let ending = try rehearseInShell("run \(file) --reports-dir \(folder)/reports --quiet")
        #expect(ending.isClean, "\(to): \(ending.code) \(ending.stderr.prefix(400))")
        #expect(
            ending.code != 2 || ending.stderr.contains("extreme.yaml:"),
            "a refusal names its position: \(ending.stderr)")
    }

    /// Meaningless spreads are refused at validate with the range that makes sense.
    @Test func aLognormalSigmaAboveTenIsRefusedWithItsPosition() throws {
        let file = try adversarialFile(folder, "sigma", [("sigma: 1.5", "sigma: 1e6")])
        let ending = try rehearseInShell("validate \(file)")
        #expect(ending.isClean && ending.code == 2)
        #expect(ending.stderr.contains("sigma.yaml:34:") && ending.stderr.contains("above 10"), "\(ending.stderr)")
    }

    /// Links over one field that form a cycle end: a version a platform already holds is not passed on.
    @Test(arguments: ["0s", "1ms"], [["sms", "map"], ["sms", "map", "crm"]])
    func cyclesOfLinksEnd(latency: String, ring: [String]) throws {
        var links = ""
        for (i, from) in ring.enumerated() {
            let to = ring[(i + 1) % ring.count]
            links +=
                "  \(from)_to_\(to)_ring: {from: \(from), to: \(to), carries: [consent], stream: {latency: \(latency)}}\n"
        }
        let file = try adversarialFile(
            folder, "cycle",
            [("campaign:", links + "campaign:"), ("crm: {kind: crm}", "crm: {kind: crm, observes: []}")])
        let ending = try rehearseInShell("run \(file) --reports-dir \(folder)/reports --quiet", timeout: 30)
        #expect(ending.isClean && ending.code == 0, "\(ending.code) \(ending.stderr.prefix(400))")
        // The work is bounded: each truth change crosses each link of the ring at most once.
        let json = try String(contentsOfFile: "\(folder)/reports/adversarial/adversarial--seed-1.json", encoding: .utf8)
        let events =
            Int(json.components(separatedBy: "\"events\": ").dropFirst().first?.prefix { $0.isNumber } ?? "") ?? -1
        #expect(events > 0 && events < 200_000, "events processed: \(events)")
    }

    /// A megabyte of unknown value: the error comes at once, quoted short.
    @Test(arguments: ["timezone: UTC", "  crm: {kind: crm}", "inactive: {share"])
    func hugeUnknownValuesAreQuotedShort(_ line: String) throws {
        let huge = String(repeating: "Zx", count: 500_000)
        let replacement: String =
            switch line {
            case "timezone: UTC": "timezone: \(huge)"
            case "  crm: {kind: crm}": "  crm: {kind: \(huge)}"
            default: "\(huge): {share"
            }
        let file = try adversarialFile(folder, "huge", [(line, replacement)])
        let ending = try rehearseInShell("validate \(file)", timeout: 20)
        #expect(ending.isClean && ending.code == 2)
        #expect(
            ending.stderr.contains("huge.yaml:")
                && (line.hasPrefix("inactive") || ending.stderr.contains("(1000000 characters)")),
            "\(ending.stderr.prefix(300))")
        #expect(
            ending.stderr.count < 2000, "the message does not repeat the megabyte: \(ending.stderr.count) characters")
    }

    /// Output that cannot be written is exit 2, and an error that cannot be written is not a crash.
    @Test func unwritableOutputIsExitTwoNeverACrash() throws {
        let missing = try rehearseInShell("validate missing.yaml 2>/dev/full")
        #expect(missing.isClean && missing.code == 2)
        let summary = try rehearseInShell(
            "run Scenarios/hotel-winback.yaml --customers 300 --reports-dir \(folder)/reports >/dev/full")
        #expect(summary.isClean && summary.code == 2, "\(summary.code)")
        #expect(summary.stderr.contains("could not write to standard output"), "\(summary.stderr)")
        let both = try rehearseInShell(
            "run Scenarios/hotel-winback.yaml --customers 300 --reports-dir \(folder)/reports >/dev/full 2>/dev/full")
        #expect(both.isClean && both.code == 2)
        let schema = try rehearseInShell("schema >/dev/full")
        #expect(schema.isClean && schema.code == 2)
        let closedPipe = try rehearseInShell("schema | true")
        #expect(closedPipe.isClean)
    }

    /// A results database is untrusted input: codes this version does not know are named, not trapped on.
    @Test(arguments: [
        (
            "UPDATE misfire SET cause = 999 WHERE id = (SELECT min(id) FROM misfire)",
            "unknown misfire cause 999 at misfire"
        ),
        (
            "UPDATE misfire SET type = 250 WHERE id = (SELECT min(id) FROM misfire)",
            "unknown misfire type 250 at misfire"
        ),
        ("UPDATE misfire SET type = 'x' WHERE id = (SELECT min(id) FROM misfire)", "non-numeric misfire type 'x'"),
        ("UPDATE misfire SET platform = 70000 WHERE id = (SELECT min(id) FROM misfire)", "unknown platform 70000"),
        (
            "UPDATE customer SET timezone = 999 WHERE id = (SELECT customer FROM misfire ORDER BY id LIMIT 1)",
            "unknown time zone 999 (it lists"
        ),
        (
            "UPDATE touchpoint SET channel = 9 WHERE customer = (SELECT customer FROM misfire ORDER BY id LIMIT 1)",
            "unknown channel 9"
        ),
        (
            "UPDATE touchpoint SET step = -5 WHERE customer = (SELECT customer FROM misfire ORDER BY id LIMIT 1)",
            "unknown step -5"
        ),
        (
            "UPDATE delivery SET link = 40 WHERE customer = (SELECT customer FROM misfire ORDER BY id LIMIT 1)",
            "unknown link 40"
        ),
        (
            "UPDATE truthChange SET cause = 77 WHERE customer = (SELECT customer FROM misfire ORDER BY id LIMIT 1)",
            "unknown truth change cause 77"
        ),
    ])
    func damagedResultsAreNamedNotTrappedOn(_ damage: String, _ expected: String) throws {
        let reports = folder + "/damaged"
        let run = try rehearseInShell(
            "run Scenarios/twins/hotel-winback.broken.yaml --customers 1500 --seed 3 --reports-dir \(reports) --quiet")
        #expect(run.code == 1 || run.code == 0)
        let database = reports + "/hotel-winback-broken/hotel-winback-broken--seed-3--customers-1500.sqlite"
        let damaged = folder + "/damaged-\(UUID().uuidString).sqlite"
        try FileManager.default.copyItem(atPath: database, toPath: damaged)
        // The first misfire about a customer who also got a message, had a delivery and a truth change.
        let misfire = sqlite3Output(
            database,
            [
                """
                SELECT min(id) FROM misfire WHERE customer IN (SELECT customer FROM touchpoint) AND customer IN (SELECT customer FROM delivery)
                  AND customer IN (SELECT customer FROM truthChange)
                """
            ]
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        let target = "(SELECT customer FROM misfire WHERE id = \(misfire))"
        _ = sqlite3Output(
            damaged,
            [
                damage.replacingOccurrences(of: "(SELECT customer FROM misfire ORDER BY id LIMIT 1)", with: target)
                    .replacingOccurrences(of: "(SELECT min(id) FROM misfire)", with: misfire)
            ])
        let ending = try rehearseInShell("explain \(damaged) --misfire \(misfire)")
        #expect(ending.isClean && ending.code == 2, "\(ending.code)")
        #expect(ending.stderr.contains(expected) && ending.stderr.contains("another version"), "\(ending.stderr)")
    }

    /// `report` says which part of a stored run is missing or damaged.
    @Test func aMissingOrDamagedSummaryIsNamed() throws {
        let reports = folder + "/summary"
        _ = try rehearseInShell(
            "run Scenarios/hotel-winback.yaml --customers 300 --seed 4 --reports-dir \(reports) --quiet")
        let database = reports + "/hotel-winback/hotel-winback--seed-4--customers-300.sqlite"
        for (damage, expected) in [
            ("UPDATE run SET summary = NULL", "its stored summary is missing"),
            ("UPDATE run SET summary = substr(summary, 1, 40)", "not one this version of rehearse wrote"),
            (
                "UPDATE run SET summary = json_set(summary, '$.misfiresByType', json('[1]'))",
                "misfiresByType has 1 entries"
            ),
            ("UPDATE run SET status = 'interrupted'", "the run is 'interrupted'"),
        ] {
            let copy = folder + "/summary-\(UUID().uuidString).sqlite"
            try FileManager.default.copyItem(atPath: database, toPath: copy)
            _ = sqlite3Output(copy, [damage])
            let ending = try rehearseInShell("report \(copy)")
            #expect(ending.isClean && ending.code == 2)
            #expect(ending.stderr.contains(expected), "\(damage): \(ending.stderr)")
        }
    }

    /// Files that are not UTF-8 scenario text: what is wrong and where, no Foundation text.
    @Test func unreadableFilesSayWhatAndWhere() throws {
        let latin1 = folder + "/latin1.yaml"
        try Data(Array("name: x\ndescription: caf".utf8) + [0xE9] + Array(" ok\n".utf8)).write(
            to: URL(fileURLWithPath: latin1))
        let utf16 = folder + "/utf16.yaml"
        try Data([0xFF, 0xFE] + Array("name: x\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }).write(
            to: URL(fileURLWithPath: utf16))
        let fifo = folder + "/fifo.yaml"
        mkfifo(fifo, 0o644)
        let cases: [(String, String)] = [
            ("validate \(latin1)", "latin1.yaml:2:17: error: byte 0xE9 is not UTF-8"),
            ("validate \(utf16)", "UTF-16"),
            ("validate \(folder)", "is a folder"),
            ("validate /dev/null", "not a regular file"),
            ("validate \(fifo)", "not a regular file"),
            ("run \(latin1)", "latin1.yaml:2:17:"),
        ]
        for (command, expected) in cases {
            let ending = try rehearseInShell(command, timeout: 20)
            #expect(ending.isClean && ending.code == 2, "\(command)")
            #expect(ending.stderr.contains(expected), "\(command): \(ending.stderr)")
            #expect(
                !ending.stderr.contains("NSCocoaErrorDomain") && !ending.stderr.contains("isn’t in the correct format")
                    && !ending.stderr.contains("permission"), "\(command): \(ending.stderr)")
        }
        // A reports folder that is a file.
        let blocked = folder + "/blocked"
        FileManager.default.createFile(atPath: blocked, contents: Data())
        let ending = try rehearseInShell(
            "run Scenarios/hotel-winback.yaml --customers 100 --reports-dir \(blocked) --quiet")
        #expect(ending.isClean && ending.code == 2)
        #expect(
            ending.stderr.contains("is a file, not a folder") && !ending.stderr.contains("NSCocoaErrorDomain"),
            "\(ending.stderr)")
    }

    /// Usage errors are invalid input, exit 2, as the README says; help is 0.
    @Test func usageErrorsExitTwo() throws {
        for command in [
            "explain", "explain Reports/x.sqlite --customer", "run", "run Scenarios/hotel-winback.yaml --frobnicate",
            "nonsense",
        ] {
            let ending = try rehearseInShell(command)
            #expect(ending.isClean && ending.code == 2, "\(command): \(ending.code)")
        }
        let help = try rehearseInShell("--help")
        #expect(help.isClean && help.code == 0 && help.stdout.contains("USAGE"))
    }

    /// A name must give a folder of its own: empty, path-like, colliding and overlong names are refused.
    @Test(arguments: ["\"\"", "a/b", "a:b", "../../etc", "a b", String(repeating: "n", count: 300)])
    func scenarioNamesAreFolderSafe(_ name: String) throws {
        let file = try adversarialFile(folder, "named", [("name: adversarial", "name: \(name)")])
        let ending = try rehearseInShell("validate \(file)")
        #expect(ending.isClean && ending.code == 2, "\(name)")
        #expect(ending.stderr.contains("named.yaml:1:7: error: name:"), "\(ending.stderr)")
    }

    /// The number of links is bounded, and refused at validate with its position.
    @Test func tooManyLinksAreRefusedAtValidate() throws {
        let links = (0...1000).map {
            "  extra\($0): {from: crm, to: map, carries: [conversions], stream: {latency: 5m}}\n"
        }.joined()
        let file = try adversarialFile(folder, "links", [("campaign:", links + "campaign:")])
        let ending = try rehearseInShell("validate \(file)", timeout: 20)
        #expect(ending.isClean && ending.code == 2)
        #expect(
            ending.stderr.contains("links.yaml:20:3:") && ending.stderr.contains("at most 1000"),
            "\(ending.stderr.prefix(300))")
    }

    /// Every input that ever crashed or hung (Tests/Regressions, where `make fuzz` keeps new ones) ends cleanly.
    @Test func regressionInputsEndCleanly() throws {
        let folder = root.appendingPathComponent("Tests/Regressions").path
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }
            .sorted()
        #expect(files.count >= 8)
        for file in files {
            let ending = try rehearseInShell(
                "run Tests/Regressions/\(file) --customers 2000 --reports-dir \(self.folder)/regressions --quiet",
                timeout: 60)
            #expect(ending.isClean, "\(file): \(ending.code) \(ending.stderr.prefix(300))")
        }
    }
}

/// Commands around the run: a gate that finds nothing fails, a sweep range too large is refused.
@Suite struct AdversarialCommandTests {
    @Test func aCheckThatFindsNoScenarioIsNotAPass() throws {
        let empty = temporaryFolder("empty-check")
        let ending = try rehearseInShell("check \(empty)")
        #expect(ending.isClean && ending.code == 2 && ending.stderr.contains("no scenario files"), "\(ending.stderr)")
    }

    @Test(arguments: [
        "population.customers=1..1e300:1", "population.customers=-1e300..1e300:1e299", "duration=1d..1e300d:1d",
    ])
    func hugeSweepRangesEndCleanly(_ vary: String) throws {
        let ending = try rehearseInShell(
            "sweep Scenarios/hotel-winback.yaml --vary \(vary) --customers 200 --reports-dir \(temporaryFolder("sweep"))"
        )
        #expect(ending.isClean && ending.code == 2, "\(vary): \(ending.stderr.prefix(300))")
    }
}

/// The house rules of the code (issue 13), checked on every test run: no file over 350 lines,
/// no function over 80, World.swift under 200 (scripts/code-shape.py says where).
@Suite struct CodeShapeTests {
    @Test func theHouseRulesHold() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "scripts/code-shape.py", "Sources"]
        p.currentDirectoryURL = root
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
    }
}

/// `--strict` turns lint warnings into exit 2 for CI; without it they are printed and the run goes on.
@Suite struct StrictLintTests {
    @Test func strictMakesWarningsAnError() throws {
        let folder = temporaryFolder("lint")
        let file = try adversarialFile(
            folder, "lint",
            [
                (
                    "campaign:",
                    "  sms_to_crm: {from: sms, to: crm, carries: [conversions], stream: {latency: 1m}}\ncampaign:"
                )
            ])
        let plain = try rehearseInShell("validate \(file)")
        #expect(
            plain.isClean && plain.code == 0 && plain.stderr.contains("lint.yaml:")
                && plain.stderr.contains("warning:"), "\(plain.stderr)")
        let strict = try rehearseInShell("validate --strict \(file)")
        #expect(strict.isClean && strict.code == 2 && strict.stderr.contains("--strict"), "\(strict.stderr)")
        let run = try rehearseInShell("run --strict \(file) --reports-dir \(folder)/reports --quiet")
        #expect(run.isClean && run.code == 2)
        let check = try rehearseInShell("check --strict \(file) --reports-dir \(folder)/reports")
        #expect(check.isClean && check.code == 2)
    }
}
