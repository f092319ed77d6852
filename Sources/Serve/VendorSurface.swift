import Foundation
import MarTechModel
import SimKernel
import StackSimulation

/// One platform's HTTP API in its vendor's shapes. A surface is called with the session's lock
/// held and the stack advanced to now; it reads and writes the platform through `session.stack`
/// and keeps only what the vendor itself would store beside the customer records (messages,
/// registered webhook URLs, processed message ids).
protocol VendorSurface: AnyObject {
    /// Answers one request below the platform's prefix.
    func respond(to request: WireRequest) -> WireResponse
    /// The vendor's answer while the scenario's chaos holds the platform down (its own 5xx).
    func unavailable() -> WireResponse
    /// The vendor's 429 when the scenario's `rate_limit` chaos throttles the platform. Default: a plain JSON 429.
    func throttled() -> WireResponse
    /// The platform's view of a customer changed (webhooks, inbound messages). Default: nothing.
    func viewChanged(_ change: ViewChange)
    /// A message this surface accepted was delivered (touchpoint id, virtual instant). Default: nothing.
    func delivered(touchpoint: Int64, at: SimInstant)
    /// Serve mode's clock moved on (delayed effects such as a DSP's list application). Default: nothing.
    func clockAdvanced()
}

extension VendorSurface {
    func throttled() -> WireResponse {
        .json(429, ["message": "Too Many Requests (the scenario's rate_limit chaos)"], headers: [("Retry-After", "1")])
    }
    func viewChanged(_ change: ViewChange) {}
    func clockAdvanced() {}
    func delivered(touchpoint: Int64, at: SimInstant) {}
}

/// What every surface shares: its platform, the session, the field spellings, the customers.
class SurfaceBase {
    unowned let session: ServeSession
    let platform: Int
    let spellings: FieldSpellings
    /// Client-sent steps this platform executes, by channel.
    let clientSteps: [Channel: Int]

    init(session: ServeSession, platform: Int) {
        self.session = session
        self.platform = platform
        let stack = session.stack
        spellings = FieldSpellings(plan: stack.plan, platform: platform) { stack.shows(platform: platform, field: $0) }
        var steps: [Channel: Int] = [:]
        for (i, s) in stack.plan.campaign.steps.enumerated() where s.isClientSent && s.executor == platform {
            steps[s.channel] = i
        }
        clientSteps = steps
    }

    var plan: RunPlan { session.stack.plan }
    var customerCount: Int { session.stack.customerCount }
    var now: SimInstant { session.stack.now }
    var time: WireTime { session.time }

    func customer(_ key: String) -> Int? { CustomerIdentity.customer(named: key, count: customerCount) }

    /// The vendor's spelling of the platform's current value of `entry` for customer `c`.
    func spelled(_ entry: FieldSpellings.Entry, _ c: Int) -> String? {
        session.stack.view(platform: platform, customer: c, field: entry.field).map { entry.values[Int($0)] }
    }

    /// Writes a spelled value; false if the spelling means nothing for that field. A field the
    /// scenario's drift renamed or dropped is not written (the vendor drops it silently).
    @discardableResult func write(_ entry: FieldSpellings.Entry, _ c: Int, spelled: String) -> Bool {
        if session.drifted(platform: platform).contains(entry.field) { return false }
        guard let v = spellings.value(spelled, of: entry, modelNames: plan.fields[entry.field].valueNames) else {
            return false
        }
        _ = session.stack.write(platform: platform, customer: c, field: entry.field, value: v)
        return true
    }

    /// Sends a client message on `channel` to customer `c`, as a touchpoint of this platform's
    /// client step, and logs it (`serveMessage`) under the vendor's id for it.
    func send(_ channel: Channel, to c: Int, vendorID: String) -> ClientSendOutcome? {
        guard let step = clientSteps[channel] else { return nil }
        let outcome = session.stack.send(step: step, customer: c)
        session.log(platform: platform, vendorID: vendorID, customer: c, channel: channel, outcome: outcome)
        return outcome
    }
}

/// A platform whose vendor has no HTTP surface yet: every request gets a plain 404 naming it.
final class MissingSurface: VendorSurface {
    let message: String
    init(platformName: String, vendor: String?) {
        message =
            "rehearse serve has no HTTP surface for \(vendor.map { "vendor \($0)" } ?? "a platform without a vendor") (platform \(platformName)); surfaces exist for \(ServeSession.surfaceVendors.joined(separator: ", "))"
    }
    func respond(to request: WireRequest) -> WireResponse { .json(404, ["message": message]) }
    func unavailable() -> WireResponse { .json(503, ["message": "service unavailable (the scenario's outage window)"]) }
}

/// A fixed-window request limit on the wall clock, as vendors publish them (`190 / 10 s`).
struct RateWindow {
    let limit: Int
    let windowSeconds: Double
    private var windowStart = -Double.infinity
    private var used = 0

    init(limit: Int, windowSeconds: Double) {
        self.limit = limit
        self.windowSeconds = windowSeconds
    }

    /// Counts a request at wall second `t`; false when the window is already full.
    mutating func admit(at t: Double) -> Bool {
        if t >= windowStart + windowSeconds {
            windowStart = t
            used = 0
        }
        guard used < limit else { return false }
        used += 1
        return true
    }

    var remaining: Int { max(0, limit - used) }
    /// Seconds until the window resets, from wall second `t`.
    func resetIn(at t: Double) -> Double { max(0, windowStart + windowSeconds - t) }
}

/// Builds webhook requests a vendor sends to URLs the team registered.
public struct OutboundWebhook: Sendable {
    public let url: String
    public let contentType: String
    public let body: [UInt8]
    public let headers: [(String, String)]
    /// Attempts so far and the vendor's retry budget.
    public var attempts = 0
    public let maxAttempts: Int
    /// Wall second (of the session's clock) before which it is not sent again.
    public var notBefore = 0.0
    /// Set for HubSpot's webhooks: signed at each attempt with the wall-clock timestamp.
    public var hubSpotClientSecret: String?
}
