import Foundation
import GRDB
import Testing
@testable import EngramCore
import EngramSQLite

/// The function library's tables: the migration from the previous version, versions with one latest, search, runs.
@Suite struct FunctionLibraryStoreTests {
    func record(_ name: String, source: String, latest: Bool = true, project: String = "/p") -> FunctionVersionRecord {
        FunctionVersionRecord(project: project, name: name, signature: "\(name)(x)", docstring: "Doc of \(name).", summary: nil,
                              source: source, bodyHash: String(source.hashValue), dependencies: [], modules: [], complexity: 1,
                              riskScore: 0, riskFindings: [], testsJSON: nil, testsPassed: nil, testsFailed: nil,
                              status: latest ? "ok" : "failing", isLatest: latest, createdAt: "2026-12-02T00:00:00Z", author: nil,
                              restoredFrom: nil)
    }

    @Test func migratesFromThePreviousVersionKeepingRows() throws {
        let queue = try DatabaseQueue()
        let migrator = Schema.migrator()
        try migrator.migrate(queue, upTo: "v3-enrichment")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO sessions (id, project, started_at, updated_at) VALUES ('s1', '/p', 't', 't')")
        }
        try migrator.migrate(queue)
        let (applied, sessions, functions) = try queue.read { db in
            (try migrator.appliedIdentifiers(db), try Int.fetchOne(db, sql: "SELECT count(*) FROM sessions"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM functions"))
        }
        #expect(applied.contains("v3-functions"))
        #expect(sessions == 1 && functions == 0)
    }

    @Test func versionsCountUpWithOneLatestAndSearchSeesOnlyLatest() throws {
        let store = FunctionLibrarySQLStore(store: try EngramStore.inMemory())
        let v1 = try store.insert(record("parse_date", source: "def parse_date(x):\n    return iso(x)"))
        let v2 = try store.insert(record("parse_date", source: "def parse_date(x):\n    return strptime(x)"))
        let v3 = try store.insert(record("parse_date", source: "def parse_date(x):\n    return broken(x)", latest: false))
        #expect([v1.version, v2.version, v3.version] == [Int]([1, 2, 3]))
        #expect(try store.latest(project: "/p", name: "parse_date")?.version == 2)
        #expect(try store.newest(project: "/p", name: "parse_date")?.version == 3)
        #expect(try store.versions(project: "/p", name: "parse_date").map(\.isLatest) == [false, true, false])
        #expect(try store.search(project: "/p", query: "strptime", limit: 5).map(\.version) == [2])
        #expect(try store.search(project: "/p", query: "iso", limit: 5).isEmpty, "an old version is not a search hit")
        #expect(try store.search(project: "/p", query: "date", limit: 5).map(\.name) == ["parse_date"], "name words are split on _")
        #expect(try store.search(project: "/other", query: "strptime", limit: 5).isEmpty, "search is scoped to the project")
        #expect(try store.search(project: "/p", query: "\" OR *", limit: 5).isEmpty, "FTS syntax in a query is not an error")
        try store.record(run: FunctionRunRecord(project: "/p", name: "parse_date", version: 2, kind: "run", argumentsHash: "a",
                                                status: "ok", durationMs: 12, peakMemoryKb: 9000, createdAt: "t"))
        #expect(try store.runs(project: "/p", name: "parse_date").count == 1)
        #expect(try store.delete(project: "/p", name: "parse_date") == 3)
        #expect(try store.runs(project: "/p", name: "parse_date").isEmpty)
        #expect(try store.search(project: "/p", query: "strptime", limit: 5).isEmpty)
    }
}
