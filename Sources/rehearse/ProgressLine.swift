import Foundation

/// A one-line progress display on stderr: only on a terminal, never in CI or with `--quiet`,
/// and only once a run has lasted a second. Wall-clock time is read here, in the CLI, and never
/// reaches the simulation or its results.
final class ProgressLine {
    private let label: String
    private let enabled: Bool
    private let started = DispatchTime.now().uptimeNanoseconds
    private var lastDrawn: UInt64 = 0
    private var drew = false

    init(label: String, quiet: Bool) {
        self.label = label
        enabled = !quiet && isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
    }

    func update(_ fraction: Double, events: Int) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let elapsed = Double(now - started) / 1e9
        guard elapsed >= 1, now - lastDrawn >= 250_000_000 else { return }
        lastDrawn = now
        let rate = Double(events) / elapsed
        let eta = fraction > 0.01 ? elapsed * (1 - fraction) / fraction : 0
        let text = String(
            format: "\r  %@: %3.0f%% of virtual time, %.2fM events/s, ETA %.0fs ", label, fraction * 100, rate / 1e6,
            eta)
        _ = Console.write(text, to: STDERR_FILENO)
        drew = true
    }

    func finish() {
        guard drew else { return }
        _ = Console.write("\r" + String(repeating: " ", count: 78) + "\r", to: STDERR_FILENO)
    }
}
