import MarTechModel
import SimKernel

/// The static attributes of every customer, in flat arrays: what does not change during a run.
public struct CustomerProfiles: Sendable {
    public var timezone: [UInt8]
    public var age: [UInt8]
    /// 0 = no push device; otherwise 1 + index into the plan's device kinds.
    public var device: [UInt8]
    /// Attribute value indices, 4 bits each, attribute 0 in the lowest bits.
    public var attributes: [UInt32]

    public init(count: Int) {
        timezone = [UInt8](hugeRepeating: 0, count: count)
        age = [UInt8](hugeRepeating: 40, count: count)
        device = [UInt8](hugeRepeating: 0, count: count)
        attributes = [UInt32](hugeRepeating: 0, count: count)
    }
}
