import MarTechModel
import PlatformFakes
import SimKernel

/// Messages a client sends through a platform (serve mode): the platform's own rules apply, then
/// the message goes out as a touchpoint of a client-sent step and is judged like any other.
extension World {
    mutating func clientSend(step s: Int, customer c: Int, now: SimInstant, followUps: inout FollowUps<SimEvent>)
        -> ClientSendOutcome
    {
        let step = plan.campaign.steps[s]
        if !plan.faults.isEmpty, outage(of: step.executor, at: now) != nil { return .refused(.unavailable) }
        if step.channel == .push && !PushKind.reaches(device: profiles.device[c]) { return .refused(.unreachable) }
        let rules = platforms[step.executor].plan
        let optedOut = consentField(step.channel).map { !rules.passesOwnConsentCopy(copyValue(step.executor, c, $0)) }
        guard let decidedAt = executorAdmits(step, index: s, customer: c, now: now) else {
            return .refused(optedOut == true ? .optedOut : .capped)
        }
        stepSent[s][c >> 6] |= UInt64(1) << UInt64(c & 63)
        if let slot = topology.lastSentSlot[s] { lastSent[slot][c] = now.millisecondsSinceStart }
        let touchpoint = touchpointNext
        touchpointNext += 1
        dispatch(
            touchpoint: touchpoint, step: s, executor: step.executor, customer: c, now: now, decidedAt: decidedAt,
            duplicateFault: nil, followUps: &followUps)
        return .accepted(touchpoint: touchpoint)
    }
}
