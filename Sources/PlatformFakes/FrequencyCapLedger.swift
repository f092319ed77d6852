import SimKernel

/// Sends per customer in a rolling window, for a platform's frequency cap (`3/7d`).
///
/// Keeps the last `count` send instants per customer in a flat ring: a send is allowed when
/// fewer than `count` of them fall inside the window. Models: a rolling window per platform.
/// Does not model: calendar-day caps in the customer's time zone (Braze's global cap).
public struct FrequencyCapLedger: Sendable {
    public let count: Int
    public let window: SimDuration
    @usableFromInline var sends: [Int64]
    @usableFromInline var next: [UInt8]

    /// Bytes held: the last `count` send instants and a ring position per customer.
    public var byteCount: Int { sends.count * 8 + next.count }

    public init(customerCount: Int, count: Int, window: SimDuration) {
        precondition(count >= 1 && count <= 64, "a frequency cap counts 1 to 64 sends")
        self.count = count
        self.window = window
        sends = [Int64](hugeRepeating: Int64.min / 2, count: customerCount * count)
        next = [UInt8](hugeRepeating: 0, count: customerCount)
    }

    /// True when one more send at `now` stays within the cap.
    @inlinable public func allows(_ customer: Int, at now: SimInstant) -> Bool {
        // The oldest of the last `count` sends sits where the next one will be written.
        let oldest = sends[customer * count + Int(next[customer])]
        return now.millisecondsSinceStart - oldest >= window.milliseconds
    }

    @inlinable public mutating func recordSend(_ customer: Int, at now: SimInstant) {
        let slot = Int(next[customer])
        sends[customer * count + slot] = now.millisecondsSinceStart
        next[customer] = UInt8((slot + 1) % count)
    }
}
