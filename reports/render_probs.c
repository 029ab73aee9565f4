/* reports/render_probs.c -- `psyfaith scores --prob-summary`: per model, what the option
 * probabilities say beside the text (metrics/probs.h) */
#include <stdio.h>

#include "metrics/probs.h"
#include "reports/out.h"
#include "reports/render.h"

int render_prob_summary(const struct prob_summary *s, enum out_format fmt)
{
    static const char *const header[] = { "model", "n", "n_scale", "n_text", "n_compared", "agree", "kappa",
                                          "mean_entropy_nats", "mean_outside", "note" };
    struct out o;
    int ret = 0;
    if (out_begin(&o, fmt, header, 10) < 0)
        return -1;
    for (size_t i = 0; i < s->n && ret == 0; i++) {
        const struct prob_summary_row *r = &s->rows[i];
        char n[24], ns[24], nt[24], nc[24], ag[32], ka[32], en[32], ou[32];
        snprintf(n, sizeof n, "%ld", r->n);
        snprintf(ns, sizeof ns, "%ld", r->n_scale);
        snprintf(nt, sizeof nt, "%ld", r->n_text);
        snprintf(nc, sizeof nc, "%ld", r->n_compared);
        const char *row[] = { r->model, n, ns, nt, nc, out_num(ag, sizeof ag, r->agree), out_num(ka, sizeof ka, r->kappa),
                              out_num(en, sizeof en, r->mean_entropy), out_num(ou, sizeof ou, r->mean_outside),
                              r->note };
        ret = out_row(&o, row);
    }
    if (out_end(&o) < 0 || ret < 0)
        return -1;
    return 0;
}
