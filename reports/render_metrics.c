/* reports/render_metrics.c -- `psyfaith metrics` output: the faithfulness metrics of metrics/faith.h as
 * tidy CSV or an aligned table, or with --summary one verdict per instrument x dimension */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/faith.h"
#include "metrics/scores.h"
#include "reports/out.h"
#include "reports/render.h"
#include "util.h"

int render_metrics_begin(struct out *o, enum out_format fmt, int summary)
{
    static const char *const header[] = { "metric", "instrument", "instrument_b", "dimension", "item",
                                          "value", "ci_low", "ci_high", "n", "note", "condition" };
    static const char *const sum_header[] = { "instrument", "dimension", "faithful", "reason", "condition" };
    return summary ? out_begin(o, fmt, sum_header, 5) : out_begin(o, fmt, header, 11);
}

static int add_summary(struct out *o, const struct faith_table *t, const struct score_set *set, const char *condition)
{
    struct faith_summary *s = NULL;
    size_t n = 0;
    if (faith_summarize(t, set, &s, &n) < 0)
        return -1;
    int ret = 0;
    for (size_t i = 0; ret == 0 && i < n; i++) {
        const char *row[] = { s[i].instrument, s[i].dimension,
                              s[i].faithful > 0 ? "yes" : s[i].faithful == 0 ? "no" : "unknown", s[i].reason, condition };
        ret = out_row(o, row);
    }
    faith_summary_free(s, n);
    return ret;
}

int render_metrics_add(struct out *o, const struct faith_table *t, const struct score_set *set, const char *condition,
                       int summary)
{
    if (summary)
        return add_summary(o, t, set, condition);
    for (size_t i = 0; i < t->n; i++) {
        const struct faith_row *r = &t->rows[i];
        char value[32], lo[32], hi[32], n[24] = "";
        if (r->n >= 0)
            snprintf(n, sizeof n, "%ld", r->n);
        /* + 0.0 turns -0 into 0 */
        const char *row[] = { r->metric, r->instrument, r->instrument_b, r->dimension, r->item,
                              out_num(value, sizeof value, r->value + 0.0), out_num(lo, sizeof lo, r->ci_low + 0.0),
                              out_num(hi, sizeof hi, r->ci_high + 0.0), n, r->note, condition };
        if (out_row(o, row) < 0)
            return -1;
    }
    return 0;
}
