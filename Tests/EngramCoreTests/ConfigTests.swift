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
        let file = try TOMLConfigFile.parse(
            """
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
        #expect(throws: EngramError.self) { try TOMLConfigFile.parse("budget 12") }
        #expect(throws: EngramError.self) { try TOMLConfigFile.parse("[context\nbudget = 1") }
        #expect(throws: EngramError.self) { try TOMLConfigFile.parse("name = \"unterminated") }
    }

    /// A typo never stops engram: the bad line or value keeps its default, the good ones apply, and each
    /// problem is a sentence naming the setting, the file and what to write instead.
    @Test func aBrokenConfigFileKeepsDefaultsAndSaysWhy() throws {
        let env = try TestEnv()
        try FileManager.default.createDirectory(at: env.home, withIntermediateDirectories: true)
        let file = env.home.appendingPathComponent("config.toml")
        try Data("[context]\nbudget = \"lots\"\n[search]\nlimit = 3\n[broken\nlimit = 9\nnot a line\n".utf8).write(to: file)
        let c = try EngramConfig.load(paths: EngramPaths(home: env.home), env: [:])
        #expect(c.contextBudget == Int(ConfigKey.named("context.budget")!.defaultValue)!)
        #expect(c.int("search.limit") == 3, "a section header that does not parse must not file its lines elsewhere")
        #expect(c.problems.count == 3, "\(c.problems)")
        #expect(c.problems[0].contains("config.toml line 5"))
        #expect(
            c.problems.contains { $0.contains("context.budget") && $0.contains("\"lots\"") && $0.contains("whole number") && $0.contains(file.path) })
        try Data([0xFF, 0xFE, 0x00]).write(to: file)
        let binary = try EngramConfig.load(paths: EngramPaths(home: env.home), env: ["ENGRAM_CONTEXT_BUDGET": "900"])
        #expect(binary.contextBudget == 900 && binary.problems.first?.contains("not UTF-8") == true)
        #expect(
            try EngramConfig.load(paths: EngramPaths(home: env.home), env: ["ENGRAM_CONTEXT_BUDGET": "x"]).problems
                .contains { $0.contains("ENGRAM_CONTEXT_BUDGET") })
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

    /// Real TOML, which the hand-written subset this replaced could not read: multi-line arrays, inline tables,
    /// dotted keys, escapes, literal strings with quotes, and arrays of tables (what a list of providers needs).
    @Test func realTOMLIsReadWhole() throws {
        let values = try TOMLConfigFile.parse(
            #"""
            context.budget = 1_200
            [capture]
            skip_tools = [
              "TodoWrite",   # noisy
              "Glob",
            ]
            [llm]
            provider = { name = "anthropic", model = "claude-x" }
            note = "tab\there \"quoted\" \u00e9"
            path = 'C:\dir\sub #not-a-comment'
            [[chat.providers]]
            name = "a"
            [[chat.providers]]
            name = "b"
            """#)
        #expect(values["context.budget"] == "1200")
        #expect(values["capture.skip_tools"] == "TodoWrite,Glob")
        #expect(values["llm.provider.name"] == "anthropic" && values["llm.provider.model"] == "claude-x")
        #expect(values["llm.note"] == "tab\there \"quoted\" é")
        #expect(values["llm.path"] == #"C:\dir\sub #not-a-comment"#)
        #expect(values["chat.providers.0.name"] == "a" && values["chat.providers.1.name"] == "b")
        let config = try EngramConfig(fileValues: values)
        #expect(config.contextBudget == 1200)
        #expect(config.skipTools == ["TodoWrite", "Glob"])
    }

    /// Each broken line is set aside with its line number, and everything else still applies, a duplicate key and
    /// an unterminated string included.
    @Test func everyBrokenLineIsSetAsideAndTheRestApplies() {
        let (values, problems) = TOMLConfigFile.parseLenient(
            """
            [search]
            limit = 4
            limit = 5
            [context]
            budget = "unterminated
            project_days = 3
            """)
        #expect(values["search.limit"] == "4")
        #expect(values["context.project_days"] == "3")
        #expect(values["context.budget"] == nil)
        #expect(problems.count == 2, "\(problems)")
        #expect(problems.first?.contains("config.toml line 3") == true)
        #expect(problems.last?.contains("config.toml line 5") == true)
    }

    /// A bare word, which the hand-written subset used to accept, is refused by real TOML; the message says how to
    /// write it, and the rest of the file still applies.
    @Test func anUnquotedStringIsSetAsideWithHowToQuoteIt() {
        let (values, problems) = TOMLConfigFile.parseLenient("[log]\nlevel = debug\nretention_days = 3\n")
        #expect(values["log.retention_days"] == "3")
        #expect(values["log.level"] == nil)
        #expect(problems.count == 1)
        #expect(problems.first?.contains("config.toml line 2") == true)
        #expect(problems.first?.contains(#"level = "debug""#) == true, "\(problems)")
    }
}
