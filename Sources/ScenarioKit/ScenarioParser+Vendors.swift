import MarTechModel
import PlatformFakes
import SimKernel

/// `vendor:` — the products a scenario names, their names for fields and their write limits.
extension ScenarioParser {
    /// `vendor: salesforce`: a product from the catalog that can be this kind of platform.
    func readVendor(_ v: YAMLValue, kind: PlatformKind) -> VendorProfile? {
        guard let text = v.scalar(expected: "a vendor such as salesforce, hubspot or twilio") else { return nil }
        guard let vendor = VendorCatalog.named(text.lowercased()) else {
            v.error(
                "unknown vendor '\(text)'; expected one of \(VendorCatalog.ids.joined(separator: ", "))",
                suggestion: nearMiss(text.lowercased(), in: VendorCatalog.ids))
            return nil
        }
        guard vendor.kinds.contains(kind) else {
            v.error(
                "\(vendor.name) is not a \(kind.rawValue) platform; it is a \(vendor.kinds.map(\.rawValue).joined(separator: " or "))"
            )
            return nil
        }
        return vendor
    }

    /// A field's name in a platform's schema: its vendor's, else its kind's.
    func destinationName(platform p: Int, field: String) -> String {
        if let id = platforms[p].vendorID, let name = VendorCatalog.named(id)?.fieldName(field) { return name }
        return platforms[p].kind.profile.fieldName(field)
    }

    /// Each link's floor: the slower of its two ends' published sync cycles.
    func applyVendorSyncFloors() {
        for l in links.indices {
            let floors = [links[l].from, links[l].to].compactMap { p in
                p >= 0 ? platforms[p].vendorID.flatMap { VendorCatalog.named($0)?.fastestSync } : nil
            }
            links[l].vendorFloor = floors.max { $0.interval < $1.interval }
        }
    }

    /// Links into a vendor with a published write limit are throttled as it throttles: a batch
    /// pages at its records per request and requests per second (unless the link says), a
    /// stream queues one request per record.
    func applyVendorWriteLimits() {
        for l in links.indices {
            let to = links[l].to
            guard to >= 0, let id = platforms[to].vendorID, let limit = VendorCatalog.named(id)?.writeLimit else {
                continue
            }
            switch links[l].mode {
            case .batch(let schedule, let runsFor, nil, nil):
                links[l].mode = .batch(
                    schedule: schedule, runsFor: runsFor, pageSize: limit.recordsPerRequest,
                    pagesPerSecond: limit.requestsPerSecond)
            case .batch:
                continue
            case .stream:
                links[l].destinationRequestsPerSecond = limit.requestsPerSecond
            }
        }
    }
}
