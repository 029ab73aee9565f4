/* metrics/faith_style.c -- response-style diagnostics of one block: each the mean over the
 * block's subjects of a per-subject share, counted over every repetition */
#include <math.h>
#include <stdlib.h>

#include "diag.h"
#include "metrics/faith.h"
#include "metrics/stats.h"

enum { NEUTRAL, ACQUIESCENCE, ENTROPY, REFUSAL, UNPARSED, N_STYLE };
static const char *const style_names[N_STYLE] = { "neutral_rate", "acquiescence", "option_entropy", "refusal_rate",
                                                  "unparsed_rate" };

static int mean_stat(const size_t *idx, size_t n, void *ctx, double *out)
{
    const double *v = ctx;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += v[idx[i]];
    out[0] = sum / (double)n;
    return STATS_OK;
}

/* Subject s's value of style metric w in blk; NAN when it has none. */
static double subject_value(const struct score_block *blk, int K, size_t s, int w)
{
    const size_t *cnt = blk->option_counts[s];
    size_t ok = 0;
    for (int o = 1; o <= K; o++)
        ok += cnt[o];
    size_t all = ok + (size_t)blk->refusals[s] + (size_t)blk->unparsed[s] + (size_t)blk->ambiguous[s];
    double bits;
    switch (w) {
    case NEUTRAL:
        return ok && K % 2 ? (double)cnt[(K + 1) / 2] / (double)ok : NAN;
    case ACQUIESCENCE:
        if (!blk->n_pos[s] || !blk->n_neg[s])
            return NAN;
        return ((double)blk->agree_pos[s] / blk->n_pos[s] + (double)blk->agree_neg[s] / blk->n_neg[s]) / 2.0;
    case ENTROPY:
        return stats_entropy(cnt + 1, (size_t)K, &bits, NULL) == STATS_OK ? bits : NAN;
    case REFUSAL:
        return all ? (double)blk->refusals[s] / (double)all : NAN;
    default:
        return all ? (double)blk->unparsed[s] / (double)all : NAN;
    }
}

int faith_style(struct faith_ctx *c, size_t b)
{
    const struct score_set *set = c->set;
    const struct score_block *blk = &set->blocks[b];
    const int K = set->instruments[blk->instrument].n_options;
    const size_t ns = set->n_subjects;
    const char *name = set->instruments[blk->instrument].name, *dim = dimension_codes[blk->dimension];
    double *v = malloc((ns + 1) * sizeof *v);
    struct faith_boot boot = { 0 };
    if (!v)
        return diag_error("out of memory");
    for (int w = 0; w < N_STYLE; w++) {
        if (!faith_wanted(c->opt, style_names[w]))
            continue;
        struct faith_row *r = faith_add(c->t, style_names[w], name, NULL, dim, NULL);
        size_t n = 0, responses = 0, events = 0, ambiguous = 0;
        double sum = 0.0;
        int rc = 0;
        if (!r)
            goto oom;
        for (size_t s = 0; s < ns; s++) {
            if (!c->took[b * ns + s])
                continue;
            double x = subject_value(blk, K, s, w);
            for (int o = 1; o <= K; o++)
                responses += blk->option_counts[s][o];
            responses += (size_t)blk->refusals[s] + (size_t)blk->unparsed[s] + (size_t)blk->ambiguous[s];
            events += w == REFUSAL ? (size_t)blk->refusals[s] : (size_t)blk->unparsed[s];
            ambiguous += (size_t)blk->ambiguous[s];
            if (isnan(x))
                continue;
            v[n++] = x;
            sum += x;
        }
        r->n = (long)n;
        if (n)
            r->value = sum / (double)n;
        if (w == NEUTRAL && K % 2 == 0)
            rc = faith_note(r, "no middle option (K = %d)", K);
        else if (!n)
            rc = faith_note(r, w == ACQUIESCENCE ? "no subject answered both + and - keyed items" : "no answers");
        else if (w == ACQUIESCENCE)
            rc = faith_note(r, "mean of (agree+/n+ + agree-/n-)/2 on the raw scale: 0.5 balanced, 1 agrees with all");
        else if (w == ENTROPY)
            rc = faith_note(r, "bits; %.4g for uniform answers", log2((double)K));
        else if (w == REFUSAL || w == UNPARSED)
            rc = faith_note(r, "%zu of %zu responses", events, responses);
        if (rc < 0 || (w == UNPARSED && ambiguous && faith_note(r, "%zu ambiguous", ambiguous) < 0))
            goto oom;
        if (faith_boot_run(&boot, n, 1, mean_stat, v, c->opt) < 0 || faith_boot_ci(&boot, 0, c->opt, r) < 0)
            goto oom;
        faith_boot_free(&boot);
    }
    free(v);
    return 0;
oom:
    faith_boot_free(&boot);
    free(v);
    return diag_error("out of memory");
}
