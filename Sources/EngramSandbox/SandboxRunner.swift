internal import CEngramSandbox
import Foundation

/// Runs Python programs in the sandbox: every `engram sandbox exec` and every function run goes through here.
///
/// A run is a fresh interpreter in new namespaces (see CEngramSandbox.c for the steps); nothing is shared between
/// runs. `run` blocks its thread for at most about the wall limit; `runDetached` waits without holding a thread of
/// Swift's cooperative pool.
package struct SandboxRunner: Sendable {
    package let configuration: SandboxConfiguration

    package init(configuration: SandboxConfiguration = SandboxConfiguration()) {
        self.configuration = configuration
    }

    /// Runs `job` under `limits` (the configuration's defaults when nil), refusing limits above the ceilings.
    package func run(_ job: SandboxJob, limits: SandboxLimits? = nil) -> SandboxResult {
        let isolation = configuration.isolation
        let limits = limits ?? configuration.defaultLimits
        if let violation = limits.violation(of: configuration.ceilings) {
            return .refused("The run asked for \(violation); ask for less or raise the sandbox ceiling.", isolation: isolation)
        }
        for name in job.files.keys where !Self.isPlainName(name) || name == SandboxJob.programName {
            return .refused(
                "A job file is named \"\(name)\": use a plain file name other than \(SandboxJob.programName).",
                isolation: isolation)
        }
        let interpreter: [String]
        let readOnly: [String]
        switch resolveInterpreter() {
        case .success(let resolved): (interpreter, readOnly) = resolved
        case .failure(let problem): return .refused(problem.reason, isolation: isolation)
        }

        let uid: UInt32, gid: UInt32
        if geteuid() == 0 {
            (uid, gid) = (configuration.unprivilegedUID, configuration.unprivilegedGID)
        } else {
            (uid, gid) = (getuid(), getgid())
        }

        var workdir: String?
        if isolation == .rlimitsOnly {
            // The weaker mode has no private tmpfs: a fresh host directory, owned by the job, removed afterwards.
            var template = Array((NSTemporaryDirectory() + "/engram-sandbox-XXXXXX").utf8CString)
            guard let made = mkdtemp(&template) else {
                return .refused("Could not create a temp directory: \(String(cString: strerror(errno))).", isolation: isolation)
            }
            let path = String(cString: made)
            if geteuid() == 0 { chown(path, uid, gid) }
            workdir = path
        }
        defer { if let workdir { try? FileManager.default.removeItem(atPath: workdir) } }

        let programPath = isolation == .namespaces ? "/tmp/" + SandboxJob.programName : workdir! + "/" + SandboxJob.programName
        let argv = interpreter + [programPath] + job.arguments
        let home = isolation == .namespaces ? "/tmp" : workdir!
        let env = ["PATH=/usr/local/bin:/usr/bin:/bin", "HOME=\(home)", "TMPDIR=\(home)", "LANG=C.UTF-8", "LC_ALL=C.UTF-8"]
        var files = [(SandboxJob.programName, job.source)]
        files += job.files.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }

        var raw = engram_sandbox_result()
        let arena = CStringArena()
        defer { arena.free() }
        let cArgv = arena.array(argv)
        let cEnv = arena.array(env)
        let cReadOnly = arena.array(readOnly)
        let cHidden = arena.array(configuration.hiddenPaths.filter { !$0.isEmpty })
        var cFiles = files.map { name, text in
            let bytes = arena.bytes(Array(text.utf8))
            return engram_sandbox_file(name: arena.string(name), data: bytes.pointer, length: bytes.count)
        }
        let cWorkdir = workdir.map { arena.string($0) }
        let rc = cFiles.withUnsafeMutableBufferPointer { filesBuffer -> Int32 in
            var config = engram_sandbox_config()
            config.argv = UnsafePointer(cArgv)
            config.envp = UnsafePointer(cEnv)
            config.files = UnsafePointer(filesBuffer.baseAddress)
            config.file_count = filesBuffer.count
            config.readonly_paths = UnsafePointer(cReadOnly)
            config.readonly_count = readOnly.count
            config.hidden_paths = UnsafePointer(cHidden)
            config.hidden_count = configuration.hiddenPaths.filter { !$0.isEmpty }.count
            config.host_workdir = cWorkdir.map { UnsafePointer($0) }
            config.isolation = Int32(isolation == .namespaces ? ENGRAM_SANDBOX_NAMESPACES.rawValue : ENGRAM_SANDBOX_RLIMITS_ONLY.rawValue)
            config.wall_seconds = limits.wallSeconds
            config.cpu_seconds = UInt32(limits.cpuSeconds)
            config.memory_bytes = UInt64(limits.memoryMB) << 20
            config.max_processes = UInt32(limits.processes)
            config.max_output_bytes = UInt64(limits.outputBytes)
            config.max_written_bytes = UInt64(limits.writtenBytes)
            config.max_open_files = UInt32(limits.openFiles)
            config.job_uid = uid
            config.job_gid = gid
            return engram_sandbox_run(&config, &raw)
        }
        defer { engram_sandbox_result_free(&raw) }
        guard rc == 0 else { return .refused("The sandbox rejected its arguments.", isolation: isolation) }
        return SandboxOutcome(raw: raw, limits: limits, isolation: isolation).result
    }

    /// `run` on a thread of its own, so an async caller does not hold one of Swift's cooperative threads for seconds.
    package func runDetached(_ job: SandboxJob, limits: SandboxLimits? = nil) async -> SandboxResult {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: self.run(job, limits: limits)) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("/") && name != "." && name != ".." && !name.contains("\0")
    }

    /// The interpreter's command line with an absolute program path, and the read-only paths with the interpreter's
    /// own installation added when it lives outside them.
    func resolveInterpreter() -> Result<([String], [String]), InterpreterProblem> {
        guard var program = configuration.interpreter.first, !program.isEmpty else {
            return .failure(InterpreterProblem("No interpreter is configured; set ENGRAM_SANDBOX_PYTHON, e.g. to /usr/bin/python3 -I -S."))
        }
        if !program.contains("/") {
            guard
                let found = SandboxConfiguration.interpreterSearchPath.map({ $0 + "/" + program })
                    .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
            else {
                return .failure(
                    InterpreterProblem(
                        "No \(program) in \(SandboxConfiguration.interpreterSearchPath.joined(separator: ", ")); install Python 3 or set ENGRAM_SANDBOX_PYTHON to its absolute path."
                    ))
            }
            program = found
        }
        guard program.hasPrefix("/"), FileManager.default.isExecutableFile(atPath: program) else {
            return .failure(InterpreterProblem("The interpreter \(program) is not an executable file; set ENGRAM_SANDBOX_PYTHON to one."))
        }
        let real = (program as NSString).resolvingSymlinksInPath
        var readOnly = configuration.readOnlyPaths
        if configuration.isolation == .namespaces {
            if let hidden = configuration.hiddenPaths.first(where: { Self.path(real, isUnder: $0) }) {
                return .failure(
                    InterpreterProblem(
                        "The interpreter \(program) lives under \(hidden), which the sandbox hides; set ENGRAM_SANDBOX_PYTHON to a system Python such as /usr/bin/python3."
                    ))
            }
            let visible = readOnly.contains { Self.path(real, isUnder: ($0 as NSString).resolvingSymlinksInPath) }
            if !visible {
                // A Python installed under its own prefix (/opt/python3.12/bin/python3): show that prefix.
                let bin = (real as NSString).deletingLastPathComponent
                readOnly.append((bin as NSString).lastPathComponent == "bin" ? (bin as NSString).deletingLastPathComponent : bin)
            }
        }
        return .success(([program] + configuration.interpreter.dropFirst(), readOnly))
    }

    static func path(_ path: String, isUnder root: String) -> Bool {
        let root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        return path == root || path.hasPrefix(root == "/" ? "/" : root + "/")
    }
}

/// Why the interpreter cannot be used.
struct InterpreterProblem: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
