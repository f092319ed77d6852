import SimKernel

/// Virtual instants as vendors print them: ISO 8601 (`2026-07-06T09:30:00.000Z`), RFC 2822
/// (Twilio's `Mon, 06 Jul 2026 09:30:00 +0000`) and epoch milliseconds (HubSpot's filters).
public struct WireTime: Sendable {
    /// Unix milliseconds of the scenario's start.
    public let startUnixMilliseconds: Int64

    public init(startUnixMilliseconds: Int64) { self.startUnixMilliseconds = startUnixMilliseconds }

    public func unixMilliseconds(_ t: SimInstant) -> Int64 { startUnixMilliseconds + t.millisecondsSinceStart }

    public func iso(_ t: SimInstant) -> String {
        let (y, mo, d, h, mi, s, ms, _) = civil(unixMilliseconds(t))
        return "\(pad(y, 4))-\(pad(mo, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2)).\(pad(ms, 3))Z"
    }

    public func rfc2822(_ t: SimInstant) -> String {
        let (y, mo, d, h, mi, s, _, weekday) = civil(unixMilliseconds(t))
        let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(days[weekday]), \(pad(d, 2)) \(months[mo - 1]) \(y) \(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2)) +0000"
    }

    /// The virtual instant of a Unix time in milliseconds (clamped to the start).
    public func instant(unixMilliseconds ms: Int64) -> SimInstant {
        SimInstant(millisecondsSinceStart: max(0, ms - startUnixMilliseconds))
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` or epoch milliseconds; nil otherwise.
    public func parse(_ text: String) -> SimInstant? {
        if let ms = Int64(text) { return instant(unixMilliseconds: ms) }
        let u = Array(text.utf8)
        guard u.count >= 20, u[4] == 45, u[7] == 45, u[10] == 84, u[13] == 58, u[16] == 58, u.last == 90 else {
            return nil
        }
        func num(_ a: Int, _ b: Int) -> Int? { Int(String(decoding: u[a..<b], as: UTF8.self)) }
        guard let y = num(0, 4), let mo = num(5, 7), let d = num(8, 10), let h = num(11, 13), let mi = num(14, 16),
            let s = num(17, 19), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61
        else { return nil }
        var ms = 0
        if u[19] == 46, let f = num(20, min(23, u.count - 1)) { ms = f }
        let days = daysFromCivil(y, mo, d)
        return instant(unixMilliseconds: Int64(days) * 86_400_000 + Int64(h * 3_600_000 + mi * 60_000 + s * 1000 + ms))
    }

    private func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Howard Hinnant's days-from-civil and civil-from-days (proleptic Gregorian, UTC).
    private func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private func civil(_ unixMs: Int64) -> (Int, Int, Int, Int, Int, Int, Int, Int) {
        let ms = Int(unixMs)
        var days = ms / 86_400_000
        var rest = ms % 86_400_000
        if rest < 0 {
            rest += 86_400_000
            days -= 1
        }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        let weekday = ((days % 7) + 7) % 7
        return (y, m, d, rest / 3_600_000, rest / 60_000 % 60, rest / 1000 % 60, rest % 1000, weekday)
    }
}

/// Durations for a progress line: `850ms`, `42s`, `7m`, `3h`.
enum LatencyText {
    static func short(_ ms: Int64) -> String {
        if ms < 1000 { return "\(ms)ms" }
        if ms < 60_000 { return "\(ms / 1000)s" }
        if ms < 3_600_000 { return "\(ms / 60_000)m" }
        return "\(ms / 3_600_000)h"
    }
}
