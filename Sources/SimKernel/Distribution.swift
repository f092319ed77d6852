/// A distribution of durations, described by the parameters people use for it.
///
/// All parameters are in milliseconds. A sample is drawn from the generator it is handed and
/// rounded to a whole millisecond; no distribution yields a negative duration.
public enum Distribution: Hashable, Sendable {
    /// Always the same value.
    case fixed(Double)
    /// Uniform on `[min, max]`.
    case uniform(min: Double, max: Double)
    /// Exponential with the given mean (1 / rate).
    case exponential(mean: Double)
    /// Lognormal with the given median (`exp(mu)`) and sigma (of the underlying normal).
    case lognormal(median: Double, sigma: Double)
    /// Normal with the given mean and standard deviation, truncated at zero by rejection.
    case truncatedNormal(mean: Double, standardDeviation: Double)
    /// One of the values, each equally likely.
    case empirical(values: [Double])
    /// A histogram: pick a bucket by weight, then a uniform point inside it.
    case histogram(buckets: [HistogramBucket])

    /// `z` such that P(Z <= z) = 0.99 for a standard normal Z.
    public static let z99 = 2.326_347_874_040_841

    /// A lognormal with the given median and 99th percentile.
    public static func lognormal(median: Double, p99: Double) -> Distribution {
        precondition(p99 > median && median > 0, "p99 must exceed the median")
        return .lognormal(median: median, sigma: _log(p99 / median) / z99)
    }

    /// Draws one duration.
    @inlinable public func sample(_ random: inout SeededRandom) -> SimDuration {
        SimDuration(roundingMilliseconds: sampleValue(&random))
    }

    @inlinable public func sampleValue(_ random: inout SeededRandom) -> Double {
        switch self {
        case .fixed(let v):
            return v
        case .uniform(let lo, let hi):
            return lo + (hi - lo) * random.unit()
        case .exponential(let mean):
            return random.exponential(mean: mean)
        case .lognormal(let median, let sigma):
            return median * _exp(sigma * random.standardNormal())
        case .truncatedNormal(let mean, let sd):
            for _ in 0..<1000 {
                let x = mean + sd * random.standardNormal()
                if x >= 0 { return x }
            }
            return 0
        case .empirical(let values):
            return values[Int(random.index(below: UInt64(values.count)))]
        case .histogram(let buckets):
            let total = buckets.reduce(0) { $0 + $1.weight }
            var u = random.unit() * total
            for bucket in buckets {
                if u < bucket.weight { return bucket.lower + (bucket.upper - bucket.lower) * random.unit() }
                u -= bucket.weight
            }
            let last = buckets[buckets.count - 1]
            return last.upper
        }
    }

    /// The mean, where it has a closed form (used by tests and by reports).
    public var mean: Double {
        switch self {
        case .fixed(let v): return v
        case .uniform(let lo, let hi): return (lo + hi) / 2
        case .exponential(let mean): return mean
        case .lognormal(let median, let sigma): return median * _exp(sigma * sigma / 2)
        case .truncatedNormal(let mean, let sd):
            // Mean of a normal truncated below at zero: mu + sd * phi(a) / (1 - Phi(a)), a = -mu/sd.
            let a = -mean / sd
            let phi = _exp(-a * a / 2) / (2 * Double.pi).squareRoot()
            let tail = 1 - Distribution.normalCDF(a)
            return mean + sd * phi / tail
        case .empirical(let values): return values.reduce(0, +) / Double(values.count)
        case .histogram(let buckets):
            let total = buckets.reduce(0) { $0 + $1.weight }
            return buckets.reduce(0) { $0 + $1.weight * ($1.lower + $1.upper) / 2 } / total
        }
    }

    /// The standard normal CDF (Abramowitz–Stegun 26.2.17, error below 7.5e-8).
    public static func normalCDF(_ x: Double) -> Double {
        let t = 1 / (1 + 0.231_641_9 * abs(x))
        let poly =
            t * (0.319_381_530 + t * (-0.356_563_782 + t * (1.781_477_937 + t * (-1.821_255_978 + t * 1.330_274_429))))
        let upper = _exp(-x * x / 2) / (2 * Double.pi).squareRoot() * poly
        return x >= 0 ? 1 - upper : upper
    }
}

/// One bucket of an empirical histogram: values in `[lower, upper)` with a relative weight.
public struct HistogramBucket: Hashable, Sendable {
    public var lower: Double
    public var upper: Double
    public var weight: Double
    public init(lower: Double, upper: Double, weight: Double) {
        self.lower = lower
        self.upper = upper
        self.weight = weight
    }
}
