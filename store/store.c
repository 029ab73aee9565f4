/* store/store.c -- opening the store, schema creation and version checks, transactions (bulk mode:
 * bulk.c; the store's own files outside SQLite: files.c) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "schema.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "util.h"

int store_busy_timeout_ms = 60000;
static int user_version(sqlite3 *db, int *version);

#define STORE_PAGE_SIZE "16384"

void store_global_init(void)
{
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    /* The sorter's smallest run, in pages (SQLite's default is 250: 4 MiB at 16 KiB pages).  A run
     * is as large as the connection's cache, so this only matters where the cache is small: the
     * sort that makes a bulk load's index again (ingest/writer_bulk.c) gets 1 MiB runs. */
    sqlite3_config(SQLITE_CONFIG_PMASZ, 64u);
}

void store_set_busy_timeout(int ms)
{
    store_busy_timeout_ms = ms;
}

const char *store_path(const char *db_option)
{
    if (db_option && *db_option)
        return db_option;
    const char *env = getenv("PSYFAITH_DB");
    return env && *env ? env : STORE_DEFAULT_PATH;
}

const char *store_errmsg(sqlite3 *db, char *buf, size_t size)
{
    int sys = sqlite3_system_errno(db);
    if ((sqlite3_extended_errcode(db) & 0xff) == SQLITE_IOERR && sys) {
        snprintf(buf, size, "%s: %s", sqlite3_errmsg(db), strerror(sys));
        return buf;
    }
    return sqlite3_errmsg(db);
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

/* Test hook: PSYFAITH_TEST_PAUSE_AT_PREPARE=N:PATH makes the N-th store_prepare() of the process
 * create PATH.waiting and wait (up to a minute) until PATH exists, so that a test can commit an
 * ingest between a command's queries (tests/cli/read_snapshot.sh).  Off when unset. */
static void test_pause(void)
{
    static long calls;
    test_hold_nth("PSYFAITH_TEST_PAUSE_AT_PREPARE", &calls);
}

sqlite3_stmt *store_prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    test_pause();
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        diag_error("store: cannot prepare statement: %s", sqlite3_errmsg(db));
        return NULL;
    }
    return st;
}

static int bind_result(sqlite3_stmt *st, int i, int rc)
{
    if (rc == SQLITE_OK)
        return 0;
    return diag_error("store: cannot bind parameter %d: %s", i, sqlite3_errstr(rc));
}

int store_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return bind_result(st, i, s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i));
}

int store_bind_int64(sqlite3_stmt *st, int i, sqlite3_int64 v)
{
    return bind_result(st, i, sqlite3_bind_int64(st, i, v));
}

int store_bind_double(sqlite3_stmt *st, int i, double v)
{
    return bind_result(st, i, sqlite3_bind_double(st, i, v));
}

int store_bind_null(sqlite3_stmt *st, int i)
{
    return bind_result(st, i, sqlite3_bind_null(st, i));
}

int store_step_done(sqlite3_stmt *st, int rc)
{
    if (rc == SQLITE_DONE)
        return 0;
    return diag_error("store: %s", sqlite3_errmsg(sqlite3_db_handle(st)));
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
                          sqlite3_db_filename(db, "main"), store_busy_timeout_ms);
    return diag_error("store: cannot begin a transaction: %s", sqlite3_errmsg(db));
}

int store_commit(sqlite3 *db)
{
    char buf[512];
    int rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        return 0;
    diag_error("store '%s': cannot commit (%s); the transaction was rolled back", sqlite3_db_filename(db, "main"),
               store_errmsg(db, buf, sizeof buf));
    store_rollback(db);
    return -1;
}

