import Foundation
import Testing

@testable import EngramCore

private let cwd = "/Users/me/app"
private let compressor = HeuristicCompressor()

private func compress(_ tool: String, _ input: JSONValue, _ response: JSONValue) -> CompressedObservation {
    compressor.compressSync(ToolEvent(toolName: tool, input: input, response: response, cwd: cwd))
}

private func fixture(_ name: String) throws -> String {
    var url = URL(fileURLWithPath: #filePath)
    while url.lastPathComponent != "Tests", url.pathComponents.count > 1 { url.deleteLastPathComponent() }
    return try String(contentsOf: url.appendingPathComponent("Fixtures/hooks/\(name)"), encoding: .utf8)
}

private func bash(_ command: String, stdout: String, stderr: String = "", interrupted: Bool = false) -> CompressedObservation {
    compress(
        "Bash", ["command": .string(command)],
        ["stdout": .string(stdout), "stderr": .string(stderr), "interrupted": .bool(interrupted), "isImage": false])
}

/// Every observation must respect the field bounds whatever the input.
private func expectBounded(_ o: CompressedObservation, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(o.title.count <= HeuristicText.titleLimit, sourceLocation: sourceLocation)
    #expect(!o.title.contains("\n"), sourceLocation: sourceLocation)
    #expect(o.title == o.title.trimmingCharacters(in: .whitespacesAndNewlines), sourceLocation: sourceLocation)
    #expect(!o.title.isEmpty, sourceLocation: sourceLocation)
    #expect(o.summary.count <= HeuristicText.summaryLimit, sourceLocation: sourceLocation)
    #expect(o.detail.count <= HeuristicText.detailLimit, sourceLocation: sourceLocation)
    #expect(
        !o.detail.split(separator: "\n", omittingEmptySubsequences: false).contains { $0.last == " " },
        sourceLocation: sourceLocation)
}

struct HeuristicCompressorEditTests {
    static let original = """
        import jwt


        class AuthService:
            def __init__(self, key: str) -> None:
                self.key = key

            def verify_token(self, token: str) -> dict:
                payload = jwt.decode(token, self.key, algorithms=["HS256"])
                return payload

        """

    @Test func editNamesTheAddedMethodAndItsClass() {
        let old = "        return payload\n"
        let new =
            "        return payload\n\n    def refresh_token(self, token: str) -> str:\n        claims = self.verify_token(token)\n        return jwt.encode(claims, self.key)\n"
        let o = compress(
            "Edit",
            ["file_path": .string(cwd + "/app/services/auth.py"), "old_string": .string(old), "new_string": .string(new)],
            ["filePath": .string(cwd + "/app/services/auth.py"), "originalFile": .string(Self.original)])
        #expect(o.title == "Edited app/services/auth.py: added refresh_token")
        #expect(o.summary.contains("+4 −0"))
        #expect(o.summary.contains("in AuthService"))
        #expect(o.filesTouched == ["app/services/auth.py"])
        #expect(o.functionsHint == ["refresh_token"])
        #expect(o.detail.contains("+     def refresh_token(self, token: str) -> str:"))
        expectBounded(o)
    }

    @Test func editInsideABodyNamesTheEnclosingFunctionFromTheOriginalFile() {
        let o = compress(
            "Edit",
            [
                "file_path": .string(cwd + "/app/services/auth.py"),
                "old_string": "algorithms=[\"HS256\"])", "new_string": "algorithms=[\"HS256\", \"HS512\"])",
            ],
            ["originalFile": .string(Self.original)])
        #expect(o.title == "Edited app/services/auth.py: changed verify_token")
        #expect(o.functionsHint == ["verify_token"])
    }

    @Test func editWithoutDefinitionsCountsLines() {
        let o = compress("Edit", ["file_path": "/elsewhere/README.md", "old_string": "a\nb", "new_string": "a\nc\nd"], .null)
        #expect(o.title == "Edited /elsewhere/README.md: changed 2 lines")
        #expect(o.filesTouched == ["/elsewhere/README.md"])
    }

