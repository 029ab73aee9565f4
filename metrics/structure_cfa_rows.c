/* metrics/structure_cfa_rows.c -- psyfaith structure's CFA and invariance rows: a group's matrix to
 * moments, the fit (structure_cfa.c), the fit to tidy rows (metrics/structure.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/scores.h"
#include "metrics/structure.h"
#include "metrics/structure_cfa.h"
#include "metrics/structure_data.h"

void cfa_moments_free(struct cfa_moments *mom)
{
    if (!mom)
        return;
    gsl_matrix_free(mom->cov);
    free(mom->mean);
    memset(mom, 0, sizeof *mom);
}

/* The model's items: each item of a dimension the instrument has, mapped to its factor 0..m-1. */
static size_t model_items(const struct sd_instrument *ins, size_t *cols, size_t *factor_of)
{
    size_t p = 0;
    for (size_t i = 0; i < ins->n_items; i++)
        for (size_t d = 0; d < ins->n_dims; d++)
            if (ins->items[i].dimension == ins->dims[d]) {
                cols[p] = i;
                factor_of[p++] = d;
            }
    return p;
}

/* Complete-case moments over the model's items; mom->cov stays NULL when fewer respondents than
 * items + 1 remain (S cannot be positive definite), with *why set. */
static int moments(const struct sd_matrix *m, const size_t *cols, size_t p, struct cfa_moments *mom,
                   const char **why)
{
    memset(mom, 0, sizeof *mom);
    size_t *rows = malloc((m->n_resp ? m->n_resp : 1) * sizeof *rows), n = 0;
    if (!rows)
        return diag_error("out of memory");
    for (size_t r = 0; r < m->n_resp; r++) {
        int ok = 1;
        for (size_t i = 0; i < p && ok; i++)
            ok = !isnan(m->x[r * m->n_items + cols[i]]);
        if (ok)
            rows[n++] = r;
    }
    mom->n = n;
    if (n <= p) {
        *why = "fewer complete respondents than items + 1: the covariance matrix is singular";
        free(rows);
        return 0;
    }
    mom->cov = gsl_matrix_calloc(p, p);
    mom->mean = calloc(p, sizeof *mom->mean);
    if (!mom->cov || !mom->mean) {
        free(rows);
        cfa_moments_free(mom);
        return diag_error("out of memory");
    }
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < p; i++)
            mom->mean[i] += m->x[rows[k] * m->n_items + cols[i]] / (double)n;
    for (size_t k = 0; k < n; k++) {
        const double *x = &m->x[rows[k] * m->n_items];
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j <= i; j++)
                *gsl_matrix_ptr(mom->cov, i, j) += (x[cols[i]] - mom->mean[i]) * (x[cols[j]] - mom->mean[j]);
    }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j <= i; j++) {
            double v = gsl_matrix_get(mom->cov, i, j) / (double)n;   /* divisor N: lavaan's ML */
            gsl_matrix_set(mom->cov, i, j, v);
            gsl_matrix_set(mom->cov, j, i, v);
        }
    free(rows);
    return 0;
}

static const char *const fit_names[] = { "npar", "chisq", "df", "pvalue", "cfi", "tli", "rmsea", "rmsea_lo",
                                         "rmsea_hi", "srmr", "logl", "aic", "bic" };

static int fit_rows(struct structure_table *out, const char *analysis, const char *method, const struct cfa_fit *f)
{
    const double v[] = { (double)f->npar, f->chisq, f->df, f->pvalue, f->cfi, f->tli, f->rmsea, f->rmsea_lo,
                         f->rmsea_hi, f->srmr, f->logl, f->aic, f->bic };
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
        if (structure_add(out, analysis, method, NULL, NULL, NULL, fit_names[k], v[k], NAN, f->ntotal, NULL) < 0)
            return -1;
    return 0;
}

/* A fit that is not a result: one row with the reason. */
static int undefined_row(struct structure_table *out, const char *analysis, const char *method, size_t n,
                         const char *why)
{
    return structure_add(out, analysis, method, NULL, NULL, NULL, "fit", NAN, NAN, n, why);
}

