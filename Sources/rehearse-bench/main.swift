import Foundation
import Harness
import MarTechModel
import RunStore
import ScenarioKit
import StackSimulation

// rehearse-bench: the measurements behind `make bench`.
//
//   rehearse-bench engine SCENARIO CUSTOMERS   the simulation alone (rows discarded)
//   rehearse-bench write ROWS                  the write path against the raw C API, same rows, same file settings
//   rehearse-bench run SCENARIO CUSTOMERS      a full run (simulation + writer thread + SQLite), as `rehearse run`
//
// Wall-clock time is read here, outside the simulation, and never enters a result.

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func fmt(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

let args = CommandLine.arguments.dropFirst().map { $0 }
guard let mode = args.first else {
    print("usage: rehearse-bench engine|write|run …")
    exit(2)
}

switch mode {
case "engine":
    let scenario = try ScenarioRunner.load(path: args[1]).overriding(customers: Int(args[2]))
    var options = EngineOptions()
    options.runsOracle = !args.contains("--no-oracle")
    // Median of 3, alternating nothing else: the engine alone, rows discarded.
    var walls: [Double] = []
    var result: EngineResult?
    let sink = DiscardingSink()
    for _ in 0..<3 { walls.append(seconds { result = Engine.run(plan: scenario.plan, options: options, sink: DiscardingSink()) }) }
    _ = Engine.run(plan: scenario.plan, options: options, sink: sink)
    let wall = walls.sorted()[1]
    let events = result!.summary.eventsProcessed
    print("engine\(options.runsOracle ? "" : " (no oracle)") \(scenario.name) customers=\(scenario.plan.customers) wall=\(fmt(wall))s events=\(events) events/s=\(fmt(Double(events) / wall / 1e6, 2))M rows=\(sink.rowCount) rows/s(produced)=\(fmt(Double(sink.rowCount) / wall / 1e6))M")
case "write":
    let n = Int(args[1]) ?? 2_000_000
    var rows: [DeliveryRecord] = []
    rows.reserveCapacity(n)
    for i in 0..<n {
        rows.append(DeliveryRecord(link: UInt16(i % 3), customer: Int32(i % 1_000_000), field: UInt16(i % 4), changeId: Int64(i),
                                   value: UInt8(i & 1), sentAt: Int64(i) * 1000, appliedAt: Int64(i) * 1000 + 2_700_000, batch: Int32(i / 50_000)))
    }
    let dir = NSTemporaryDirectory()
    let rawPath = dir + "rehearse-bench-raw.sqlite", storePath = dir + "rehearse-bench-store.sqlite"
    var rawTimes: [Double] = [], storeTimes: [Double] = []
    for _ in 0..<3 {
        try? FileManager.default.removeItem(atPath: rawPath)
        rawTimes.append(try seconds { _ = try RawSQLiteBaseline.insertDeliveries(rows, path: rawPath) })
        try? FileManager.default.removeItem(atPath: storePath)
        let store = try RunStore(creatingAt: storePath)
        storeTimes.append(try seconds {
            try store.begin(RunDescription(
                scenario: "bench", scenarioFile: "-", scenarioText: "", scenarioHash: "0", seed: 0, customers: 0, horizonMilliseconds: 0,
                startUnixMilliseconds: 0, toolVersion: "bench", command: "", fields: [], platforms: [], links: [], steps: [], timezones: []))
            var batch = RecordBatch()
            for chunk in stride(from: 0, to: n, by: 65_536) {
                batch.deliveries = Array(rows[chunk..<min(chunk + 65_536, n)])
                try store.write(batch)
            }
            store.abandon(status: "complete")
        })
    }
    let raw = Double(n) / rawTimes.sorted()[1], ours = Double(n) / storeTimes.sorted()[1]
    print("write   rows=\(n) raw C API=\(fmt(raw / 1e3, 0))k rows/s  RunStore=\(fmt(ours / 1e3, 0))k rows/s  ratio=\(fmt(ours / raw * 100, 1))% (median of 3)")
    try? FileManager.default.removeItem(atPath: rawPath)
    try? FileManager.default.removeItem(atPath: storePath)
case "run":
    var request = RunRequest(scenarioPath: args[1], customers: Int(args[2]))
    request.reportsDirectory = NSTemporaryDirectory() + "rehearse-bench-reports"
    var outcome: RunOutcome?
    let wall = try seconds { outcome = try ScenarioRunner.run(request) }
    let o = outcome!
    let events = o.result.summary.eventsProcessed, rows = o.result.rowsWritten
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    print("run     \(o.scenario.name) customers=\(o.scenario.plan.customers) wall=\(fmt(wall))s events=\(events) events/s=\(fmt(Double(events) / wall / 1e6))M rows=\(rows) rows/s=\(fmt(Double(rows) / wall / 1e3, 0))k peakRSS=\(usage.ru_maxrss / 1024)MiB phases: simulate \(fmt(o.phaseSeconds.simulate))s, drain writer \(fmt(o.phaseSeconds.drain))s, index+commit+reports \(fmt(o.phaseSeconds.finish))s")
case "fuzz":
    // rehearse-bench fuzz SECONDS [SEED]: mutate every file under Scenarios/ until time runs out.
    let budget = Double(args.count > 1 ? args[1] : "60") ?? 60
    let seed = UInt64(args.count > 2 ? args[2] : "1") ?? 1
    let files = (FileManager.default.enumerator(atPath: "Scenarios")?.compactMap { $0 as? String } ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    let corpus = files.compactMap { try? String(contentsOfFile: "Scenarios/" + $0, encoding: .utf8) }
    var mutator = ScenarioMutator(seed: seed)
    var inputs = 0, valid = 0
    let start = DispatchTime.now().uptimeNanoseconds
    while Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < budget {
        let input = mutator.mutate(corpus[inputs % corpus.count])
        inputs += 1
        do {
            let scenario = try Scenario.parse(yaml: input, sourceName: "fuzz-\(seed)-\(inputs).yaml")
            valid += 1
            // A valid mutant must also run: 50 customers, rows discarded.
            let path = "fuzz-running-\(seed).yaml"
            try? input.write(toFile: path, atomically: true, encoding: .utf8)
            _ = Engine.run(plan: scenario.overriding(customers: min(scenario.plan.customers, 50)).plan, options: EngineOptions(), sink: DiscardingSink())
            try? FileManager.default.removeItem(atPath: path)
        } catch {
            if error.diagnostics.isEmpty || error.diagnostics.contains(where: { $0.line < 1 || $0.column < 1 }) {
                let path = "fuzz-failure-\(seed)-\(inputs).yaml"
                try? input.write(toFile: path, atomically: true, encoding: .utf8)
                print("fuzz: an error without a position, input saved to \(path)")
                exit(1)
            }
        }
    }
    print("fuzz   seed=\(seed) inputs=\(inputs) valid=\(valid) (each run on 50 customers) invalid=\(inputs - valid) crashes=0 (a crash stops this process and leaves fuzz-running-\(seed).yaml)")
default:
    print("unknown mode \(mode)")
    exit(2)
}
