#include "CEngramSQLite.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

// engram_bm25: FTS5's bm25 (ext/fts5/fts5_aux.c, same constants, same arithmetic in the same order, so scores
// are bit-for-bit equal), for ranking queries that keep only the best k rows.
//
// What bm25 costs per matching row is mostly the row's total size in tokens: FTS5 looks it up in the docsize
// shadow table with a prepared statement per row. Here the lookup is a BLOB handle moved from row to row
// (sqlite3_blob_reopen: a B-tree seek without the VDBE), and it is skipped for rows that cannot make the top k:
// a row's tokens are at least the last match offset + 1 in each column holding a match, and bm25 only falls as a
// row grows, so the score computed with that lower size bound is an upper bound of the real one. A min-heap of
// the k best real scores so far gives the bar; a row whose bound is strictly below it is answered 0.0.

typedef struct {
    int phraseCount;
    double *idf;
    double averageSize;
    int k;
    int prune;            // 0 when a weight is negative: a longer row can then score higher, and no bound holds
    int heapCount;
    double *heap;         // min-heap of the best k real scores (positive)
    sqlite3_blob *blob;   // on <table>_docsize.sz, moved row to row
    const char *docsize;  // "<table>_docsize"
    int columns;          // varints expected in a docsize record
    int haveLast;         // the last row answered, so a row evaluated twice is not pushed twice
    sqlite3_int64 lastRowid;
    double lastResult;
} EngramBM25;

static void engram_bm25_free(void *p) {
    EngramBM25 *d = p;
    if (d->blob) sqlite3_blob_close(d->blob);
    sqlite3_free(d->idf);
    sqlite3_free(d->heap);
    sqlite3_free(d);
}

static int engram_bm25_count(const Fts5ExtensionApi *api, Fts5Context *fts, void *user) {
    (void)api; (void)fts;
    (*(sqlite3_int64 *)user)++;
    return SQLITE_OK;
}

// For each phrase, the first phrase with the same key in `keys` (space-separated integers, one per phrase), or
// NULL when there are no keys or they do not list one per phrase.
static int *engram_bm25_same_phrases(sqlite3_value *keys, int phrases) {
    if (!keys || sqlite3_value_type(keys) != SQLITE_TEXT || phrases <= 0) return 0;
    const char *text = (const char *)sqlite3_value_text(keys);
    int *key = sqlite3_malloc64(sizeof(int) * phrases * 2);
    if (!key || !text) { sqlite3_free(key); return 0; }
    int *same = key + phrases, n = 0;
    for (const char *c = text; *c;) {
        while (*c == ' ') c++;
        if (!*c) break;
        if (*c < '0' || *c > '9' || n == phrases) { sqlite3_free(key); return 0; }
        long v = 0;
        while (*c >= '0' && *c <= '9') { v = v * 10 + (*c - '0'); if (v > 1000000) { sqlite3_free(key); return 0; } c++; }
        key[n++] = (int)v;
    }
    if (n != phrases) { sqlite3_free(key); return 0; }
    for (int i = 0; i < phrases; i++) {
        same[i] = i;
        for (int j = 0; j < i; j++) if (key[j] == key[i]) { same[i] = j; break; }
    }
    // The caller frees the whole block through `same`'s start: move it to the front.
    memmove(key, same, sizeof(int) * phrases);
    return key;
}

