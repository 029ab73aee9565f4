/* metrics/probs.c -- the probability summary per model (probs.h).  Two aggregate queries: the
 * counts and means per model, then the (text option, argmax) pairs per model as counts, so that
 * memory is the models x K x K table, never the responses. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/probs.h"
#include "store/store.h"

#define MAX_K 11

static const char means_sql[] =
    "SELECT s.model, count(*), count(p.entropy), total(p.entropy), total(p.outside), "
    "sum(p.from_text = 1 AND r.status = 'ok' AND r.option IS NOT NULL) "
    "FROM response_prob p JOIN response r ON r.id = p.response_id JOIN subject s ON s.id = r.subject_id "
    "JOIN item i ON i.id = r.item_id JOIN instrument n ON n.id = i.instrument_id "
    "WHERE ?1 IS NULL OR n.name = ?1 GROUP BY s.model ORDER BY s.model";
static const char pairs_sql[] =
    "SELECT s.model, r.option, p.argmax, count(*) "
    "FROM response_prob p JOIN response r ON r.id = p.response_id JOIN subject s ON s.id = r.subject_id "
    "JOIN item i ON i.id = r.item_id JOIN instrument n ON n.id = i.instrument_id "
    "WHERE (?1 IS NULL OR n.name = ?1) AND p.from_text = 1 AND r.status = 'ok' AND r.option IS NOT NULL "
    "AND p.argmax IS NOT NULL GROUP BY s.model, r.option, p.argmax ORDER BY s.model";

void prob_summary_free(struct prob_summary *s)
{
    for (size_t i = 0; s && i < s->n; i++)
        free(s->rows[i].model);
    if (s)
        free(s->rows);
}

/* Cohen's kappa of a K x K table of counts (row: text option, column: argmax). */
static double kappa_of(const long t[MAX_K + 1][MAX_K + 1], long n, const char **note)
{
    double po = 0, pe = 0;
    for (int a = 1; a <= MAX_K; a++) {
        long row = 0, col = 0;
        for (int b = 1; b <= MAX_K; b++) {
            row += t[a][b];
            col += t[b][a];
        }
        po += t[a][a];
        pe += (double)row / n * ((double)col / n);
    }
    po /= n;
    if (pe >= 1) {
        *note = "kappa undefined: text and argmax both always give the same one option";
        return NAN;
    }
    return (po - pe) / (1 - pe);
}

int prob_summary_compute(sqlite3 *db, const char *instrument, struct prob_summary *out)
{
    sqlite3_stmt *st = NULL;
    long (*tab)[MAX_K + 1][MAX_K + 1] = NULL;
    int rc, ret = -1;
    memset(out, 0, sizeof *out);
    if (!(st = store_prepare(db, means_sql)) || store_bind_text(st, 1, instrument) < 0)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct prob_summary_row *r = realloc(out->rows, (out->n + 1) * sizeof *r);
        if (!r)
            goto oom;
        out->rows = r;
        r = &out->rows[out->n];
        memset(r, 0, sizeof *r);
        const char *model = store_col_text(st, 0);
        if (!model || !(r->model = strdup(model)))
            goto oom;
        out->n++;
        r->n = sqlite3_column_int64(st, 1);
        r->n_scale = sqlite3_column_int64(st, 2);
        r->mean_entropy = r->n_scale ? sqlite3_column_double(st, 3) / r->n_scale : NAN;
        r->mean_outside = r->n ? sqlite3_column_double(st, 4) / r->n : NAN;
        r->n_text = sqlite3_column_int64(st, 5);
        r->agree = r->kappa = NAN;
        r->note = "";
    }
    if (rc != SQLITE_DONE) {
        diag_error("store: %s", sqlite3_errmsg(db));
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (!(tab = calloc(out->n + 1, sizeof *tab)))
        goto oom;
    if (!(st = store_prepare(db, pairs_sql)) || store_bind_text(st, 1, instrument) < 0)
        goto out;
    size_t m = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *model = store_col_text(st, 0);
        int a = sqlite3_column_int(st, 1), b = sqlite3_column_int(st, 2);
        long c = sqlite3_column_int64(st, 3);
        if (!model)
            goto oom;
        while (m < out->n && strcmp(out->rows[m].model, model) != 0)
            m++;                                /* both queries are in model order */
        if (m == out->n || a < 1 || a > MAX_K || b < 1 || b > MAX_K)
            continue;
        tab[m][a][b] += c;
        out->rows[m].n_compared += c;
        if (a == b)
            out->rows[m].n_agree += c;
    }
    if (rc != SQLITE_DONE) {
        diag_error("store: %s", sqlite3_errmsg(db));
        goto out;
    }
    for (size_t i = 0; i < out->n; i++) {
        struct prob_summary_row *r = &out->rows[i];
        if (!r->n_compared) {
            r->note = r->n_text ? "no text answer with an argmax (ties): nothing to compare"
                                : "no text answers beside the probabilities: nothing to compare";
            continue;
        }
        r->agree = (double)r->n_agree / r->n_compared;
        r->kappa = kappa_of((const long (*)[MAX_K + 1])tab[i], r->n_compared, &r->note);
    }
    ret = 0;
    goto out;
oom:
    ret = diag_error("out of memory");
out:
    sqlite3_finalize(st);
    free(tab);
    return ret;
}