void store_rollback(sqlite3 *db)
{
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

int store_read_begin(sqlite3 *db)
{
    /* BEGIN alone takes no snapshot: the first read does (a deferred transaction) */
    if (store_exec(db, "BEGIN") < 0)
        return -1;
    if (store_exec(db, "SELECT count(*) FROM sqlite_master") < 0) {
        store_rollback(db);
        return -1;
    }
    return 0;
}

void store_read_end(sqlite3 *db)
{
    store_rollback(db);        /* nothing was written: ending the read is all there is to do */
}

/* A store left with a hot rollback journal (a bulk load killed half-way: store_bulk_begin) cannot be
 * read by a read-only connection, which may not roll the journal back.  One read-write connection
 * that reads the store rolls it back; 0, or -1 after printing why. */
static int roll_back_hot_journal(const char *path)
{
    sqlite3 *rw = NULL;
    char buf[512];
    int version = 0, rc = sqlite3_open_v2(path, &rw, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(rw, 1);
        sqlite3_busy_timeout(rw, store_busy_timeout_ms);
        rc = user_version(rw, &version);
    }
    if (rc != SQLITE_OK)
        diag_error("store '%s' holds an interrupted load, which cannot be rolled back: %s", path,
                   rw ? store_errmsg(rw, buf, sizeof buf) : "out of memory");
    sqlite3_close(rw);
    return rc == SQLITE_OK ? 0 : -1;
}

/* PRAGMA user_version; returns the SQLite result code (extended), SQLITE_OK when *version is set. */
static int user_version(sqlite3 *db, int *version)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *version = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* A store (a WAL database) on read-only media cannot be read the usual way: SQLite needs to create
 * its -shm file.  Opened "immutable" it needs none; that is only right when no write-ahead log is
 * left over, whose commits would otherwise be missed.  NULL when that does not apply. */
static sqlite3 *open_immutable(const char *path)
{
    char wal[4200], uri[3 * 4096 + 32];
    struct stat sb;
    size_t n = 0;
    sqlite3 *db = NULL;
    if (snprintf(wal, sizeof wal, "%s-wal", path) >= (int)sizeof wal || (stat(wal, &sb) == 0 && sb.st_size > 0) ||
        strlen(path) >= 4096)
        return NULL;
    n += (size_t)snprintf(uri, sizeof uri, "file:%s", path[0] == '/' ? "//" : "");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {   /* URI escapes: % ? # */
        if (*p == '%' || *p == '?' || *p == '#')
            n += (size_t)snprintf(uri + n, sizeof uri - n, "%%%02X", *p);
        else
            uri[n++] = (char)*p;
    }
    snprintf(uri + n, sizeof uri - n, "?immutable=1");
    if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_extended_result_codes(db, 1);
    return db;
}

/* Creates the schema in a fresh store, inside one transaction so that a failure leaves nothing. */
static int create_schema(sqlite3 *db)
{
    char pragma[96];
    if (store_begin(db) < 0)
        return -1;
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d; PRAGMA application_id = %d", STORE_SCHEMA_VERSION,
             STORE_APPLICATION_ID);
    if (store_exec(db, schema_sql) < 0 || store_exec(db, pragma) < 0) {
        store_rollback(db);
        return -1;
    }
    return store_commit(db);
}

/* The steps from each schema version to the next: migrations[v - 1] takes a version-v store to
 * v + 1.  Each is run inside the transaction of migrate(), so a failure leaves the store as it was. */
static const char *const migrations[] = {
    /* 1 -> 2: the experimental condition is part of the subject (issue 13).  Added as the last
     * column, NULL (the baseline) for every existing subject, and in the subject key. */
    "ALTER TABLE subject ADD COLUMN condition TEXT CHECK (condition IS NULL OR condition <> '');"
    "DROP INDEX IF EXISTS subject_key;"
    "CREATE UNIQUE INDEX subject_key ON subject(model, coalesce(temperature, 'null'), coalesce(persona, x'00'), "
    "coalesce(condition, x'00'));"
    /* A source is its content and its mapping (issue 13, part 4): UNIQUE(sha256) becomes
     * UNIQUE(sha256, mapping), which SQLite can change only by rebuilding the table (foreign keys
     * are off during migrate()).  A version-1 source's mapping was not recorded canonically: it is
     * kept behind the marker 'legacy v1: ', which ingest treats as "any mapping" (the same file is
     * still a duplicate of it; --force replaces it). */
    "CREATE TABLE source_v2 ("
    "    id          INTEGER PRIMARY KEY,"
    "    path        TEXT NOT NULL,"
    "    sha256      TEXT NOT NULL,"
    "    format      TEXT NOT NULL,"
    "    mapping     TEXT NOT NULL DEFAULT '',"
    "    lines       INTEGER NOT NULL DEFAULT 0,"
    "    records     INTEGER NOT NULL DEFAULT 0,"
    "    ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
    "    UNIQUE (sha256, mapping));"
    "INSERT INTO source_v2(id, path, sha256, format, mapping, lines, records, ingested_at)"
    "    SELECT id, path, sha256, format, 'legacy v1: ' || coalesce(mapping, ''), lines, records, ingested_at"
    "    FROM source;"
    "DROP TABLE source;"
    "ALTER TABLE source_v2 RENAME TO source;"
    /* and a Milgram run's own outcome text (issue 13, part 2), NULL for existing runs */
    "ALTER TABLE milgram ADD COLUMN outcome TEXT;",
    /* 2 -> 3 (issue 14).  Part 3, prompt design factors: a response's design (table design, made
     * by schema.sql after the migrations), NULL for every existing response.  Part 5's table
     * response_prob needs no statement: migrate() runs schema.sql after the steps. */
    "ALTER TABLE response ADD COLUMN design_id INTEGER REFERENCES design(id);"
    /* Part 1, option order: the presented permutation of a response's options */
    "ALTER TABLE response ADD COLUMN presented TEXT;",
    /* 3 -> 4 (issue 16): response_by_subject is keyed (subject, rep, item) instead of (subject,
     * item, rep); schema.sql makes it again after the steps, one sort of the responses. */
    "DROP INDEX IF EXISTS response_by_subject;",
};
_Static_assert(sizeof migrations / sizeof migrations[0] == STORE_SCHEMA_VERSION - 1,
               "one migration per schema version after the first");

