/* ingest/writer_bulk.c -- the writing side's part in a bulk load (store_bulk_begin): which files
 * get one, and the check of the rows' references that stands in for the foreign keys, which a
 * bulk load turns off.  The per-file transaction that uses them is in writer.c. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>

#include "diag.h"
#include "ingest/ingest_internal.h"
#include "store/store.h"

/* Whether the file is worth the store's bulk mode (store_bulk_begin): a regular file of more than
 * one read.  Not standard input or a --jq pipe, which may be slow and would keep readers out of the
 * store for as long as they stream, nor a small file, where switching the journal costs more. */
int ingest_wants_bulk(const struct ingest *ig, int fd)
{
    struct stat sb;
    return !ig->map->jq && !ig->is_stdin && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
           sb.st_size > (off_t)INGEST_CHUNK;
}

/* 1 when `SELECT 1 FROM table WHERE id = ?` finds id, 0 when not, -1 after printing why. */
static int row_exists(struct ingest *ig, sqlite3_stmt *st, int64_t id)
{
    int rc = sqlite3_bind_int64(st, 1, id);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return diag_error("store: '%s': cannot check the rows' references: %s", ig->path, sqlite3_errmsg(ig->db));
    return rc == SQLITE_ROW;
}

/* A bulk load runs with foreign keys off (the checks are a tenth of its time), so this stands in
 * for them, from the loader's own id maps: every row refers to this file's source, to a subject
 * of ig->subjects (found or made in this transaction) and, for a response, to an item of
 * ig->item_used.  Each distinct id is looked up once, inside the transaction: the item banks were
 * read before it began, and another process may have removed an item since.  0, or -1 after
 * printing which reference is missing (the caller then rolls the file back). */
int ingest_check_references(struct ingest *ig)
{
    static const char *const sql[] = { "SELECT 1 FROM source WHERE id = ?1", "SELECT 1 FROM subject WHERE id = ?1",
                                       "SELECT 1 FROM item WHERE id = ?1" };
    sqlite3_stmt *st[3] = { NULL, NULL, NULL };
    int ret = -1, found;
    for (int i = 0; i < 3; i++)
        if (!(st[i] = store_prepare(ig->db, sql[i])))
            goto out;
    if ((found = row_exists(ig, st[0], ig->source_id)) <= 0) {
        if (found == 0)
            diag_error("store: '%s': the file's source row %lld is missing", ig->path, (long long)ig->source_id);
        goto out;
    }
    for (size_t j = 0; j < ig->subjects.cap; j++)
        if (ig->subjects.keys[j] && (found = row_exists(ig, st[1], ig->subjects.vals[j])) <= 0) {
            if (found == 0)
                diag_error("store: '%s': subject %lld, which rows of the file refer to, is missing", ig->path,
                           (long long)ig->subjects.vals[j]);
            goto out;
        }
    for (size_t id = 1; id < ig->n_item_info; id++)
        if (ig->item_used[id] && (found = row_exists(ig, st[2], (int64_t)id)) <= 0) {
            if (found == 0)
                diag_error("store: '%s': item %zu, which rows of the file refer to, is no longer in the store "
                           "(removed while the file was read)", ig->path, id);
            goto out;
        }
    ret = 0;
out:
    for (int i = 0; i < 3; i++)
        sqlite3_finalize(st[i]);
    return ret;
}

