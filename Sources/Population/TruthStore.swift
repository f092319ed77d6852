import MarTechModel
import SimKernel

/// Every customer's true state, in flat arrays indexed by customer number.
///
/// Truth is what the customer experiences; no platform reads it except those that observe a
/// field directly (the CRM as system of record). For provenance, each field also remembers the
/// id of the truth change that set it (-1: its initial value), and the store keeps every
/// change's instant, so the oracle can tell how long a platform has been behind.
public struct TruthStore: Sendable {
    public let customerCount: Int
    public let fieldCount: Int
    @usableFromInline var values: [UInt8]
    @usableFromInline var lastChange: [Int32]
    /// The instant of each truth change, indexed by change id.
    public var changeTimes: [Int64] = []

    public init(customerCount: Int, fieldCount: Int) {
        self.customerCount = customerCount
        self.fieldCount = fieldCount
        values = [UInt8](repeating: 0, count: customerCount * fieldCount)
        lastChange = [Int32](repeating: -1, count: customerCount * fieldCount)
    }

    @inlinable public func value(_ customer: Int, _ field: FieldID) -> UInt8 { values[customer * fieldCount + field] }

    @inlinable public func lastChangeId(_ customer: Int, _ field: FieldID) -> Int64 {
        Int64(lastChange[customer * fieldCount + field])
    }

    @inlinable public func holds(_ customer: Int, _ conditions: [Condition]) -> Bool {
        for c in conditions where !c.isMet(by: values[customer * fieldCount + c.field]) { return false }
        return true
    }

    /// Sets an initial value (before the run starts; no change is recorded).
    /// The value and provenance arrays, for the engine's memory accounting.
    public var valueBytes: [UInt8] { values }
    public var provenanceBytes: [Int32] { lastChange }

    public mutating func setInitial(_ customer: Int, _ field: FieldID, _ value: UInt8) {
        values[customer * fieldCount + field] = value
    }

    /// Records a change and returns its id.
    @inlinable public mutating func change(_ customer: Int, _ field: FieldID, to value: UInt8, at: SimInstant) -> Int64
    {
        let id = changeTimes.count
        precondition(id < Int(Int32.max), "more than 2^31 truth changes in one run")
        changeTimes.append(at.millisecondsSinceStart)
        values[customer * fieldCount + field] = value
        lastChange[customer * fieldCount + field] = Int32(id)
        return Int64(id)
    }

    @inlinable public func changeTime(_ id: Int64) -> Int64 { id < 0 ? Int64.min : changeTimes[Int(id)] }

    /// The initial values of one customer, four bits per field (for the `customer` table).
    public func packedValues(_ customer: Int) -> UInt64 {
        var packed: UInt64 = 0
        for f in 0..<min(fieldCount, 16) {
            packed |= UInt64(values[customer * fieldCount + f] & 0xF) << (4 * UInt64(f))
        }
        return packed
    }
}
