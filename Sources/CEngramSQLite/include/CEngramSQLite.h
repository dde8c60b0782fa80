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

#endif
