/// A small valid scenario; tests break one thing at a time.
let validScenario = """
    name: tiny
    seed: 7
    start: 2026-06-01T00:00:00Z
    duration: 14d
    population:
      customers: 100
      segments:
        inactive: {share: 0.6, leaves: 0.05/d}
      consent: {email: 0.9, sms: 0.3}
      behavior:
        organic_conversion: 0.02/d
    platforms:
      crm: {kind: crm}
      map: {kind: map, frequency_cap: 3/7d}
      sms: {kind: sms, quiet_hours: "21:00-08:00", throughput: 10/s}
    links:
      crm_to_map:
        from: crm
        to: map
        carries: [segments, conversions]
        batch: {at: "02:00", runs_for: 45m}
      crm_to_sms:
        from: crm
        to: sms
        carries: [consent.sms]
        stream: {latency: {lognormal: {median: 5m, sigma: 1.5}}}
    campaign:
      audience: {segment: inactive}
      steps:
        - {name: first, day: 1, at: "10:00", via: map, unless: converted}
        - {name: text, day: 3, at: "10:00", via: sms, decided_by: map}
    """

/// The valid scenario with one line replaced (the first line containing `find`).
func mutate(_ find: String, _ replacement: String) -> String {
    var lines = validScenario.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let i = lines.firstIndex { $0.contains(find) }!
    lines[i] = replacement
    return lines.joined(separator: "\n")
}
