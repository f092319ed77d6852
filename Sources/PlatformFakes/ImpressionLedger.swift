import SimKernel

/// Ad impressions per customer on one DSP, settled interval by interval.
///
/// Impressions are a Poisson process while the DSP serves a customer. Between two changes of
/// anything that matters (the DSP's copy, the customer's true conversion) the process is
/// homogeneous, so the number of impressions in that interval is one Poisson draw, and the
/// first and last impression instants are drawn exactly from the order statistics of that many
/// uniform points. The per-event path (one event per impression) exists to check this one
/// against; both give the same distribution of every count.
public struct ImpressionLedger: Sendable {
    public var settledAt: [Int64]
    public var served: [Int32]
    public var wasted: [Int32]
    public var firstAt: [Int64]
    public var lastAt: [Int64]
    /// Per-event mode: generation of the customer's pending impression event (odd = pending).
    public var token: [UInt32]

    public init(customerCount: Int) {
        settledAt = [Int64](repeating: 0, count: customerCount)
        served = [Int32](repeating: 0, count: customerCount)
        wasted = [Int32](repeating: 0, count: customerCount)
        firstAt = [Int64](repeating: -1, count: customerCount)
        lastAt = [Int64](repeating: -1, count: customerCount)
        token = [UInt32](repeating: 0, count: customerCount)
    }

    /// Adds `n` impressions spread over `[from, to)`, returning the instants of the first and last.
    public mutating func addAggregated(
        _ customer: Int, count n: Int, from: Int64, to: Int64, wasted isWasted: Bool, random: inout SeededRandom
    ) -> (first: Int64, last: Int64) {
        let length = Double(to - from)
        // Max of n uniforms is U^(1/n); the min of the other n-1, given the max m, is m(1 - V^(1/(n-1))).
        let maxFraction = _pow(random.unitOpen(), 1 / Double(n))
        let minFraction = n == 1 ? maxFraction : maxFraction * (1 - _pow(random.unitOpen(), 1 / Double(n - 1)))
        let first = from + Int64((minFraction * length).rounded(.down))
        let last = from + Int64((maxFraction * length).rounded(.down))
        add(customer, count: n, first: first, last: last, wasted: isWasted)
        return (first, last)
    }

    public mutating func add(_ customer: Int, count n: Int, first: Int64, last: Int64, wasted isWasted: Bool) {
        served[customer] += Int32(n)
        if isWasted { wasted[customer] += Int32(n) }
        if firstAt[customer] < 0 || first < firstAt[customer] { firstAt[customer] = first }
        if last > lastAt[customer] { lastAt[customer] = last }
    }
}
