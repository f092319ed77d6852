import MarTechModel
import PlatformFakes

/// How one platform names the model fields it shows, and spells their values, on the wire:
/// the vendor's own names where its profile has them (`hs_booking_status`: `false`/`true`),
/// the model's names otherwise. This is what `serve.json` publishes as `fields`.
public struct FieldSpellings: Sendable {
    public struct Entry: Sendable {
        public let field: FieldID
        /// The model's name (`converted`).
        public let model: String
        /// The vendor's name (`hs_booking_status`).
        public let name: String
        /// The vendor's spelling of each value, by value number.
        public let values: [String]
    }

    public let entries: [Entry]

    /// - Parameter shows: whether the platform holds or observes a field.
    public init(plan: RunPlan, platform p: Int, shows: (FieldID) -> Bool) {
        let vendor = plan.platforms[p].vendorID.flatMap(VendorCatalog.named)
        entries = plan.fields.indices.filter(shows).map { f in
            let spec = plan.fields[f]
            let name = vendor?.fieldName(spec.name) ?? spec.name
            var values = spec.valueNames
            if let own = vendor?.valueSpellings(spec.name), own.count == values.count { values = own }
            return Entry(field: f, model: spec.name, name: name, values: values)
        }
    }

    /// The entry a vendor name (or, failing that, a model name) names.
    public func entry(named name: String) -> Entry? {
        entries.first { $0.name == name } ?? entries.first { $0.model == name }
    }

    /// The value number a spelling means: the vendor's spelling, the model's value name, or the
    /// number itself; case-insensitive. Nil for anything else.
    public func value(_ spelled: String, of entry: Entry, modelNames: [String]) -> UInt8? {
        let s = spelled.lowercased()
        if let i = entry.values.firstIndex(where: { $0.lowercased() == s }) { return UInt8(i) }
        if let i = modelNames.firstIndex(where: { $0.lowercased() == s }) { return UInt8(i) }
        if let n = Int(s), n >= 0, n < entry.values.count { return UInt8(n) }
        // A flag written as a JSON boolean by a vendor that has no spelling of its own.
        if entry.values.count == 2 && (s == "true" || s == "false") && modelNames == ["no", "yes"] {
            return s == "true" ? 1 : 0
        }
        return nil
    }
}
