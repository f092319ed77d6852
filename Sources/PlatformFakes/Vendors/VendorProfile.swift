import MarTechModel
import SimKernel

/// A published API limit on writes into a vendor: `requests` per `window`, each carrying at most
/// `recordsPerRequest` records, with where the figure comes from.
public struct APILimit: Sendable {
    public let requests: Int
    public let window: SimDuration
    public let recordsPerRequest: Int
    /// A daily allocation, where the vendor publishes one (reported; the simulation throttles
    /// at the burst window's rate).
    public let daily: Int?
    public let source: String

    /// Requests per second the window allows on average.
    public var requestsPerSecond: Double { Double(requests) * 1000 / Double(window.milliseconds) }
    /// Records per second a sync writing full requests reaches.
    public var recordsPerSecond: Double { requestsPerSecond * Double(recordsPerRequest) }
}

/// How a vendor names a model field, and how it spells its values (`no`, `yes` → its own words).
public struct VendorField: Sendable {
    public let match: String
    /// `match` is a prefix (`segment.`) whose rest is appended to `name`.
    public let isPrefix: Bool
    public let name: String
    public let values: [String]

    public static func exact(_ field: String, _ name: String, values: [String] = []) -> VendorField {
        VendorField(match: field, isPrefix: false, name: name, values: values)
    }
    public static func prefix(_ prefix: String, _ name: String, values: [String] = []) -> VendorField {
        VendorField(match: prefix, isPrefix: true, name: name, values: values)
    }
}

/// A product teams really run, as data: which kinds it can be, its own field names and value
/// spellings, the defaults a real account of it has (each with its source; assumptions said as
/// such) and its published API limits, so a link writing into it is throttled as the vendor
/// throttles. Adding a vendor is adding one entry to `VendorCatalog` with its sources.
public struct VendorProfile: Sendable {
    /// What a scenario writes after `vendor:`, such as `salesforce`.
    public let id: String
    /// The product's name, as reports show it.
    public let name: String
    public let kinds: [PlatformKind]
    public let fields: [VendorField]
    /// Messages per second a sender of this vendor delivers when unsaid (SMS).
    public let throughputPerSecond: Double?
    /// Delay before an uploaded list takes effect when unsaid (DSP).
    public let applyDelay: Distribution?
    /// Limits on writes into it (a sync, an upsert); nil where none is published.
    public let writeLimit: APILimit?
    /// Every default above, said out loud: `(setting, value, source)`.
    public let assumptions: [(setting: String, value: String, source: String)]
    /// The freshest a sync into or out of this vendor can be (its own sync cycle), with its
    /// source; nil where the vendor publishes no floor (an API a team's code calls at will).
    public var fastestSync: SyncFloor? = nil

    /// The vendor's name for a model field, if it has its own (otherwise the kind's name applies).
    public func fieldName(_ field: String) -> String? {
        for f in fields {
            if f.isPrefix ? field.hasPrefix(f.match) : field == f.match {
                return f.isPrefix ? f.name + field.dropFirst(f.match.count) : f.name
            }
        }
        return nil
    }

    /// The vendor's spellings of a field's values, if it has its own.
    public func valueSpellings(_ field: String) -> [String]? {
        fields.first { $0.isPrefix ? field.hasPrefix($0.match) : field == $0.match }.flatMap {
            $0.values.isEmpty ? nil : $0.values
        }
    }
}
