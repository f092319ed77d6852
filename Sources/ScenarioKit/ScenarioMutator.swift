import SimKernel

/// Mutates scenario text for fuzzing the loader: seeded, so every input can be reproduced.
///
/// Mutations are structure-aware (they keep YAML's look): delete or duplicate a line, swap two
/// lines, change indentation, replace a value with a hostile one (huge, negative, empty, a wrong
/// type, deep nesting), rename a key by one letter, cut the file short, insert stray characters;
/// replace a number inside a quantity by an extreme (`1e-300/d`, `inf`, `1e300`), add links that
/// close a cycle over one field, make a value a very long string. `mutateBytes` also breaks the
/// encoding (a Latin-1 byte, a UTF-16 mark, a NUL).
public struct ScenarioMutator {
    /// Numbers a user can write, at their extremes.
    static let extremes = [
        "0", "-1", "1e-300", "1e300", "nan", "inf", "-inf", "1e-16", "1e15", "99999999999999999999",
        "9223372036854775807",
        "4294967296", "0.0000001", "-0",
    ]
    static let hostile = [
        "0", "-1", "999999999999999999999", "1e308", "nan", "''", "\"\"", "[]", "{}", "~", "true", "0/d", "-5/d",
        "1/0s",
        "25:61", "day -1", "{lognormal: {median: 0s, sigma: -1}}", "[[[[[[[[[[]]]]]]]]]]", "0.5%", "1000%", "3/0d",
        "45x",
        "{every: 1ms}", "crm", "unknown_thing", "\"\\u0000\"", "*alias", "&anchor x", "!!binary AAAA",
        "1_000_000_000_000",
        "{share: 2}", "{median: 5m}", "2026-13-45T99:99:99Z", "America/Nowhere", "|\n  text", ">\n  folded",
        "{a: {b: {c: {d: 1}}}}",
    ]
    static let alphabet = Array("abcxyz_:{}[],-#&*!|>'\"\t0123456789 ")
    public var random: SeededRandom

    public init(seed: UInt64) { random = SeededRandom(seed: seed) }

    public mutating func mutate(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let rounds = 1 + Int(random.index(below: 4))
        for _ in 0..<rounds where !lines.isEmpty {
            let i = Int(random.index(below: UInt64(lines.count)))
            switch random.index(below: 13) {
            case 9, 10: lines[i] = withExtremeNumber(lines[i])
            case 11: lines = withCycle(lines)
            case 12:
                if let colon = lines[i].firstIndex(of: ":") {
                    let long = String(repeating: "Ab/", count: 1 + Int(random.index(below: 40_000)))
                    lines[i] = String(lines[i][...colon]) + " " + long
                }
            case 0: lines.remove(at: i)
            case 1: lines.insert(lines[i], at: i)
            case 2:
                let j = Int(random.index(below: UInt64(lines.count)))
                lines.swapAt(i, j)
            case 3: lines[i] = String(repeating: " ", count: Int(random.index(below: 9))) + lines[i].drop { $0 == " " }
            case 4:
                if let colon = lines[i].firstIndex(of: ":") {
                    lines[i] =
                        String(lines[i][...colon]) + " "
                        + ScenarioMutator.hostile[Int(random.index(below: UInt64(ScenarioMutator.hostile.count)))]
                }
            case 5:
                var chars = Array(lines[i])
                if !chars.isEmpty {
                    let k = Int(random.index(below: UInt64(chars.count)))
                    chars[k] =
                        ScenarioMutator.alphabet[Int(random.index(below: UInt64(ScenarioMutator.alphabet.count)))]
                    lines[i] = String(chars)
                }
            case 6: lines = Array(lines.prefix(i))
            case 7: lines.insert(String(repeating: "  ", count: Int(random.index(below: 40))) + "x: [", at: i)
            default:
                let j = Int(random.index(below: UInt64(lines.count)))
                lines[i] = lines[j]
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `mutate`, then sometimes a byte that is not UTF-8, a UTF-16 byte-order mark or a NUL.
    public mutating func mutateBytes(_ text: String) -> [UInt8] {
        var bytes = Array(mutate(text).utf8)
        switch random.index(below: 8) {
        case 0: bytes.insert(0xE9, at: Int(random.index(below: UInt64(bytes.count + 1))))
        case 1: bytes = [0xFF, 0xFE] + bytes.flatMap { [$0, 0] }
        case 2: bytes.insert(0, at: Int(random.index(below: UInt64(bytes.count + 1))))
        case 3: bytes.insert(contentsOf: [0xF0, 0x9F], at: Int(random.index(below: UInt64(bytes.count + 1))))
        default: break
        }
        return bytes
    }

    /// One number in the line (the first run of digits) replaced by an extreme, its unit kept.
    mutating func withExtremeNumber(_ line: String) -> String {
        let chars = Array(line)
        guard let colon = chars.firstIndex(of: ":"),
            let start = chars[colon...].firstIndex(where: { $0.isNumber })
        else { return line }
        var end = start
        while end < chars.count && (chars[end].isNumber || chars[end] == ".") { end += 1 }
        let extreme = ScenarioMutator.extremes[Int(random.index(below: UInt64(ScenarioMutator.extremes.count)))]
        return String(chars[..<start]) + extreme + String(chars[end...])
    }

    /// Two stream links in opposite directions between platforms the file names, over a field
    /// one of its links carries: a cycle, with no latency or one millisecond.
    mutating func withCycle(_ lines: [String]) -> [String] {
        func values(_ key: String) -> [String] {
            lines.compactMap { line -> String? in
                let t = line.drop { $0 == " " }
                guard t.hasPrefix(key + ": ") else { return nil }
                return String(t.dropFirst(key.count + 2)).split(separator: " ").first.map(String.init)
            }
        }
        let platforms = Array(Set(values("from") + values("to"))).sorted()
        let carried = values("carries").map { String($0.filter { !"[],{}".contains($0) }) }.filter { !$0.isEmpty }
        guard platforms.count >= 2, let links = lines.firstIndex(where: { $0.hasPrefix("links:") }), !carried.isEmpty
        else { return lines }
        let a = platforms[Int(random.index(below: UInt64(platforms.count)))]
        let b = platforms.filter { $0 != a }[Int(random.index(below: UInt64(platforms.count - 1)))]
        let field = carried[Int(random.index(below: UInt64(carried.count)))]
        let latency = random.index(below: 2) == 0 ? "0s" : "1ms"
        var out = lines
        out.insert(
            contentsOf: [
                "  fuzz_\(a)_\(b): {from: \(a), to: \(b), carries: [\(field)], stream: {latency: \(latency)}}",
                "  fuzz_\(b)_\(a): {from: \(b), to: \(a), carries: [\(field)], stream: {latency: \(latency)}}",
            ], at: links + 1)
        return out
    }
}
