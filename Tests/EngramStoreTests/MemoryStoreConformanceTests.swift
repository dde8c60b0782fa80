import EngramModel
import Testing

/// What every `MemoryStore` promises, whatever the backend: round trips, scope, tag filters, keyword stages and
/// rank order (not exact scores).
@Suite struct MemoryStoreConformanceTests {
    func memory(_ content: String, project: String? = "/p", tags: [String] = [], at minute: Int = 0) -> NewMemory {
        NewMemory(
            project: project, createdAt: String(format: "2026-12-01T10:%02d:00.000Z", minute), content: content, tags: tags,
            metadata: .object(["k": .string("v")]), source: "test")
    }

    @Test(arguments: Backend.available) func storedMemoriesComeBackAsStoredInTheOrderAsked(_ backend: Backend) throws {
        let store = try backend.make().memories
        let a = try store.insert(memory("first", tags: ["Deploy"]))
        let b = try store.insert(memory("second", project: nil))
        #expect(a.id != b.id)
        let aNumber = try #require(a.number), bNumber = try #require(b.number)
        let back = try store.memories(numbers: [bNumber, 999_999, aNumber])
        #expect(back.map(\.id) == [b.id, a.id])
        #expect(back.last?.content == "first")
        #expect(back.last?.tags == ["Deploy"])
        #expect(back.last?.metadata == .object(["k": .string("v")]))
        #expect(back.last?.source == "test")
        #expect(back.last?.project == "/p")
        #expect(back.first?.project == nil)
        #expect(back.allSatisfy { $0.score == nil })
    }

    @Test(arguments: Backend.available) func aProjectSeesItsOwnAndGlobalMemoriesNeverAnotherProjects(_ backend: Backend) throws {
        let store = try backend.make().memories
        let own = try store.insert(memory("rollout checklist for staging", project: "/p", at: 1))
        let global = try store.insert(memory("rollout needs a ticket", project: nil, at: 2))
        let other = try store.insert(memory("rollout secrets of the other team", project: "/other", at: 3))
        #expect(try store.recent(project: "/p", tags: [], limit: 10).map(\.id) == [global.id, own.id])
        #expect(try store.recent(project: nil, tags: [], limit: 10).map(\.id) == [other.id, global.id, own.id])
        let query = try #require(KeywordQuery.parse("rollout"))
        #expect(Set(try store.search(query, match: .all, project: "/p", tags: [], limit: 10).map(\.id)) == [own.id, global.id])
        #expect(try store.numbers(project: "/p", tags: [], since: nil) == Set([own.number, global.number].compactMap { $0 }))
        #expect(try store.recent(project: "/p", tags: [], limit: 1).map(\.id) == [global.id])
    }

    @Test(arguments: Backend.available) func tagsMatchAnyOfThemIgnoringCaseAndAreFoundPastTheFirstPage(_ backend: Backend) throws {
        let store = try backend.make().memories
        let tagged = try store.insert(memory("deploy with the blue green switch", tags: ["Ops"], at: 0))
        for i in 1...40 { _ = try store.insert(memory("deploy note \(i)", tags: ["misc"], at: i)) }
        #expect(try store.recent(project: "/p", tags: ["ops"], limit: 1).map(\.id) == [tagged.id])
        #expect(try store.recent(project: "/p", tags: ["nothing", "OPS"], limit: 5).map(\.id) == [tagged.id])
        let query = try #require(KeywordQuery.parse("deploy"))
        #expect(try store.search(query, match: .all, project: "/p", tags: ["ops"], limit: 1).map(\.id) == [tagged.id])
        #expect(try store.numbers(project: "/p", tags: ["Ops"], since: nil) == [try #require(tagged.number)])
        #expect(try store.recent(project: "/p", tags: [], limit: 3).count == 3)
    }

    @Test(arguments: Backend.available) func keywordStagesNarrowAndWidenAndRankMoreMatchesHigher(_ backend: Backend) throws {
        let store = try backend.make().memories
        let both = try store.insert(memory("the billing service retries invoices nightly"))
        let billing = try store.insert(memory("billing dashboard colours"))
        let invoices = try store.insert(memory("invoices are archived after a year"))
        _ = try store.insert(memory("unrelated note about lunch"))
        let query = try #require(KeywordQuery.parse("billing invoices"))
        #expect(try store.search(query, match: .all, project: "/p", tags: [], limit: 10).map(\.id) == [both.id])
        let any = try store.search(query, match: .any, project: "/p", tags: [], limit: 10)
        #expect(Set(any.map(\.id)) == [both.id, billing.id, invoices.id])
        #expect(any.first?.id == both.id)
        let scores = any.compactMap(\.score)
        #expect(scores.count == 3 && scores == scores.sorted(by: >))

        let three = try #require(KeywordQuery.parse("billing invoices nightly"))
        #expect(three.stages == [.all, .pairs, .any])
        #expect(try store.search(three, match: .pairs, project: "/p", tags: [], limit: 10).map(\.id) == [both.id])
        #expect(try store.search(query, match: .any, project: "/p", tags: [], limit: 2).count == 2)
    }

    @Test(arguments: Backend.available) func theLastTermMatchesAsAPrefixOnlyWhenTheQuerySaysSo(_ backend: Backend) throws {
        let store = try backend.make().memories
        let m = try store.insert(memory("kubernetes deployment notes"))
        let typing = try #require(KeywordQuery.parse("kubern"))
        #expect(typing.lastIsPrefix)
        #expect(try store.search(typing, match: .all, project: "/p", tags: [], limit: 5).map(\.id) == [m.id])
        let exact = KeywordQuery(terms: ["kubern"], lastIsPrefix: false)
        #expect(try store.search(exact, match: .all, project: "/p", tags: [], limit: 5).isEmpty)
    }

    @Test(arguments: Backend.available) func termsThatLookLikeOperatorsAreSearchedAsWords(_ backend: Backend) throws {
        let store = try backend.make().memories
        let m = try store.insert(memory("use NOT NULL and OR in the migration"))
        for text in ["NOT", "OR NULL", "near", "AND"] {
            let query = try #require(KeywordQuery.parse(text))
            #expect(try store.search(query, match: .all, project: "/p", tags: [], limit: 5).map(\.id) == (text == "near" ? [] : [m.id]), "\(text)")
        }
        let quoted = KeywordQuery(terms: ["say \"hi\""], lastIsPrefix: false)
        #expect(try store.search(quoted, match: .all, project: "/p", tags: [], limit: 5).isEmpty)
    }

    @Test(arguments: Backend.available) func numbersHonourSince(_ backend: Backend) throws {
        let store = try backend.make().memories
        let old = try store.insert(memory("old", at: 1))
        let new = try store.insert(memory("new", at: 30))
        #expect(try store.numbers(project: "/p", tags: [], since: "2026-12-01T10:10:00.000Z") == [try #require(new.number)])
        #expect(try store.numbers(project: "/p", tags: [], since: nil).count == 2)
        _ = old
    }
}
