import EngramCore
import Testing

/// Hybrid hits are ranked without a MATCH, so their snippet is built in Swift the way FTS5's snippet() reads.
@Suite struct HybridSnippetTests {
    @Test(arguments: [
        ("refresh_token tests", ["refresh", "token", "test"]),
        ("Cache caching CACHED", ["cache", "cach"]),
        ("why did it fail", ["why", "did", "it", "fail"]),
        ("bus processes", ["bus", "process"]),
    ])
    func queryWordsBecomeStems(query: String, expected: [String]) {
        #expect(HybridSearch.highlightTerms(query) == expected)
    }

    @Test func matchesAreMarkedInAWindowAroundTheFirst() throws {
        let words = (1...40).map { "w\($0)" }
        let text = (words[0..<20] + ["the", "refresh_tokens", "expired"] + words[20...]).joined(separator: " ") + "."
        let snippet = try #require(HybridSearch.highlight(text, terms: HybridSearch.highlightTerms("refresh token")))
        // 16 words from two before the first match: w20 … w31.
        #expect(snippet.hasPrefix("…w20 the «refresh»_«tokens» expired w21"))
        #expect(snippet.hasSuffix("w31…"))
        #expect(!snippet.contains("w19") && !snippet.contains("w32"))
    }

    @Test func shortTextsKeepTheirEndsAndMissesGiveNil() {
        #expect(
            HybridSearch.highlight("Ran the auth tests: 2 failed.", terms: HybridSearch.highlightTerms("test failing"))
                == "Ran the auth «tests»: 2 «failed».")
        #expect(HybridSearch.highlight("Edited app/billing.py", terms: HybridSearch.highlightTerms("redis")) == nil)
        #expect(HybridSearch.highlight("anything", terms: []) == nil)
    }
}
