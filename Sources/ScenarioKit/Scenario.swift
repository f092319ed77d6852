import MarTechModel
import SimKernel

/// A validated scenario: the compiled plan the engine runs (faults included), the expectations
/// a run is checked against, and the source it came from.
///
/// ```swift
/// let scenario = try Scenario.parse(yaml: text, sourceName: "Scenarios/hotel-winback.yaml")
/// let result = Engine.run(plan: scenario.plan, options: EngineOptions(), sink: DiscardingSink())
/// ```
public struct Scenario: Sendable {
    public var name: String
    public var description: String
    public var sourceName: String
    public var sourceText: String
    public var plan: RunPlan
    public var expectations: [Expectation]
    /// Lint warnings: settings that do nothing or contradict another (`--strict` makes them errors).
    public var warnings: [ScenarioDiagnostic] = []
    /// What the command line changed from the file, in words: `seed 2 (the file says 7)`.
    public var overrides: [String] = []

    /// The same scenario with the seed and/or population size replaced (command-line overrides).
    public func overriding(seed: UInt64? = nil, customers: Int? = nil) -> Scenario {
        var copy = self
        if let seed, seed != plan.seed {
            copy.plan.seed = seed
            copy.overrides.append("seed \(seed) (the file says \(plan.seed))")
        }
        if let customers, customers != plan.customers {
            copy.plan.customers = customers
            copy.overrides.append("population.customers \(customers) (the file says \(plan.customers))")
        }
        return copy
    }

    /// Parses and validates YAML text. Reading the file is the caller's job.
    ///
    /// - Throws: `ScenarioError` with every problem found, each with line and column.
    public static func parse(yaml: String, sourceName: String) throws(ScenarioError) -> Scenario {
        try ScenarioParser(text: yaml, sourceName: sourceName).parse()
    }

    /// Reads a seed as written: a decimal number, or a git commit hash (its first 64 bits),
    /// so CI can use a new seed per commit that stays reproducible from the commit alone.
    public static func parseSeed(_ text: String) -> UInt64? {
        if let n = UInt64(text) { return n }
        let hex = text.lowercased()
        guard hex.count >= 7, hex.count <= 64, hex.allSatisfy({ $0.isHexDigit }) else { return nil }
        return UInt64(hex.prefix(16), radix: 16)
    }
}
