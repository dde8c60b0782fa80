import Foundation
import Testing

@testable import EngramCore

struct HeuristicSummarizerTests {
    let summarizer = HeuristicSummarizer()

    private func obs(_ tool: String, _ title: String, files: [String] = []) -> ObservationDigest {
        ObservationDigest(toolName: tool, title: title, summary: "", filesTouched: files)
    }

    @Test func summarisesAskDoneTestsAndEnding() {
        let digest = SessionDigest(
            prompts: ["Add refresh token support to the auth service and make the tests pass. Use PyJWT."],
            observations: [
                obs("Read", "Read app/services/auth.py (74 lines)", files: ["app/services/auth.py"]),
                obs("Edit", "Edited app/services/auth.py: added refresh_token; changed _issue", files: ["app/services/auth.py"]),
                obs("Write", "Rewrote tests/test_auth.py (49 lines): added test_refresh_token_flow", files: ["tests/test_auth.py"]),
                obs("Bash", "pytest tests/test_auth.py: 1 failed (test_refresh_token_flow, DecodeError), 6 passed"),
                obs("Edit", "Edited app/services/auth.py: changed _issue", files: ["app/services/auth.py"]),
                obs("Bash", "pytest tests/test_auth.py: 7 passed"),
            ],
            lastAssistantMessage: "Refresh tokens work end to end now. All 7 tests pass.")
        let text = summarizer.summarize(digest)
        #expect(
            text == "Asked: Add refresh token support to the auth service and make the tests pass. "
                + "Did: edited app/services/auth.py (added refresh_token; changed _issue); "
                + "rewrote tests/test_auth.py (added test_refresh_token_flow). "
                + "Tests: 1 failed → 7 passed. Ended: Refresh tokens work end to end now.")
        #expect(text.count <= 400)
    }

    @Test func createdFilesAndCommits() {
        let digest = SessionDigest(
            prompts: ["Set up the project"],
            observations: [
                obs("Write", "Created app/main.py (43 lines): current_claims, login, me", files: ["app/main.py"]),
                obs("Write", "Created tests/test_auth.py (36 lines): test_login", files: ["tests/test_auth.py"]),
                obs("Bash", "pytest: 5 passed"),
                obs("Bash", "Committed 4e1d2a7: Add FastAPI auth service"),
            ],
            lastAssistantMessage: nil)
        #expect(
            summarizer.summarize(digest)
                == "Asked: Set up the project. Did: created app/main.py; created tests/test_auth.py. Tests: 5 passed. Committed 4e1d2a7.")
    }

    @Test func readOnlySessionSaysWhatWasLookedAt() {
        let digest = SessionDigest(
            prompts: ["Where is the token checked?", "And the refresh?"],
            observations: [
                obs("Grep", "Searched 'verify_token' in app/: 2 files", files: ["app/main.py", "app/services/auth.py"]),
                obs("Read", "Read app/services/auth.py (74 lines)", files: ["app/services/auth.py"]),
            ],
            lastAssistantMessage: "It is checked in AuthService.verify_token.\nDetails follow.")
        #expect(
            summarizer.summarize(digest)
                == "Asked: Where is the token checked? (+1 more prompt). Looked at: app/main.py, app/services/auth.py. "
                + "Ended: It is checked in AuthService.verify_token.")
    }

    @Test func emptyAndHugeInputsStayBounded() {
        #expect(summarizer.summarize(SessionDigest(prompts: [], observations: [], lastAssistantMessage: nil)) == "Empty session.")
        let many = (0..<200).map { i in
            obs("Edit", "Edited src/module_\(i).py: added function_number_\(i)", files: ["src/module_\(i).py"])
        }
        let text = summarizer.summarize(
            SessionDigest(
                prompts: [String(repeating: "word ", count: 500)],
                observations: many, lastAssistantMessage: String(repeating: "x", count: 5000)))
        #expect(text.count <= 400)
        #expect(text.contains("more files"))
        #expect(!text.contains("\n"))
    }

    @Test func isDeterministic() {
        let digest = SessionDigest(
            prompts: ["a"], observations: [obs("Edit", "Edited a.py: changed 2 lines", files: ["a.py"])],
            lastAssistantMessage: "done")
        #expect(summarizer.summarize(digest) == summarizer.summarize(digest))
        #expect(summarizer.summarize(digest) == "Asked: a. Did: edited a.py (changed 2 lines). Ended: done.")
    }
}