static int engram_bm25_setup(const Fts5ExtensionApi *api, Fts5Context *fts, const char *docsize, sqlite3_int64 k,
                             int argc, sqlite3_value **argv, EngramBM25 **out) {
    EngramBM25 *d = api->xGetAuxdata(fts, 0);
    if (d) { *out = d; return SQLITE_OK; }
    sqlite3_int64 rows = 0, tokens = 0;
    int rc = api->xRowCount(fts, &rows);
    if (rc != SQLITE_OK) return rc;
    d = sqlite3_malloc(sizeof(EngramBM25));
    if (!d) return SQLITE_NOMEM;
    memset(d, 0, sizeof(EngramBM25));
    // More than the table's rows can never be kept: the heap needs no more room than that.
    if (k > rows) k = rows;
    d->k = k > 0 ? (int)k : 1;
    d->prune = 1;
    for (int i = 2; i < argc; i++) if (sqlite3_value_double(argv[i]) < 0.0) d->prune = 0;
    d->docsize = docsize;
    d->columns = api->xColumnCount(fts);
    d->phraseCount = api->xPhraseCount(fts);
    d->idf = sqlite3_malloc64(sizeof(double) * (d->phraseCount > 0 ? d->phraseCount : 1));
    d->heap = sqlite3_malloc64(sizeof(double) * d->k);
    if (!d->idf || !d->heap) { engram_bm25_free(d); return SQLITE_NOMEM; }
    if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (rc == SQLITE_OK) d->averageSize = (double)tokens / (double)rows;
    // Phrases the caller marks as the same (a question's any-two-words stage names each word in several pairs)
    // share one count of their documents: counting walks the phrase's whole doclist, most of a query's cost.
    int *same = engram_bm25_same_phrases(argc > 1 ? argv[1] : 0, d->phraseCount);
    for (int i = 0; rc == SQLITE_OK && i < d->phraseCount; i++) {
        if (same && same[i] < i) { d->idf[i] = d->idf[same[i]]; continue; }
        sqlite3_int64 hits = 0;
        rc = api->xQueryPhrase(fts, i, (void *)&hits, engram_bm25_count);
        if (rc == SQLITE_OK) {
            double idf = log((rows - hits + 0.5) / (hits + 0.5));
            if (idf <= 0.0) idf = 1e-6;
            d->idf[i] = idf;
        }
    }
    sqlite3_free(same);
    if (rc == SQLITE_OK) rc = api->xSetAuxdata(fts, d, engram_bm25_free);
    else engram_bm25_free(d);
    if (rc == SQLITE_OK) *out = d;
    return rc;
}

static double engram_bm25_score(const EngramBM25 *d, const double *frequency, double size) {
    const double k1 = 1.2, b = 0.75;
    double score = 0.0;
    for (int i = 0; i < d->phraseCount; i++) {
        score += d->idf[i] * ((frequency[i] * (k1 + 1.0)) / (frequency[i] + k1 * (1 - b + b * size / d->averageSize)));
    }
    return score;
}

static void engram_bm25_push(EngramBM25 *d, double score) {
    double *h = d->heap;
    if (d->heapCount < d->k) {
        int i = d->heapCount++;
        h[i] = score;
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (h[parent] <= h[i]) break;
            double t = h[parent]; h[parent] = h[i]; h[i] = t;
            i = parent;
        }
        return;
    }
    if (score <= h[0]) return;
    h[0] = score;
    for (int i = 0;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < d->k && h[l] < h[m]) m = l;
        if (r < d->k && h[r] < h[m]) m = r;
        if (m == i) break;
        double t = h[m]; h[m] = h[i]; h[i] = t;
        i = m;
    }
}

// One SQLite varint (FTS5 writes its records with sqlite3PutVarint): big-endian groups of 7 bits, the high bit set
// on every byte but the last, and a ninth byte, if reached, contributing all 8 bits. Returns the bytes read (0 when
// the buffer ends inside the varint).
static int engram_bm25_varint(const unsigned char *p, int n, sqlite3_uint64 *value) {
    sqlite3_uint64 v = 0;
    for (int i = 0; i < n && i < 9; i++) {
        if (i == 8) { *value = (v << 8) | p[i]; return 9; }
        v = (v << 7) | (p[i] & 0x7f);
        if (!(p[i] & 0x80)) { *value = v; return i + 1; }
    }
    return 0;
}

// The row's size in tokens: the sum of the varints (one per column) in its docsize record.
static int engram_bm25_row_size(sqlite3_context *ctx, EngramBM25 *d, sqlite3_int64 rowid, int *size) {
    int rc = d->blob ? sqlite3_blob_reopen(d->blob, rowid)
                     : sqlite3_blob_open(sqlite3_context_db_handle(ctx), "main", d->docsize, "sz", rowid, 0, &d->blob);
    if (rc != SQLITE_OK) return rc;
    unsigned char buffer[128];
    int n = sqlite3_blob_bytes(d->blob);
    if (n > (int)sizeof(buffer)) return SQLITE_CORRUPT;
    if (n > 0 && (rc = sqlite3_blob_read(d->blob, buffer, n, 0)) != SQLITE_OK) return rc;
    sqlite3_uint64 total = 0;
    int count = 0;
    for (int i = 0; i < n; count++) {
        sqlite3_uint64 value = 0;
        int used = engram_bm25_varint(buffer + i, n - i, &value);
        if (used == 0) return SQLITE_CORRUPT;
        total += value;
        i += used;
    }
    // One varint per column: anything else is not this table's size record (the function is registered for
    // one table's docsize, and FTS5 would let it be called on another).
    if (count != d->columns || total > 0x7fffffff) return SQLITE_CORRUPT;
    *size = (int)total;
    return SQLITE_OK;
}

