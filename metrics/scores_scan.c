/* metrics/scores_scan.c -- the table-scan order of scores_load_responses (see scores_int.h).
 * Reading the responses through the index response_by_subject costs a B-tree seek into the table
 * per row (about 0.37 s of CPU for 1M responses, most of plain `metrics`); a scan of the table in
 * rowid order reads the same rows in a sixth of that.  Ingest writes a subject's responses
 * together, so the scan usually sees the subjects one after another in ascending order: then each
 * subject's rows, buffered (one subject's data), are put in the index's order (item, rep, rowid)
 * here, and the loader sees exactly the rows, in exactly the order, that the index would give.
 * Whether they are in that order is found out on the way (a subject id that falls stops the scan,
 * and the caller reads through the index instead), not by a first pass over the table, which cost
 * a tenth of `metrics` at 1M responses. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/scores_int.h"
#include "store/store.h"

static _Thread_local const struct scan_row *sort_rows;    /* per thread: qsort has no context argument */

/* (rep, position): the position is the rowid order */
static int by_rep(const void *pa, const void *pb)
{
    const size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    if (sort_rows[a].rep != sort_rows[b].rep)
        return sort_rows[a].rep < sort_rows[b].rep ? -1 : 1;
    return (a > b) - (a < b);
}

static int by_item_rep(const void *pa, const void *pb)
{
    const size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    if (sort_rows[a].iid != sort_rows[b].iid)
        return sort_rows[a].iid < sort_rows[b].iid ? -1 : 1;
    return by_rep(pa, pb);
}

int scores_reserve(void **p, size_t *cap, size_t n, size_t size)
{
    if (n <= *cap)
        return 0;
    void *q = realloc(*p, n * size);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

int scores_order_subject(const struct scan_row *rows, size_t n, struct scan_row *out, struct scan_order *o)
{
    if (n == 0)
        return 0;
    int64_t lo = rows[0].iid, hi = rows[0].iid;
    for (size_t i = 1; i < n; i++) {
        lo = rows[i].iid < lo ? rows[i].iid : lo;
        hi = rows[i].iid > hi ? rows[i].iid : hi;
    }
    const uint64_t span = (uint64_t)hi - (uint64_t)lo + 1;
    if (span > 4 * (uint64_t)n + 1024) {      /* sparse item ids: a plain sort of the positions */
        if (scores_reserve((void **)&o->count, &o->cap_count, n, sizeof *o->count) < 0)
            return -1;
        for (size_t i = 0; i < n; i++)
            o->count[i] = i;
        sort_rows = rows;
        qsort(o->count, n, sizeof *o->count, by_item_rep);
        for (size_t i = 0; i < n; i++)
            out[i] = rows[o->count[i]];
        return 0;
    }
    if (scores_reserve((void **)&o->count, &o->cap_count, span + 1, sizeof *o->count) < 0)
        return -1;
    size_t *c = o->count;
    for (size_t b = 0; b <= span; b++)
        c[b] = 0;
    for (size_t i = 0; i < n; i++)
        c[rows[i].iid - lo + 1]++;
    for (size_t b = 1; b <= span; b++)
        c[b] += c[b - 1];
    for (size_t i = 0; i < n; i++)          /* stable: an item's rows keep their rowid order */
        out[c[rows[i].iid - lo]++] = rows[i];
    /* then (rep, rowid) within each item: usually the rowid order already is; else the item's
     * rows, in rowid order, are sorted by (rep, position among them) */
    for (size_t i = 0; i < n;) {
        size_t e = i + 1, sorted = 1;
        while (e < n && out[e].iid == out[i].iid) {
            sorted &= out[e].rep >= out[e - 1].rep;
            e++;
        }
        if (!sorted) {
            const size_t len = e - i;
            if (scores_reserve((void **)&o->tmp, &o->cap_tmp, len, sizeof *o->tmp) < 0 ||
                scores_reserve((void **)&o->count, &o->cap_count, len, sizeof *o->count) < 0)
                return -1;
            memcpy(o->tmp, out + i, len * sizeof *out);
            for (size_t j = 0; j < len; j++)
                o->count[j] = j;
            sort_rows = o->tmp;
            qsort(o->count, len, sizeof *o->count, by_rep);
            for (size_t j = 0; j < len; j++)
                out[i + j] = o->tmp[o->count[j]];
        }
        i = e;
    }
    return 0;
}

void scores_order_free(struct scan_order *o)
{
    free(o->count);
    free(o->tmp);
    memset(o, 0, sizeof *o);
}

/* Grows *p to hold n + 1 elements; -1 when out of memory. */
static int grow1(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 256;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

int scores_status_code(const char *status)
{
    if (status && strcmp(status, "ok") == 0)
        return SCAN_OK;
    if (status && strcmp(status, "refusal") == 0)
        return SCAN_REFUSAL;
    if (status && strcmp(status, "unparsed") == 0)
        return SCAN_UNPARSED;
    return SCAN_OTHER;
}

int scores_scan_responses(sqlite3 *db, int (*fn)(void *ctx, int64_t sid, const struct scan_row *r), void *ctx,
                          int *order_some)
{
    sqlite3_stmt *st = store_prepare(db, "SELECT subject_id, item_id, rep, status, option, "
                                         "status = 'ok' AND (option_order = 'descending' OR presented IS NOT NULL) "
                                         "FROM response NOT INDEXED");
    struct scan_row *buf = NULL, *sorted = NULL;
    struct scan_order order = { 0 };
    size_t n = 0, cap = 0, cap_sorted = 0;
    int64_t sid = 0;
    int rc, ret = -1;
    if (!st)
        return -1;
    for (;;) {
        rc = sqlite3_step(st);
        const int64_t next_sid = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        if (n && rc == SQLITE_ROW && next_sid < sid) {         /* not subject after subject */
            ret = SCORES_NOT_GROUPED;
            goto out;
        }
        if (n && (rc != SQLITE_ROW || next_sid != sid)) {      /* a subject complete: feed it */
            if (scores_reserve((void **)&sorted, &cap_sorted, n, sizeof *sorted) < 0 ||
                scores_order_subject(buf, n, sorted, &order) < 0)
                goto oom;
            for (size_t i = 0; i < n; i++) {
                if (fn(ctx, sid, &sorted[i]) < 0)
                    goto oom;
            }
            n = 0;
        }
        if (rc != SQLITE_ROW)
            break;
        sid = next_sid;
        if (!*order_some)
            *order_some = sqlite3_column_int(st, 5);
        if (grow1((void **)&buf, &cap, n, sizeof *buf) < 0)
            goto oom;
        buf[n++] = (struct scan_row){ sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
                                      scores_status_code(store_col_text(st, 3)), sqlite3_column_int(st, 4) };
    }
    if (rc != SQLITE_DONE) {
        diag_error("store: %s", sqlite3_errmsg(db));
        goto out;
    }
    ret = 0;
    goto out;
oom:
    ret = diag_error("out of memory");
out:
    sqlite3_finalize(st);
    free(buf);
    free(sorted);
    scores_order_free(&order);
    return ret;
}

