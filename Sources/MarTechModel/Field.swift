/// The index of a truth field in a run's field catalogue.
public typealias FieldID = Int

/// One field of a customer's true state that can change during a run.
///
/// Values are small integers: a flag is 0 or 1, a choice (a lifecycle stage) is the index of
/// its name. Names are canonical (`converted`, `consent.sms`, `segment.inactive`, `stage`);
/// each platform shows them under its own vendor name.
public struct FieldSpec: Hashable, Sendable {
    /// `engagement`: a message of a step was opened (`opened.<step>`); only its sender sees it at once.
    public enum Category: UInt8, Sendable { case conversion, consent, segment, stage, behavior, engagement }
    public var name: String
    public var category: Category
    /// Value names for a choice; `["no", "yes"]` for a flag.
    public var valueNames: [String]

    public init(name: String, category: Category, valueNames: [String] = ["no", "yes"]) {
        self.name = name
        self.category = category
        self.valueNames = valueNames
    }
}

/// `field == value` (or `field != value`), evaluated on the truth or on one platform's copy.
public struct Condition: Hashable, Sendable {
    public var field: FieldID
    public var value: UInt8
    /// False for `field != value` (an `unless` on a lifecycle stage).
    public var equals: Bool
    public init(field: FieldID, value: UInt8, equals: Bool = true) {
        self.field = field
        self.value = value
        self.equals = equals
    }

    @inlinable public func isMet(by actual: UInt8) -> Bool { (actual == value) == equals }
}
