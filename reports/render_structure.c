/* reports/render_structure.c -- `psyfaith structure` output: the tidy rows of metrics/structure.h, one
 * group (instrument x model x condition x units) after another, as CSV or an aligned table */
#include <stdio.h>

#include "metrics/structure.h"
#include "reports/out.h"
#include "reports/render.h"

int render_structure_begin(struct out *o, enum out_format fmt)
{
    static const char *const header[] = { STRUCTURE_COLUMNS };
    return out_begin(o, fmt, header, sizeof header / sizeof header[0]);
}

int render_structure_add(struct out *o, const struct structure_table *t, const struct structure_group *g)
{
    for (size_t i = 0; i < t->n; i++) {
        const struct structure_row *r = &t->rows[i];
        char value[32], se[32], n[24] = "";
        if (r->n)
            snprintf(n, sizeof n, "%zu", r->n);
        /* + 0.0 turns -0 into 0 */
        const char *row[] = { r->analysis, g->instrument, g->model ? g->model : "all", g->condition, g->units,
                              r->method, r->factor, r->factor_b, r->item, r->statistic,
                              out_num(value, sizeof value, r->value + 0.0), out_num(se, sizeof se, r->se + 0.0), n,
                              r->note };
        if (out_row(o, row) < 0)
            return -1;
    }
    return 0;
}
