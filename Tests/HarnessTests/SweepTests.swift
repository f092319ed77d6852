import Foundation
import Harness
import RunStore
import ScenarioKit
import TestKit
import Testing

private let twin = repositoryRoot + "/Scenarios/twins/hotel-winback.broken.yaml"

private func sweep(
    _ vary: [String], customers: Int = 3000, replications: Int = 3, jobs: Int = 1, find: String? = nil,
    shard: (Int, Int)? = nil, reports: String
) throws -> SweepOutcome {
    var r = SweepRequest(scenarioPath: twin, axes: try vary.map(SweepAxis.parse))
    r.customers = customers
    r.replications = replications
    r.jobs = jobs
    r.find = try find.map(ThresholdGoal.parse)
    r.shard = shard.map { (index: $0.0, count: $0.1) }
    r.reportsDirectory = reports
    return try SweepRunner.run(r, shouldStop: { false })
}

/// Should read ranges as scenario files write them, patch the YAML they name, run grids in
/// parallel with identical results, find thresholds consistent with the curve, and merge shards
/// into exactly what one machine writes.
@Suite struct SweepTests {
    @Test func rangesReadDurationsClockTimesNumbersAndLists() throws {
        let d = try SweepAxis.parse("chaos[0].outage.for=0h..48h:6h")
        #expect(d.values == ["0s", "6h", "12h", "18h", "24h", "30h", "36h", "42h", "48h"])
        #expect(d.unit == .duration)
        let c = try SweepAxis.parse("links.crm_to_map.batch.at=00:00..06:00:90m")
        #expect(c.values == ["\"00:00\"", "\"01:30\"", "\"03:00\"", "\"04:30\"", "\"06:00\""])
        let n = try SweepAxis.parse("population.consent.sms=10%..30%:10%")
        #expect(n.positions.count == 3 && abs(n.positions[2] - 0.3) < 1e-12)
        let l = try SweepAxis.parse("platforms.sms.throughput=1/s,3/s,100/s")
        #expect(l.values == ["1/s", "3/s", "100/s"] && l.unit == .label)
        #expect(throws: SweepAxis.SpecError.self) { try SweepAxis.parse("nopath") }
        #expect(throws: SweepAxis.SpecError.self) { try SweepAxis.parse("x=6h..0h:1h") }
        #expect(throws: SweepAxis.SpecError.self) { try SweepAxis.parse("x=0h..1h") }
    }

