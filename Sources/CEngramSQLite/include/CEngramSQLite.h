#ifndef CENGRAM_SQLITE_H
#define CENGRAM_SQLITE_H

#include <sqlite3.h>

/// Whether a connection checkpoints the WAL when it closes as the database's last connection (SQLite's
/// default: yes). sqlite3_db_config is variadic, which Swift cannot call. Returns SQLITE_OK, or an error
/// code when the library predates the option.
static inline int engram_sqlite_checkpoint_on_close(sqlite3 *db, int enabled) {
#ifdef SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, enabled ? 0 : 1, (int *)0);
#else
    return SQLITE_ERROR;
#endif
}

/// Registers the FTS5 auxiliary function `engram_bm25(fts_table, k, phrase_keys, weight...)` on a connection, for
/// the FTS5 table `table` (its `<table>_docsize` shadow table is read directly). Returns SQLITE_OK or an error code.
/// `phrase_keys` is NULL or one integer per phrase of the MATCH expression, in order, equal for the same phrase:
/// equal phrases share one count of their documents (bm25's IDF), which would otherwise be counted each time.
///
/// `engram_bm25` returns exactly what FTS5's `bm25(fts_table, weight...)` returns for every row that can be
/// among the best `k` of its query; for a row that cannot (an upper bound of its score, from the positions of
/// its matches alone, is already below the k-th best score seen), it skips the document-size lookup and returns
/// 0.0, which orders after every real score. So `ORDER BY engram_bm25(...) LIMIT k` gives FTS5's bm25 ranking.
int engram_sqlite_register_bm25(sqlite3 *db, const char *table);

#endif
