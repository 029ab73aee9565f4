/* store/bulk.c -- bulk mode: a large load in a rollback journal under an exclusive lock (store.h) */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "diag.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "util.h"

/* PRAGMA journal_mode = mode: 1 when the store is in that mode after it, 0 when it is not (SQLite
 * keeps the old mode when the change is not possible, or the store is busy: another connection has
 * it open), -1 after printing any other error. */
static int set_journal_mode(sqlite3 *db, const char *mode)
{
    char sql[64], buf[512];
    sqlite3_stmt *st = NULL;
    int ret;
    snprintf(sql, sizeof sql, "PRAGMA journal_mode = %s", mode);
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *now = (const char *)sqlite3_column_text(st, 0);
        ret = now && strcasecmp(now, mode) == 0;
    } else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
        ret = 0;
    } else {
        ret = diag_error("store '%s': cannot set the journal mode to %s: %s", sqlite3_db_filename(db, "main"), mode,
                         store_errmsg(db, buf, sizeof buf));
    }
    sqlite3_finalize(st);
    return ret;
}

/* Test hook: PSYFAITH_TEST_BULK_CACHE_PAGES=N gives a bulk load a page cache of N pages, so that a
 * test's small file spills pages into the store file before it is killed: the hot journal's
 * rollback then has something to undo (tests/cli/ingest_bulk.sh).  Off when unset. */
static int test_bulk_cache(sqlite3 *db)
{
    const char *env = getenv("PSYFAITH_TEST_BULK_CACHE_PAGES");
    char sql[64];
    long pages;
    if (!env || parse_long(env, &pages) < 0 || pages <= 0)
        return 0;
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %ld", pages);
    return store_exec(db, sql);
}

int store_bulk_begin(sqlite3 *db)
{
    /* Leaving WAL needs the store to itself.  Another connection (a reader's snapshot, another
     * ingest) is not waited for: the caller then loads in WAL mode, as without bulk mode. */
    sqlite3_busy_timeout(db, 0);
    int on = set_journal_mode(db, "DELETE");
    sqlite3_busy_timeout(db, store_busy_timeout_ms);
    if (on <= 0)
        return on;
    /* Pages this connection read in WAL mode (the item banks) may be stale now: another connection's
     * WAL commit that changed no page count leaves the file change counter as it was, so the pager,
     * checking that counter in rollback mode, would trust them.  Dropping the unused cache makes
     * every later read come from the (checkpointed) file; reading a stale page here is a lost update
     * or a corrupt store.  Nothing of this connection is in use between transactions. */
    if (sqlite3_db_release_memory(db) != SQLITE_OK) {
        store_bulk_end(db);
        return diag_error("store '%s': cannot drop the page cache for a bulk load", sqlite3_db_filename(db, "main"));
    }
    /* EXCLUSIVE: the first write takes the lock and keeps it to store_bulk_end(), so that a cache
     * spill never waits for (or is refused by) a reader; synchronous FULL is the rollback journal's
     * setting that is safe on power loss too (NORMAL is, only in WAL mode). */
    if (store_exec(db, "PRAGMA locking_mode = EXCLUSIVE") < 0 || store_exec(db, "PRAGMA synchronous = FULL") < 0 ||
        store_exec(db, "PRAGMA cache_size = " BULK_CACHE_KIB) < 0 || test_bulk_cache(db) < 0) {
        store_bulk_end(db);
        return -1;
    }
    return 1;
}

int store_bulk_end(sqlite3 *db)
{
    int ret = 0;
    /* NORMAL takes effect at the next access, which the journal_mode change is */
    if (store_exec(db, "PRAGMA locking_mode = NORMAL") < 0 || store_exec(db, "PRAGMA synchronous = NORMAL") < 0 ||
        store_exec(db, "PRAGMA cache_size = " CACHE_KIB) < 0)
        ret = -1;
    int on = set_journal_mode(db, "WAL");
    if (on < 0)
        ret = -1;
    else if (on == 0)   /* committed data is safe in either mode; the next writer turns WAL on again */
        diag_note("store '%s': could not return to WAL mode after the load (the store is busy); the next "
                  "writer will", sqlite3_db_filename(db, "main"));
    return ret;
}
