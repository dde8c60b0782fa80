import EngramDemo
import EngramSQLite
import Foundation
import GRDB
import Testing

@testable import EngramCore

@Suite struct SearchTests {
    @Test(arguments: [
        ("refresh token", #""refresh" "token"*"#),
        ("auth.py", #""auth" "py""#),
        ("AND OR NOT", #""AND" "OR" "NOT"*"#),
        ("\"quoted\" (paren) col:on", #""quoted" "paren" "col"*"#),
        ("refresh_token", #""refresh_token"*"#),
        ("naïve café", #""naïve" "café"*"#),
    ])
    func queriesAreQuotedSoUserTextIsNeverSyntax(input: String, expected: String) throws {
        #expect(FTS5Query.build(input)?.all == expected)
    }

    @Test func questionWordsAreLeftOutAndAnyTwoWordsComeBeforeAnyOne() throws {
        let built = try #require(FTS5Query.build("why did the billing tests fail"))
        #expect(built.all == #""billing" "tests" "fail"*"#)
        #expect(built.pairs == #"("billing" AND "tests") OR ("billing" AND "fail"*) OR ("tests" AND "fail"*)"#)
        #expect(built.any == #""billing" OR "tests" OR "fail"*"#)
        #expect(built.stages == [built.all, built.pairs, built.any].compactMap { $0 })
        // Nothing but common words: they are the query then.
        #expect(FTS5Query.build("what is this")?.all == #""what" "is" "this"*"#)
        #expect(FTS5Query.build("refresh token")?.pairs == nil)
    }

    @Test func aQuestionFindsRecordsHoldingTwoOfItsWordsBeforeThoseWithOne() throws {
        let (env, e) = try seeded()
        // A record with one of the words only: an any-word fallback would return it too.
        try e.store.writer.write { db in
            try db.execute(
                sql:
                    "INSERT INTO observations (session_id, project, created_at, hook_type, tool_name, title, summary, files_touched) VALUES ('s1', ?, '2026-11-20T10:05:00.000Z', 'PostToolUse', 'Edit', 'Edited app/cache.py: refresh cache', 'summary text', '[]')",
                arguments: [env.project.path])
        }
        let search = SearchService(e)
        #expect(try search.keyword(.init(text: "refresh unicorn", project: env.project.path)).contains { $0.hit.title.contains("cache.py") })
        let words = ["refresh", "token", "unicorn"]
        let hits = try search.keyword(.init(text: "why is the refresh token unicorn", project: env.project.path))
        #expect(!hits.isEmpty)
        for hit in hits {
            let text = try e.store.writer.read { db in
                try String.fetchOne(db, sql: "SELECT lower(title || ' ' || body) FROM memory_fts WHERE rowid = ?", arguments: [hit.rowid]) ?? ""
            }
            #expect(words.filter { text.contains($0) }.count >= 2, "\(hit.hit.title)")
        }
    }

    /// "who calls apply_discount": no record holds both words, and "calls" is in thousands; the any-word stage
    /// keeps to the rare word instead of scoring every record with the common one.
    @Test func theAnyWordStageLeavesOutWordsFoundEverywhere() throws {
        let (env, e) = try seeded()
        try e.store.writer.write { db in
            for i in 0..<30 {
                try db.execute(
                    sql:
                        "INSERT INTO observations (session_id, project, created_at, hook_type, tool_name, title, summary, files_touched) VALUES ('s1', ?, '2026-11-20T11:00:00.000Z', 'PostToolUse', 'Grep', ?, 'summary text', '[]')",
                    arguments: [env.project.path, "Grep found calls to handler_\(i)"])
            }
            try db.execute(
                sql:
                    "INSERT INTO observations (session_id, project, created_at, hook_type, tool_name, title, summary, files_touched) VALUES ('s1', ?, '2026-11-20T12:00:00.000Z', 'PostToolUse', 'Read', 'Read pricing.py: apply_discount', 'summary text', '[]')",
                arguments: [env.project.path])
        }
        let keywords = SQLiteKeywordIndex(e.store)
        let built = try #require(FTS5Query.build("who calls apply_discount"))
        #expect(try keywords.narrowedAny(built, commonMatches: 10) == #""apply_discount"*"#)
        #expect(try keywords.narrowedAny(built, commonMatches: 1_000) == built.any)
        let filter = RecordFilter(project: env.project.path)
        let narrowed = try keywords.firstRanked(built, filter: filter, limit: 10, commonMatches: 10)
        #expect(narrowed.count == 1)
        #expect(try keywords.firstRanked(built, filter: filter, limit: 10, commonMatches: 1_000).count == 10)
    }

    @Test func emptyOrPunctuationOnlyQueriesBuildNothing() {
        #expect(FTS5Query.build("") == nil)
        #expect(FTS5Query.build("  ...  ***") == nil)
    }

    func seeded() throws -> (TestEnv, Engram) {
        let env = try TestEnv()
        let e = try env.engram()
        let p = env.project.path
        try e.store.writer.write { db in
            try db.execute(
                sql:
                    "INSERT INTO sessions (id, project, started_at, updated_at, summary_text) VALUES ('s1', ?, ?, ?, 'Implemented JWT refresh tokens')",
                arguments: [p, "2026-11-20T10:00:00.000Z", "2026-11-20T10:00:00.000Z"])
            try db.execute(sql: "INSERT INTO sessions (id, project, started_at, updated_at) VALUES ('s2', '/other', 't', 't')")
            let rows: [(String, String, String, String, String)] = [
                ("s1", p, "2026-11-20T10:01:00.000Z", "Edited app/services/auth.py: added refresh_token", #"["app/services/auth.py"]"#),
                (
                    "s1", p, "2026-11-20T10:02:00.000Z", "pytest tests/test_auth.py: 1 failed (test_refresh_token_flow, DecodeError), 6 passed",
                    #"["tests/test_auth.py"]"#
                ),
                ("s1", p, "2026-11-20T10:03:00.000Z", "Read README.md (lines 1-40 of 40)", #"["README.md"]"#),
                ("s2", "/other", "2026-11-20T10:04:00.000Z", "Edited other/refresh.py: refresh cache", #"["other/refresh.py"]"#),
            ]
            for r in rows {
                try db.execute(
                    sql:
                        "INSERT INTO observations (session_id, project, created_at, hook_type, tool_name, title, summary, files_touched) VALUES (?, ?, ?, 'PostToolUse', 'Edit', ?, 'summary text', ?)",
                    arguments: [r.0, r.1, r.2, r.3, r.4])
            }
            try db.execute(
                sql:
                    "INSERT INTO learnings (project, created_at, updated_at, category, content) VALUES (?, '2026-11-20T11:00:00.000Z', 't', 'gotcha', 'Refresh tokens are signed with a different key')",
                arguments: [p])
        }
        return (env, e)
    }

    @Test func findsAllKindsRankedWithSnippetsWithinTheProject() throws {
        let (env, e) = try seeded()
        let hits = try SearchService(e).search(.init(text: "refresh token", project: env.project.path))
        #expect(Set(hits.map(\.kind)) == [.observation, .summary, .learning])
        #expect(!hits.contains { $0.project == "/other" })
        #expect(hits.first?.title.contains("refresh") == true || hits.first?.summary.lowercased().contains("refresh") == true)
        #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score })
        let edit = try #require(hits.first { $0.title.hasPrefix("Edited") })
        #expect(edit.id.hasPrefix("#"))
        #expect(edit.files == ["app/services/auth.py"])
        let summary = try #require(hits.first { $0.kind == .summary })
        #expect(summary.id == "session:s1")
        #expect(summary.snippet.contains("«"))
    }

    @Test func filtersByKindSinceAndLimit() throws {
        let (env, e) = try seeded()
        let s = SearchService(e)
        #expect(try s.search(.init(text: "refresh", project: env.project.path, kinds: [.learning])).map(\.kind) == [.learning])
        let since = Timestamp.parse("2026-11-20T10:01:30.000Z")!
        let recent = try s.search(.init(text: "refresh", project: env.project.path, kinds: [.observation], since: since))
        #expect(recent.map(\.title).allSatisfy { $0.hasPrefix("pytest") })
        #expect(try s.search(.init(text: "refresh", project: nil, limit: 1)).count == 1)
        #expect(try s.search(.init(text: "refresh", project: nil)).contains { $0.project == "/other" })
    }

    @Test func everySearchIsLoggedForTheEvalDashboard() throws {
        let (env, e) = try seeded()
        let hits = try SearchService(e).search(.init(text: "refresh", project: env.project.path))
        #expect(hits.count >= 3)
        let data = try e.store.writer.read { db in try String.fetchOne(db, sql: "SELECT data FROM event_log WHERE event_type = 'search.query'") }
        let v = try JSONValue.parse(try #require(data))
        #expect(v["query"] == "refresh")
        #expect(v["result_count"]?.intValue == hits.count)
    }

    @Test func fallsBackToAnyWordWhenAllWordsFindNothing() throws {
        let (env, e) = try seeded()
        let hits = try SearchService(e).search(.init(text: "README unicorn", project: env.project.path))
        #expect(hits.map(\.title) == ["Read README.md (lines 1-40 of 40)"])
    }

    @Test func showPrintsFullRecordsForEachIdForm() throws {
        let (_, e) = try seeded()
        let recs = try RecordLookup(e).fetch(["#1", "2", "session:s1", "L1", "#999"])
        #expect(recs.map(\.kind) == ["observation", "observation", "session", "learning", "missing"])
        #expect(recs[2].observations?.count == 3)
        #expect(recs[3].summary?.contains("different key") == true)
        #expect(recs[0].render(now: Date()).contains("app/services/auth.py"))
    }

    @Test func sinceParsesDurationsAndDates() throws {
        let now = Timestamp.parse("2026-11-21T12:00:00.000Z")!
        #expect(try Timestamp.since("2d", now: now) == now.addingTimeInterval(-2 * 86400))
        #expect(try Timestamp.since("30m", now: now) == now.addingTimeInterval(-1800))
        #expect(try Timestamp.since("2026-11-01", now: now) == Timestamp.parse("2026-11-01T00:00:00.000Z"))
        #expect(throws: EngramError.self) { try Timestamp.since("yesterday-ish", now: now) }
    }

    /// Keyword search ranks on FTS5's index alone and filters by rowid afterwards; it must return what FTS5's own
    /// filtered, bm25-ordered query returns, in the same order with the same scores, with the query words marked.
    @Test(arguments: [10, 3])
    func rankingOnTheIndexAloneMatchesFTS5sFilteredRanking(limit: Int) throws {
        let env = try TestEnv()
        let e = try env.engram()
        let here = env.project.path
        try SyntheticCorpus(seed: 42).populate(e.store, project: here, count: 1_500, sessions: 40)
        try SyntheticCorpus(seed: 7).populate(e.store, project: "/elsewhere", count: 1_500, sessions: 40)
        let search = SearchService(e)
        let keywords = SQLiteKeywordIndex(e.store)
        var compared = 0
        for text in SyntheticCorpus(seed: 42).queries(count: 10) + SyntheticCorpus(seed: 7).queries(count: 5) {
            for kinds: Set<SearchService.Kind> in [[], [.observation]] {
                let q = SearchService.Query(text: text, project: here, kinds: kinds, limit: limit)
                let match = try #require(FTS5Query.build(text))
                var reference: [(key: Int64, score: Double)] = []
                for stage in [match.all, match.pairs, try keywords.narrowedAny(match)].compactMap({ $0 }) where reference.isEmpty {
                    reference = try keywords.filteredRanking(match: stage, filter: SearchService.filter(q), limit: q.limit)
                }
                let got = try search.keyword(q)
                #expect(got.map(\.rowid) == reference.map(\.key), "\(text)")
                for (g, r) in zip(got, reference) {
                    #expect(abs(g.hit.score - r.score) < 1e-9)
                    #expect(g.hit.project == here && !g.hit.title.isEmpty)
                }
                if !got.isEmpty { compared += 1 }
                #expect(got.contains { $0.hit.snippet.contains("«") } || got.isEmpty, "\(text)")
            }
        }
        #expect(compared >= 20)
    }

    @Test func timestampsRoundTrip() {
        let d = Date(timeIntervalSince1970: 1_763_700_000.125)
        #expect(Timestamp.format(d) == "2025-11-21T04:40:00.125Z")
        #expect(Timestamp.parse(Timestamp.format(d))!.timeIntervalSince1970 == 1_763_700_000.125)
        #expect(Timestamp.relative(d, now: d.addingTimeInterval(7200)) == "2h ago")
        #expect(Timestamp.relative(d, now: d.addingTimeInterval(100_000)) == "yesterday")
    }
}
