import Foundation
import MarTechModel
import RunStore

/// A record sink that writes on a second thread, so simulating and writing overlap.
///
/// The queue between the two is bounded (a few batches): when SQLite falls behind, the
/// simulation waits rather than buffering without limit. A write error stops accepting rows
/// and is reported by `finish()`; `hasFailed` lets the simulation stop early.
final class ThreadedSink: RecordSink, @unchecked Sendable {
    private let store: RunStore
    private let condition = NSCondition()
    private var queue: [RecordBatch] = []
    private var closed = false
    private var drained = false
    private var failure: Error?
    private var thread: Thread?
    private let capacity = 4

    init(store: RunStore) {
        self.store = store
        let thread = Thread { [unowned self] in self.drain() }
        thread.name = "rehearsal-writer"
        self.thread = thread
        thread.start()
    }

    var hasFailed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return failure != nil
    }

    func consume(_ batch: RecordBatch) {
        condition.lock()
        while queue.count >= capacity && failure == nil { condition.wait() }
        if failure == nil { queue.append(batch) }
        condition.signal()
        condition.unlock()
    }

    private func drain() {
        while true {
            condition.lock()
            while queue.isEmpty && !closed { condition.wait() }
            if queue.isEmpty && closed {
                drained = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = queue.removeFirst()
            condition.broadcast()
            condition.unlock()
            do {
                try store.write(batch)
            } catch {
                condition.lock()
                failure = error
                queue.removeAll()
                condition.broadcast()
                condition.unlock()
            }
        }
    }

    /// Waits until every queued batch is written; rethrows the first write error.
    func finish() throws {
        condition.lock()
        closed = true
        condition.broadcast()
        while !drained { condition.wait() }
        let failure = self.failure
        condition.unlock()
        if let failure { throw failure }
    }
}