static void engram_bm25_function(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                                 int argc, sqlite3_value **argv) {
    if (argc < 2 || sqlite3_value_type(argv[0]) != SQLITE_INTEGER || sqlite3_value_int64(argv[0]) < 1) {
        sqlite3_result_error(ctx, "engram_bm25(table, k, phrase keys or NULL, weights...): k is the number of rows kept, an integer of at least 1", -1);
        return;
    }
    sqlite3_int64 k = sqlite3_value_int64(argv[0]);
    const char *docsize = api->xUserData(fts);
    EngramBM25 *d = 0;
    int rc = engram_bm25_setup(api, fts, docsize, k, argc, argv, &d);
    if (rc == SQLITE_OK && d->haveLast && d->lastRowid == api->xRowid(fts)) {
        sqlite3_result_double(ctx, d->lastResult);
        return;
    }
    double stackFrequency[16];
    double *frequency = stackFrequency;
    int columns = api->xColumnCount(fts);
    int stackLast[16];
    int *last = stackLast;
    if (rc == SQLITE_OK && d->phraseCount > 16) {
        frequency = sqlite3_malloc64(sizeof(double) * d->phraseCount);
        if (!frequency) rc = SQLITE_NOMEM;
    }
    if (rc == SQLITE_OK && columns > 16) {
        last = sqlite3_malloc64(sizeof(int) * columns);
        if (!last) rc = SQLITE_NOMEM;
    }
    if (rc == SQLITE_OK) {
        for (int i = 0; i < d->phraseCount; i++) frequency[i] = 0.0;
        for (int c = 0; c < columns; c++) last[c] = -1;
        int instances = 0;
        rc = api->xInstCount(fts, &instances);
        for (int i = 0; rc == SQLITE_OK && i < instances; i++) {
            int phrase, column, offset;
            rc = api->xInst(fts, i, &phrase, &column, &offset);
            if (rc == SQLITE_OK) {
                // Weights follow k and the phrase keys, one per column, as bm25's follow the table.
                double w = (argc - 2 > column) ? sqlite3_value_double(argv[column + 2]) : 1.0;
                frequency[phrase] += w;
                if (column >= 0 && column < columns && offset > last[column]) last[column] = offset;
            }
        }
    }
    if (rc == SQLITE_OK) {
        int atLeast = 0;
        for (int c = 0; c < columns; c++) atLeast += last[c] + 1;
        double result = 0.0;
        if (!(d->prune && d->heapCount == d->k && engram_bm25_score(d, frequency, (double)atLeast) < d->heap[0])) {
            int size = 0;
            rc = engram_bm25_row_size(ctx, d, api->xRowid(fts), &size);
            if (rc == SQLITE_OK) {
                double score = engram_bm25_score(d, frequency, (double)size);
                engram_bm25_push(d, score);
                result = -1.0 * score;
            }
        }
        if (rc == SQLITE_OK) {
            d->haveLast = 1;
            d->lastRowid = api->xRowid(fts);
            d->lastResult = result;
            sqlite3_result_double(ctx, result);
        }
    }
    if (frequency != stackFrequency) sqlite3_free(frequency);
    if (last != stackLast) sqlite3_free(last);
    if (rc != SQLITE_OK) sqlite3_result_error_code(ctx, rc);
}

static void engram_bm25_destroy(void *p) { sqlite3_free(p); }

int engram_sqlite_register_bm25(sqlite3 *db, const char *table) {
    fts5_api *api = 0;
    sqlite3_stmt *statement = 0;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, 0);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_pointer(statement, 1, (void *)&api, "fts5_api_ptr", 0);
    sqlite3_step(statement);
    rc = sqlite3_finalize(statement);
    if (rc != SQLITE_OK) return rc;
    if (!api || api->iVersion < 2) return SQLITE_ERROR;
    char *docsize = sqlite3_mprintf("%s_docsize", table);
    if (!docsize) return SQLITE_NOMEM;
    rc = api->xCreateFunction(api, "engram_bm25", docsize, engram_bm25_function, engram_bm25_destroy);
    if (rc != SQLITE_OK) sqlite3_free(docsize);
    return rc;
}
