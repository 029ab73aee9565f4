/* tests/fuzz/fuzz_common.c -- the store and temporary input files the ingest harnesses share */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundled.h"
#include "diag.h"
#include "ingest/ingest.h"
#include "store/store.h"
#include "tests/fuzz/fuzz.h"

void fuzz_fail(const char *what, const char *file, int line)
{
    fprintf(stderr, "%s:%d: fuzz property violated: %s\n", file, line, what);
    fflush(stderr);
    abort();
}

static sqlite3 *store;

static void close_store(void)
{
    store_close(store);
    store = NULL;
}

sqlite3 *fuzz_store(void)
{
    if (store)
        return store;
    /* ":memory:": the real store layer and schema, without a file to clean up or fsync */
    if (!(store = store_open(":memory:", STORE_CREATE)))
        fuzz_fail("store_open(\":memory:\")", __FILE__, __LINE__);
    for (size_t i = 0; i < sizeof bundled_tables / sizeof bundled_tables[0]; i++) {
        const struct bundled_table *t = &bundled_tables[i];
        int rc = t->is_norms ? banks_load_norms_data(store, t->name, t->data, strlen(t->data))
                             : banks_load_instruments_data(store, t->name, t->data, strlen(t->data));
        if (rc != 0)
            fuzz_fail("loading the bundled banks", __FILE__, __LINE__);
    }
    atexit(close_store);
    return store;
}

void fuzz_store_reset(sqlite3 *db)
{
    /* foreign keys are on (store_open): deleting the sources cascades to their rows and rejects */
    if (sqlite3_exec(db, "BEGIN; DELETE FROM source; DELETE FROM reject; DELETE FROM subject; COMMIT",
                     NULL, NULL, NULL) != SQLITE_OK)
        fuzz_fail(sqlite3_errmsg(db), __FILE__, __LINE__);
}

long fuzz_store_rows(sqlite3 *db)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM source) + (SELECT count(*) FROM subject) + "
        "(SELECT count(*) FROM response) + (SELECT count(*) FROM behavior) + "
        "(SELECT count(*) FROM labeled_behavior) + (SELECT count(*) FROM ultimatum) + "
        "(SELECT count(*) FROM milgram) + (SELECT count(*) FROM milgram_step) + "
        "(SELECT count(*) FROM reject)";
    sqlite3_stmt *st = NULL;
    long n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (n < 0)
        fuzz_fail(sqlite3_errmsg(db), __FILE__, __LINE__);
    return n;
}

static struct tmpfile {
    char suffix[16];
    char path[4096];
    int fd;
    int unlinked;               /* path is /proc/self/fd/N: nothing is left behind, even by a crash */
} tmpfiles[8];
static size_t n_tmpfiles;

static void remove_tmpfiles(void)
{
    for (size_t i = 0; i < n_tmpfiles; i++) {
        if (!tmpfiles[i].unlinked)
            unlink(tmpfiles[i].path);
        close(tmpfiles[i].fd);
    }
    n_tmpfiles = 0;
}

const char *fuzz_write_input(const void *data, size_t size, const char *suffix)
{
    struct tmpfile *t = NULL;
    for (size_t i = 0; i < n_tmpfiles && !t; i++)
        if (strcmp(tmpfiles[i].suffix, suffix) == 0)
            t = &tmpfiles[i];
    if (!t) {
        const char *dir = getenv("TMPDIR");
        char proc[64];
        if (n_tmpfiles == sizeof tmpfiles / sizeof tmpfiles[0] || strlen(suffix) >= sizeof t->suffix)
            fuzz_fail("too many temporary input files", __FILE__, __LINE__);
        t = &tmpfiles[n_tmpfiles];
        snprintf(t->path, sizeof t->path, "%s/psyfaith-fuzz-XXXXXX%s", dir && *dir ? dir : "/tmp", suffix);
        if ((t->fd = mkstemps(t->path, (int)strlen(suffix))) < 0)
            fuzz_fail("mkstemps", __FILE__, __LINE__);
        /* Linux: read it back through /proc, with the name already gone (libFuzzer's crash and
         * minimise runs end in abort(), which runs no atexit handler) */
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", t->fd);
        if (access(proc, R_OK) == 0 && unlink(t->path) == 0) {
            snprintf(t->path, sizeof t->path, "%s", proc);
            t->unlinked = 1;
        }
        strcpy(t->suffix, suffix);
        if (n_tmpfiles++ == 0)
            atexit(remove_tmpfiles);
    }
    if (ftruncate(t->fd, 0) != 0 || (size && pwrite(t->fd, data, size, 0) != (ssize_t)size))
        fuzz_fail("writing the temporary input file", __FILE__, __LINE__);
    return t->path;
}

static long count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (n < 0)
        fuzz_fail(sqlite3_errmsg(db), __FILE__, __LINE__);
    return n;
}

static struct fuzz_mode *made[16];
static size_t n_made;

static void free_modes(void)
{
    for (size_t i = 0; i < n_made; i++) {
        ingest_free(made[i]->ig);
        mapping_free(made[i]->map);
        made[i]->ig = NULL;
        made[i]->map = NULL;
    }
    n_made = 0;
}

struct ingest *fuzz_mode_ready(struct fuzz_mode *mode)
{
    sqlite3 *db = fuzz_store();
    if (!mode->ig) {
        struct ingest_options io = { .format = mode->format, .skip_bad = mode->skip_bad, .quiet = 1 };
        if (!(mode->map = mapping_new()))
            fuzz_fail("mapping_new", __FILE__, __LINE__);
        for (const char *const *line = mode->profile; line && *line; line++)
            if (mapping_add(mode->map, *line, mode->name, NULL) < 0)
                fuzz_fail(*line, __FILE__, __LINE__);
        io.wide = mapping_is_wide(mode->map);
        if (!(mode->ig = ingest_new(db, &io, mode->map)))
            fuzz_fail("ingest_new", __FILE__, __LINE__);
        if (n_made == sizeof made / sizeof made[0])
            fuzz_fail("too many modes", __FILE__, __LINE__);
        if (n_made == 0)
            atexit(free_modes);
        made[n_made++] = mode;
    }
    return mode->ig;
}

int fuzz_ingest(struct fuzz_mode *mode, const char *path)
{
    sqlite3 *db = fuzz_store();
    static int verbose = -1;
    int rc = ingest_file(fuzz_mode_ready(mode), path);
    FUZZ_ASSERT(rc == 0 || rc == -1);                      /* the store was reset: never "skipped" */
    FUZZ_ASSERT(sqlite3_get_autocommit(db));               /* no transaction left open */
    if (verbose < 0)
        verbose = getenv("FUZZ_VERBOSE") != NULL;
    if (verbose)
        fprintf(stderr, "fuzz_ingest %s: rc %d, %ld rows\n", mode->name, rc, fuzz_store_rows(db));
    if (rc < 0) {
        FUZZ_ASSERT(fuzz_store_rows(db) == 0);             /* a failed file leaves nothing */
    } else {
        FUZZ_ASSERT(count(db, "SELECT count(*) FROM source") == 1);
        FUZZ_ASSERT(count(db, "SELECT count(*) FROM source WHERE sha256 = 'pending'") == 0);
        if (!mode->skip_bad)
            FUZZ_ASSERT(count(db, "SELECT count(*) FROM reject") == 0);
        fuzz_store_reset(db);
    }
    return rc;
}
