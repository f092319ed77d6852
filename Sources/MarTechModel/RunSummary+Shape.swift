/// Checking a summary read back from a results database before any report indexes into it.
extension RunSummary {
    /// A summary written before a root cause existed counted none of it: its cause rows are
    /// widened with zeros (causes are only ever added at the end).
    public mutating func widenToCurrentCauses() {
        let causes = MisfireCause.allCases.count
        for t in misfiresByTypeAndCause.indices where misfiresByTypeAndCause[t].count < causes {
            misfiresByTypeAndCause[t] += [Int](repeating: 0, count: causes - misfiresByTypeAndCause[t].count)
        }
    }

    /// What is wrong with this summary's dimensions for a plan with the given counts, or nil.
    ///
    /// A summary decoded from JSON may come from another version or an edited file; reports index
    /// its tables by type, cause, channel, platform, link, step and day, so each must have the
    /// size this version writes.
    public func shapeProblem(platforms: Int, links: Int, steps: Int, faults: Int, days: Int) -> String? {
        let types = MisfireType.allCases.count, causes = MisfireCause.allCases.count, channels = Channel.allCases.count
        func table(_ name: String, _ rows: [[Int]], _ count: Int, _ width: Int?) -> String? {
            if rows.count != count { return "\(name) has \(rows.count) rows, expected \(count)" }
            if let width, let bad = rows.first(where: { $0.count != width }) {
                return "\(name) has a row of \(bad.count), expected \(width)"
            }
            return nil
        }
        func list(_ name: String, _ count: Int, _ expected: Int) -> String? {
            count == expected ? nil : "\(name) has \(count) entries, expected \(expected)"
        }
        let problems: [String?] = [
            list("touchpointsByChannel", touchpointsByChannel.count, channels),
            list("suppressedByChannel", suppressedByChannel.count, channels),
            list("touchpointsMisfiredByChannel", touchpointsMisfiredByChannel.count, channels),
            list("misfiresByType", misfiresByType.count, types),
            list("exposureCounts", exposureCounts.count, Exposure.allCases.count),
            table("misfiresByTypeAndCause", misfiresByTypeAndCause, types, causes),
            table("misfiresByTypeAndChannel", misfiresByTypeAndChannel, types, channels),
            table("customersMisfiredByTypeAndChannel", customersMisfiredByTypeAndChannel, types, channels),
            table("misfiresByDay", misfiresByDay, types, days),
            table("designMisfiresByStep", designMisfiresByStep, steps, types),
            list("platforms", self.platforms.count, platforms),
            list("links", self.links.count, links),
            list("faults", self.faults.count, faults),
            self.links.firstIndex {
                $0.misfiresByType.count != types || $0.histogram.count > LinkFigures.histogramBounds.count
            }
            .map { "links[\($0)] has tables of the wrong size" },
        ]
        return problems.compactMap { $0 }.first
    }
}
