/// Fixed number formatting for reports: no locale, no wall clock, so output is byte-stable.
enum Format {
    /// `1234567` → `1,234,567`.
    static func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    /// A figure rounded to a whole number for display, saturating instead of trapping on a value
    /// an `Int` cannot hold (infinity and NaN read as the largest magnitude and zero).
    static func whole(_ x: Double) -> Int {
        guard !x.isNaN else { return 0 }
        return x >= 9e18 ? Int(9e18) : x <= -9e18 ? -Int(9e18) : Int(x.rounded())
    }

    /// A share as a percentage with one decimal: `0.1234` → `12.3%`.
    static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "0.0%" }
        let tenths = (part * 1000 + whole / 2) / whole
        return "\(tenths / 10).\(tenths % 10)%"
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
    static func padLeft(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }

    /// Text escaped for XML and HTML (`&`, `<`, `>`, `"`); control characters other than
    /// newline and tab are dropped, since XML 1.0 cannot carry them.
    static func xml(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: if ch.value >= 0x20 || ch == "\n" || ch == "\t" { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    /// JSON string literal with escapes.
    static func json(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    out += "\\u00" + String(u.value, radix: 16).leftPadded(2)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
