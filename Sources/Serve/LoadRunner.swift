import Foundation
import Histogram
import MarTechModel
import NIOCore
import NIOHTTP1
import NIOPosix

/// Runs a scenario's `load:` executors: an open model (requests start at the planned rate of the
/// wall clock, whatever the answers' speed), over keep-alive HTTP/1.1 connections, at most
/// `max_in_flight` at once (an arrival beyond that is dropped and counted, as k6 does).
/// Each executor lives on one event loop, so its state needs no lock.
final class LoadRunner: @unchecked Sendable {
    private let executors: [Executor]

    init(plans: [LoadPlan], session: ServeSession, port: Int, group: EventLoopGroup) {
        executors = plans.map { Executor(plan: $0, session: session, port: port, loop: group.next()) }
    }

    func start() { for e in executors { e.loop.execute { e.begin() } } }

    /// Stops every executor and returns what each did.
    func stop() -> [LoadFigures] {
        executors.map { e in (try? e.loop.submit { e.finish() }.wait()) ?? e.emptyFigures }
    }
}

/// One executor: its schedule, its connections, its counts.
private final class Executor: @unchecked Sendable {
    let plan: LoadPlan
    let session: ServeSession
    let port: Int
    let loop: EventLoop
    private var started = NIODeadline.now()
    private var task: RepeatedTask?
    private var idle: [Connection] = []
    private var open = 0
    private var issued = 0, sent = 0, succeeded = 0, failed = 0, dropped = 0
    private var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .two)
    private var endedAt: NIODeadline?
    private var targetText = ""

    init(plan: LoadPlan, session: ServeSession, port: Int, loop: EventLoop) {
        self.plan = plan
        self.session = session
        self.port = port
        self.loop = loop
    }

    var emptyFigures: LoadFigures {
        LoadFigures(
            name: plan.name, target: targetText, planned: 0, sent: 0, succeeded: 0, failed: 0, dropped: 0, seconds: 0,
            achievedRate: 0, p50Microseconds: 0, p99Microseconds: 0)
    }

    func begin() {
        started = .now() + .nanoseconds(Int64(plan.startAfter * 1e9))
        task = loop.scheduleRepeatedTask(initialDelay: .nanoseconds(Int64(plan.startAfter * 1e9)), delay: .milliseconds(2)) {
            [self] _ in tick()
        }
    }

    private func elapsed() -> Double { Double((NIODeadline.now() - started).nanoseconds) / 1e9 }

    private func tick() {
        let t = elapsed()
        // The last tick issues what the whole plan called for, then the executor stops.
        let due = Int(plan.arrivals(by: min(t, plan.seconds)).rounded(.down)) - issued
        if due > 0 { for _ in 0..<due { arrive() } }
        if t >= plan.seconds {
            if endedAt == nil { endedAt = .now() }
            task?.cancel()
        }
    }

    private func arrive() {
        let i = issued
        issued += 1
        guard let request = makeRequest(i) else {
            dropped += 1
            return
        }
        if let c = idle.popLast() {
            send(request, on: c)
        } else if open < plan.maxInFlight {
            open += 1
            connect(host: request.host, port: request.port).whenComplete { [self] result in
                switch result {
                case .success(let c): send(request, on: c)
                case .failure:
                    open -= 1
                    failed += 1
                    sent += 1
                }
            }
        } else {
            dropped += 1
        }
    }

    private func send(_ r: OutboundRequest, on c: Connection) {
        sent += 1
        let begun = NIODeadline.now()
        c.send(r) { [self] status in
            let micros = UInt64(max(0, (NIODeadline.now() - begun).nanoseconds / 1000))
            _ = latency.record(micros)
            if let status, (200..<300).contains(status) { succeeded += 1 } else { failed += 1 }
            if status != nil && c.isOpen { idle.append(c) } else { open -= 1 }
        }
    }

    private func connect(host: String, port: Int) -> EventLoopFuture<Connection> {
        let handler = ResponseHandler()
        return ClientBootstrap(group: loop)
            .channelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { channel in
                channel.pipeline.addHTTPClientHandlers().flatMap { channel.pipeline.addHandler(handler) }
            }
            .connect(host: host, port: port)
            .map { Connection(channel: $0, handler: handler) }
    }

    /// The i-th request: Segment's track for customer i, Twilio's inbound reply posted to the
    /// team's messaging URL, or a JSON event to the team's URL. Nil while a target is missing.
    private func makeRequest(_ i: Int) -> OutboundRequest? {
        let customer = i % max(1, session.scenario.plan.customers)
        switch plan.target {
        case .platform(let p):
            let name = session.scenario.plan.platforms[p].name
            if session.scenario.plan.platforms[p].vendorID == "twilio" {
                guard let url = session.inboundURL(platform: p), let target = URLParts(url) else { return nil }
                targetText = "\(name) inbound replies → \(url)"
                let body =
                    "MessageSid=SMload\(i)&AccountSid=AC0&From=%2B\(CustomerIdentity.phone(customer).dropFirst())&To=%2B15005550006&Body=Y&NumMedia=0"
                return OutboundRequest(
                    host: target.host, port: target.port, path: target.path,
                    contentType: "application/x-www-form-urlencoded", body: Array(body.utf8), authorization: nil)
            }
            targetText = "\(name) /v1/track"
            let body =
                #"{"userId":"\#(CustomerIdentity.customerID(customer))","event":"Load Event","messageId":"load-\#(plan.name)-\#(i)","properties":{"i":\#(i)}}"#
            return OutboundRequest(
                host: "127.0.0.1", port: port, path: "/\(name)/v1/track", contentType: "application/json",
                body: Array(body.utf8), authorization: "Basic bG9hZDo=")
        case .url(let url):
            guard let target = URLParts(url) else { return nil }
            targetText = url
            let body =
                #"{"event":"load","executor":"\#(plan.name)","customer_id":"\#(CustomerIdentity.customerID(customer))","i":\#(i)}"#
            return OutboundRequest(
                host: target.host, port: target.port, path: target.path, contentType: "application/json",
                body: Array(body.utf8), authorization: nil)
        }
    }

    func finish() -> LoadFigures {
        task?.cancel()
        let end = endedAt ?? .now()
        let seconds = max(0.001, min(plan.seconds, Double((end - started).nanoseconds) / 1e9))
        for c in idle { c.close() }
        idle.removeAll()
        return LoadFigures(
            name: plan.name, target: targetText, planned: Int(plan.arrivals(by: seconds).rounded(.down)), sent: sent,
            succeeded: succeeded, failed: failed, dropped: dropped, seconds: seconds,
            achievedRate: Double(sent) / seconds, p50Microseconds: Int(latency.valueAtPercentile(50)),
            p99Microseconds: Int(latency.valueAtPercentile(99)))
    }
}

