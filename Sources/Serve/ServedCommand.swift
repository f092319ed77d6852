import Foundation
import MarTechModel

/// The team's command under `--check`: started once the fakes listen, with `REHEARSE_<PLATFORM>_URL`
/// for each platform and `REHEARSE_SERVE_JSON`; when it exits the session ends.
final class ServedCommand: @unchecked Sendable {
    let arguments: [String]
    let session: ServeSession
    let manifestPath: String
    private var process: Process?
    private let lock = NSLock()

    init(arguments: [String], session: ServeSession, manifestPath: String) {
        self.arguments = arguments
        self.session = session
        self.manifestPath = manifestPath
    }

    func startIfAny() {
        guard !arguments.isEmpty else { return }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        let manifest = (try? Data(contentsOf: URL(fileURLWithPath: manifestPath)))
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        for (k, v) in (manifest?["env"] as? [String: String]) ?? [:] { environment[k] = v }
        environment["REHEARSE_SERVE_JSON"] = manifestPath
        p.environment = environment
        let session = self.session
        p.terminationHandler = { _ in session.requestEnd() }
        do {
            try p.run()
            lock.withLock { process = p }
        } catch {
            FileHandle.standardError.write(Data("rehearse serve: cannot start \(arguments.joined(separator: " ")): \(error)\n".utf8))
            session.requestEnd()
        }
    }

    /// Waits for the command (stopping it first if the session ended without it), returns its exit status.
    func stop() -> Int32? {
        guard let p = lock.withLock({ process }) else { return arguments.isEmpty ? nil : 127 }
        if p.isRunning {
            p.terminate()
            p.waitUntilExit()
            return nil
        }
        p.waitUntilExit()
        return p.terminationStatus
    }
}

/// The load runner, once the server listens (it needs the bound port).
final class LoadHolder: @unchecked Sendable {
    private var runner: LoadRunner?
    private let lock = NSLock()

    func start(_ r: LoadRunner) {
        lock.withLock { runner = r }
        r.start()
    }

    func stop() -> [LoadFigures] { lock.withLock { runner }?.stop() ?? [] }
}

/// A value handed from a task back to the thread that waits for it.
final class Box<T>: @unchecked Sendable {
    var value: T?
}
