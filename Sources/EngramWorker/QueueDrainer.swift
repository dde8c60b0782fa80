import EngramCore
import Foundation
internal import Logging
internal import ServiceLifecycle

/// Drains pending_queue with bounded concurrency: `concurrency` lanes each claim a small batch
/// through `QueueProcessor` (leases, at-most-once, retries with backoff), and when the queue is
/// empty the loop sleeps until POST /api/process wakes it or `pollSeconds` pass. It returns
/// (ending the worker) after `idleTimeout` without activity or when the data directory is gone.
struct QueueDrainer: Service {
    let engine: Engine
    var engram: Engram { engine.engram }
    let state: WorkerState
    let concurrency: Int
    let laneBatch: Int
    let pollSeconds: Double
    let idleTimeout: TimeInterval
    /// How long in-flight items may finish after SIGTERM before their tasks are cancelled (they stay leased, then pending).
    let shutdownGrace: Duration

    func run() async throws {
        let released = (try? engine.releaseAbandoned()) ?? 0
        if released > 0 { engram.logger.info("worker: resumed \(released) item(s) a previous worker left in processing") }
        let loop = Task { await self.loop() }
        await withGracefulShutdownHandler {
            await loop.value
        } onGracefulShutdown: {
            let grace = shutdownGrace
            Task {
                await state.stop()
                try? await Task.sleep(for: grace)
                loop.cancel()
            }
        }
    }

    func loop() async {
        while !Task.isCancelled, !(await state.stopping) {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<concurrency {
                    group.addTask { await lane() }
                }
            }
            if await state.stopping || Task.isCancelled { break }
            let lastActivity = await state.lastActivity
            if Date().timeIntervalSince(lastActivity) >= idleTimeout {
                engram.logger.info("worker: idle for \(Int(idleTimeout)) s, exiting")
                break
            }
            if !FileManager.default.fileExists(atPath: engram.paths.home.path) {
                engram.logger.info("worker: data directory removed, exiting")
                break
            }
            await state.wait(seconds: pollSeconds)
        }
    }

    /// Claims and processes batches until the queue has nothing claimable or the worker stops.
    func lane() async {
        while !Task.isCancelled, !(await state.stopping) {
            do {
                let stats = try await engine.process(limit: laneBatch)
                if stats.total == 0 { return }
                await state.didProcess(stats.processed + stats.upgraded)
            } catch {
                engram.logger.error("worker: queue processing failed: \(error)")
                return
            }
        }
    }
}