/// A request ready to write.
private struct OutboundRequest {
    let host: String
    let port: Int
    let path: String
    let contentType: String
    let body: [UInt8]
    let authorization: String?
}

/// `http://host[:port]/path` split up (the load generator speaks plain HTTP/1.1 only).
private struct URLParts {
    let host: String
    let port: Int
    let path: String
    init?(_ text: String) {
        guard let u = URL(string: text), u.scheme == "http", let host = u.host else { return nil }
        self.host = host
        port = u.port ?? 80
        let p = u.path.isEmpty ? "/" : u.path
        path = u.query.map { p + "?" + $0 } ?? p
    }
}

/// One keep-alive connection: one request at a time.
private final class Connection {
    let channel: any NIOCore.Channel
    let handler: ResponseHandler
    var isOpen: Bool { channel.isActive }

    init(channel: any NIOCore.Channel, handler: ResponseHandler) {
        self.channel = channel
        self.handler = handler
    }

    func send(_ r: OutboundRequest, done: @escaping (Int?) -> Void) {
        handler.onResponse = done
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "\(r.host):\(r.port)")
        headers.add(name: "Content-Type", value: r.contentType)
        headers.add(name: "Content-Length", value: String(r.body.count))
        if let a = r.authorization { headers.add(name: "Authorization", value: a) }
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: r.path, headers: headers)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: r.body))), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
    }

    func close() { channel.close(promise: nil) }
}

/// Reads one response at a time and reports its status (nil: the connection failed).
private final class ResponseHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    var onResponse: ((Int?) -> Void)?
    private var status: Int?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): status = Int(head.status.code)
        case .body: break
        case .end:
            let done = onResponse
            onResponse = nil
            done?(status)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        fail()
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) { fail() }

    private func fail() {
        let done = onResponse
        onResponse = nil
        done?(nil)
    }
}
