/// How engram estimates tokens, with no tokenizer at hand: about four characters per
/// token for ASCII text (English prose and code under Claude's and OpenAI's BPE
/// tokenizers average 3.5–4.5), and one token per non-ASCII scalar (CJK, emoji and
/// accented text tokenize far less densely). Rounded up, so budgets err on the safe side.
public enum TokenEstimator {
    public static func estimate(_ text: String) -> Int {
        var ascii = 0
        var other = 0
        for unit in text.utf8 {
            if unit < 0x80 { ascii += 1 } else if unit & 0xC0 != 0x80 { other += 1 } // count lead bytes only: one per scalar
        }
        return (ascii + 3) / 4 + other
    }
}
