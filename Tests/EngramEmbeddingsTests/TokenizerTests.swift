import Foundation
import Testing

@testable import EngramEmbeddings

@Suite("WordPiece tokenizer")
struct TokenizerTests {
    static func tokenizer(maxLength: Int = 512, lowercase: Bool = true) throws -> WordPieceTokenizer {
        var vocab: [String: Int32] = [:]
        for (i, t) in TinyBert.vocabTokens.enumerated() { vocab[t] = Int32(i) }
        return try WordPieceTokenizer(vocab: vocab, settings: .init(lowercase: lowercase), maxLength: maxLength)
    }

    static func id(_ token: String) -> Int32 { Int32(TinyBert.vocabTokens.firstIndex(of: token)!) }

    @Test("lower-cases, splits punctuation and finds ## continuations")
    func basic() throws {
        let t = try Self.tokenizer()
        #expect(t.encode("The FOX jumps!") == [2, Self.id("the"), Self.id("fox"), Self.id("jump"), Self.id("##s"), Self.id("!"), 3])
        #expect(t.encode("unable") == [2, Self.id("un"), Self.id("##able"), 3])
    }

    @Test("strips accents and splits CJK characters")
    func accentsAndCJK() throws {
        let t = try Self.tokenizer()
        #expect(t.encode("Café NAÏVE") == [2, Self.id("cafe"), Self.id("naive"), 3])
        #expect(t.encode("我们") == [2, Self.id("我"), Self.id("们"), 3])
    }

    @Test("unknown words become one [UNK]; empty and blank texts give just [CLS] [SEP]")
    func unknowns() throws {
        let t = try Self.tokenizer()
        #expect(t.encode("zzz fox") == [2, 1, Self.id("fox"), 3])
        #expect(t.encode("") == [2, 3])
        #expect(t.encode(" \n\t ") == [2, 3])
        #expect(t.encode("🙈🙉") == [2, 1, 3])
        #expect(t.encode(String(repeating: "a", count: 101)) == [2, 1, 3])
    }

    @Test("truncates to the max length including [CLS] and [SEP]")
    func truncation() throws {
        let t = try Self.tokenizer(maxLength: 6)
        #expect(t.encode("a b c a b c a b") == [2, Self.id("a"), Self.id("b"), Self.id("c"), Self.id("a"), 3])
        #expect(t.encode("jumps jumps jumps") == [2, Self.id("jump"), Self.id("##s"), Self.id("jump"), Self.id("##s"), 3])
    }

    @Test("control characters are dropped")
    func controls() throws {
        let t = try Self.tokenizer()
        #expect(t.encode("fo\u{0}x\u{200B}") == [2, Self.id("fox"), 3])
    }
}
