import MarTechModel
import PlatformFakes
import SimKernel

/// The layout of each customer's one record in the world (`CustomerRecordArena`), and the
/// section each part of the engine keeps there: the truth, the cores (generator, process
/// tokens, batch bits), each platform's copy of the fields it stores, each retargeting's
/// impression account.
///
/// An event about a customer touches most of these; side by side they are two or three
/// neighbouring cache lines on one page (see `CustomerRecordArena`).
struct CustomerRecords {
    let arena: CustomerRecordArena
    let truth: RecordSection
    let cores: RecordSection
    /// Platform `p`'s copy; nil for a platform that stores no field itself.
    let copies: [RecordSection?]
    /// One per retargeting, in the campaign's order.
    let accounts: [RecordSection]
    let batchLinkCount: Int

    /// `spacing`: see `EngineOptions.recordSpacing` (0: packed).
    init(plan: RunPlan, topology: Topology, spacing: Int = 0) {
        let fieldCount = plan.fields.count
        var layout = CustomerRecordLayout()
        let truthOffset = layout.add(initial: ValueRecords.initialRecord(slots: fieldCount))
        batchLinkCount = plan.links.filter { if case .batch = $0.mode { true } else { false } }.count
        let coreBytes = CustomerCores.recordBytes(processCount: topology.processCount, batchLinkCount: batchLinkCount)
        let coresOffset = layout.add(initial: [UInt8](repeating: 0, count: coreBytes))
        let copyOffsets: [Int?] = plan.platforms.indices.map { p in
            let stored = PlatformCopy.storedFieldCount(
                fieldCount: fieldCount, held: Topology.fieldsHeld(by: p, plan: plan), observed: plan.platforms[p].observes)
            return stored == 0 ? nil : layout.add(initial: ValueRecords.initialRecord(slots: stored))
        }
        let accountOffsets = plan.campaign.retargeting.map { _ in
            layout.add(initial: ImpressionLedger.initialRecord, alignment: ImpressionLedger.alignment)
        }
        let arena = CustomerRecordArena(customerCount: plan.customers, layout: layout, spacing: spacing)
        self.arena = arena
        truth = arena.section(at: truthOffset)
        cores = arena.section(at: coresOffset)
        copies = copyOffsets.map { $0.map(arena.section(at:)) }
        accounts = accountOffsets.map(arena.section(at:))
    }
}
