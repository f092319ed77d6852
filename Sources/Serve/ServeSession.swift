import Foundation
import Harness
import MarTechModel
import Reporting
import RunStore
import ScenarioKit
import SimKernel
import StackSimulation

/// A serve session: the scenario's stack running in virtual time, each platform behind its
/// vendor's HTTP surface, every request counted, every message judged.
///
/// Thread-safe: one lock serialises requests, clock ticks and the end. Each request first moves
/// virtual time on to the wall clock's reading (`WireClock`), then is answered by its platform's
/// surface. Webhooks the fakes send collect in an outbox the server empties.
public final class ServeSession: @unchecked Sendable {
    /// Vendors with an HTTP surface, and the channels their send endpoints carry.
    public static let surfaceVendors = ["braze", "hubspot", "klaviyo", "segment", "sendgrid", "thetradedesk", "twilio"]
    static let sendChannels: [String: [Channel]] = ["twilio": [.sms], "sendgrid": [.email], "braze": [.push, .email]]

    public let scenario: Scenario
    public let clock: WireClock
    /// What a session is told beyond its scenario (secrets its webhooks are signed with).
    public struct Options: Sendable {
        /// The HubSpot app's client secret its webhook signatures use.
        public var hubSpotClientSecret = "rehearsal-hubspot-client-secret"
        public init() {}
    }
    public let options: Options
    let time: WireTime
    private let lock = NSLock()
    var stack: LiveStack
    private var surfaces: [VendorSurface] = []
    private let platformIndex: [String: Int]
    private(set) var spellings: [FieldSpellings] = []
    var requests = RequestLog()
    var clients = ClientLog()
    /// Every message clients asked a fake to send, and what became of it.
    private(set) var messages: [ServeMessageRow] = []
    private var messageByTouchpoint: [Int64: Int] = [:]
    var outbox: [OutboundWebhook] = []
    /// Seeded randomness for the fakes' own draws (a DSP's apply delay), apart from the customers'.
    var random: SeededRandom
    private(set) var stopReason: StopReason?
    /// Wall seconds (since the session started) at which the request being answered arrived:
    /// what vendors' rate-limit windows count.
    private(set) var requestWall = 0.0
    /// Set when the session should end before its horizon (the `--check` command exited).
    private var endRequested = false
    private var chaos: WireChaos

    /// The scenario with a client-sent step for each platform whose vendor sends messages over
    /// its API (Twilio SMS, SendGrid email, Braze push and email): what clients send is judged as those steps.
    public static func prepare(_ scenario: Scenario) -> Scenario {
        var scenario = scenario
        for (p, platform) in scenario.plan.platforms.enumerated() {
            for channel in ServeSession.sendChannels[platform.vendorID ?? ""] ?? [] {
                if channel != .email && platform.kind.channel != channel { continue }
                scenario.plan.campaign.steps.append(
                    .client(name: "\(platform.name): sent by clients (\(channel))", channel: channel, platform: p))
            }
        }
        return scenario
    }

    /// - Parameters:
    ///   - scenario: a scenario from `prepare`.
    ///   - sink: where the rows go (a `RunRecording`'s sink).
    public init(
        scenario: Scenario, speed: Double, sink: RecordSink, clock: WireClock? = nil, options: Options = Options()
    ) {
        self.scenario = scenario
        self.options = options
        self.clock = clock ?? WireClock(speed: speed)
        time = WireTime(startUnixMilliseconds: scenario.plan.startUnixMilliseconds)
        var options = EngineOptions()
        options.flushRows = 4096
        stack = LiveStack(plan: scenario.plan, options: options, sink: sink)
        random = SeededRandom(seed: scenario.plan.seed, stream: 9, 0)
        chaos = WireChaos(plan: scenario.plan)
        platformIndex = Dictionary(uniqueKeysWithValues: scenario.plan.platforms.enumerated().map { ($1.name, $0) })
        for p in scenario.plan.platforms.indices {
            let s = stack
            spellings.append(FieldSpellings(plan: scenario.plan, platform: p) { s.shows(platform: p, field: $0) })
        }
        surfaces = scenario.plan.platforms.indices.map { makeSurface(platform: $0) }
    }

    private func makeSurface(platform p: Int) -> VendorSurface {
        let plan = scenario.plan.platforms[p]
        switch plan.vendorID {
        case "hubspot": return HubSpotSurface(session: self, platform: p)
        case "twilio": return TwilioSurface(session: self, platform: p)
        case "segment": return SegmentSurface(session: self, platform: p)
        case "sendgrid": return SendGridSurface(session: self, platform: p)
        case "braze": return BrazeSurface(session: self, platform: p)
        case "klaviyo": return KlaviyoSurface(session: self, platform: p)
        case "thetradedesk": return TradeDeskSurface(session: self, platform: p)
        default: return MissingSurface(platformName: plan.name, vendor: plan.vendorID)
        }
    }

