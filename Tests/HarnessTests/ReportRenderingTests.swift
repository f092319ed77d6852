import Foundation
import Harness
import TestKit
import Testing

private let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

/// Should write self-contained HTML and Markdown reports, and the HTML should render in a browser.
@Suite struct ReportRenderingTests {
    private func runHotel(_ dir: String) throws -> RunOutcome {
        var r = RunRequest(scenarioPath: repositoryRoot + "/Scenarios/hotel-winback.yaml", customers: 4000)
        r.reportsDirectory = dir
        return try ScenarioRunner.run(r, shouldStop: { false })
    }

    @Test func htmlIsSelfContainedWithItsCharts() throws {
        let dir = temporaryReports()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let o = try runHotel(dir)
        let html = try String(contentsOfFile: o.paths.html, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(
            html.components(separatedBy: "<svg ").count - 1 == 5, "cause bars, timeline, freshness, backlog, latency")
        for section in [
            "Expectations", "Misfires by type and root cause", "Misfire timeline", "Freshness over time",
            "Backlog over time", "Latency distributions", "Links (SLA)", "What to change", "Scenario",
        ] {
            #expect(html.contains(section), "\(section)")
        }
        // What to change comes right after the verdict, before the charts; the tiles lead with the verdict.
        let order = ["<h2>Expectations", "<h2>What to change", "<h2>Misfires by type"].compactMap {
            html.range(of: $0)?.lowerBound
        }
        #expect(order.count == 3 && order == order.sorted(), "expectations, then what to change, then the charts")
        #expect(html.contains("expectations failed</div>") || html.contains("expectations met</div>"))
        #expect(html.contains("critical misfires (consent, quiet hours, minors)"))
        #expect(html.contains("<h2>Journey funnel"), "the per-step funnel")
        #expect(html.contains("<text x=\"12\"") && html.contains("day of the run"), "axis titles")
        #expect(!html.contains("<script"), "no scripts")
        #expect(
            !html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("url(http"),
            "no network fetches")
        let md = try String(contentsOfFile: o.paths.markdown, encoding: .utf8)
        #expect(md.hasPrefix("## Rehearsal: hotel-winback"))
        #expect(md.contains("| bookings_to_map |"))
        // Same scenario and seed: byte-identical reports.
        let again = try runHotel(temporaryReports())
        #expect(try String(contentsOfFile: again.paths.html, encoding: .utf8) == html)
    }

    @Test(.enabled(if: chromium != nil, "needs headless Chromium (apt-get install chromium; .ci/run installs it)"))
    func htmlRendersInHeadlessChromium() throws {
        let dir = temporaryReports()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let o = try runHotel(dir)
        let png = dir + "/report.png"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium!)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--screenshot=\(png)",
            "--window-size=1000,1800",
            "file://" + o.paths.html,
        ]
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        process.waitUntilExit()
        let data = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "a PNG")
        // A blank page compresses to a few kilobytes; charts and tables do not.
        #expect(data.count > 50_000, "\(data.count) bytes")
    }
}

/// Should regenerate every report from the results database alone.
@Suite struct ReportRegenerationTests {
    @Test func reportsFromTheDatabaseMatchTheOriginals() throws {
        let dir = temporaryReports()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var r = RunRequest(scenarioPath: repositoryRoot + "/Scenarios/hotel-winback.yaml", customers: 2500)
        r.reportsDirectory = dir
        let o = try ScenarioRunner.run(r, shouldStop: { false })
        let files = [o.paths.html, o.paths.markdown, o.paths.json, o.paths.text]
        let originals = try files.map { try String(contentsOfFile: $0, encoding: .utf8) }
        for f in files { try FileManager.default.removeItem(atPath: f) }
        _ = try ReportRegenerator.regenerate(results: o.databasePath)
        let again = try files.map { try String(contentsOfFile: $0, encoding: .utf8) }
        #expect(again == originals)
    }

    @Test func anInterruptedRunHasNoReportsToRegenerate() throws {
        let dir = temporaryReports()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var r = RunRequest(scenarioPath: repositoryRoot + "/Scenarios/hotel-winback.yaml", customers: 500)
        r.reportsDirectory = dir
        let o = try ScenarioRunner.run(r, shouldStop: { true })
        #expect(throws: HarnessError.self) { _ = try ReportRegenerator.regenerate(results: o.databasePath) }
    }
}
