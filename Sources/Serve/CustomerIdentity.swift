/// The stable identity every synthetic customer has in serve mode: `customer_id`, an email and
/// an E.164 phone, derived from the customer's number so any platform can find them again.
///
/// Customer 41 is `cust-41`, `cust-41@rehearsal.test` and `+15550000041` (the 555 range is
/// fictional; seven digits hold ten million customers).
public enum CustomerIdentity {
    public static func customerID(_ c: Int) -> String { "cust-\(c)" }
    public static func email(_ c: Int) -> String { "cust-\(c)@rehearsal.test" }
    public static func phone(_ c: Int) -> String {
        let digits = String(c)
        return "+1555" + String(repeating: "0", count: max(0, 7 - digits.count)) + digits
    }

    /// The customer a `customer_id`, email or phone names, if it names one of `count`.
    public static func customer(named text: String, count: Int) -> Int? {
        var s = Substring(text.lowercased())
        if s.hasPrefix("+1555") {
            s = s.dropFirst(5)
            guard s.count == 7, let n = Int(s), n < count else { return nil }
            return n
        }
        guard s.hasPrefix("cust-") else { return nil }
        s = s.dropFirst(5)
        if s.hasSuffix("@rehearsal.test") { s = s.dropLast(15) }
        guard !s.isEmpty, s.count <= 8, s.allSatisfy(\.isASCII), let n = Int(s), n >= 0, n < count,
            String(n) == String(s)
        else { return nil }
        return n
    }

    /// E.164: a plus sign and 8 to 15 digits, the first not 0 (what Twilio accepts as a number).
    public static func isE164(_ text: String) -> Bool {
        let u = Array(text.utf8)
        guard u.count >= 9, u.count <= 16, u[0] == UInt8(ascii: "+"), u[1] != UInt8(ascii: "0") else { return false }
        return u.dropFirst().allSatisfy { $0 >= 48 && $0 <= 57 }
    }
}
