import MarTechModel
import PlatformFakes
import SimKernel

/// What the engine holds in memory, part by part, read off the arrays themselves (element
/// count × stride, not capacity): the byte accounting in `docs/performance.md` comes from here.
public struct StateBytes: Sendable, Equatable {
    /// A part of the state and its bytes in all.
    public var parts: [(name: String, bytes: Int)]
    public var total: Int { parts.reduce(0) { $0 + $1.bytes } }
    /// Bytes of the block that holds every customer's record (`CustomerRecordArena`): the memory
    /// an event or a batch entry touches at random, one customer at a time.
    public var recordBlockBytes = 0

    public static func == (a: StateBytes, b: StateBytes) -> Bool {
        a.parts.map(\.name) == b.parts.map(\.name) && a.parts.map(\.bytes) == b.parts.map(\.bytes)
    }
}

extension World {
    /// The world's state after a run, with the event list at its fullest (`pendingEventsMax` entries).
    func stateBytes(pendingEventsMax: Int) -> StateBytes {
        func size<T>(_ a: [T]) -> Int { a.count * MemoryLayout<T>.stride }
        var parts: [(String, Int)] = []
        parts.append(("truth: one byte per field", truth.valueByteCount))
        parts.append(("truth: the change each field reflects (provenance)", truth.provenanceByteCount))
        parts.append(("truth: when each change happened (the change log)", size(truth.changeTimes)))
        parts.append(("profile: time zone, age, device, attributes", size(profiles.timezone) + size(profiles.age) + size(profiles.device) + size(profiles.attributes)))
        parts.append(("behaviour generator state", cores.generatorBytes))
        parts.append(("behaviour process generations", cores.tokenBytes))
        for (p, platform) in platforms.enumerated() where platform.copy.storedFieldCount > 0 {
            parts.append(("\(plan.platforms[p].name): copy of \(platform.copy.storedFieldCount) field(s), value + provenance", platform.copy.byteCount))
        }
        for (p, platform) in platforms.enumerated() {
            if let cap = platform.frequencyCap { parts.append(("\(plan.platforms[p].name): frequency cap ledger", cap.byteCount)) }
        }
        if let cap = enforcedCap { parts.append(("orchestrator: frequency cap ledger", cap.byteCount)) }
        if cores.batchLinkCount > 0 {
            parts.append(("batch links: one changed-since-last-run bit each", cores.dirtyBitBytes))
        }
        parts.append(("journey steps: sent bits", stepSent.reduce(0) { $0 + size($1) }))
        if !lastSent.isEmpty {
            parts.append(("journey steps: last sent", lastSent.reduce(0) { $0 + size($1) }))
        }
        if !ledgers.isEmpty {
            let width = MemoryLayout<ImpressionLedger.Account>.stride
            parts.append(("DSP impressions (one \(width)-byte account per retargeting)", ledgers.reduce(0) { $0 + $1.accountByteCount }))
            let tokens = ledgers.reduce(0) { $0 + size($1.tokens) }
            if tokens > 0 { parts.append(("DSP impressions: per-event tokens", tokens)) }
        }
        parts.append(("oracle: customers already counted per misfire type", size(misfiredBits)))
        if !faultTouched.isEmpty { parts.append(("faults: customers touched", faultTouched.reduce(0) { $0 + size($1) })) }
        let padding = recordArena.paddingByteCount
        if padding > 0 {
            let name = options.recordSpacing > 0 ? "customer records: padding, the spread asked for included" : "customer records: alignment padding"
            parts.append((name, padding))
        }
        parts.append(("event list at its fullest", pendingEventsMax * EventQueue<SimEvent>.bytesPerEvent))
        var bytes = StateBytes(parts: parts)
        bytes.recordBlockBytes = recordArena.byteCount
        return bytes
    }
}
