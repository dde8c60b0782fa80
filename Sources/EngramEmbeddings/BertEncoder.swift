import Foundation

/// The local embedding model: a BERT-architecture sentence-transformers model loaded from its folder
/// (config.json, model.safetensors, vocab.txt or tokenizer.json, 1_Pooling/config.json, sentence_bert_config.json).
package struct BertEncoder: Embedder {
    package let config: BertConfig
    package let tokenizer: WordPieceTokenizer
    package let pooling: PoolingMode
    package let options: EmbeddingOptions
    package let modelID: String
    /// Worker threads for the kernels (defaults to the active core count).
    package let threads: Int
    /// The compiled kernel set in use (the fastest the CPU runs: AVX-512, AVX2 + FMA or baseline, unless `ENGRAM_SIMD` names one).
    package let kernelPath: KernelPath
    private let model: BertModel

    package var dimensions: Int { options.outputDimensions(for: config.hiddenSize) }
    /// Longest token sequence (with [CLS] and [SEP]) the encoder reads; longer texts are truncated.
    package var maxSequenceLength: Int { tokenizer.maxLength }

    /// Loads the model in `directory`. `modelID` defaults to the folder name (plus the truncation, if any).
    /// `kernelPath` nil picks the fastest the CPU runs (see `KernelPath.automatic`); an explicit path the CPU
    /// cannot run throws.
    package init(
        directory: URL, options: EmbeddingOptions = EmbeddingOptions(), modelID: String? = nil,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount, kernelPath: KernelPath? = nil
    ) throws {
        let fm = FileManager.default
        if let kernelPath { try kernelPath.requireAvailable() }
        let path = try kernelPath ?? KernelPath.automatic()
        let configURL = directory.appendingPathComponent("config.json")
        let config = try BertConfig(contentsOf: configURL)
        if let n = options.truncateDimensions, n <= 0 || n > config.hiddenSize {
            throw EmbeddingError.invalidArgument("Matryoshka truncation to \(n) dimensions is outside 1...\(config.hiddenSize)")
        }

        var maxLength = config.maxPositionEmbeddings
        if let data = try? Data(contentsOf: directory.appendingPathComponent("sentence_bert_config.json")),
            let obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let n = (obj["max_seq_length"] as? NSNumber)?.intValue, n > 1
        {
            maxLength = min(n, config.maxPositionEmbeddings)
        }

        let vocabURL = directory.appendingPathComponent("vocab.txt")
        let tokenizerURL = directory.appendingPathComponent("tokenizer.json")
        let tokenizer: WordPieceTokenizer
        if fm.fileExists(atPath: tokenizerURL.path) {
            tokenizer = try WordPieceTokenizer(tokenizerJSON: tokenizerURL, maxLength: maxLength)
        } else if fm.fileExists(atPath: vocabURL.path) {
            var settings = WordPieceTokenizer.Settings()
            if let data = try? Data(contentsOf: directory.appendingPathComponent("tokenizer_config.json")),
                let obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            {
                if let lower = obj["do_lower_case"] as? Bool { settings.lowercase = lower; settings.stripAccents = lower }
                if let strip = obj["strip_accents"] as? Bool { settings.stripAccents = strip }
            }
            tokenizer = try WordPieceTokenizer(vocabFile: vocabURL, settings: settings, maxLength: maxLength)
        } else {
            throw EmbeddingError.fileNotFound("vocab.txt or tokenizer.json")
        }
        guard tokenizer.vocabularySize <= config.vocabSize else {
            throw EmbeddingError.invalidVocabulary("\(tokenizer.vocabularySize) tokens but the model has \(config.vocabSize) embeddings")
        }

        let weights = try SafeTensorsFile(url: directory.appendingPathComponent("model.safetensors"))
        self.model = try BertModel(config: config, weights: weights)
        self.config = config
        self.tokenizer = tokenizer
        self.pooling = PoolingMode.load(directory: directory)
        self.options = options
        self.threads = max(1, threads)
        self.kernelPath = path
        var id = modelID ?? directory.standardizedFileURL.lastPathComponent
        if let n = options.truncateDimensions, n < config.hiddenSize { id += "@\(n)d" }
        self.modelID = id
    }

    package func embed(_ texts: [String], kind: EmbeddingKind) async throws -> [[Float]] {
        embedSync(texts, kind: kind)
    }

    /// Synchronous embedding (the work is CPU-bound; `embed` simply calls this).
    package func embedSync(_ texts: [String], kind: EmbeddingKind) -> [[Float]] {
        let ids = texts.map { tokenizer.encode(options.prefixes.apply($0, kind: kind)) }
        return encode(tokenIDs: ids).map { options.finish($0) }
    }

    /// Pooled (not yet normalised or truncated) vectors for already-tokenised inputs.
    /// Inputs are processed in packed batches of bounded total length to cap scratch memory.
    package func encode(tokenIDs: [[Int32]]) -> [[Float]] {
        let h = config.hiddenSize
        var results = [[Float]](repeating: [], count: tokenIDs.count)
        let budget = 4096
        var start = 0
        while start < tokenIDs.count {
            var end = start
            var tokens = 0
            while end < tokenIDs.count && (end == start || tokens + tokenIDs[end].count <= budget) {
                tokens += tokenIDs[end].count
                end += 1
            }
            let batch = Array(tokenIDs[start..<end])
            let hidden = model.forward(batch, threads: threads, kernels: kernelPath.kernels)
            for (i, states) in hidden.enumerated() {
                results[start + i] = pooling.pool(states, length: states.count / h, hidden: h)
            }
            start = end
        }
        return results
    }
}
