import Foundation

/// Turns SIGINT and SIGTERM into a flag the simulation polls, so an interrupted run stops
/// cleanly, marks its results incomplete and says where they are.
public enum Interrupts {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    /// Installs the handlers (idempotent).
    public static func install() {
        signal(SIGINT) { _ in Interrupts.flag = 1 }
        signal(SIGTERM) { _ in Interrupts.flag = 1 }
        // With a file-size limit (ulimit -f), a write past it must fail with EFBIG and be
        // reported, not kill the process with SIGXFSZ and leave a half-written file.
        signal(SIGXFSZ, SIG_IGN)
    }

    public static var wasRequested: Bool { flag != 0 }
}
