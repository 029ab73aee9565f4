/* metrics/games_me_cond.c -- `psyfaith games milgram`: the obedience rate of every cell and, in an
 * experimental condition, each cell against the same cell of the baseline (no condition) of the same
 * model: obedience difference (Newcombe's hybrid score interval, Fisher's exact p) and mean final
 * level (Welch).  games_me.c calls it once per model x condition. */
#include <math.h>
#include <stdio.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "diag.h"
#include "metrics/games_me_int.h"
#include "metrics/stats.h"

/* The cell (trait, rank) of block b, or NULL. */
static const struct cond *find_cond(const struct block *b, int trait, int rank)
{
    for (size_t i = 0; b && i < b->nc; i++)
        if (b->c[i].trait == trait && b->c[i].rank == rank)
            return &b->c[i];
    return NULL;
}

/* One condition cell against the same cell of the baseline: obedience rates and final levels. */
static int compare_rows(const struct ctx *x, const struct block *b, const struct cond *c, const struct cond *r)
{
    char lvl[8], note[320];
    struct games_key k = games_me_key("me_condition", b, c, lvl);
    long n = (long)(c->n_kept + r->n_kept);
    struct stats_prop_diff d;
    struct stats_ttest t;
    double p;
    const char *why;
    int rc = stats_newcombe(c->obedient, c->n_kept, r->obedient, r->n_kept, GAMES_CI_LEVEL, &d, &why);
    if (rc == STATS_OK)
        rc = stats_fisher_exact(c->obedient, c->n_kept - c->obedient, r->obedient, r->n_kept - r->obedient, &p,
                                &why);
    if (rc == STATS_NOMEM)
        return diag_error("out of memory");
    if (rc != STATS_OK) {
        snprintf(note, sizeof note, "obedience rate minus the baseline's not defined: %s", why);
        if (games_emit(x->out, &k, "obedience_difference", NAN, NAN, NAN, NAN, NAN, n, note) < 0)
            return -1;
    } else if (games_emit(x->out, &k, "obedience_difference", d.diff, d.lo, d.hi, NAN, p, n,
                          "obedience rate of this condition minus that of the baseline (no condition) of the same "
                          "model and persona; Newcombe hybrid score 95% interval, Fisher's exact two-sided p") < 0) {
        return -1;
    }
    rc = stats_welch_t(c->final, c->n_kept, r->final, r->n_kept, &t, &why);
    if (rc == STATS_NOMEM)
        return diag_error("out of memory");
    if (rc != STATS_OK) {
        snprintf(note, sizeof note, "Welch t-test of the final level against the baseline not defined: %s", why);
        return games_emit(x->out, &k, "welch_t", NAN, NAN, NAN, NAN, NAN, n, note);
    }
    double vx = gsl_stats_variance(c->final, 1, c->n_kept), vy = gsl_stats_variance(r->final, 1, r->n_kept);
    double se = sqrt(vx / (double)c->n_kept + vy / (double)r->n_kept), diff = t.mean_x - t.mean_y;
    double q = gsl_cdf_tdist_Pinv(1.0 - (1.0 - GAMES_CI_LEVEL) / 2.0, t.df);
    return games_emit(x->out, &k, "mean_final_difference", diff, diff - q * se, diff + q * se, t.df, t.p, n,
                      "mean final level of this condition minus that of the baseline, same model and persona; "
                      "Welch 95% interval") < 0 ||
                   games_emit(x->out, &k, "welch_t", t.t, NAN, NAN, t.df, t.p, n,
                              "Welch two-sample t-test of the final level, condition vs baseline "
                              "(R t.test, var.equal = FALSE)") < 0
               ? -1
               : 0;
}

/* The obedience rate of every cell; in a condition, each cell against the baseline's (ref). */
int games_me_obedience_rows(const struct ctx *x, const struct block *b, const struct block *ref)
{
    char lvl[8];
    for (size_t i = 0; i < b->nc; i++) {
        const struct cond *c = &b->c[i];
        struct games_key k = games_me_key("me_obedience", b, c, lvl);
        double lo, hi;
        if (c->n_kept == 0) {
            if (games_emit_value(x->out, &k, "obedience_rate", NAN, 0,
                                 "no obedience rate: every run of this cell was filtered") < 0)
                return -1;
        } else {
            games_wilson(c->obedient, c->n_kept, GAMES_CI_LEVEL, &lo, &hi, NULL);
            if (games_emit(x->out, &k, "obedience_rate", (double)c->obedient / (double)c->n_kept, lo, hi, NAN, NAN,
                           (long)c->n_kept,
                           "share of the kept runs that reached their max_level; Wilson 95% interval "
                           "(R prop.test, correct = FALSE)") < 0)
                return -1;
        }
        if (!b->condition)
            continue;
        const struct cond *r = find_cond(ref, c->trait, c->rank);
        k.analysis = "me_condition";
        if (!r || r->n_kept == 0 || c->n_kept == 0) {
            if (games_emit_value(x->out, &k, "no_baseline", NAN, (long)c->n_kept,
                                 c->n_kept == 0 ? "not compared: every run of this cell was filtered"
                                 : !r ? "not compared: no baseline (no condition) runs of this model with the same persona"
                                      : "not compared: every baseline run of this model with the same persona was filtered") < 0)
                return -1;
            continue;
        }
        if (compare_rows(x, b, c, r) < 0)
            return -1;
    }
    return 0;
}