/* The fit's note with the item and dimension names in place of the indices. */
static const char *named_note(const struct sd_instrument *ins, const size_t *cols, const size_t *fac,
                              const struct cfa_fit *f, char *buf, size_t n)
{
    (void)fac;
    if (f->bad_item >= 0)
        snprintf(buf, n, "Heywood case: negative residual variance of item %s", ins->items[cols[f->bad_item]].code);
    else if (f->bad_f1 >= 0) {
        const double *phi = &f->phi[f->bad_group * (long)(f->m * f->m)];
        long m = (long)f->m;
        snprintf(buf, n, "Heywood case: %s and %s correlate %.3f (|r| > 1)%s", dimension_codes[ins->dims[f->bad_f1]],
                 dimension_codes[ins->dims[f->bad_f2]],
                 phi[f->bad_f2 * m + f->bad_f1] / sqrt(phi[f->bad_f1 * m + f->bad_f1] * phi[f->bad_f2 * m + f->bad_f2]),
                 f->ngroups > 1 ? " in a group" : "");
    } else
        return f->note;
    return buf;
}

int structure_cfa(const struct sd_instrument *ins, const struct sd_matrix *m, struct structure_table *out,
                  struct cfa_moments *mom)
{
    size_t *cols = malloc((ins->n_items + 1) * sizeof *cols), *fac = malloc((ins->n_items + 1) * sizeof *fac);
    struct cfa_moments local = { 0 }, *mm = mom ? mom : &local;
    struct cfa_fit *f = NULL;
    const char *why = NULL;
    int ret = -1;
    if (!cols || !fac) {
        diag_error("out of memory");
        goto out;
    }
    size_t p = model_items(ins, cols, fac);
    if (moments(m, cols, p, mm, &why) < 0)
        goto out;
    if (!mm->cov) {
        ret = undefined_row(out, "cfa", "ml", mm->n, why);
        goto out;
    }
    struct cfa_group g = { mm->cov, mm->mean, mm->n };
    struct cfa_spec spec = { p, ins->n_dims, fac, 1, &g, CFA_CONFIGURAL };
    if (cfa_fit(&spec, &f, &why) < 0) {
        ret = undefined_row(out, "cfa", "ml", mm->n, why);
        goto out;
    }
    if (!f->converged || !f->admissible) {
        char buf[200];
        ret = undefined_row(out, "cfa", "ml", mm->n, named_note(ins, cols, fac, f, buf, sizeof buf));
        goto out;
    }
    if (fit_rows(out, "cfa", "ml", f) < 0)
        goto out;
    for (size_t i = 0; i < p; i++) {
        const char *dim = dimension_codes[ins->dims[fac[i]]], *code = ins->items[cols[i]].code;
        if (structure_add(out, "cfa", "ml", dim, NULL, code, "loading", f->lambda[i], f->se_lambda[i], f->ntotal,
                          NULL) < 0 ||
            structure_add(out, "cfa", "ml", dim, NULL, code, "residual_variance", f->theta[i], f->se_theta[i],
                          f->ntotal, NULL) < 0)
            goto out;
    }
    for (size_t a = 0; a < ins->n_dims; a++)
        for (size_t b = a + 1; b < ins->n_dims; b++)
            if (structure_add(out, "cfa", "ml", dimension_codes[ins->dims[a]], dimension_codes[ins->dims[b]], NULL,
                              "factor_correlation", f->phi[b * ins->n_dims + a], f->se_phi[b * ins->n_dims + a],
                              f->ntotal, NULL) < 0)
                goto out;
    ret = 0;
out:
    if (!mom)
        cfa_moments_free(&local);
    cfa_fit_free(f);
    free(cols);
    free(fac);
    return ret;
}

/* the most free parameters of a configural model fitted (see structure_invariance) */
#define CFA_INVARIANCE_MAX_PARAMS 1000

