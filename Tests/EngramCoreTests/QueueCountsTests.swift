import Foundation
import Testing

@testable import EngramCore

@Suite struct QueueCountsTests {
    @Test func countsFollowItemsFromCaptureThroughClaimToDone() async throws {
        let env = try TestEnv()
        for i in 0..<3 {
            _ = await env.runner().run(
                event: "post-tool-use",
                stdin: env.toolPayload("Bash", input: ["command": .string("echo \(i)")], response: ["stdout": .string("\(i)")]))
        }
        let e = try env.engram()
        let captured = try await QueueCounts.read(e)
        #expect(captured.waiting == 3, "\(captured)")
        #expect(captured.byStatus[.done] == 0 && captured.byStatus[.failed] == 0)
        #expect(Set(captured.byStatus.keys) == Set(QueueItem.Status.allCases), "every status is reported, zero or not")

        _ = try QueueProcessor(e).claim(max: 1, sessionID: "sess-1")
        let claimed = try await QueueCounts.read(e)
        #expect(claimed.byStatus[.processing] == 1 && claimed.waiting == 3)

        // The claimed item stays with its (live) owner; the other two are processed.
        try await QueueProcessor(e).drain()
        let drained = try await QueueCounts.read(e)
        #expect(drained.byStatus[.done] == 2 && drained.byStatus[.processing] == 1 && drained.waiting == 1, "\(drained)")
    }
}
