import MarTechModel
import SimKernel

/// `campaign:` — the journey as designed: audience, goal, steps, retargeting.
extension ScenarioParser {
    static let campaignKeys = [
        "audience", "goal", "orchestrator", "steps", "retargeting", "frequency_cap", "enforce_frequency_cap",
        "duplicate_window",
        "sales_stage", "min_age",
    ]
    static let stepKeys = [
        "name", "day", "at", "on", "buffer", "channel", "via", "decided_by", "unless", "require", "skip_if_sent",
        "skip_if_opened",
    ]
    static let retargetingKeys = ["via", "audience", "suppress_on", "impressions"]

    func readCampaign(_ v: YAMLValue) {
        guard let f = v.fields(ScenarioParser.campaignKeys) else { return }
        if let a = f["audience"] { campaign.audience = conditions(a, negate: false) }
        campaign.goal = Condition(field: fieldID("converted")!, value: 1)
        if let g = f["goal"], let text = g.scalar(expected: "the goal field, such as converted, or none") {
            if text == "none" { campaign.goal = nil } else { campaign.goal = conditions(g, negate: false).first }
        }
        var orchestrator: Int?
        if let o = f["orchestrator"] { orchestrator = platformIndex(o) }
        if let cap = f["frequency_cap"] { readCampaignCap(cap) }
        if let e = f["enforce_frequency_cap"]?.bool() {
            campaign.enforcesFrequencyCap = e
            if e && campaign.frequencyCap == nil {
                f["enforce_frequency_cap"]!.error("there is no campaign.frequency_cap to enforce")
            }
        }
        if let w = f["duplicate_window"]?.duration() { campaign.duplicateWindow = w }
        if let s = f["sales_stage"] {
            if let c = conditions(
                YAMLValue(node: .mapping(.init([(.init("stage"), s.node)])), path: s.path, log: log), negate: false
            ).first {
                campaign.salesStage = c
            }
        }
        if let a = f["min_age"] {
            campaign.minimumAge = a.integer(min: 0, max: 120)
            if let age = campaign.minimumAge { minimumAgeNode = (age, a) }
        }
        if let steps = f["steps"] {
            var names: [String] = []
            var skips: [(step: Int, value: YAMLValue)] = []
            var opened: [(step: Int, value: YAMLValue)] = []
            for item in steps.items() {
                if let step = readStep(item, orchestrator: orchestrator) {
                    if names.contains(step.name) { item.error("duplicate step name '\(step.name)'") }
                    names.append(step.name)
                    campaign.steps.append(step)
                    stepNodes.append((campaign.steps.count - 1, item))
                    if let fields = item.fields(nil), let skip = fields["skip_if_sent"] {
                        skips.append((campaign.steps.count - 1, skip))
                    }
                    if let fields = item.fields(nil), let skip = fields["skip_if_opened"] {
                        opened.append((campaign.steps.count - 1, skip))
                    }
                }
            }
            if campaign.steps.count > 1000 { steps.error("at most 1000 steps") }
            // Cross-channel rules name other steps: resolve them once every step is known.
            for (index, value) in skips {
                guard let sf = value.fields(["step", "within"]),
                    let target = sf.required("step", expected: "another step's name"),
                    let name = target.scalar(expected: "a step name")
                else { continue }
                guard let other = names.firstIndex(of: name), other != index else {
                    target.error("unknown step '\(name)'", suggestion: nearMiss(name, in: names))
                    continue
                }
                campaign.steps[index].skipIfSent = (other, sf["within"]?.duration() ?? .hours(2))
            }
            for (index, value) in opened {
                guard let sf = value.fields(["step"]),
                    let target = sf.required("step", expected: "another step's name"),
                    let name = target.scalar(expected: "a step name")
                else { continue }
                guard let other = names.firstIndex(of: name), other != index else {
                    target.error("unknown step '\(name)'", suggestion: nearMiss(name, in: names))
                    continue
                }
                campaign.steps[index].skipIfOpened = other
                wireOpened(step: index, opened: other, at: value)
            }
        }
        if let r = f["retargeting"] {
            if case .sequence = r.node { r.items().forEach(readRetargeting) } else { readRetargeting(r) }
        }
        if campaign.steps.isEmpty && campaign.retargeting.isEmpty {
            v.error("the campaign has no steps and no retargeting")
        }
    }

