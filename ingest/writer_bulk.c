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

/* ---------- the indexes of a source's rows during a large load ----------
 * A large file (DEFER_INDEX_BYTES) into tables that are all empty keeps their indexes up while
 * they stay in a small page cache (WATCH_LOAD_CACHE_KIB), and drops them for one sort each after
 * the load once they do not.  Files come repetition by repetition, a subject's run item after item,
 * so each new row of a table extends its subject's last index entries (response_by_subject is
 * keyed (subject, rep, item) for this, schema version 4): the pages in use are a few per subject
 * in the file, and the inserts cost less than the sort (5M lines: 7.0 s against 8.2 s for a load
 * whose index is made after it).  A file whose rows scatter over the index (many subjects at once,
 * item after item over all of them) makes nearly every insert read and rewrite an index page once
 * the index outgrows the cache; so the writer counts the page cache's misses (SQLite's
 * SQLITE_DBSTATUS_CACHE_MISS: pages read from the store) every WATCH_ROWS rows, and when they pass
 * MISS_PER_MILLE a thousand rows, the watched indexes are dropped (ingest_watch_indexes) and made
 * again from their own CREATE statements (as schema.sql put them in sqlite_schema) before COMMIT.
 * The old (subject, item, rep) index at 5M lines passed it at about a third of the file (0.1 misses
 * a row at the end: 9.0 s kept up); the new one stays at about 0.02.
 *
 * The indexes concerned are those of a table that holds a source's rows (a foreign key to source)
 * and is empty when the load begins, not UNIQUE (those check rows as they come).  When one of those
 * tables has rows, a second large file, the empty tables' indexes are dropped at once, as before
 * the watch: the tables that have rows keep their indexes up in the bulk cache (store_bulk_begin,
 * 16 MiB), whose misses say nothing of the empty ones.  Drops and sorts are inside the file's
 * transaction, so a rollback or kill -9 (the rollback journal) leaves the indexes as they were.
 * Smaller files keep their indexes: they stay in the cache (SMALL_LOAD_CACHE_KIB: 4 MiB were as
 * fast as 16 at 1M lines and faster at 500k, 0.70 against 0.75 s, fewer dirty pages for the
 * commit), for 13 MB less memory.  Without the indexes a load only appends to the tables' last
 * pages, and 2 MiB (DEFERRED_LOAD_CACHE_KIB) do.
 *
 * The sort that makes an index again gets SORT_THREADS helper threads of SQLite's sorter, which
 * sort runs and merge on the second core while the first feeds them (5M lines: 2.5 -> 1.9 s), and
 * runs of SORT_CACHE_KIB (SQLITE_CONFIG_PMASZ in store_global_init lets them be that small): with
 * the default 4 MiB runs the helpers took 8 MB more memory, with 1 MiB runs 0.3 MB and no more
 * time.  The index is the same either way: its keys are unique (the rowid is one), so the sorted
 * order is. */
#define DEFER_INDEX_BYTES ((off_t)256 << 20)
#define WATCH_LOAD_CACHE_KIB 4096
#define WATCH_ROWS 16384
#define MISS_PER_MILLE 32
#define DEFERRED_LOAD_CACHE_KIB 2048
#define SMALL_LOAD_CACHE_KIB 4096
#define SORT_CACHE_KIB 1024
#define SORT_THREADS 2

/* ---------- a large input's pages behind the reader ----------
 * A file of DEFER_INDEX_BYTES or more is read once, and the page cache holding it is of no further
 * use to the load: ingest_hash() drops it every DROP_BEHIND_STEP bytes (posix_fadvise DONTNEED:
 * Linux starts the write-back of dirty pages in the range and drops the clean ones).  The load's page cache is then the store's alone, not a 1.1 GB
 * log's on top of it, and on a virtual machine whose free memory goes back to the host the store's
 * pages reuse the frames the log's just left instead of new ones: the bench's 5M-line ingest, the
 * first after its generator wrote 1.1 GB, took 6.4 and 5.9 s against 7.5 and 6.6 s (system CPU
 * 1.15 and 0.98 against 2.51 and 1.65 s).  A second ingest of the same file reads it from disk. */
#define DROP_BEHIND_STEP ((size_t)16 << 20)

void ingest_drop_behind(struct ingest *ig, int fd)
{
    struct stat sb;
    /* test hook: with PSYFAITH_TEST_DEFER_INDEX_BYTES (the size), after every chunk */
    const char *test = getenv("PSYFAITH_TEST_DEFER_INDEX_BYTES");
    off_t min = test && *test ? (off_t)strtoll(test, NULL, 10) : DEFER_INDEX_BYTES;
    ig->drop_fd = -1;
    ig->dropped = 0;
    ig->drop_step = test && *test ? INGEST_CHUNK : DROP_BEHIND_STEP;
    if (!ig->is_stdin && !ig->map->jq && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size >= min)
        ig->drop_fd = fd;
}

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

