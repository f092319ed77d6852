import MarTechModel
import SimKernel

/// One customer's story, assembled from a results database: what was true, what each platform
/// received and when, what each platform believed when it decided, and what went wrong and why.
///
/// It answers "why did customer 4711 get this message?". The model is built here from plain
/// values; `render()` and `renderJSON()` only format it.
public struct Explanation: Sendable {
    public struct Entry: Sendable {
        public var at: Int64
        /// `truth`, `delivery`, a channel name, or `ads`.
        public var kind: String
        public var text: String
        /// Indented lines under the entry: the decider's view, misfires.
        public var details: [String]
    }

    public var title: String
    public var profile: [String]
    public var entries: [Entry]

    public init(history h: CustomerHistory, catalog: RunCatalog, only misfire: Int64? = nil) {
        let c = Int(h.customer.id)
        title = "Customer \(c) — \(catalog.scenario), seed \(catalog.seed)"
        let zone =
            Int(h.customer.timezone) < catalog.timezones.count ? catalog.timezones[Int(h.customer.timezone)] : "?"
        var start: [String] = []
        for f in catalog.fields.indices {
            start.append("\(catalog.fields[f].name)=\(catalog.valueName(field: f, h.initialValue(f)))")
        }
        profile = [
            "time zone \(zone), age \(h.customer.age)\(h.customer.device > 0 ? ", push device" : "")",
            "at the start: " + start.joined(separator: ", "),
        ]
        var entries: [Entry] = []
        let changesById = Dictionary(uniqueKeysWithValues: h.truthChanges.map { ($0.id, $0) })
        func when(_ t: Int64) -> String { SimInstant(millisecondsSinceStart: t).description }
        func change(_ id: Int64) -> String {
            guard let tc = changesById[id] else { return id < 0 ? "the initial import" : "change #\(id)" }
            return "change #\(id) at \(when(tc.at))"
        }

        entries += Explanation.truthAndDeliveries(h, catalog: catalog, changesById: changesById, change: change)
        // Fields worth showing at a decision: every field that changed for this customer, plus consents.
        let interesting = Set(h.truthChanges.map { Int($0.field) }).union(
            catalog.fields.indices.filter {
                catalog.fields[$0].category == .consent && h.initialValue($0) == 0
                    || catalog.fields[$0].name == "converted"
            })
        for tp in h.touchpoints {
            let step =
                Int(tp.step) < catalog.steps.count
                ? catalog.steps[Int(tp.step)] : (name: "#\(tp.step)", channel: 0, platform: 0, decidedBy: 0)
            var text = "#\(tp.id) \(step.name) via \(catalog.platformName(Int(tp.platform)))"
            if tp.deliveredAt != tp.decidedAt {
                text +=
                    " (decided \(when(tp.decidedAt)), held \(SimDuration(milliseconds: tp.deliveredAt - tp.decidedAt)))"
            }
            let outcome = [
                tp.opened ? "opened" : nil, tp.clicked ? "clicked" : nil, tp.converted ? "converted" : nil,
                tp.optedOut ? "opted out" : nil,
            ].compactMap { $0 }
            if !outcome.isEmpty { text += ": " + outcome.joined(separator: ", ") }
            var details: [String] = []
            let decider = step.decidedBy
            let view = interesting.sorted().map { f -> String in
                let seen = h.copy(platform: decider, field: f, at: tp.decidedAt, catalog: catalog)
                let actual = h.truth(f, at: tp.deliveredAt)
                let mark = seen.value == actual ? "" : " (truth: \(catalog.valueName(field: f, actual)))"
                return "\(catalog.fieldName(f))=\(catalog.valueName(field: f, seen.value))\(mark)"
            }
            details.append("\(catalog.platformName(decider)) saw: " + view.joined(separator: ", "))
            for m in h.misfires where m.touchpoint == tp.id {
                details.append(Explanation.describe(m, catalog: catalog, change: change))
                if let known = Explanation.whoKnew(m, history: h, catalog: catalog) { details.append(known) }
            }
            if let misfire, !h.misfires.contains(where: { $0.id == misfire && $0.touchpoint == tp.id }) { continue }
            entries.append(
                Entry(
                    at: tp.deliveredAt, kind: Channel(rawValue: UInt8(step.channel))?.description ?? "message",
                    text: text, details: details))
        }
        for s in h.impressions {
            var details: [String] = []
            for m in h.misfires where m.touchpoint < 0 && Int(m.platform) == Int(s.platform) {
                details.append(Explanation.describe(m, catalog: catalog, change: change))
            }
            if let misfire, !h.misfires.contains(where: { $0.id == misfire && $0.touchpoint < 0 }) { continue }
            entries.append(
                Entry(
                    at: s.firstAt, kind: "ads",
                    text:
                        "\(catalog.platformName(Int(s.platform))) served \(s.served) impressions from \(when(s.firstAt)) to \(when(s.lastAt)), \(s.wasted) after the customer converted",
                    details: details))
        }
        if misfire != nil { entries.removeAll { $0.kind == "truth" || $0.kind == "delivery" } }
        let order = ["truth": 0, "delivery": 1]
        self.entries = entries.enumerated().sorted { a, b in
            (a.element.at, order[a.element.kind] ?? 2, a.offset) < (b.element.at, order[b.element.kind] ?? 2, b.offset)
        }.map(\.element)
    }

