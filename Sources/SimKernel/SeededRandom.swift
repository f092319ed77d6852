/// A small, fast, seeded generator (SplitMix64) with sampling helpers written out by hand.
///
/// Determinism contract: the same seed yields the same sequence on every machine and every
/// toolchain. The helpers never call `Int.random(in:using:)` or `shuffled(using:)`, whose
/// algorithms the standard library does not promise to keep.
///
/// Streams are derived, never shared: `SeededRandom(seed:stream:)` mixes a stream key into the
/// seed, so customer 7's draws depend only on the scenario seed and the number 7. Adding
/// customers, or sharding the population, leaves every existing customer's draws unchanged.
public struct SeededRandom: Sendable, BitwiseCopyable {
    public var state: UInt64

    @inlinable public init(seed: UInt64) { self.state = seed }

    /// A generator for one named stream: `(seed, a, b)` are mixed so that nearby keys are independent.
    @inlinable public init(seed: UInt64, stream a: UInt64, _ b: UInt64 = 0) {
        var s = SeededRandom.mix(seed ^ 0x5851_F42D_4C95_7F2D)
        s = SeededRandom.mix(s ^ (a &* 0x9E37_79B9_7F4A_7C15))
        s = SeededRandom.mix(s ^ (b &* 0xD1B5_4A32_D192_ED03))
        self.state = s
    }

    /// The SplitMix64 finaliser: a bijective 64-bit mix.
    @inlinable public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inlinable public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SeededRandom.mix(state)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inlinable public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform double in (0, 1], safe to take the logarithm of.
    @inlinable public mutating func unitOpen() -> Double { Double((next() >> 11) + 1) * 0x1.0p-53 }

    /// A uniform integer in `0..<bound` (Lemire's multiply-shift with rejection, no bias).
    @inlinable public mutating func index(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "bound must be positive")
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return m.high
    }

    /// True with the given probability.
    @inlinable public mutating func chance(_ p: Ratio) -> Bool {
        if p.numerator == 0 { return false }
        if p.numerator >= p.denominator { return true }
        return index(below: p.denominator) < p.numerator
    }

    /// A standard normal deviate (Box–Muller, one value per call).
    @inlinable public mutating func standardNormal() -> Double {
        let u1 = unitOpen(), u2 = unit()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// An exponential deviate with the given mean.
    @inlinable public mutating func exponential(mean: Double) -> Double { -mean * _log(unitOpen()) }

    /// A Poisson deviate: inversion for small means, PTRS (Hörmann 1993) for large ones.
    @inlinable public mutating func poisson(mean: Double) -> Int {
        if mean <= 0 { return 0 }
        if mean < 30 {
            var k = 0
            var p = _exp(-mean)
            var cumulative = p
            let u = unit()
            while u > cumulative && k < 10_000 {
                k += 1
                p *= mean / Double(k)
                cumulative += p
            }
            return k
        }
        let slam = mean.squareRoot(), loglam = _log(mean)
        let b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b
        let invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = unit() - 0.5, v = unit()
            let us = 0.5 - abs(u)
            let k = ((2 * a / us + b) * u + mean + 0.43).rounded(.down)
            if us >= 0.07 && v <= vr { return Int(k) }
            if k < 0 || (us < 0.013 && v > us) { continue }
            if _log(v) + _log(invalpha) - _log(a / (us * us) + b) <= -mean + k * loglam - _logGamma(k + 1) {
                return Int(k)
            }
        }
    }
}
