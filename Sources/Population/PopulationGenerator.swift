import MarTechModel
import SimKernel

/// Draws the synthetic population at the start of a run.
///
/// Each customer's attributes come from a generator seeded by the scenario seed and the
/// customer's number alone, so customer 7 looks the same in a population of 100 or of a million.
/// Models: time zones, ages (minors when configured), static attributes, devices, initial
/// segment/consent/behaviour flags, lifecycle stage. Does not model: households, identity
/// stitching across devices, names or addresses.
public enum PopulationGenerator {
    /// The stream key of population draws (kept apart from behaviour draws).
    public static let stream: UInt64 = 1

    public static func generate(plan: RunPlan, truth: inout TruthStore, profiles: inout CustomerProfiles) {
        let p = plan.population
        let tzWeights = p.timezones.map(\.share)
        let ageWeights = p.ageBuckets.map(\.share)
        let deviceShares = p.devices.map(\.share)
        for c in 0..<plan.customers {
            var random = SeededRandom(seed: plan.seed, stream: stream, UInt64(c))
            if tzWeights.count > 1 { profiles.timezone[c] = UInt8(pick(tzWeights, &random)) }
            if !ageWeights.isEmpty {
                let b = p.ageBuckets[pick(ageWeights, &random)]
                let span = UInt64(b.highest - b.lowest + 1)
                profiles.age[c] = UInt8(clamping: b.lowest + Int(random.index(below: span)))
            }
            var packed: UInt32 = 0
            for (i, attribute) in p.attributes.enumerated() where i < 8 {
                packed |= UInt32(pick(attribute.shares, &random) & 0xF) << (4 * UInt32(i))
            }
            profiles.attributes[c] = packed
            if !deviceShares.isEmpty {
                var u = random.unit()
                for (i, share) in deviceShares.enumerated() {
                    if u < share {
                        profiles.device[c] = UInt8(i + 1)
                        break
                    }
                    u -= share
                }
            }
            for (field, share) in p.initialShares where random.chance(share) {
                truth.setInitial(c, field, 1)
            }
            if let stage = p.stage { truth.setInitial(c, stage.field, UInt8(pick(stage.shares, &random))) }
        }
    }

    /// Picks an index with probability proportional to its weight.
    @inlinable static func pick(_ weights: [Double], _ random: inout SeededRandom) -> Int {
        let total = weights.reduce(0, +)
        var u = random.unit() * total
        for (i, w) in weights.enumerated() {
            if u < w { return i }
            u -= w
        }
        return weights.count - 1
    }
}
