import EngramTestSupport
import Foundation
import Testing

@Suite struct CLITests {
    @Test(arguments: CLIRunner.HookBinary.allCases)
    func hooksExitZeroAndPrintNothingOnBadInput(_ binary: CLIRunner.HookBinary) throws {
        let cli = try CLIRunner(); defer { cli.cleanup() }
        for input in [Data(), Data("not json".utf8), Data("[]".utf8), Data([0xFF, 0x00, 0xC3])] {
            for event in ["session-start", "post-tool-use", "stop", "session-end", "user-prompt-submit", "bogus-event"] {
                let r = try cli.hook(event, input, via: binary)
                #expect(r.status == 0, "\(event) exited \(r.status)")
                #expect(r.stdout.isEmpty, "\(event) printed \(r.stdout)")
                #expect(!r.stderr.isEmpty, "\(event) should say why on stderr")
            }
        }
    }

    @Test(arguments: CLIRunner.HookBinary.allCases)
    func sessionStartPrintsOnlyItsJSONAnswer(_ binary: CLIRunner.HookBinary) throws {
        let cli = try CLIRunner(); defer { cli.cleanup() }
        let r = try cli.hook("session-start", cli.hookPayload("SessionStart", session: "a", ["source": "startup"]), via: binary)
        #expect(r.status == 0)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let hso = obj?["hookSpecificOutput"] as? [String: Any]
        #expect(hso?["hookEventName"] as? String == "SessionStart")
        #expect((hso?["additionalContext"] as? String)?.isEmpty == false)
    }

    @Test(arguments: CLIRunner.HookBinary.allCases)
    func manyHookProcessesFromSeveralSessionsLoseNothing(_ binary: CLIRunner.HookBinary) throws {
        let cli = try CLIRunner(); defer { cli.cleanup() }
        // Create the database first, as the first hook of a real session would.
        try cli.run(["hook", "session-start"], stdin: cli.hookPayload("SessionStart", session: "warmup"))
        let sessions = 4, perSession = 15
        var running: [(Process, Pipe, Pipe)] = []
        for i in 0..<(sessions * perSession) {
            let payload = cli.hookPayload(
                "PostToolUse", session: "s\(i % sessions)",
                [
                    "tool_name": "Bash", "tool_input": ["command": "echo item-\(i)"], "tool_response": ["stdout": "item-\(i)", "stderr": ""],
                    "tool_use_id": "toolu_\(i)",
                ])
            running.append(try cli.start(binary.arguments("post-tool-use"), stdin: payload, executable: binary.executable))
        }
        var stderrs: [String] = []
        for (p, out, err) in running {
            _ = out.fileHandleForReading.readDataToEndOfFile()
            stderrs.append(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
        }
        #expect(stderrs.allSatisfy { $0.isEmpty }, "no hook reported a failure: \(stderrs.filter { !$0.isEmpty }.prefix(2))")
        let processed = try cli.run(["process", "--json"])
        #expect(processed.status == 0)
        let stats = try JSONSerialization.jsonObject(with: Data(processed.stdout.utf8)) as? [String: Any]
        #expect(stats?["processed"] as? Int == sessions * perSession)
        for i in [0, 17, 59] {
            let r = try cli.run(["search", "item-\(i)", "--json"])
            let hits = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
            #expect(hits?.isEmpty == false, "item-\(i) was lost")
        }
    }

    @Test func searchJSONCarriesTheDocumentedFields() throws {
        let cli = try CLIRunner(); defer { cli.cleanup() }
        try cli.run(
            ["hook", "post-tool-use"],
            stdin: cli.hookPayload(
                "PostToolUse", session: "a",
                [
                    "tool_name": "Bash", "tool_input": ["command": "pytest tests/test_widget.py"],
                    "tool_response": ["stdout": "widget ok", "stderr": ""],
                ]))
        try cli.run(["process"])
        let r = try cli.run(["search", "widget", "--json"])
        #expect(r.status == 0)
        let hits = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        let hit = try #require(hits.first)
        for key in ["id", "kind", "title", "summary", "files", "created_at", "score"] {
            #expect(hit[key] != nil, "missing \(key)")
        }
        let show = try cli.run(["show", hit["id"] as! String, "--json"])
        #expect(show.status == 0)
        #expect(show.stdout.contains("pytest tests/test_widget.py") || show.stdout.contains("widget"))
    }

    @Test func exitCodesFollowTheContract() throws {
        let cli = try CLIRunner(); defer { cli.cleanup() }
        #expect(try cli.run(["search"]).status == 2, "usage error")
        #expect(try cli.run(["context", "--budget", "abc"]).status == 2)
        #expect(try cli.run(["search", "x", "--since", "someday"]).status == 1)
        let missing = try cli.run(["show", "#12345"])
        #expect(missing.status == 1)
        let help = try cli.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("search"))
        #expect(try cli.run(["config", "show", "--json"]).status == 0)
    }

    @Test func theShippedBinaryCarriesNoBenchmarks() throws {
        let cli = try CLIRunner(); defer { cli.cleanup() }
        // Benchmarks are lab equipment in engram-bench; the product's help lists none and `bench` is unknown.
        #expect(try cli.run(["bench", "hooks"]).status == 2)
        #expect(!(try cli.run(["--help"]).stdout.contains("bench")))
        let bench = EngramProcess.binary.deletingLastPathComponent().appendingPathComponent("engram-bench")
        let help = try cli.run(["--help"], executable: bench)
        #expect(help.status == 0 && help.stdout.contains("hybrid") && help.stdout.contains("embed"))
    }

    @Test func aNewerDatabaseIsRefusedClearly() throws {
        let cli = try CLIRunner(); defer { cli.cleanup() }
        try cli.run(["process"])
        let db = cli.home.appendingPathComponent("engram.sqlite").path
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = [
            "python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"insert into grdb_migrations values ('v999')\"); c.commit()", db,
        ]
        try sqlite.run(); sqlite.waitUntilExit()
        let r = try cli.run(["search", "anything"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("newer engram"))
        #expect(!r.stderr.contains("Fatal error"))
        let hook = try cli.run(["hook", "post-tool-use"], stdin: cli.hookPayload("PostToolUse", session: "a", ["tool_name": "Bash"]))
        #expect(hook.status == 0)
        #expect(hook.stderr.contains("newer engram"))
    }
}
