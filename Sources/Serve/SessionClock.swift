import Foundation
import ServiceLifecycle

/// Moves the session's virtual time on between requests and sends the webhooks it emits;
/// returns (ending the session) once the scenario's horizon has passed.
struct SessionClock: Service {
    let session: ServeSession
    let sender = WebhookSender()

    /// A progress line on stderr once a second, when stderr is a terminal.
    let showsProgress = isatty(STDERR_FILENO) == 1

    func run() async throws {
        var lastCounts: [String: Int] = [:]
        var lastProgress = session.clock.wallSeconds()
        defer { if showsProgress { FileHandle.standardError.write(Data("\n".utf8)) } }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if session.tick() { return }
            let now = session.clock.wallSeconds()
            if showsProgress && now - lastProgress >= 1 {
                let (line, counts) = session.progress(since: lastCounts, seconds: now - lastProgress)
                FileHandle.standardError.write(Data(("\r\u{1B}[2K  " + line).utf8))
                (lastCounts, lastProgress) = (counts, now)
            }
            let t = session.clock.wallSeconds()
            for hook in session.takeOutbox(readyAt: t) {
                Task {
                    if await !sender.post(hook) { session.retry(hook, at: session.clock.wallSeconds()) }
                }
            }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
    }
}
