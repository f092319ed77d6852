/// How the engine runs a plan: knobs that change cost, never the model.
public struct EngineOptions: Sendable {
    /// How ad impressions are produced.
    public enum ImpressionMode: Sendable {
        /// One Poisson draw per interval in which nothing relevant changes (the default).
        case aggregated
        /// One event per impression: the plain path, kept to check the aggregated one against.
        case perEvent
    }
    public var impressionMode: ImpressionMode = .aggregated
    /// Write a row for every impression, not only a summary per customer.
    public var recordAllImpressions = false
    /// Run the misfire oracle (off only to measure what it costs).
    public var runsOracle = true
    /// Rows buffered before they are handed to the sink.
    public var flushRows = 65_536
    /// Keep a log of every change to a platform's view of a customer (serve mode's webhooks and
    /// last-modified times); off in runs, where nothing reads it.
    public var logsViewChanges = false
    /// Carry `external` links as the scenario's latency says (runs). Serve mode turns it off: the
    /// team's code carries them, and what it writes is measured instead.
    public var performsExternalLinks = true
    /// Bytes from one customer's record to the next, when more than the record needs (0, the
    /// default: packed). A benchmark's control only, as `runsOracle`: the same run over the
    /// memory a larger population takes (`rehearse-bench engine … --spread-records BYTES`), to
    /// tell the cost of that memory's size from the cost of the work. Results are the same.
    public var recordSpacing = 0
    public init() {}
}
