import Foundation
import Testing

@testable import EngramAI

@Suite("Prompts and validation of model output")
struct PromptTests {
    private static let record =
        #"{"title": "Added JWT refresh endpoint", "summary": "Added POST /auth/refresh.", "detail": "Refresh tokens live in an HttpOnly cookie.", "files": ["auth/routes.py"], "functions": ["refresh_endpoint"]}"#

    @Test(arguments: [
        record,
        "```json\n\(record)\n```",
        "```\n\(record)\n```",
        "Sure! Here is the record:\n\(record)\nLet me know if you need more.",
        "{not json} then \(record)",
    ])
    func observationJSONIsFoundInsideFencesAndProse(text: String) throws {
        let observation = try ObservationPrompt.parse(text)
        #expect(
            observation
                == LLMObservation(
                    title: "Added JWT refresh endpoint",
                    summary: "Added POST /auth/refresh.",
                    detail: "Refresh tokens live in an HttpOnly cookie.",
                    files: ["auth/routes.py"],
                    functions: ["refresh_endpoint"]
                ))
    }

    @Test(arguments: [
        ("", ModelOutputError.empty),
        ("The agent edited a file.", .noJSON),
        (#"{"title": "Cut off", "summary": "the answer ran out of tok"#, .invalidJSON),
        (#"{"title": 42, "summary": "s"}"#, .wrongType(field: "title", expected: "a string")),
        (#"{"title": "  ", "summary": "s"}"#, .emptyTitle),
        (#"{"summary": "s"}"#, .missingField("title")),
        (#"{"title": "t"}"#, .missingField("summary")),
        (#"{"title": "t", "summary": "s", "files": "auth/routes.py"}"#, .wrongType(field: "files", expected: "a list")),
        (#"{"title": "t", "summary": "s", "detail": ["x"]}"#, .wrongType(field: "detail", expected: "a string")),
        (#"["title", "summary"]"#, .noJSON),
    ])
    func malformedObservationsAreTypedErrors(text: String, expected: ModelOutputError) {
        #expect(throws: expected) { try ObservationPrompt.parse(text) }
    }

    @Test func observationFieldsAreClampedAndListsCleaned() throws {
        let longTitle = String(repeating: "word ", count: 40)
        let object: [String: Any] = [
            "title": longTitle,
            "summary": "",
            "detail": String(repeating: "x", count: 5_000),
            "files": ["a.py", "a.py", "", 7, ["nested"], "b.py"],
            "functions": [["file": "a.py", "name": "A.run", "action": "new"], ["file": "a.py"], "helper"],
        ]
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        let observation = try ObservationPrompt.parse(text)
        #expect(observation.title.count <= ObservationPrompt.titleLimit)
        #expect(observation.title.hasSuffix("…"))
        #expect(observation.title.hasPrefix("word word"))
        #expect(observation.summary == observation.title, "an empty summary falls back to the title")
        #expect(observation.detail.count == ObservationPrompt.detailLimit)
        #expect(observation.files == ["a.py", "b.py"])
        #expect(observation.functions == ["A.run", "helper"])
    }

    @Test func observationRequestTruncatesToolTextAndAsksForJSON() {
        let prompt = ObservationPrompt(maxInputCharacters: 300, maxResponseCharacters: 300)
        let response = "HEAD-MARKER " + String(repeating: "log line\n", count: 500) + " TAIL-ERROR"
        let request = prompt.request(
            for: ObservationInput(toolName: "Bash", files: ["Makefile"], input: #"{"command":"make test"}"#, response: response),
            model: "claude-haiku-4-5"
        )
        let text = request.messages[0].content
        #expect(request.wantsJSON)
        #expect(request.model == "claude-haiku-4-5")
        #expect(request.system?.contains(#""title": string"#) == true)
        #expect(text.contains("Tool: Bash"))
        #expect(text.contains("Files: Makefile"))
        #expect(text.contains("HEAD-MARKER"))
        #expect(text.contains("TAIL-ERROR"))
        #expect(text.contains("characters omitted"))
        #expect(text.count < 1_000)
    }

    @Test func clientCompressesThroughTheProviderStack() async throws {
        let server = try FakeLLMSession()
        let configuration = LLMConfiguration(
            kind: .anthropic, baseURL: server.baseURL("anthropic_observation_fenced"), apiKey: TestSupport.fakeKey("sk-ant"))
        let provider = try #require(configuration.makeProvider(ledger: InMemoryUsageLedger(), environment: [:]))
        let client = LLMClient(provider: provider, configuration: configuration)

        let result = try await client.compressObservation(TestSupport.observationInput)

        #expect(result.value.title == "Added JWT refresh endpoint")
        #expect(result.value.files == ["auth/routes.py", "auth/service.py"])
        #expect(result.value.functions == ["refresh_endpoint", "AuthService.refresh_token"])
        #expect(result.response.outputTokens == 171)
        let body = try #require(try await server.requests().first?.body?.objectValue)
        #expect(body["model"] == .string("claude-haiku-4-5"))
    }

    @Test(arguments: [
        ("anthropic_observation_prose", ModelOutputError.noJSON),
        ("anthropic_observation_wrong_types", .wrongType(field: "title", expected: "a string")),
        ("anthropic_observation_truncated", .invalidJSON),
    ])
    func malformedModelOutputFromTheServerIsATypedError(scenario: String, expected: ModelOutputError) async throws {
        let server = try FakeLLMSession()
        let configuration = LLMConfiguration(kind: .anthropic, baseURL: server.baseURL(scenario), apiKey: TestSupport.fakeKey("sk-ant"))
        let provider = try #require(configuration.makeProvider(ledger: InMemoryUsageLedger(), environment: [:]))
        let client = LLMClient(provider: provider, configuration: configuration)
        await #expect(throws: expected) { try await client.compressObservation(TestSupport.observationInput) }
    }

    @Test func ollamaFencedAnswerIsParsed() async throws {
        let server = try FakeLLMSession()
        let configuration = LLMConfiguration(
            kind: .openAICompatible, baseURL: server.baseURL("ollama_observation_success"), observationModel: "llama3.1")
        let provider = try #require(configuration.makeProvider(ledger: InMemoryUsageLedger(), environment: [:]))
        let result = try await LLMClient(provider: provider, configuration: configuration).compressObservation(TestSupport.observationInput)
        #expect(result.value.title == "Added JWT refresh endpoint")
        let body = try #require(try await server.requests().first?.body?.objectValue)
        #expect(body["response_format"] == nil, "self-hosted servers get no JSON mode unless configured")
    }

    @Test func summaryUsesTheSummaryModelAndReturnsText() async throws {
        let server = try FakeLLMSession()
        let configuration = LLMConfiguration(
            kind: .anthropic, baseURL: server.baseURL("anthropic_summary_success"), apiKey: TestSupport.fakeKey("sk-ant"))
        let provider = try #require(configuration.makeProvider(ledger: InMemoryUsageLedger(), environment: [:]))
        let input = SessionSummaryInput(
            userPrompts: ["add a refresh-token flow"],
            observations: ["Edit: Added JWT refresh endpoint"],
            files: ["auth/routes.py"],
            lastAssistantMessage: "Done; tests pass."
        )

        let result = try await LLMClient(provider: provider, configuration: configuration).summarizeSession(input)

        #expect(result.value.hasPrefix("Asked: add a refresh-token flow to the JWT auth.\nDone:"))
        #expect(result.value.contains("\nOutcome: finished"))
        let body = try #require(try await server.requests().first?.body?.objectValue)
        #expect(body["model"] == .string("claude-sonnet-4-5"))
        let content = try #require(body["messages"]?.arrayValue?.first?.objectValue?["content"]?.stringValue)
        #expect(content.contains("add a refresh-token flow"))
        #expect(content.contains("Done; tests pass."))
    }

    @Test(arguments: [
        ("```\nAsked: x\n\n\n\nDone: y\n```", "Asked: x\n\nDone: y"),
        ("  Asked: x  \nDone: y\n\n", "Asked: x\nDone: y"),
    ])
    func summaryTextIsCleaned(text: String, expected: String) throws {
        #expect(try SummaryPrompt.parse(text) == expected)
    }

    @Test func emptySummaryIsAnError() {
        #expect(throws: ModelOutputError.empty) { try SummaryPrompt.parse("```\n\n```") }
        #expect(throws: ModelOutputError.empty) { try SummaryPrompt.parse("   ") }
    }

    @Test func learningsDropInvalidEntries() async throws {
        let server = try FakeLLMSession()
        let configuration = LLMConfiguration(
            kind: .anthropic, baseURL: server.baseURL("anthropic_learnings_success"), apiKey: TestSupport.fakeKey("sk-ant"))
        let provider = try #require(configuration.makeProvider(ledger: InMemoryUsageLedger(), environment: [:]))

        let result = try await LLMClient(provider: provider, configuration: configuration)
            .extractLearnings(summary: "Added refresh tokens.", observations: ["Edit: Added JWT refresh endpoint"], knownLearnings: ["Uses FastAPI."])

        // Of nine entries: unknown category, blank content, confidence 1.7, confidence "high",
        // a duplicate and a non-object are dropped; "Architecture" is accepted case-insensitively.
        #expect(result.value.map(\.category) == [.convention, .gotcha, .architecture])
        #expect(result.value.map(\.confidence) == [0.8, 0.7, 0.9])
        #expect(result.value[0].content == "JWT tokens travel in HttpOnly cookies; the refresh flow lives in auth/refresh.py.")
        let body = try #require(try await server.requests().first?.body?.objectValue)
        let content = try #require(body["messages"]?.arrayValue?.first?.objectValue?["content"]?.stringValue)
        #expect(content.contains("<known_learnings>\n- Uses FastAPI."))
    }

    @Test func learningsAcceptTheSeedsBareArray() async throws {
        let server = try FakeLLMSession()
        let configuration = LLMConfiguration(
            kind: .openAI, baseURL: server.baseURL("openai_learnings_bare_array"), apiKey: TestSupport.fakeKey("sk-proj"))
        let provider = try #require(configuration.makeProvider(ledger: InMemoryUsageLedger(), environment: [:]))
        let result = try await LLMClient(provider: provider, configuration: configuration).extractLearnings(summary: "s", observations: [])
        #expect(result.value.count == 3)
        let body = try #require(try await server.requests().first?.body?.objectValue)
        #expect(body["model"] == .string("gpt-4o"))
        #expect(body["response_format"] == .object(["type": .string("json_object")]))
    }

    @Test(arguments: [
        (#"{"learnings": []}"#, 0),
        (#"{"learnings": [{"category": "pattern", "content": "Services use dependency injection."}]}"#, 1),
    ])
    func learningsWithoutConfidenceStartAtOneHalf(text: String, count: Int) throws {
        let learnings = try LearningsPrompt.parse(text)
        #expect(learnings.count == count)
        #expect(learnings.allSatisfy { $0.confidence == LearningsPrompt.defaultConfidence })
    }

    @Test(arguments: [
        (#"{"items": []}"#, ModelOutputError.missingField("learnings")),
        (#"{"learnings": "none"}"#, .wrongType(field: "learnings", expected: "a list")),
        ("No reusable knowledge here.", .noJSON),
    ])
    func learningsWithoutAListAreErrors(text: String, expected: ModelOutputError) {
        #expect(throws: expected) { try LearningsPrompt.parse(text) }
    }

    @Test func braceInsideAStringDoesNotEndTheObject() throws {
        let object = try ModelOutputParser.firstJSONObject(in: #"note: {"title": "close } brace \" quote", "summary": "s"} trailing"#)
        #expect(object["title"] == .string(#"close } brace " quote"#))
    }

    @Test(arguments: [("0", 0.0), ("1", 1.0), ("0.35", 0.35), ("1e-1", 0.1)])
    func confidenceBoundsAreInclusive(literal: String, expected: Double) throws {
        let learnings = try LearningsPrompt.parse(#"[{"category": "gotcha", "content": "c", "confidence": "# + literal + "}]")
        #expect(learnings.map(\.confidence) == [expected])
    }

    @Test func booleansAreNotNumbers() throws {
        #expect(try LearningsPrompt.parse(#"[{"category": "gotcha", "content": "c", "confidence": true}]"#).isEmpty)
    }
}
