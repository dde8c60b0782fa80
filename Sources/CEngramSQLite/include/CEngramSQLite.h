#ifndef CENGRAM_SQLITE_H
#define CENGRAM_SQLITE_H

#include <sqlite3.h>

/// Keeps a connection from checkpointing the WAL when it closes (sqlite3_db_config is variadic, which
/// Swift cannot call). A hook process is usually the last connection, and a checkpoint on close costs it
/// a copy into the database, two fsyncs and the WAL's unlink; SQLite's auto-checkpoint on commit and the
/// worker keep the WAL short instead. Returns SQLITE_OK, or an error code when the library predates the option.
static inline int engram_sqlite_skip_checkpoint_on_close(sqlite3 *db) {
#ifdef SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
#else
    return SQLITE_ERROR;
#endif
}

#endif
