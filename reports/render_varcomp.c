/* reports/render_varcomp.c -- `metrics --metric varcomp`: the variance components of
 * metrics/varcomp.h as tidy CSV or an aligned table, one condition group after another. */
#include <stdio.h>

#include "reports/render.h"

int render_varcomp_begin(struct out *o, enum out_format fmt)
{
    static const char *const header[] = { VARCOMP_HEADER_CELLS };
    return out_begin(o, fmt, header, sizeof header / sizeof header[0]);
}

int render_varcomp_add(struct out *o, const struct varcomp_rows *r, const char *condition)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct varcomp_row *w = &r->rows[i];
        char lv[32] = "", v[40], s[40], n[32];
        if (w->levels)
            snprintf(lv, sizeof lv, "%zu", w->levels);
        snprintf(n, sizeof n, "%ld", w->n);
        const char *row[] = { w->instrument, w->dimension, w->component, lv, out_num(v, sizeof v, w->variance),
                              out_num(s, sizeof s, w->share), w->method, n, w->note, condition };
        if (out_row(o, row) < 0)
            return -1;
    }
    return 0;
}