/* ---------- the indexes of a source's rows, built after the load ----------
 * Responses arrive repetition by repetition over all subjects, so the index response_by_subject
 * (subject, item, rep) takes each new row in the middle of the index: once the index outgrows the
 * bulk page cache (about a million lines) nearly every row reads and rewrites an index page, and
 * the rate falls (5M lines: 1.8x the CPU per line of 500k).  The other row tables' indexes do the
 * same on a smaller scale, and together they outgrow the load's small cache too: at 5M lines
 * behavior_by_subject, milgram_step_by_run and ultimatum_by_subject (5 MB of pages against a 2 MiB
 * cache) had the load read 520 MB of index pages back and write 450 MB more than the store holds.
 * So for a large file every index of a table that holds a source's rows (a foreign key to source)
 * and is empty when the load begins is dropped after BEGIN and made again from its own CREATE
 * statement (as schema.sql put it in sqlite_schema) before COMMIT: one sort each, whose memory is
 * bounded (SQLite's sorter spills to temporary files).  UNIQUE indexes stay: they check rows as
 * they come.  Both are inside the file's transaction, so a rollback or kill -9 (the rollback
 * journal) leaves the indexes as they were.  Smaller files keep them: there they stay in the cache
 * and the incremental inserts cost less than the sort (measured).
 *
 * The bulk cache (store_bulk_begin, 16 MiB) is for a large file into tables that have rows, whose
 * indexes are kept and outgrow any cache.  Without the indexes, the load only appends to the tables'
 * last pages, and 2 MiB (DEFERRED_LOAD_CACHE_KIB) do.  A smaller file keeps an index that is small
 * too: 4 MiB (SMALL_LOAD_CACHE_KIB) were as fast as 16 at 1M lines and faster at 500k (0.70 against
 * 0.75 s: fewer dirty pages left for the commit to write), for 13 MB less memory.
 *
 * The sort that makes the index again gets SORT_THREADS helper threads of SQLite's sorter, which
 * sort runs and merge on the second core while the first feeds them (5M lines: 2.5 -> 1.9 s), and
 * runs of SORT_CACHE_KIB (SQLITE_CONFIG_PMASZ in store_global_init lets them be that small): with
 * the default 4 MiB runs the helpers took 8 MB more memory, with 1 MiB runs 0.3 MB and no more
 * time.  The index is the same either way: its keys are unique (the rowid is one), so the sorted
 * order is. */
#define DEFER_INDEX_BYTES ((off_t)256 << 20)
#define DEFERRED_LOAD_CACHE_KIB 2048
#define SMALL_LOAD_CACHE_KIB 4096
#define SORT_CACHE_KIB 1024
#define SORT_THREADS 2

/* One integer from a query (a PRAGMA); 0, or -1 after printing why. */
static int store_query_int64(sqlite3 *db, const char *sql, int64_t *v)
{
    sqlite3_stmt *st = store_prepare(db, sql);
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return diag_error("store: %s: %s", sql, sqlite3_errmsg(db));
    return 0;
}

/* The load's cache down to `kib` KiB, unless it is already smaller (the kill tests'
 * PSYFAITH_TEST_BULK_CACHE_PAGES).  The page size is 16 KiB for a new store, but an old store keeps
 * its own, so the cache is compared in bytes. */
static int shrink_load_cache(sqlite3 *db, int kib)
{
    int64_t cache = 0, page = 0;
    if (store_query_int64(db, "PRAGMA cache_size", &cache) < 0 || store_query_int64(db, "PRAGMA page_size", &page) < 0)
        return -1;
    int64_t bytes = cache < 0 ? -cache * 1024 : cache * page;
    if (bytes <= (int64_t)kib * 1024)
        return 0;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", kib);
    return store_exec(db, sql);
}

/* The indexes a load into these tables may defer: made by a CREATE INDEX (not a constraint's), not
 * UNIQUE, of a table with a foreign key to source; as (name, table, CREATE statement), by table. */
static const char deferrable_sql[] =
    "SELECT i.name, i.tbl_name, i.sql FROM sqlite_schema i WHERE i.type = 'index' AND i.sql IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM pragma_index_list(i.tbl_name) l WHERE l.name = i.name AND l.\"unique\") "
    "AND EXISTS (SELECT 1 FROM pragma_foreign_key_list(i.tbl_name) f WHERE f.\"table\" = 'source' COLLATE NOCASE) "
    "ORDER BY i.tbl_name, i.name";

/* 1 when table has no row, 0 when it has, -1 after printing why. */
static int table_empty(sqlite3 *db, const char *table)
{
    char *sql = sqlite3_mprintf("SELECT NOT EXISTS (SELECT 1 FROM \"%w\")", table);
    int64_t v = 0;
    if (!sql)
        return diag_error("out of memory");
    int rc = store_query_int64(db, sql, &v);
    sqlite3_free(sql);
    return rc < 0 ? -1 : v != 0;
}

