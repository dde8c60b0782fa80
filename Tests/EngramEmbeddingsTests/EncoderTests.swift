import Foundation
import Testing

@testable import EngramEmbeddings

@Suite("BertEncoder on a tiny random BERT")
struct EncoderTests {
    @Test("forward pass equals an independent scalar implementation")
    func matchesNaiveForward() throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        let encoder = try BertEncoder(directory: tiny.directory, threads: 2)
        let ids = encoder.tokenizer.encode("the quick brown fox jumps over the lazy dog.")
        #expect(ids.count == 13) // the quick brown fox jump ##s over the lazy dog . + [CLS] [SEP]
        let pooled = encoder.encode(tokenIDs: [ids])[0]
        let file = try SafeTensorsFile(url: tiny.directory.appendingPathComponent("model.safetensors"))
        let hidden = try TinyBert.naiveForward(ids: ids, file: file, config: tiny.config)
        let mean = (0..<tiny.config.hiddenSize).map { i in hidden.map { $0[i] }.reduce(0, +) / Float(hidden.count) }
        let maxErr = zip(pooled, mean).map { abs($0 - $1) }.max() ?? 1
        #expect(maxErr < 1e-4, "max error \(maxErr)")
    }

    @Test("shapes, unit norm, determinism, batch equals single")
    func basics() async throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        let encoder = try BertEncoder(directory: tiny.directory)
        let texts = ["hello world", "def x ( ) : y = 1", "the lazy dog jumped", "", "a b c " + String(repeating: "fox ", count: 50)]
        let batch = try await encoder.embed(texts, kind: .document)
        #expect(batch.count == texts.count)
        #expect(encoder.dimensions == 32)
        for (i, text) in texts.enumerated() {
            #expect(batch[i].count == 32)
            #expect(abs(VectorMath.dot(batch[i], batch[i]) - 1) < 1e-5)
            let single = try await encoder.embed([text], kind: .document)[0]
            #expect(zip(single, batch[i]).allSatisfy { abs($0 - $1) < 1e-5 }, "batch differs from single for \(text)")
        }
        let again = try await encoder.embed(texts, kind: .document)
        #expect(again == batch)
        #expect(TestSupport.cosine(batch[0], batch[1]) < 0.9999)
    }

    @Test("single-threaded and two-threaded runs agree")
    func threadsAgree() throws {
        let tiny = try TinyBert(hidden: 64, heads: 4, intermediate: 128)
        defer { tiny.remove() }
        let one = try BertEncoder(directory: tiny.directory, threads: 1)
        let two = try BertEncoder(directory: tiny.directory, threads: 2)
        let texts = ["the quick brown fox", String(repeating: "hello ", count: 20)]
        let a = one.embedSync(texts, kind: .document), b = two.embedSync(texts, kind: .document)
        for (x, y) in zip(a, b) { #expect(zip(x, y).allSatisfy { abs($0 - $1) < 1e-6 }) }
    }

    @Test("instruction prefixes change the input per kind")
    func prefixes() throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        let options = EmbeddingOptions(prefixes: InstructionPrefixes([.query: "hello world "]))
        let plain = try BertEncoder(directory: tiny.directory)
        let prefixed = try BertEncoder(directory: tiny.directory, options: options)
        let doc = prefixed.embedSync(["the dog"], kind: .document)[0]
        let query = prefixed.embedSync(["the dog"], kind: .query)[0]
        #expect(doc == plain.embedSync(["the dog"], kind: .document)[0])
        #expect(query == plain.embedSync(["hello world the dog"], kind: .document)[0])
        #expect(query != doc)
    }

    @Test("Matryoshka truncation keeps the leading dimensions, renormalised")
    func matryoshka() throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        let full = try BertEncoder(directory: tiny.directory)
        let cut = try BertEncoder(directory: tiny.directory, options: EmbeddingOptions(truncateDimensions: 8))
        #expect(cut.dimensions == 8)
        #expect(cut.modelID != full.modelID)
        let f = full.embedSync(["hello world"], kind: .document)[0]
        let c = cut.embedSync(["hello world"], kind: .document)[0]
        #expect(c.count == 8)
        #expect(abs(VectorMath.dot(c, c) - 1) < 1e-5)
        #expect(TestSupport.cosine(Array(f[0..<8]), c) > 0.99999)
        #expect(throws: EmbeddingError.self) {
            try BertEncoder(directory: tiny.directory, options: EmbeddingOptions(truncateDimensions: 64))
        }
    }

    @Test("CLS pooling from the pooling config")
    func clsPooling() throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        try #"{"pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false}"#
            .write(to: tiny.directory.appendingPathComponent("1_Pooling/config.json"), atomically: true, encoding: .utf8)
        let encoder = try BertEncoder(directory: tiny.directory)
        #expect(encoder.pooling == .cls)
    }
}
