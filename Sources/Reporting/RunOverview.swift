import MarTechModel

/// Everything a first summary says about a run, as a value: the report *model*.
///
/// Renderers (`TextSummary`, `JSONSummary`) turn it into text; tests check the model and the
/// renderings separately.
public struct RunOverview: Sendable {
    public var scenario: String
    public var scenarioFile: String
    public var seed: UInt64
    public var customers: Int
    public var horizonDays: Double
    public var summary: RunSummary
    public var databasePath: String
    public var rowsWritten: Int
    public var reproduceCommand: String
    public var status: String
    public var linkNames: [String] = []
    public var platformNames: [String] = []
    /// Each platform's kind and, where the scenario names one, its vendor ("" for none).
    public var platformKinds: [String] = []
    public var platformVendors: [String] = []
    /// Defaults the run assumed because the scenario did not say, each with its source.
    public var assumptions: [Assumption] = []
    /// What the command line changed from the scenario file (`seed 2 (the file says 7)`).
    public var overrides: [String] = []

    /// `crm Salesforce · map Marketo`: the platforms that name a vendor, for summaries (nil if none does).
    public var stackLine: String? {
        let named = platformNames.indices.filter { $0 < platformVendors.count && !platformVendors[$0].isEmpty }
        guard !named.isEmpty else { return nil }
        return named.map { "\(platformNames[$0]) \(platformVendors[$0])" }.joined(separator: " · ")
    }
    public var stepNames: [String] = []
    /// A serve session's clients, per platform and credential (empty for `rehearse run`).
    public var serveClients: [ServeClientFigures] = []
    /// A serve session's findings beyond the tables: external links measured, values no truth
    /// change explains, the calibrated scenario.
    public var serveNotes: [String] = []
    /// A serve session's load executors (`load:`).
    public var loadFigures: [LoadFigures] = []
    public var salesStage: String?
    /// The verdict on the scenario's expectations, when it has any.
    public var expectations: ExpectationReport?

    /// Per link: the apply delay its destination adds to every delivery (the setting and its
    /// mean, ms), or nil. A link cannot be fresher than that, so the advice names the setting.
    public var linkApplyDelays: [(setting: String, meanMilliseconds: Double)?] = []
    /// Per link, the freshest its vendors let it be (milliseconds, and the source), if published.
    public var linkFloors: [(milliseconds: Int64, source: String)?] = []
    /// Per step: its sending platform, whether that platform checks its own consent copy, and whether it asks another.
    public var stepConsent: [(platform: String, checksConsent: Bool, hasLookup: Bool)] = []

    /// The step funnel's rows: steps the engine evaluated (not client-sent ones), with their counts per `FunnelStage`.
    public var funnelRows: [(step: String, counts: [Int])] {
        guard let funnel = summary.stepFunnel else { return [] }
        return funnel.enumerated().compactMap { step, counts in
            step < stepNames.count && counts[FunnelStage.evaluated.rawValue] > 0 ? (stepNames[step], counts) : nil
        }
    }

    /// Candidate fixes tried by re-runs on common random numbers, most misfires prevented first.
    public var counterfactuals: [Counterfactual] = []

    /// What would have prevented the misfires: the fixes tried by re-runs first, then what
    /// follows from this run's own numbers.
    public var recommendations: [String] {
        counterfactuals.map(\.sentence)
            + Recommendations.make(
                summary: summary, linkNames: linkNames, stepNames: stepNames, salesStage: salesStage,
                applyDelays: linkApplyDelays, stepConsent: stepConsent, floors: linkFloors)
    }

    public init(
        scenario: String, scenarioFile: String, seed: UInt64, customers: Int, horizonDays: Double, summary: RunSummary,
        databasePath: String, rowsWritten: Int, reproduceCommand: String, status: String
    ) {
        self.scenario = scenario
        self.scenarioFile = scenarioFile
        self.seed = seed
        self.customers = customers
        self.horizonDays = horizonDays
        self.summary = summary
        self.databasePath = databasePath
        self.rowsWritten = rowsWritten
        self.reproduceCommand = reproduceCommand
        self.status = status
    }

    /// Messages sent after the customer had truly converted, per channel (impressions for ads).
    public func postConversion(_ channel: Channel) -> Int { summary.misfires(.postConversion, on: channel) }

    /// SMS sent to a customer whose true SMS consent was revoked.
    public var smsToRevokedConsent: Int { summary.misfires(.revokedConsent, on: .sms) }

    /// Misfire types with a non-zero count, most frequent first (ties by type order).
    public var misfireTypesByCount: [(MisfireType, Int)] {
        MisfireType.allCases.map { ($0, summary.misfires($0)) }.filter { $0.1 > 0 }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.rawValue < $1.0.rawValue }
    }

    /// Causes of one misfire type with their share, largest first.
    public func causes(of type: MisfireType) -> [(MisfireCause, Int)] {
        MisfireCause.allCases.map { ($0, summary.misfiresByTypeAndCause[Int(type.rawValue)][Int($0.rawValue)]) }
            .filter { $0.1 > 0 }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.rawValue < $1.0.rawValue }
    }

    /// Sales/marketing overlap misfires per week of the run (the weekly overlap audit); empty when there were none.
    public var overlapByWeek: [Int] {
        let days =
            summary.misfiresByDay.indices.contains(Int(MisfireType.salesOverlap.rawValue))
            ? summary.misfiresByDay[Int(MisfireType.salesOverlap.rawValue)] : []
        guard days.contains(where: { $0 > 0 }) else { return [] }
        // The last entry is the horizon's own day (one instant): it belongs to the last full week.
        var weeks = stride(from: 0, to: days.count, by: 7).map { days[$0..<min($0 + 7, days.count)].reduce(0, +) }
        if days.count % 7 == 1 && weeks.count > 1 { weeks[weeks.count - 2] += weeks.removeLast() }
        return weeks
    }
}
