import Foundation
import Testing

/// `engram sandbox exec` and `engram functions …` as a user runs them: real processes, real sandbox, shapes as
/// the issue states them.
@Suite("Sandbox and functions CLI", .serialized)
struct SandboxCLITests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func write(_ cli: CLIRunner, _ name: String, _ text: String) throws -> String {
        let url = cli.project.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test("sandbox exec --json prints the documented shape; a timeout exits 1 with status timeout")
    func execShapes() throws {
        let cli = try CLIRunner()
        defer { cli.cleanup() }
        let ok = try cli.run(["sandbox", "exec", try write(cli, "a.py", "print('hi')"), "--json"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let o = try json(ok.stdout)
        #expect(Set(o.keys).isSuperset(of: ["status", "exit_code", "stdout", "stderr", "duration_ms", "peak_memory_kb", "reason"]))
        #expect(o["status"] as? String == "ok" && o["stdout"] as? String == "hi\n" && o["reason"] is NSNull)
        let slow = try cli.run(["sandbox", "exec", try write(cli, "b.py", "import time\ntime.sleep(30)"), "--timeout", "1", "--json"])
        #expect(slow.status == 1)
        #expect(try json(slow.stdout)["status"] as? String == "timeout")
        let human = try cli.run(["sandbox", "exec", try write(cli, "c.py", "raise SystemExit(3)")])
        #expect(human.status == 1 && human.stderr.contains("engram: sandbox: error"))
        let missing = try cli.run(["sandbox", "exec", "/nonexistent/x.py"])
        #expect(missing.status == 1 && missing.stderr.hasPrefix("engram: Cannot read"))
        let usage = try cli.run(["sandbox", "exec", "x.py", "--timeout", "-1"])
        #expect(usage.status == 2)
    }

    @Test("where the kernel forbids user namespaces, the run is refused and says why")
    func refusedWithoutNamespaces() throws {
        let cli = try CLIRunner()
        defer { cli.cleanup() }
        let file = try write(cli, "a.py", "print('hi')")
        // A user namespace whose own limit on nested user namespaces is 0: the kernel then refuses clone(CLONE_NEWUSER),
        // as it does under Ubuntu's AppArmor restriction, without touching the machine's settings.
        let script = "echo 0 > /proc/sys/user/max_user_namespaces && exec \"$0\" sandbox exec \"$1\" --json"
        let r = try cli.run(
            ["--user", "--map-root-user", "/bin/sh", "-c", script, CLIRunner.binary.path, file],
            executable: URL(fileURLWithPath: "/usr/bin/unshare"))
        #expect(r.status == 1, "\(r.stdout) \(r.stderr)")
        let o = try json(r.stdout)
        #expect(o["status"] as? String == "refused")
        let reason = o["reason"] as? String ?? ""
        #expect(reason.contains("namespaces") && reason.contains("ENGRAM_SANDBOX_ISOLATION=rlimits"), "\(reason)")
        #expect(o["stdout"] as? String == "")
    }

    @Test("functions save/versions/test/run/diff/rollback/stats keep the issue's shapes and exit codes")
    func functionsShapes() throws {
        let cli = try CLIRunner()
        defer { cli.cleanup() }
        let v1 = try write(cli, "m.py", "def double(x):\n    \"\"\"Twice x.\"\"\"\n    return x * 2\n")
        let tests = try write(cli, "t.json", #"[{"args": [2], "expect": 4}, {"args": ["a"], "expect": "aa"}]"#)
        let saved = try cli.run(["functions", "save", v1, "--tests", tests, "--summary", "doubles", "--json"])
        #expect(saved.status == 0, "\(saved.stderr)")
        let s = try json(saved.stdout)
        #expect(s["name"] as? String == "double" && s["version"] as? Int == 1 && s["status"] as? String == "saved")
        #expect((s["tests"] as? [String: Any])?["passed"] as? Int == 2)
        let same = try json(try cli.run(["functions", "save", v1, "--json"]).stdout)
        #expect(same["status"] as? String == "unchanged")

        let broken = try write(cli, "m2.py", "def double(x):\n    return x * 3\n")
        let failing = try cli.run(["functions", "save", broken, "--json"])
        #expect(failing.status == 1)
        #expect(try json(failing.stdout)["status"] as? String == "failing")

        let versions = try json(try cli.run(["functions", "versions", "double", "--json"]).stdout)
        let list = try #require(versions["versions"] as? [[String: Any]])
        #expect(list.count == 2)
        #expect(list.map { $0["latest"] as? Bool } == [true, false])
        #expect(list.map { $0["tests_passed"] as? Bool } == [true, false])
        #expect(list.allSatisfy { Set($0.keys).isSuperset(of: ["version", "created_at", "summary", "latest", "tests_passed"]) })

        let test = try cli.run(["functions", "test", "double", "--json"])
        #expect(test.status == 0)
        let t = try json(test.stdout)
        #expect(t["passed"] as? Int == 2 && t["failed"] as? Int == 0)
        let results = try #require(t["results"] as? [[String: Any]])
        #expect(results.allSatisfy { Set($0.keys).isSuperset(of: ["case", "status", "expected", "got"]) })
        let failTest = try cli.run(["functions", "test", "double", "--version", "2", "--json"])
        #expect(failTest.status == 1)
        #expect(try json(failTest.stdout)["failed"] as? Int == 2)

        let run = try cli.run(["functions", "run", "double", "--args", "[21]", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let r = try json(run.stdout)
        #expect(r["status"] as? String == "ok" && r["result"] as? String == "42")
        #expect(Set(r.keys).isSuperset(of: ["exit_code", "stdout", "stderr", "duration_ms", "peak_memory_kb", "reason"]))
        let badArgs = try cli.run(["functions", "run", "double", "--args", "{", "--json"])
        #expect(badArgs.status == 1 && badArgs.stderr.contains("not valid"))

        let diff = try json(try cli.run(["functions", "diff", "double", "1", "2", "--json"]).stdout)
        #expect((diff["diff"] as? String)?.contains("+    return x * 3") == true)
        let rolled = try cli.run(["functions", "rollback", "double", "1", "--json"])
        #expect(rolled.status == 0)
        #expect(try json(rolled.stdout)["version"] as? Int == 3)
        let stats = try json(try cli.run(["functions", "stats", "double", "--json"]).stdout)
        #expect(stats["runs"] as? Int == 3)
        let search = try json(try cli.run(["functions", "search", "twice", "--json"]).stdout)
        #expect((search["results"] as? [[String: Any]])?.first?["name"] as? String == "double")
        let shown = try json(try cli.run(["functions", "show", "double@1", "--json"]).stdout)
        #expect(shown["version"] as? Int == 1)
        let unknown = try cli.run(["functions", "show", "nothing", "--json"])
        #expect(unknown.status == 1 && unknown.stdout.isEmpty && unknown.stderr.hasPrefix("engram: No function nothing"))
        #expect(try cli.run(["functions", "delete", "double", "--json"]).status == 0)
        #expect(try cli.run(["functions", "show", "double"]).status == 1)
    }
}