/* The page cache's misses since the last call (SQLITE_DBSTATUS_CACHE_MISS, reset each time). */
static long cache_misses(sqlite3 *db)
{
    int cur = 0, high = 0;
    return sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_MISS, &cur, &high, 1) == SQLITE_OK ? cur : 0;
}

/* Drops the indexes in `drop` (DROP INDEX statements), which `create` makes again after the load;
 * `names` (one a line) are told when the test hook is set.  0, or -1 after printing why. */
static int defer_now(struct ingest *ig, const struct strbuf *drop, const struct strbuf *create,
                     const struct strbuf *names, const char *why)
{
    if (store_exec(ig->db, drop->buf) < 0)
        return -1;
    if (strbuf_add(&ig->deferred_index, create->buf, create->len) < 0)
        return diag_error("out of memory");
    if (ig->watch.tell)
        for (const char *n = names->buf, *nl; n && *n; n = nl + 1) {
            nl = strchr(n, '\n');
            diag_note("'%s': index %.*s made after the load (%s)", ig->path, (int)(nl - n), n, why);
        }
    return 0;
}

void ingest_watch_end(struct ingest *ig)
{
    strbuf_free(&ig->watch.drop);
    strbuf_free(&ig->watch.create);
    strbuf_free(&ig->watch.names);
    ig->watch.on = 0;
    ig->watch.rows = 0;
}

int ingest_defer_indexes(struct ingest *ig, int fd)
{
    struct stat sb;
    struct strbuf drop = { 0 }, create = { 0 }, names = { 0 };
    strbuf_reset(&ig->deferred_index);
    ingest_watch_end(ig);
    /* test hooks: PSYFAITH_TEST_DEFER_INDEX_BYTES=N lowers the size, and a load names the indexes it
     * defers; PSYFAITH_TEST_MISS_PER_MILLE=N sets the limit of the watch (-1: past after the first batch) */
    const char *test = getenv("PSYFAITH_TEST_DEFER_INDEX_BYTES"), *limit = getenv("PSYFAITH_TEST_MISS_PER_MILLE");
    off_t min = test && *test ? (off_t)strtoll(test, NULL, 10) : DEFER_INDEX_BYTES;
    ig->watch.tell = test && *test;
    ig->watch.limit = limit && *limit ? strtol(limit, NULL, 10) : MISS_PER_MILLE;
    if (!ig->bulk || fstat(fd, &sb) != 0)
        return 0;
    if (sb.st_size < min)
        return shrink_load_cache(ig->db, SMALL_LOAD_CACHE_KIB);
    sqlite3_stmt *st = store_prepare(ig->db, deferrable_sql);
    if (!st)
        return -1;
    int rc, ret = 0, empty = 0, kept = 0;
    char *table = NULL;         /* the table `empty` is about */
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
            char *d = sqlite3_mprintf("DROP INDEX \"%w\";", name);
            if (!d || strbuf_addstr(&drop, d) < 0 || strbuf_addstr(&create, sql) < 0 ||
                strbuf_addstr(&create, ";\n") < 0 || strbuf_addstr(&names, name) < 0 || strbuf_addstr(&names, "\n") < 0)
                ret = diag_error("out of memory");
            sqlite3_free(d);
        }
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = diag_error("store: '%s': cannot read the indexes: %s", ig->path, sqlite3_errmsg(ig->db));
    sqlite3_finalize(st);
    free(table);
    /* dropped (or watched) once the reading statement is done: the schema must not change under it */
    if (ret == 0 && drop.len) {
        if (kept) {
            ret = defer_now(ig, &drop, &create, &names, "at once: a table of the load has rows");
        } else if ((ret = shrink_load_cache(ig->db, WATCH_LOAD_CACHE_KIB)) == 0) {
            ig->watch.drop = drop;
            ig->watch.create = create;
            ig->watch.names = names;
            ig->watch.on = 1;
            memset(&drop, 0, sizeof drop);
            memset(&create, 0, sizeof create);
            memset(&names, 0, sizeof names);
            cache_misses(ig->db);
        }
    }
    strbuf_free(&drop);
    strbuf_free(&create);
    strbuf_free(&names);
    if (ret < 0) {
        strbuf_reset(&ig->deferred_index);
        ingest_watch_end(ig);
    }
    return ret;
}

int ingest_watch_indexes(struct ingest *ig, size_t rows)
{
    if (!ig->watch.on || ((ig->watch.rows += (long)rows) < WATCH_ROWS && ig->watch.limit >= 0))
        return 0;
    long misses = cache_misses(ig->db), seen = ig->watch.rows;
    ig->watch.rows = 0;
    if (ig->watch.limit >= 0 && misses * 1000 <= ig->watch.limit * seen)
        return 0;
    char why[96];
    snprintf(why, sizeof why, "%ld page cache misses in %ld rows", misses, seen);
    int ret = defer_now(ig, &ig->watch.drop, &ig->watch.create, &ig->watch.names, why);
    if (ret == 0)
        ret = shrink_load_cache(ig->db, DEFERRED_LOAD_CACHE_KIB);
    ingest_watch_end(ig);
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
    ingest_watch_end(ig);
    return ret;
}
