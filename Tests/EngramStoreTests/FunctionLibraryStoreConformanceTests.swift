import EngramModel
import Testing

/// What every `FunctionLibraryStore` promises: versions counting up per name with at most one latest, project scope,
/// search over latest versions only, runs kept in order and deleted with their function.
@Suite struct FunctionLibraryStoreConformanceTests {
    func record(_ name: String, source: String, latest: Bool = true, project: String = "/p") -> FunctionVersionRecord {
        FunctionVersionRecord(
            project: project, name: name, signature: "\(name)(x)", docstring: "Doc of \(name).", summary: nil,
            source: source, bodyHash: String(source.count), dependencies: [], modules: [], complexity: 1,
            riskScore: 0, riskFindings: [], testsJSON: nil, testsPassed: nil, testsFailed: nil,
            status: latest ? "ok" : "failing", isLatest: latest, createdAt: "2026-12-02T00:00:00.000Z", author: nil,
            restoredFrom: nil)
    }

    func run(_ name: String, version: Int, hash: String, project: String = "/p") -> FunctionRunRecord {
        FunctionRunRecord(
            project: project, name: name, version: version, kind: "run", argumentsHash: hash, status: "ok",
            durationMs: 12.5, peakMemoryKb: 9000, createdAt: "2026-12-02T00:01:00.000Z")
    }

    @Test(arguments: Backend.available) func versionsCountUpPerNameWithOneLatest(_ backend: Backend) throws {
        let store = try backend.make().functions
        var given = record("parse_date", source: "def parse_date(x):\n    return iso(x)")
        given.version = 41 // the store numbers versions, not the caller
        let v1 = try store.insert(given)
        let v2 = try store.insert(record("parse_date", source: "def parse_date(x):\n    return strptime(x)"))
        let v3 = try store.insert(record("parse_date", source: "def parse_date(x):\n    return broken(x)", latest: false))
        #expect([v1.version, v2.version, v3.version] == [1, 2, 3])
        #expect(try store.insert(record("slugify", source: "def slugify(x): ...")).version == 1)
        #expect(try store.latest(project: "/p", name: "parse_date")?.version == 2)
        #expect(try store.newest(project: "/p", name: "parse_date")?.version == 3)
        #expect(try store.versions(project: "/p", name: "parse_date").map(\.version) == [1, 2, 3])
        #expect(try store.versions(project: "/p", name: "parse_date").map(\.isLatest) == [false, true, false])
        #expect(try store.version(project: "/p", name: "parse_date", version: 1)?.source == v1.source)
        #expect(try store.version(project: "/p", name: "parse_date", version: 9) == nil)
        #expect(try store.latest(project: "/p", name: "missing") == nil)
        #expect(try store.names(project: "/p") == ["parse_date", "slugify"])
    }

    @Test(arguments: Backend.available) func aVersionComesBackAsStored(_ backend: Backend) throws {
        let store = try backend.make().functions
        var r = record("fetch", source: "def fetch(url):\n    import json\n    return helper(url)")
        r.summary = "Fetches a URL."
        r.dependencies = ["helper"]
        r.modules = ["json", "urllib"]
        r.complexity = 3
        r.riskScore = 40
        r.riskFindings = ["network access", "reads files"]
        r.testsJSON = #"[{"args": [1], "expect": 2}]"#
        r.testsPassed = 1
        r.testsFailed = 0
        r.author = "agent"
        r.restoredFrom = 7
        let stored = try store.insert(r)
        r.version = 1
        #expect(stored == r)
        #expect(try store.latest(project: "/p", name: "fetch") == r)
        var bare = record("bare", source: "def bare(): pass")
        bare.docstring = nil
        bare.version = try store.insert(bare).version
        #expect(try store.latest(project: "/p", name: "bare") == bare)
    }

    @Test(arguments: Backend.available) func anotherProjectsFunctionsAreNeverSeen(_ backend: Backend) throws {
        let store = try backend.make().functions
        _ = try store.insert(record("parse_date", source: "def parse_date(x):\n    return strptime(x)", project: "/other"))
        _ = try store.insert(record("parse_date", source: "def parse_date(x):\n    return strptime(x)", project: "/other"))
        #expect(try store.insert(record("parse_date", source: "def parse_date(x):\n    return mine(x)")).version == 1)
        #expect(try store.versions(project: "/p", name: "parse_date").map(\.source) == ["def parse_date(x):\n    return mine(x)"])
        #expect(try store.latest(project: "/other", name: "parse_date")?.version == 2, "a save in one project leaves another's latest")
        #expect(try store.search(project: "/p", query: "strptime", limit: 5).isEmpty)
        #expect(try store.search(project: "/other", query: "strptime", limit: 5).map(\.project) == ["/other"])
        #expect(try store.names(project: "/nobody").isEmpty)
        try store.record(run: run("parse_date", version: 1, hash: "theirs", project: "/other"))
        #expect(try store.runs(project: "/p", name: "parse_date").isEmpty)
        #expect(try store.delete(project: "/p", name: "parse_date") == 1)
        #expect(try store.versions(project: "/other", name: "parse_date").count == 2)
        #expect(try store.runs(project: "/other", name: "parse_date").map(\.argumentsHash) == ["theirs"])
    }