    /// Whether platform `name` has a vendor surface (not a 404 for everything).
    public func hasSurface(_ name: String) -> Bool {
        guard let p = platformIndex[name] else { return false }
        return !(surfaces[p] is MissingSurface)
    }

    /// Answers a request for platform `name` (the first path segment); unknown platforms get a 404.
    public func respond(platform name: String, to request: WireRequest, receivedAt: UInt64) -> WireResponse {
        lock.lock()
        defer { lock.unlock() }
        advanceLocked(to: clock.virtualNow(at: receivedAt))
        requestWall = clock.wallSeconds(at: receivedAt)
        guard let p = platformIndex[name] else {
            let known = scenario.plan.platforms.map(\.name).joined(separator: ", ")
            let response = WireResponse.json(
                404, ["message": "no platform named \"\(name)\" in scenario \(scenario.name); platforms: \(known)"])
            requests.count(platform: "-", endpoint: "unknown platform", status: 404, seconds: 0)
            return response
        }
        var response: WireResponse
        if stack.isDown(platform: p) {
            response = surfaces[p].unavailable()
        } else {
            let isWrite = request.method != "GET" && request.method != "HEAD"
            let (verdict, delay) = chaos.verdict(
                platform: p, isWrite: isWrite, now: stack.now, wall: requestWall, random: &random)
            switch verdict {
            case .pass: response = surfaces[p].respond(to: request)
            case .fail: response = surfaces[p].unavailable()
            case .throttle: response = surfaces[p].throttled()
            case .lostAcknowledgement:
                // The write happens; the answer is lost on its way back.
                _ = surfaces[p].respond(to: request)
                response = surfaces[p].unavailable()
            }
            response.delaySeconds = Double(delay.milliseconds) / 1000 / clock.speed
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds &- receivedAt) / 1e9
        requests.count(platform: name, endpoint: Endpoint.label(request), status: response.status, seconds: seconds)
        let credential = ServeSession.clientName(request)
        let retryAfter = response.headers.first { $0.0.lowercased() == "retry-after" }.flatMap { Double($0.1) }
        clients.note(
            platform: name, credential: credential, request: request, status: response.status, retryAfter: retryAfter,
            wall: requestWall, seconds: seconds)
        return response
    }

