import ArgumentParser
import EngramCommandLine
import EngramCore
import EngramMCP
import EngramSQLite
import Foundation

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check engram's setup and say what to fix: binary, data directory, database, worker, models, API keys, hooks.",
        discussion: "Exits 1 when any check fails; warnings are things that work but could be better."
    )

    @Option(name: .long, help: "The Claude Code settings file to check (default ~/.claude/settings.json).") var settings: String?
    @OptionGroup var output: OutputOptions

    enum Status: String, Encodable { case ok, warn, fail }

    struct Check: Encodable {
        var name: String
        var status: Status
        var detail: String
        var fix: String?
    }

    struct Report: Encodable { var ok: Bool; var checks: [Check] }

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        let paths = EngramPaths.fromEnvironment(env)
        var checks: [Check] = [binaryCheck()]
        checks.append(dataDirCheck(paths))
        checks.append(configCheck(paths, env))
        checks.append(contentsOf: databaseChecks(paths))
        checks.append(spillCheck(paths))
        checks.append(workerCheck(paths))
        checks.append(modelCheck(paths))
        checks.append(llmCheck(env, paths))
        checks.append(hooksCheck(env))
        checks.append(switchCheck(env))
        let report = Report(ok: !checks.contains { $0.status == .fail }, checks: checks)
        if output.json {
            try Terminal.printJSON(report)
        } else {
            for c in checks {
                let mark =
                    switch c.status {
                    case .ok: "ok  ";
                    case .warn: "warn";
                    case .fail: "FAIL"
                    }
                print("\(Terminal.bold(mark))  \(c.name): \(c.detail)")
                if let fix = c.fix { print("      → \(fix)") }
            }
        }
        if !report.ok { throw ExitCode.failure }
    }

    func binaryCheck() -> Check {
        let path = RunningBinary.path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            return Check(
                name: "binary", status: .warn, detail: "cannot find the running binary at \(path)",
                fix: "Put engram on your PATH so hooks can run it.")
        }
        return Check(name: "binary", status: .ok, detail: "\(path) (engram \(EngramVersion.current))", fix: nil)
    }

    func dataDirCheck(_ paths: EngramPaths) -> Check {
        let path = paths.home.path
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
            return Check(
                name: "data directory", status: .warn, detail: "\(path) does not exist yet",
                fix: "It is created on first use; run `engram demo` or start a Claude Code session.")
        }
        guard isDir.boolValue else {
            return Check(name: "data directory", status: .fail, detail: "\(path) is a file", fix: "Move it aside or set ENGRAM_HOME to a directory.")
        }
        guard access(path, W_OK) == 0 else {
            return Check(name: "data directory", status: .fail, detail: "\(path) is not writable", fix: "chmod 700 \(path), or set ENGRAM_HOME.")
        }
        let mode = ((try? fm.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? nil) ?? 0
        if mode & 0o077 != 0 {
            return Check(
                name: "data directory", status: .warn, detail: "\(path) is readable by others (mode \(String(mode, radix: 8)))",
                fix: "chmod 700 \(path)")
        }
        let db = paths.database.path
        if fm.fileExists(atPath: db), let m = (try? fm.attributesOfItem(atPath: db)[.posixPermissions] as? Int) ?? nil, m & 0o077 != 0 {
            return Check(
                name: "data directory", status: .warn, detail: "\(db) is readable by others (mode \(String(m, radix: 8)))",
                fix: "chmod 600 \(db)")
        }
        return Check(name: "data directory", status: .ok, detail: "\(path) (private)", fix: nil)
    }

    func databaseChecks(_ paths: EngramPaths) -> [Check] {
        let db = paths.database.path
        guard FileManager.default.fileExists(atPath: db) else {
            return [Check(name: "database", status: .warn, detail: "no database yet at \(db)", fix: "It is created on first use.")]
        }
        do {
            let health = try DatabaseHealth.check(path: db)
            let quick = health.quickCheck
            var out: [Check] = []
            out.append(
                quick == "ok"
                    ? Check(name: "database integrity", status: .ok, detail: "PRAGMA quick_check: ok", fix: nil)
                    : Check(
                        name: "database integrity", status: .fail, detail: "PRAGMA quick_check: \(quick.prefix(300))",
                        fix: "Stop the worker, copy \(db) aside, and run `sqlite3 \(db) '.recover'` into a new file."))
            let unknown = health.unknownMigrations
            let pending = health.pendingMigrations
            if !unknown.isEmpty {
                out.append(
                    Check(
                        name: "migrations", status: .fail, detail: "written by a newer engram (\(unknown.joined(separator: ", ")))",
                        fix: "Upgrade engram."))
            } else if !pending.isEmpty {
                out.append(
                    Check(
                        name: "migrations", status: .warn, detail: "pending: \(pending.joined(separator: ", "))",
                        fix: "They apply automatically the next time engram opens the database."))
            } else {
                out.append(Check(name: "migrations", status: .ok, detail: "\(health.appliedMigrations.count) applied, up to date", fix: nil))
            }
            out.append(queueCheck(health.queue))
            return out
        } catch {
            return [
                Check(
                    name: "database integrity", status: .fail, detail: (error as? LocalizedError)?.errorDescription ?? "\(error)",
                    fix: "Move the file aside to start fresh, or restore a backup.")
            ]
        }
    }

    /// A broken setting keeps its default and capture goes on; said here as loudly as anywhere.
    func configCheck(_ paths: EngramPaths, _ env: [String: String]) -> Check {
        guard let config = try? EngramConfig.load(paths: paths, env: env) else {
            return Check(name: "config", status: .fail, detail: "cannot be loaded", fix: "Run `engram config show`.")
        }
        if !config.problems.isEmpty {
            return Check(
                name: "config", status: .fail, detail: config.problems.joined(separator: " "),
                fix: "Fix or remove the setting; until then engram runs with its default.")
        }
        if !config.unknownFileKeys.isEmpty {
            return Check(
                name: "config", status: .warn, detail: "unknown keys (ignored): \(config.unknownFileKeys.joined(separator: ", "))",
                fix: "Check their spelling with `engram config show`.")
        }
        return Check(name: "config", status: .ok, detail: config.fileURL.map { "\($0.path) is valid" } ?? "defaults (no config file)", fix: nil)
    }

    /// Items that failed for good, or keep failing, with the error that set them aside.
    func queueCheck(_ q: DatabaseHealth.Queue) -> Check {
        let errors = q.lastErrors.isEmpty ? "" : "; last error: " + q.lastErrors[0]
        if q.failed > 0 {
            return Check(
                name: "queue", status: .warn, detail: "\(q.failed) item(s) failed after every attempt and were set aside\(errors)",
                fix: "Their payloads are kept; `engram report --eval` counts them. Report the error if it is engram's.")
        }
        if q.retrying > 0 {
            return Check(
                name: "queue", status: .warn, detail: "\(q.retrying) of \(q.pending) pending item(s) failed once and wait for a retry\(errors)",
                fix: "Run `engram process` to retry now.")
        }
        return Check(name: "queue", status: .ok, detail: "\(q.pending) pending, \(q.processing) processing, none failed", fix: nil)
    }

    /// Hooks that could not reach the store and kept their input, or lost it.
    func spillCheck(_ paths: EngramPaths) -> Check {
        let (spilled, lost) = SpillBox(paths: paths).pending()
        if lost > 0 {
            return Check(
                name: "captures", status: .fail, detail: "\(lost) capture(s) could not be written at all (disk full or data directory unwritable)",
                fix: "Free disk space; the count is cleared the next time a hook stores its item.")
        }
        if spilled > 0 {
            return Check(
                name: "captures", status: .warn, detail: "\(spilled) capture(s) kept on disk while the database was unavailable",
                fix: "They are stored by the next hook or `engram process`; run `engram process` now.")
        }
        return Check(name: "captures", status: .ok, detail: "nothing waiting outside the database", fix: nil)
    }

    func workerCheck(_ paths: EngramPaths) -> Check {
        let sock = paths.workerSocket.path
        guard FileManager.default.fileExists(atPath: sock) else {
            return Check(
                name: "worker", status: .warn, detail: "not running (hooks then process in-process, heuristics only)",
                fix: "Optional: run the engram worker for background compression and embeddings.")
        }
        if WorkerLauncher.canConnect(unixSocket: sock) {
            return Check(name: "worker", status: .ok, detail: "answering on \(sock)", fix: nil)
        }
        return Check(
            name: "worker", status: .warn, detail: "\(sock) exists but nothing answers (a stale socket)",
            fix: "Remove \(sock) or restart the worker.")
    }

    func modelCheck(_ paths: EngramPaths) -> Check {
        let dir = paths.models.path
        let items = (try? FileManager.default.contentsOfDirectory(atPath: dir))?.filter { !$0.hasPrefix(".") } ?? []
        if items.isEmpty {
            return Check(
                name: "embedding model", status: .warn, detail: "none in \(dir) (search is keyword-only)",
                fix: "Optional: install a local embedding model for semantic search.")
        }
        return Check(name: "embedding model", status: .ok, detail: items.sorted().joined(separator: ", "), fix: nil)
    }

    /// The LLM as engram decides it (`LLMPolicy`) here, and as the hooks last decided it in Claude Code's
    /// environment, which holds keys this shell may not: that one is what the worker uses.
    func llmCheck(_ env: [String: String], _ paths: EngramPaths) -> Check {
        let config = (try? EngramConfig.load(paths: paths, env: env)) ?? (try? EngramConfig(env: env))
        let here = config.map { LLMPolicy.resolve(config: $0, env: env) }
        var detail = "this shell: " + (here?.line ?? "unknown (the config does not load)")
        var status: Status = .ok
        var fix: String?
        if let seen = LLMPolicy.seen(paths: paths), seen.policy != here {
            detail += " Claude Code's hooks (\(seen.seenAt)): " + seen.policy.line
            if seen.policy.keyFromAgent {
                status = .warn
                fix = "The worker uses the key Claude Code passes its hooks; " + LLMPolicy.switchHint + "."
            }
        }
        return Check(name: "LLM", status: status, detail: detail, fix: fix)
    }

    func hooksCheck(_ env: [String: String]) -> Check {
        let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let path = settings.map { ($0 as NSString).expandingTildeInPath } ?? home + "/.claude/settings.json"
        let file = JSONFile(URL(fileURLWithPath: path))
        guard file.exists else {
            return Check(
                name: "Claude Code hooks", status: .warn, detail: "\(path) does not exist",
                fix: "Run `engram install claude-code` (or use the engram plugin).")
        }
        let doc: JSONValue
        do { doc = try file.read() } catch {
            return Check(
                name: "Claude Code hooks", status: .fail, detail: (error as? LocalizedError)?.errorDescription ?? "\(error)",
                fix: "Fix the JSON in \(path).")
        }
        let installed = ClaudeCodeHooks.installedEvents(in: doc)
        let wanted = ClaudeCodeHooks.registrations.map(\.event)
        let missing = wanted.filter { installed[$0] == nil }
        if installed.isEmpty {
            return Check(name: "Claude Code hooks", status: .warn, detail: "none in \(path)", fix: "Run `engram install claude-code`.")
        }
        if !missing.isEmpty {
            return Check(
                name: "Claude Code hooks", status: .warn, detail: "missing \(missing.joined(separator: ", ")) in \(path)",
                fix: "Run `engram install claude-code` again.")
        }
        let binaries = Set(installed.values.flatMap { $0 }.compactMap { ClaudeCodeHooksBinary.first(of: $0) })
        let broken = binaries.filter { $0.contains("/") && !FileManager.default.isExecutableFile(atPath: $0) }
        if !broken.isEmpty {
            return Check(
                name: "Claude Code hooks", status: .fail, detail: "hooks run \(broken.sorted().joined(separator: ", ")), which is not an executable",
                fix: "Run `engram install claude-code` with the engram you want to use.")
        }
        return Check(name: "Claude Code hooks", status: .ok, detail: "\(installed.count) events registered in \(path)", fix: nil)
    }

    func switchCheck(_ env: [String: String]) -> Check {
        if ProjectCommand.globallyDisabled(env) {
            return Check(
                name: "capture", status: .warn, detail: "ENGRAM_DISABLED is set: every hook does nothing",
                fix: "Unset ENGRAM_DISABLED to capture again.")
        }
        let root = ProjectRoot.of(nil)
        let s = ProjectCommand.status(root)
        if !s.capturing {
            return Check(name: "capture", status: .warn, detail: "off for \(root)", fix: "`engram project enable` (or remove .engram-ignore).")
        }
        return Check(name: "capture", status: .ok, detail: "on for \(root)", fix: nil)
    }
}

/// The executable a hook command runs.
enum ClaudeCodeHooksBinary {
    static func first(of command: String) -> String? {
        let t = command.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("'") { return t.dropFirst().split(separator: "'").first.map(String.init) }
        return t.split(separator: " ").first.map(String.init)
    }
}