static int query_int(sqlite3 *db, const char *sql, int *out);

#define MIGRATE_CACHE_KIB "2048"

/* Brings a store of an older schema version up to STORE_SCHEMA_VERSION in one transaction.  The
 * version is read again inside it: another process may have migrated the store meanwhile. */
static int migrate(sqlite3 *db, const char *path)
{
    char buf[512], pragma[64];
    int version = 0, ret = -1;
    /* a migration may rebuild a table (DROP + RENAME): with foreign keys on, the DROP would cascade
     * into every row that references it.  The pragma cannot change inside a transaction. */
    if (store_exec(db, "PRAGMA foreign_keys = OFF") < 0)
        return -1;
    /* A step that makes an index again (3 -> 4) sorts every response: in temporary files, not in
     * memory as the connection's other sorts (242 MB at 5M responses), and with a small cache,
     * whose size SQLite's sorter keeps in memory as well (5M responses: 136 -> 10 MB, 2.45 -> 2.63 s). */
    int cache = 0;
    if (query_int(db, "PRAGMA cache_size", &cache) != SQLITE_OK || store_exec(db, "PRAGMA temp_store = FILE") < 0 ||
        store_exec(db, "PRAGMA cache_size = -" MIGRATE_CACHE_KIB) < 0)
        goto out;
    if (store_begin(db) < 0)
        goto out;
    if (query_int(db, "PRAGMA user_version", &version) != SQLITE_OK) {
        diag_error("cannot read store '%s': %s", path, store_errmsg(db, buf, sizeof buf));
        goto fail;
    }
    for (int v = version; v >= 1 && v < STORE_SCHEMA_VERSION; v++) {
        char *err = NULL;
        if (sqlite3_exec(db, migrations[v - 1], NULL, NULL, &err) != SQLITE_OK) {
            diag_error("store '%s': cannot upgrade schema version %d to %d: %s", path, v, v + 1,
                       err ? err : sqlite3_errmsg(db));
            sqlite3_free(err);
            goto fail;
        }
    }
    /* Tables new in this version (ultimatum_threshold, game_offer): the schema is all IF NOT EXISTS. */
    if (store_exec(db, schema_sql) < 0)
        goto fail;
    int broken = 0;
    if (query_int(db, "SELECT count(*) FROM pragma_foreign_key_check", &broken) != SQLITE_OK) {
        diag_error("store '%s': cannot check references after the upgrade: %s", path, store_errmsg(db, buf, sizeof buf));
        goto fail;
    }
    if (broken) {
        diag_error("store '%s': the upgrade to schema version %d would leave %d broken references; left as it was",
                   path, STORE_SCHEMA_VERSION, broken);
        goto fail;
    }
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", STORE_SCHEMA_VERSION);
    if (store_exec(db, pragma) < 0)
        goto fail;
    ret = store_commit(db);
    goto out;
fail:
    store_rollback(db);
out:
    snprintf(pragma, sizeof pragma, "PRAGMA cache_size = %d", cache);
    if (store_exec(db, "PRAGMA foreign_keys = ON") < 0 || store_exec(db, "PRAGMA temp_store = MEMORY") < 0 ||
        (cache && store_exec(db, pragma) < 0))
        ret = -1;
    return ret;
}

/* A read command on an older store: the upgrade is a write, made through a second, read-write
 * connection before the read-only one reads anything else (it sees the new schema at its first
 * transaction).  A store that cannot be written (read-only media) cannot be read by this version. */
