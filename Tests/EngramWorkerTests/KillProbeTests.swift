import EngramCore
import EngramTestSupport
import Foundation
import GRDB
import Testing

/// Crash probes with real processes and SIGKILL: a killed `engram process` never strands its items for the
/// lease, and a killed worker is replaced by the next hook. Counts are printed for the CI log.
@Suite(.serialized) struct KillProbeTests {
    /// `engram process` killed at random moments, again and again; the next run finishes the queue at once:
    /// items a dead owner left `processing` are taken back without waiting out the 5-minute lease.
    @Test func killedProcessorsStrandNothing() throws {
        let h = try WorkerHarness(); defer { h.cleanup() }
        var items = 120
        try h.enqueue(items)
        var kills = 0, stranded = 0, rounds = 0
        let db = try h.db()
        // At least 8 rounds, and more (up to 40) until a kill has landed while items were claimed: on an idle machine a
        // processor can finish its 40 items before the poll below sees one `processing`.
        while rounds < 8 || (stranded == 0 && rounds < 40) {
            if try h.count("SELECT count(*) FROM pending_queue WHERE status != 'done'") < 40 {
                try h.enqueue(40, offset: items)
                items += 40
            }
            let (p, out, err) = try h.start(["process", "--limit", "40"])
            // Half the kills land while items are claimed (seen `processing`), the others at whatever moment.
            if rounds % 2 == 0 {
                _ = h.waitFor(20) {
                    !p.isRunning
                        || ((try? db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM pending_queue WHERE status = 'processing'") }) ?? 0) > 0
                        ? true : nil
                }
            } else {
                usleep(UInt32.random(in: 1_000...200_000))
            }
            if p.isRunning { kill(p.processIdentifier, SIGKILL); kills += 1 }
            _ = WorkerHarness.finish(p, out, err)
            stranded += try h.count("SELECT count(*) FROM pending_queue WHERE status = 'processing'")
            rounds += 1
        }
        let last = try h.run(["process"])
        #expect(last.status == 0, "\(last.stderr)")
        let observations = try h.count("SELECT count(*) FROM observations")
        let distinct = try h.count("SELECT count(DISTINCT queue_id) FROM observations")
        let notDone = try h.count("SELECT count(*) FROM pending_queue WHERE status != 'done'")
        print(
            "kill probes: \(kills) of \(rounds) processors SIGKILLed, \(stranded) claimed items left behind by them, \(observations) observations for \(items) items"
        )
        #expect(observations == items && distinct == items, "each item exactly once")
        #expect(notDone == 0, "items stranded until their lease ran out")
        #expect(stranded > 0, "no kill landed while items were claimed: the probe tested nothing")
    }

    /// A SIGKILLed worker leaves its socket behind; the next hook with autostart on sees that nothing answers
    /// and no one holds the worker lock, removes the leftovers and starts a worker.
    @Test func aKilledWorkerIsReplacedByTheNextHook() throws {
        let h = try WorkerHarness(extraEnv: ["ENGRAM_WORKER_AUTOSTART": "1"]);
        defer {
            _ = try? h.run(["worker", "stop"])
            h.cleanup()
        }
        let first = try h.startWorker()
        let pid = try #require(h.waitHealthy())
        #expect(pid == first.processIdentifier)
        kill(pid, SIGKILL)
        first.waitUntilExit()
        #expect(FileManager.default.fileExists(atPath: h.paths.workerSocket.path), "the killed worker left its socket")
        let hook = try h.run(
            ["hook", "post-tool-use"],
            stdin: h.hookPayload(
                "PostToolUse", session: "s1",
                [
                    "tool_name": "Bash", "tool_input": ["command": "echo after-kill"], "tool_response": ["stdout": "ok"],
                ]))
        #expect(hook.status == 0, "\(hook.stderr)")
        let replacement = h.waitHealthy(within: 20)
        #expect(replacement != nil && replacement != pid, "no worker came back after the kill")
        // The new worker drains what the hook queued.
        #expect(h.waitFor(20) { (try? h.count("SELECT count(*) FROM pending_queue WHERE status = 'done'")) == 1 ? true : nil } == true)
    }
}
