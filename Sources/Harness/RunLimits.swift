import Foundation
import MarTechModel
import ScenarioKit

/// Limits checked before a run starts, each with the way to raise it.
///
/// A scenario is refused up front rather than allowed to exhaust memory or run for days:
/// the population (customers), an estimate of the memory the run's flat arrays need, and the
/// kernel's event budget.
public struct RunLimitPolicy: Sendable {
    /// Customers a run may have without `--allow-large`.
    public static let customersDefault = 50_000_000
    /// Memory the simulation's per-customer state may take without `--allow-large`.
    public static let memoryBytesDefault: Int64 = 12 << 30
    public var allowLarge = false
    /// Most events one run may process (`--max-events`).
    public var maxEvents = 2_000_000_000

    public init(allowLarge: Bool = false, maxEvents: Int = 2_000_000_000) {
        self.allowLarge = allowLarge
        self.maxEvents = maxEvents
    }

    /// Fixed bytes per link and per platform, whatever the population: freshness and latency
    /// histograms (about 470 KiB a link measured at 1,000 links), daily figures and counters.
    public static let bytesPerLink: Int64 = 480 << 10
    public static let bytesPerPlatform: Int64 = 256 << 10

    /// Bytes the run's state takes: per customer, truth and provenance, every platform's copy of
    /// every field, generators, tokens, ledgers, each link's pending mark and each fault's
    /// touched bit; and per link and platform, their histograms and figures.
    public static func estimatedBytes(_ plan: RunPlan) -> Int64 {
        let n = Int64(plan.customers), fields = Int64(plan.fields.count)
        var perCustomer: Int64 = fields * 5 + 8 + 8 + 16 + Int64(plan.behavior.processes.count) * 4
        perCustomer += Int64(plan.platforms.count) * fields * 5
        perCustomer += Int64(plan.campaign.retargeting.count) * 36
        perCustomer += Int64(plan.campaign.steps.count) * 9
        let perCustomerTimesEight = Int64(plan.links.count) * 8 + Int64(plan.faults.count)  // a byte per link, a bit per fault
        let fixed = Int64(plan.links.count) * bytesPerLink + Int64(plan.platforms.count) * bytesPerPlatform
        return n * perCustomer + n * perCustomerTimesEight / 8 + fixed
    }

    /// Throws a clear error naming the limit and how to raise it.
    public func check(_ scenario: Scenario) throws(HarnessError) {
        let plan = scenario.plan
        if !allowLarge && plan.customers > RunLimitPolicy.customersDefault {
            throw .limitExceeded(
                "\(scenario.sourceName): \(plan.customers) customers is above the limit of \(RunLimitPolicy.customersDefault); shard the population or pass --allow-large"
            )
        }
        let bytes = RunLimitPolicy.estimatedBytes(plan)
        if !allowLarge && bytes > RunLimitPolicy.memoryBytesDefault {
            throw .limitExceeded(
                "\(scenario.sourceName): the run needs about \(bytes >> 30) GiB for its customers' state, above the limit of \(RunLimitPolicy.memoryBytesDefault >> 30) GiB; use fewer customers or pass --allow-large"
            )
        }
    }
}
