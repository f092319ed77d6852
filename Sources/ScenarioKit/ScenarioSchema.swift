import PlatformFakes

/// A JSON Schema (draft 2020-12) for scenario files, built from the same key lists the parser
/// enforces, so editors complete and check what `rehearse validate` accepts.
///
/// It checks structure (which keys exist where, and their shapes); the parser still checks what
/// a schema cannot say (references between sections, shares adding up, near misses).
public enum ScenarioSchema {
    public static func json() -> String {
        let duration =
            #"{"type": "string", "pattern": "^([0-9.]+(ms|s|m|h|d|w))+$|^0$", "description": "45m, 24h, 7d, 1h30m"}"#
        let rate =
            #"{"type": "string", "pattern": "^[0-9.]+ */ *[0-9.]*(ms|s|m|h|d|w)$", "description": "0.02/d, 100/s, 3/7d"}"#
        let share =
            #"{"anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, {"type": "string", "pattern": "^[0-9.]+%$"}]}"#
        let clock = #"{"type": "string", "pattern": "^[0-2]?[0-9]:[0-5][0-9]$"}"#
        let distribution = """
            {"anyOf": [\(duration), {"type": "object", "minProperties": 1, "maxProperties": 1, "properties": {\
            "fixed": \(duration), "uniform": {"type": "object"}, "exponential": {"type": "object"}, "lognormal": {"type": "object"}, \
            "normal": {"type": "object"}, "empirical": {"type": "array"}, "histogram": {"type": "array"}}, "additionalProperties": false}]}
            """
        let condition = #"{"anyOf": [{"type": "string"}, {"type": "object"}, {"type": "array"}]}"#
        func object(_ keys: [String], _ known: [String: String] = [:], required: [String] = []) -> String {
            let props = keys.map { "\"\($0)\": \(known[$0] ?? "{}")" }.joined(separator: ", ")
            let req =
                required.isEmpty ? "" : ", \"required\": [" + required.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
            return "{\"type\": \"object\", \"properties\": {\(props)}, \"additionalProperties\": false\(req)}"
        }
        let mapOf = { (value: String) in "{\"type\": \"object\", \"additionalProperties\": \(value)}" }
        let batch = object(
            ["at", "every", "starting", "runs_for", "page_size", "rate", "timezone"],
            ["every": duration, "runs_for": duration, "page_size": #"{"type": "integer", "minimum": 1}"#, "rate": rate])
        let response = object(
            ScenarioParser.responseKeys,
            Dictionary(
                uniqueKeysWithValues: ScenarioParser.responseKeys.map {
                    ($0, $0.hasSuffix("_delay") ? distribution : share)
                }))
        var behaviorKnown: [String: String] = [
            "email": response, "sms": response, "push": response,
            "revokes_consent": mapOf(rate),
        ]
        for key in ScenarioParser.behaviorKeys where behaviorKnown[key] == nil { behaviorKnown[key] = rate }
        let population = object(
            ScenarioParser.populationKeys,
            [
                "customers": #"{"type": "integer", "minimum": 1}"#, "timezones": mapOf(share), "ages": mapOf(share),
                "attributes": mapOf(mapOf(share)), "devices": mapOf(share), "consent": mapOf(share),
                "segments": mapOf(#"{"anyOf": [\#(share), {"type": "object"}]}"#),
                "lifecycle": "{\"type\": \"object\"}",
                "behavior": object(ScenarioParser.behaviorKeys, behaviorKnown),
            ], required: ["customers"])
        let platform = object(
            ScenarioParser.platformKeys,
            [
                "kind": #"{"enum": ["crm", "map", "cdp", "sms", "push", "dsp"]}"#, "frequency_cap": rate,
                "throughput": #"{"type": "string"}"#,
                "apply_delay": "{\"anyOf\": [\(distribution), {\"const\": \"none\"}]}",
                "suppression_apply_delay": "{\"anyOf\": [\(distribution), {\"const\": \"none\"}]}",
                "checks_consent": #"{"type": "boolean"}"#,
                "rechecks_on_release": #"{"type": "boolean"}"#, "impressions": rate, "recompute": batch,
                "deduplicates_sends": #"{"type": "boolean"}"#,
                "vendor": "{\"enum\": [\(VendorCatalog.ids.map { "\"\($0)\"" }.joined(separator: ", "))]}",
            ], required: ["kind"])
        let link = object(
            ScenarioParser.linkKeys,
            [
                "from": #"{"type": "string"}"#, "to": #"{"type": "string"}"#,
                "carries": #"{"type": "array", "items": {"type": "string"}}"#,
                "batch": batch, "poll": batch, "stream": object(["latency"], ["latency": distribution]),
                "on_contract_violation": #"{"enum": ["reject", "dead_letter", "null", "coerce"]}"#,
                "idempotent": #"{"type": "boolean"}"#,
                "external": #"{"type": "boolean", "description": "the team's own code does this hand-off: simulated by run, measured by serve"}"#,
                "retry": object(
                    ["attempts", "backoff", "base", "cap", "jitter"],
                    [
                        "attempts": #"{"type": "integer", "minimum": 0, "maximum": 63}"#,
                        "backoff": #"{"enum": ["fixed", "exponential"]}"#,
                        "base": duration, "cap": duration, "jitter": #"{"type": "boolean"}"#,
                    ]),
            ], required: ["from", "to", "carries"])
        let step = object(
            ScenarioParser.stepKeys,
            [
                "name": #"{"type": "string"}"#, "day": #"{"type": "integer", "minimum": 0}"#, "at": clock,
                "buffer": duration,
                "channel": #"{"enum": ["email", "sms", "push", "ad", "sales_task"]}"#, "via": #"{"type": "string"}"#,
                "decided_by": #"{"type": "string"}"#, "unless": condition, "require": condition, "on": condition,
                "skip_if_opened": object(["step"], ["step": #"{"type": "string"}"#]),
            ], required: ["name", "via"])
        let campaign = object(
            ScenarioParser.campaignKeys,
            [
                "audience": condition, "steps": "{\"type\": \"array\", \"items\": \(step)}", "frequency_cap": rate,
                "duplicate_window": duration,
                "enforce_frequency_cap": #"{"type": "boolean"}"#, "min_age": #"{"type": "integer"}"#,
                "retargeting":
                    #"{"anyOf": [\#(object(ScenarioParser.retargetingKeys, ["impressions": rate])), {"type": "array"}]}"#,
            ])
        let misfireBound =
            #"{"anyOf": [{"type": "integer", "minimum": 0}, {"type": "object", "properties": {"max": {"type": "integer"}, "max_rate_of_converters": \#(share)}, "additionalProperties": false}]}"#
        let expectations = object(
            ["misfires", "sla", "sometimes"],
            [
                "sometimes": object(
                    ["faults_bite", "misfires"],
                    [
                        "faults_bite": #"{"type": "boolean"}"#,
                        "misfires":
                            "{\"type\": \"array\", \"items\": {\"enum\": [\(ScenarioParser.misfireKeys.map { "\"\($0)\"" }.joined(separator: ", "))]}}",
                    ]),
                "misfires": object(
                    ScenarioParser.misfireKeys,
                    Dictionary(uniqueKeysWithValues: ScenarioParser.misfireKeys.map { ($0, misfireBound) })),
                "sla": mapOf(
                    object(
                        ScenarioParser.slaMetrics,
                        Dictionary(
                            uniqueKeysWithValues: ScenarioParser.slaMetrics.map {
                                (
                                    $0,
                                    $0 == "completeness"
                                        ? share
                                        : (ScenarioParser.slaCounts.contains($0)
                                            ? #"{"type": "integer", "minimum": 0}"# : duration)
                                )
                            }))),
            ])
        let faultBody: (String) -> String = { kind in
            object(
                ["link", "platform", "for"] + (ScenarioParser.faultKeys[kind] ?? []),
                ["link": #"{"type": "string"}"#, "platform": #"{"type": "string"}"#, "for": duration])
        }
        let chaos =
            "{\"type\": \"array\", \"items\": "
            + object(
                ["at"] + ScenarioParser.faultKinds,
                Dictionary(uniqueKeysWithValues: ScenarioParser.faultKinds.map { ($0, faultBody($0)) }).merging([
                    "at": #"{"type": "string"}"#
                ]) { a, _ in a }) + "}"
        let loadExecutor = object(
            ScenarioParser.loadKeys,
            [
                "target": #"{"type": "string", "description": "a platform of vendor segment or twilio"}"#,
                "url": #"{"type": "string", "pattern": "^http://"}"#, "rate": #"{"type": "string"}"#,
                "for": duration, "start_after": duration, "max_in_flight": #"{"type": "integer", "minimum": 1}"#,
                "stages": #"{"type": "array", "items": {"type": "object"}}"#,
            ])
        let top = object(
            ScenarioParser.topKeys,
            [
                "name": #"{"type": "string"}"#, "description": #"{"type": "string"}"#,
                "seed": #"{"type": ["integer", "string"]}"#,
                "start": #"{"type": "string"}"#, "timezone": #"{"type": "string"}"#, "duration": duration,
                "population": population, "platforms": mapOf(platform), "links": mapOf(link), "campaign": campaign,
                "chaos": chaos, "expectations": expectations, "load": mapOf(loadExecutor),
            ], required: ["name", "duration", "population", "platforms", "campaign"])
        return """
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://rehearsal.example/scenario.schema.json", \
            "title": "Rehearsal scenario", \(top.dropFirst())

            """
    }
}
