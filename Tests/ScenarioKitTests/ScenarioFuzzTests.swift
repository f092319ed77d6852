import Foundation
import Testing

@testable import ScenarioKit

private let scenarioRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
    .appendingPathComponent("Scenarios")

/// Should end every input, however broken, in a scenario or in positioned errors: never a crash.
@Suite struct ScenarioFuzzTests {
    static var corpus: [String] {
        let files =
            FileManager.default.enumerator(atPath: scenarioRoot.path)?.compactMap { $0 as? String }.filter {
                $0.hasSuffix(".yaml")
            }.sorted() ?? []
        return files.compactMap { try? String(contentsOf: scenarioRoot.appendingPathComponent($0), encoding: .utf8) }
            + [validScenario]
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func mutatedScenariosEndInAScenarioOrPositionedErrors(seed: UInt64) {
        var mutator = ScenarioMutator(seed: seed)
        let corpus = Self.corpus
        #expect(corpus.count >= 3)
        var valid = 0, invalid = 0
        for i in 0..<400 {
            let input = mutator.mutate(corpus[i % corpus.count])
            do {
                _ = try Scenario.parse(yaml: input, sourceName: "fuzz.yaml")
                valid += 1
            } catch {
                invalid += 1
                let lineCount = input.split(separator: "\n", omittingEmptySubsequences: false).count
                for d in error.diagnostics {
                    #expect(d.line >= 1 && d.line <= lineCount + 1 && d.column >= 1, "seed \(seed) input \(i): \(d)")
                    #expect(!d.message.isEmpty)
                }
                #expect(!error.diagnostics.isEmpty, "seed \(seed) input \(i)")
            }
        }
        #expect(invalid > 100, "the mutations must break files (valid \(valid), invalid \(invalid))")
    }
}
