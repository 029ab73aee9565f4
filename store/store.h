/* store/store.h -- the one way into the SQLite store: open/create, schema version, transactions.
 * Modules prepare their own statements against the tables of schema.sql, but open, version
 * checks, transactions and error wording go through here.
 *
 * Layer: above util/diag only; ingest/, metrics/, classify/ and reports/ all reach the store
 * through it, and the store is how they hand results to each other (classify writes table crs,
 * metrics reads it).  It knows the schema, not the meaning of any table.
 * Errors: 0 / -1 or NULL after diag_error() printed why, naming the store; store_rollback() and
 * store_close() never fail loudly, so error paths can call them unconditionally.
 * Ownership: the sqlite3 handle from store_open() is the caller's until store_close().  Statements
 * from store_prepare() are the caller's to sqlite3_finalize() (NULL is fine).  Borrowed: the text
 * bound by store_bind_text() must outlive the step (SQLITE_STATIC); store_col_text()'s pointer is
 * SQLite's, valid until the next step, reset or finalize of that statement; store_path() returns
 * its argument, the environment's string or a literal.
 * Threads: after store_global_init() SQLite runs without per-connection mutexes, so a connection
 * and its statements must be used by one thread at a time.  Ingest keeps the connection on its
 * writing thread; the reading thread never touches SQLite. */
#ifndef PSYFAITH_STORE_H
#define PSYFAITH_STORE_H

#include <sqlite3.h>

#define STORE_SCHEMA_VERSION 4
/* PRAGMA application_id of a psyfaith store ("PSFT"): tells it from other SQLite databases */
#define STORE_APPLICATION_ID 0x50534654
#define STORE_DEFAULT_PATH "psyfaith.db"

enum store_mode {
    STORE_READ,      /* must exist; read-only, and one snapshot: see store_read_begin() */
    STORE_WRITE,     /* must exist; read-write */
    STORE_CREATE,    /* created with the schema when missing */
};

/* Once, before any other SQLite call (main does it): each connection is used by one thread at a
 * time, so SQLite's per-connection mutexes are dropped (multi-thread mode), and so is its memory
 * accounting, which takes a global mutex on every allocation.  Together a tenth of ingest time. */
void store_global_init(void);

/* The store path: `--db` value if given, else $PSYFAITH_DB, else psyfaith.db.  Static or borrowed. */
const char *store_path(const char *db_option);

/* Opens the store, turns on foreign keys, WAL and a busy timeout, and checks
 * PRAGMA user_version: a newer store is refused, an older one is migrated.  The schema is made
 * only in an empty database (new path or empty file); any other database that is not a psyfaith
 * store is refused before anything writes to it.
 * Returns the handle, or NULL after printing why. Close with store_close(). */
sqlite3 *store_open(const char *path, enum store_mode mode);
void store_close(sqlite3 *db);

/* sqlite3_exec with an error message naming what failed; 0 or -1. */
int store_exec(sqlite3 *db, const char *sql);
/* sqlite3_prepare_v2 with an error message; NULL on failure. */
sqlite3_stmt *store_prepare(sqlite3 *db, const char *sql);

/* Transactions: BEGIN IMMEDIATE (waits up to the busy timeout for other writers), COMMIT,
 * ROLLBACK (never fails loudly: used on error paths). */
int store_begin(sqlite3 *db);
int store_commit(sqlite3 *db);
void store_rollback(sqlite3 *db);

/* Bulk load (a large ingest): the store leaves WAL for a rollback journal and is held with an
 * exclusive lock until store_bulk_end(), with a small page cache.  A big transaction then writes
 * each new page once (WAL writes it twice: to the log, then at the checkpoint) and no reader can
 * see the store half-written.  Crash story: a process killed during the load leaves the store in
 * rollback-journal mode with a hot journal; the next connection that opens it rolls the journal
 * back (a read command first reopens it read-write for that, store_open) and the next writer turns
 * WAL on again: the load is all or nothing, as in WAL mode.
 * store_bulk_begin() is opportunistic: when another connection has the store open it changes
 * nothing and returns 0 (the caller loads in WAL mode as usual); 1 when bulk mode is on; -1 after
 * printing why.  store_bulk_end() returns the store to WAL and the usual cache; 0 or -1. */
int store_bulk_begin(sqlite3 *db);
int store_bulk_end(sqlite3 *db);

/* A read-only descriptor of db's store file that the store keeps and closes in store_close(), after the
 * connection (the same one on every call); -1 when it cannot be opened.  For write-back hints
 * (store/writeback.c).  Never close it: closing any descriptor of the store file drops every POSIX
 * lock the process holds on it, SQLite's included, and another process could then write the store
 * under this connection. */
int store_file_fd(sqlite3 *db);

/* For the same reason, a file psyfaith reads while the store is open must not be the store: 0 when
 * path is not the store file or its -journal, -wal or -shm file (or does not exist), -1 after an
 * error that names it and what it was given as (what: "a log file", "a claims file"). */
int store_refuse_own_file(sqlite3 *db, const char *path, const char *what);

/* A read transaction (BEGIN + a first read), so that every later query of the connection sees the
 * same snapshot of the store however many queries a command makes, even while an ingest commits
 * (WAL: the writer goes on, the reader keeps its snapshot).  store_open(STORE_READ) begins one and
 * store_close() ends it; a command that opens STORE_WRITE and only reads for a while (classify
 * train) calls them itself.  0 or -1 after printing why. */
int store_read_begin(sqlite3 *db);
void store_read_end(sqlite3 *db);

/* Busy timeout in milliseconds for every store opened afterwards (default 60000). */
void store_set_busy_timeout(int ms);

/* sqlite3_bind_* with the return code checked: a value SQLite does not take (too big, no memory)
 * is otherwise left unbound, and runs as NULL.  0, or -1 after printing why.  Text is
 * SQLITE_STATIC (it must outlive the step); NULL text binds NULL. */
int store_bind_text(sqlite3_stmt *st, int i, const char *s);
int store_bind_int64(sqlite3_stmt *st, int i, sqlite3_int64 v);
int store_bind_double(sqlite3_stmt *st, int i, double v);
int store_bind_null(sqlite3_stmt *st, int i);
/* The end of a sqlite3_step loop: 0 when rc is SQLITE_DONE, else -1 after printing the store's
 * error (a failed step is an error, never a shorter list). */
int store_step_done(sqlite3_stmt *st, int rc);

/* Text of one column, or NULL; a convenience for sqlite3_column_text's unsigned char. */
const char *store_col_text(sqlite3_stmt *st, int col);

#endif
