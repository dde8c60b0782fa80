import EngramCore
import EngramTestSupport
import Foundation
import Testing

/// What the worker must survive: kill -9 mid-batch, a hanging LLM, and long runs (memory).
@Suite(.serialized) struct WorkerReliabilityTests {
    @Test func killedMidBatchThenRestartedEveryItemEndsDoneExactlyOnce() throws {
        let llm = try FakeLLM(); defer { llm.stop() }
        let h = try WorkerHarness(extraEnv: llm.env("anthropic_observation_slow").merging(["ENGRAM_WORKER_CONCURRENCY": "2"]) { $1 })
        defer { h.cleanup() }
        let total = 24
        try h.enqueue(total)
        let first = try h.startWorker()
        #expect(h.waitHealthy() == first.processIdentifier)
        // Mid-batch: some items are done, others are claimed and waiting on the slow model.
        let midBatch = h.waitFor(20) { () -> Bool? in
            let done = (try? h.count("SELECT COUNT(*) FROM pending_queue WHERE status = 'done'")) ?? 0
            let inFlight = (try? h.count("SELECT COUNT(*) FROM pending_queue WHERE status = 'processing'")) ?? 0
            return done >= 2 && inFlight >= 1 ? true : nil
        }
        #expect(midBatch == true)
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let leftInFlight = try h.count("SELECT COUNT(*) FROM pending_queue WHERE status = 'processing'")
        #expect(leftInFlight >= 1, "the kill left claimed items behind")
        #expect(try h.count("SELECT COUNT(*) FROM pending_queue WHERE status = 'done'") < total)

        let second = try h.startWorker()
        #expect(h.waitHealthy() == second.processIdentifier)
        let finished = h.waitFor(40) { (try? h.count("SELECT COUNT(*) FROM pending_queue WHERE status = 'done'")) == total ? true : nil }
        #expect(finished == true, "status: \((try? h.count("SELECT COUNT(*) FROM pending_queue WHERE status != 'done'")) ?? -1) not done")
        #expect(try h.count("SELECT COUNT(*) FROM observations") == total)
        #expect(try h.count("SELECT COUNT(DISTINCT queue_id) FROM observations") == total)
        #expect(try h.count("SELECT COUNT(*) FROM (SELECT queue_id FROM observations GROUP BY queue_id HAVING COUNT(*) > 1)") == 0)
        #expect(try h.count("SELECT COUNT(*) FROM observations WHERE compressor LIKE 'llm:%'") == total, "all by the model, none lost to a fallback")
        #expect(try h.count("SELECT COUNT(*) FROM event_log WHERE event_type = 'llm.usage' AND tokens_in > 0") >= total)
        kill(second.processIdentifier, SIGTERM)
        second.waitUntilExit()
    }

    @Test func sigtermMidBatchLetsInFlightItemsFinishAndLeavesTheRestQueued() throws {
        let llm = try FakeLLM(); defer { llm.stop() }
        let h = try WorkerHarness(extraEnv: llm.env("anthropic_observation_slow")); defer { h.cleanup() }
        try h.enqueue(30)
        let worker = try h.startWorker()
        #expect(h.waitHealthy() == worker.processIdentifier)
        let midBatch = h.waitFor(20) { (try? h.count("SELECT COUNT(*) FROM pending_queue WHERE status = 'processing'")) ?? 0 >= 1 ? true : nil }
        #expect(midBatch == true)
        kill(worker.processIdentifier, SIGTERM)
        worker.waitUntilExit()
        #expect(worker.terminationStatus == 0)
        #expect(try h.count("SELECT COUNT(*) FROM pending_queue WHERE status = 'processing'") == 0, "nothing left claimed")
        let done = try h.count("SELECT COUNT(*) FROM pending_queue WHERE status = 'done'")
        #expect(done >= 1 && done < 30, "stopped mid-queue (\(done) done)")
        #expect(try h.count("SELECT COUNT(*) FROM pending_queue WHERE status = 'pending'") == 30 - done)
        #expect(try h.count("SELECT COUNT(*) FROM observations") == done)
        #expect(!FileManager.default.fileExists(atPath: h.paths.workerSocket.path))
    }

    @Test func anIdleWorkerExitsByItself() throws {
        let h = try WorkerHarness(extraEnv: ["ENGRAM_WORKER_IDLE_TIMEOUT_SECONDS": "1"]); defer { h.cleanup() }
        let worker = try h.startWorker()
        #expect(h.waitHealthy() == worker.processIdentifier)
        #expect(h.waitFor(15) { worker.isRunning ? nil : true } == true, "the worker exited after its idle timeout")
        #expect(worker.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: h.paths.workerSocket.path))
        #expect(!FileManager.default.fileExists(atPath: h.paths.workerPID.path))
    }

