import MarTechModel
import Yams

/// `skip_if_opened`: an open is a truth field of its own, `opened.<step>`, that the sending
/// platform sees at once (it tracks its opens) and other platforms only through a link carrying
/// it. The deciding platform reads its own copy, not the truth.
extension ScenarioParser {
    /// Declares `opened.<step>` for every step a `skip_if_opened` names, before links are read,
    /// so a link can carry it. Reads the raw campaign quietly: errors are reported when it is read.
    func declareOpenedFields(_ campaign: YAMLValue?) {
        guard case .mapping(let c)? = campaign?.node, case .sequence(let steps)? = c["steps"] else { return }
        for step in steps {
            guard case .mapping(let s) = step, case .mapping(let skip)? = s["skip_if_opened"],
                case .scalar(let name)? = skip["step"]
            else { continue }
            let field = "opened." + name.string
            guard fieldID(field) == nil else { continue }
            // Fields travel in one byte of an event: keep well inside it.
            guard fields.count < 200 else {
                campaign?.error("skip_if_opened names too many steps (at most 100 distinct ones)")
                return
            }
            _ = addField(FieldSpec(name: field, category: .engagement))
        }
    }

    /// Marks the opened step with its field, and warns when the step that skips on it is decided
    /// on a platform that never hears of the open.
    func wireOpened(step index: Int, opened other: Int, at value: YAMLValue) {
        guard let field = fieldID("opened." + campaign.steps[other].name) else { return }
        campaign.steps[other].openedField = field
        let decider = campaign.steps[index].decidedBy, sender = campaign.steps[other].executor
        guard decider != sender else { return }
        let carried = links.contains { $0.to == decider && $0.fields.contains(field) }
        guard !carried && !platforms[decider].observes.contains(field) else { return }
        value.warn(
            "step '\(campaign.steps[index].name)' is decided on '\(platforms[decider].name)', which never hears that '\(campaign.steps[other].name)' was opened ('\(platforms[sender].name)' sent it and sees its opens), so it skips no one; carry them with a link from \(platforms[sender].name) (carries: [opened.\(campaign.steps[other].name)]) or decide the step on \(platforms[sender].name)"
        )
    }
}
