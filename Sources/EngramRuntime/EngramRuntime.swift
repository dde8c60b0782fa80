import EngramAI
import EngramCore
import Foundation

/// Assembles the engine with everything beyond the core — code intelligence, LLM
/// compression, embeddings — so the CLI, the worker and the MCP server are wired alike.
/// EngramCore knows none of these modules; this is the one place that knows them all.
public enum EngramRuntime {
    /// Opens the data directory named by the environment, wired for in-process work:
    /// heuristics only, no network (hooks and the CLI's `process` must never wait on a model).
    public static func open(env: [String: String] = ProcessInfo.processInfo.environment, mode: EngramStore.Mode = .queue,
                            clock: EngramClock = .system, logToStderr: Bool = false) throws -> Engram {
        let engram = try Engram.open(env: env, mode: mode, clock: clock, logToStderr: logToStderr)
        return wire(engram)
    }

    /// Adds the observers every processing path runs.
    public static func wire(_ engram: Engram) -> Engram {
        var e = engram
        e.observers = observers(for: engram)
        return e
    }

    static func observers(for engram: Engram) -> [any ObservationObserver] {
        [CodeTracker(engram)]
    }

    /// The hook opener for `HookRunner`.
    public static let hookOpener: HookRunner.Opener = { env, clock in try open(env: env, clock: clock) }
}
