import Foundation

/// Runs one Claude Code hook. Never throws and never fails the agent: whatever happens,
/// the caller exits 0, prints `stdout` (a JSON answer, or nothing) and writes
/// `diagnostics` to stderr.
public struct HookRunner: Sendable {
    public enum Event: String, CaseIterable, Sendable {
        case sessionStart = "session-start"
        case userPromptSubmit = "user-prompt-submit"
        case postToolUse = "post-tool-use"
        /// A tool call that failed (a Bash command exiting non-zero, a Read of a missing file): Claude Code fires this
        /// instead of PostToolUse, with `error` and no `tool_response`.
        case postToolUseFailure = "post-tool-use-failure"
        case stop = "stop"
        case sessionEnd = "session-end"

        /// Accepts engram's names and Claude Code's (`SessionStart`, `PostToolUse`…).
        public init?(name: String) {
            if let e = Event(rawValue: name) { self = e; return }
            let folded = name.lowercased().replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "")
            guard let e = Event.allCases.first(where: { $0.rawValue.replacingOccurrences(of: "-", with: "") == folded }) else { return nil }
            self = e
        }

        var claudeName: String {
            switch self {
            case .sessionStart: "SessionStart"
            case .userPromptSubmit: "UserPromptSubmit"
            case .postToolUse: "PostToolUse"
            case .postToolUseFailure: "PostToolUseFailure"
            case .stop: "Stop"
            case .sessionEnd: "SessionEnd"
            }
        }
    }

    public struct Output: Sendable, Equatable {
        public var stdout: String?
        public var diagnostics: [String]

        public init(stdout: String?, diagnostics: [String]) {
            self.stdout = stdout
            self.diagnostics = diagnostics
        }
    }

    /// Opens the engine for a hook. The runtime passes one wired as the worker is (code intelligence, learnings
    /// deduplicated by meaning), so Stop finishes a session the same whichever process finished it; the default is
    /// the core's heuristics alone (the hook binary).
    public typealias Opener = @Sendable (_ env: [String: String], _ clock: EngramClock) throws -> Engine

    public let env: [String: String]
    public let clock: EngramClock
    let opener: Opener

    public init(
        env: [String: String] = ProcessInfo.processInfo.environment, clock: EngramClock = .system,
        opener: @escaping Opener = { env, clock in Engine(try Engram.open(env: env, clock: clock)) }
    ) {
        self.env = env
        self.clock = clock
        self.opener = opener
    }

    public func run(event name: String, stdin: Data) async -> Output {
        let ready: Ready
        switch prepare(event: name, stdin: stdin) {
        case .answered(let output): return output
        case .ready(let r): ready = r
        }
        do {
            var output = ready.event == .stop ? try await stop(ready) : try handle(ready)
            output.diagnostics += Self.configWarnings(ready.engram)
            startWorkerIfWanted(ready.engram)
            return output
        } catch {
            return failed(ready, error, stdin: stdin)
        }
    }

    /// `run` without Swift concurrency, for a hook process that must start fast (no executor threads to
    /// spin up and hand over to): every event but stop, which drains the queue asynchronously; nil for stop.
    public func runBlocking(event name: String, stdin: Data) -> Output? {
        runBlocking(event: name, stdin: stdin) { $0 }
    }

    /// `runBlocking`, handing the output to `finish` once the store is closed but while the engine is still
    /// held, so a hook process that exits inside `finish` skips tearing it down: GRDB's deinit reaches for
    /// NotificationCenter and disposes its dispatch queue on a newly started thread, ~0.5 ms of a hook.
    public func runBlocking<T>(event name: String, stdin: Data, finish: (Output) -> T) -> T? {
        if Event(name: name) == .stop { return nil }
        let ready: Ready
        switch prepare(event: name, stdin: stdin) {
        case .answered(let output): return finish(output)
        case .ready(let r): ready = r
        }
        var output: Output
        do {
            output = try handle(ready)
            output.diagnostics += Self.configWarnings(ready.engram)
            startWorkerIfWanted(ready.engram)
        } catch {
            output = failed(ready, error, stdin: stdin)
        }
        ready.engine.close()
        return withExtendedLifetime(ready) { finish(output) }
    }

    /// A hook whose input passed every check, with the engine open.
    struct Ready {
        var event: Event
        var input: HookInput
        var engine: Engine
        var engram: Engram { engine.engram }
        var sessionID: String
        var project: String
        var rawSize: Int
    }

    enum Prepared {
        /// Nothing to do (disabled, ignored project) or a reason it cannot be done.
        case answered(Output)
        case ready(Ready)
    }

    /// Everything before the event's own work: the event name, the kill switch, the input, the project's opt-outs, the store.
    func prepare(event name: String, stdin: Data) -> Prepared {
        guard let event = Event(name: name) else {
            return .answered(
                Output(
                    stdout: nil,
                    diagnostics: ["unknown hook event \"\(name)\"; expected one of: \(Event.allCases.map(\.rawValue).joined(separator: ", "))"]))
        }
        if EngramConfig.parseBool(env["ENGRAM_DISABLED"] ?? "") == true {
            return .answered(Output(stdout: nil, diagnostics: []))
        }
        let input: HookInput
        do { input = try HookInput.parse(stdin) } catch {
            return .answered(Output(stdout: nil, diagnostics: ["\(event.rawValue): ignored input: \(error.localizedDescription)"]))
        }
        guard let project = project(of: input) else { return .answered(Output(stdout: nil, diagnostics: [])) }
        let engine: Engine
        do { engine = try openWithRetry() } catch {
            // The item is kept, not dropped: the next process that opens the store ingests it.
            let kept = SpillBox(paths: EngramPaths.fromEnvironment(env)).spill(event: event.rawValue, stdin: stdin, at: clock.now())
            return .answered(
                Output(
                    stdout: nil,
                    diagnostics: [
                        "\(event.rawValue): \(kept ? "kept for later" : "lost (the disk may be full)"): \(error.localizedDescription)"
                    ]))
        }
        ingestSpilled(engine)
        return .ready(
            Ready(
                event: event, input: input, engine: engine, sessionID: input.sessionID ?? "unknown-session",
                project: project, rawSize: stdin.count))
    }

    /// The project a hook's input belongs to, or nil when capture is off there (ignored, disabled).
    func project(of input: HookInput) -> String? {
        // An empty or relative cwd says nothing about where the agent works: resolving it against this
        // process's own directory would file the item under an unrelated project.
        let project = input.cwd.map { ProjectLocator.root(for: $0) } ?? ProjectLocator.unknownProject
        if ProjectLocator.isIgnored(projectRoot: project) || ProjectLocator.isDisabled(projectRoot: project, env: env) { return nil }
        return project
    }

    /// Config problems for stderr: every hook says them while they last (capture itself goes on with defaults).
    static func configWarnings(_ engram: Engram) -> [String] {
        engram.config.problems.map { "engram: config: " + $0 }
    }

    /// Opens the store, trying again briefly when it is busy being set up or momentarily unwritable.
    func openWithRetry() throws -> Engine {
        var pause: useconds_t = 20_000
        for attempt in 1...3 {
            do { return try opener(env, clock) } catch {
                if attempt == 3 { throw error }
                usleep(pause)
                pause *= 3
            }
        }
        return try opener(env, clock)
    }

    func failed(_ ready: Ready, _ error: any Error, stdin: Data) -> Output {
        ready.engram.logger.error("hook \(ready.event.rawValue) failed: \(error)")
        if QueueProcessor.isStoreWide(error) {
            // The store could not take it (disk full, I/O): keep the item for the next process.
            let kept = SpillBox(paths: ready.engram.paths).spill(event: ready.event.rawValue, stdin: stdin, at: clock.now())
            return Output(
                stdout: nil,
                diagnostics: [
                    "\(ready.event.rawValue): \(kept ? "kept for later" : "lost (the disk may be full)"): "
                        + QueueProcessor.describe(error)
                ])
        }
        return Output(stdout: nil, diagnostics: ["\(ready.event.rawValue): \(error.localizedDescription)"])
    }

    /// Stores the hooks earlier processes had to spill, each as of when it arrived, and reports captures that
    /// could not even be spilled. Cheap when there is nothing: one `access` call.
    public func ingestSpilled(_ engine: Engine) {
        let engram = engine.engram
        let box = SpillBox(paths: engram.paths)
        guard access(box.directory.path, F_OK) == 0 else { return }
        let result = try? box.ingest { item in
            guard let event = Event(name: item.event), let input = try? HookInput.parse(item.stdin),
                let project = project(of: input)
            else { return }
            let past = engine.at(.fixed(item.at))
            let ready = Ready(
                event: event, input: input, engine: past, sessionID: input.sessionID ?? "unknown-session",
                project: project, rawSize: item.stdin.count)
            if event == .stop {
                try past.recordStop(sessionID: ready.sessionID, project: project, lastAssistantMessage: input.lastAssistantMessage)
            } else if event == .sessionStart {
                try past.startSession(ready.sessionID, project: project, source: input.source, transcript: input.transcriptPath)
            } else {
                _ = try handle(ready)
            }
        }
        guard let result, result.ingested + result.lost > 0 else { return }
        if result.lost > 0 {
            engram.logger.error("\(result.lost) captures could not be written (the disk was full or the data directory unwritable) and are lost")
        }
        engram.events.record(
            .init("capture.spill", ["ingested": .number(Double(result.ingested)), "lost": .number(Double(result.lost))]),
            to: engram.stores.events)
    }

    /// Every event but stop: short synchronous transactions.
    func handle(_ r: Ready) throws -> Output {
        let engine = r.engine
        let input = r.input
        switch r.event {
        case .sessionStart:
            try engine.startSession(r.sessionID, project: r.project, source: input.source, transcript: input.transcriptPath)
            // A broken config is said where the agent and its user look first, as well as on stderr and by doctor.
            let note =
                r.engram.config.problems.isEmpty
                ? ""
                : "engram configuration problem (capture goes on with defaults): " + r.engram.config.problems.joined(separator: " ") + "\n\n"
            // Said once, when a key inherited from Claude Code switched the LLM on (`LLMPolicy`).
            let notice = LLMPolicy.noteFromHook(paths: r.engram.paths, config: r.engram.config, env: env, now: r.engram.now)
            let text =
                try workerBriefing(engram: r.engram, sessionID: r.sessionID, project: r.project)
                ?? engine.brief(sessionID: r.sessionID, project: r.project).text
            return Output(stdout: Self.sessionStartJSON(note + (notice.map { text + "\n" + $0 + "\n" } ?? text)), diagnostics: [])

        case .userPromptSubmit:
            try engine.recordPrompt(sessionID: r.sessionID, project: r.project, prompt: input.prompt ?? "", promptID: input.promptID)
            return Output(stdout: nil, diagnostics: [])

        case .postToolUse, .postToolUseFailure:
            guard let tool = input.toolName, !tool.isEmpty else {
                return Output(stdout: nil, diagnostics: ["\(r.event.rawValue): no tool_name in input; nothing captured"])
            }
            let failure =
                r.event == .postToolUseFailure
                ? CaptureService.ToolFailure(error: input.error ?? "", isInterrupt: input.isInterrupt ?? false) : nil
            let result = try engine.recordToolUse(
                sessionID: r.sessionID, project: r.project, toolName: tool, input: input.toolInput,
                response: input.toolResponse, cwd: input.cwd, toolUseID: input.toolUseID,
                durationMs: input.durationMs, rawSize: r.rawSize,
                failure: failure, promptID: input.promptID)
            if case .skipped(let why) = result { r.engram.logger.debug("\(r.event.rawValue) skipped: \(why)") }
            return Output(stdout: nil, diagnostics: [])

        case .stop:
            // Asynchronous (it drains the queue): `run` sends stop to `stop(_:)`, `runBlocking` refuses it.
            return Output(stdout: nil, diagnostics: ["stop: needs the asynchronous runner; nothing recorded"])

        case .sessionEnd:
            try engine.closeSession(sessionID: r.sessionID, project: r.project, reason: input.reason)
            return Output(stdout: nil, diagnostics: [])
        }
    }

    /// Stop: the last assistant message, then the session's summary and learnings.
    func stop(_ r: Ready) async throws -> Output {
        let engram = r.engram, sessionID = r.sessionID
        try r.engine.recordStop(sessionID: sessionID, project: r.project, lastAssistantMessage: r.input.lastAssistantMessage)
        // A running worker summarizes (with the LLM when configured) off the agent's path.
        if let worker = askWorker(engram), (try? worker.post(WorkerRoute.summarize.path, json: ["session_id": .string(sessionID)]))?.status == 202 {
            return Output(stdout: nil, diagnostics: [])
        }
        // No worker: finished here, by the same pipeline the worker runs.
        try await r.engine.finishSession(sessionID)
        return Output(stdout: nil, diagnostics: [])
    }

    /// How long session-start and stop wait for a running worker before doing the work in-process.
    public static let workerWait: Duration = .milliseconds(300)

    /// A client for the worker when its socket exists (else nil, with no waiting at all).
    func askWorker(_ engram: Engram) -> WorkerClient? {
        guard FileManager.default.fileExists(atPath: engram.paths.workerSocket.path) else { return nil }
        return WorkerClient(paths: engram.paths, timeout: Self.workerWait)
    }

    /// The worker's briefing text, or nil when it does not answer in time.
    func workerBriefing(engram: Engram, sessionID: String, project: String) -> String? {
        guard let client = askWorker(engram) else { return nil }
        var query = URLComponents()
        query.path = WorkerRoute.context.path
        query.queryItems = [URLQueryItem(name: "project", value: project), URLQueryItem(name: "session_id", value: sessionID)]
        guard let path = query.string, let response = try? client.get(path), response.status == 200,
            let text = response.json?["text"]?.textValue
        else { return nil }
        return text
    }

    /// Starts the worker in the background when `worker.autostart` is on and this is the engram binary; never waits.
    func startWorkerIfWanted(_ engram: Engram) {
        guard engram.config.bool("worker.autostart"), let executable = WorkerLauncher.currentEngramExecutable() else { return }
        WorkerLauncher(paths: engram.paths, executable: executable).startIfNeeded(env: env)
    }

    public static func sessionStartJSON(_ context: String) -> String {
        JSONValue.object(["hookSpecificOutput": .object(["hookEventName": "SessionStart", "additionalContext": .string(context)])]).serialized()
    }
}
