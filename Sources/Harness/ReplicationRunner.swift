import Foundation
import Reporting

/// Runs the same scenario under consecutive seeds, several at a time.
///
/// Replications are independent runs with their own results files, so they parallelise for
/// free: `jobs` runs at once (each with its own writer thread). Results are returned in seed
/// order whatever order they finish in, so the output does not depend on scheduling.
public enum ReplicationRunner {
    public static func run(_ request: RunRequest, replications: Int, jobs: Int, firstSeed: UInt64) throws
        -> [RunOutcome]
    {
        precondition(replications >= 1 && jobs >= 1)
        let seeds = (0..<UInt64(replications)).map { firstSeed &+ $0 }
        let box = ResultsBox(count: replications)
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = jobs
        for (i, seed) in seeds.enumerated() {
            var seeded = request
            seeded.seed = seed
            let r = seeded
            queue.addOperation {
                do { box.set(i, .success(try ScenarioRunner.run(r))) } catch { box.set(i, .failure(error)) }
            }
        }
        queue.waitUntilAllOperationsAreFinished()
        return try box.results.map { try $0!.get() }
    }
}

/// Collects results from worker threads.
private final class ResultsBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var results: [Result<RunOutcome, Error>?]
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<RunOutcome, Error>) {
        lock.lock()
        results[i] = r
        lock.unlock()
    }
}
