import MarTechModel
import SimKernel

/// Lint: settings that can never take effect in a run — a step that reaches no one, a buffer on a
/// step no event triggers, a recompute with nothing to gate.
///
/// A value is *possible* for a field when some customer holds it at the start (its initial
/// share) or something in the scenario sets it during the run: a behaviour, a cascade, or a
/// response to a message (a conversion, an opt-out). Chaos (drift nulls values) and `load:` (the
/// team's events set fields) can set more, so a scenario with either is not judged on values.
extension ScenarioParser {
    func lintReach() {
        lintRecomputes()
        lintBuffers()
        if let (age, node) = minimumAgeNode, let oldest = oldestAge, age > oldest {
            node.warn(
                "min_age \(age) is above every customer's age (the oldest is \(oldest)\(population.ageBuckets.isEmpty ? ": population.ages is unset, and every customer is 40 by default" : "")): no step reaches anyone; lower it or give population.ages"
            )
        }
        guard faults.isEmpty && load.isEmpty else { return }
        let possible = possibleValues()
        for (s, node) in stepNodes where s < campaign.steps.count {
            let step = campaign.steps[s]
            guard !step.isClientSent, let f = node.fields(nil) else { continue }
            if case .on(let trigger, _) = step.trigger, !setDuringRun(trigger.field, trigger.value) {
                f["on"]?.warn(
                    "step '\(step.name)' fires when \(describe(trigger)), but nothing in the scenario makes it so (no behaviour, response or cascade sets it): it never fires; add it under population.behavior or trigger on another field"
                )
            }
            for c in campaign.audience + step.conditions where !possible[c.field].contains(where: c.isMet) {
                (f["require"] ?? f["unless"] ?? f["via"])?.warn(
                    "step '\(step.name)' needs \(describe(c)), which no customer ever has (not at the start, and nothing sets it): it reaches no one"
                )
            }
            if let cf = step.channel.consentFieldName.flatMap(fieldID), platforms[step.executor].checksConsent,
                !possible[cf].contains(1)
            {
                let channel = String(fields[cf].name.dropFirst("consent.".count))
                f["via"]?.warn(
                    "step '\(step.name)' sends \(channel) through '\(platforms[step.executor].name)', which checks consent, but no customer consents to \(channel) (population.consent.\(channel) is unset or 0, and a run never grants consent): it reaches no one; say who consents, such as consent: {\(channel): 0.35}"
                )
            }
        }
    }

    /// A retargeting audience the DSP never hears of is served as imported at the start (a static
    /// upload, a design choice); when nobody is in it at the start, it is served to no one.
    func lintRetargetingAudience(_ audience: [Condition], heard: Set<FieldID>, dsp: Int, at node: YAMLValue) {
        let empty = audience.filter { c in
            !heard.contains(c.field) && !initialValues(c.field).contains(where: c.isMet)
        }
        guard !empty.isEmpty else { return }
        let names = Set(empty.map { fields[$0.field].name }).sorted().joined(separator: ", ")
        node.warn(
            "'\(platforms[dsp].name)' never hears of \(names) (no link carries it there and it does not observe it), and nobody is in that audience at the start: it serves no one; carry \(names) with a link into \(platforms[dsp].name)"
        )
    }

    /// The values some customer holds at the start.
    private func initialValues(_ f: FieldID) -> Set<UInt8> {
        if let stage = population.stage, stage.field == f {
            return Set(stage.shares.indices.filter { stage.shares[$0] > 0 }.map(UInt8.init))
        }
        let share = population.initialShares.last { $0.field == f }?.share ?? .never
        var held = Set<UInt8>()
        if share.numerator > 0 { held.insert(1) }
        if share.numerator < share.denominator { held.insert(0) }
        return held
    }

    /// The oldest age a customer can have: the highest bucket with a share, or 40 when ages are unset.
    private var oldestAge: Int? {
        if population.ageBuckets.isEmpty { return 40 }
        return population.ageBuckets.filter { $0.share > 0 }.map(\.highest).max()
    }

    /// Per field, the values some customer can hold at some time in the run.
    private func possibleValues() -> [Set<UInt8>] {
        var possible = fields.indices.map(initialValues)
        for f in fields.indices {
            for v in 0..<UInt8(clamping: fields[f].valueNames.count) where setDuringRun(f, v) { possible[f].insert(v) }
        }
        return possible
    }

    /// Does a behaviour, a cascade or a response to a message set `field` to `value` during a run?
    private func setDuringRun(_ field: FieldID, _ value: UInt8) -> Bool {
        if behavior.processes.contains(where: { $0.field == field && $0.value == value }) { return true }
        if behavior.cascades.contains(where: { $0.then.field == field && $0.then.value == value }) { return true }
        if fields[field].category == .engagement && value == 1 { return true }
        for (channel, r) in behavior.responses {
            let converts =
                r.convert.numerator > 0
                || (r.open.numerator > 0 && r.clickGivenOpen.numerator > 0 && r.convertGivenClick.numerator > 0)
            if converts && fields[field].name == "converted" && value == 1 { return true }
            if r.optOut.numerator > 0 && fields[field].name == channel.consentFieldName && value == 0 { return true }
        }
        return false
    }

    private func describe(_ c: Condition) -> String {
        let name = fields[c.field].name
        let value = fields[c.field].valueNames[Int(c.value)]
        return "\(name) \(c.equals ? "is" : "is not") \(value)"
    }

    /// A recompute gates what the CDP observes and what links deliver into it: with neither, nothing.
    private func lintRecomputes() {
        for (index, value) in recomputes {
            let observed = links.contains { $0.from == LinkPlan.truth && $0.to == index }
            let inbound = links.contains { $0.from != LinkPlan.truth && $0.to == index }
            guard !observed && !inbound else { continue }
            value.warn(
                "'\(platforms[index].name)' observes nothing itself and no link delivers into it, so its recompute gates nothing; remove it, or say what it observes or link into it"
            )
        }
    }

    /// `buffer` waits after an `on:` trigger; on a step at a day and time it does nothing.
    private func lintBuffers() {
        for (s, node) in stepNodes where s < campaign.steps.count {
            guard case .at = campaign.steps[s].trigger, let f = node.fields(nil), let b = f["buffer"] else { continue }
            b.warn(
                "buffer waits after an 'on:' trigger; step '\(campaign.steps[s].name)' runs at a day and time, so it does nothing here; remove it or trigger the step with on:"
            )
        }
    }
}
