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

#ifndef FUZZ_REPLAY
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    /* The ingest's diagnostics go to stderr a character at a time (unbuffered): one write(2) per
     * line instead, which keeps every line of a crashing input's output and costs far less. */
    static char buf[1 << 16];
    setvbuf(stderr, buf, _IOLBF, sizeof buf);
    return 0;
}
#endif

static sqlite3 *store;

/* Statements prepared once per process: a harness runs thousands of inputs a second, and parsing
 * the same SQL for each (with its foreign-key cascades) cost more than the ingest itself. */
enum { Q_BEGIN, Q_DEL_SOURCE, Q_DEL_REJECT, Q_DEL_SUBJECT, Q_COMMIT, Q_ROWS, Q_SOURCES, Q_PENDING,
       Q_REJECTS, N_QUERIES };
static const char *const query_sql[N_QUERIES] = {
    "BEGIN",
    /* foreign keys are on (store_open): deleting the sources cascades to their rows and rejects */
    "DELETE FROM source",
    "DELETE FROM reject",
    "DELETE FROM subject",
    "COMMIT",
    "SELECT (SELECT count(*) FROM source) + (SELECT count(*) FROM subject) + "
    "(SELECT count(*) FROM response) + (SELECT count(*) FROM behavior) + "
    "(SELECT count(*) FROM labeled_behavior) + (SELECT count(*) FROM ultimatum) + "
    "(SELECT count(*) FROM milgram) + (SELECT count(*) FROM milgram_step) + "
    "(SELECT count(*) FROM reject)",
    "SELECT count(*) FROM source",
    "SELECT count(*) FROM source WHERE sha256 = 'pending'",
    "SELECT count(*) FROM reject",
};
static sqlite3_stmt *query[N_QUERIES];

static void close_store(void)
{
    for (int i = 0; i < N_QUERIES; i++)
        sqlite3_finalize(query[i]);
    memset(query, 0, sizeof query);
    store_close(store);
    store = NULL;
}

sqlite3 *fuzz_store(void)
{
    if (store)
        return store;
    /* ":memory:": the real store layer and schema, without a file to clean up or fsync; made once
     * per process and emptied between inputs (fuzz_store_reset) */
    if (!(store = store_open(":memory:", STORE_CREATE)))
        fuzz_fail("store_open(\":memory:\")", __FILE__, __LINE__);
    for (size_t i = 0; i < sizeof bundled_tables / sizeof bundled_tables[0]; i++) {
        const struct bundled_table *t = &bundled_tables[i];
        int rc = t->is_norms ? banks_load_norms_data(store, t->name, t->data, strlen(t->data))
                             : banks_load_instruments_data(store, t->name, t->data, strlen(t->data));
        if (rc != 0)
            fuzz_fail("loading the bundled banks", __FILE__, __LINE__);
    }
    for (int i = 0; i < N_QUERIES; i++)
        if (sqlite3_prepare_v2(store, query_sql[i], -1, &query[i], NULL) != SQLITE_OK)
            fuzz_fail(sqlite3_errmsg(store), __FILE__, __LINE__);
    atexit(close_store);
    return store;
}

/* Steps a prepared query to its end; the first column of its row, or 0 when it has none. */
static long run(sqlite3 *db, int q)
{
    sqlite3_stmt *st = query[q];
    long n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        fuzz_fail(sqlite3_errmsg(db), __FILE__, __LINE__);
    return n;
}

void fuzz_store_reset(sqlite3 *db)
{
    for (int q = Q_BEGIN; q <= Q_COMMIT; q++)
        run(db, q);
}

long fuzz_store_rows(sqlite3 *db)
{
    return run(db, Q_ROWS);
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
        FUZZ_ASSERT(run(db, Q_SOURCES) == 1);
        FUZZ_ASSERT(run(db, Q_PENDING) == 0);
        if (!mode->skip_bad)
            FUZZ_ASSERT(run(db, Q_REJECTS) == 0);
        fuzz_store_reset(db);
    }
    return rc;
}
