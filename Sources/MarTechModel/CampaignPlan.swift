import SimKernel

/// The campaign as designed: journey steps and retargeting.
public struct CampaignPlan: Sendable {
    /// Who the campaign is for, evaluated on each step's deciding platform's copy.
    public var audience: [Condition]
    /// The campaign's goal: a customer who truly reached it should get nothing more
    /// (the oracle's post-conversion rule). Usually `converted == 1`.
    public var goal: Condition?
    public var steps: [StepPlan]
    public var retargeting: [RetargetingPlan]
    /// The contact policy across every platform (`3/7d`): the oracle flags the touch that breaks it.
    public var frequencyCap: (count: Int, window: SimDuration)?
    /// The orchestrator enforces `frequencyCap` across channels before sending (the fix for
    /// platforms that only cap their own sends).
    public var enforcesFrequencyCap = false
    /// Two messages on different channels for the same trigger within this window are duplicates.
    public var duplicateWindow = SimDuration.hours(2)
    /// The lifecycle stage from which a lead belongs to sales: marketing to it is an overlap.
    public var salesStage: Condition?
    /// Customers younger than this get no marketing (COPPA: 13); the decider checks it when set.
    public var minimumAge: Int?

    public init(audience: [Condition], goal: Condition?, steps: [StepPlan], retargeting: [RetargetingPlan]) {
        self.audience = audience
        self.goal = goal
        self.steps = steps
        self.retargeting = retargeting
    }
}

/// One journey step.
public struct StepPlan: Sendable {
    public enum Trigger: Sendable {
        /// Everyone eligible at this instant.
        case at(SimInstant)
        /// When the deciding platform's copy of `field` becomes `value`, after `buffer`
        /// (segment entry plus a buffer; a cart abandonment plus a wait).
        case on(Condition, buffer: SimDuration)
        /// Sent by a client over HTTP in serve mode (the team's own code picks who and when):
        /// never armed by the engine; its platform decides and sends, with no campaign audience.
        case client
    }
    public var name: String
    public var channel: Channel
    /// The platform that sends.
    public var executor: Int
    /// The platform whose copy decides who is in the audience (often the MAP orchestrating an SMS).
    public var decidedBy: Int
    public var trigger: Trigger
    /// `unless`/`require` conditions on top of the campaign audience.
    public var conditions: [Condition]
    /// A cross-channel rule: skip when another step went to this customer within a window
    /// ("push only if the email was not sent in the last 2h").
    public var skipIfSent: (step: Int, within: SimDuration)?
    /// Skip when the customer already opened another step's message ("push only if the cart
    /// email was not opened"): a fallback channel, not a second shot.
    public var skipIfOpened: Int?
    /// For a step another step's `skip_if_opened` names: the truth field its opens set
    /// (`opened.<step>`). Its sender sees an open at once; other platforms by link.
    public var openedField: FieldID?

    /// Messages clients send through `platform` on `channel` in serve mode, judged as a step of their own.
    public static func client(name: String, channel: Channel, platform: Int) -> StepPlan {
        StepPlan(name: name, channel: channel, executor: platform, decidedBy: platform, trigger: .client, conditions: [])
    }

    public var isClientSent: Bool {
        if case .client = trigger { return true }
        return false
    }

    public init(
        name: String, channel: Channel, executor: Int, decidedBy: Int, trigger: Trigger, conditions: [Condition]
    ) {
        self.name = name
        self.channel = channel
        self.executor = executor
        self.decidedBy = decidedBy
        self.trigger = trigger
        self.conditions = conditions
    }
}

/// Paid retargeting on a DSP: impressions at a rate to its audience, unless suppressed.
public struct RetargetingPlan: Sendable {
    public var platform: Int
    public var audience: [Condition]
    /// Customers matching this on the DSP's copy are suppressed (the suppression list).
    public var suppressOn: [Condition]
    public var impressionsPerMillisecond: Double

    public init(platform: Int, audience: [Condition], suppressOn: [Condition], impressionsPerMillisecond: Double) {
        self.platform = platform
        self.audience = audience
        self.suppressOn = suppressOn
        self.impressionsPerMillisecond = impressionsPerMillisecond
    }
}
