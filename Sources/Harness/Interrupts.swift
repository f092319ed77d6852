import Foundation

/// Turns SIGINT and SIGTERM into a flag the simulation polls, so an interrupted run stops
/// cleanly, marks its results incomplete and says where they are.
public enum Interrupts {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0
    /// Said at once on standard error (write(2) is async-signal-safe; the bytes exist before any signal).
    nonisolated(unsafe) private static var notice: [UInt8] = []

    /// Installs the handlers (idempotent).
    public static func install() {
        notice = Array("\nrehearse: interrupt received; stopping at the next safe point\n".utf8)
        signal(SIGINT) { _ in Interrupts.received() }
        signal(SIGTERM) { _ in Interrupts.received() }
        // With a file-size limit (ulimit -f), a write past it must fail with EFBIG and be
        // reported, not kill the process with SIGXFSZ and leave a half-written file.
        signal(SIGXFSZ, SIG_IGN)
    }

    public static var wasRequested: Bool { flag != 0 }

    private static func received() {
        if flag == 0 { notice.withUnsafeBufferPointer { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) } }
        flag = 1
    }
}
