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

int render_metrics_rows(const struct faith_table *t, enum out_format fmt)
{
    static const char *const header[] = { "metric", "instrument", "instrument_b", "dimension", "item",
                                          "value", "ci_low", "ci_high", "n", "note" };
    struct out o;
    if (out_begin(&o, fmt, header, 10) < 0)
        return -1;
    for (size_t i = 0; i < t->n; i++) {
        const struct faith_row *r = &t->rows[i];
        char value[32], lo[32], hi[32], n[24] = "";
        if (r->n >= 0)
            snprintf(n, sizeof n, "%ld", r->n);
        /* + 0.0 turns -0 into 0 */
        const char *row[] = { r->metric, r->instrument, r->instrument_b, r->dimension, r->item,
                              out_num(value, sizeof value, r->value + 0.0), out_num(lo, sizeof lo, r->ci_low + 0.0),
                              out_num(hi, sizeof hi, r->ci_high + 0.0), n, r->note };
        if (out_row(&o, row) < 0) {
            out_end(&o);
            return -1;
        }
    }
    return out_end(&o);
}

int render_metrics_summary(const struct faith_table *t, const struct score_set *set, enum out_format fmt)
{
    static const char *const header[] = { "instrument", "dimension", "faithful", "reason" };
    struct faith_summary *s = NULL;
    size_t n = 0;
    struct out o;
    if (faith_summarize(t, set, &s, &n) < 0)
        return -1;
    int ret = out_begin(&o, fmt, header, 4);
    for (size_t i = 0; ret == 0 && i < n; i++) {
        const char *row[] = { s[i].instrument, s[i].dimension,
                              s[i].faithful > 0 ? "yes" : s[i].faithful == 0 ? "no" : "unknown", s[i].reason };
        ret = out_row(&o, row);
    }
    if (out_end(&o) < 0)
        ret = -1;
    faith_summary_free(s, n);
    return ret;
}
