import EngramCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Hands a hook to the full `engram` binary by replacing this process with `engram hook <event>`,
/// so stdin, stdout, stderr and the environment pass through untouched.
enum HookHandover {
    /// Returns only when the full binary cannot be run; the caller then handles the hook itself, `without`
    /// saying what it lacks (code intelligence, which only the full binary carries, by default).
    static func execFullBinary(event: String, without: String = "without code intelligence") {
        guard let engram = WorkerLauncher.currentEngramExecutable(), engram.lastPathComponent == "engram" else {
            FileHandle.standardError.write(Data("engram: no `engram` binary beside engram-hook; running \(event) \(without)\n".utf8))
            return
        }
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(engram.path), strdup("hook"), strdup(event), nil]
        execv(engram.path, argv)
        let reason = String(cString: strerror(errno))
        FileHandle.standardError.write(Data("engram: could not run \(engram.path) (\(reason)); running \(event) \(without)\n".utf8))
    }

    /// Runs a hook that needs Swift concurrency (stop, when the full binary is missing) and waits for it:
    /// the main thread blocks while the task runs on the concurrency runtime's own threads.
    static func runAsync(event: String, stdin: Data) -> HookRunner.Output {
        let result = OutputBox()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            result.set(await HookRunner().run(event: event, stdin: stdin))
            done.signal()
        }
        done.wait()
        return result.get() ?? HookRunner.Output(stdout: nil, diagnostics: ["\(event): did not finish"])
    }
}

/// The hand-over slot between the task and the waiting main thread.
private final class OutputBox: @unchecked Sendable {
    private let lock = NSLock()
    private var output: HookRunner.Output?
    func set(_ o: HookRunner.Output) { lock.lock(); output = o; lock.unlock() }
    func get() -> HookRunner.Output? { lock.lock(); defer { lock.unlock() }; return output }
}
