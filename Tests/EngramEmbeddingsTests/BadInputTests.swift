import Foundation
import Testing

@testable import EngramEmbeddings

@Suite("Bad input")
struct BadInputTests {
    @Test("truncated safetensors file is rejected with a clear error")
    func truncatedWeights() throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        let url = tiny.directory.appendingPathComponent("model.safetensors")
        let data = try Data(contentsOf: url)
        try data.prefix(data.count - 100).write(to: url)
        let error = #expect(throws: EmbeddingError.self) { try BertEncoder(directory: tiny.directory) }
        guard case .corruptSafeTensors = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(error?.localizedDescription.contains("truncated") == true)
    }

    @Test(
        "corrupt safetensors headers are rejected",
        arguments: [
            Data(), Data([1, 2, 3]), Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x7B]),
            Data([5, 0, 0, 0, 0, 0, 0, 0]) + Data("{abc}".utf8),
            Data([2, 0, 0, 0, 0, 0, 0, 0]) + Data("[]".utf8),
        ])
    func corruptHeader(data: Data) {
        #expect(throws: EmbeddingError.self) { try SafeTensorsFile(data: data) }
    }

    @Test("tensor with offsets past the end or wrong byte count is rejected")
    func badOffsets() throws {
        func file(_ header: String, dataBytes: Int) -> Data {
            var d = Data()
            var n = UInt64(header.utf8.count).littleEndian
            withUnsafeBytes(of: &n) { d.append(contentsOf: $0) }
            return d + Data(header.utf8) + Data(count: dataBytes)
        }
        #expect(throws: EmbeddingError.self) {
            try SafeTensorsFile(data: file(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, dataBytes: 8))
        }
        #expect(throws: EmbeddingError.self) {
            try SafeTensorsFile(data: file(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}"#, dataBytes: 16))
        }
        #expect(throws: EmbeddingError.self) {
            try SafeTensorsFile(data: file(#"{"a":{"dtype":"Q4","shape":[4],"data_offsets":[0,16]}}"#, dataBytes: 16))
        }
        let ok = try SafeTensorsFile(data: file(#"{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, dataBytes: 4))
        #expect(try ok.floats("a") == [0, 0])
        #expect(throws: EmbeddingError.missingTensor("b")) { try ok.floats("b") }
    }

    @Test("half and bfloat16 decode exactly")
    func halfConversion() {
        #expect(SafeTensorsFile.halfToFloat(0x3C00) == 1)
        #expect(SafeTensorsFile.halfToFloat(0xC000) == -2)
        #expect(SafeTensorsFile.halfToFloat(0x0001) == Float(sign: .plus, exponent: -24, significand: 1))
        #expect(SafeTensorsFile.halfToFloat(0x7C00) == .infinity)
    }

    @Test(
        "a config for another architecture is refused",
        arguments: [
            #"{"model_type": "roberta", "hidden_size": 32}"#,
            #"{"model_type": "llama", "architectures": ["LlamaForCausalLM"]}"#,
            #"{"model_type": "bert", "hidden_act": "relu", "vocab_size": 10, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 8}"#,
        ])
    func otherArchitecture(json: String) throws {
        let error = #expect(throws: EmbeddingError.self) { try BertConfig(json: Data(json.utf8)) }
        guard case .unsupportedArchitecture = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test("weights that do not match the config are refused")
    func shapeMismatch() throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        var other = tiny.config
        other.hiddenSize = 16
        other.numAttentionHeads = 2
        try other.jsonData().write(to: tiny.directory.appendingPathComponent("config.json"))
        #expect(throws: EmbeddingError.self) { try BertEncoder(directory: tiny.directory) }
    }

    @Test("a vocabulary without [UNK] is refused")
    func vocabWithoutUnk() throws {
        let tiny = try TinyBert(vocab: TinyBert.vocabTokens.filter { $0 != "[UNK]" })
        defer { tiny.remove() }
        let error = #expect(throws: EmbeddingError.self) { try BertEncoder(directory: tiny.directory) }
        #expect(error?.localizedDescription.contains("[UNK]") == true)
    }

    @Test("missing model files give a file-not-found error")
    func missingFiles() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: EmbeddingError.fileNotFound("config.json")) { try BertEncoder(directory: dir) }
    }

    @Test(
        "awkward texts embed to finite unit vectors",
        arguments: [
            "", "   \t\n  ", "😀😃😄 🙈🙉🙊", "ሰላም ለዓለም ສະບາຍດີ", "\u{0}\u{FFFD}\u{200B}", "我们",
        ])
    func awkwardTexts(text: String) throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        let encoder = try BertEncoder(directory: tiny.directory)
        let v = encoder.embedSync([text], kind: .query)[0]
        #expect(v.count == 32)
        #expect(v.allSatisfy { $0.isFinite })
        #expect(abs(VectorMath.dot(v, v) - 1) < 1e-4)
    }

    @Test("a megabyte of text is truncated to the max length")
    func megabyte() throws {
        let tiny = try TinyBert()
        defer { tiny.remove() }
        let encoder = try BertEncoder(directory: tiny.directory)
        let text = String(repeating: "the quick brown fox jumps over the lazy dog. ", count: 1_000_000 / 45)
        let ids = encoder.tokenizer.encode(text)
        #expect(ids.count == encoder.maxSequenceLength)
        #expect(ids.last == encoder.tokenizer.sepID)
        #expect(encoder.embedSync([text], kind: .document)[0].count == 32)
    }
}
