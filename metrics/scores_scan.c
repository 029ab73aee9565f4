/* metrics/scores_scan.c -- the table-scan pass of scores_load_responses (see scores_int.h).
 * Reading the responses through the index response_by_subject costs a B-tree seek into the table
 * per row (about 0.37 s of CPU for 1M responses, most of plain `metrics`); a scan of the table in
 * rowid order reads the same rows in a sixth of that.  Ingest writes a subject's responses
 * together, so the scan usually sees the subjects one after another in ascending order, and each
 * row goes to the loader as it is read: the loader's result does not depend on the order of a
 * subject's rows (counts, and the first answer by rowid to an (item, rep) -- see place_cells in
 * scores_responses.c).  Whether the subjects come in order is found out on the way (a subject id
 * that falls stops the scan, and the caller reads through the index instead), not by a first pass
 * over the table, which cost a tenth of `metrics` at 1M responses. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/scores_int.h"
#include "store/store.h"

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
    int64_t sid = 0;
    size_t n = 0;
    int rc, ret = -1;
    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const int64_t next_sid = sqlite3_column_int64(st, 0);
        if (n++ && next_sid < sid) {            /* not subject after subject */
            ret = SCORES_NOT_GROUPED;
            goto out;
        }
        sid = next_sid;
        if (!*order_some)
            *order_some = sqlite3_column_int(st, 5);
        const struct scan_row r = { sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
                                    scores_status_code(store_col_text(st, 3)), sqlite3_column_int(st, 4) };
        if (fn(ctx, sid, &r) < 0) {
            ret = diag_error("out of memory");
            goto out;
        }
    }
    if (rc != SQLITE_DONE) {
        diag_error("store: %s", sqlite3_errmsg(db));
        goto out;
    }
    ret = 0;
out:
    sqlite3_finalize(st);
    return ret;
}
