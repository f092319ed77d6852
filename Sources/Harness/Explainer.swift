import Foundation
import Reporting
import RunStore

/// Reads one customer's history from a results database and explains it.
public enum Explainer {
    public static func explain(results: String, customer: Int?, misfire: Int64?) throws -> Explanation {
        guard FileManager.default.fileExists(atPath: results) else {
            throw HarnessError.cannotRead(path: results, reason: "no such file")
        }
        let reader = try RunReader(path: results)
        let catalog = try reader.catalog()
        var id = customer
        if let misfire {
            guard let c = try reader.customer(ofMisfire: misfire) else {
                throw HarnessError.cannotRead(path: results, reason: "no misfire #\(misfire)")
            }
            id = c
        }
        guard let id, let history = try reader.history(customer: id, catalog: catalog) else {
            throw HarnessError.cannotRead(
                path: results,
                reason:
                    "no customer \(customer ?? -1) (the run has \(try reader.customerCount()) customers, numbered from 0)"
            )
        }
        return Explanation(history: history, catalog: catalog, only: misfire)
    }
}
