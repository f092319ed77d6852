import MarTechModel
import ScenarioKit
import StackSimulation
import TestKit

func plan(_ yaml: String, seed: UInt64? = nil, customers: Int? = nil) throws -> RunPlan {
    try Scenario.parse(yaml: yaml, sourceName: "test.yaml").overriding(seed: seed, customers: customers).plan
}

func run(_ plan: RunPlan, options: EngineOptions = EngineOptions()) -> (EngineResult, RecordBatch) {
    let sink = CollectingSink()
    let result = Engine.run(plan: plan, options: options, sink: sink)
    return (result, sink.batch)
}

func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }
func standardError(_ x: [Double]) -> Double {
    let m = mean(x)
    return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1) / Double(x.count)).squareRoot()
}

/// A hotel win-back in miniature: nightly CRM→MAP batch, consent stream to SMS, 6-hourly
/// suppression batch to a DSP that applies uploads after a delay.
let miniWinback = """
    name: mini-winback
    seed: 3
    start: 2026-06-01T00:00:00Z
    duration: 21d
    population:
      customers: 3000
      timezones: {America/New_York: 0.5, America/Los_Angeles: 0.5}
      segments:
        inactive: {share: 0.6, leaves: 0.05/d}
      consent: {email: 0.92, sms: 0.35}
      behavior:
        organic_conversion: 0.02/d
        revokes_consent: {sms: 0.01/d}
        email: {open: 0.22, click_given_open: 0.12, convert_given_click: 0.15, unsubscribe: 0.0025}
        sms: {click: 0.08, stop: 0.015}
    platforms:
      crm: {kind: crm}
      map: {kind: map}
      sms: {kind: sms, throughput: unlimited}
      dsp: {kind: dsp, impressions: 3/d, apply_delay: {lognormal: {median: 6h, p99: 30h}}}
    links:
      crm_to_map: {from: crm, to: map, carries: [segments, conversions, consent.email], batch: {at: "02:00", runs_for: 45m}}
      crm_to_sms: {from: crm, to: sms, carries: [consent.sms], stream: {latency: {lognormal: {median: 5m, sigma: 1.5}}}}
      crm_to_dsp: {from: crm, to: dsp, carries: [conversions], batch: {every: 6h}}
    campaign:
      audience: {segment: inactive}
      orchestrator: map
      steps:
        - {name: offer, day: 1, at: "14:00", via: map, unless: converted}
        - {name: text, day: 3, at: "14:00", via: sms, unless: converted}
        - {name: upgrade, day: 7, at: "14:00", via: map, unless: converted}
      retargeting: {via: dsp, suppress_on: converted}
    """
