import Foundation
import GRDB
import Testing

@testable import EngramCore

@Suite struct LearningsServiceTests {
    @Test func confidenceFollowsTheSeedsLadder() {
        #expect([1, 2, 3, 4, 5, 9].map(LearningsService.confidence(forSessions:)) == [0.5, 0.7, 0.85, 0.85, 0.95, 0.95])
    }

    @Test func duplicatesReinforceOncePerSession() throws {
        let env = try TestEnv()
        let s = LearningsService(try env.engram())
        let p = env.project.path
        guard case .added(let id) = try s.add(category: "convention", content: "Tests run with pytest from the repo root", project: p, sessionID: "a")
        else {
            Issue.record("expected a new learning"); return
        }
        // Same session again: not a new confirmation.
        #expect(
            try s.add(category: "convention", content: "Tests run with pytest from the repo root.", project: p, sessionID: "a") == .reinforced(id))
        #expect(try s.list(project: p).first?.confidence == 0.5)
        for (i, session) in ["b", "c", "d", "e"].enumerated() {
            #expect(
                try s.add(category: "convention", content: "tests run with Pytest from the repo root", project: p, sessionID: session)
                    == .reinforced(id))
            #expect(try s.list(project: p).first?.confidence == [0.7, 0.85, 0.85, 0.95][i])
        }
        let l = try #require(try s.list(project: p).first)
        #expect(l.timesSeen == 5)
        #expect(JSONList.decode(l.sourceSessions) == ["a", "b", "c", "d", "e"])
        // Something different is a new learning.
        if case .reinforced = try s.add(category: "gotcha", content: "get_by_email returns None on database errors", project: p) {
            Issue.record("unrelated text must not dedup")
        }
    }

    @Test func contradictionLowersConfidenceWithAFloor() throws {
        let env = try TestEnv()
        let e = try env.engram()
        let s = LearningsService(e)
        guard case .added(let id) = try s.add(category: "architecture", content: "Auth uses JWT in HttpOnly cookies", project: nil) else { return }
        try s.contradict(id)
        #expect(abs(try s.list(project: nil)[0].confidence - 0.2) < 1e-9)
        try s.contradict(id)
        #expect(try s.list(project: nil)[0].confidence == 0.1)
        let events = try e.store.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM event_log WHERE event_type = 'learning.invalidated'")
        }
        #expect(events == 2)
    }

    @Test func confirmEditAndForget() throws {
        let env = try TestEnv()
        let s = LearningsService(try env.engram())
        guard case .added(let id) = try s.add(category: "pattern", content: "Services get dependencies via Depends()", project: "/p") else { return }
        try s.confirm(id)
        var l = try s.list(project: "/p")[0]
        #expect(l.confidence == 1.0 && l.isManual)
        try s.edit(id, content: "Services get their dependencies via FastAPI Depends()", category: "convention")
        l = try s.list(project: "/p")[0]
        #expect(l.category == "convention" && l.content.contains("FastAPI"))
        try s.forget(id)
        #expect(try s.list(project: "/p").isEmpty)
        #expect(try s.list(project: "/p", includeInactive: true).count == 1)
    }

    @Test func badInputIsRefusedClearly() throws {
        let env = try TestEnv()
        let s = LearningsService(try env.engram())
        #expect(throws: LearningsService.LearningError.badCategory("vibes")) { try s.add(category: "vibes", content: "x", project: nil) }
        #expect(throws: LearningsService.LearningError.empty) { try s.add(category: "gotcha", content: "   ", project: nil) }
        #expect(throws: LearningsService.LearningError.notFound(99)) { try s.confirm(99) }
    }

    @Test func similarityIsSymmetricAndTellsParaphraseFromDifferentFacts() {
        let a = "Tests run with pytest from the repository root"
        #expect(LexicalSimilarity.cosine(a, "tests run with pytest from the repository root.") >= 0.99)
        #expect(LexicalSimilarity.cosine(a, "The billing service retries webhooks three times") < 0.3)
        #expect(LexicalSimilarity.cosine(a, "x y") == LexicalSimilarity.cosine("x y", a))
    }
}