    @Test func editUsesStructuredPatchCounts() {
        let patch: JSONValue = [
            [
                "oldStart": 10, "oldLines": 3, "newStart": 10, "newLines": 4,
                "lines": [" ctx", "-old line", "+new line", "+another", " ctx"],
            ]
        ]
        let o = compress(
            "Edit", ["file_path": .string(cwd + "/x.txt"), "old_string": "old line", "new_string": "new line\nanother"],
            ["structuredPatch": patch])
        #expect(o.summary.hasPrefix("x.txt: +2 −1 lines"))
    }

    @Test(arguments: [
        ("def old_name(x):\n    return x\n", "", "removed old_name"),
        ("", "func fetchUser(id: Int) async throws -> User {\n}\n", "added fetchUser"),
        ("", "export const loadUser = async (id) => {\n}\n", "added loadUser"),
        ("", "func (s *Server) HandleLogin(w http.ResponseWriter) {\n}\n", "added HandleLogin"),
        ("", "pub fn ttl_seconds(m: u64) -> u64 {\n}\n", "added ttl_seconds"),
        ("", "public struct TokenPair: Codable {\n}\n", "added TokenPair"),
    ])
    func editRecognisesDefinitionsAcrossLanguages(old: String, new: String, expected: String) {
        let o = compress("Edit", ["file_path": "f", "old_string": .string(old), "new_string": .string(new)], .null)
        #expect(o.title == "Edited f: " + expected)
    }

    @Test func writeCreateListsDefinitions() {
        let content = "import pytest\n\n\ndef test_login():\n    pass\n\n\ndef test_refresh_token_flow():\n    pass\n"
        let o = compress(
            "Write", ["file_path": .string(cwd + "/tests/test_auth.py"), "content": .string(content)],
            ["type": "create", "filePath": .string(cwd + "/tests/test_auth.py")])
        #expect(o.title == "Created tests/test_auth.py (9 lines): test_login, test_refresh_token_flow")
        #expect(o.summary.contains("Imports pytest"))
        #expect(o.functionsHint == ["test_login", "test_refresh_token_flow"])
    }

    @Test func writeUpdateSaysRewrote() {
        let content = "def a():\n    return 2\n"
        let patch: JSONValue = [
            [
                "oldStart": 1, "oldLines": 2, "newStart": 1, "newLines": 2,
                "lines": [" def a():", "-    return 1", "+    return 2"],
            ]
        ]
        let o = compress(
            "Write", ["file_path": "/Users/me/app/m.py", "content": .string(content)],
            ["type": "update", "structuredPatch": patch])
        #expect(o.title == "Rewrote m.py (2 lines): changed a")
    }

    @Test func multiEditMergesEdits() {
        let o = compress(
            "MultiEdit",
            [
                "file_path": "/Users/me/app/a.py",
                "edits": [
                    ["old_string": "x = 1", "new_string": "x = 2"],
                    ["old_string": "", "new_string": "def helper():\n    pass\n"],
                ],
            ], .null)
        #expect(o.title.hasPrefix("Edited a.py (2 edits): added helper"))
    }

    @Test func notebookEdit() {
        let o = compress(
            "NotebookEdit",
            [
                "notebook_path": "/Users/me/app/nb.ipynb", "cell_id": "c3",
                "new_source": "def load():\n    return 1", "edit_mode": "insert",
            ], .null)
        #expect(o.title == "Inserted cell c3 in nb.ipynb: load")
    }

    @Test func readShowsRangeAndDefinitions() {
        let o = compress(
            "Read", ["file_path": .string(cwd + "/app/services/auth.py"), "offset": 1, "limit": 12],
            [
                "type": "text",
                "file": [
                    "filePath": .string(cwd + "/app/services/auth.py"),
                    "content": .string(Self.original), "numLines": 12, "startLine": 1,
                    "totalLines": 240,
                ],
            ])
        #expect(o.title == "Read app/services/auth.py (lines 1-12 of 240)")
        #expect(o.summary == "app/services/auth.py defines AuthService (__init__, verify_token).")
        #expect(o.detail.contains("L4: class AuthService:"))
    }