    private func readStep(_ v: YAMLValue, orchestrator: Int?) -> StepPlan? {
        guard let f = v.fields(ScenarioParser.stepKeys) else { return nil }
        let name = f.required("name", expected: "the step's name")?.scalar(expected: "a name") ?? "step"
        guard let viaValue = f.required("via", expected: "the platform that sends"), let via = platformIndex(viaValue)
        else { return nil }
        var channel = platforms[via].kind.channel
        if let c = f["channel"], let text = c.scalar(expected: "a channel") {
            channel = Channel(name: text)
            if channel == nil {
                c.error(
                    "unknown channel '\(text)'; expected one of \(Channel.names.joined(separator: ", "))",
                    suggestion: nearMiss(text, in: Channel.names))
            } else if let own = platforms[via].kind.channel, own != channel {
                c.warn(
                    "\(text) sent through '\(platforms[via].name)', a \(platforms[via].kind.rawValue) platform that sends \(own); send it via a platform of its kind"
                )
            }
        }
        guard let channel else {
            viaValue.error(
                "platform '\(platforms[via].name)' (\(platforms[via].kind.rawValue)) does not send messages; give 'channel'"
            )
            return nil
        }
        if channel == .ad {
            v.error("ad impressions are not journey steps; use campaign.retargeting")
            return nil
        }
        if channel == .push && !population.devices.contains(where: { $0.share > 0 }) {
            (f["channel"] ?? viaValue).warn(
                "step '\(name)' sends push, but no customer has a push device (population.devices is unset, and nobody has one by default): it reaches no one; say who does, such as devices: {ios: 0.45, android: 0.35}"
            )
        }
        var decidedBy = orchestrator ?? via
        if let d = f["decided_by"], let p = platformIndex(d) {
            decidedBy = p
            if platforms[p].kind == .dsp {
                d.warn(
                    "step '\(name)' (\(channel)) is decided by '\(platforms[p].name)', a DSP: a DSP decides which ads to serve, not who gets a message; decide it on the platform that sends it, a MAP or a CDP"
                )
            }
        } else if let o = orchestrator, o != via {
            viaValue.warn(
                "step '\(name)' sends via '\(platforms[via].name)' but the orchestrator '\(platforms[o].name)' decides it on its own copy; write decided_by to say so"
            )
        }
        var trigger: StepPlan.Trigger?
        if let on = f["on"] {
            if f["day"] != nil || f["at"] != nil {
                v.error("a step is triggered either by 'on' or by 'day'/'at', not both")
            }
            let buffer = f["buffer"]?.duration() ?? .zero
            if let cond = conditions(on, negate: false).first {
                if !cond.equals { on.error("a trigger fires when a field takes a value; 'not' cannot trigger") }
                trigger = .on(cond, buffer: buffer)
            }
        } else {
            let day = f.required("day", expected: "the day of the run, counted from 0")?.integer(min: 0, max: 366)
            let minutes = f["at"]?.clockMinutes() ?? 0
            if let day {
                let t = instant(day: day, minutes: minutes)
                if t.millisecondsSinceStart > horizon.milliseconds {
                    v.error("step '\(name)' is scheduled after the end of the run (\(t))")
                }
                if t.millisecondsSinceStart < 0 {
                    v.error(
                        "step '\(name)' is scheduled before the run starts (\(startDescription)); use a later 'at' or day 1"
                    )
                } else {
                    trigger = .at(t)
                }
            }
        }
        var conds: [Condition] = []
        if let u = f["unless"] { conds += conditions(u, negate: true) }
        if let r = f["require"] { conds += conditions(r, negate: false) }
        guard let trigger else { return nil }
        return StepPlan(
            name: name, channel: channel, executor: via, decidedBy: decidedBy, trigger: trigger, conditions: conds)
    }

    private func readRetargeting(_ v: YAMLValue) {
        guard let f = v.fields(ScenarioParser.retargetingKeys),
            let viaValue = f.required("via", expected: "the DSP that serves impressions"),
            let via = platformIndex(viaValue)
        else { return }
        guard platforms[via].kind == .dsp else {
            viaValue.error(
                "retargeting runs on a platform of kind dsp; '\(platforms[via].name)' is \(platforms[via].kind.rawValue)"
            )
            return
        }
        let audience = f["audience"].map { conditions($0, negate: false) } ?? campaign.audience
        let suppress = f["suppress_on"].map { conditions($0, negate: false) } ?? []
        // The DSP suppresses on its own copy: a field it neither sees nor receives never changes
        // there, so the suppression never takes effect.
        let heard = Set(
            platforms[via].observes + platforms[via].observesFromSource.map(\.field)
                + links.filter { $0.to == via }.flatMap(\.fields))
        lintRetargetingAudience(audience, heard: heard, dsp: via, at: f["audience"] ?? viaValue)
        let unheard = Set(suppress.map(\.field)).subtracting(heard).sorted()
        if !unheard.isEmpty, let value = f["suppress_on"] {
            value.warn(
                "'\(platforms[via].name)' never hears of \(unheard.map { fields[$0].name }.joined(separator: ", ")): no link carries it there and it does not observe it, so this suppression never takes effect"
            )
        }
        var rate = 3.0 / 86_400_000
        if let r = f["impressions"] ?? impressionRates[platforms[via].name], let perMs = r.ratePerMillisecond() {
            if perMs <= 0 || perMs > 1.0 / 1000 {
                r.error("impressions must be a positive rate of at most 1/s per customer")
            } else {
                rate = perMs
            }
        }
        campaign.retargeting.append(
            RetargetingPlan(platform: via, audience: audience, suppressOn: suppress, impressionsPerMillisecond: rate))
    }

