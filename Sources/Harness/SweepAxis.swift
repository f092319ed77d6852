import Foundation
import ScenarioKit
import SimKernel

/// One `--vary PATH=RANGE`: a scenario path and the values it takes.
///
/// Ranges: `0h..48h:6h` (durations), `00:00..06:00:1h` (clock times, stepped by a duration),
/// `0.1..0.5:0.1` or `0%..5%:1%` (numbers), or a list `a,b,c` (anything the path accepts).
public struct SweepAxis: Sendable, Equatable {
    public enum Unit: String, Sendable { case duration, clock, number, label }
    public var path: String
    /// Each value as written into the scenario.
    public var values: [String]
    /// Each value on the axis of a chart: ms for durations, minutes for clock times, the number itself.
    public var positions: [Double]
    public var unit: Unit

    /// Most values one axis may take.
    public static let valuesMax = 10_000

    public struct SpecError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func parse(_ spec: String) throws(SpecError) -> SweepAxis {
        guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex else {
            throw SpecError(
                description: "--vary '\(spec)': expected PATH=RANGE, such as links.crm_to_map.batch.at=00:00..06:00:1h")
        }
        let path = String(spec[..<eq]), range = String(spec[spec.index(after: eq)...])
        if let dots = range.range(of: "..") {
            let low = String(range[..<dots.lowerBound])
            var high = String(range[dots.upperBound...]), step = ""
            if let colon = high.lastIndex(of: ":"), !isClock(high) || high.filter({ $0 == ":" }).count > 1 {
                step = String(high[high.index(after: colon)...])
                high = String(high[..<colon])
            }
            return try stepped(path: path, low: low, high: high, step: step, spec: spec)
        }
        let values = range.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !values.isEmpty else { throw SpecError(description: "--vary '\(spec)': no values") }
        if let ms = values.map(ScenarioQuantity.duration) as? [SimDuration] {
            return SweepAxis(path: path, values: values, positions: ms.map { Double($0.milliseconds) }, unit: .duration)
        }
        if let numbers = values.map(number) as? [Double] {
            return SweepAxis(path: path, values: values, positions: numbers, unit: .number)
        }
        return SweepAxis(path: path, values: values, positions: values.indices.map(Double.init), unit: .label)
    }

    static func isClock(_ s: String) -> Bool { ScenarioQuantity.clockMinutes(s) != nil }

    static func number(_ s: String) -> Double? {
        if s.hasSuffix("%"), let v = Double(s.dropLast()) { return v / 100 }
        return Double(s)
    }

    private static func stepped(path: String, low: String, high: String, step: String, spec: String) throws(SpecError)
        -> SweepAxis
    {
        func fail(_ why: String) -> SpecError { SpecError(description: "--vary '\(spec)': \(why)") }
        var positions: [Double] = []
        let unit: Unit
        if let a = ScenarioQuantity.clockMinutes(low), let b = ScenarioQuantity.clockMinutes(high) {
            guard let s = ScenarioQuantity.duration(step.isEmpty ? "1h" : step), s.milliseconds >= 60_000 else {
                throw fail("a clock range steps by a duration of at least 1m, such as :1h")
            }
            unit = .clock
            let stepMinutes = Double(s.milliseconds / 60_000)
            var m = Double(a)
            while m <= Double(b) + 1e-9 && positions.count <= valuesMax {
                positions.append(m)
                m += stepMinutes
            }
        } else if let a = ScenarioQuantity.duration(low), let b = ScenarioQuantity.duration(high) {
            guard let s = ScenarioQuantity.duration(step), s.milliseconds > 0 else {
                throw fail("a duration range needs a positive step, such as 0h..48h:6h")
            }
            unit = .duration
            var t = a.milliseconds
            while t <= b.milliseconds && positions.count <= valuesMax {
                positions.append(Double(t))
                t += s.milliseconds
            }
        } else if let a = number(low), let b = number(high) {
            guard let s = number(step), s > 0 else {
                throw fail("a number range needs a positive step, such as 0.1..0.5:0.1")
            }
            unit = .number
            let steps = ((b - a) / s + 1e-9).rounded(.down)
            guard steps.isFinite, steps < Double(valuesMax) else { throw fail("more than \(valuesMax) values") }
            let count = Int(steps)
            positions = (0...max(count, 0)).map { a + Double($0) * s }
        } else {
            throw fail(
                "expected a range of durations (0h..48h:6h), clock times (00:00..06:00:1h) or numbers (0.1..0.5:0.1)")
        }
        guard !positions.isEmpty else { throw fail("the range is empty (is the start above the end?)") }
        guard positions.count <= valuesMax else { throw fail("more than \(valuesMax) values") }
        return SweepAxis(path: path, values: positions.map { format($0, unit) }, positions: positions, unit: unit)
    }

    /// A position written back as the scenario expects it.
    public static func format(_ x: Double, _ unit: Unit) -> String {
        switch unit {
        case .clock:
            let m = Int(x.rounded())
            return "\"\(m / 60 < 10 ? "0" : "")\(m / 60):\(m % 60 < 10 ? "0" : "")\(m % 60)\""
        case .duration:
            let ms = SimDuration(roundingMilliseconds: x).milliseconds
            if ms == 0 { return "0s" }
            for (size, suffix) in [(3_600_000, "h"), (60_000, "m"), (1000, "s")] where ms % Int64(size) == 0 {
                return "\(ms / Int64(size))\(suffix)"
            }
            return "\(ms)ms"
        case .number, .label:
            guard abs(x) < 1e15 else { return String(x) }
            let rounded = (x * 1e9).rounded() / 1e9
            return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int64(rounded)) : String(rounded)
        }
    }

    /// A position for people: `6h`, `02:00`, `0.25`.
    public func label(_ x: Double) -> String {
        switch unit {
        case .duration: SimDuration(roundingMilliseconds: x).description
        case .clock: SweepAxis.format(x, .clock).replacingOccurrences(of: "\"", with: "")
        case .number: SweepAxis.format(x, unit)
        case .label: values.indices.contains(Int(x)) ? values[Int(x)] : SweepAxis.format(x, unit)
        }
    }
}