    @Test func crlfContentSplitsIntoLines() {
        let o = compress(
            "Write", ["file_path": "/Users/me/app/w.py", "content": "def a():\r\n    pass\r\ndef b():\r\n    pass\r\n"],
            ["type": "create"])
        #expect(o.title == "Created w.py (4 lines): a, b")
    }

    @Test func readOfWholeFileFromLineNumberedString() {
        let o = compress("Read", ["file_path": "/Users/me/app/m.py"], .string("     1→def a():\n     2→    pass\n"))
        #expect(o.title == "Read m.py (2 lines)")
        #expect(o.functionsHint == ["a"])
    }
}

struct HeuristicCompressorShellTests {
    static let pytestFailure = """
        ============================= test session starts ==============================
        collected 7 items

        tests/test_auth.py .....F.                                               [100%]

        =================================== FAILURES ===================================
        ___________________________ test_refresh_token_flow ____________________________
        E           jwt.exceptions.DecodeError: Not enough segments
        =========================== short test summary info ============================
        FAILED tests/test_auth.py::test_refresh_token_flow - jwt.exceptions.DecodeError: Not enough segments
        ========================= 1 failed, 6 passed in 0.31s ==========================
        """

    @Test func pytestFailureNamesTestAndError() {
        let o = bash("cd /Users/me/app && python -m pytest tests/test_auth.py -q", stdout: Self.pytestFailure)
        #expect(o.title == "pytest tests/test_auth.py: 1 failed (test_refresh_token_flow, DecodeError), 6 passed")
        #expect(o.summary.contains("in 0.31s"))
        #expect(o.summary.contains("Not enough segments"))
        #expect(o.functionsHint == ["test_refresh_token_flow"])
        #expect(o.filesTouched == ["tests/test_auth.py"])
        expectBounded(o)
    }

    @Test func pytestTruncatedShortSummaryFallsBackToTheELine() {
        let out = Self.pytestFailure.replacingOccurrences(
            of: "- jwt.exceptions.DecodeError: Not enough segments", with: "- jwt.exceptions.DecodeErr...")
        let o = bash("pytest", stdout: out)
        #expect(o.title == "pytest: 1 failed (test_refresh_token_flow, DecodeError), 6 passed")
    }

    @Test func pytestSeveralFailures() {
        let out = "FAILED t.py::test_a - assert 1 == 2\nFAILED t.py::TestX::test_b - KeyError: 'x'\n=== 2 failed, 3 passed, 1 skipped in 1.20s ==="
        let o = bash("pytest -x", stdout: out)
        #expect(o.title == "pytest: 2 failed (test_a, test_b), 3 passed")
        #expect(o.summary.contains("1 skipped"))
    }

    @Test func pytestAllPassedQuiet() {
        let o = bash(
            "python -m pytest -q", stdout: ".......                                                                  [100%]\n7 passed in 0.42s\n")
        #expect(o.title == "pytest: 7 passed")
    }

    @Test func unittestFixture() throws {
        let o = bash("python -m unittest test_ut", stdout: "", stderr: try fixture("unittest-failure.txt"))
        #expect(o.title.hasPrefix("unittest test_ut: 1 failed (test_expiry"))
        #expect(o.title.contains("1 error"))
        #expect(o.title.hasSuffix("2 passed"))
        #expect(o.summary.contains("AssertionError: 900 != 901"))
    }

    @Test func cargoFixture() throws {
        let o = bash("cargo test", stdout: "", stderr: try fixture("cargo-test-failure.txt"))
        #expect(o.title == "cargo test: 1 failed (refresh_ttl_is_a_week), 1 passed")
    }

    @Test func swiftBuildErrorFixture() throws {
        let o = bash("swift build", stdout: "", stderr: try fixture("swift-build-error.txt"))
        #expect(o.title == "swift build: 1 build error (Token.swift:6 cannot find 'suffix' in scope)")
    }

