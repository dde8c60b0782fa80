import EngramModel
import Testing

/// What every `PortabilityStore` promises: an export imported into an empty store exports the same rows, importing
/// twice adds nothing, an import is all or nothing, project scope, order, and ids kept when free.
@Suite struct PortabilityStoreConformanceTests {
    static let t0 = "2026-12-01T10:00:00.000Z", t1 = "2026-12-01T11:00:00.000Z", t2 = "2026-12-01T12:00:00.000Z"

    /// Two projects' worth of every record type, and a global learning.
    static var sample: [ExportRow] {
        [
            Rows.session("s-1", at: t0, summary: "Fixed the login bug."), Rows.session("s-2", project: "/other", at: t1),
            Rows.prompt(1, session: "s-1", at: t0, "fix the login bug"), Rows.prompt(2, session: "s-2", at: t1, "their prompt"),
            Rows.observation(1, session: "s-1", at: t0, tool: "Edit", title: "Edited auth/login.py", files: ["auth/login.py"]),
            Rows.observation(2, session: "s-2", project: "/other", at: t1, title: "Read main.py"),
            Rows.learning(1, "run migrations first", confidence: 0.30000000000000004), Rows.learning(2, project: nil, "global lesson"),
            Rows.learning(3, project: "/other", "their lesson"),
            Rows.function(1, file: "auth/login.py", at: t0, session: "s-1", "login", change: "new"),
            Rows.function(2, project: "/other", file: "main.py", at: t1, session: "s-2", "main", change: nil),
            Rows.call(1, file: "auth/login.py", at: t0, session: "s-1", caller: "login", callee: "db.query", resolution: "unresolved"),
        ]
    }

    @Test(arguments: Backend.available) func anExportImportedIntoAnEmptyStoreExportsTheSameRows(_ backend: Backend) throws {
        let source = try backend.make()
        try Rows.load(source, Self.sample)
        let first = try Rows.exported(source)
        #expect(first.count == Self.sample.count)
        let target = try backend.make()
        let tally = try Rows.load(target, first)
        #expect(tally.inserted.values.reduce(0, +) == first.count)
        #expect(tally.skipped.isEmpty)
        #expect(try Rows.exported(target) == first)
        // What went in is what comes out, value for value (a real that does not print short survives too).
        #expect(Set(first.map(\.values)) == Set(Self.sample.map(\.values)))
    }

    @Test(arguments: Backend.available) func importingTwiceAddsNothing(_ backend: Backend) throws {
        let stores = try backend.make()
        try Rows.load(stores, Self.sample)
        let before = try Rows.exported(stores)
        let again = try Rows.load(stores, Self.sample)
        #expect(again.inserted.isEmpty)
        #expect(again.skipped.values.reduce(0, +) == Self.sample.count)
        #expect(try Rows.exported(stores) == before)
        // A row already brought earlier in the same import counts as stored.
        let fresh = try backend.make()
        let doubled = try Rows.load(
            fresh, [Rows.session("s-9", at: Self.t0)] + Array(repeating: Rows.prompt(7, session: "s-9", at: Self.t0, "once"), count: 3))
        #expect(doubled.inserted["prompt"] == 1)
        #expect(doubled.skipped["prompt"] == 2)
    }

    @Test(arguments: Backend.available) func aFailureAnywhereWritesNothing(_ backend: Backend) throws {
        struct Refused: Error {}
        let stores = try backend.make()
        #expect(throws: Refused.self) {
            try stores.portability.importRows(sessions: [], check: { _ in throw Refused() }, next: { Rows.session("s-1", at: Self.t0) })
        }
        var rows = Self.sample[...]
        #expect(throws: Refused.self) {
            try stores.portability.importRows(
                sessions: [], check: { _ in },
                next: {
                    if rows.count == 3 { throw Refused() }
                    return rows.popFirst()
                })
        }
        #expect(try Rows.exported(stores).isEmpty)
    }

    @Test(arguments: Backend.available) func theCheckIsToldWhichSessionsAreNotStored(_ backend: Backend) throws {
        let stores = try backend.make()
        try Rows.load(stores, [Rows.session("s-1", at: Self.t0)])
        var missing: Set<String>?
        _ = try stores.portability.importRows(sessions: ["s-1", "ghost"], check: { missing = $0 }, next: { nil })
        #expect(missing == ["ghost"])
        #expect(throws: Rows.MissingSessions(ids: ["ghost"])) {
            try Rows.load(stores, [Rows.prompt(5, session: "ghost", at: Self.t0, "orphan")])
        }
    }

    @Test(arguments: Backend.available) func aProjectsExportHoldsItsRowsAndTheGlobalLearningsOnly(_ backend: Backend) throws {
        let stores = try backend.make()
        try Rows.load(stores, Self.sample)
        let rows = try Rows.exported(stores, project: "/p")
        #expect(rows.filter { $0.type == "session" }.compactMap { $0.values["id"]?.text } == ["s-1"])
        #expect(rows.filter { $0.type == "prompt" }.compactMap { $0.values["prompt"]?.text } == ["fix the login bug"])
        #expect(rows.filter { $0.type == "learning" }.compactMap { $0.values["content"]?.text } == ["run migrations first", "global lesson"])
        #expect(rows.allSatisfy { $0.values["project"].map { $0 == .text("/p") || $0 == .null } ?? true })
        var counted: [String: Int] = [:]
        try stores.portability.export(project: "/p", counts: { counted = $0 }, row: { _ in })
        #expect(counted == Dictionary(uniqueKeysWithValues: ExportFormat.typeNames.map { t in (t, rows.filter { $0.type == t }.count) }))
    }

    @Test(arguments: Backend.available) func rowsComeByTypeThenIdSessionsByStart(_ backend: Backend) throws {
        let stores = try backend.make()
        // Given out of order: a later session first, prompts by descending id, a prompt before its session.
        try Rows.load(
            stores,
            [
                Rows.prompt(9, session: "early", at: Self.t0, "nine"), Rows.session("late", at: Self.t2), Rows.session("early", at: Self.t0),
                Rows.prompt(3, session: "late", at: Self.t2, "three"), Rows.learning(4, "four"), Rows.learning(2, "two"),
            ])
        let rows = try Rows.exported(stores)
        #expect(rows.map(\.type) == ["session", "session", "prompt", "prompt", "learning", "learning"])
        #expect(rows.prefix(2).compactMap { $0.values["id"]?.text } == ["early", "late"])
        #expect(rows.filter { $0.type == "prompt" }.map { $0.values["id"] } == [.integer(3), .integer(9)])
        #expect(rows.filter { $0.type == "learning" }.map { $0.values["id"] } == [.integer(2), .integer(4)])
    }

    @Test(arguments: Backend.available) func aRowWhoseIdIsTakenKeepsItsContentUnderANewId(_ backend: Backend) throws {
        let stores = try backend.make()
        try Rows.load(stores, [Rows.session("s-1", at: Self.t0), Rows.prompt(1, session: "s-1", at: Self.t0, "mine")])
        let tally = try Rows.load(stores, [Rows.prompt(1, session: "s-1", at: Self.t1, "theirs")])
        #expect(tally.inserted["prompt"] == 1)
        let prompts = try Rows.exported(stores).filter { $0.type == "prompt" }
        #expect(prompts.compactMap { $0.values["prompt"]?.text } == ["mine", "theirs"])
        #expect(prompts.first?.values["id"] == .integer(1))
        #expect(prompts.last?.values["id"] != .integer(1))
    }
}
