import MarTechModel

/// The machine-readable summary (`<scenario>--seed-<seed>.json`). Keys are written in a fixed
/// order and numbers without locale, so the file is byte-identical for the same scenario and seed.
///
/// Schema version 1: `{schema, scenario, seed, customers, status, touchpoints{email,sms,push,ad_impressions},
/// held_back{…}, conversions{organic,after_message,total}, misfires{<type>{total,by_channel{…},by_cause{…}}},
/// reference{…}, rows_written, events}`.
public enum JSONSummary {
    public static let schemaVersion = 1

    public static func render(_ o: RunOverview) -> String {
        let s = o.summary
        var out = "{\n"
        func line(_ key: String, _ value: String, last: Bool = false, indent: Int = 1) {
            out += String(repeating: "  ", count: indent) + Format.json(key) + ": " + value + (last ? "\n" : ",\n")
        }
        func object(_ pairs: [(String, Int)]) -> String {
            "{" + pairs.map { Format.json($0.0) + ": \($0.1)" }.joined(separator: ", ") + "}"
        }
        line("schema", "\(schemaVersion)")
        line("scenario", Format.json(o.scenario))
        line("scenario_file", Format.json(o.scenarioFile))
        line("seed", Format.json(String(o.seed)))
        line("customers", "\(o.customers)")
        line("status", Format.json(o.status))
        let platforms = o.platformNames.indices.map { p in
            "{\"name\": \(Format.json(o.platformNames[p])), \"kind\": \(Format.json(p < o.platformKinds.count ? o.platformKinds[p] : "")), "
                + "\"vendor\": \(p < o.platformVendors.count && !o.platformVendors[p].isEmpty ? Format.json(o.platformVendors[p]) : "null")}"
        }
        line("platforms", "[" + platforms.joined(separator: ", ") + "]")
        line(
            "touchpoints",
            object([
                ("email", s.touchpoints(.email)), ("sms", s.touchpoints(.sms)), ("push", s.touchpoints(.push)),
                ("ad_impressions", s.impressionsServed),
            ]))
        line("held_back", object(Channel.allCases.map { ($0.description, s.suppressedByChannel[Int($0.rawValue)]) }))
        line(
            "conversions",
            object([
                ("organic", s.conversionsOrganic), ("after_message", s.conversionsAfterMessage),
                ("total", s.conversions),
            ]))
        out += misfiresObject(s)
        line(
            "reference",
            object([
                ("emails", s.touchpoints(.email)), ("sms", s.touchpoints(.sms)), ("impressions", s.impressionsServed),
                ("conversions_organic", s.conversionsOrganic), ("conversions_after_message", s.conversionsAfterMessage),
                ("emails_misfired", s.touchpointsMisfiredByChannel[Int(Channel.email.rawValue)]),
                ("impressions_post_conversion", o.postConversion(.ad)),
                ("sms_revoked_consent", o.smsToRevokedConsent),
            ]))
        out += linksObject(o)
        line("faults", faultsArray(s))
        line(
            "legal_exposure",
            "{"
                + Exposure.allCases.map { e in
                    let n = s.exposureCounts[Int(e.rawValue)], (low, high) = e.dollarsPerMessage
                    return Format.json(e.description)
                        + ": {\"messages\": \(n), \"dollars_low\": \(n * low), \"dollars_high\": \(n * high)}"
                }.joined(separator: ", ") + "}")
        line(
            "expectations",
            "["
                + (o.expectations?.results ?? []).map {
                    "{\"name\": \(Format.json($0.name)), \"passed\": \($0.passed), \"detail\": \(Format.json($0.detail))}"
                }.joined(separator: ", ") + "]")
        line("recommendations", "[" + o.recommendations.map(Format.json).joined(separator: ", ") + "]")
        let assumed = o.assumptions.map {
            "{\"setting\": \(Format.json($0.setting)), \"value\": \(Format.json($0.value)), \"source\": \(Format.json($0.source))}"
        }
        line("assumed_defaults", "[" + assumed.joined(separator: ", ") + "]")
        line("rows_written", "\(o.rowsWritten)")
        line("events", "\(s.eventsProcessed)", last: true)
        return out + "}\n"
    }

    static func object(_ pairs: [(String, Int)]) -> String {
        "{" + pairs.map { Format.json($0.0) + ": \($0.1)" }.joined(separator: ", ") + "}"
    }

    /// `"misfires": {<type>: {total, by_channel, by_cause}}`, with its trailing comma.
    static func misfiresObject(_ s: RunSummary) -> String {
        var out = ""
        out += "  \"misfires\": {\n"
        for (i, type) in MisfireType.allCases.enumerated() {
            let byChannel = Channel.allCases.map { ($0.description, s.misfires(type, on: $0)) }
            let byCause = MisfireCause.allCases.map {
                ($0.description, s.misfiresByTypeAndCause[Int(type.rawValue)][Int($0.rawValue)])
            }
            out +=
                "    \(Format.json(type.description)): {\"total\": \(s.misfires(type)), \"by_channel\": \(object(byChannel)), \"by_cause\": \(object(byCause))}"
            out += i == MisfireType.allCases.count - 1 ? "\n" : ",\n"
        }
        out += "  },\n"
        return out
    }

    /// `"links": {<link>: {deliveries, freshness…}}`, with its trailing comma.
    static func linksObject(_ o: RunOverview) -> String {
        let s = o.summary
        var out = ""
        out += "  \"links\": {\n"
        for (i, name) in o.linkNames.enumerated() where i < s.links.count {
            let l = s.links[i]
            out +=
                "    \(Format.json(name)): "
                + object([
                    ("deliveries", l.deliveries), ("freshness_p50_ms", Int(l.freshnessP50)),
                    ("freshness_p95_ms", Int(l.freshnessP95)),
                    ("freshness_p99_ms", Int(l.freshnessP99)), ("freshness_max_ms", Int(l.freshnessMax)),
                    ("misfires", l.misfires),
                    ("completeness_ppm", Int((l.completeness * 1_000_000).rounded())), ("retries", l.retries),
                    ("dead_letters", l.deadLetters),
                    ("replayed", l.replayed), ("contract_violations", l.contractViolations),
                    ("duplicates", l.duplicates), ("throttled", l.throttled),
                ]) + (i == min(o.linkNames.count, s.links.count) - 1 ? "\n" : ",\n")
        }
        out += "  },\n"
        return out
    }

    /// `[{name, kind, target, bit, …}]` for the faults.
    static func faultsArray(_ s: RunSummary) -> String {
        "["
            + s.faults.map { f in
                "{\"name\": \(Format.json(f.name)), \"kind\": \(Format.json(f.kind)), \"target\": \(Format.json(f.target)), \"bit\": \(f.bit), "
                    + "\"start_ms\": \(f.startMs), \"end_ms\": \(f.endMs), \"records_delayed\": \(f.recordsDelayed), \"records_dropped\": \(f.recordsDropped), "
                    + "\"records_dead_lettered\": \(f.recordsDeadLettered), \"records_replayed\": \(f.recordsReplayed), \"records_nulled\": \(f.recordsNulled), "
                    + "\"records_duplicated\": \(f.recordsDuplicated), \"requests_throttled\": \(f.requestsThrottled), \"retries\": \(f.retries), "
                    + "\"messages_affected\": \(f.messagesAffected), \"customers_affected\": \(f.customersAffected), \"misfires\": \(f.misfires)}"
            }.joined(separator: ", ") + "]"
    }

}
