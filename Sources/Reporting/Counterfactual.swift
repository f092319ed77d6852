/// One candidate fix, tried: the scenario setting changed, and the misfires of a re-run with it.
public struct Counterfactual: Sendable, Equatable {
    /// The scenario key, as a user writes it (`platforms.dsp.apply_delay`).
    public var setting: String
    /// What it was set to in the re-run (`none`, `{every: 1h}`).
    public var change: String
    public var misfiresBefore: Int
    public var misfiresAfter: Int
    /// Customers in both re-runs (the run's first customers, same seed).
    public var customers: Int
    /// Critical misfires (revoked or no consent, quiet hours, minors) before and after.
    public var criticalBefore = 0
    public var criticalAfter = 0
    public var prevented: Int { misfiresBefore - misfiresAfter }
    public var criticalPrevented: Int { criticalBefore - criticalAfter }
    /// Prevents at least a tenth of the critical misfires: more than the re-run's noise (a
    /// customer's later draws shift when an earlier one changes).
    public var preventsCritical: Bool { criticalPrevented > 0 && criticalPrevented * 10 >= criticalBefore }

    public init(setting: String, change: String, misfiresBefore: Int, misfiresAfter: Int, customers: Int) {
        self.setting = setting
        self.change = change
        self.misfiresBefore = misfiresBefore
        self.misfiresAfter = misfiresAfter
        self.customers = customers
    }

    /// "Setting `x` to y prevents 1,234 of 1,500 misfires (82%) …", for every report.
    public var sentence: String {
        let share = misfiresBefore > 0 ? Double(prevented) / Double(misfiresBefore) : 0
        let critical =
            preventsCritical
            ? ", including \(Format.count(criticalPrevented)) of \(Format.count(criticalBefore)) critical ones" : ""
        return
            "Tried: `\(setting): \(change)` prevents \(Format.count(prevented)) of \(Format.count(misfiresBefore)) misfires (\(Int((share * 100).rounded(.down)))%)\(critical) — a re-run of the first \(Format.count(customers)) customers with the same seed, this setting alone changed."
    }
}
