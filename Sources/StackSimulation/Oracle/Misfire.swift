import MarTechModel
import SimKernel

/// Why a platform's copy of a field differed from the truth when it acted: the root cause, the
/// link at fault (if one was) and the truth change the platform had not seen (if there was one).
struct Attribution: Equatable {
    var cause: MisfireCause
    var link: Int?
    var change: Int64?

    static let journeyDesign = Attribution(cause: .journeyDesign)
}

/// The attribution of one field on one platform, taken when a decision was made: a held message
/// is judged against the truth at delivery, but its cause lies in the copy at decision time.
struct DecisionBasis {
    var platform: Int
    var field: FieldID
    var attribution: Attribution
}

/// One misfire as the oracle found it: built once, with all its evidence, then recorded once
/// (`World.record(_:)`) as a row and in the run's figures.
struct Misfire {
    var type: MisfireType
    /// The message; nil for what is not a message (a missed touchpoint, ad impressions).
    var touchpoint: Int64?
    var customer: Int
    /// The platform that sent (or should have sent) it.
    var platform: Int
    /// The field whose stale copy let it through; nil for rules about the message itself.
    var field: FieldID?
    var attribution: Attribution
    /// When it reached the customer (for impressions, the first of them).
    var at: SimInstant
    var count: Int = 1
    var channel: Channel
    /// The step behind it; nil for retargeting impressions.
    var step: Int?
    /// The injected fault behind it, if any.
    var fault: Int?
    /// How old the unseen change was when the platform acted, and (impressions) when it stopped.
    var staleMilliseconds: Int64 = -1
    var staleUntilMilliseconds: Int64 = -1

    /// The row stored in the results database (-1 where a value is absent).
    func record(id: Int64) -> MisfireRecord {
        var row = MisfireRecord(
            id: id, touchpoint: touchpoint ?? -1, customer: Int32(customer), type: type, platform: UInt16(platform),
            field: Int16(field ?? -1), cause: attribution.cause, causeLink: Int16(attribution.link ?? -1),
            changeId: attribution.change ?? -1, at: at.millisecondsSinceStart, count: Int32(count))
        if let fault { row.causeFault = Int16(fault) }
        row.staleMs = staleMilliseconds
        return row
    }
}