    @Test func aHangingModelNeitherBlocksHooksNorLeaksThreadsOrProcesses() throws {
        let llm = try FakeLLM(); defer { llm.stop() }
        var extra = llm.env("anthropic_hanging")
        extra["ENGRAM_LLM_TIMEOUT_SECONDS"] = "0.5"
        extra["ENGRAM_LLM_MAX_RETRIES"] = "0"
        extra["ENGRAM_PROCESSING_MAX_ATTEMPTS"] = "10"
        let h = try WorkerHarness(extraEnv: extra); defer { h.cleanup() }
        try h.enqueue(4)
        let worker = try h.startWorker()
        let pid = try #require(h.waitHealthy())
        // The first timeouts: items are stored heuristically (nothing lost) and kept raw for the model.
        let deferred = h.waitFor(20) { (try? h.count("SELECT COUNT(*) FROM pending_queue WHERE status = 'raw'")) == 4 ? true : nil }
        #expect(deferred == true)
        #expect(try h.count("SELECT COUNT(*) FROM observations WHERE compressor = 'heuristic'") == 4)
        let threadsBefore = WorkerHarness.threads(pid), childrenBefore = WorkerHarness.children(pid)

        // A hook while the model hangs: it completes and captures.
        let hook = try h.run(
            ["hook", "post-tool-use"],
            stdin: h.hookPayload(
                "PostToolUse", session: "s1",
                [
                    "tool_name": "Bash", "tool_input": ["command": "echo during-hang"], "tool_response": ["stdout": "during-hang"],
                    "tool_use_id": "toolu_h",
                ]))
        #expect(hook.status == 0 && hook.stderr.isEmpty && hook.stdout.isEmpty)
        #expect(try h.count("SELECT COUNT(*) FROM pending_queue") == 5)

        // Retried with backoff: every item goes back to the model at least twice.
        let retried = h.waitFor(25) { (try? h.count("SELECT COUNT(*) FROM pending_queue WHERE attempts >= 2 AND id <= 4")) == 4 ? true : nil }
        #expect(retried == true)
        let threadsAfter = WorkerHarness.threads(pid), childrenAfter = WorkerHarness.children(pid)
        #expect(childrenBefore == 0 && childrenAfter == 0)
        // A thread per stuck request would add at least 4 here; allow the runtime a couple of lazily started ones.
        #expect(threadsAfter <= threadsBefore + 2, "threads \(threadsBefore) → \(threadsAfter)")
        #expect(try h.count("SELECT COUNT(*) FROM observations") == 5, "each item is still exactly one observation")
        print("hanging-llm: threads \(threadsBefore) → \(threadsAfter), children \(childrenBefore) → \(childrenAfter)")
        kill(worker.processIdentifier, SIGTERM)
        worker.waitUntilExit()
        #expect(worker.terminationStatus == 0)
    }

    @Test func residentMemoryStaysFlatOverTenThousandItems() throws {
        let h = try WorkerHarness(); defer { h.cleanup() }
        let worker = try h.startWorker()
        let pid = try #require(h.waitHealthy())
        try bulkEnqueue(h, from: 0, count: 1_000)
        _ = try h.client.post("/api/process")
        #expect(h.waitFor(60) { (try? h.count("SELECT COUNT(*) FROM observations")) == 1_000 ? true : nil } == true)
        let rss1k = try #require(WorkerHarness.rssKB(pid))
        try bulkEnqueue(h, from: 1_000, count: 9_000)
        _ = try h.client.post("/api/process")
        #expect(h.waitFor(120) { (try? h.count("SELECT COUNT(*) FROM observations")) == 10_000 ? true : nil } == true)
        let rss10k = try #require(WorkerHarness.rssKB(pid))
        print("worker RSS: \(rss1k / 1024) MB after 1k items, \(rss10k / 1024) MB after 10k items")
        // Nine times the work; a per-item leak of even 2 KB would add 18 MB.
        #expect(rss10k - rss1k < 16 * 1024, "RSS grew from \(rss1k) kB to \(rss10k) kB")
        kill(worker.processIdentifier, SIGTERM)
        worker.waitUntilExit()
    }

    /// Inserts queue rows directly (one transaction): the capture path is not what is measured here.
    func bulkEnqueue(_ h: WorkerHarness, from: Int, count: Int) throws {
        let now = Timestamp.format(Date())
        try h.db().write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO sessions (id, project, started_at, updated_at) VALUES ('bulk', ?, ?, ?)",
                arguments: [h.project.path, now, now])
            for i in from..<(from + count) {
                let payload = JSONValue.object([
                    "tool_name": "Bash", "cwd": .string(h.project.path),
                    "tool_input": .object(["command": .string("grep -rn needle-\(i) src/")]),
                    "tool_response": .object([
                        "stdout": .string("src/a.py:\(i): needle-\(i) = compute(\(i))\nsrc/b.py:3: import needle"), "stderr": "",
                    ]),
                ]).serialized()
                try db.execute(
                    sql: """
                        INSERT INTO pending_queue (created_at, updated_at, session_id, project, hook_type, tool_name, payload, raw_size_bytes, status)
                        VALUES (?, ?, 'bulk', ?, 'PostToolUse', 'Bash', ?, ?, 'pending')
                        """, arguments: [now, now, h.project.path, payload, payload.utf8.count])
            }
        }
    }
}
