import SimKernel
import Testing

/// Should turn every computed time, however large, into virtual time without trapping: beyond
/// `SimDuration.never` (and infinity, and NaN) is "never", and instants stop at `distantFuture`.
@Suite struct SaturationTests {
    @Test(arguments: [1e300, .infinity, .nan, Double(Int64.max), 9.3e18, 1e19])
    func hugeTimesBecomeNever(_ milliseconds: Double) {
        #expect(SimDuration(roundingMilliseconds: milliseconds) == .never)
        #expect(SimDuration(roundingUpMilliseconds: milliseconds) == .never)
        #expect(
            SimInstant.start.advanced(by: SimDuration(roundingMilliseconds: milliseconds)) < SimInstant.distantFuture
                || SimInstant.start.advanced(by: SimDuration(roundingMilliseconds: milliseconds))
                    == SimInstant.distantFuture
        )
    }

    @Test func ordinaryTimesRoundAsBefore() {
        #expect(SimDuration(roundingMilliseconds: 1499.5).milliseconds == 1500)
        #expect(SimDuration(roundingMilliseconds: -5).milliseconds == 0)
        #expect(SimDuration(roundingMilliseconds: -.infinity).milliseconds == 0)
        #expect(SimDuration(roundingUpMilliseconds: 1000.2).milliseconds == 1001)
    }

    @Test func arithmeticSaturates() {
        #expect(SimDuration.never + SimDuration.never == .never)
        #expect(SimDuration.never * 1_000_000 == .never)
        #expect(SimDuration.hours(2) * 3 == .hours(6))
        let late = SimInstant.distantFuture.advanced(by: .never)
        #expect(late == .distantFuture)
        #expect(SimDuration.never.description == "never")
    }

    /// The exponential wait of a rate of 1e-300 a day is "never", not a trap.
    @Test func aVanishingRateNeverFires() {
        var random = SeededRandom(seed: 1)
        let d = Distribution.exponential(mean: 86_400_000 / 1e-300).sample(&random)
        #expect(d == .never)
        let spread = Distribution.lognormal(median: 300_000, sigma: 1e6)
        for _ in 0..<100 { #expect(spread.sample(&random) >= .zero) }
    }
}