    @Test(arguments: Backend.available) func searchSeesOnlyLatestVersionsAndNeverParsesTheQuery(_ backend: Backend) throws {
        let store = try backend.make().functions
        _ = try store.insert(record("parse_date", source: "def parse_date(x):\n    return iso(x)"))
        _ = try store.insert(record("parse_date", source: "def parse_date(x):\n    return strptime(x)"))
        _ = try store.insert(record("parse_date", source: "def parse_date(x):\n    return failing(x)", latest: false))
        #expect(try store.search(project: "/p", query: "strptime", limit: 5).map(\.version) == [2])
        #expect(try store.search(project: "/p", query: "iso", limit: 5).isEmpty, "an old version is not a hit")
        #expect(try store.search(project: "/p", query: "failing", limit: 5).isEmpty, "a failing newest version is not a hit")
        #expect(try store.search(project: "/p", query: "date", limit: 5).map(\.name) == ["parse_date"], "name words split on _")
        #expect(try store.search(project: "/p", query: "strp", limit: 5).map(\.name) == ["parse_date"], "words are prefixes")
        #expect(try store.search(project: "/p", query: "strptime nowhere", limit: 5).isEmpty, "every word must match")
        for hostile in ["\" OR *", "NOT parse", "name:parse", "(", "", "  "] {
            #expect(try store.search(project: "/p", query: hostile, limit: 5).allSatisfy { $0.name == "parse_date" }, "\(hostile)")
        }
    }

    @Test(arguments: Backend.available) func aHitInTheNameRanksAboveOneInTheSource(_ backend: Backend) throws {
        let store = try backend.make().functions
        _ = try store.insert(record("normalize", source: "def normalize(x):\n    return tokens(x)\n# and more words to dilute the source"))
        _ = try store.insert(record("tokens", source: "def tokens(x):\n    return x.split()"))
        let hits = try store.search(project: "/p", query: "tokens", limit: 5).map(\.name)
        #expect(hits == ["tokens", "normalize"])
        #expect(try store.search(project: "/p", query: "tokens", limit: 1).map(\.name) == ["tokens"])
    }

    @Test(arguments: Backend.available) func runsAreKeptInOrderAndGoWithTheirFunction(_ backend: Backend) throws {
        let store = try backend.make().functions
        _ = try store.insert(record("parse_date", source: "def parse_date(x): ..."))
        _ = try store.insert(record("parse_date", source: "def parse_date(x): return 1"))
        _ = try store.insert(record("keep", source: "def keep(): ..."))
        for (i, version) in [1, 2, 2, 1].enumerated() { try store.record(run: run("parse_date", version: version, hash: "h\(i)")) }
        try store.record(run: run("keep", version: 1, hash: "k"))
        let runs = try store.runs(project: "/p", name: "parse_date")
        #expect(runs.map(\.argumentsHash) == ["h0", "h1", "h2", "h3"])
        #expect(runs.map(\.version) == [1, 2, 2, 1])
        #expect(runs.first == run("parse_date", version: 1, hash: "h0"))
        #expect(try store.delete(project: "/p", name: "parse_date") == 2)
        #expect(try store.runs(project: "/p", name: "parse_date").isEmpty)
        #expect(try store.versions(project: "/p", name: "parse_date").isEmpty)
        #expect(try store.search(project: "/p", query: "parse", limit: 5).isEmpty)
        #expect(try store.names(project: "/p") == ["keep"])
        #expect(try store.runs(project: "/p", name: "keep").count == 1)
        #expect(try store.delete(project: "/p", name: "parse_date") == 0)
        #expect(try store.insert(record("parse_date", source: "def parse_date(x): ...")).version == 1, "a deleted name starts again")
    }

    @Test(arguments: Backend.available) func concurrentSavesOfOneNameGetDistinctVersionsAndOneLatest(_ backend: Backend) async throws {
        let store = try backend.make().functions
        try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<8 {
                group.addTask { try store.insert(record("race", source: "def race(): return \(i)")).version }
            }
            var versions: [Int] = []
            for try await v in group { versions.append(v) }
            #expect(versions.sorted() == Array(1...8))
        }
        let all = try store.versions(project: "/p", name: "race")
        #expect(all.map(\.version) == Array(1...8))
        #expect(all.filter(\.isLatest).map(\.version) == [8])
    }
}
