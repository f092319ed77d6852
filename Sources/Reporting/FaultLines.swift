import MarTechModel
import SimKernel

/// One line per injected fault: its window, what it touched, and a warning when it touched
/// nothing (a green run with a fault that never bit proves nothing).
public enum FaultLines {
    public static func describe(_ f: FaultFigures) -> String {
        let window = "\(day(f.startMs))–\(day(f.endMs))"
        guard f.bit else {
            return
                "\(f.name) (\(window)): NEVER BIT — it touched no record and no message; this run proves nothing about it"
        }
        var parts: [String] = []
        func add(_ n: Int, _ what: String) { if n > 0 { parts.append("\(Format.count(n)) \(what)") } }
        add(f.recordsDelayed, "records delayed")
        add(f.retries, "retries")
        add(f.recordsDeadLettered, "dead-lettered")
        add(f.recordsReplayed, "replayed")
        add(f.recordsDropped, "dropped")
        add(f.recordsNulled, "nulled")
        add(f.recordsDuplicated, "duplicated")
        add(f.requestsThrottled, "throttled")
        add(f.messagesAffected, "messages late or repeated")
        if f.queueRequests > 0 {
            parts.append("mean queue wait \(SimDuration(roundingMilliseconds: f.queueWaitMeanMs))")
        }
        parts.append("\(Format.count(f.customersAffected)) customers")
        parts.append("\(Format.count(f.misfires)) misfires")
        return "\(f.name) (\(window)): " + parts.joined(separator: ", ")
    }

    /// `day 3 01:00` for an instant in ms since the start.
    static func day(_ ms: Int64) -> String {
        let d = ms / 86_400_000, m = (ms % 86_400_000) / 60_000
        let hh = m / 60, mm = m % 60
        return "day \(d) \(hh < 10 ? "0" : "")\(hh):\(mm < 10 ? "0" : "")\(mm)"
    }
}