    /// Reads conditions: `converted`, `consent.sms`, `{segment: inactive}`, `{stage: mql}`,
    /// `{converted: false}`, or a list of these. `negate` turns `unless` into its complement.
    func conditions(_ v: YAMLValue, negate: Bool) -> [Condition] {
        var out: [Condition] = []
        let list: [YAMLValue]
        if case .mapping = v.node { list = [v] } else { list = v.items() }
        for item in list {
            if case .scalar = item.node {
                guard let name = item.scalar(expected: "a field name") else { continue }
                if let f = flagField(name, at: item) { out.append(Condition(field: f, value: negate ? 0 : 1)) }
                continue
            }
            guard let m = item.fields(nil) else { continue }
            for e in m.entries {
                switch e.key {
                case "segment", "segments":
                    for s in e.value.items() {
                        guard let name = s.scalar(expected: "a segment name") else { continue }
                        if let f = fieldID("segment." + name) {
                            out.append(Condition(field: f, value: negate ? 0 : 1))
                        } else {
                            s.error(
                                "unknown segment '\(name)'; population.segments declares: \(segmentNames.joined(separator: ", "))",
                                suggestion: nearMiss(name, in: segmentNames))
                        }
                    }
                case "stage":
                    guard let stage = fieldID("stage") else {
                        e.value.error("no lifecycle is declared under population.lifecycle")
                        continue
                    }
                    guard let name = e.value.scalar(expected: "a stage name") else { continue }
                    if let i = fields[stage].valueNames.firstIndex(of: name) {
                        out.append(Condition(field: stage, value: UInt8(i), equals: !negate))
                    } else {
                        e.value.error(
                            "unknown stage '\(name)'", suggestion: nearMiss(name, in: fields[stage].valueNames))
                    }
                default:
                    guard let f = flagField(e.key, at: e.value), let flag = e.value.bool() else { continue }
                    out.append(Condition(field: f, value: (flag != negate) ? 1 : 0))
                }
            }
        }
        return out
    }

    private func flagField(_ name: String, at v: YAMLValue) -> FieldID? {
        let canonical = name.hasPrefix("segments.") ? "segment." + name.dropFirst(9) : name
        if let f = fieldID(canonical), fields[f].category != .stage { return f }
        if let f = fieldID("segment." + name) { return f }
        let names = fields.filter { $0.category != .stage }.map(\.name)
        v.error(
            "unknown field '\(name)'; expected one of \(names.joined(separator: ", "))",
            suggestion: nearMiss(name, in: names))
        return nil
    }

    private func readCampaignCap(_ cap: YAMLValue) {
        guard let r = cap.rate(expected: "a contact policy such as 3/7d") else { return }
        if r.count < 1 || r.count > 64 || r.count != r.count.rounded() {
            cap.error("a frequency cap counts 1 to 64 whole messages")
        } else {
            campaign.frequencyCap = (Int(r.count), r.per)
            capNodes.append((nil, cap))
        }
    }

    /// A frequency cap no step can reach: each step sends a customer at most once, so a cap of
    /// at least as many messages as the steps it counts never holds one back in a run. (Chaos can
    /// send a step twice, so a scenario with faults is not judged.)
    func lintCaps() {
        guard faults.isEmpty else { return }
        for (owner, node) in capNodes {
            let cap = owner.map { o in platforms.first { $0.name == o }?.frequencyCap } ?? campaign.frequencyCap
            guard let cap else { continue }
            let steps = campaign.steps.filter { owner == nil || platforms[$0.executor].name == owner }.count
            guard cap.count >= steps else { continue }
            let who = owner.map { "'\($0)' sends" } ?? "the campaign sends"
            node.warn(
                "a cap of \(cap.count) messages gates nothing in a run: \(who) each customer at most \(steps) (one per step); set it below \(steps) or remove it (under `serve`, the team's own sends count too)"
            )
        }
    }
}
