import Foundation
import GRDB
import Testing

@testable import EngramCore

/// Captures that cannot reach the store are kept (spilled) or, when even that fails, counted; both come out
/// the next time a process opens the store.
@Suite struct SpillBoxTests {
    @Test func spilledHooksAreIngestedOnceAsOfWhenTheyArrived() async throws {
        let env = try TestEnv()
        let paths = EngramPaths(home: env.home)
        let box = SpillBox(paths: paths)
        let arrived = Date(timeIntervalSince1970: 1_790_000_000.250)
        let payload = env.toolPayload("Bash", input: ["command": .string("echo spilled")], response: ["stdout": "spilled"])
        #expect(box.spill(event: "post-tool-use", stdin: payload, at: arrived))
        #expect(box.pending().spilled == 1)
        // Two processes opening the store at once: the claim by rename lets only one ingest it.
        let e1 = try env.engram(), e2 = try env.engram()
        async let a: Void = env.runner().ingestSpilled(Engine(e1))
        async let b: Void = env.runner().ingestSpilled(Engine(e2))
        _ = await (a, b)
        let rows = try await e1.store.writer.read { db in try Row.fetchAll(db, sql: "SELECT created_at, payload FROM pending_queue") }
        #expect(rows.count == 1)
        #expect((rows.first?["created_at"] as String?) == Timestamp.format(arrived))
        #expect(box.pending().spilled == 0)
    }

    /// What cannot even be spilled (here: too big for a spill file) is counted, reported once space is back
    /// (an event the eval report sums) and the count cleared.
    @Test func capturesThatCouldNotBeKeptAreCountedAndReported() async throws {
        let env = try TestEnv()
        let paths = EngramPaths(home: env.home)
        let box = SpillBox(paths: paths)
        #expect(!box.spill(event: "post-tool-use", stdin: Data(count: SpillBox.maxBytes + 1), at: Date()))
        #expect(!box.spill(event: "post-tool-use", stdin: Data(count: SpillBox.maxBytes + 1), at: Date()))
        #expect(box.pending().lost == 2)
        let e = try env.engram()
        env.runner().ingestSpilled(Engine(e))
        #expect(box.pending().lost == 0)
        let lost = try await e.store.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT json_extract(data, '$.lost') FROM event_log WHERE event_type = 'capture.spill'")
        }
        #expect(lost == 2)
    }

    /// Identifiers are bounded before they are copied anywhere; distinct long ids stay distinct.
    @Test func longIdentifiersAreBoundedAndRelativePathsDropped() throws {
        let a = HookInput([
            "session_id": .string(String(repeating: "a", count: 1 << 20)), "cwd": "relative/dir",
            "transcript_path": "", "tool_name": .string(String(repeating: "T", count: 10_000)),
        ])
        let b = HookInput(["session_id": .string(String(repeating: "a", count: 1 << 20) + "b"), "cwd": "/abs/dir"])
        #expect((a.sessionID?.utf8.count ?? 0) <= 128 && a.sessionID != b.sessionID)
        #expect(a.cwd == nil && a.transcriptPath == nil && b.cwd == "/abs/dir")
        #expect((a.toolName?.utf8.count ?? 0) <= 128)
        let uuid = "0b9f7c1e-3a2d-4c5b-8e6f-1a2b3c4d5e6f"
        #expect(HookInput(["session_id": .string(uuid)]).sessionID == uuid)
        #expect(HookInput.bounded("héllo wörld", 2) == "h")
    }
}
