import EngramModel
import Testing

/// What every `CodeMapStore` promises: a snapshot is written whole or not at all and replaces the file's previous one,
/// the latest wins, snapshot times are unique and increasing by construction (the bug of same-millisecond snapshots
/// that stalled processing), another project's code never shows, callers and callees match names as documented.
@Suite struct CodeMapStoreConformanceTests {
    static let t0 = "2026-12-01T10:00:00.000Z"

    func symbol(_ name: String, line: Int, change: String? = "new", ordinal: Int = 0) -> CodeMapSymbol {
        CodeMapSymbol(
            qualifiedName: name, ordinal: ordinal, kind: name.contains(".") ? "method" : "function",
            parentClass: name.contains(".") ? String(name.split(separator: ".")[0]) : nil, signature: "\(name)(x)",
            decorators: [], docstring: nil, lineStart: line, lineEnd: line + 3, bodyHash: "h-\(name)-\(line)", change: change)
    }

    func call(_ caller: String, _ callee: String, resolved: String? = nil, line: Int) -> CodeMapCall {
        CodeMapCall(
            callerName: caller, calleeName: callee, calleeResolved: resolved, resolution: resolved == nil ? "unresolved" : "direct",
            lineNumber: line)
    }

    @discardableResult
    func record(
        _ store: any CodeMapStore, project: String = "/p", file: String = "app/auth.py", at: String = t0, session: String = "s1",
        _ symbols: [CodeMapSymbol], _ calls: [CodeMapCall] = [], events: [EngramEvent] = []
    ) throws -> String {
        try store.record(project: project, file: file, preferredAt: at) { _ in
            NewCodeSnapshot(sessionID: session, symbols: symbols, calls: calls, events: events)
        }
    }

