# The peer `engram-bench hooks` measures beside engram's keyword search: the same FTS5 query (bm25 with the same
# weights, project filter, hydration of the hits), timed in Python.
import json, re, sqlite3, sys, time
db, project, queries = sys.argv[1], sys.argv[2], sys.argv[3:]
con = sqlite3.connect(db)
def match(q):
    terms = re.findall(r"\w+", q)
    return " ".join('"%s"' % t for t in terms[:-1]) + (' "%s"*' % terms[-1])
sql = ("SELECT rowid, kind, CAST(ref AS TEXT), project, created_at, title, snippet(memory_fts, 1, '«', '»', '…', 16), "
       "bm25(memory_fts, 4.0, 1.0, 2.0) AS rank FROM memory_fts WHERE memory_fts MATCH ? AND project IN (?, '') ORDER BY rank LIMIT 10")
for q in queries: con.execute(sql, (match(q), project)).fetchall()
ms = []
for _ in range(10):
    for q in queries:
        t0 = time.perf_counter()
        rows = con.execute(sql, (match(q), project)).fetchall()
        for r in rows:
            if r[1] == "observation": con.execute("SELECT * FROM observations WHERE id = ?", (int(r[2]),)).fetchone()
        ms.append((time.perf_counter() - t0) * 1000)
print(json.dumps({"ms": ms}))