    @Test func swiftTestingFailure() {
        let out = """
            ✔ Test keepsHarmlessText(_:) passed after 0.050 seconds.
            ✘ Test dropsPrivateSpans() recorded an issue at PrivacyFilterTests.swift:97:9: Expectation failed: (out → "a") == "b"
            ✘ Test dropsPrivateSpans() failed after 0.052 seconds with 1 issue.
            ✘ Test run with 10 tests in 1 suite failed after 0.174 seconds with 1 issue.
            """
        let o = bash("swift test --filter EngramCoreTests", stdout: out)
        #expect(o.title == "swift test: 1 failed (dropsPrivateSpans), 9 passed")
    }

    @Test func goTestFailure() {
        let out = "--- FAIL: TestRefresh (0.00s)\n    auth_test.go:25: expected token\nFAIL\nFAIL\texample.com/auth\t0.012s\n"
        let o = bash("go test ./...", stdout: out)
        #expect(o.title == "go test ./...: 1 failed (TestRefresh)")
    }

    @Test func jestSummary() {
        let out = "  ● Auth › refreshes the token\n\nTests:       1 failed, 6 passed, 7 total\n"
        let o = bash("npx jest", stdout: out)
        #expect(o.title == "jest: 1 failed (refreshes the token), 6 passed")
    }

    @Test func gitCommit() {
        let o = bash(
            "git add -A && git commit -m 'Add refresh tokens'",
            stdout: "[main 3f2c1a9] Add refresh tokens\n 2 files changed, 40 insertions(+), 2 deletions(-)\n")
        #expect(o.title == "Committed 3f2c1a9: Add refresh tokens")
        #expect(o.summary.contains("2 files changed"))
    }

    @Test func gitStatus() {
        let out =
            "On branch main\nChanges not staged for commit:\n\tmodified:   app/services/auth.py\n\tmodified:   tests/test_auth.py\n\nUntracked files:\n\tnotes.txt\n"
        let o = bash("git status", stdout: out)
        #expect(o.title == "git status on main: 2 modified, 1 untracked")
    }

    @Test func gitDiff() {
        let out = "diff --git a/app/x.py b/app/x.py\n--- a/app/x.py\n+++ b/app/x.py\n@@ -1 +1,2 @@\n-a\n+b\n+c\n"
        #expect(bash("git diff", stdout: out).title == "git diff: 1 file (+2 −1): app/x.py")
    }

    @Test func gitLogOneline() {
        let o = bash("git log --oneline -3", stdout: "3f2c1a9 Add refresh tokens\n4e1d2a7 Initial service\n")
        #expect(o.title == "git log: 2 commits, latest 3f2c1a9 Add refresh tokens")
    }

    @Test func pipInstall() {
        let o = bash("pip install pyjwt", stdout: "Collecting pyjwt\nSuccessfully installed pyjwt-2.9.0\n")
        #expect(o.title == "pip install: installed pyjwt")
    }

    @Test func genericCommandWithErrorAndInterruption() {
        let failed = bash("ls missing/", stdout: "", stderr: "ls: cannot access 'missing/': No such file or directory")
        #expect(failed.title == "Ran ls missing/: failed")
        #expect(failed.summary.contains("No such file"))
        let stopped = bash("npm run dev", stdout: "ready on :3000\n", interrupted: true)
        #expect(stopped.title == "Ran npm run dev: interrupted")
        let ok = bash("ls app", stdout: "main.py\nservices\n")
        #expect(ok.title == "Ran ls app")
        #expect(ok.summary.hasSuffix("→ services"))
    }

    @Test func hugeOutputStaysBounded() {
        let out = String(repeating: "line of output that goes on and on\n", count: 20_000) + "7 passed in 9.00s\n"
        let o = bash("pytest", stdout: out)
        #expect(o.title == "pytest: 7 passed")
        expectBounded(o)
    }
}

struct HeuristicCompressorLookupTests {
    @Test func grepFiles() {
        let o = compress(
            "Grep", ["pattern": "refresh_token", "path": "/Users/me/app/app", "output_mode": "files_with_matches"],
            [
                "mode": "files_with_matches", "numFiles": 3,
                "filenames": ["/Users/me/app/app/a.py", "/Users/me/app/app/b.py", "/Users/me/app/app/c.py"],
            ])
        #expect(o.title == "Searched 'refresh_token' in app/: 3 files")
        #expect(o.summary.hasSuffix("app/a.py, app/b.py, app/c.py"))
        #expect(o.filesTouched == ["app/a.py", "app/b.py", "app/c.py"])
    }