    @Test(arguments: Backend.available) func aSnapshotComesBackAsStoredInLineOrder(_ backend: Backend) throws {
        let store = try backend.make().codeMap
        var decorated = symbol("AuthService.refresh", line: 20, change: "modified")
        decorated.decorators = ["staticmethod", "cache"]
        decorated.docstring = "Refreshes a token."
        decorated.previousHash = "h-old"
        let setter = symbol("AuthService.token", line: 30, ordinal: 1)
        var seen: [CodeFileSnapshot?] = []
        let at = try store.record(project: "/p", file: "app/auth.py", preferredAt: Self.t0) { previous in
            seen.append(previous)
            return NewCodeSnapshot(
                sessionID: "s1", symbols: [setter, decorated, symbol("AuthService", line: 1)],
                calls: [
                    call("AuthService.refresh", "self.token", resolved: "AuthService.token", line: 22),
                    call("AuthService.refresh", "log", line: 21),
                ])
        }
        #expect(seen == [nil], "a file seen first has no previous snapshot")
        #expect(at == Self.t0, "a file's first snapshot keeps the time asked for")
        let latest = try #require(try store.latest(project: "/p", file: "app/auth.py"))
        #expect(latest.snapshotAt == at && latest.project == "/p" && latest.file == "app/auth.py")
        #expect(latest.symbols == [symbol("AuthService", line: 1), decorated, setter])
        #expect(
            latest.calls == [
                call("AuthService.refresh", "log", line: 21),
                call("AuthService.refresh", "self.token", resolved: "AuthService.token", line: 22),
            ])
        #expect(try store.latest(project: "/p", file: "app/other.py") == nil)
    }

    @Test(arguments: Backend.available) func theLatestSnapshotReplacesThePreviousWhole(_ backend: Backend) throws {
        let store = try backend.make().codeMap
        let first = try record(
            store, [symbol("login", line: 1), symbol("logout", line: 10)],
            [call("login", "validate", line: 2), call("logout", "clear", line: 11)])
        var previous: CodeFileSnapshot?
        let second = try store.record(project: "/p", file: "app/auth.py", preferredAt: "2026-12-01T10:05:00.000Z") { p in
            previous = p
            return NewCodeSnapshot(
                sessionID: "s2",
                symbols: [
                    symbol("login", line: 1, change: "unchanged"),
                    symbol("logout", line: 10, change: "deleted"),
                ], calls: [])
        }
        #expect(previous?.snapshotAt == first)
        #expect(previous?.symbols.map(\.qualifiedName) == ["login", "logout"])
        let latest = try #require(try store.latest(project: "/p", file: "app/auth.py"))
        #expect(latest.snapshotAt == second)
        #expect(latest.symbols.map(\.change) == ["unchanged", "deleted"], "a deleted definition stays in the snapshot, marked")
        #expect(latest.definitions.map(\.qualifiedName) == ["login"])
        #expect(latest.calls.isEmpty, "a snapshot without calls leaves none of the previous one's")
        #expect(try store.calls(project: "/p", file: "app/auth.py", caller: nil, limit: 10).isEmpty)
        #expect(try store.callers(of: "validate", project: "/p", limit: 10).isEmpty)
        // The history keeps both: the first snapshot's additions and the second's deletion.
        let changes = try store.changes(project: "/p", since: Self.t0, session: nil)
        #expect(changes.map { "\($0.qualifiedName):\($0.change)" } == ["login:new", "logout:new", "logout:deleted"])
    }

    @Test(arguments: Backend.available) func snapshotsInOneMillisecondOrOutOfOrderGetUniqueIncreasingTimes(_ backend: Backend) throws {
        let store = try backend.make().codeMap
        // The same definitions each time: the rows differ only by their time, so equal times would collide.
        let times = try (0..<3).map { _ in try record(store, [symbol("login", line: 1)], [call("login", "validate", line: 2)]) }
        #expect(times == [Self.t0, "2026-12-01T10:00:00.001Z", "2026-12-01T10:00:00.002Z"])
        // Processed late: an event older than the file's latest snapshot is stamped after it, and becomes the latest.
        let late = try record(store, at: "2026-12-01T09:59:59.000Z", [symbol("login", line: 1), symbol("late", line: 9)])
        #expect(late == "2026-12-01T10:00:00.003Z")
        #expect(try store.latest(project: "/p", file: "app/auth.py")?.definitions.map(\.qualifiedName) == ["login", "late"])
        // A later time is kept as asked.
        #expect(try record(store, at: "2026-12-01T11:00:00.000Z", [symbol("login", line: 1)]) == "2026-12-01T11:00:00.000Z")
        // Every snapshot is there, each whole.
        let news = try store.changes(project: "/p", since: "2026-01-01", session: nil).filter { $0.qualifiedName == "login" }
        #expect(news.map(\.snapshotAt) == times + [late, "2026-12-01T11:00:00.000Z"])
        // Another file, or another project's file of the same name, keeps its own clock.
        #expect(try record(store, file: "app/db.py", [symbol("connect", line: 1)]) == Self.t0)
        #expect(try record(store, project: "/other", [symbol("login", line: 1)]) == Self.t0)
    }

    @Test(arguments: Backend.available) func concurrentSnapshotsOfOneFileEachBuildOnThePrevious(_ backend: Backend) async throws {
        let store = try backend.make().codeMap
        // Every writer adds one definition to what the file's latest snapshot holds: none may be built on a stale one.
        let times = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<8 {
                group.addTask {
                    try store.record(project: "/p", file: "app/race.py", preferredAt: Self.t0) { previous in
                        let kept = (previous?.definitions ?? []).map { s -> CodeMapSymbol in
                            var u = s; u.change = "unchanged"; return u
                        }
                        return NewCodeSnapshot(sessionID: "s", symbols: kept + [symbol("f\(i)", line: 10 * (i + 1))], calls: [])
                    }
                }
            }
            var all: [String] = []
            for try await t in group { all.append(t) }
            return all
        }
        #expect(Set(times).count == 8)
        let latest = try #require(try store.latest(project: "/p", file: "app/race.py"))
        #expect(latest.snapshotAt == times.max())
        #expect(latest.definitions.count == 8)
    }

    @Test(arguments: Backend.available) func aFailedBuildWritesNothingAndEventsGoWithTheSnapshot(_ backend: Backend) throws {
        struct Refused: Error {}
        let stores = try backend.make()
        let store = stores.codeMap
        let at = try record(
            store, [symbol("login", line: 1)], [call("login", "validate", line: 2)],
            events: [
                EngramEvent("ast.scan", ["file": "app/auth.py"], sessionID: "s1", project: "/p"),
                EngramEvent("ast.call_graph", ["edges": 1], project: "/p", timestamp: "2026-12-01T10:00:05.000Z"),
            ])
        let events = try stores.events.recent(type: nil, limit: 10)
        #expect(Set(events.map(\.type)) == ["ast.scan", "ast.call_graph"])
        #expect(events.first { $0.type == "ast.scan" }?.timestamp == at, "an event without a time gets the snapshot's")
        #expect(events.first { $0.type == "ast.call_graph" }?.timestamp == "2026-12-01T10:00:05.000Z")
        #expect(throws: Refused.self) {
            try store.record(project: "/p", file: "app/auth.py", preferredAt: "2026-12-01T10:01:00.000Z") { _ in throw Refused() }
        }
        let latest = try store.latest(project: "/p", file: "app/auth.py")
        #expect(latest?.snapshotAt == at)
        #expect(latest?.calls.count == 1)
        #expect(try stores.events.recent(type: nil, limit: 10).count == 2)
    }

    @Test(arguments: Backend.available) func anotherProjectsCodeNeverShows(_ backend: Backend) throws {
        let store = try backend.make().codeMap
        try record(store, [symbol("login", line: 1)], [call("login", "validate", line: 2)])
        try record(
            store, project: "/other", at: "2026-12-01T12:00:00.000Z", session: "s9",
            [symbol("login", line: 1), symbol("secret", line: 5)], [call("login", "validate", line: 3), call("secret", "leak", line: 6)])
        try record(store, project: "/other", file: "other.py", session: "s9", [symbol("elsewhere", line: 1)])
        #expect(try store.latest(project: "/p", file: "app/auth.py")?.definitions.map(\.qualifiedName) == ["login"])
        #expect(try store.files(project: "/p") == ["app/auth.py"])
        #expect(try store.calls(project: "/p", file: nil, caller: nil, limit: 10).map(\.lineNumber) == [2])
        #expect(try store.callers(of: "validate", project: "/p", limit: 10).map(\.lineNumber) == [2])
        #expect(try store.callers(of: "leak", project: "/p", limit: 10).isEmpty)
        #expect(try store.changes(project: "/p", since: Self.t0, session: nil).map(\.qualifiedName) == ["login"])
        #expect(try store.changes(project: "/p", since: Self.t0, session: "s9").isEmpty)
        #expect(try store.files(project: "/other") == ["app/auth.py", "other.py"])
        #expect(try store.files(project: "/nobody").isEmpty)
        let everywhere = try store.changes(project: nil, since: Self.t0, session: nil)
        #expect(Set(everywhere.map(\.project)) == ["/p", "/other"] && everywhere.count == 4)
    }

    @Test(arguments: Backend.available) func callersMatchTheNameAsWrittenOrResolvedOrItsLastComponents(_ backend: Backend) throws {
        let store = try backend.make().codeMap
        try record(
            store, [symbol("AuthService.authenticate", line: 1), symbol("reauthenticate", line: 20)],
            [
                call("AuthService.authenticate", "self.validate", resolved: "app.auth.AuthService.validate", line: 3),
                call("AuthService.authenticate", "validate", line: 4),
                call("AuthService.authenticate", "invalidate", line: 5),
                call("AuthService.authenticate", "validate_all", line: 6),
                call("reauthenticate", "axb", line: 21),
                call("reauthenticate", "a_b", line: 22),
                call("reauthenticate", "AuthService.authenticate", line: 23),
            ])
        try record(store, file: "app/views.py", [symbol("login", line: 1)], [call("login", "service.validate", line: 2)])
        let validate = try store.callers(of: "validate", project: "/p", limit: 10)
        #expect(validate.map { "\($0.callerFile):\($0.lineNumber ?? 0)" } == ["app/auth.py:3", "app/auth.py:4", "app/views.py:2"])
        #expect(try store.callers(of: "AuthService.validate", project: "/p", limit: 10).map(\.lineNumber) == [3], "a qualified suffix")
        #expect(try store.callers(of: "a_b", project: "/p", limit: 10).map(\.lineNumber) == [22], "_ is not a wildcard")
        #expect(try store.callers(of: "%", project: "/p", limit: 10).isEmpty, "% is not a wildcard")
        #expect(try store.callers(of: "validate", project: "/p", limit: 2).count == 2)
        let edge = try #require(validate.first)
        #expect(edge.callerName == "AuthService.authenticate" && edge.calleeResolved == "app.auth.AuthService.validate")
        #expect(edge.resolution == "direct" && edge.snapshotAt == Self.t0)

        // Callees: what one definition calls, by its name or its last components.
        let callees = try store.calls(project: "/p", file: nil, caller: "authenticate", limit: 10)
        #expect(callees.map(\.lineNumber) == [3, 4, 5, 6], "reauthenticate is not authenticate")
        #expect(try store.calls(project: "/p", file: "app/views.py", caller: nil, limit: 10).map(\.calleeName) == ["service.validate"])
        #expect(
            try store.calls(project: "/p", file: nil, caller: nil, limit: 10).map(\.callerFile)
                == Array(repeating: "app/auth.py", count: 7) + ["app/views.py"], "by file, then line")
        #expect(try store.calls(project: "/p", file: "app/auth.py", caller: "AuthService.authenticate", limit: 3).count == 3)
        #expect(try store.calls(project: "/p", file: "app/none.py", caller: nil, limit: 10).isEmpty)
    }

    @Test(arguments: Backend.available) func changesAreFilteredBySinceAndSessionOldestFirst(_ backend: Backend) throws {
        let store = try backend.make().codeMap
        try record(store, at: "2026-11-30T10:00:00.000Z", session: "s0", [symbol("old", line: 1)])
        try record(store, at: "2026-12-01T10:00:00.000Z", session: "s1", [symbol("old", line: 1, change: "modified"), symbol("new", line: 5)])
        try record(
            store, at: "2026-12-01T11:00:00.000Z", session: "s2",
            [symbol("old", line: 1, change: "unchanged"), symbol("new", line: 5, change: "deleted")])
        let changes = try store.changes(project: "/p", since: "2026-12-01T00:00:00.000Z", session: nil)
        #expect(
            changes.map { "\($0.qualifiedName):\($0.change):\($0.sessionID)" } == ["old:modified:s1", "new:new:s1", "new:deleted:s2"],
            "unchanged definitions are not changes")
        #expect(changes.first?.file == "app/auth.py" && changes.first?.signature == "old(x)" && changes.first?.lineStart == 1)
        #expect(try store.changes(project: "/p", since: "2026-12-01T00:00:00.000Z", session: "s2").map(\.change) == ["deleted"])
        #expect(try store.changes(project: "/p", since: "2026-12-01T11:00:00.000Z", session: nil).count == 1, "since is inclusive")
        #expect(try store.changes(project: "/p", since: "2026-12-02", session: nil).isEmpty)
    }

    @Test(arguments: Backend.available) func filesAreThoseWithDefinitions(_ backend: Backend) throws {
        let store = try backend.make().codeMap
        try record(store, file: "b.py", [symbol("b", line: 1)])
        try record(store, file: "a.py", [symbol("a", line: 1)])
        try record(store, file: "script.py", [], [call("<module>", "main", line: 3)])
        #expect(try store.files(project: "/p") == ["a.py", "b.py"])
        // A snapshot of only calls is still the file's latest snapshot.
        #expect(try store.latest(project: "/p", file: "script.py")?.calls.map(\.calleeName) == ["main"])
        #expect(try store.callers(of: "main", project: "/p", limit: 5).map(\.callerFile) == ["script.py"])
    }
}
