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

    /// Bytes the per-customer arrays take: truth and provenance, copies, generators, tokens, ledgers.
    public static func estimatedBytes(_ plan: RunPlan) -> Int64 {
        let n = Int64(plan.customers), fields = Int64(plan.fields.count)
        var perCustomer: Int64 = fields * 5 + 8 + 8 + 16 + Int64(plan.behavior.processes.count) * 4
        perCustomer += Int64(plan.platforms.count) * fields * 5
        perCustomer += Int64(plan.campaign.retargeting.count) * 36
        perCustomer += Int64(plan.campaign.steps.count) * 9
        return n * perCustomer
    }

    /// Throws a clear error naming the limit and how to raise it.
    public func check(_ scenario: Scenario) throws(HarnessError) {
        let plan = scenario.plan
        if !allowLarge && plan.customers > RunLimitPolicy.customersDefault {
            throw .limitExceeded("\(scenario.sourceName): \(plan.customers) customers is above the limit of \(RunLimitPolicy.customersDefault); shard the population or pass --allow-large")
        }
        let bytes = RunLimitPolicy.estimatedBytes(plan)
        if !allowLarge && bytes > RunLimitPolicy.memoryBytesDefault {
            throw .limitExceeded("\(scenario.sourceName): the run needs about \(bytes >> 30) GiB for its customers' state, above the limit of \(RunLimitPolicy.memoryBytesDefault >> 30) GiB; use fewer customers or pass --allow-large")
        }
    }
}
