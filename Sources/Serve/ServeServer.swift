import Foundation
import Harness
import HTTPTypes
import Hummingbird
import Logging
import MarTechModel
import NIOCore
import NIOPosix
import Reporting
import RunStore
import ScenarioKit
import ServiceLifecycle
import StackSimulation

/// What `rehearse serve` is asked to do.
public struct ServeRequest: Sendable {
    public var scenarioPath: String
    /// 0: any free port (serve.json says which).
    public var port = 4010
    /// Virtual seconds per wall second.
    public var speed = 60.0
    public var seed: UInt64?
    public var customers: Int?
    public var reportsDirectory = "Reports"
    /// The command line, stored with the results.
    public var command = ""
    /// A command to run against the fakes (`--check -- COMMAND…`): started once the server
    /// listens, with each platform's base URL in the environment; its exit ends the session.
    public var child: [String] = []
    /// Secrets the fakes sign their webhooks with.
    public var sessionOptions = ServeSession.Options()

    public init(scenarioPath: String) { self.scenarioPath = scenarioPath }
}

/// How a serve session ended and where its results are.
public struct ServeOutcome: Sendable {
    public var overview: RunOverview
    public var textSummary: String
    public var manifestPath: String
    public var reachedHorizon: Bool
    public var requests: RequestLog
    /// Messages clients asked the fakes to send (each also in the `serveMessage` table).
    public var messages: [ServeMessageRow]
    /// `Reports/<scenario>/calibrated.yaml`, when an external link was measured at least once.
    public var calibratedPath: String?
    /// One line per measured external link: its fitted distribution and how well it fits.
    public var calibration: [String]
    /// The served command's exit status (nil: no command, or it was still running at the horizon
    /// and was stopped).
    public var childStatus: Int32?
}

/// Serve mode's composition root: scenario → session → HTTP server on loopback → on SIGINT,
/// SIGTERM or the scenario's end, the results database and every report, as `rehearse run` writes them.
public enum ServeRunner {
    /// Runs a session to its end; `announce` hears a line when the server listens.
    public static func run(_ request: ServeRequest, announce: @escaping @Sendable (String) -> Void) throws(HarnessError)
        -> ServeOutcome
    {
        let loaded = try ScenarioRunner.load(path: request.scenarioPath).overriding(
            seed: request.seed, customers: request.customers)
        try RunLimitPolicy().check(loaded)
        let scenario = ServeSession.prepare(loaded)
        let paths = RunPaths.serve(
            reportsDirectory: request.reportsDirectory, scenario: scenario.name, seed: scenario.plan.seed)
        let recording = try RunRecording(scenario: scenario, paths: paths, command: request.command)
        let session = ServeSession(
            scenario: scenario, speed: request.speed, sink: recording.recordSink, options: request.sessionOptions)
        let manifestPath = (paths.directory as NSString).appendingPathComponent("serve.json")

        let outcome = Box<Result<Void, Error>>()
        let done = DispatchSemaphore(value: 0)
        let child = ServedCommand(arguments: request.child, session: session, manifestPath: manifestPath)
        let load = LoadHolder()
        Task {
            do {
                try await serve(
                    session: session, port: request.port, manifestPath: manifestPath, load: load,
                    announce: { line in
                        announce(line)
                        child.startIfAny()
                    })
                outcome.value = .success(())
            } catch {
                outcome.value = .failure(error)
            }
            done.signal()
        }
        done.wait()
        let childStatus = child.stop()
        let loadFigures = load.stop()
        if case .failure(let error) = outcome.value {
            _ = session.finish()
            recording.discardAfterFailure()
            throw .cannotWrite(path: "127.0.0.1:\(request.port)", reason: "could not serve: \(error)")
        }
        let (result, reached, requests, messages, clients) = session.finish()
        let status = reached ? "complete" : "interrupted"
        let database = try recording.close(summary: result.summary, status: status, requests: rows(requests), messages: messages,
            clients: clients, load: loadFigures
        ) { true }
        var overview = ScenarioRunner.makeOverview(
            scenario: scenario, scenarioFile: request.scenarioPath, summary: result.summary, databasePath: database,
            rowsWritten: result.rowsWritten,
            reproduceCommand:
                "rehearse serve \(request.scenarioPath) --seed \(scenario.plan.seed) --speed \(plainNumber(request.speed))",
            complete: reached)
        overview.serveClients = clients
        overview.loadFigures = loadFigures
        overview.serveNotes = externalNotes(session: session, scenario: scenario, summary: result.summary)
        if !reached {
            let why = session.endWasRequested ? "when the served command exited" : "by a signal"
            overview.status = "interrupted (serve session ended \(why) at \(session.time.iso(session.stack.now)) virtual)"
        }
        let (calibratedPath, calibration) = try writeCalibrated(session: session, paths: paths, scenario: scenario)
        if let calibratedPath {
            overview.serveNotes.append("calibrated scenario: \(calibratedPath) (" + calibration.joined(separator: "; ") + ")")
        }
        try recording.writeReports(overview)
        return ServeOutcome(
            overview: overview, textSummary: TextSummary.render(overview), manifestPath: manifestPath,
            reachedHorizon: reached, requests: requests, messages: messages, calibratedPath: calibratedPath,
            calibration: calibration, childStatus: childStatus)
    }

