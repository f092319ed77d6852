/// An exact probability or share, `numerator / denominator`.
///
/// Probabilities are integers so a replay never depends on floating-point rounding: `0.22`
/// in a scenario becomes `22/100`, and `random.chance(ratio)` compares integers.
public struct Ratio: Hashable, Sendable, CustomStringConvertible {
    public let numerator: UInt64
    public let denominator: UInt64

    public init(_ numerator: UInt64, _ denominator: UInt64) {
        precondition(denominator > 0, "denominator must be positive")
        precondition(numerator <= denominator, "a ratio above 1 is not a probability")
        self.numerator = numerator
        self.denominator = denominator
    }

    public static let never = Ratio(0, 1)
    public static let always = Ratio(1, 1)

    public var value: Double { Double(numerator) / Double(denominator) }

    public var description: String {
        let percent = value * 100
        if percent == percent.rounded() && abs(percent) < 1e15 { return "\(Int64(percent))%" }
        return "\(percent)%"
    }
}
