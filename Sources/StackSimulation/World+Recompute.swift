import MarTechModel
import SimKernel

/// When what a link delivers takes effect: at once, after the destination's apply delay (a DSP
/// list), or at a CDP's next audience recompute.
extension World {
    /// Does link `l`'s destination take what it delivers into effect later than it arrives: an
    /// apply delay (a DSP list), or a CDP's audience recompute? (Decided once, per link.)
    @inline(__always) func appliesLater(_ l: Int) -> Bool { links[l].appliesLater }

    /// Does link `l` deliver into a CDP whose audiences see new values only at a recompute?
    @inline(__always) func waitsForRecompute(_ l: Int) -> Bool { links[l].waitsForRecompute }

    /// The destination's first recompute at or after `t`; past the horizon when none is left.
    func recomputeAfter(_ t: SimInstant, link l: Int) -> SimInstant {
        platforms[links[l].plan.to].plan.nextRecompute(atOrAfter: t)
            ?? plan.horizon.advanced(by: SimDuration(milliseconds: 1))
    }
}