int ingest_defer_indexes(struct ingest *ig, int fd)
{
    struct stat sb;
    struct strbuf drop = { 0 };
    strbuf_reset(&ig->deferred_index);
    /* test hook: PSYFAITH_TEST_DEFER_INDEX_BYTES=N lowers the size (tests/cli/ingest_bulk.sh) */
    const char *test = getenv("PSYFAITH_TEST_DEFER_INDEX_BYTES");
    off_t min = test && *test ? (off_t)strtoll(test, NULL, 10) : DEFER_INDEX_BYTES;
    if (!ig->bulk || fstat(fd, &sb) != 0)
        return 0;
    if (sb.st_size < min)
        return shrink_load_cache(ig->db, SMALL_LOAD_CACHE_KIB);
    sqlite3_stmt *st = store_prepare(ig->db, deferrable_sql);
    if (!st)
        return -1;
    int rc, ret = 0, empty = 0, kept = 0;
    char *table = NULL;         /* the table `empty` is about */
    /* test hook: the test sees which indexes a load defers (tests/cli/ingest_bulk.sh) */
    const int tell = test && *test;
    while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0), *tbl = (const char *)sqlite3_column_text(st, 1);
        const char *sql = (const char *)sqlite3_column_text(st, 2);
        if (!name || !tbl || !sql)
            continue;
        if (!table || strcmp(table, tbl) != 0) {
            free(table);
            if (!(table = strdup(tbl)))
                ret = diag_error("out of memory");
            else if ((empty = table_empty(ig->db, tbl)) < 0)
                ret = -1;
            else
                kept |= !empty;
        }
        if (ret == 0 && empty == 1) {
            if (tell)
                diag_note("'%s': index %s made after the load", ig->path, name);
            char *d = sqlite3_mprintf("DROP INDEX \"%w\";", name);
            if (!d || strbuf_addstr(&drop, d) < 0 || strbuf_addstr(&ig->deferred_index, sql) < 0 ||
                strbuf_addstr(&ig->deferred_index, ";\n") < 0)
                ret = diag_error("out of memory");
            sqlite3_free(d);
        }
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = diag_error("store: '%s': cannot read the indexes: %s", ig->path, sqlite3_errmsg(ig->db));
    sqlite3_finalize(st);
    free(table);
    /* dropped once the reading statement is done: the schema must not change under it.  The small
     * cache only when no index is kept up: a table with rows keeps its indexes, and they need the
     * bulk cache (a second large file into a store that has responses) */
    if (ret == 0 && ig->deferred_index.len &&
        (store_exec(ig->db, drop.buf) < 0 || (!kept && shrink_load_cache(ig->db, DEFERRED_LOAD_CACHE_KIB) < 0)))
        ret = -1;
    strbuf_free(&drop);
    if (ret < 0)
        strbuf_reset(&ig->deferred_index);
    return ret;
}

int ingest_restore_indexes(struct ingest *ig)
{
    int ret = 0;
    if (ig->deferred_index.len) {
        /* The sort keeps cache_size worth of keys in memory, and with temp_store = MEMORY its runs
         * too (242 MB at 5M lines): for the sort, runs go to temporary files and a small cache
         * bounds the rest (48 -> 34 MB), the bulk cache is back after it.  The connection has no
         * temporary tables, so temp_store may change inside the transaction.  The sorter's
         * helper threads (SORT_THREADS) are for this statement only; a SQLite built without
         * worker threads sorts on this one, as before. */
        int64_t cache = 0;
        char sql[64];
        char threads[64];
        snprintf(threads, sizeof threads, "PRAGMA threads = %d", SORT_THREADS);
        snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", SORT_CACHE_KIB);
        if (store_query_int64(ig->db, "PRAGMA cache_size", &cache) < 0 ||
            store_exec(ig->db, "PRAGMA temp_store = FILE") < 0 || store_exec(ig->db, sql) < 0 ||
            store_exec(ig->db, threads) < 0 || store_exec(ig->db, ig->deferred_index.buf) < 0)
            ret = -1;
        snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", (long long)cache);
        if ((cache && store_exec(ig->db, sql) < 0) || store_exec(ig->db, "PRAGMA temp_store = MEMORY") < 0 ||
            store_exec(ig->db, "PRAGMA threads = 0") < 0)
            ret = -1;
    }
    strbuf_reset(&ig->deferred_index);
    return ret;
}
