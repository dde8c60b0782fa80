import EngramCore
import EngramRuntime
import Foundation
internal import Hummingbird
internal import Logging
internal import ServiceLifecycle

/// The worker: Hummingbird over `$ENGRAM_HOME/worker.sock` (0600) plus the queue loop, under one
/// single-instance lock. `run()` returns when SIGTERM/SIGINT arrives, after the idle timeout, or
/// at once (`.alreadyRunning`) when another worker holds the lock.
package struct WorkerServer: Sendable {
    package enum Outcome: Sendable, Equatable {
        case stopped
        case alreadyRunning(pid: Int32?)
    }

    package let env: [String: String]
    package let version: String

    package init(env: [String: String] = ProcessInfo.processInfo.environment, version: String) {
        self.env = env
        self.version = version
    }

    package func run() async throws -> Outcome {
        let paths = EngramPaths.fromEnvironment(env)
        try paths.prepare()
        guard let lock = try WorkerLock.acquire(paths: paths) else {
            return .alreadyRunning(pid: WorkerInfo.read(paths: paths)?.pid)
        }
        // We hold the lock, so anything left at these paths belongs to a dead worker.
        lock.removeRuntimeFiles()
        defer { lock.removeRuntimeFiles() }

        let (engram, llm) = try EngramRuntime.openForWorker(env: env)
        let config = engram.config
        let state = WorkerState()
        let startedAt = engram.now
        let info = WorkerInfo(pid: getpid(), socket: paths.workerSocket.path, startedAt: startedAt, version: version)
        let compressorName = llm?.label ?? "heuristic"
        let concurrency = max(1, min(16, config.int("worker.concurrency")))
        let engine = EngramRuntime.engine(engram, encoder: EngramRuntime.encoder(engram), llm: llm)
        let drainer = QueueDrainer(
            engine: engine, state: state, concurrency: concurrency,
            laneBatch: llm == nil ? max(1, config.int("processing.batch_size")) : 4,
            pollSeconds: max(0.05, config.double("worker.poll_seconds")),
            idleTimeout: config.int("worker.idle_timeout_seconds") > 0
                ? TimeInterval(config.int("worker.idle_timeout_seconds"))
                : TimeInterval(max(1, config.int("worker.idle_timeout_minutes")) * 60),
            shutdownGrace: .seconds(5))

        let api = WorkerAPI(engine: engine, state: state, info: info, compressorName: compressorName)
        // The vector index loads in the background (0.3-0.4 s at 100k records) instead of in the first search.
        Task.detached(priority: .utility) {
            do { try engine.warmUpSearch() } catch { engram.logger.warning("worker: vector index not loaded ahead: \(error)") }
        }
        let router = Router()
        router.middlewares.add(JSONErrorMiddleware(state: state))
        api.register(on: router)

        var logger = Logger(label: "engram.worker")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: .init(address: .unixDomainSocket(path: paths.workerSocket.path), serverName: "engram-worker"),
            onServerRunning: { _ in
                _ = chmod(paths.workerSocket.path, 0o600)
                do { try info.write(paths: paths) } catch { engram.logger.error("worker: cannot write worker.info: \(error)") }
                engram.logger.info("worker: listening on \(paths.workerSocket.path) (pid \(info.pid), compressor \(compressorName))")
            },
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: app),
                    .init(service: drainer, successTerminationBehavior: .gracefullyShutdownGroup),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        engram.logger.info("worker: stopped (pid \(info.pid))")
        return .stopped
    }
}
