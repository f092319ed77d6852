/// What one load executor did in a serve session, as a load tester reports it.
public struct LoadFigures: Sendable, Equatable {
    public var name: String
    /// Where it sent (`segment /v1/track`, a URL).
    public var target: String
    /// Requests the plan called for, started, answered 2xx, answered otherwise or failed, and
    /// dropped because `max_in_flight` requests were already waiting (k6's dropped iterations).
    public var planned: Int
    public var sent: Int
    public var succeeded: Int
    public var failed: Int
    public var dropped: Int
    /// Wall seconds it ran and the rate it achieved (requests started a second).
    public var seconds: Double
    public var achievedRate: Double
    /// Answer times seen by the load generator (the target's, plus loopback).
    public var p50Microseconds: Int
    public var p99Microseconds: Int

    public init(
        name: String, target: String, planned: Int, sent: Int, succeeded: Int, failed: Int, dropped: Int,
        seconds: Double, achievedRate: Double, p50Microseconds: Int, p99Microseconds: Int
    ) {
        self.name = name
        self.target = target
        self.planned = planned
        self.sent = sent
        self.succeeded = succeeded
        self.failed = failed
        self.dropped = dropped
        self.seconds = seconds
        self.achievedRate = achievedRate
        self.p50Microseconds = p50Microseconds
        self.p99Microseconds = p99Microseconds
    }

    public var line: String {
        func ms(_ us: Int) -> String { String(Double(us / 10) / 100) + " ms" }
        return
            "\(name) → \(target): \(sent) of \(planned) planned requests in \(String(Double(Int(seconds * 10)) / 10)) s (\(Int(achievedRate.rounded()))/s achieved), \(succeeded) ok, \(failed) failed, \(dropped) dropped; answers p50 \(ms(p50Microseconds)), p99 \(ms(p99Microseconds))"
    }
}
