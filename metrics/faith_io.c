/* metrics/faith_io.c -- the criterion scores (table crs) and human norms (table norm) that the
 * validity metrics compare against, read for the subjects of a score_set */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/faith.h"
#include "store/store.h"

void faith_inputs_free(struct faith_inputs *in)
{
    if (!in)
        return;
    free(in->crs);
    free(in->crs_method);
    for (size_t i = 0; i < in->n_norms; i++) {
        free(in->norms[i].instrument);
        free(in->norms[i].population);
    }
    free(in->norms);
    faith_order_free(in);
    memset(in, 0, sizeof *in);
}

static int dimension_index(const char *code)
{
    for (int d = 0; d < N_DIMENSIONS; d++)
        if (code && strcmp(code, dimension_codes[d]) == 0)
            return d;
    return -1;
}

/* Row of subject id in set (subjects are ordered by id), or -1. */
static long subject_row(const struct score_set *set, sqlite3_int64 id)
{
    size_t lo = 0, hi = set->n_subjects;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (set->subjects[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < set->n_subjects && set->subjects[lo].id == id ? (long)lo : -1;
}

static int load_crs(sqlite3 *db, const struct score_set *set, struct faith_inputs *in)
{
    const size_t cells = set->n_subjects * N_DIMENSIONS;
    sqlite3_stmt *st = store_prepare(db, "SELECT subject_id, dimension, method, value FROM crs");
    int rc;
    if (!st)
        return -1;
    if (!(in->crs = malloc((cells + 1) * sizeof *in->crs)) || !(in->crs_method = calloc(cells + 1, 1))) {
        sqlite3_finalize(st);
        return diag_error("out of memory");
    }
    for (size_t i = 0; i < cells; i++)
        in->crs[i] = NAN;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        in->crs_rows++;
        long s = subject_row(set, sqlite3_column_int64(st, 0));
        int d = dimension_index(store_col_text(st, 1));
        const char *method = store_col_text(st, 2);
        if (s < 0 || d < 0 || sqlite3_column_type(st, 3) == SQLITE_NULL)
            continue;
        in->crs[(size_t)s * N_DIMENSIONS + (size_t)d] = sqlite3_column_double(st, 3);
        in->crs_method[(size_t)s * N_DIMENSIONS + (size_t)d] = method && strcmp(method, "prob") == 0 ? 2 : 1;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : diag_error("store: %s", sqlite3_errmsg(db));
}

static int load_norms(sqlite3 *db, struct faith_inputs *in)
{
    sqlite3_stmt *st = store_prepare(db, "SELECT instrument, dimension, population, mean, sd FROM norm "
                                         "WHERE mean IS NOT NULL AND sd IS NOT NULL ORDER BY id");
    size_t cap = 0;
    int rc;
    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int d = dimension_index(store_col_text(st, 1));
        if (d < 0 || !store_col_text(st, 0) || !store_col_text(st, 2))
            continue;
        if (in->n_norms == cap) {
            cap = cap ? cap * 2 : 64;
            struct faith_norm *p = realloc(in->norms, cap * sizeof *p);
            if (!p)
                goto oom;
            in->norms = p;
        }
        struct faith_norm *n = &in->norms[in->n_norms];
        n->instrument = strdup(store_col_text(st, 0));
        n->population = strdup(store_col_text(st, 2));
        n->dimension = d;
        n->mean = sqlite3_column_double(st, 3);
        n->sd = sqlite3_column_double(st, 4);
        in->n_norms++;
        if (!n->instrument || !n->population)
            goto oom;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : diag_error("store: %s", sqlite3_errmsg(db));
oom:
    sqlite3_finalize(st);
    return diag_error("out of memory");
}

int faith_inputs_load(sqlite3 *db, const struct score_set *set, struct faith_inputs *in)
{
    memset(in, 0, sizeof *in);
    if (load_crs(db, set, in) < 0 || load_norms(db, in) < 0 || faith_order_load(db, set, in) < 0) {
        faith_inputs_free(in);
        return -1;
    }
    return 0;
}
