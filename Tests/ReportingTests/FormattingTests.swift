import Testing

@testable import Reporting

/// Should format figures the same on every machine (no locale) and never trap on extremes.
@Suite struct FormattingTests {
    @Test func countsAndPercentsHaveNoLocale() {
        #expect(Format.count(1_234_567) == "1,234,567")
        #expect(Format.count(-1000) == "-1,000")
        #expect(Format.percent(1, of: 8) == "12.5%")
        #expect(Format.percent(3, of: 0) == "0.0%")
    }

    @Test(arguments: [Double.infinity, -.infinity, .nan, 1e300, -1e300])
    func wholeNumbersSaturate(_ x: Double) {
        let n = Format.whole(x)
        #expect(x.isNaN ? n == 0 : (x > 0 ? n > 0 : n < 0))
    }

    @Test func xmlEscapesAndDropsControlCharacters() {
        #expect(Format.xml("a<b & \"c\"\u{1}") == "a&lt;b &amp; &quot;c&quot;")
    }
}