    /// Moves virtual time on to the wall clock and lets surfaces react. Returns true once the
    /// scenario's horizon has passed, or an end was requested (the session should end).
    public func tick() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        advanceLocked(to: clock.virtualNow())
        return stack.now >= stack.horizon || stopReason != nil || endRequested
    }

    /// Who sent a request: the Basic username (Twilio's account SID, Segment's write key), the
    /// Bearer or API key, or The Trade Desk's signature header (reports show its first characters).
    static func clientName(_ request: WireRequest) -> String? {
        if let basic = request.credentials(scheme: "Basic"), let data = Data(base64Encoded: basic) {
            return String(decoding: data, as: UTF8.self).split(separator: ":", omittingEmptySubsequences: false)
                .first.map(String.init)
        }
        return request.headers["authorization"].map { String($0.drop { $0 != " " }.dropFirst()) }
            ?? request.headers["ttdsignature"] ?? request.headers["ttd-auth"]
    }

    /// One line of progress for a terminal: virtual time, requests a second per platform since
    /// `last` (the counts this returned before), 429s so far, external links' freshness so far.
    func progress(since last: [String: Int], seconds: Double) -> (line: String, counts: [String: Int]) {
        lock.lock()
        defer { lock.unlock() }
        var counts: [String: Int] = [:]
        for row in requests.rows { counts[row.platform, default: 0] += row.count }
        let rates = counts.keys.sorted().compactMap { p -> String? in
            let n = counts[p]! - (last[p] ?? 0)
            return n > 0 ? "\(p) \(Int((Double(n) / max(seconds, 0.001)).rounded()))/s" : nil
        }
        var parts = ["virtual " + String(time.iso(stack.now).prefix(16)).replacingOccurrences(of: "T", with: " ")]
        parts.append(rates.isEmpty ? "no requests" : rates.joined(separator: ", "))
        parts.append("429s \(requests.total(status: 429))")
        for (l, samples) in stack.externalFreshness.enumerated() where stack.plan.links[l].external {
            let sorted = samples.sorted()
            let median = sorted.isEmpty ? "–" : LatencyText.short(sorted[sorted.count / 2])
            parts.append("\(stack.plan.links[l].name) p50 \(median) (n \(samples.count))")
        }
        return (parts.joined(separator: " · "), counts)
    }

    /// Whether the session was asked to end early (its command exited).
    public var endWasRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return endRequested
    }

    /// Asks the session to end at its next tick (the command it served has exited).
    public func requestEnd() {
        lock.lock()
        defer { lock.unlock() }
        endRequested = true
    }

    /// Webhooks due to be sent by wall second `t` (taken out of the outbox).
    public func takeOutbox(readyAt t: Double) -> [OutboundWebhook] {
        lock.lock()
        defer { lock.unlock() }
        guard !outbox.isEmpty else { return [] }
        let ready = outbox.filter { $0.notBefore <= t }
        outbox.removeAll { $0.notBefore <= t }
        return ready
    }

    /// A webhook whose receiver did not answer 2xx: tried again after a backoff, within its budget.
    public func retry(_ hook: OutboundWebhook, at t: Double) {
        var hook = hook
        hook.attempts += 1
        guard hook.attempts < hook.maxAttempts else { return }
        hook.notBefore = t + min(60, pow(2, Double(hook.attempts)))
        lock.lock()
        defer { lock.unlock() }
        outbox.append(hook)
    }

    private func advanceLocked(to t: SimInstant) {
        guard stopReason == nil else { return }
        if let reason = stack.advance(to: t) { stopReason = reason }
        for change in stack.takeViewChanges() { surfaces[change.platform].viewChanged(change) }
        for (touchpoint, at) in stack.takeDeliveries() {
            if let i = messageByTouchpoint[touchpoint] {
                messages[i].deliveredAt = at.millisecondsSinceStart
                messages[i].outcome = "delivered"
            }
            for s in surfaces { s.delivered(touchpoint: touchpoint, at: at) }
        }
        for s in surfaces { s.clockAdvanced() }
    }

    /// Ends the session: no more events; the summary of what happened up to now (the wall
    /// clock's reading, or `wallNanoseconds` when a test says what it reads).
    public func finish(wallNanoseconds: UInt64? = nil) -> (
        result: EngineResult, reachedHorizon: Bool, requests: RequestLog, messages: [ServeMessageRow],
        clients: [ServeClientFigures]
    ) {
        lock.lock()
        defer { lock.unlock() }
        advanceLocked(to: wallNanoseconds.map { clock.virtualNow(at: $0) } ?? clock.virtualNow())
        let reached = stack.now >= stack.horizon
        return (stack.finish(reachedHorizon: reached), reached, requests, messages, clients.figures)
    }

    /// Logs a message a client asked platform `p` to send (lock held: surfaces call it).
    func log(platform p: Int, vendorID: String, customer: Int, channel: Channel, outcome: ClientSendOutcome) {
        var row = ServeMessageRow(
            platform: p, vendorID: vendorID, customer: customer, channel: Int(channel.rawValue), touchpoint: -1,
            acceptedAt: stack.now.millisecondsSinceStart, deliveredAt: -1, outcome: "queued")
        switch outcome {
        case .accepted(let t):
            row.touchpoint = t
            messageByTouchpoint[t] = messages.count
        case .refused(let reason):
            row.outcome = "refused: \(reason)"
        }
        messages.append(row)
    }

    /// A message the vendor accepted and then failed before any sending (Twilio's queue overflow).
    func logRefusal(platform p: Int, vendorID: String, to address: String, channel: Channel, outcome: String) {
        messages.append(
            ServeMessageRow(
                platform: p, vendorID: vendorID,
                customer: CustomerIdentity.customer(named: address, count: stack.customerCount) ?? -1,
                channel: Int(channel.rawValue), touchpoint: -1, acceptedAt: stack.now.millisecondsSinceStart,
                deliveredAt: -1, outcome: outcome))
    }

    /// A message to an address that is no synthetic customer: accepted, not judged.
    func logStranger(platform p: Int, vendorID: String, channel: Channel) {
        messages.append(
            ServeMessageRow(
                platform: p, vendorID: vendorID, customer: -1, channel: Int(channel.rawValue), touchpoint: -1,
                acceptedAt: stack.now.millisecondsSinceStart, deliveredAt: stack.now.millisecondsSinceStart,
                outcome: "not a synthetic customer"))
    }

    /// Fields the scenario's drift has taken out of platform `p`'s schema now (lock held).
    func drifted(platform p: Int) -> Set<FieldID> { chaos.driftedFields(platform: p, now: stack.now) }

    /// The messaging URL the team registered on a Twilio platform (where inbound replies go).
    func inboundURL(platform p: Int) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return (surfaces[p] as? TwilioSurface)?.messagingURL
    }

    /// The surface serving platform `name` (tests inspect what a vendor kept).
    func surface(named name: String) -> VendorSurface? { platformIndex[name].map { surfaces[$0] } }

    /// The platform's field spellings (what `serve.json` publishes).
    public func fieldSpellings(platform p: Int) -> FieldSpellings { spellings[p] }

    /// Runs `body` with the lock held (tests read the stack through it).
    public func withStack<T>(_ body: (inout LiveStack) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&stack)
    }
}
