import EngramSQLite
import EngramTestSupport
import Foundation
import Testing

@testable import EngramCore

/// The crash tester's and attacker's probes that found lost and leaked captures, kept as a corpus sized for CI:
/// fuzzed hook input with interleaved markers that must all arrive, concurrent first use of a fresh data dir,
/// a store a hook cannot open, a broken config, CLI errors. Each prints its counts for the CI log.
@Suite struct ProbeCorpusTests {
    func store(_ cli: CLIRunner) throws -> EngramStore { try EngramStore.open(paths: EngramPaths(home: cli.home)) }

    func marker(_ cli: CLIRunner, _ i: Int, session: String = "probe") -> Data {
        cli.hookPayload(
            "PostToolUse", session: session,
            [
                "tool_name": "Bash", "tool_input": ["command": "echo MARKER-\(i)-END"],
                "tool_response": ["stdout": "MARKER-\(i)-END"], "tool_use_id": "toolu_m\(i)",
            ])
    }

    /// Hostile and broken hook input, with valid captures between: every hook exits 0 with nothing on stdout,
    /// every marker arrives exactly once, identifiers are bounded, and a relative cwd files nothing under this
    /// process's directory.
    @Test func fuzzedHookInputWithInterleavedMarkersAllArrive() throws {
        let cli = try CLIRunner(); defer { cli.cleanup() }
        var generator = SystemRandomNumberGenerator()
        func junk() -> Data {
            let shapes: [() -> Data] = [
                { Data((0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }) },
                { Data(#"{"session_id": "s", "tool_name": "Bash", "tool_input": {"command": "#.utf8) },
                { Data(#"{"session_id": 12, "cwd": ["x"], "tool_name": {"a": 1}, "tool_input": "str", "tool_response": 5}"#.utf8) },
                {
                    cli.hookPayload(
                        "PostToolUse", session: String(repeating: "S", count: 300_000), ["tool_name": "Bash", "tool_input": ["command": "ls"]])
                },
                {
                    try! JSONSerialization.data(withJSONObject: [
                        "session_id": "rel", "cwd": "relative/dir", "tool_name": "Bash", "tool_input": ["command": "pwd"],
                    ])
                },
                {
                    try! JSONSerialization.data(withJSONObject: [
                        "session_id": "empty", "cwd": "", "tool_name": "Bash", "tool_input": ["command": "pwd"],
                    ])
                },
                { Data([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]) },
                { Data(String(repeating: "[", count: 50_000).utf8) },
                {
                    cli.hookPayload(
                        "PostToolUse", session: "big",
                        [
                            "tool_name": "Bash", "tool_input": ["command": "cat"],
                            "tool_response": ["stdout": String(repeating: "y", count: 2 << 20)],
                        ])
                },
                { Data("null".utf8) },
            ]
            return shapes[Int.random(in: 0..<shapes.count, using: &generator)]()
        }
        let markers = 30, fuzzPerMarker = 4
        var hooks = 0, badExits = 0, stdoutWrites = 0
        for i in 0..<markers {
            for _ in 0..<fuzzPerMarker {
                let r = try cli.hook("post-tool-use", junk(), via: .slim)
                hooks += 1
                if r.status != 0 { badExits += 1 }
                if !r.stdout.isEmpty { stdoutWrites += 1 }
            }
            let r = try cli.hook("post-tool-use", marker(cli, i), via: i % 2 == 0 ? .slim : .full)
            hooks += 1
            if r.status != 0 { badExits += 1 }
        }
        let s = try store(cli)
        let (arrived, longestSession, hookDir) = try s.writer.read { db -> (Int, Int, Int) in
            var found = 0
            for i in 0..<markers {
                found +=
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_queue WHERE payload LIKE ?", arguments: ["%MARKER-\(i)-END%"]) == 1
                    ? 1 : 0
            }
            let longest = try Int.fetchOne(db, sql: "SELECT max(length(session_id)) FROM pending_queue") ?? 0
            let here =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM pending_queue WHERE project = ?",
                    arguments: [FileManager.default.currentDirectoryPath]) ?? 0
            return (found, longest, here)
        }
        print(
            "hook fuzz: \(hooks) hooks (\(markers * fuzzPerMarker) fuzzed), \(arrived) of \(markers) markers arrived once, \(badExits) non-zero exits"
        )
        #expect(badExits == 0 && stdoutWrites == 0)
        #expect(arrived == markers)
        #expect(longestSession <= 128, "a session id of \(longestSession) bytes was copied into the queue")
        #expect(hookDir == 0, "a relative or empty cwd was resolved against the hook's own directory")
        let logs = try FileManager.default.contentsOfDirectory(atPath: cli.home.appendingPathComponent("logs").path)
        let logBytes = try logs.reduce(0) {
            $0 + ((try FileManager.default.attributesOfItem(atPath: cli.home.appendingPathComponent("logs/\($1)").path)[.size] as? Int) ?? 0)
        }
        #expect(logBytes < 2 << 20, "logs grew to \(logBytes) bytes")
    }

    /// Claude Code starts hooks in parallel: N processes on a fresh data dir (the first use on a machine, or the
    /// first after an upgrade) race the migrations. Every item must be stored, in every round.
    @Test func concurrentFirstUseOfAFreshDataDirLosesNothing() throws {
        let rounds = 6, processes = 6
        var lost = 0
        for round in 0..<rounds {
            let cli = try CLIRunner(); defer { cli.cleanup() }
            var running: [(Process, Pipe, Pipe)] = []
            for i in 0..<processes {
                running.append(
                    try cli.start(["post-tool-use"], stdin: marker(cli, round * 100 + i, session: "s\(i)"), executable: EngramProcess.hookBinary))
            }
            for (p, out, err) in running {
                _ = out.fileHandleForReading.readDataToEndOfFile()
                let e = err.fileHandleForReading.readDataToEndOfFile()
                p.waitUntilExit()
                #expect(p.terminationStatus == 0)
                #expect(!String(decoding: e, as: UTF8.self).contains("migration failed"))
            }
            let stored = try store(cli).writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_queue") ?? 0 }
            let spilled = SpillBox(paths: EngramPaths(home: cli.home)).pending().spilled
            lost += processes - stored - spilled
            #expect(stored + spilled == processes, "round \(round): \(stored) stored, \(spilled) spilled of \(processes)")
        }
        print("concurrent first use: \(rounds) rounds × \(processes) hooks on a fresh data dir, \(lost) items lost")
    }

    /// A store the hook cannot open keeps the item in a spill file; once the store is back, the next hook
    /// stores the spilled item, as of when it arrived.
    @Test func aHookThatCannotOpenTheStoreKeepsItsItem() throws {
        let cli = try CLIRunner(); defer { cli.cleanup() }
        try FileManager.default.createDirectory(at: cli.home, withIntermediateDirectories: true)
        let db = cli.home.appendingPathComponent("engram.sqlite")
        try Data("not a database, but long enough to be read as one by sqlite: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".utf8).write(to: db)
        let r = try cli.hook("post-tool-use", marker(cli, 1), via: .slim)
        #expect(r.status == 0 && r.stdout.isEmpty)
        #expect(r.stderr.contains("kept for later"), "\(r.stderr)")
        let box = SpillBox(paths: EngramPaths(home: cli.home))
        #expect(box.pending().spilled == 1)
        let doctor = try cli.run(["doctor", "--json"])
        #expect(doctor.stdout.contains("kept on disk"), "\(doctor.stdout)")
        try FileManager.default.removeItem(at: db)
        let next = try cli.hook("post-tool-use", marker(cli, 2), via: .slim)
        #expect(next.status == 0 && next.stderr.isEmpty, "\(next.stderr)")
        #expect(box.pending().spilled == 0)
        let markers = try store(cli).writer.read { db in
            try String.fetchAll(db, sql: "SELECT payload FROM pending_queue ORDER BY id").map {
                $0.contains("MARKER-1-END") ? 1 : ($0.contains("MARKER-2-END") ? 2 : 0)
            }
        }
        #expect(markers == [1, 2], "the spilled item is stored first, then the new one")
    }

    /// A typo in config.toml never switches capture off: hooks store their item and say what is wrong (stderr),
    /// the briefing says it, doctor fails on it, and a command warns on stderr while it works.
    @Test func aConfigTypoKeepsCaptureOnAndSaysSo() throws {
        let cli = try CLIRunner(); defer { cli.cleanup() }
        try FileManager.default.createDirectory(at: cli.home, withIntermediateDirectories: true)
        try Data("[context]\nbudget = \"lots\"\n[search\nlimit = 3\n".utf8).write(to: cli.home.appendingPathComponent("config.toml"))
        let hook = try cli.hook("post-tool-use", marker(cli, 1), via: .slim)
        #expect(hook.status == 0)
        #expect(
            hook.stderr.contains("context.budget") && hook.stderr.contains("whole number") && !hook.stderr.contains("NSCocoaErrorDomain"),
            "\(hook.stderr)")
        #expect(try store(cli).writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_queue") } == 1)
        let start = try cli.hook("session-start", cli.hookPayload("SessionStart", session: "s2", ["source": "startup"]), via: .full)
        #expect(start.stdout.contains("configuration problem"), "\(start.stdout)")
        let doctor = try cli.run(["doctor", "--json"])
        #expect(doctor.status == 1 && doctor.stdout.contains("context.budget"), "\(doctor.stdout)")
        let search = try cli.run(["search", "marker", "--json"])
        #expect(search.status == 0 && search.stderr.contains("warning") && search.stderr.contains("line 3"), "\(search.stderr)")
    }

    /// An item that keeps failing is set aside, never blocking the others, and doctor says so with its error.
    @Test func doctorShowsItemsSetAside() throws {
        var cli = try CLIRunner(); defer { cli.cleanup() }
        cli.env["ENGRAM_PROCESSING_MAX_ATTEMPTS"] = "1"
        _ = try cli.hook("post-tool-use", marker(cli, 1), via: .slim)
        try store(cli).writer.write { db in
            try db.execute(
                sql:
                    "INSERT INTO pending_queue (created_at, updated_at, session_id, project, hook_type, payload) VALUES ('t', 't', 'probe', '/p', 'PostToolUse', '{broken')"
            )
        }
        _ = try cli.hook("post-tool-use", marker(cli, 2), via: .slim)
        let process = try cli.run(["process", "--json"])
        #expect(process.status == 0 && process.stdout.contains("\"processed\" : 2") && process.stdout.contains("\"failed\" : 1"), "\(process.stdout)")
        let doctor = try cli.run(["doctor", "--json"])
        #expect(doctor.stdout.contains("set aside") && doctor.stdout.contains("unreadable payload"), "\(doctor.stdout)")
    }

    /// CLI errors go to stderr as one line with exit 1; never SQL text, never Foundation's.
    @Test func cliErrorsAreOneLineOnStderr() throws {
        let cli = try CLIRunner(); defer { cli.cleanup() }
        _ = try cli.hook("post-tool-use", marker(cli, 1), via: .slim)
        let show = try cli.run(["show", "#abc"])
        #expect(show.status == 1 && show.stdout.isEmpty && show.stderr.contains("no record #abc"), "\(show)")
        // A store that refuses the claim: the reason, not the statement.
        try store(cli).writer.write { db in
            try db.execute(sql: "CREATE TRIGGER refuse BEFORE UPDATE ON pending_queue BEGIN SELECT RAISE(ABORT, 'refused by a probe'); END")
        }
        let process = try cli.run(["process"])
        #expect(process.status == 1)
        #expect(process.stderr.contains("refused by a probe") && !process.stderr.contains("UPDATE pending_queue"), "\(process.stderr)")
        #expect(process.stderr.split(separator: "\n").count == 1, "\(process.stderr)")
        // Export: a dead exporter's partial file is cleaned; a write error says why in one line.
        let out = cli.root.appendingPathComponent("out.jsonl").path
        var deadPID: Int32 = 999_999
        while kill(deadPID, 0) == 0 { deadPID -= 1 }
        FileManager.default.createFile(atPath: out + ".partial-\(deadPID)", contents: Data(repeating: 1, count: 1024))
        let export = try cli.run(["export", "-o", out])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + ".partial-\(deadPID)"))
        let bad = try cli.run(["export", "-o", "/proc/engram-cannot-write-here.jsonl"])
        #expect(bad.status == 1 && bad.stderr.split(separator: "\n").count == 1 && !bad.stderr.contains("NSCocoaErrorDomain"), "\(bad.stderr)")
    }
}
