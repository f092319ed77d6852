/// One client of one fake in a serve session, as the load-test section of the report shows it.
public struct ServeClientFigures: Sendable, Equatable {
    public var platform: String
    /// The client's credential, shortened (`pat-na1-…`), or `(none)`.
    public var client: String
    public var requests: Int
    public var succeeded: Int
    /// 4xx other than 429.
    public var clientErrors: Int
    /// 429s the fake answered (its vendor's rate limit, or the scenario's).
    public var throttled: Int
    public var serverErrors: Int
    /// The same request sent again after a 429 or 5xx.
    public var retries: Int
    /// Retries that came after the `Retry-After` the fake asked for, and those that came sooner.
    public var retryAfterHonoured: Int
    public var retryAfterIgnored: Int
    /// Requests whose last answer was a failure and that were never sent again.
    public var gaveUp: Int
    /// The fake's own answer time for this client's requests.
    public var p50Microseconds: Int
    public var p99Microseconds: Int

    public init(
        platform: String, client: String, requests: Int, succeeded: Int, clientErrors: Int, throttled: Int,
        serverErrors: Int, retries: Int, retryAfterHonoured: Int, retryAfterIgnored: Int, gaveUp: Int,
        p50Microseconds: Int, p99Microseconds: Int
    ) {
        self.platform = platform
        self.client = client
        self.requests = requests
        self.succeeded = succeeded
        self.clientErrors = clientErrors
        self.throttled = throttled
        self.serverErrors = serverErrors
        self.retries = retries
        self.retryAfterHonoured = retryAfterHonoured
        self.retryAfterIgnored = retryAfterIgnored
        self.gaveUp = gaveUp
        self.p50Microseconds = p50Microseconds
        self.p99Microseconds = p99Microseconds
    }

    /// One line for the text summary.
    public var line: String {
        let ms = { (us: Int) in String(Double(us / 10) / 100) + " ms" }
        var parts = [
            "\(platform) \(client): \(requests) requests (\(succeeded) ok, \(throttled) × 429, \(serverErrors) × 5xx, \(clientErrors) other 4xx)",
            "retries \(retries)",
        ]
        if retryAfterHonoured + retryAfterIgnored > 0 {
            parts.append("Retry-After honoured \(retryAfterHonoured), ignored \(retryAfterIgnored)")
        }
        if gaveUp > 0 { parts.append("gave up on \(gaveUp)") }
        parts.append("fake p50 \(ms(p50Microseconds)), p99 \(ms(p99Microseconds))")
        return parts.joined(separator: "; ")
    }
}
