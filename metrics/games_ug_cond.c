/* metrics/games_ug_cond.c -- `psyfaith games ultimatum`: each cell (trait, level) of a condition
 * against the same cell of the baseline (no condition) of the same model, as a logistic regression
 * of acceptance on the offer and the condition (R: glm(accept ~ o + cond, binomial), cond = 1 for
 * the condition's trials).  games_ug.c calls it once per condition. */
#include <math.h>
#include <stdio.h>

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "diag.h"
#include "metrics/games_int.h"
#include "metrics/stats.h"

static int ug_condition(struct games_rows *out, const struct games_key *key, const struct games_ug_trial *c,
                       size_t nc, const struct games_ug_trial *b, size_t nb)
{
    static const char *const terms[3] = { "intercept", "slope_o", "condition" };
    static const char *const notes[3] = {
        "glm(accept ~ o + cond, binomial) on this cell's trials and the baseline's: log-odds of acceptance "
        "in the baseline at offer 0",
        "glm(accept ~ o + cond, binomial): change in log-odds per unit of offer / total",
        "glm(accept ~ o + cond, binomial): log odds ratio of acceptance, this condition vs the baseline (no "
        "condition) of the same model and persona at the same offer; Wald 95% interval and z test",
    };
    size_t n = nc + nb;
    gsl_matrix *X = gsl_matrix_alloc(n, 3);
    gsl_vector *y = gsl_vector_alloc(n);
    struct games_fit f = { 0 };
    const char *why;
    char note[400];
    int ret = -1;
    if (!X || !y) {
        diag_error("out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const struct games_ug_trial *t = i < nc ? &c[i] : &b[i - nc];
        gsl_matrix_set(X, i, 0, 1.0);
        gsl_matrix_set(X, i, 1, t->offer / t->total);
        gsl_matrix_set(X, i, 2, i < nc ? 1.0 : 0.0);
        gsl_vector_set(y, i, t->accept);
    }
    int rc = games_logit(X, y, &f, &why);
    if (rc == STATS_NOMEM) {
        diag_error("out of memory");
        goto out;
    }
    if (rc != STATS_OK) {
        snprintf(note, sizeof note, "glm(accept ~ o + cond, binomial) against the baseline not estimable: %s", why);
        ret = games_emit(out, key, "condition", NAN, NAN, NAN, NAN, NAN, (long)n, note);
        goto out;
    }
    for (int j = 0; j < 3; j++) {
        snprintf(note, sizeof note, "%s%s", notes[j],
                 f.boundary ? "; fitted probabilities numerically 0 or 1 occurred (separation?)" : "");
        if (games_emit(out, key, terms[j], f.coef[j], f.lo[j], f.hi[j], NAN, f.p_value[j], (long)n, note) < 0)
            goto out;
    }
    ret = 0;
out:
    games_fit_free(&f);
    gsl_matrix_free(X);
    gsl_vector_free(y);
    return ret;
}

int games_ug_condition_rows(struct games_rows *out, const char *model, const struct games_ug_trial *t, size_t n,
                            const struct games_ug_trial *ref, size_t nref)
{
    char lvl[8];
    for (size_t i = 0; i < n;) {
        size_t j = i, rlo = 0, rhi;
        while (j < n && t[j].trait == t[i].trait && t[j].level == t[i].level)
            j++;
        while (rlo < nref && !(ref[rlo].trait == t[i].trait && ref[rlo].level == t[i].level))
            rlo++;
        for (rhi = rlo; rhi < nref && ref[rhi].trait == t[i].trait && ref[rhi].level == t[i].level;)
            rhi++;
        int base = t[i].trait < 0;
        snprintf(lvl, sizeof lvl, "%d", t[i].level);
        struct games_key key = { "ug_condition", model, base ? NULL : games_traits[t[i].trait], base ? NULL : lvl,
                                 NULL };
        if (rhi == rlo) {
            if (games_emit_value(out, &key, "no_baseline", NAN, (long)(j - i),
                                 "not compared: no baseline (no condition) trials of this model with the same "
                                 "persona") < 0)
                return -1;
        } else if (ug_condition(out, &key, t + i, j - i, ref + rlo, rhi - rlo) < 0) {
            return -1;
        }
        i = j;
    }
    return 0;
}
