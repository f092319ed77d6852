import Foundation
import Harness
import MarTechModel
import RunStore
import ScenarioKit
import SimKernel
import StackSimulation
import TestKit

@testable import Serve

/// A serve session without a socket: requests go straight to the surfaces, and the test says
/// what the wall clock reads (`at` seconds), so virtual time is exactly `at × speed`.
final class ServeHarness {
    let session: ServeSession
    let sink = CollectingSink()
    let speed: Double
    /// Wall seconds since the session started, as the next request will see them.
    var at = 0.0

    init(scenario path: String = "Scenarios/serve/hotel-stack.yaml", speed: Double = 60, customers: Int? = nil) throws {
        let full = path.hasPrefix("/") ? path : repositoryRoot + "/" + path
        let loaded = try ScenarioRunner.load(path: full).overriding(customers: customers)
        self.speed = speed
        session = ServeSession(
            scenario: ServeSession.prepare(loaded), speed: speed, sink: sink,
            clock: WireClock(speed: speed, startNanoseconds: 0))
    }

    var plan: RunPlan { session.scenario.plan }

    func platform(_ name: String) -> Int { plan.platforms.firstIndex { $0.name == name }! }
    func field(_ name: String) -> FieldID { plan.field(named: name)! }

    /// Sends one request to platform `name` at wall second `at`.
    @discardableResult
    func request(
        _ name: String, _ method: String, _ path: String, query: [String: String] = [:], headers: [String: String] = [:],
        json: Any? = nil, form: [(String, String)]? = nil, body: [UInt8]? = nil
    ) -> WireResponse {
        var h = headers
        var bytes = body ?? []
        if let json {
            bytes = [UInt8](try! JSONSerialization.data(withJSONObject: json))
            h["content-type"] = h["content-type"] ?? "application/json"
        }
        if let form {
            bytes = Array(
                form.map {
                    "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.1)"
                }.joined(separator: "&").utf8)
            h["content-type"] = "application/x-www-form-urlencoded"
        }
        let request = WireRequest(method: method, path: path, query: query, headers: h, body: bytes)
        return session.respond(platform: name, to: request, receivedAt: UInt64(at * 1e9))
    }

    /// Moves the wall clock on to `seconds` and lets the session catch up (as a request would).
    func advance(toWallSeconds seconds: Double) {
        at = seconds
        _ = request("-", "GET", "/")
    }

    /// Ends the session at the harness's wall reading.
    func finish() -> EngineResult { session.finish(wallNanoseconds: UInt64(at * 1e9)).result }

    var messages: [ServeMessageRow] { session.messages }

    func view(_ platform: String, _ customer: Int, _ field: String) -> UInt8? {
        session.withStack { $0.view(platform: self.platform(platform), customer: customer, field: self.field(field)) }
    }

    func truth(_ customer: Int, _ field: String) -> UInt8 {
        session.withStack { $0.truth(customer: customer, field: self.field(field)) }
    }
}

extension WireResponse {
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }
    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
}