    /// One line per external link: what the team's code delivered, what never arrived, and the
    /// values it wrote that no truth change explains.
    static func externalNotes(session: ServeSession, scenario: Scenario, summary: RunSummary) -> [String] {
        let unexplained = session.withStack { $0.unexplainedByLink }
        return scenario.plan.links.indices.filter { scenario.plan.links[$0].external }.map { l in
            let f = summary.links[l]
            return
                "\(scenario.plan.links[l].name) (external, the team's code): \(f.deliveries) deliveries measured of \(f.changesEntered) changes to carry, \(f.changesPendingAtEnd) still pending at the end, \(unexplained[l]) values written that no truth change explains"
        }
    }

    /// The scenario with each measured external link's latency replaced by what was measured,
    /// ready for `rehearse run calibrated.yaml --customers 1000000`.
    static func writeCalibrated(session: ServeSession, paths: RunPaths, scenario: Scenario) throws(HarnessError)
        -> (String?, [String])
    {
        let measured = session.withStack { $0.externalFreshness }
        var flows: [String: String] = [:]
        var notes: [String] = []
        for (l, samples) in measured.enumerated() where !samples.isEmpty {
            let name = scenario.plan.links[l].name
            let fit = LatencyFit.fit(milliseconds: samples)
            flows[name] = fit.flow
            notes.append("\(name): \(fit.description)")
        }
        guard !flows.isEmpty else { return (nil, []) }
        let path = (paths.directory as NSString).appendingPathComponent("calibrated.yaml")
        do {
            let text = try LatencyFit.replaceLatency(
                in: scenario.sourceText, links: flows,
                header: (["Calibrated by `rehearse serve` from what the team's code did (external links measured):"] + notes)
                    .joined(separator: "\n"))
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
        return (path, notes)
    }

    static func rows(_ log: RequestLog) -> [ServeRequestRow] {
        log.rows.flatMap { row in
            row.statuses.keys.sorted().map { status in
                ServeRequestRow(
                    platform: row.platform, endpoint: row.endpoint, status: status, count: row.statuses[status]!,
                    p50Microseconds: Int(row.latencyMicroseconds.valueAtPercentile(50)),
                    p99Microseconds: Int(row.latencyMicroseconds.valueAtPercentile(99)),
                    maxMicroseconds: Int(row.latencyMicroseconds.max))
            }
        }
    }

    private static func serve(
        session: ServeSession, port: Int, manifestPath: String, load: LoadHolder,
        announce: @escaping @Sendable (String) -> Void
    ) async throws {
        var logger = Logger(label: "rehearse-serve")
        logger.logLevel = .error
        let app = Application(
            responder: ServeResponder(session: session),
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                let text = ServeManifest.render(session: session, port: bound, startedAt: Date())
                if !session.scenario.plan.load.isEmpty {
                    load.start(
                        LoadRunner(
                            plans: session.scenario.plan.load, session: session, port: bound,
                            group: MultiThreadedEventLoopGroup.singleton))
                }
                do {
                    try text.write(toFile: manifestPath, atomically: true, encoding: .utf8)
                    announce(
                        "serving \(session.scenario.name) on http://127.0.0.1:\(bound) at \(plainNumber(session.clock.speed))x virtual time; platforms and field names in \(manifestPath); Ctrl-C ends the session and writes the results"
                    )
                } catch {
                    announce("serving on http://127.0.0.1:\(bound), but \(manifestPath) could not be written: \(error)")
                }
            },
            logger: logger)
        let clock = SessionClock(session: session)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: app),
                    .init(service: clock, successTerminationBehavior: .gracefullyShutdownGroup),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Hands each request to its platform's surface: `/<platform>/<vendor path>`.
struct ServeResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let session: ServeSession

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let received = DispatchTime.now().uptimeNanoseconds
        let path = request.uri.path
        let trimmed = path.drop { $0 == "/" }
        let platform = String(trimmed.prefix { $0 != "/" })
        // Ids in paths arrive percent-encoded (`cust-7%40rehearsal.test`): surfaces see them decoded.
        let encoded = trimmed.dropFirst(platform.count)
        let rest =
            encoded.utf8.contains(UInt8(ascii: "%"))
            ? encoded.split(separator: "/", omittingEmptySubsequences: false).map {
                $0.removingPercentEncoding ?? String($0)
            }.joined(separator: "/") : String(encoded)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let buffer = try await request.body.collect(upTo: 32 * 1024 * 1024)
        let wire = WireRequest(
            method: request.method.rawValue, path: rest.isEmpty ? "/" : rest,
            query: WireRequest.decodeQuery(request.uri.query ?? ""), headers: headers,
            body: Array(buffer.readableBytesView))
        let answer = session.respond(platform: platform, to: wire, receivedAt: received)
        if answer.delaySeconds > 0 { try? await Task.sleep(nanoseconds: UInt64(min(answer.delaySeconds, 60) * 1e9)) }
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let n = HTTPField.Name(name) { fields.append(HTTPField(name: n, value: value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: answer.status), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}

/// 3600 for 3600.0; other numbers as Swift prints them.
func plainNumber(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
}
