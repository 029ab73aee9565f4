/* reports/render_audit.c -- `psyfaith audit` output: the verdicts of metrics/audit.c as CSV or an
 * aligned table */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/audit.h"
#include "reports/latex.h"
#include "reports/out.h"
#include "reports/render.h"
#include "util.h"

static const char *const header[AUDIT_NCOL] = { "source", "claim", "model", "persona", "temperature", "instrument",
                                                "dimension", "verdict", "value", "ci_low", "ci_high", "n",
                                                "threshold", "reliability", "validity", "reason", "evidence",
                                                "condition" };

/* Columns shown in a terminal table: up to the reason, the condition beside the persona (the
 * evidence runs to hundreds of characters; CSV has every column). */
static const int table_cols[] = { 0, 1, 2, 3, 17, 4, 5, 6, 7, 8, 9, 10, 11, 15 };
#define N_TABLE_COLS (sizeof table_cols / sizeof table_cols[0])

int render_audit(const struct audit_list *l, const struct audit_results *res, const struct audit_options *o,
                 enum out_format fmt)
{
    struct out out;
    const char *head[AUDIT_NCOL];
    size_t ncol = fmt == OUT_TABLE ? N_TABLE_COLS : AUDIT_NCOL;
    for (size_t k = 0; k < ncol; k++)
        head[k] = header[fmt == OUT_TABLE ? table_cols[k] : (int)k];
    if (out_begin(&out, fmt, head, ncol) < 0)
        return -1;
    for (size_t i = 0; i < res->n; i++) {
        const struct audit_result *x = &res->v[i];
        const struct audit_item *it = &l->v[x->item];
        int game = it->c.kind == AUDIT_STEERABLE && it->c.game;
        char src[300], value[40], lo[40], hi[40], n[24] = "", rel[40] = "", val[40] = "";
        char *owned[5] = { NULL, NULL, NULL, NULL, NULL };
        snprintf(src, sizeof src, "%s:%ld", it->path, it->line);
        if (x->n >= 0)
            snprintf(n, sizeof n, "%ld", x->n);
        if (!game) {
            out_num(rel, sizeof rel, o->reliability);
            out_num(val, sizeof val, o->validity);
        }
        const char *text[5] = { it->c.text, x->model, x->persona, x->instrument, x->condition };
        if (fmt == OUT_CSV)     /* input text is defused for spreadsheets */
            for (int k = 0; k < 5; k++)
                if (text[k])
                    text[k] = csv_defuse(text[k], &owned[k]);
        const char *all[AUDIT_NCOL] = { src, text[0], text[1], text[2], x->temperature, text[3], x->dimension,
                                        audit_verdict_name(x->verdict), out_num(value, sizeof value, x->value + 0.0),
                                        out_num(lo, sizeof lo, x->ci_low + 0.0), out_num(hi, sizeof hi, x->ci_high + 0.0),
                                        n, x->threshold, rel, val, x->reason, x->evidence, text[4] };
        const char *row[AUDIT_NCOL];
        for (size_t k = 0; k < ncol; k++)
            row[k] = all[fmt == OUT_TABLE ? table_cols[k] : (int)k];
        int rc = out_row(&out, row);
        for (int k = 0; k < 5; k++)
            free(owned[k]);
        if (rc < 0) {
            out_end(&out);
            return -1;
        }
    }
    return out_end(&out);
}
