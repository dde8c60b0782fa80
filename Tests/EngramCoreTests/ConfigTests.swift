import Foundation
import Testing
@testable import EngramCore

@Suite struct ConfigTests {
    @Test func defaultsApplyWithNoFileOrEnvironment() throws {
        let c = try EngramConfig()
        #expect(c.contextBudget == 2000)
        #expect(c.entries["context.budget"]?.source == .default)
        #expect(c.skipTools.contains("TodoWrite"))
    }

    @Test func fileOverridesDefaultAndEnvironmentOverridesFile() throws {
        let file = try TOMLLite.parse("""
        # engram settings
        [context]
        budget = 1500   # smaller briefings
        [capture]
        skip_tools = ["TodoWrite", "Glob"]
        [typo]
        x = 'y'
        """)
        let fromFile = try EngramConfig(fileValues: file)
        #expect(fromFile.contextBudget == 1500)
        #expect(fromFile.entries["context.budget"]?.source == .file)
        #expect(fromFile.skipTools == ["TodoWrite", "Glob"])
        #expect(fromFile.unknownFileKeys == ["typo.x"])

        let withEnv = try EngramConfig(fileValues: file, env: ["ENGRAM_CONTEXT_BUDGET": "900"])
        #expect(withEnv.contextBudget == 900)
        #expect(withEnv.entries["context.budget"]?.source == .environment)
    }

    @Test func invalidValuesAreRejectedWithTheirOrigin() throws {
        #expect(throws: EngramError.self) { try EngramConfig(env: ["ENGRAM_CONTEXT_BUDGET": "lots"]) }
        do {
            _ = try EngramConfig(env: ["ENGRAM_CONTEXT_BUDGET": "lots"])
        } catch {
            #expect(error.localizedDescription.contains("ENGRAM_CONTEXT_BUDGET"))
        }
        #expect(throws: EngramError.self) { try TOMLLite.parse("budget 12") }
        #expect(throws: EngramError.self) { try TOMLLite.parse("[context\nbudget = 1") }
        #expect(throws: EngramError.self) { try TOMLLite.parse("name = \"unterminated") }
    }

    @Test func jsonConfigFileIsFlattened() throws {
        let env = try TestEnv()
        try FileManager.default.createDirectory(at: env.home, withIntermediateDirectories: true)
        try Data(#"{"context": {"budget": 1200}, "search": {"limit": 3}}"#.utf8).write(to: env.home.appendingPathComponent("config.json"))
        let c = try EngramConfig.load(paths: EngramPaths(home: env.home), env: [:])
        #expect(c.contextBudget == 1200)
        #expect(c.int("search.limit") == 3)
    }

    @Test func everyKeyHasAnEnvironmentName() {
        for k in ConfigKey.all {
            #expect(k.environmentName.hasPrefix("ENGRAM_"))
            #expect(!k.environmentName.contains("."))
        }
    }

    @Test func environmentNamesUpperCaseAndReplaceDots() throws {
        #expect(try #require(ConfigKey.named("context.budget")).environmentName == "ENGRAM_CONTEXT_BUDGET")
        #expect(try #require(ConfigKey.named("capture.skip_tools")).environmentName == "ENGRAM_CAPTURE_SKIP_TOOLS")
    }

    @Test(arguments: [("  42\t", "42"), ("42", "42"), ("", ""), (" \t ", ""), (" a b ", "a b"), ("\u{A0}yes", "yes")])
    func valuesAreTrimmedOfBlanks(raw: String, trimmed: String) {
        #expect(String(raw.blankTrimmed) == trimmed)
    }

    @Test func paddedValuesFromTheEnvironmentParse() throws {
        let c = try EngramConfig(env: ["ENGRAM_CONTEXT_BUDGET": " 1500 ", "ENGRAM_CAPTURE_SKIP_TOOLS": " TodoWrite ,  Glob ,, "])
        #expect(c.contextBudget == 1500)
        #expect(c.stringList("capture.skip_tools") == ["TodoWrite", "Glob"])
    }
}
