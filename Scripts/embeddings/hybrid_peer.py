#!/usr/bin/env python3
"""LanceDB's hybrid search over the records `engram-bench hybrid` seeded, timed the way engram's side is.

Usage:
  python3 Scripts/embeddings/hybrid_peer.py build DIR   # table + FTS index (+ a bitmap index on project)
  python3 Scripts/embeddings/hybrid_peer.py query DIR   # a fresh process: open, first query, then the timed rounds

DIR holds what engram wrote: records.jsonl (id, key, project, title, body, files: the memory_fts columns, in vector
order), vectors.f32 (float32 little-endian, one row per record) and workload.json (project, limit, pool, rounds,
queries with their vectors). Each command prints one JSON line.

Like engram: one full-text column (title, body and files joined; engram weighs them 4/1/2 in bm25, LanceDB cannot
per column), exact vector search (no ANN index, cosine), the project filter, `pool` candidates per list fused by
reciprocal rank (k = 60), the top `limit` materialised as Python rows (engram hydrates its hits).
"""
import gc
import json
import os
import sys
import time

# Lance logs deprecation notices per query on stderr; only errors matter here.
os.environ.setdefault("LANCEDB_LOG", "error")


def rss_mb():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def build(d):
    import numpy as np
    import pyarrow as pa
    import lancedb
    from lancedb.index import FTS, Bitmap

    records = []
    with open(os.path.join(d, "records.jsonl"), encoding="utf-8") as f:
        for line in f:
            records.append(json.loads(line))
    vectors = np.fromfile(os.path.join(d, "vectors.f32"), dtype="<f4")
    dims = vectors.size // max(1, len(records))
    vectors = vectors.reshape(len(records), dims)
    table = pa.table({
        "id": pa.array([r["id"] for r in records], pa.int64()),
        "key": pa.array([r["key"] for r in records], pa.string()),
        "project": pa.array([r["project"] for r in records], pa.string()),
        "title": pa.array([r["title"] for r in records], pa.string()),
        "text": pa.array([" ".join((r["title"], r["body"], r["files"])) for r in records], pa.string()),
        "vector": pa.FixedSizeListArray.from_arrays(pa.array(vectors.reshape(-1), pa.float32()), dims),
    })
    del records, vectors
    gc.collect()
    t0 = time.perf_counter()
    db = lancedb.connect(os.path.join(d, "lance"))
    tbl = db.create_table("records", data=table, mode="overwrite")
    tbl.create_index("text", config=FTS(), replace=True)
    tbl.create_index("project", config=Bitmap(), replace=True)
    ingest = (time.perf_counter() - t0) * 1000
    print(json.dumps({"peer": "lancedb", "version": lancedb.__version__, "ingestMilliseconds": ingest, "rows": tbl.count_rows()}))


def query(d):
    before = rss_mb()
    t0 = time.perf_counter()
    import numpy as np
    import lancedb
    from lancedb.rerankers import RRFReranker
    imported = (time.perf_counter() - t0) * 1000

    with open(os.path.join(d, "workload.json"), encoding="utf-8") as f:
        w = json.load(f)
    queries = [(q["text"], np.asarray(q["vector"], dtype=np.float32)) for q in w["queries"]]
    project = w["project"].replace("'", "''")
    where = f"project IN ('{project}', '')"
    limit, pool = w["limit"], w["pool"]
    reranker = RRFReranker(K=60)

    def search(tbl, text, vector):
        rows = (tbl.search(query_type="hybrid", vector_column_name="vector", fts_columns="text")
                .vector(vector).text(text)
                .distance_type("cosine")
                .where(where, prefilter=True)
                .rerank(reranker)
                .select(["id", "key", "title", "text", "project"])
                .limit(pool)
                .to_arrow())
        return rows.slice(0, limit).to_pylist()

    t0 = time.perf_counter()
    db = lancedb.connect(os.path.join(d, "lance"))
    tbl = db.open_table("records")
    opened = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    top = [[r["key"] for r in search(tbl, *queries[0])]]
    first = (time.perf_counter() - t0) * 1000
    for text, vector in queries[1:]:
        top.append([r["key"] for r in search(tbl, text, vector)])
    ms = []
    for _ in range(max(1, w["rounds"])):
        for text, vector in queries:
            t0 = time.perf_counter()
            search(tbl, text, vector)
            ms.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"peer": "lancedb", "version": lancedb.__version__, "importMilliseconds": imported, "openMilliseconds": opened,
                      "firstQueryMilliseconds": first, "ms": ms, "residentMBBefore": before,
                      "residentMB": rss_mb(), "top": top}))


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("build", "query"):
        sys.exit(__doc__)
    (build if sys.argv[1] == "build" else query)(sys.argv[2])


if __name__ == "__main__":
    main()
