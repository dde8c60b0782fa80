import ArgumentParser
import EngramCommandLine
import EngramCore
import EngramSandbox
import Foundation

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run Python in engram's sandbox.",
        subcommands: [SandboxExecCommand.self]
    )
}

struct SandboxExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a Python file in the sandbox and report how it ended.",
        discussion: """
            The file runs in a fresh interpreter (python3 -I -S, or ENGRAM_SANDBOX_PYTHON) in new user, PID, mount, network, IPC
            and UTS namespaces: no network, a private size-limited temp dir as cwd and /tmp (the only writable place, gone after
            the run), the rest of the filesystem read-only with home directories, /root, /etc/shadow and engram's data dir
            hidden, rlimits, no_new_privs and a seccomp filter. The wall limit kills every process the job started.
            Defaults: 5 s wall, 2 s CPU, 256 MB, 16 processes, 10 MB of output, 64 MB written.
            Where the kernel forbids the namespaces the run is refused; ENGRAM_SANDBOX_ISOLATION=rlimits runs a weaker mode.
            Exit 0 when the job exited 0, 1 otherwise (with --json: after printing the result).
            """
    )

    @Argument(help: "The Python file to run.") var file: String
    @Option(name: .long, help: "Wall-clock limit in seconds (default 5).") var timeout: Double?
    @Option(name: .customLong("memory-mb"), help: "Address-space limit in MB (default 256).") var memoryMB: Int?
    @Option(name: .customLong("cpu-seconds"), help: "CPU-time limit in seconds (default 2).") var cpuSeconds: Int?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds.") }
        if let memoryMB, memoryMB < 1 { throw ValidationError("--memory-mb must be at least 1.") }
        if let cpuSeconds, cpuSeconds < 1 { throw ValidationError("--cpu-seconds must be at least 1.") }
    }

    func run() async throws {
        let result: SandboxResult = try await guarded {
            let path = (file as NSString).expandingTildeInPath
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SandboxCommandError.unreadable(file)
            }
            guard let source = String(data: data, encoding: .utf8) else { throw SandboxCommandError.notUTF8(file) }
            let config = try SandboxConfiguration.fromEnvironment(engramHome: EngramPaths.fromEnvironment().home.path)
            var limits = config.defaultLimits
            if let timeout { limits.wallSeconds = timeout }
            if let memoryMB { limits.memoryMB = memoryMB }
            if let cpuSeconds { limits.cpuSeconds = cpuSeconds }
            return await SandboxRunner(configuration: config).runDetached(SandboxJob(source: source), limits: limits)
        }
        if output.json {
            try Terminal.printJSON(result)
        } else {
            FileHandle.standardOutput.write(Data(result.stdout.utf8))
            FileHandle.standardError.write(Data(result.stderr.utf8))
            if result.status != .ok {
                Terminal.printErr("engram: sandbox: \(result.status.rawValue): \(result.reason ?? "")")
            }
        }
        if result.status != .ok { throw ExitCode.failure }
    }
}

enum SandboxCommandError: LocalizedError {
    case unreadable(String)
    case notUTF8(String)

    var errorDescription: String? {
        switch self {
        case .unreadable(let f): "Cannot read \(f): give the path of a Python file."
        case .notUTF8(let f): "\(f) is not UTF-8 text: give a Python source file."
        }
    }
}
