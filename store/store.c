/* store/store.c -- opening the store, schema creation and version checks, transactions */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "schema.h"
#include "store/store.h"

static int busy_timeout_ms = 60000;

void store_set_busy_timeout(int ms)
{
    busy_timeout_ms = ms;
}

const char *store_path(const char *db_option)
{
    if (db_option && *db_option)
        return db_option;
    const char *env = getenv("PSYFAITH_DB");
    return env && *env ? env : STORE_DEFAULT_PATH;
}

int store_exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK)
        return 0;
    diag_error("store: %s", err ? err : sqlite3_errmsg(db));
    sqlite3_free(err);
    return -1;
}

sqlite3_stmt *store_prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        diag_error("store: cannot prepare statement: %s", sqlite3_errmsg(db));
        return NULL;
    }
    return st;
}

const char *store_col_text(sqlite3_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st, col);
}

int store_begin(sqlite3 *db)
{
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        return 0;
    if (rc == SQLITE_BUSY)
        return diag_error("store '%s' is locked by another writer (waited %d ms; see --busy-timeout)",
                          sqlite3_db_filename(db, "main"), busy_timeout_ms);
    return diag_error("store: cannot begin a transaction: %s", sqlite3_errmsg(db));
}

int store_commit(sqlite3 *db)
{
    int rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        return 0;
    diag_error("store: cannot commit: %s", sqlite3_errmsg(db));
    store_rollback(db);
    return -1;
}

void store_rollback(sqlite3 *db)
{
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

static int user_version(sqlite3 *db, int *version)
{
    sqlite3_stmt *st = store_prepare(db, "PRAGMA user_version");
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *version = sqlite3_column_int(st, 0);
    else
        diag_error("store: cannot read the schema version: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Creates the schema in a fresh store, inside one transaction so that a failure leaves nothing. */
static int create_schema(sqlite3 *db)
{
    char pragma[64];
    if (store_begin(db) < 0)
        return -1;
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", STORE_SCHEMA_VERSION);
    if (store_exec(db, schema_sql) < 0 || store_exec(db, pragma) < 0) {
        store_rollback(db);
        return -1;
    }
    return store_commit(db);
}

static int file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

sqlite3 *store_open(const char *path, enum store_mode mode)
{
    sqlite3 *db = NULL;
    int flags, version = 0;
    if (mode != STORE_CREATE && !file_exists(path)) {
        diag_error("no store at '%s' (run 'psyfaith init' first, or give --db FILE)", path);
        return NULL;
    }
    flags = mode == STORE_READ ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (mode == STORE_CREATE)
        flags |= SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        diag_error("cannot open store '%s': %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        goto fail;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, busy_timeout_ms);
    if (user_version(db, &version) < 0) {
        diag_error("'%s' is not a psyfaith store", path);
        goto fail;
    }
    if (version > STORE_SCHEMA_VERSION) {
        diag_error("store '%s' has schema version %d, newer than this psyfaith (%d): upgrade psyfaith",
                   path, version, STORE_SCHEMA_VERSION);
        goto fail;
    }
    if (store_exec(db, "PRAGMA foreign_keys = ON") < 0)
        goto fail;
    if (mode != STORE_READ) {
        /* WAL lets readers work while an ingest runs; NORMAL sync is durable at checkpoints and
         * never corrupts, which is the trade-off the sqlite docs recommend for WAL. */
        sqlite3_stmt *st = store_prepare(db, "PRAGMA journal_mode = WAL");
        if (!st)
            goto fail;
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW) {
            diag_error("cannot use store '%s': %s", path, sqlite3_errmsg(db));
            goto fail;
        }
        /* 64 MiB of page cache keeps the indices of a large ingest in memory */
        if (store_exec(db, "PRAGMA synchronous = NORMAL") < 0 || store_exec(db, "PRAGMA cache_size = -65536") < 0)
            goto fail;
    }
    if (version == 0) {
        if (mode == STORE_READ) {
            diag_error("'%s' is not a psyfaith store (schema version 0)", path);
            goto fail;
        }
        if (create_schema(db) < 0)
            goto fail;
    }
    return db;
fail:
    sqlite3_close(db);
    return NULL;
}

void store_close(sqlite3 *db)
{
    sqlite3_close(db);
}
