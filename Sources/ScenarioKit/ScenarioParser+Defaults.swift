import MarTechModel
import SimKernel

/// Defaults for what a scenario leaves unsaid, from vendors' and regulators' published figures
/// (sources in docs/realism.md): a scenario that says only `kind: map` and sends email gets
/// believable customers, not silent ones.
extension ScenarioParser {
    /// How customers respond to a channel the scenario sends on but gives no `behavior:` for.
    static var defaultResponses: [Channel: ResponsePlan] {
        var email = ResponsePlan()
        email.open = Ratio(2271, 10000)  // Mailchimp 2019, all industries: unique opens 22.71%
        email.clickGivenOpen = Ratio(291, 2271)  // clicks 2.91% of delivered
        email.optOut = Ratio(25, 10000)  // unsubscribe 0.25%
        email.convertGivenClick = Ratio(1, 10)  // assumption: a tenth of clickers reach the goal
        var sms = ResponsePlan()
        sms.open = .always  // a text is seen
        sms.clickGivenOpen = Ratio(1, 10)  // Klaviyo SMS campaigns: click ~10%
        sms.convertGivenClick = Ratio(15, 100)  // Klaviyo: conversion ~1.5% of sends
        sms.optOut = Ratio(9, 1000)  // Klaviyo: unsubscribe 0.6–1.4% per send
        var push = ResponsePlan()
        push.open = Ratio(4, 100)  // Airship: reaction 3.4% (iOS) – 4.6% (Android)
        push.convert = Ratio(1, 1000)  // assumption
        return [.email: email, .sms: sms, .push: push]
    }

    /// The default responses in words, with their sources.
    static let defaultResponseSources: [Channel: (value: String, source: String)] = [
        .email: (
            "opens 22.71%, clicks 2.91% of delivered, unsubscribes 0.25%, a tenth of clickers convert",
            "Mailchimp 2019 benchmarks, all industries (conversion: assumption)"
        ),
        .sms: ("clicks 10%, 15% of clickers convert, STOP 0.9%", "Klaviyo SMS benchmarks"),
        .push: ("opens 4%, converts 0.1%", "Airship reaction rates (conversion: assumption)"),
    ]

    /// Fills in responses for every channel a step sends on without a `behavior:` entry.
    func applyDefaultResponses() {
        let defaults = ScenarioParser.defaultResponses
        for step in campaign.steps where behavior.responses[step.channel] == nil {
            if let plan = defaults[step.channel], let said = ScenarioParser.defaultResponseSources[step.channel] {
                behavior.responses[step.channel] = plan
                assumptions.append(
                    Assumption(setting: "population.behavior.\(step.channel)", value: said.value, source: said.source))
            }
        }
    }
}