    @Test func grepContent() {
        let o = compress(
            "Grep", ["pattern": "TODO", "output_mode": "content"],
            ["mode": "content", "numLines": 2, "content": "/Users/me/app/a.py:3:# TODO x\n/Users/me/app/b.py:9:# TODO y"])
        #expect(o.title == "Searched 'TODO': 2 matching lines")
        #expect(o.filesTouched == ["a.py", "b.py"])
    }

    @Test func glob() {
        let o = compress("Glob", ["pattern": "**/*.py"], ["filenames": ["/Users/me/app/a.py"], "numFiles": 12, "truncated": false])
        #expect(o.title == "Listed **/*.py: 12 files")
    }

    @Test func webAndTaskAndTodo() {
        let fetch = compress(
            "WebFetch", ["url": "https://pyjwt.readthedocs.io/en/stable/", "prompt": "How to decode?"],
            ["code": 200, "result": "Use jwt.decode(token, key, algorithms=[...]). More text."])
        #expect(fetch.title == "Fetched pyjwt.readthedocs.io/en/stable/")
        #expect(fetch.summary.contains("Use jwt.decode"))
        let search = compress("WebSearch", ["query": "pyjwt DecodeError"], ["results": [["title": "DecodeError docs"], ["title": "SO answer"]]])
        #expect(search.title == "Web search 'pyjwt DecodeError': 2 results")
        let task = compress(
            "Task", ["description": "Find auth code", "subagent_type": "Explore", "prompt": "..."],
            ["content": [["type": "text", "text": "Auth lives in app/services. It uses PyJWT."]]])
        #expect(task.title == "Subagent (Explore): Find auth code")
        #expect(task.summary.hasPrefix("Reported: Auth lives in app/services."))
        let todo = compress("TodoWrite", ["todos": [["content": "a", "status": "completed"], ["content": "b", "status": "in_progress"]]], .null)
        #expect(todo.title == "Updated todos: 1/2 done, now: b")
    }

    @Test func mcpAndUnknownTools() {
        let mcp = compress(
            "mcp__github__create_issue", ["title": "Refresh tokens expire too early", "body": "..."],
            [["type": "text", "text": "Created issue #42"]])
        #expect(mcp.title == "github.create_issue: Refresh tokens expire too early")
        #expect(mcp.summary.hasSuffix("→ Created issue #42"))
        let unknown = compress("FancyTool", ["path": "/Users/me/app/x"], "done")
        #expect(unknown.title == "FancyTool: /Users/me/app/x")
        #expect(unknown.filesTouched == ["x"])
    }

    static let oddShapes: [(String, JSONValue, JSONValue)] = [
        ("Edit", .null, .null),
        ("Edit", ["file_path": 42, "old_string": ["x"], "new_string": true], "weird"),
        ("Write", [:], [:]),
        ("Read", ["file_path": "/a"], ["file": ["content": 7, "numLines": "many", "totalLines": -3]]),
        ("Bash", ["command": 17], ["stdout": ["not", "text"], "interrupted": "yes"]),
        ("Bash", [:], .string(String(repeating: "x", count: 300_000))),
        ("Grep", ["pattern": .null], ["filenames": "not a list", "numFiles": 1e300]),
        ("Glob", .array([]), .number(3)),
        ("MultiEdit", ["edits": [1, 2, "x"]], .null),
        ("NotebookEdit", ["new_source": .object([:])], .bool(true)),
        ("TodoWrite", ["todos": "none"], .null),
        ("Task", [:], ["content": [1, ["text": 5]]]),
        ("mcp__", [:], .null),
        ("", .null, .null),
        ("WebFetch", ["url": .string(String(repeating: "é", count: 5000))], ["result": .string(String(repeating: "ü\n", count: 10_000))]),
    ]

    @Test(arguments: 0..<oddShapes.count)
    func oddShapesNeverCrashAndStayBounded(_ index: Int) {
        let (tool, input, response) = Self.oddShapes[index]
        expectBounded(compress(tool, input, response))
    }
}