static int migrate_for_reading(const char *path, int version)
{
    sqlite3 *rw = NULL;
    int rc = -1;
    if (access(path, W_OK) < 0)
        return diag_error("store '%s' has schema version %d and must be upgraded to %d, but it is not writable: %s",
                          path, version, STORE_SCHEMA_VERSION, strerror(errno));
    if (sqlite3_open_v2(path, &rw, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        diag_error("cannot open store '%s' to upgrade it: %s", path, rw ? sqlite3_errmsg(rw) : "out of memory");
    } else {
        sqlite3_extended_result_codes(rw, 1);
        sqlite3_busy_timeout(rw, store_busy_timeout_ms);
        rc = migrate(rw, path);
    }
    sqlite3_close(rw);
    return rc;
}

/* One integer from a query (a PRAGMA or a count); the SQLite result code, SQLITE_OK when set. */
static int query_int(sqlite3 *db, const char *sql, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* Whether the database at db is a psyfaith store, read without writing anything: psyfaith creates
 * its schema only in an empty database (*empty = 1), and refuses any other database before the
 * WAL switch or a table could change it.  A store is stamped with STORE_APPLICATION_ID; one made
 * before that stamp is known by its schema version and its tables.  0, or -1 after printing why. */
static int check_store(sqlite3 *db, const char *path, int version, int *empty)
{
    static const char tables_sql[] =
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
        "('source', 'instrument', 'item', 'subject', 'response')";
    char buf[512];
    int app = 0, objects = 0, ours = 0, rc;
    *empty = 0;
    if ((rc = query_int(db, "PRAGMA application_id", &app)) != SQLITE_OK ||
        (rc = query_int(db, "SELECT count(*) FROM sqlite_master", &objects)) != SQLITE_OK ||
        (rc = query_int(db, tables_sql, &ours)) != SQLITE_OK)
        return diag_error("cannot read store '%s': %s", path, store_errmsg(db, buf, sizeof buf));
    if (app != 0 && app != STORE_APPLICATION_ID)
        return diag_error("'%s' is not a psyfaith store (application id %d)", path, app);
    if (version < 0)
        return diag_error("'%s' is not a psyfaith store (schema version %d)", path, version);
    if (version == 0) {
        if (objects == 0) {
            *empty = 1;
            return 0;
        }
        return diag_error("'%s' is not a psyfaith store (a SQLite database with other tables; psyfaith makes its "
                          "store only at a new path or in an empty file)", path);
    }
    if (app != STORE_APPLICATION_ID && ours < 5)
        return diag_error("'%s' is not a psyfaith store (schema version %d but no psyfaith tables)", path, version);
    if (version > STORE_SCHEMA_VERSION)
        return diag_error("store '%s' has schema version %d, newer than this psyfaith (%d): upgrade psyfaith", path,
                          version, STORE_SCHEMA_VERSION);
    return 0;
}

static int file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

sqlite3 *store_open(const char *path, enum store_mode mode)
{
    sqlite3 *db = NULL;
    char buf[512];
    int flags, version = 0, rc, created = 0, empty = 0;
    if (mode != STORE_CREATE && !file_exists(path)) {
        diag_error("no store at '%s' (run 'psyfaith init' first, or give --db FILE)", path);
        return NULL;
    }
    if (mode == STORE_CREATE && strcmp(path, ":memory:") != 0 && strncmp(path, "file:", 5) != 0) {
        /* made here (O_EXCL), so that a failure below removes only a store this call began */
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0) {
            created = 1;
            close(fd);
        }
    }
    flags = mode == STORE_READ ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (mode == STORE_CREATE)
        flags |= SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        diag_error("cannot open store '%s': %s", path, db ? store_errmsg(db, buf, sizeof buf) : "out of memory");
        goto fail;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, store_busy_timeout_ms);
    /* SQLite quietly opens a file it may not write read-only: say so before anything tries */
    if (mode != STORE_READ && sqlite3_db_readonly(db, "main") == 1) {
        diag_error("store '%s' is not writable: %s", path, access(path, W_OK) < 0 ? strerror(errno) : "opened read-only");
        goto fail;
    }
    rc = user_version(db, &version);
    if (rc == SQLITE_READONLY_ROLLBACK && mode == STORE_READ) {
        if (roll_back_hot_journal(path) < 0)
            goto fail;
        rc = user_version(db, &version);
    }
    if (rc != SQLITE_OK && mode == STORE_READ && (rc & 0xff) == SQLITE_CANTOPEN) {
        sqlite3 *ro = open_immutable(path);
        if (ro) {
            sqlite3_close(db);
            db = ro;
            rc = user_version(db, &version);
        }
    }
    if (rc != SQLITE_OK) {
        if ((rc & 0xff) == SQLITE_NOTADB)
            diag_error("'%s' is not a psyfaith store", path);
        else
            diag_error("cannot read store '%s': %s", path, store_errmsg(db, buf, sizeof buf));
        goto fail;
    }
    if (check_store(db, path, version, &empty) < 0)
        goto fail;
    if (empty && mode == STORE_READ) {
        diag_error("'%s' is not a psyfaith store (an empty database)", path);
        goto fail;
    }
    /* temp_store in memory: metrics sort a million responses, and a spill to disk doubles that */
    if (store_exec(db, "PRAGMA foreign_keys = ON") < 0 || store_exec(db, "PRAGMA temp_store = MEMORY") < 0)
        goto fail;
    /* A new store gets 16 KiB pages, set before the switch to WAL writes the first page: a
     * response row is about 70 bytes, and the larger pages halve the b-tree's splits and the
     * writes of an ingest (500k lines 0.78 -> 0.70 s, 5M 10.1 -> 8.8 s, quiet 2-core machine);
     * the cache is sized in KiB, so its memory does not change.  An existing store keeps its size. */
    if (empty && mode != STORE_READ && store_exec(db, "PRAGMA page_size = " STORE_PAGE_SIZE) < 0)
        goto fail;
    if (mode != STORE_READ) {
        /* WAL lets readers work while an ingest runs; NORMAL sync is durable at checkpoints and
         * never corrupts, which is the trade-off the sqlite docs recommend for WAL. */
        sqlite3_stmt *st = store_prepare(db, "PRAGMA journal_mode = WAL");
        if (!st)
            goto fail;
        /* While another process bulk-loads (store_bulk_begin: rollback journal, exclusive lock), the
         * switch can fail with SQLITE_BUSY at once, without the busy handler (SQLite's deadlock
         * rule): wait for the load to end, up to the busy timeout, as a second writer always did. */
        for (int waited = 0;; waited += 10) {
            rc = sqlite3_step(st);
            if ((rc & 0xff) != SQLITE_BUSY || waited >= store_busy_timeout_ms)
                break;
            sqlite3_reset(st);
            nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW) {
            diag_error("cannot use store '%s': %s", path, store_errmsg(db, buf, sizeof buf));
            goto fail;
        }
        /* 64 MiB of page cache keeps the indices of a large ingest in memory */
        if (store_exec(db, "PRAGMA synchronous = NORMAL") < 0 || store_exec(db, "PRAGMA cache_size = " CACHE_KIB) < 0)
            goto fail;
    }
    if (empty && create_schema(db) < 0)
        goto fail;
    if (!empty && version < STORE_SCHEMA_VERSION &&
        (mode == STORE_READ ? migrate_for_reading(path, version) : migrate(db, path)) < 0)
        goto fail;
    /* for tests only: a lower SQLITE_LIMIT_LENGTH than the default 1e9 bytes, so that the handling
     * of a value SQLite refuses (SQLITE_TOOBIG) is tested without gigabytes of input */
    const char *limit = getenv("PSYFAITH_TEST_MAX_LENGTH");
    if (limit && *limit)
        sqlite3_limit(db, SQLITE_LIMIT_LENGTH, atoi(limit));
    /* a read command reads one snapshot: a report made while an ingest commits must not list the
     * new source in its provenance but leave its rows out of the tables (issue 11 item 11) */
    if (mode == STORE_READ && store_read_begin(db) < 0)
        goto fail;
    return db;
fail:
    sqlite3_close(db);
    if (created) {
        /* a store this call began to create and could not finish (disk full) is no store: remove it */
        char side[4200];
        unlink(path);
        if (snprintf(side, sizeof side, "%s-wal", path) < (int)sizeof side)
            unlink(side);
        if (snprintf(side, sizeof side, "%s-shm", path) < (int)sizeof side)
            unlink(side);
    }
    return NULL;
}

void store_close(sqlite3 *db)
{
    if (!db)
        return;
    store_read_end(db);         /* a read transaction (a writer's is committed or rolled back already) */
    /* a connection that would not close (a statement left unfinalized) keeps its locks: and its descriptors */
    if (sqlite3_close(db) == SQLITE_OK)
        store_close_own_fds(db);
}
