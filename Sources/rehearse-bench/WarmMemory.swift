import Foundation

/// Touches `mebibytes` of fresh memory and gives it back to the kernel, just before a timed run
/// (`rehearse-bench warm-memory MIB`, a process of its own, so no run's peak memory counts it).
///
/// This machine is a virtual machine whose host backs guest memory lazily and takes back memory
/// the guest has left free for a few seconds: a first touch of such memory ran at 0.3-0.6 GB/s
/// here, against 1.0-3.2 GB/s for memory freed a moment ago (docs/performance.md, "Fresh memory").
/// That is the host's cost, not the engine's, and it falls unevenly between scales run in turns:
/// a 1M run reuses what the 10M run before it just freed, a 10M run mostly finds memory taken
/// back. Warmed first, both scales start on memory the host has backed. The run still
/// maps its own pages and the kernel still zeroes them, as in any run; the bench prints the
/// cold figures beside these. Returns the seconds the touch took (not part of any timing), or nil
/// if the memory could not be mapped.
func warmMemory(mebibytes: Int) -> Double? {
    precondition(mebibytes > 0, "warm a positive number of mebibytes")
    let start = DispatchTime.now().uptimeNanoseconds
    guard withTouchedMemory(mebibytes: mebibytes, { _, _ in }) != nil else { return nil }
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Maps `mebibytes` of fresh memory advised onto huge pages, as the engine's customer records
/// are, writes a zero to every byte (the first touch), runs `body` on it and unmaps it.
/// Returns nil if the memory could not be mapped.
func withTouchedMemory<T>(mebibytes: Int, _ body: (UnsafeMutableRawPointer, Int) -> T) -> T? {
    let bytes = mebibytes << 20
    guard let region = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
        region != MAP_FAILED
    else { return nil }
    defer { munmap(region, bytes) }
    _ = madvise(region, bytes, MADV_HUGEPAGE)
    memset(region, 0, bytes)
    return body(region, bytes)
}
