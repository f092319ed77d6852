/// Synthetic load for `rehearse serve`, in the manner of k6's arrival-rate executors: requests
/// started at a rate of the wall clock, whatever the answers' speed (an open model), into a
/// platform's inbound path or a team's own URL. `rehearse run` does not use it.
public struct LoadPlan: Sendable {
    public enum Target: Sendable, Equatable {
        /// A platform's inbound path: Segment's `/v1/track` (an event per customer), Twilio's
        /// inbound replies posted to the messaging URL the team registered.
        case platform(Int)
        /// The team's own endpoint: a JSON event per request.
        case url(String)
    }
    /// One stage of a ramp: the rate moves linearly to `rate` (requests a second) over `seconds`.
    public struct Stage: Sendable, Equatable {
        public var rate: Double
        public var seconds: Double
        public init(rate: Double, seconds: Double) {
            self.rate = rate
            self.seconds = seconds
        }
    }
    public var name: String
    public var target: Target
    /// Requests a second at the start (constant-arrival-rate: throughout).
    public var startRate: Double
    public var stages: [Stage]
    /// Wall seconds after the session starts listening.
    public var startAfter: Double
    /// Most requests in flight at once; beyond it an arrival is dropped and counted (k6's `maxVUs`).
    public var maxInFlight: Int

    public init(
        name: String, target: Target, startRate: Double, stages: [Stage], startAfter: Double = 0, maxInFlight: Int = 200
    ) {
        self.name = name
        self.target = target
        self.startRate = startRate
        self.stages = stages
        self.startAfter = startAfter
        self.maxInFlight = maxInFlight
    }

    /// Wall seconds the executor runs.
    public var seconds: Double { stages.reduce(0) { $0 + $1.seconds } }

    /// Requests due by `t` seconds into the executor: the integral of the rate (piecewise linear).
    public func arrivals(by t: Double) -> Double {
        var total = 0.0, from = startRate, elapsed = 0.0
        for s in stages {
            let span = min(max(t - elapsed, 0), s.seconds)
            if span > 0 {
                let rateAtEnd = from + (s.rate - from) * span / s.seconds
                total += (from + rateAtEnd) / 2 * span
            }
            elapsed += s.seconds
            from = s.rate
            if t <= elapsed { break }
        }
        return total
    }
}
