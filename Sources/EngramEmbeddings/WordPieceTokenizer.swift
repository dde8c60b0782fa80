import Foundation

/// BERT's tokenizer: clean-up, CJK splitting, lower-casing and accent stripping, whitespace and punctuation
/// splitting, then greedy longest-match WordPiece, framed by [CLS] … [SEP]. Matches Hugging Face `BertTokenizerFast`.
package struct WordPieceTokenizer: Sendable {
    package struct Settings: Sendable, Equatable {
        package var lowercase: Bool
        package var stripAccents: Bool
        package var handleChineseChars: Bool
        package var cleanText: Bool
        package var continuingSubwordPrefix: String
        package var maxInputCharsPerWord: Int
        package var unkToken: String
        package var clsToken: String
        package var sepToken: String

        package init(
            lowercase: Bool = true, stripAccents: Bool? = nil, handleChineseChars: Bool = true, cleanText: Bool = true,
            continuingSubwordPrefix: String = "##", maxInputCharsPerWord: Int = 100,
            unkToken: String = "[UNK]", clsToken: String = "[CLS]", sepToken: String = "[SEP]"
        ) {
            self.lowercase = lowercase
            // BERT's rule: accents are stripped when lower-casing unless told otherwise.
            self.stripAccents = stripAccents ?? lowercase
            self.handleChineseChars = handleChineseChars
            self.cleanText = cleanText
            self.continuingSubwordPrefix = continuingSubwordPrefix
            self.maxInputCharsPerWord = maxInputCharsPerWord
            self.unkToken = unkToken
            self.clsToken = clsToken
            self.sepToken = sepToken
        }
    }

    package let settings: Settings
    /// Maximum sequence length including [CLS] and [SEP].
    package let maxLength: Int
    package let unkID: Int32
    package let clsID: Int32
    package let sepID: Int32
    package var vocabularySize: Int { vocab.count }
    private let vocab: [String: Int32]

    /// Builds a tokenizer from a token → id map.
    package init(vocab: [String: Int32], settings: Settings = Settings(), maxLength: Int = 512) throws {
        guard !vocab.isEmpty else { throw EmbeddingError.invalidVocabulary("the vocabulary is empty") }
        guard let unk = vocab[settings.unkToken] else {
            throw EmbeddingError.invalidVocabulary("it has no unknown token \(settings.unkToken)")
        }
        guard let cls = vocab[settings.clsToken], let sep = vocab[settings.sepToken] else {
            throw EmbeddingError.invalidVocabulary("it lacks \(settings.clsToken) or \(settings.sepToken)")
        }
        guard maxLength >= 2 else { throw EmbeddingError.invalidConfig("max sequence length \(maxLength) is below 2") }
        self.vocab = vocab
        self.settings = settings
        self.maxLength = maxLength
        self.unkID = unk
        self.clsID = cls
        self.sepID = sep
    }

    /// Reads `vocab.txt` (one token per line, id = line number).
    package init(vocabFile url: URL, settings: Settings = Settings(), maxLength: Int = 512) throws {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw EmbeddingError.fileNotFound(url.lastPathComponent)
        }
        var vocab: [String: Int32] = [:]
        var id: Int32 = 0
        // Split on \n only: tokens may be odd whitespace-like scalars that other splitters would eat.
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        for line in lines {
            var token = String(line)
            if token.hasSuffix("\r") { token.removeLast() }
            if vocab[token] == nil { vocab[token] = id }
            id += 1
        }
        try self.init(vocab: vocab, settings: settings, maxLength: maxLength)
    }

    /// Reads a Hugging Face `tokenizer.json` with a WordPiece model and BERT normaliser.
    package init(tokenizerJSON url: URL, maxLength: Int = 512) throws {
        guard let data = try? Data(contentsOf: url) else { throw EmbeddingError.fileNotFound(url.lastPathComponent) }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let model = root["model"] as? [String: Any]
        else {
            throw EmbeddingError.invalidVocabulary("tokenizer.json has no model section")
        }
        if let type = model["type"] as? String, type != "WordPiece" {
            throw EmbeddingError.unsupportedArchitecture("tokenizer type \(type); only WordPiece is supported")
        }
        guard let vocabAny = model["vocab"] as? [String: Any] else {
            throw EmbeddingError.invalidVocabulary("tokenizer.json has no WordPiece vocab")
        }
        var vocab: [String: Int32] = [:]
        for (token, idAny) in vocabAny {
            guard let id = (idAny as? NSNumber)?.int32Value else { continue }
            if let existing = vocab[token], existing <= id { continue }
            vocab[token] = id
        }
        var settings = Settings()
        if let unk = model["unk_token"] as? String { settings.unkToken = unk }
        if let prefix = model["continuing_subword_prefix"] as? String { settings.continuingSubwordPrefix = prefix }
        if let maxChars = (model["max_input_chars_per_word"] as? NSNumber)?.intValue { settings.maxInputCharsPerWord = maxChars }
        if let normalizer = root["normalizer"] as? [String: Any], normalizer["type"] as? String == "BertNormalizer" {
            let lower = (normalizer["lowercase"] as? Bool) ?? true
            settings.lowercase = lower
            settings.stripAccents = (normalizer["strip_accents"] as? Bool) ?? lower
            settings.handleChineseChars = (normalizer["handle_chinese_chars"] as? Bool) ?? true
            settings.cleanText = (normalizer["clean_text"] as? Bool) ?? true
        }
        try self.init(vocab: vocab, settings: settings, maxLength: maxLength)
    }

    /// Token ids for `text`: [CLS] pieces… [SEP], truncated to `maxLength`.
    package func encode(_ text: String) -> [Int32] {
        var ids: [Int32] = [clsID]
        let budget = maxLength - 2
        // Work on a bounded prefix so a megabyte of input costs no more than the budget needs:
        // each piece consumes at least one scalar, so 8 scalars per slot plus a word's worth is ample.
        let scalarLimit = budget * 8 + settings.maxInputCharsPerWord * 2 + 64
        for word in words(text, scalarLimit: scalarLimit) {
            if ids.count - 1 >= budget { break }
            appendPieces(of: word, to: &ids, limit: budget + 1)
        }
        if ids.count > budget + 1 { ids.removeLast(ids.count - budget - 1) }
        ids.append(sepID)
        return ids
    }

    /// The pre-tokenised words (after normalisation) — exposed for debugging and tests.
    package func words(_ text: String, scalarLimit: Int = .max) -> [[Unicode.Scalar]] {
        var normalized: [Unicode.Scalar] = []
        normalized.reserveCapacity(min(text.unicodeScalars.count, scalarLimit))
        var taken = 0
        for scalar in text.unicodeScalars {
            if taken >= scalarLimit { break }
            taken += 1
            if settings.cleanText {
                if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) { continue }
                if Self.isWhitespace(scalar) { normalized.append(" "); continue }
            }
            if settings.handleChineseChars && Self.isCJK(scalar) {
                normalized.append(" "); normalized.append(scalar); normalized.append(" ")
                continue
            }
            normalized.append(scalar)
        }
        var string = String(String.UnicodeScalarView(normalized))
        if settings.lowercase { string = string.lowercased() }
        var scalars: [Unicode.Scalar]
        if settings.stripAccents {
            scalars = string.decomposedStringWithCanonicalMapping.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }
        } else {
            scalars = Array(string.unicodeScalars)
        }
        var result: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for s in scalars {
            if Self.isWhitespace(s) {
                if !current.isEmpty { result.append(current); current = [] }
            } else if Self.isPunctuation(s) {
                if !current.isEmpty { result.append(current); current = [] }
                result.append([s])
            } else {
                current.append(s)
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    private func appendPieces(of word: [Unicode.Scalar], to ids: inout [Int32], limit: Int) {
        if word.count > settings.maxInputCharsPerWord { ids.append(unkID); return }
        var pieces: [Int32] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int32?
            while start < end {
                var piece = String(String.UnicodeScalarView(word[start..<end]))
                if start > 0 { piece = settings.continuingSubwordPrefix + piece }
                if let id = vocab[piece] { found = id; break }
                end -= 1
            }
            guard let id = found else { ids.append(unkID); return }
            pieces.append(id)
            start = end
        }
        for id in pieces where ids.count < limit { ids.append(id) }
    }

    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case " ", "\t", "\n", "\r": return true
        default: return s.properties.isWhitespace || s.properties.generalCategory == .spaceSeparator
        }
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "\t", "\n", "\r": return false
        default:
            switch s.properties.generalCategory {
            case .control, .format, .unassigned, .privateUse: return true
            default: return false
            }
        }
    }

    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) { return true }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
            0x2B740...0x2B81F, 0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
