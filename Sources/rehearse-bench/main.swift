import Foundation
import Harness
import MarTechModel
import Reporting
import RunStore
import ScenarioKit
import StackSimulation

// rehearse-bench: the measurements behind `make bench`.
//
//   rehearse-bench engine SCENARIO CUSTOMERS   the simulation alone (rows discarded); --runs N, --no-oracle,
//                                              --spread-records BYTES (records that far apart: the block-size control)
//   rehearse-bench write ROWS                  the write path against the raw C API, same rows, same file settings
//   rehearse-bench run SCENARIO CUSTOMERS      a full run (simulation + writer thread + SQLite), as `rehearse run`
//   rehearse-bench warm-memory MIB             touch and free that much memory, just before a timed run (WarmMemory.swift)
//   rehearse-bench memory-latency MIB…         ns per random dependent load over blocks of those sizes (MemoryLatency.swift)
//   rehearse-bench bare-http PORT              Hummingbird answering GET /hello: serve mode's baseline (scripts/serve-bench.sh)
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
    print("usage: rehearse-bench engine|write|run|warm-memory|memory-latency …")
    exit(2)
}

switch mode {
case "engine":
    let scenario = try ScenarioRunner.load(path: args[1]).overriding(customers: Int(args[2]))
    var options = EngineOptions()
    options.runsOracle = !args.contains("--no-oracle")
    if let i = args.firstIndex(of: "--spread-records") {
        // The control for the record block's size: records this many bytes apart (EngineOptions.recordSpacing).
        guard i + 1 < args.count, let spacing = Int(args[i + 1]), spacing > 0, spacing <= 1 << 20 else {
            print("usage: rehearse-bench engine SCENARIO CUSTOMERS --spread-records BYTES (1 to 1048576)")
            exit(2)
        }
        options.recordSpacing = spacing
    }
    // Median of 3 (or --runs N), nothing else running: the engine alone, rows counted and discarded.
    var walls: [(run: Double, loop: Double)] = []
    var result: EngineResult?
    let sink = DiscardingSink()
    let runs = args.firstIndex(of: "--runs").flatMap { $0 + 1 < args.count ? Int(args[$0 + 1]) : nil } ?? 3
    for _ in 0..<max(runs, 1) {
        // Setup (building the world, its arrays' first touch, arming every process) and the
        // event loop, timed apart.
        var armedAt: UInt64 = 0
        let run = seconds {
            result = Engine.run(
                plan: scenario.plan, options: options, sink: sink, armed: { armedAt = DispatchTime.now().uptimeNanoseconds })
        }
        let loop = Double(DispatchTime.now().uptimeNanoseconds - armedAt) / 1e9
        walls.append((run, loop))
    }
    let median = walls.sorted { $0.run < $1.run }[walls.count / 2]
    let wall = median.run
    let rows = sink.rowCount / walls.count
    let events = result!.summary.eventsProcessed
    print(
        "engine\(options.runsOracle ? "" : " (no oracle)")\(options.recordSpacing > 0 ? " (records \(result!.stateBytes.recordBlockBytes / max(scenario.plan.customers, 1)) B apart)" : "") \(scenario.name) customers=\(scenario.plan.customers) wall=\(fmt(wall))s events=\(events) events/s=\(fmt(Double(events) / wall / 1e6, 3))M rows=\(rows) rows/s(produced)=\(fmt(Double(rows) / wall / 1e6))M setup=\(fmt(wall - median.loop))s loop=\(fmt(median.loop))s loop-events/s=\(fmt(Double(events) / median.loop / 1e6, 3))M"
    )
    // What each byte per customer holds (docs/performance.md's table).
    let n = Double(max(scenario.plan.customers, 1))
    for part in result!.stateBytes.parts {
        print("   state \(fmt(Double(part.bytes) / n, 1)) B/customer  \(part.name)")
    }
    print("   state \(fmt(Double(result!.stateBytes.total) / n, 1)) B/customer  in all (the engine's arrays; rows, SQLite and the allocator come on top)")
    let block = result!.stateBytes.recordBlockBytes
    if options.recordSpacing > 0 && scenario.plan.customers > 0
        && block / scenario.plan.customers != (options.recordSpacing + 7) & ~7
    {
        print(
            "   warning: --spread-records \(options.recordSpacing) is not more than a record's own \(block / scenario.plan.customers) bytes: the records stayed packed, as without it"
        )
    }
    print("   records \(block) bytes in one block (\(fmt(Double(block) / n, 1)) B/customer), touched at random: record-block-mib=\((block + (1 << 20) - 1) >> 20) record-stride=\(block / max(scenario.plan.customers, 1))")
case "write":
    let n = Int(args[1]) ?? 2_000_000
    var rows: [DeliveryRecord] = []
    rows.reserveCapacity(n)
    for i in 0..<n {
        rows.append(
            DeliveryRecord(
                link: UInt16(i % 3), customer: Int32(i % 1_000_000), field: UInt16(i % 4), changeId: Int64(i),
                value: UInt8(i & 1), sentAt: Int64(i) * 1000, appliedAt: Int64(i) * 1000 + 2_700_000,
                batch: Int32(i / 50_000)))
    }
    let dir = NSTemporaryDirectory()
    let rawPath = dir + "rehearse-bench-raw.sqlite", storePath = dir + "rehearse-bench-store.sqlite"
    var rawTimes: [Double] = [], storeTimes: [Double] = []
    for _ in 0..<3 {
        try? FileManager.default.removeItem(atPath: rawPath)
        rawTimes.append(try seconds { _ = try RawSQLiteBaseline.insertDeliveries(rows, path: rawPath) })
        try? FileManager.default.removeItem(atPath: storePath)
        let store = try RunStore(creatingAt: storePath)
        storeTimes.append(
            try seconds {
                try store.begin(
                    RunDescription(
                        scenario: "bench", scenarioFile: "-", scenarioText: "", scenarioHash: "0", seed: 0,
                        customers: 0, horizonMilliseconds: 0,
                        startUnixMilliseconds: 0, toolVersion: "bench", command: "", fields: [], platforms: [],
                        links: [], steps: [], timezones: []))
                var batch = RecordBatch()
                for chunk in stride(from: 0, to: n, by: 65_536) {
                    batch.deliveries = Array(rows[chunk..<min(chunk + 65_536, n)])
                    try store.write(batch)
                }
                store.abandon(status: "complete")
            })
    }
    let raw = Double(n) / rawTimes.sorted()[1], ours = Double(n) / storeTimes.sorted()[1]
    print(
        "write   rows=\(n) raw C API=\(fmt(raw / 1e3, 0))k rows/s  RunStore=\(fmt(ours / 1e3, 0))k rows/s  ratio=\(fmt(ours / raw * 100, 1))% (median of 3)"
    )
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
    print(
        "run     \(o.scenario.name) customers=\(o.scenario.plan.customers) wall=\(fmt(wall))s events=\(events) events/s=\(fmt(Double(events) / wall / 1e6))M rows=\(rows) rows/s=\(fmt(Double(rows) / wall / 1e3, 0))k peakRSS=\(usage.ru_maxrss / 1024)MiB phases: simulate \(fmt(o.phaseSeconds.simulate))s, drain writer \(fmt(o.phaseSeconds.drain))s, index+commit+reports \(fmt(o.phaseSeconds.finish))s"
    )
case "fuzz":
    // rehearse-bench fuzz SECONDS [SEED]: mutate every file under Scenarios/ until time runs out.
    // Each mutant is written to fuzz-running-SEED.yaml and loaded as `rehearse` loads a file (bytes
    // included); a valid one runs on 50 customers and every report is rendered. A crash leaves
    // that file for scripts/fuzz.sh to keep as a regression input; an input still running after
    // 10 s is saved as fuzz-hang-SEED-N.yaml and ends the fuzz with exit 1.
    let budget = Double(args.count > 1 ? args[1] : "60") ?? 60
    let seed = UInt64(args.count > 2 ? args[2] : "1") ?? 1
    let files = (FileManager.default.enumerator(atPath: "Scenarios")?.compactMap { $0 as? String } ?? []).filter {
        $0.hasSuffix(".yaml")
    }.sorted()
    let corpus = files.compactMap { try? String(contentsOfFile: "Scenarios/" + $0, encoding: .utf8) }
    var mutator = ScenarioMutator(seed: seed)
    var inputs = 0, valid = 0, slowest = 0.0
    let path = "fuzz-running-\(seed).yaml"
    let watchdog = FuzzWatchdog(path: path, seed: seed, limitSeconds: 10)
    let start = DispatchTime.now().uptimeNanoseconds
    while Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < budget {
        let bytes = mutator.mutateBytes(corpus[inputs % corpus.count])
        inputs += 1
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let began = watchdog.begin(input: inputs)
        do {
            var scenario = try ScenarioRunner.load(path: path).overriding(customers: 50)
            scenario.plan.limits.eventBudget = 5_000_000
            valid += 1
            let result = Engine.run(plan: scenario.plan, options: EngineOptions(), sink: DiscardingSink())
            let overview = ScenarioRunner.makeOverview(
                scenario: scenario, scenarioFile: path, summary: result.summary, databasePath: "fuzz.sqlite",
                rowsWritten: result.rowsWritten,
                reproduceCommand: "-", complete: result.stopReason == .horizonReached)
            _ = TextSummary.render(overview) + JSONSummary.render(overview) + MarkdownReport.render(overview)
            _ = HTMLReport.render(overview, scenarioText: scenario.sourceText)
        } catch {
            if case .invalidScenario(let e) = error,
                e.diagnostics.isEmpty || e.diagnostics.contains(where: { $0.line < 1 || $0.column < 1 })
            {
                let saved = "fuzz-failure-\(seed)-\(inputs).yaml"
                try? FileManager.default.moveItem(atPath: path, toPath: saved)
                print("fuzz: an error without a position, input saved to \(saved)")
                exit(1)
            }
        }
        slowest = max(slowest, watchdog.end(began))
    }
    try? FileManager.default.removeItem(atPath: path)
    print(
        "fuzz   seed=\(seed) inputs=\(inputs) valid=\(valid) (each run on 50 customers, every report rendered) invalid=\(inputs - valid) crashes=0 hangs=0 slowest input=\(fmt(slowest))s"
    )
case "warm-memory":
    guard let mebibytes = args.count > 1 ? Int(args[1]) : 2048, mebibytes > 0 else {
        print("usage: rehearse-bench warm-memory MIB (a whole number of mebibytes above 0; 2048 if left out)")
        exit(2)
    }
    guard let took = warmMemory(mebibytes: mebibytes) else {
        print("warm-memory: could not map \(mebibytes) MiB; the next run starts on memory as it comes")
        exit(1)
    }
    print("warm-memory \(mebibytes) MiB touched and freed in \(fmt(took))s")
case "memory-latency":
    let sizes = args.dropFirst().map { Int($0) ?? 0 }
    guard !sizes.isEmpty, sizes.allSatisfy({ $0 > 0 }) else {
        print("usage: rehearse-bench memory-latency MIB [MIB…] (whole numbers of mebibytes above 0)")
        exit(2)
    }
    for mebibytes in sizes {
        guard let nanoseconds = randomLoadNanoseconds(mebibytes: mebibytes) else {
            print("memory-latency: could not map \(mebibytes) MiB")
            exit(1)
        }
        print("memory-latency block=\(mebibytes)MiB ns-per-load=\(fmt(nanoseconds, 1))")
    }
case "bare-http":
    // The baseline for serve mode's throughput: the same HTTP library answering `GET /hello`.
    BareServer.run(port: Int(args[1]) ?? 8080)
default:
    print("unknown mode \(mode)")
    exit(2)
}

/// Ends the fuzz if one input runs too long: a hang is saved as an input and reported, not waited for.
final class FuzzWatchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private var startedAt: UInt64 = 0

    init(path: String, seed: UInt64, limitSeconds: Double) {
        let thread = Thread { [unowned self] in
            while true {
                Thread.sleep(forTimeInterval: 1)
                self.lock.lock()
                let (input, since) = (self.current, self.startedAt)
                self.lock.unlock()
                guard since > 0, Double(DispatchTime.now().uptimeNanoseconds - since) / 1e9 > limitSeconds else {
                    continue
                }
                let saved = "fuzz-hang-\(seed)-\(input).yaml"
                try? FileManager.default.copyItem(atPath: path, toPath: saved)
                print("fuzz: input \(input) ran for more than \(Int(limitSeconds)) s (a hang); saved to \(saved)")
                exit(1)
            }
        }
        thread.start()
    }

    func begin(input: Int) -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        current = input
        startedAt = DispatchTime.now().uptimeNanoseconds
        return startedAt
    }

    /// Seconds the input took.
    func end(_ began: UInt64) -> Double {
        lock.lock()
        defer { lock.unlock() }
        startedAt = 0
        return Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
    }
}
