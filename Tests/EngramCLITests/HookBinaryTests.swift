import EngramSQLite
import EngramTestSupport
import Foundation
import Testing

@testable import EngramCore

/// The slim `engram-hook` binary: the same hooks as `engram hook`, and `stop` handed to the full binary.
@Suite struct HookBinaryTests {
    func edit(_ cli: CLIRunner, session: String) throws {
        let file = cli.project.appendingPathComponent("auth.py")
        let source = "def login(user):\n    return issue_token(user)\n\n\ndef refresh_token(token):\n    return decode(token)\n"
        try Data(source.utf8).write(to: file)
        let r = try cli.hook(
            "post-tool-use",
            cli.hookPayload(
                "PostToolUse", session: session,
                [
                    "tool_name": "Write", "tool_input": ["file_path": file.path, "content": source],
                    "tool_response": ["filePath": file.path, "type": "create"], "tool_use_id": "toolu_write_1",
                ]), via: .slim)
        #expect(r.status == 0 && r.stderr.isEmpty, "post-tool-use: \(r.stderr)")
    }

    func codeLayer(_ cli: CLIRunner) throws -> String {
        let r = try cli.run(["context", "--json"])
        #expect(r.status == 0, "context: \(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        return obj["text"] as? String ?? ""
    }

    @Test func stopRunsInTheFullBinaryWithCodeIntelligence() throws {
        let cli = try CLIRunner(); defer { cli.cleanup() }
        try edit(cli, session: "slim-1")
        let stop = try cli.hook("stop", cli.hookPayload("Stop", session: "slim-1", ["last_assistant_message": "Added refresh_token."]), via: .slim)
        #expect(stop.status == 0 && stop.stdout.isEmpty && stop.stderr.isEmpty, "stop: \(stop.stderr)")
        // Only the full binary parses code: the function map names the new function.
        #expect(try codeLayer(cli).contains("refresh_token"))
    }

    @Test func withoutTheFullBinaryStopStillSummarizesAndSaysWhy() throws {
        let cli = try CLIRunner(); defer { cli.cleanup() }
        let lonely = cli.root.appendingPathComponent("bin/engram-hook")
        try FileManager.default.createDirectory(at: lonely.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: EngramProcess.hookBinary, to: lonely)
        try edit(cli, session: "slim-2")
        let stop = try cli.run(["stop"], stdin: cli.hookPayload("Stop", session: "slim-2", ["last_assistant_message": "Done."]), executable: lonely)
        #expect(stop.status == 0 && stop.stdout.isEmpty)
        #expect(stop.stderr.contains("without code intelligence"))
        let search = try cli.run(["search", "auth.py", "--kind", "summary", "--json"])
        let hits = try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [[String: Any]]
        #expect(hits?.isEmpty == false, "the session summary was not written: \(search.stdout)")
    }

    /// A hook process closes its store itself and exits without tearing the engine down: each close still
    /// decides on the checkpoint, so a run of hooks keeps the WAL bounded, and every event is in the queue.
    @Test func hookProcessesCloseTheStoreAndKeepTheWALBounded() throws {
        let cli = try CLIRunner(); defer { cli.cleanup() }
        let output = String(repeating: "collected 7 items; tests/test_auth.py ......F\n", count: 160)
        let wal = cli.home.appendingPathComponent("engram.sqlite-wal").path
        var largest = 0
        for i in 0..<24 {
            let r = try cli.hook(
                "post-tool-use",
                cli.hookPayload(
                    "PostToolUse", session: "slim-wal",
                    [
                        "tool_name": "Bash", "tool_input": ["command": "pytest -q # run \(i)"],
                        "tool_response": ["stdout": output, "stderr": "", "interrupted": false], "tool_use_id": "toolu_\(i)",
                    ]), via: .slim)
            #expect(r.status == 0 && r.stdout.isEmpty && r.stderr.isEmpty, "hook \(i): \(r.stderr)")
            let size = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? NSNumber)?.intValue ?? 0
            largest = max(largest, size)
        }
        #expect(largest > 0)
        #expect(largest < ClosingCheckpoint.limit + 128 * 1024, "WAL grew to \(largest) bytes: hooks stopped checkpointing")
        let store = try EngramStore.open(paths: EngramPaths(home: cli.home))
        #expect(
            try store.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_queue WHERE session_id = 'slim-wal'")
            } == 24)
        // The answer is written before the exit too.
        let start = try cli.hook("session-start", cli.hookPayload("SessionStart", session: "slim-wal-2", ["source": "startup"]), via: .slim)
        #expect(start.status == 0 && start.stdout.contains("\"hookEventName\":\"SessionStart\""), "session-start: \(start.stdout) \(start.stderr)")
    }

    /// The slim binary reads its environment itself (not through Foundation): values holding `=` and non-ASCII
    /// text arrive whole, so the data lands in the directory ENGRAM_HOME names.
    @Test func theEnvironmentArrivesAsWritten() throws {
        var cli = try CLIRunner(); defer { cli.cleanup() }
        let home = cli.root.appendingPathComponent("data=dir ü")
        cli.env["ENGRAM_HOME"] = home.path
        let r = try cli.hook(
            "post-tool-use",
            cli.hookPayload(
                "PostToolUse", session: "slim-env",
                [
                    "tool_name": "Bash", "tool_input": ["command": "ls"], "tool_response": ["stdout": "a\nb", "stderr": ""],
                ]), via: .slim)
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        let store = try EngramStore.open(paths: EngramPaths(home: home))
        #expect(try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_queue") } == 1)
    }

    @Test func usageErrorsExitTwoAndHelpExitsZero() throws {
        let cli = try CLIRunner(); defer { cli.cleanup() }
        for args in [[], ["post-tool-use", "extra"], ["--bogus"]] {
            let r = try cli.run(args, stdin: Data(), executable: EngramProcess.hookBinary)
            #expect(r.status == 2, "\(args) exited \(r.status)")
            #expect(r.stderr.contains("usage: engram-hook"))
        }
        let help = try cli.run(["--help"], stdin: Data(), executable: EngramProcess.hookBinary)
        #expect(help.status == 0 && help.stderr.contains("session-start"))
    }
}
