import Foundation
import Testing

@testable import EngramAI

@Suite("Configuration and the provider factory")
struct ConfigurationTests {
    @Test(arguments: [LLMProviderKind.anthropic, .openAI])
    func hostedProvidersWithoutAKeyGiveNoProvider(kind: LLMProviderKind) throws {
        let configuration = LLMConfiguration(kind: kind)
        #expect(configuration.makeProvider(ledger: InMemoryUsageLedger(), environment: [:]) == nil)
        #expect(configuration.makeProvider(ledger: InMemoryUsageLedger(), environment: [kind.apiKeyVariable: "   "]) == nil)
        let error = #expect(throws: LLMError.self) { try configuration.makeBaseProvider(environment: [:]) }
        guard case .missingAPIKey(_, let variable)? = error else {
            Issue.record("expected missingAPIKey, got \(String(describing: error))")
            return
        }
        #expect(variable == kind.apiKeyVariable)
    }

    @Test func localServersNeedNoKey() {
        #expect(LLMConfiguration(kind: .openAICompatible).makeProvider(ledger: InMemoryUsageLedger(), environment: [:]) != nil)
    }

    @Test func keysComeFromTheEnvironmentWhenNotConfigured() throws {
        let key = TestSupport.fakeKey("sk-ant")
        let environment = ["ANTHROPIC_API_KEY": key.value]
        #expect(LLMConfiguration(kind: .anthropic).resolvedAPIKey(environment: environment) == key)
        #expect(LLMConfiguration(kind: .anthropic).makeProvider(ledger: InMemoryUsageLedger(), environment: environment) != nil)
        let explicit = TestSupport.fakeKey("sk-ant")
        #expect(LLMConfiguration(kind: .anthropic, apiKey: explicit).resolvedAPIKey(environment: environment) == explicit)
    }

    @Test func detectPrefersAnthropicThenOpenAI() throws {
        let anthropicKey = TestSupport.fakeKey("sk-ant").value
        let openAIKey = TestSupport.fakeKey("sk-proj").value
        #expect(LLMConfiguration.detect(environment: [:]) == nil)
        #expect(LLMConfiguration.detect(environment: ["OPENAI_API_KEY": openAIKey])?.kind == .openAI)
        let both = try #require(LLMConfiguration.detect(environment: ["OPENAI_API_KEY": openAIKey, "ANTHROPIC_API_KEY": anthropicKey]))
        #expect(both.kind == .anthropic)
        #expect(both.apiKey?.value == anthropicKey)
    }

    @Test func baseURLComesFromTheEnvironment() {
        let configuration = LLMConfiguration.fromEnvironment(kind: .openAI, environment: ["OPENAI_BASE_URL": "http://localhost:8000/v1"])
        #expect(configuration.baseURL?.absoluteString == "http://localhost:8000/v1")
        #expect(LLMConfiguration.fromEnvironment(kind: .openAI, environment: ["OPENAI_BASE_URL": "not a url"]).baseURL == nil)
    }

    @Test func defaultModelsAreHaikuForObservationsAndSonnetForSummaries() {
        let anthropic = LLMConfiguration(kind: .anthropic)
        #expect(anthropic.model(for: .observation) == "claude-haiku-4-5")
        #expect(anthropic.model(for: .summary) == "claude-sonnet-4-5")
        #expect(anthropic.model(for: .learnings) == "claude-sonnet-4-5")
        let custom = LLMConfiguration(kind: .anthropic, observationModel: "claude-3-5-haiku-latest", summaryModel: "claude-opus-4-5")
        #expect(custom.model(for: .observation) == "claude-3-5-haiku-latest")
        #expect(custom.model(for: .learnings) == "claude-opus-4-5")
    }

    @Test(arguments: [
        ("anthropic", LLMProviderKind.anthropic), ("OpenAI", .openAI), ("ollama", .openAICompatible),
        ("vllm", .openAICompatible), ("llama.cpp", .openAICompatible), ("openai-compatible", .openAICompatible),
    ])
    func providerNamesParse(name: String, kind: LLMProviderKind) {
        #expect(LLMProviderKind(name: name) == kind)
    }

    @Test func unknownProviderNameIsRejected() {
        #expect(LLMProviderKind(name: "gemini") == nil)
    }

    @Test func keysNeverShowInDescriptions() {
        let key = TestSupport.fakeKey("sk-ant")
        let configuration = LLMConfiguration(kind: .anthropic, apiKey: key)
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [String(describing: configuration), String(reflecting: configuration), "\(key)", String(reflecting: key), dumped] {
            #expect(!text.contains(key.value))
        }
        #expect(String(describing: configuration).contains("apiKey: set"))
    }

    @Test func blankKeysAreMissingKeys() {
        #expect(APIKey("") == nil)
        #expect(APIKey(" \n") == nil)
        #expect(APIKey(" abc ")?.value == "abc")
    }
}
