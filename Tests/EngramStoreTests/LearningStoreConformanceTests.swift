import EngramModel
import Foundation
import Testing

/// What every `LearningStore` promises: decisions made inside the transaction, soft deletes, project scope, order.
@Suite struct LearningStoreConformanceTests {
    func learning(_ content: String, project: String? = "/p", confidence: Double = 0.5, seen: Int = 1, active: Bool = true) -> LearningRecord {
        LearningRecord(
            id: nil, project: project, createdAt: "2026-12-01T10:00:00.000Z", updatedAt: "2026-12-01T10:00:00.000Z",
            category: "gotcha", content: content, confidence: confidence, timesSeen: seen, sourceSessions: "[]",
            isManual: false, isActive: active)
    }

    func add(_ store: any LearningStore, _ record: LearningRecord) throws -> LearningRecord {
        try store.amend(project: record.project) { _ in
            .insert(record) { EngramEvent("learning.extracted", ["learning_id": .number(Double($0.id ?? 0))], project: $0.project) }
        }.learning
    }

    @Test(arguments: Backend.available) func anInsertGetsAnIdAndItsEventSeesIt(_ backend: Backend) throws {
        let store = try backend.make().learnings
        let written = try store.amend(project: "/p") { active in
            #expect(active.isEmpty)
            return .insert(learning("run the migrations before the tests")) { stored in
                EngramEvent("learning.extracted", ["learning_id": .number(Double(stored.id ?? 0))])
            }
        }
        let id = try #require(written.learning.id)
        #expect(written.event?.data == ["learning_id": .number(Double(id))])
        #expect(try store.learning(id)?.content == "run the migrations before the tests")
        #expect(try store.learning(id + 1000) == nil)
    }

    @Test(arguments: Backend.available) func amendSeesOnlyActiveLearningsOfExactlyThatProject(_ backend: Backend) throws {
        let store = try backend.make().learnings
        let own = try add(store, learning("own"))
        _ = try add(store, learning("global", project: nil))
        _ = try add(store, learning("other", project: "/other"))
        let gone = try add(store, learning("forgotten"))
        _ = try store.modify(try #require(gone.id), now: "2026-12-01T11:00:00.000Z") {
            $0.isActive = false; return nil
        }
        var seen: [String] = []
        _ = try store.amend(project: "/p") { active in
            seen = active.map(\.content)
            return .update(active[0], event: nil)
        }
        #expect(seen == [own.content])
        var global: [String] = []
        _ = try store.amend(project: nil) { active in
            global = active.map(\.content); return .update(active[0], event: nil)
        }
        #expect(global == ["global"])
    }

    @Test(arguments: Backend.available) func aFailedDecisionWritesNothing(_ backend: Backend) throws {
        struct Refused: Error {}
        let store = try backend.make().learnings
        #expect(throws: Refused.self) { try store.amend(project: "/p") { _ in throw Refused() } }
        #expect(try store.list(project: "/p", includeInactive: true, limit: 10).isEmpty)
        var ghost = learning("never stored")
        ghost.id = 4242
        #expect(throws: (any Error).self) { try store.amend(project: "/p") { _ in .update(ghost, event: nil) } }
        #expect(try store.learning(4242) == nil)
    }

    @Test(arguments: Backend.available) func concurrentAmendsDecideOneAfterTheOther(_ backend: Backend) async throws {
        let store = try backend.make().learnings
        // Every writer adds "the same lesson" only if no active learning has that text: one must win, the others see it.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    _ = try store.amend(project: "/p") { active in
                        if let existing = active.first(where: { $0.content == "the same lesson" }) {
                            var seen = existing
                            seen.timesSeen += 1
                            return .update(seen, event: nil)
                        }
                        return .insert(learning("the same lesson")) { EngramEvent("learning.extracted", project: $0.project) }
                    }
                }
            }
            try await group.waitForAll()
        }
        let all = try store.list(project: "/p", includeInactive: true, limit: 10)
        #expect(all.count == 1)
        #expect(all.first?.timesSeen == 8)
    }

    @Test(arguments: Backend.available) func modifyChangesOneLearningAndStampsIt(_ backend: Backend) throws {
        let store = try backend.make().learnings
        let l = try add(store, learning("flaky test in billing"))
        let id = try #require(l.id)
        let written = try store.modify(id, now: "2026-12-02T09:00:00.000Z") { rec in
            rec.confidence = 1.0
            rec.id = 999 // the id is not the change's to make
            return EngramEvent("learning.reinforced", ["confidence": .number(rec.confidence)])
        }
        #expect(written?.learning.id == id)
        #expect(written?.event?.type == "learning.reinforced")
        let back = try #require(try store.learning(id))
        #expect(back.confidence == 1.0 && back.updatedAt == "2026-12-02T09:00:00.000Z")
        #expect(try store.modify(id + 77, now: "2026-12-02T09:00:00.000Z") { _ in nil } == nil)
    }

    @Test(arguments: Backend.available) func listIsScopedAndOrderedActiveFirstThenByConfidenceAndSeen(_ backend: Backend) throws {
        let store = try backend.make().learnings
        let low = try add(store, learning("low", confidence: 0.5))
        let high = try add(store, learning("high", confidence: 0.95))
        let seenMore = try add(store, learning("seen more", confidence: 0.5, seen: 4))
        let global = try add(store, learning("global", project: nil, confidence: 0.7))
        let other = try add(store, learning("other", project: "/other", confidence: 1.0))
        let inactive = try add(store, learning("inactive", confidence: 1.0))
        _ = try store.modify(try #require(inactive.id), now: "2026-12-01T11:00:00.000Z") {
            $0.isActive = false; return nil
        }

        #expect(try store.list(project: "/p", includeInactive: false, limit: 10).map(\.content) == ["high", "global", "seen more", "low"])
        #expect(try store.list(project: "/p", includeInactive: true, limit: 10).map(\.content).last == "inactive")
        #expect(try store.list(project: nil, includeInactive: false, limit: 10).map(\.id).contains(other.id))
        #expect(!(try store.list(project: "/p", includeInactive: true, limit: 10).map(\.id).contains(other.id)))
        #expect(try store.list(project: "/p", includeInactive: false, limit: 2).map(\.id) == [high.id, global.id])
        _ = (low, seenMore)
    }
}
