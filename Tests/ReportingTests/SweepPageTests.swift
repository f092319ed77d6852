import Reporting
import Testing

/// Should draw the goal on its figure, title figures in words, and fold away the figures the
/// parameter did not move.
@Suite struct SweepPageTests {
    func point(_ x: Double, _ mean: Double) -> SweepReport.Point {
        SweepReport.Point(x: x, label: "\(Int(x))h", mean: mean, halfWidth: 0.001, n: 3)
    }

    @Test func theGoalIsALineAndFlatFiguresAreFolded() {
        var report = SweepReport(
            title: "twin", parameter: "links.crm_to_dsp.batch.every",
            curves: [
                ("misfires.post_conversion_impressions.rate", [point(1, 0.02), point(2, 0.03), point(3, 0.04)]),
                ("misfires.revoked_consent_sms.rate", [point(1, 0.01), point(2, 0.01), point(3, 0.01)]),
            ], finding: "no value reaches it", command: "rehearse sweep …")
        report.goal = ("misfires.post_conversion_impressions.rate", "<=", 0.005)
        let html = report.renderHTML()
        #expect(html.contains("Post-conversion impressions misfires: customers hit, per converter"))
        #expect(html.contains("stroke-dasharray=\"6 4\"") && html.contains("goal &lt;= 0.5%"))
        // The flat figure has no chart of its own, only a line in the folded list.
        #expect(html.contains("<details><summary>1 figure the parameter did not move</summary>"))
        #expect(html.contains("Revoked consent SMS misfires: customers hit, per converter"))
        #expect(html.components(separatedBy: "<svg").count == 2)
        #expect(html.contains(">links.crm_to_dsp.batch.every</text>"))
    }

    @Test func aGoalTheCurveNeverReachesIsStillDrawnInsideTheChart() {
        var report = SweepReport(
            title: "t", parameter: "p", curves: [("conversions", [point(1, 10), point(2, 12)])], finding: "",
            command: "")
        report.goal = ("conversions", ">=", 40)
        let html = report.renderHTML()
        // The y axis reaches past the bound, so the line is inside the plot: above the zero line.
        #expect(html.contains("goal &gt;= 40"))
        #expect(!html.contains("<details>"))
    }
}
