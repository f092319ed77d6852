import MarTechModel
import PlatformFakes
import SimKernel

/// Prefetch hints: the customer an upcoming event or batch entry is about, loaded ahead.
///
/// A hint reads no value and writes none, so no output can depend on it; it lets the memory
/// waits of the next few customers overlap instead of following one another (see `CustomerRecordArena.prefetch`).
extension World {
    /// How many entries ahead a loop over a batch's customers starts loading.
    static var batchLookahead: Int { 32 }

    mutating func willHandle(_ event: SimEvent) {
        switch event.kind {
        case .processFires, .responseChange, .streamArrives, .stepCheck, .deliver, .impression:
            prefetchCustomer(event.customerIndex)
        case .batchSnapshot, .batchApply, .stepAt, .faultEdge:
            break
        }
    }

    /// Starts loading customer `c`'s one record: truth, generator, process tokens and batch
    /// links' marks, every platform's copy, impression accounts (see `CustomerRecords`).
    @inline(__always) func prefetchCustomer(_ c: Int) { recordArena.prefetch(c) }
}
