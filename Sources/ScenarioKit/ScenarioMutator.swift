import SimKernel

/// Mutates scenario text for fuzzing the loader: seeded, so every input can be reproduced.
///
/// Mutations are structure-aware (they keep YAML's look): delete or duplicate a line, swap two
/// lines, change indentation, replace a value with a hostile one (huge, negative, empty, a wrong
/// type, deep nesting), rename a key by one letter, cut the file short, insert stray characters.
public struct ScenarioMutator {
    static let hostile = [
        "0", "-1", "999999999999999999999", "1e308", "nan", "''", "\"\"", "[]", "{}", "~", "true", "0/d", "-5/d", "1/0s",
        "25:61", "day -1", "{lognormal: {median: 0s, sigma: -1}}", "[[[[[[[[[[]]]]]]]]]]", "0.5%", "1000%", "3/0d", "45x",
        "{every: 1ms}", "crm", "unknown_thing", "\"\\u0000\"", "*alias", "&anchor x", "!!binary AAAA", "1_000_000_000_000",
        "{share: 2}", "{median: 5m}", "2026-13-45T99:99:99Z", "America/Nowhere", "|\n  text", ">\n  folded", "{a: {b: {c: {d: 1}}}}",
    ]
    static let alphabet = Array("abcxyz_:{}[],-#&*!|>'\"\t0123456789 ")
    public var random: SeededRandom

    public init(seed: UInt64) { random = SeededRandom(seed: seed) }

    public mutating func mutate(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let rounds = 1 + Int(random.index(below: 4))
        for _ in 0..<rounds where !lines.isEmpty {
            let i = Int(random.index(below: UInt64(lines.count)))
            switch random.index(below: 9) {
            case 0: lines.remove(at: i)
            case 1: lines.insert(lines[i], at: i)
            case 2:
                let j = Int(random.index(below: UInt64(lines.count)))
                lines.swapAt(i, j)
            case 3: lines[i] = String(repeating: " ", count: Int(random.index(below: 9))) + lines[i].drop { $0 == " " }
            case 4:
                if let colon = lines[i].firstIndex(of: ":") {
                    lines[i] = String(lines[i][...colon]) + " " + ScenarioMutator.hostile[Int(random.index(below: UInt64(ScenarioMutator.hostile.count)))]
                }
            case 5:
                var chars = Array(lines[i])
                if !chars.isEmpty {
                    let k = Int(random.index(below: UInt64(chars.count)))
                    chars[k] = ScenarioMutator.alphabet[Int(random.index(below: UInt64(ScenarioMutator.alphabet.count)))]
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
}