    /// The truth's changes and the links' deliveries, as timeline entries.
    static func truthAndDeliveries(
        _ h: CustomerHistory, catalog: RunCatalog, changesById: [Int64: TruthChangeRecord], change: (Int64) -> String
    ) -> [Entry] {
        var entries: [Entry] = []
        func when(_ t: Int64) -> String { SimInstant(millisecondsSinceStart: t).description }
        for tc in h.truthChanges {
            let f = Int(tc.field)
            let why: String
            switch tc.cause {
            case .behavior: why = "on its own (behaviour)"
            case .response: why = "in response to touchpoint #\(tc.causeRef)"
            case .cascade: why = "following change #\(tc.causeRef)"
            }
            entries.append(
                Entry(
                    at: tc.at, kind: "truth",
                    text:
                        "#\(tc.id) \(catalog.fieldName(f)): \(catalog.valueName(field: f, tc.oldValue)) → \(catalog.valueName(field: f, tc.newValue)) \(why)",
                    details: []))
        }
        for d in h.deliveries {
            let l = Int(d.link), f = Int(d.field)
            let link = l < catalog.links.count ? catalog.links[l] : (name: "#\(l)", from: -1, to: -1, mode: "")
            var text =
                "\(link.name) → \(catalog.platformName(link.to)): \(catalog.fieldName(f)) = \(catalog.valueName(field: f, d.value)) (\(change(d.changeId))"
            if let tc = changesById[d.changeId] {
                text += ", \(SimDuration(milliseconds: d.appliedAt - tc.at)) after it"
            }
            text += d.batch >= 0 ? ", batch \(d.batch) snapshotted \(when(d.sentAt)))" : ")"
            entries.append(Entry(at: d.appliedAt, kind: "delivery", text: text, details: []))
        }
        return entries
    }

    /// Which platforms knew the change behind a misfire by the time of the message, and when:
    /// "the truth changed 41m before this message; hubspot knew at once (it observes it), braze never heard".
    static func whoKnew(_ m: MisfireRecord, history h: CustomerHistory, catalog: RunCatalog) -> String? {
        guard m.field >= 0, m.changeId >= 0, let tc = h.truthChanges.first(where: { $0.id == m.changeId }) else {
            return nil
        }
        let f = Int(m.field)
        // Platforms that see this field at all: those observing it, and those a link ever delivered it to.
        var platforms = catalog.platforms.indices.filter { catalog.platforms[$0].observes.contains(f) }
        for d in h.deliveries where Int(d.field) == f {
            let to = catalog.links[Int(d.link)].to
            if !platforms.contains(to) { platforms.append(to) }
        }
        if !platforms.contains(Int(m.platform)) { platforms.append(Int(m.platform)) }
        let parts = platforms.sorted().map { p -> String in
            let name = catalog.platformName(p)
            guard let at = h.learned(platform: p, field: f, changeId: m.changeId, catalog: catalog), at <= m.at else {
                return "\(name) never heard by then"
            }
            if catalog.platforms[p].observes.contains(f) { return "\(name) knew at once (it observes it)" }
            return "\(name) knew after \(SimDuration(milliseconds: at - tc.at))"
        }
        return
            "the truth changed \(SimDuration(milliseconds: m.at - tc.at)) before this message; "
            + parts.joined(separator: ", ")
    }

    static func describe(_ m: MisfireRecord, catalog: RunCatalog, change: (Int64) -> String) -> String {
        var text = "✗ misfire #\(m.id) \(m.type) [\(m.type.severity)]"
        if m.count > 1 { text += " ×\(m.count)" }
        text += ": cause \(m.cause)"
        if m.causeLink >= 0 { text += " on \(catalog.linkName(Int(m.causeLink)))" }
        if m.field >= 0 {
            let platform = catalog.platformName(Int(m.platform)), field = catalog.fieldName(Int(m.field))
            switch m.cause {
            case .journeyDesign: text += "; \(platform)'s copy of \(field) was right and the journey did not check it"
            case .changedAfterDecision: text += "; \(field) changed after the decision (\(change(m.changeId)))"
            default: text += "; the deciding platform had not seen \(field) \(change(m.changeId))"
            }
        }
        return text
    }

    public func render() -> String {
        var lines = [title] + profile.map { "  " + $0 } + [""]
        for e in entries {
            lines.append(
                "  \(Format.pad(SimInstant(millisecondsSinceStart: e.at).description, 15)) \(Format.pad(e.kind, 9)) \(e.text)"
            )
            for d in e.details { lines.append(String(repeating: " ", count: 28) + d) }
        }
        if entries.isEmpty { lines.append("  nothing recorded for this customer") }
        return lines.joined(separator: "\n") + "\n"
    }

    public func renderJSON() -> String {
        var out =
            "{\n  \"title\": \(Format.json(title)),\n  \"profile\": ["
            + profile.map(Format.json).joined(separator: ", ") + "],\n  \"timeline\": [\n"
        out += entries.map { e in
            "    {\"at_ms\": \(e.at), \"at\": \(Format.json(SimInstant(millisecondsSinceStart: e.at).description)), \"kind\": \(Format.json(e.kind)), \"text\": \(Format.json(e.text)), \"details\": ["
                + e.details.map(Format.json).joined(separator: ", ") + "]}"
        }.joined(separator: ",\n")
        return out + "\n  ]\n}\n"
    }
}
