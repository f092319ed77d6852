import MarTechModel
import Reporting
import SimKernel
import Testing

/// Should never pass an expectation vacuously: a freshness SLO on a link that delivered nothing fails and says why.
@Suite struct ExpectationTests {
    func report(deliveries: Int, p95: Int64, redundant: [String: String] = [:]) -> ExpectationReport {
        var summary = RunSummary()
        var link = LinkFigures()
        link.deliveries = deliveries
        link.freshnessP95 = p95
        link.misfiresByType = [Int](repeating: 0, count: MisfireType.allCases.count)
        summary.links = [link]
        return ExpectationReport(
            scenario: "s",
            expectations: [
                Expectation(
                    section: "sla", subject: "twilio_to_crm.freshness_p95", bound: .maxDuration(.minutes(5)), line: 9)
            ],
            summary: summary, linkNames: ["twilio_to_crm"], redundantLinks: redundant)
    }

    @Test func aLinkThatDeliveredNothingFailsItsSLO() throws {
        let r = try #require(report(deliveries: 0, p95: -1).results.first)
        #expect(!r.passed && r.detail.contains("delivered nothing") && r.line == 9)
    }

    @Test func aLinkThatDeliveredInTimePasses() throws {
        let r = try #require(report(deliveries: 10, p95: 60_000).results.first)
        #expect(r.passed)
        let late = try #require(report(deliveries: 10, p95: 600_000).results.first)
        #expect(!late.passed)
    }

    /// Deliveries of what the destination already observes are measured, but mean nothing.
    @Test func aLinkTheDestinationDoesNotNeedFailsItsSLOEvenWhenFast() throws {
        let r = try #require(
            report(deliveries: 10, p95: 60_000, redundant: ["twilio_to_crm": "'crm' observes consent.sms itself"])
                .results.first)
        #expect(!r.passed && r.detail.contains("carries nothing its destination does not already see"), "\(r.detail)")
        #expect(r.detail.contains("'crm' observes consent.sms itself") && r.line == 9)
    }
}
