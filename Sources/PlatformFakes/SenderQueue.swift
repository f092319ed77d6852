import MarTechModel
import SimKernel

/// When a platform actually delivers a message it decided to send.
///
/// Calls must come in time order (the queue is FIFO in virtual time). Models: quiet hours on the recipient's local clock (messages decided inside the window are
/// held until it ends, as SMS platforms do for TCPA's 8:00–21:00 rule), and a throughput limit
/// (messages per second) that turns a bulk send into a queue. Does not model: per-carrier
/// segment splitting, a queue that overflows (serve mode's Twilio fails a message whose wait would
/// pass 10 hours, reading `backlogMilliseconds`).
public struct SenderQueue: Sendable {
    public let quietHours: (startMinute: Int, endMinute: Int)?
    public let spacingMilliseconds: Double?
    @usableFromInline var nextFreeAt: Double = 0

    public init(quietHours: (startMinute: Int, endMinute: Int)?, throughputPerSecond: Double?) {
        self.quietHours = quietHours
        self.spacingMilliseconds = throughputPerSecond.map { 1000 / $0 }
    }

    public var isImmediate: Bool { quietHours == nil && spacingMilliseconds == nil }

    /// How long a message decided at `now` would wait behind the throughput queue (ms).
    public func backlogMilliseconds(at now: SimInstant) -> Double {
        spacingMilliseconds == nil ? 0 : max(0, nextFreeAt - Double(now.millisecondsSinceStart))
    }

    /// The delivery instant of a message decided at `now` for a recipient whose local clock is
    /// `localOffset` ahead of the scenario's clock (start time of day included).
    public mutating func deliveryTime(decidedAt now: SimInstant, localClockOffset: Int64) -> SimInstant {
        var t = now.millisecondsSinceStart
        if let quiet = quietHours {
            t += SenderQueue.waitUntilOutside(quiet, localMilliseconds: t + localClockOffset)
        }
        if let spacing = spacingMilliseconds {
            let start = max(Double(t), nextFreeAt)
            nextFreeAt = start + spacing
            t = SimInstant.start.advanced(by: SimDuration(roundingUpMilliseconds: start)).millisecondsSinceStart
            // A queue that pushed the message into the quiet window holds it again until the window ends.
            if let quiet = quietHours {
                t += SenderQueue.waitUntilOutside(quiet, localMilliseconds: t + localClockOffset)
            }
        }
        return SimInstant(millisecondsSinceStart: t)
    }

    /// Milliseconds from a local clock time until the quiet window `(start, end)` is over (0 if outside).
    public static func waitUntilOutside(_ quiet: (startMinute: Int, endMinute: Int), localMilliseconds: Int64) -> Int64
    {
        let day: Int64 = 86_400_000
        let inDay = ((localMilliseconds % day) + day) % day
        let start = Int64(quiet.startMinute) * 60_000, end = Int64(quiet.endMinute) * 60_000
        if start <= end {
            return inDay >= start && inDay < end ? end - inDay : 0
        }
        // The window wraps midnight: 21:00-08:00.
        if inDay >= start { return day - inDay + end }
        if inDay < end { return end - inDay }
        return 0
    }

    /// True when a local clock time falls inside the quiet window.
    public static func isQuiet(_ quiet: (startMinute: Int, endMinute: Int), localMilliseconds: Int64) -> Bool {
        waitUntilOutside(quiet, localMilliseconds: localMilliseconds) > 0
    }
}
