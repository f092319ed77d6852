import MarTechModel
import PlatformFakes
import SimKernel

/// Prefetch hints: the customer an upcoming event or batch entry is about, loaded ahead.
///
/// A hint reads no value and writes none, so no output can depend on it; it lets the memory
/// waits of the next few customers overlap instead of following one another (see `Array.prefetchForWrite`).
extension World {
    /// How many entries ahead a loop over a batch's customers starts loading.
    static var batchLookahead: Int { 8 }

    mutating func willHandle(_ event: SimEvent) {
        switch event.kind {
        case .processFires, .responseChange, .streamArrives, .stepCheck, .deliver, .impression:
            prefetchCustomer(event.customerIndex)
        case .batchSnapshot, .batchApply, .stepAt, .faultEdge:
            break
        }
    }

    /// Starts loading the state the engine keeps for customer `c`: truth, generator, process
    /// tokens and batch links' marks, every platform's copy, impression accounts.
    /// Mutating only so that every array is reached in place, without a copy of the platform.
    @inline(__always) mutating func prefetchCustomer(_ c: Int) {
        truth.prefetch(c)
        cores.prefetch(c)
        for p in platforms.indices { platforms[p].copy.prefetch(c) }
        for r in ledgers.indices { ledgers[r].prefetch(c) }
    }
}
