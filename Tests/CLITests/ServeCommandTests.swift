import Foundation
import TestKit
import Testing

/// `rehearse serve --check` and `rehearse calibrate` as a CI job runs them.
@Suite(.serialized) struct ServeCommandTests {
    let fixture = "Tests/ServeTests/Fixtures/check-stack.yaml"

    @Test func checkExitsZeroWhenTheCommandSucceedsAndTheExpectationsHold() throws {
        let reports = temporaryReports()
        let junit = reports + "/serve.xml"
        let (code, out, err) = try rehearse([
            "serve", fixture, "--check", "--port", "0", "--speed", "3600", "--reports-dir", reports, "--junit", junit,
            "--", "sh", "-c", "test -s \"$REHEARSE_SERVE_JSON\" && test -n \"$REHEARSE_TWILIO_URL\"",
        ])
        #expect(code == 0, "\(out)\(err)")
        #expect(out.contains("exited 0"))
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("<testsuite name=\"check-stack\""))
        #expect(FileManager.default.fileExists(atPath: reports + "/check-stack/serve.json"))
    }

    @Test func checkExitsOneWhenTheCommandFails() throws {
        let (code, _, err) = try rehearse([
            "serve", fixture, "--check", "--port", "0", "--speed", "3600", "--reports-dir", temporaryReports(),
            "--", "sh", "-c", "exit 3",
        ])
        #expect(code == 1)
        #expect(err.contains("exited 3"))
    }

    @Test func checkExitsOneWhenTheTeamsCodeMisfires() throws {
        // The "team's code" texts every customer at once, at 14:00 virtual, booked or not: some
        // booked during the first virtual hours, so post_conversion_sms > 0.
        let script = """
            sleep 2; for n in $(seq 0 199); do curl -s -o /dev/null -u AC1:t \
              --data-urlencode To=+1555$(printf %07d $n) -d From=+15005550006 -d Body=hi \
              "$REHEARSE_TWILIO_URL/2010-04-01/Accounts/AC1/Messages.json"; done; sleep 1
            """
        let (code, out, err) = try rehearse([
            "serve", fixture, "--check", "--port", "0", "--speed", "3600", "--reports-dir", temporaryReports(),
            "--", "sh", "-c", script,
        ])
        #expect(code == 1, "\(out)\(err)")
        #expect(out.contains("FAIL  misfires.post_conversion_sms"))
        #expect(out.contains("ended when the served command exited"))
    }

    @Test func checkExitsTwoOnAnInvalidScenario() throws {
        let (code, _, err) = try rehearse(["serve", "Tests/ServeTests/Fixtures/nope.yaml", "--check", "--", "true"])
        #expect(code == 2)
        #expect(err.contains("nope.yaml"))
    }

    @Test func aCommandWithoutCheckIsAUsageError() throws {
        let (code, _, err) = try rehearse(["serve", fixture, "--", "true"])
        #expect(code == 2)
        #expect(err.contains("--check"))
    }

    @Test func calibratePrintsADistributionAndListsBadRowsByLine() throws {
        let csv = temporaryPath("calibrate", ".csv")
        try "record,changed_at,arrived_at\na,1000,61000\nb,2026-07-06T00:00:00Z,2026-07-06T00:02:00.500Z\nc,5000,4000\nd,x,y\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let (code, out, err) = try rehearse(["calibrate", csv])
        #expect(code == 0, "\(err)")
        #expect(out.hasPrefix("{empirical: [1m, 120500ms]}\n"))
        #expect(err.contains("line 4: arrived before it changed") && err.contains("line 5: changed_at"))
        let scenario = temporaryPath("calibrated", ".yaml")
        let (code2, out2, err2) = try rehearse([
            "calibrate", csv, "--scenario", "Tests/ServeTests/Fixtures/calibrate-stack.yaml", "--link", "crm_to_map",
            "--output", scenario,
        ])
        #expect(code2 == 0, "\(err2)")
        #expect(out2.contains("wrote \(scenario)"))
        let (code3, _, _) = try rehearse(["validate", scenario])
        #expect(code3 == 0)
        let (code4, _, err4) = try rehearse(["calibrate", csv, "--scenario", "Scenarios/hotel-winback.yaml", "--link", "nope"])
        #expect(code4 == 2)
        #expect(err4.contains("no link named 'nope'"))
    }
}

/// `load:` executors against the Segment fake, end to end over loopback.
@Suite(.serialized) struct ServeLoadTests {
    @Test func loadExecutorsReachTheirPlannedRateAndReportIt() throws {
        let reports = temporaryReports()
        let (code, out, err) = try rehearse([
            "serve", "Tests/ServeTests/Fixtures/load-stack.yaml", "--check", "--port", "0", "--speed", "60",
            "--reports-dir", reports, "--", "sleep", "4",
        ])
        #expect(code == 0, "\(out)\(err)")
        #expect(out.contains("load (arrival-rate executors)"))
        // 400 planned at 200/s for 2 s; 50 for the ramp (0 → 100/s over its second second).
        #expect(out.contains("events → segment /v1/track: 400 of 400 planned requests"), "\(out)")
        #expect(out.contains("ramp → segment /v1/track: 50 of 50 planned requests"), "\(out)")
        #expect(out.contains("load:"), "the load's own credential shows among the clients")
    }

    @Test func rehearseRunSaysItIgnoresALoadSection() throws {
        let (code, _, err) = try rehearse([
            "run", "Tests/ServeTests/Fixtures/load-stack.yaml", "--reports-dir", temporaryReports(), "--quiet",
        ])
        #expect(code == 0)
        #expect(err.contains("note: load: drives `rehearse serve` only; this run ignores its 2 executors (events, ramp)"))
    }

    @Test func aLoadOnAPlatformWithoutAnInboundPathIsRefusedWithItsPosition() throws {
        let file = temporaryPath("load-bad", ".yaml")
        let text = try String(contentsOfFile: repositoryRoot + "/Tests/ServeTests/Fixtures/load-stack.yaml", encoding: .utf8)
            .replacingOccurrences(of: "events: {target: segment,", with: "events: {target: crm,")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let (code, _, err) = try rehearse(["validate", file])
        #expect(code == 2)
        #expect(err.contains(":19:") && err.contains("has no inbound path for load"))
    }
}

/// `explain` names, for a misfire, which platforms knew the change by the time of the message.
@Suite(.serialized) struct ExplainWhoKnewTests {
    @Test func aMisfireSaysWhoKnewTheChangeAndWhen() throws {
        let reports = temporaryReports()
        let (code, _, _) = try rehearse([
            "run", "Scenarios/twins/hotel-winback.broken.yaml", "--customers", "3000", "--reports-dir", reports, "--quiet",
        ])
        #expect(code == 0 || code == 1)
        let db = try #require(
            FileManager.default.enumerator(atPath: reports)?.compactMap { $0 as? String }.first { $0.hasSuffix(".sqlite") })
        let path = reports + "/" + db
        let (listed, out, _) = try rehearse(["explain", path, "--misfire", "44"])
        #expect(listed == 0)
        #expect(out.contains("the truth changed 2h3m before this message; crm knew at once (it observes it), map never heard by then"))
    }
}
