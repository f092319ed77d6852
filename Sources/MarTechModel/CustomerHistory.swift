/// The names behind a results database's integer codes, read back for reports and `explain`.
public struct RunCatalog: Sendable {
    public var scenario: String
    public var seed: String
    public var startUnixMilliseconds: Int64
    public var fields: [FieldSpec]
    public var platforms: [(name: String, kind: String, observes: [Int], vendor: String)]
    public var links: [(name: String, from: Int, to: Int, mode: String)]
    public var steps: [(name: String, channel: Int, platform: Int, decidedBy: Int)]
    public var timezones: [String]

    public init(
        scenario: String, seed: String, startUnixMilliseconds: Int64, fields: [FieldSpec],
        platforms: [(name: String, kind: String, observes: [Int], vendor: String)],
        links: [(name: String, from: Int, to: Int, mode: String)],
        steps: [(name: String, channel: Int, platform: Int, decidedBy: Int)], timezones: [String]
    ) {
        self.scenario = scenario
        self.seed = seed
        self.startUnixMilliseconds = startUnixMilliseconds
        self.fields = fields
        self.platforms = platforms
        self.links = links
        self.steps = steps
        self.timezones = timezones
    }

    public func platformName(_ i: Int) -> String {
        i == -1
            ? "truth"
            : (i < platforms.count
                ? platforms[i].name + (platforms[i].vendor.isEmpty ? "" : " (\(platforms[i].vendor))") : "#\(i)")
    }
    public func linkName(_ i: Int) -> String { i >= 0 && i < links.count ? links[i].name : "-" }
    public func fieldName(_ i: Int) -> String { i >= 0 && i < fields.count ? fields[i].name : "-" }
    public func valueName(field: Int, _ v: UInt8) -> String {
        guard field >= 0 && field < fields.count else { return "\(v)" }
        let names = fields[field].valueNames
        return Int(v) < names.count ? names[Int(v)] : "\(v)"
    }
}

/// Everything a results database holds about one customer, in time order within each kind.
public struct CustomerHistory: Sendable {
    public var customer: CustomerRecord
    public var truthChanges: [TruthChangeRecord]
    public var deliveries: [DeliveryRecord]
    public var touchpoints: [TouchpointRecord]
    public var misfires: [MisfireRecord]
    public var impressions: [ImpressionSummaryRecord]

    public init(
        customer: CustomerRecord, truthChanges: [TruthChangeRecord], deliveries: [DeliveryRecord],
        touchpoints: [TouchpointRecord], misfires: [MisfireRecord], impressions: [ImpressionSummaryRecord]
    ) {
        self.customer = customer
        self.truthChanges = truthChanges
        self.deliveries = deliveries
        self.touchpoints = touchpoints
        self.misfires = misfires
        self.impressions = impressions
    }

    /// The customer's initial value of a field (from the packed `initialFields`).
    public func initialValue(_ field: Int) -> UInt8 { UInt8((customer.initialFields >> (4 * UInt64(field))) & 0xF) }

    /// The truth of `field` at instant `t` (changes at `t` included).
    public func truth(_ field: Int, at t: Int64) -> UInt8 {
        truthChanges.last { Int($0.field) == field && $0.at <= t }?.newValue ?? initialValue(field)
    }

    /// What `platform` held for `field` at instant `t`, and the truth change it came from (-1: the initial import).
    public func copy(platform: Int, field: Int, at t: Int64, catalog: RunCatalog) -> (value: UInt8, changeId: Int64) {
        if platform >= 0 && platform < catalog.platforms.count && catalog.platforms[platform].observes.contains(field) {
            let change = truthChanges.last { Int($0.field) == field && $0.at <= t }
            return (change?.newValue ?? initialValue(field), change?.id ?? -1)
        }
        let inbound = Set(catalog.links.indices.filter { catalog.links[$0].to == platform })
        // An SMS platform receiving a STOP, a MAP receiving an unsubscribe: responses observed by the executor.
        if let d = deliveries.last(where: {
            inbound.contains(Int($0.link)) && Int($0.field) == field && $0.appliedAt <= t
        }) {
            return (d.value, d.changeId)
        }
        return (initialValue(field), -1)
    }

    /// When `platform` first held truth change `changeId` of `field`: at the change itself if it
    /// observes the field, else when a link delivered that change to it; nil if it never did.
    public func learned(platform: Int, field: Int, changeId: Int64, catalog: RunCatalog) -> Int64? {
        if platform >= 0 && platform < catalog.platforms.count && catalog.platforms[platform].observes.contains(field) {
            return truthChanges.first { $0.id == changeId }?.at
        }
        let inbound = Set(catalog.links.indices.filter { catalog.links[$0].to == platform })
        return deliveries.first { inbound.contains(Int($0.link)) && Int($0.field) == field && $0.changeId >= changeId }?
            .appliedAt
    }
}