    @Test func patchSetsNestedValuesAddsMissingSettingsAndNamesBadPaths() throws {
        let yaml =
            "name: a\nlinks:\n  l: {batch: {at: \"02:00\"}}\nchaos:\n  - {at: day 1, outage: {platform: map, for: 6h}}\n"
        let out = try ScenarioPatch.apply(
            [("links.l.batch.at", "\"04:00\""), ("chaos[0].outage.for", "30h"), ("links.l.retry", "{attempts: 5}")],
            to: yaml)
        #expect(out.contains("04:00") && out.contains("30h") && out.contains("attempts: 5"))
        #expect(!out.contains("02:00"))
        #expect(throws: ScenarioPatch.PatchError.self) { try ScenarioPatch.apply([("linkz.l.batch", "1")], to: yaml) }
        #expect(throws: ScenarioPatch.PatchError.self) {
            try ScenarioPatch.apply([("chaos[3].outage.for", "1h")], to: yaml)
        }
        do {
            _ = try ScenarioPatch.apply([("links.m.batch.at", "1")], to: yaml)
        } catch {
            #expect(error.description.contains("no 'm' here; did you mean 'l'?"))
        }
    }

    /// The later the DSP applies its suppression list, the more impressions each converter gets
    /// after converting; the boundary `--find` reports lies where the curve crosses the bound.
    @Test func suppressionDelaySweepIsMonotoneAndFindAgreesWithTheCurve() throws {
        let dir = temporaryReports()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let o = try sweep(
            ["platforms.dsp.suppression_apply_delay=0h..48h:6h"], customers: 4000,
            find: "impressions.wasted_per_converter <= 1", reports: dir)
        let grid = o.variants.filter { !$0.label.contains("bisection") }.sorted { $0.x < $1.x }
        #expect(grid.count == 9)
        func mean(_ v: Int) -> Double {
            let xs = o.samples.filter { $0.variant == v && $0.metric == "impressions.wasted_per_converter" }.map(
                \.value)
            return xs.reduce(0, +) / Double(xs.count)
        }
        let curve = grid.map { mean($0.id) }
        #expect(zip(curve, curve.dropFirst()).allSatisfy { $0 < $1 }, "monotone: \(curve)")
        let finding = try #require(o.threshold)
        #expect(finding.found)
        // The grid brackets the crossing; the boundary lies inside the bracket.
        let i = try #require(curve.indices.dropLast().first { curve[$0] <= 1 && curve[$0 + 1] > 1 })
        #expect(finding.boundary >= grid[i].x && finding.boundary <= grid[i + 1].x, "\(finding.sentence)")
        // And near where the straight line between them crosses 1 (the curve is close to linear there).
        let interpolated = grid[i].x + (1 - curve[i]) / (curve[i + 1] - curve[i]) * (grid[i + 1].x - grid[i].x)
        #expect(
            abs(finding.boundary - interpolated) <= max(finding.uncertainty * 2, 1_800_000),
            "\(finding.sentence) vs \(interpolated / 3_600_000)h")
        #expect(finding.sentence.contains("at most"))
        let html = try String(contentsOfFile: String(o.databasePath.dropLast(7)) + ".html", encoding: .utf8)
        #expect(
            html.contains("<polygon") && html.contains(finding.sentence.replacingOccurrences(of: "<", with: "&lt;")))
    }

    /// A fresher suppression batch cannot beat the DSP's 6-hour apply delay: the finding says no
    /// value reaches the goal and names the setting that does move it, from a re-run.
    @Test func anUnreachableGoalNamesTheSettingThatMovesIt() throws {
        let dir = temporaryReports()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let o = try sweep(
            ["links.crm_to_dsp.batch.every=1h..3h:1h"], replications: 2,
            find: "impressions.wasted_per_converter <= 0.05", reports: dir)
        let finding = try #require(o.threshold)
        #expect(!finding.found)
        #expect(finding.sentence.contains("holds at no value tried"), "\(finding.sentence)")
        // The lowest cadence a batch can run at was tried too: widening the range would not help.
        #expect(finding.sentence.contains("as low as the parameter goes"), "\(finding.sentence)")
        #expect(!finding.sentence.contains("widen"))
        #expect(
            finding.sentence.contains("The setting that moves it most: `platforms.dsp.apply_delay: none` takes it from"),
            "\(finding.sentence)")
        #expect(finding.sentence.contains("at the nearest value tried, same seed"))
    }

    @Test func twoJobsWriteWhatOneJobWrites() throws {
        let a = temporaryReports(), b = temporaryReports()
        defer { [a, b].forEach { try? FileManager.default.removeItem(atPath: $0) } }
        let vary = ["links.crm_to_dsp.batch.every=2h..16h:2h"]
        let one = try sweep(vary, replications: 2, jobs: 1, reports: a)
        let two = try sweep(vary, replications: 2, jobs: 2, reports: b)
        #expect(one.variants.count == 8)
        #expect(one.samples == two.samples)
        #expect(try SweepStore.read(path: one.databasePath).samples == SweepStore.read(path: two.databasePath).samples)
    }

    @Test func mergedShardsEqualTheSingleRun() throws {
        let whole = temporaryReports(), sliced = temporaryReports()
        defer { [whole, sliced].forEach { try? FileManager.default.removeItem(atPath: $0) } }
        let vary = ["chaos[0].outage.for=0h..12h:6h"]
        let text =
            try String(contentsOfFile: twin, encoding: .utf8)
            + "\nchaos:\n  - {at: \"day 2 01:00\", outage: {platform: map, for: 6h}}\n"
        let file = sliced + "/hotel-chaos.yaml"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        func run(_ shard: (Int, Int)?, _ dir: String) throws -> SweepOutcome {
            var r = SweepRequest(scenarioPath: file, axes: try vary.map(SweepAxis.parse))
            r.customers = 2000
            r.replications = 2
            r.shard = shard.map { (index: $0.0, count: $0.1) }
            r.reportsDirectory = dir
            return try SweepRunner.run(r, shouldStop: { false })
        }
        let single = try run(nil, whole)
        let shards = try (1...3).map { try run(($0, 3), sliced) }
        #expect(shards.map { Set($0.samples.map(\.variant)).count }.reduce(0, +) >= 3)
        #expect(shards.allSatisfy { $0.header.status == "partial" })
        let merged = try SweepMerger.merge(shards.map(\.databasePath), reportsDirectory: sliced, command: "merge")
        let a = try SweepStore.read(path: single.databasePath), b = try SweepStore.read(path: merged.databasePath)
        #expect(a.samples == b.samples)
        #expect(a.variants == b.variants)
        #expect(a.header.scenarioHash == b.header.scenarioHash && b.header.status == "complete")
        // A file that is not a sweep database is named as such.
        let notSweep = sliced + "/empty.sqlite"
        FileManager.default.createFile(atPath: notSweep, contents: Data())
        do {
            _ = try SweepMerger.merge([notSweep], reportsDirectory: sliced, command: "merge")
            Issue.record("a non-sweep file should be refused")
        } catch {
            #expect(error.description.contains("is not a sweep database"))
        }
        // A missing slice is refused, not silently merged.
        #expect(throws: HarnessError.self) {
            try SweepMerger.merge(shards.prefix(2).map(\.databasePath), reportsDirectory: sliced, command: "merge")
        }
    }

    @Test func aMisspeltGoalMetricIsRefusedBeforeAnythingRuns() throws {
        let dir = temporaryReports()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            _ = try sweep(
                ["platforms.dsp.suppression_apply_delay=0h..6h:6h"],
                find: "misfires.post_conversion_impresions.rate <= 1%", reports: dir)
            Issue.record("an unknown metric should be refused")
        } catch let error as HarnessError {
            #expect(error.description.contains("did you mean 'misfires.post_conversion_impressions.rate'?"))
        }
        #expect(
            (try? FileManager.default.contentsOfDirectory(atPath: dir + "/hotel-winback-broken")) == nil,
            "nothing written")
    }

    @Test func hugeGridsAreRefusedUpFront() throws {
        let dir = temporaryReports()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            _ = try sweep(
                ["links.crm_to_dsp.batch.every=1h..1000h:1h", "platforms.dsp.suppression_apply_delay=1m..1000m:1m"],
                reports: dir)
            Issue.record("a 10^6-variant sweep should be refused")
        } catch let error as HarnessError {
            #expect(error.description.contains("1000000 variants"))
            #expect(error.description.contains("--allow-large"))
        }
    }
}
