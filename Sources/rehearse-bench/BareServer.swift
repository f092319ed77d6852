import Foundation
import Hummingbird
import Logging

/// A bare Hummingbird server (`GET /hello`), run in the same bench as serve mode so the fakes'
/// throughput is read as a share of what the library itself answers on this machine.
enum BareServer {
    static func run(port: Int) {
        let router = Router()
        router.get("hello") { _, _ in "Hello" }
        var logger = Logger(label: "bare-http")
        logger.logLevel = .error
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        let done = DispatchSemaphore(value: 0)
        Task {
            try? await app.runService()
            done.signal()
        }
        done.wait()
    }
}
