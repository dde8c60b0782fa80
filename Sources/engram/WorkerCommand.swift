import ArgumentParser
import EngramCommandLine
import EngramCore
import EngramWorker
import Foundation

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run the background worker (LLM compression, summaries, learnings) on $ENGRAM_HOME/worker.sock.",
        subcommands: [Start.self, Stop.self, Status.self]
    )

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start the worker (in the background unless --foreground); exits 0 if one is already running.")

        @Flag(help: "Run in this process until SIGTERM, SIGINT or the idle timeout.")
        var foreground = false

        func run() async throws {
            try await guarded {
                if foreground {
                    switch try await WorkerServer(version: EngramVersion.current).run() {
                    case .alreadyRunning(let pid):
                        print("engram worker already running\(pid.map { " (pid \($0))" } ?? "")")
                    case .stopped:
                        break
                    }
                    return
                }
                guard let exe = WorkerLauncher.currentEngramExecutable() ?? Bundle.main.executableURL else {
                    throw WorkerError.didNotStart("(cannot locate the engram binary)")
                }
                switch try WorkerControl().startInBackground(executable: exe) {
                case .started(let pid): print("engram worker started (pid \(pid))")
                case .alreadyRunning(let pid): print("engram worker already running\(pid.map { " (pid \($0))" } ?? "")")
                }
            }
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the worker gracefully (SIGTERM); in-flight items stay queued.")

        func run() async throws {
            try await guarded {
                if let pid = try WorkerControl().stop() {
                    print("engram worker stopped (pid \(pid))")
                } else {
                    print("engram worker is not running")
                }
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show whether the worker runs, its pid, socket and queue.")

        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await guarded {
                let s = WorkerControl().status()
                if output.json {
                    try Terminal.printJSON(s)
                    return
                }
                guard s.running else {
                    print("engram worker is not running" + (s.stale ? " (stale files of a dead worker remain; the next start removes them)" : ""))
                    return
                }
                print("engram worker running (pid \(s.pid.map(String.init) ?? "?"))")
                print("  socket:     \(s.socket)")
                if let started = s.startedAt { print("  started:    \(started)") }
                if let h = s.health {
                    print("  compressor: \(h["compressor"]?.textValue ?? "?")")
                    if case .object(let q)? = h["queue"] {
                        print("  queue:      " + q.keys.sorted().map { "\($0) \(q[$0]?.intValue ?? 0)" }.joined(separator: ", "))
                    }
                } else {
                    print("  (it did not answer /health in time)")
                }
            }
        }
    }
}