int structure_invariance(const struct sd_instrument *ins, const struct cfa_moments *moms, size_t k,
                         struct structure_table *out)
{
    static const char *const steps[] = { "configural", "metric", "scalar" };
    size_t *cols = malloc((ins->n_items + 1) * sizeof *cols), *fac = malloc((ins->n_items + 1) * sizeof *fac);
    struct cfa_group *g = calloc(k ? k : 1, sizeof *g);
    struct cfa_fit *f[3] = { NULL, NULL, NULL };
    size_t ng = 0, ntotal = 0;
    int ret = -1;
    if (!cols || !fac || !g) {
        diag_error("out of memory");
        goto out;
    }
    size_t p = model_items(ins, cols, fac);
    for (size_t i = 0; i < k; i++)
        if (moms[i].cov) {
            g[ng++] = (struct cfa_group){ moms[i].cov, moms[i].mean, moms[i].n };
            ntotal += moms[i].n;
        }
    if (ng < 2) {
        ret = 0;
        goto out;
    }
    /* The configural model's free parameters: per group p loadings, p residual variances, p intercepts
     * and the factor correlations.  The optimiser keeps a dense q x q information matrix (and, when
     * scoring slows, a finite-difference Hessian of q gradients), so time grows as q^3: 12 models of
     * IPIP-NEO-120 (q = 4,860) took many minutes.  Above the limit the steps are not fitted, and the
     * row says why, never a number from a fit that was cut short. */
    size_t q = ng * (3 * p + ins->n_dims * (ins->n_dims - 1) / 2);
    if (q > CFA_INVARIANCE_MAX_PARAMS) {
        char buf[240];
        snprintf(buf, sizeof buf, "not fitted: %zu models x %zu items is %zu free parameters (the limit is %d); "
                 "compare fewer models, each pair or a few at a time in a store of their own", ng, p, q,
                 CFA_INVARIANCE_MAX_PARAMS);
        ret = undefined_row(out, "invariance", steps[0], ntotal, buf);
        goto out;
    }
    for (int s = 0; s < 3; s++) {
        struct cfa_spec spec = { p, ins->n_dims, fac, ng, g, (enum cfa_equal)s };
        const char *why = NULL;
        if (cfa_fit(&spec, &f[s], &why) < 0) {
            ret = undefined_row(out, "invariance", steps[s], ntotal, why);
            goto out;
        }
        if (!f[s]->converged || !f[s]->admissible) {
            char buf[200];
            ret = undefined_row(out, "invariance", steps[s], ntotal, named_note(ins, cols, fac, f[s], buf, sizeof buf));
            goto out;
        }
        if (fit_rows(out, "invariance", steps[s], f[s]) < 0)
            goto out;
        if (s > 0) {
            struct cfa_lrt l;
            cfa_lrt(f[s - 1], f[s], &l);
            /* Chen (2007): a drop in CFI of .01 or more says the step does not hold */
            const char *verdict = l.dcfi <= -0.01 ? "CFI drops by .01 or more: not invariant (Chen 2007)" : NULL;
            if (structure_add(out, "invariance", steps[s], NULL, NULL, NULL, "delta_chisq", l.dchisq, NAN, ntotal,
                              NULL) < 0 ||
                structure_add(out, "invariance", steps[s], NULL, NULL, NULL, "delta_df", l.ddf, NAN, ntotal, NULL) < 0 ||
                structure_add(out, "invariance", steps[s], NULL, NULL, NULL, "delta_pvalue", l.pvalue, NAN, ntotal,
                              NULL) < 0 ||
                structure_add(out, "invariance", steps[s], NULL, NULL, NULL, "delta_cfi", l.dcfi, NAN, ntotal,
                              verdict) < 0)
                goto out;
        }
    }
    ret = 0;
out:
    for (int s = 0; s < 3; s++)
        cfa_fit_free(f[s]);
    free(cols);
    free(fac);
    free(g);
    return ret;
}
