import EngramDemo
import Foundation
import Testing

@testable import EngramCore

/// The benchmark corpus: deterministic, varied like a real project, and searchable by its own queries.
@Suite struct SyntheticCorpusTests {
    @Test func theSameSeedGivesTheSameCorpusAndAnotherSeedAnother() {
        let a = SyntheticCorpus(seed: 7).items(count: 500, sessions: 10)
        let b = SyntheticCorpus(seed: 7).items(count: 500, sessions: 10)
        let c = SyntheticCorpus(seed: 8).items(count: 500, sessions: 10)
        #expect(a.map(\.title) == b.map(\.title))
        #expect(a.map(\.title) != c.map(\.title))
        #expect(SyntheticCorpus(seed: 7).queries() == SyntheticCorpus(seed: 7).queries())
    }

    @Test func popularityIsSkewedButTheVocabularyIsWide() {
        let items = SyntheticCorpus().items(count: 20_000, sessions: 200)
        var perFile: [String: Int] = [:]
        for i in items { perFile[i.file, default: 0] += 1 }
        let counts = perFile.values.sorted(by: >)
        // A long tail of files, a few of them hot.
        #expect(perFile.count > 150)
        #expect(counts[0] > 10 * counts[counts.count / 2])
        let words = Set(items.flatMap { $0.title.split(whereSeparator: { !$0.isLetter && $0 != "_" }) })
        #expect(words.count > 1_000)
        #expect(Set(items.map(\.tool)) == ["Read", "Edit", "Bash", "Grep", "Write"])
        #expect(Set(items.map(\.sessionID)).count == 200)
    }

    @Test func everyBenchmarkQueryFindsSomethingButNotEverything() throws {
        let env = try TestEnv()
        let engram = try env.engram()
        try SyntheticCorpus().populate(engram.store, project: env.project.path, count: 5_000, sessions: 50)
        let search = SearchService(engram)
        for q in SyntheticCorpus().queries() {
            let hits = try search.search(.init(text: q, project: env.project.path, limit: 500))
            #expect(!hits.isEmpty, "\(q) found nothing")
            #expect(hits.count < 500, "\(q) matches too much to tell anything apart")
        }
    }
}
