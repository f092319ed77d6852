import MarTechModel

/// Mean and 95% confidence interval of each headline figure over replications (seeds).
///
/// Lets a user tell a change from noise: two configurations whose intervals overlap widely
/// have not been shown to differ.
public struct ReplicationSummary: Sendable {
    public struct Figure: Sendable, Equatable {
        public var name: String
        public var values: [Double]
        public var mean: Double { values.reduce(0, +) / Double(values.count) }
        /// Half-width of the 95% confidence interval of the mean (Student's t).
        public var halfWidth: Double {
            let n = values.count
            guard n > 1 else { return 0 }
            let m = mean
            let variance = values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)
            return ReplicationSummary.t975(degreesOfFreedom: n - 1) * (variance / Double(n)).squareRoot()
        }
    }

    public var scenario: String
    public var seeds: [UInt64]
    public var figures: [Figure]

    public init(scenario: String, seeds: [UInt64], summaries: [RunSummary]) {
        self.scenario = scenario
        self.seeds = seeds
        func figure(_ name: String, _ f: (RunSummary) -> Int) -> Figure {
            Figure(name: name, values: summaries.map { Double(f($0)) })
        }
        var figures = [
            figure("emails") { $0.touchpoints(.email) }, figure("sms") { $0.touchpoints(.sms) },
            figure("push") { $0.touchpoints(.push) }, figure("ad impressions") { $0.impressionsServed },
            figure("conversions") { $0.conversions },
            figure("post-conversion messages") { $0.misfires(.postConversion) - $0.misfires(.postConversion, on: .ad) },
            figure("post-conversion impressions") { $0.misfires(.postConversion, on: .ad) },
        ]
        for type in MisfireType.allCases where type != .postConversion {
            figures.append(figure("\(type) misfires") { $0.misfires(type) })
        }
        self.figures = figures
    }

    /// The 97.5% quantile of Student's t distribution (two-sided 95%).
    static func t975(degreesOfFreedom df: Int) -> Double {
        let table: [Double] = [
            12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
            2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045,
            2.042,
        ]
        return df >= 1 && df <= table.count ? table[df - 1] : 1.96
    }

    public func render() -> String {
        var lines = [
            "Replications of \(scenario): \(seeds.count) seeds (\(seeds.first.map(String.init) ?? "")…\(seeds.last.map(String.init) ?? "")), mean ± 95% CI",
            "",
        ]
        for f in figures {
            let m = f.mean, h = f.halfWidth
            lines.append("  \(Format.pad(f.name, 28)) \(Format.padLeft(decimal(m), 14)) ± \(decimal(h))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One decimal, no locale: `12345.66` → `12,345.7`.
    func decimal(_ x: Double) -> String {
        let tenths = Format.whole(x * 10)
        return Format.count(tenths / 10) + "." + String(abs(tenths % 10))
    }
}
