import SimKernel
import Testing

private func samples(_ d: Distribution, _ n: Int, seed: UInt64 = 1) -> [Double] {
    var r = SeededRandom(seed: seed)
    return (0..<n).map { _ in d.sampleValue(&r) }
}

private func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }
private func standardError(_ x: [Double]) -> Double {
    let m = mean(x)
    let variance = x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
    return (variance / Double(x.count)).squareRoot()
}
private func median(_ x: [Double]) -> Double { x.sorted()[x.count / 2] }

/// Should draw from each distribution with the parameters it was given.
@Suite struct DistributionTests {
    static let n = 200_000

    @Test(arguments: [
        Distribution.fixed(5000),
        .uniform(min: 1000, max: 9000),
        .exponential(mean: 3_600_000),
        .lognormal(median: 300_000, sigma: 0.8),
        .truncatedNormal(mean: 60_000, standardDeviation: 30_000),
        .truncatedNormal(mean: 0, standardDeviation: 10_000),
        .empirical(values: [1000, 2000, 6000]),
        .histogram(buckets: [
            HistogramBucket(lower: 0, upper: 1000, weight: 3), HistogramBucket(lower: 1000, upper: 5000, weight: 1),
        ]),
    ])
    func sampleMeanMatchesClosedForm(_ d: Distribution) {
        let x = samples(d, Self.n)
        let m = mean(x), se = standardError(x)
        let tolerance = max(4 * se, abs(d.mean) * 1e-9)
        #expect(abs(m - d.mean) <= tolerance, "\(d): sample mean \(m), expected \(d.mean) ± \(tolerance)")
        #expect(x.allSatisfy { $0 >= 0 }, "no negative durations")
    }

    @Test func lognormalMedianAndP99() {
        let d = Distribution.lognormal(median: 6 * 3_600_000, p99: 30 * 3_600_000)
        let x = samples(d, Self.n).sorted()
        let med = x[x.count / 2], p99 = x[Int(Double(x.count) * 0.99)]
        #expect(abs(med / (6 * 3_600_000) - 1) < 0.01, "median \(med)")
        #expect(abs(p99 / (30 * 3_600_000) - 1) < 0.03, "p99 \(p99)")
    }

    @Test func exponentialMedianIsMeanTimesLn2() {
        let x = samples(.exponential(mean: 1000), Self.n)
        #expect(abs(median(x) - 1000 * 0.693_147) < 10)
    }

    @Test(arguments: [0.3, 4.0, 29.0, 31.0, 63.0, 500.0])
    func poissonMeanAndVariance(mean lambda: Double) {
        var r = SeededRandom(seed: UInt64(lambda * 10))
        let n = 100_000
        let x = (0..<n).map { _ in Double(r.poisson(mean: lambda)) }
        let m = mean(x)
        let variance = x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)
        #expect(abs(m - lambda) < 4 * (lambda / Double(n)).squareRoot(), "mean \(m) for λ=\(lambda)")
        #expect(abs(variance / lambda - 1) < 0.03, "variance \(variance) for λ=\(lambda)")
    }
}
