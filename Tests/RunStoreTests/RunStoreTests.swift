import Foundation
import MarTechModel
import RunStore
import TestKit
import Testing

private func description() -> RunDescription {
    RunDescription(
        scenario: "s", scenarioFile: "s.yaml", scenarioText: "name: s", scenarioHash: "0", seed: 9, customers: 2,
        horizonMilliseconds: 1000,
        startUnixMilliseconds: 0, toolVersion: "test", command: "rehearse run s.yaml",
        fields: [FieldSpec(name: "converted", category: .conversion)],
        platforms: [("crm", "crm", [0], "Salesforce"), ("map", "map", [], "")],
        links: [("crm_to_map", 0, 1, "batch", "converted")], steps: [("offer", 0, 1, 1)], timezones: ["UTC"])
}

private func temporaryPath() -> String { TestKit.temporaryPath("runstore", ".sqlite") }

/// Should store every row it is given, mark the run's status, and expose the documented views.
@Suite struct RunStoreTests {
    @Test func writesRowsAndCompletes() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try RunStore(creatingAt: path)
        try store.begin(description())
        var batch = RecordBatch()
        for i in 0..<100 {
            // 100 rows is not a multiple of the 32-row statement: the remainder path runs too.
            batch.truthChanges.append(
                TruthChangeRecord(
                    id: Int64(i), customer: Int32(i % 2), field: 0, oldValue: 0, newValue: 1, at: Int64(i),
                    cause: .behavior, causeRef: 0))
            batch.deliveries.append(
                DeliveryRecord(
                    link: 0, customer: Int32(i % 2), field: 0, changeId: Int64(i), value: 1, sentAt: Int64(i),
                    appliedAt: Int64(i) + 10, batch: 0))
        }
        batch.touchpoints.append(
            TouchpointRecord(
                id: 0, customer: 1, step: 0, channel: .email, platform: 1, decidedAt: 5, deliveredAt: 5, opened: true))
        batch.misfires.append(
            MisfireRecord(
                id: 0, touchpoint: 0, customer: 1, type: .postConversion, platform: 1, field: 0, cause: .awaitingBatch,
                causeLink: 0, changeId: 3, at: 5, count: 1))
        try store.write(batch)
        try store.finish(status: "complete", summary: [("customers", 2)], eventsProcessed: 7)

        let reader = try RunReader(path: path)
        #expect(try reader.status() == "complete")
        #expect(try reader.scalar("SELECT count(*) FROM truthChange") == 100)
        #expect(try reader.scalar("SELECT count(*) FROM delivery") == 100)
        #expect(try reader.scalar("SELECT sum(freshnessMs) FROM deliveryView") == 1000)
        #expect(
            try reader.rows("SELECT type, cause, causeLink, platform FROM misfireView") == [
                ["post_conversion", "awaiting_batch", "crm_to_map", "map"]
            ])
        #expect(try reader.rows("SELECT step, channel FROM touchpointView") == [["offer", "email"]])
        #expect(try reader.scalar("SELECT value FROM runSummary WHERE key = 'customers'") == 2)
        #expect(
            try reader.scalar(
                "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'touchpointByCustomer'") == 1)
        #expect(
            try reader.rows("SELECT identifier FROM schemaMigration") == [
                ["v1 create run tables"], ["v2 faults"], ["v3 vendors"], ["v4 serve requests"],
            ])
    }

    @Test func abandonedRunSaysSoAndNeverLooksComplete() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try RunStore(creatingAt: path)
        try store.begin(description())
        store.abandon(status: "interrupted")
        #expect(try RunReader(path: path).status() == "interrupted")
    }

    @Test func killedRunStillSaysRunning() throws {
        // The run row is committed before any result row: a process killed now leaves 'running'.
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try RunStore(creatingAt: path)
        try store.begin(description())
        #expect(try RunReader(path: path).status() == "running")
        _ = store
    }
}
