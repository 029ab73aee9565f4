/* metrics/varcomp.c -- the variance components of a crossed random main-effects model (see
 * varcomp.h): closed-form ANOVA estimates for balanced designs, REML by the simplex for the others.
 * Pure: prints nothing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_vector.h>

#include "metrics/varcomp.h"

const char *const varcomp_component_names[VC_N_COMPONENTS] = {
    "model", "persona", "template", "language", "variant", "repetition", "residual",
};

void varcomp_data_free(struct varcomp_data *d)
{
    free(d->level);
    free(d->y);
    memset(d, 0, sizeof *d);
}

int varcomp_data_add(struct varcomp_data *d, const unsigned level[VC_N_FACTORS], double y)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 256;
        unsigned *l = realloc(d->level, cap * VC_N_FACTORS * sizeof *l);
        if (!l)
            return -1;
        d->level = l;
        double *v = realloc(d->y, cap * sizeof *v);
        if (!v)
            return -1;
        d->y = v;
        d->cap = cap;
    }
    for (int f = 0; f < VC_N_FACTORS; f++) {
        d->level[d->n * VC_N_FACTORS + f] = level[f];
        if (level[f] + 1 > d->n_levels[f])
            d->n_levels[f] = level[f] + 1;
    }
    d->y[d->n++] = y;
    return 0;
}

/* ---------- balanced designs ---------- */

/* the comparator's data: per thread, since blocks are fitted on worker threads (varcomp_load.c) */
static _Thread_local const struct varcomp_data *sort_data;
static _Thread_local const int *sort_in;

static int cmp_cells(const void *a, const void *b)
{
    const unsigned *x = sort_data->level + *(const size_t *)a * VC_N_FACTORS;
    const unsigned *y = sort_data->level + *(const size_t *)b * VC_N_FACTORS;
    for (int f = 0; f < VC_N_FACTORS; f++)
        if (sort_in[f] && x[f] != y[f])
            return x[f] < y[f] ? -1 : 1;
    return 0;
}

/* 1 when every combination of the levels of the factors in the model has the same number of
 * cells, 0 when not, -1 when out of memory. */
static int is_balanced(const struct varcomp_data *d, const int *in)
{
    double combos = 1;
    for (int f = 0; f < VC_N_FACTORS; f++)
        if (in[f])
            combos *= (double)d->n_levels[f];
    if (combos > (double)d->n || fmod((double)d->n, combos) != 0)
        return 0;
    size_t *idx = malloc(d->n * sizeof *idx);
    if (!idx)
        return -1;
    for (size_t i = 0; i < d->n; i++)
        idx[i] = i;
    sort_data = d;
    sort_in = in;
    qsort(idx, d->n, sizeof *idx, cmp_cells);
    size_t per = (size_t)((double)d->n / combos), run = 1, runs = 0;
    int ok = 1;
    for (size_t i = 1; i <= d->n && ok; i++) {
        if (i < d->n && cmp_cells(&idx[i - 1], &idx[i]) == 0) {
            run++;
            continue;
        }
        ok = run == per;
        runs++;
        run = 1;
    }
    free(idx);
    return ok && (double)runs == combos;
}

/* Balanced: the ANOVA estimates, pooled where negative (the REML solution, see varcomp.h). */
static int fit_anova(const struct varcomp_data *d, struct varcomp_fit *fit)
{
    const size_t n = d->n;
    double *sum[VC_N_FACTORS] = { 0 }, ms[VC_N_FACTORS], grand = 0, ss_e = 0;
    double df_e = (double)n - 1;
    int ret = -1;
    for (size_t i = 0; i < n; i++)
        grand += d->y[i];
    grand /= (double)n;
    for (int f = 0; f < VC_N_FACTORS; f++) {
        if (!fit->in_model[f])
            continue;
        if (!(sum[f] = calloc(d->n_levels[f], sizeof *sum[f]))) {
            snprintf(fit->note, sizeof fit->note, "out of memory");
            goto out;
        }
        for (size_t i = 0; i < n; i++)
            sum[f][d->level[i * VC_N_FACTORS + f]] += d->y[i] - grand;
        double per = (double)n / (double)d->n_levels[f], ss = 0;
        for (size_t l = 0; l < d->n_levels[f]; l++) {
            sum[f][l] /= per;                    /* the level's mean, centred */
            ss += per * sum[f][l] * sum[f][l];
        }
        ms[f] = ss / (double)(d->n_levels[f] - 1);
        df_e -= (double)(d->n_levels[f] - 1);
    }
    if (df_e < 1) {
        snprintf(fit->note, sizeof fit->note, "no residual degrees of freedom (%zu cells)", n);
        goto out;
    }
    /* the residual directly, not SS_total minus the rest: no cancellation */
    for (size_t i = 0; i < n; i++) {
        double e = d->y[i] - grand;
        for (int f = 0; f < VC_N_FACTORS; f++)
            if (fit->in_model[f])
                e -= sum[f][d->level[i * VC_N_FACTORS + f]];
        ss_e += e * e;
    }
    double ms_e = ss_e / df_e;
    for (int f = 0; f < VC_N_FACTORS; f++)
        if (fit->in_model[f])
            fit->anova[f] = (ms[f] - ms_e) / ((double)n / (double)d->n_levels[f]);
    fit->anova[VC_RESIDUAL] = ms_e;
    /* Pool the factors whose mean square is below the pooled residual one, smallest first: each
     * pooled one lowers the pool, so the pool stays above everything in it (tree-order isotonic
     * regression of the REML likelihood). */
    double pool_ss = ss_e, pool_df = df_e;
    for (;;) {
        int low = -1;
        for (int f = 0; f < VC_N_FACTORS; f++)
            if (fit->in_model[f] && !fit->pooled[f] && (low < 0 || ms[f] < ms[low]))
                low = f;
        if (low < 0 || !(ms[low] < pool_ss / pool_df))
            break;
        fit->pooled[low] = 1;
        pool_ss += ms[low] * (double)(d->n_levels[low] - 1);
        pool_df += (double)(d->n_levels[low] - 1);
    }
    double s2 = pool_ss / pool_df;
    if (!(s2 > 0)) {
        snprintf(fit->note, sizeof fit->note, "the score is the same in every cell");
        goto out;
    }
    fit->variance[VC_RESIDUAL] = s2;
    for (int f = 0; f < VC_N_FACTORS; f++)
        if (fit->in_model[f])
            fit->variance[f] = fit->pooled[f] ? 0 : (ms[f] - s2) / ((double)n / (double)d->n_levels[f]);
    fit->method = "anova";
    ret = 0;
out:
    for (int f = 0; f < VC_N_FACTORS; f++)
        free(sum[f]);
    return ret;
}

/* ---------- REML ---------- */

/* The cross-products the REML criterion needs, over the q random-effect columns (the levels of the
 * factors in the model, factor after factor) and the intercept: O(q^2) whatever the cells. */
struct reml {
    size_t q, k;               /* columns; factors in the model */
    size_t nobs;
    int factor_of[VC_N_FACTORS];
    size_t *col_factor;        /* q: the index 0..k-1 of the column's factor */
    double *ztz;               /* q x q */
    double *zty, *zt1, *lam;   /* q */
    double sy, yty;            /* y centred at its mean */
    gsl_matrix *m;             /* (q + 1) x (q + 1) work */
    gsl_vector *rhs, *sol;
};

static void reml_free(struct reml *r)
{
    free(r->col_factor);
    free(r->ztz);
    free(r->zty);
    free(r->zt1);
    free(r->lam);
    gsl_matrix_free(r->m);
    gsl_vector_free(r->rhs);
    gsl_vector_free(r->sol);
}

/* More random-effect levels than this is more than the dense O(q^3) criterion, evaluated some
 * thousand times, is worth (a wide table's every respondent a persona: minutes, and 2 (q+1)^2
 * doubles): such a design gets an "unbalanced design: ..." note instead of numbers. */
#define REML_MAX_LEVELS 400

static int reml_init(struct reml *r, const struct varcomp_data *d, const int *in)
{
    size_t off[VC_N_FACTORS] = { 0 };
    double mean = 0;
    memset(r, 0, sizeof *r);
    for (int f = 0; f < VC_N_FACTORS; f++)
        if (in[f]) {
            off[f] = r->q;
            r->factor_of[r->k++] = f;
            r->q += d->n_levels[f];
        }
    const size_t q = r->q;
    r->nobs = d->n;
    if (q > REML_MAX_LEVELS)
        return 1;
    if (!(r->col_factor = malloc(q * sizeof *r->col_factor)) || !(r->ztz = calloc(q * q, sizeof *r->ztz)) ||
        !(r->zty = calloc(q, sizeof *r->zty)) || !(r->zt1 = calloc(q, sizeof *r->zt1)) ||
        !(r->lam = calloc(q, sizeof *r->lam)) ||
        !(r->m = gsl_matrix_alloc(q + 1, q + 1)) || !(r->rhs = gsl_vector_alloc(q + 1)) ||
        !(r->sol = gsl_vector_alloc(q + 1)))
        return -1;
    for (size_t j = 0; j < r->k; j++)
        for (size_t l = 0; l < d->n_levels[r->factor_of[j]]; l++)
            r->col_factor[off[r->factor_of[j]] + l] = j;
    for (size_t i = 0; i < d->n; i++)
        mean += d->y[i];
    mean /= (double)d->n;
    for (size_t i = 0; i < d->n; i++) {
        size_t cols[VC_N_FACTORS];
        double y = d->y[i] - mean;
        for (size_t j = 0; j < r->k; j++)
            cols[j] = off[r->factor_of[j]] + d->level[i * VC_N_FACTORS + r->factor_of[j]];
        for (size_t a = 0; a < r->k; a++) {
            r->zty[cols[a]] += y;
            r->zt1[cols[a]] += 1;
            for (size_t b = 0; b < r->k; b++)
                r->ztz[cols[a] * q + cols[b]] += 1;
        }
        r->sy += y;
        r->yty += y * y;
    }
    return 0;
}

/* lme4's REML criterion: log|L|^2 + log|R_X|^2 + (n - p)(1 + log(2 pi pwrss / (n - p))), with
 * L L' = Lambda' Z'Z Lambda + I, from one Cholesky of the (q + 1) system with the intercept last
 * (its last pivot is R_X^2).  *s2 = pwrss / (n - p).  NAN when not positive definite. */
static double reml_dev(struct reml *r, const double *theta, double *s2)
{
    const size_t q = r->q;
    double *lam = r->lam;
    for (size_t i = 0; i < q; i++)
        lam[i] = fabs(theta[r->col_factor[i]]);
    for (size_t i = 0; i < q; i++) {
        for (size_t j = 0; j < q; j++)
            gsl_matrix_set(r->m, i, j, lam[i] * lam[j] * r->ztz[i * q + j] + (i == j));
        gsl_matrix_set(r->m, i, q, lam[i] * r->zt1[i]);
        gsl_matrix_set(r->m, q, i, lam[i] * r->zt1[i]);
        gsl_vector_set(r->rhs, i, lam[i] * r->zty[i]);
    }
    gsl_matrix_set(r->m, q, q, (double)r->nobs);
    gsl_vector_set(r->rhs, q, r->sy);
    if (gsl_linalg_cholesky_decomp1(r->m) != GSL_SUCCESS || gsl_linalg_cholesky_solve(r->m, r->rhs, r->sol) != GSL_SUCCESS)
        return NAN;
    double logdet = 0, fit = 0;
    for (size_t i = 0; i <= q; i++)
        logdet += 2 * log(gsl_matrix_get(r->m, i, i));
    for (size_t i = 0; i <= q; i++)
        fit += gsl_vector_get(r->sol, i) * gsl_vector_get(r->rhs, i);
    double pwrss = r->yty - fit, df = (double)r->nobs - 1;
    if (!(pwrss > 0))
        return NAN;
    *s2 = pwrss / df;
    return logdet + df * (1 + log(2 * M_PI * pwrss / df));
}

static double reml_f(const gsl_vector *x, void *ctx)
{
    double s2;
    double v = reml_dev(ctx, x->data, &s2);
    return isfinite(v) ? v : GSL_POSINF;
}

double varcomp_reml_criterion(const struct varcomp_data *d, const double *theta)
{
    int in[VC_N_FACTORS];
    struct reml r;
    double s2, v = NAN;
    for (int f = 0; f < VC_N_FACTORS; f++)
        in[f] = d->n_levels[f] >= 2;
    if (reml_init(&r, d, in) == 0)
        v = reml_dev(&r, theta, &s2);
    reml_free(&r);
    return v;
}

#define STALL_ITERATIONS 64

/* Minimises the criterion over theta with the Nelder-Mead simplex, restarted from its own result
 * until a restart no longer improves it (a simplex can stall short of the minimum). */
static int fit_reml(const struct varcomp_data *d, struct varcomp_fit *fit)
{
    struct reml r;
    gsl_multimin_fminimizer *mm = NULL;
    gsl_vector *x = NULL, *step = NULL;
    int ret = -1, converged = 0;
    int rc = reml_init(&r, d, fit->in_model);
    if (rc > 0) {
        snprintf(fit->note, sizeof fit->note, "unbalanced design: %zu factor levels, more than REML here takes (%d)",
                 r.q, REML_MAX_LEVELS);
        goto out;
    }
    if (rc < 0 || !(x = gsl_vector_alloc(r.k)) || !(step = gsl_vector_alloc(r.k)) ||
        !(mm = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, r.k))) {
        snprintf(fit->note, sizeof fit->note, "out of memory");
        goto out;
    }
    if (d->n < 2 + r.k) {
        snprintf(fit->note, sizeof fit->note, "unbalanced design: too few cells (%zu) for %zu factors", d->n, r.k);
        goto out;
    }
    gsl_multimin_function fn = { reml_f, r.k, &r };
    gsl_vector_set_all(x, 1.0);
    double best = reml_f(x, &r);
    for (int restart = 0; restart < 50 && !converged; restart++) {
        double size0 = restart ? 0.05 : 0.5;
        gsl_vector_set_all(step, size0);
        if (gsl_multimin_fminimizer_set(mm, &fn, x, step) != GSL_SUCCESS)
            break;
        int status = GSL_CONTINUE, idle = 0;
        double run_best = INFINITY;
        for (int it = 0; it < 5000 && status == GSL_CONTINUE; it++) {
            /* GSL_ENOPROG: the simplex cannot shrink further; its best point is the answer
             * (and the restart checks it) */
            int st = gsl_multimin_fminimizer_iterate(mm);
            if (st == GSL_ENOPROG)
                break;
            if (st != GSL_SUCCESS) {
                status = st;
                break;
            }
            fit->iterations++;
            /* 1e-9 in theta: far below what moves a variance by 1e-9; a tighter size is lost in
             * the criterion's rounding on large designs, where the simplex then wanders */
            double size = gsl_multimin_fminimizer_size(mm), f = gsl_multimin_fminimizer_minimum(mm);
            status = gsl_multimin_test_size(size, 1e-9);
            /* ... or stalls: below 1e-6 the criterion's rounding ties the vertices, and the simplex
             * swaps tied points without shrinking, to the iteration limit (the bench's report: 12 of
             * 15 fits spent 2 x 5000 iterations so, after about 250 that moved).  A simplex that has
             * stayed at 1e-6 or below for STALL_ITERATIONS iterations without a lower value stops
             * there (the count starts at 1e-6: a restart begins at the best point, and its value
             * cannot fall while the simplex shrinks onto it), and the restart decides as before.  The
             * fixtures that converge take the same iterations as without the rule.  On the bench's
             * report the criterion at the answer is the limit's to the bit in 14 of 15 blocks and
             * 4.6e-13 lower in the other; the point may be another of the tied ones: estimates moved
             * by at most 1e-8 (6e-6 relative, on a variance of 1.1e-5). */
            idle = f < run_best || size > 1e-6 ? 0 : idle + 1;
            run_best = f < run_best ? f : run_best;
            if (idle >= STALL_ITERATIONS) {
                fit->stalls++;
                break;
            }
        }
        if (status != GSL_SUCCESS && status != GSL_CONTINUE)
            break;
        double f = gsl_multimin_fminimizer_minimum(mm);
        gsl_vector_memcpy(x, gsl_multimin_fminimizer_x(mm));
        /* out of iterations with a wide simplex: restart from where it got, not converged */
        int stopped = status == GSL_CONTINUE && gsl_multimin_fminimizer_size(mm) > 1e-6;
        converged = restart > 0 && !stopped && !(f < best - 1e-13 * fabs(best));
        if (f < best)
            best = f;
    }
    /* A component at the boundary comes out of the simplex as a theta of 1e-9 or so, not 0: set it to
     * 0 when that does not raise the criterion measurably (as lme4's bounded optimiser lands on 0). */
    for (size_t j = 0; converged && j < r.k; j++) {
        double t = gsl_vector_get(x, j);
        if (t == 0 || fabs(t) > 1e-3)
            continue;
        gsl_vector_set(x, j, 0);
        double f0 = reml_f(x, &r);
        if (f0 <= best + 1e-10)
            best = f0 < best ? f0 : best;
        else
            gsl_vector_set(x, j, t);
    }
    double s2;
    if (!converged || !isfinite(best) || !isfinite(fit->deviance = reml_dev(&r, x->data, &s2))) {
        snprintf(fit->note, sizeof fit->note, "unbalanced design: REML did not converge");
        goto out;
    }
    fit->variance[VC_RESIDUAL] = s2;
    for (size_t j = 0; j < r.k; j++) {
        double t = gsl_vector_get(x, j);
        fit->variance[r.factor_of[j]] = t * t * s2;
    }
    fit->method = "reml";
    ret = 0;
out:
    gsl_multimin_fminimizer_free(mm);
    gsl_vector_free(x);
    gsl_vector_free(step);
    reml_free(&r);
    return ret;
}

int varcomp_fit(const struct varcomp_data *d, int force_reml, struct varcomp_fit *fit)
{
    int k = 0;
    memset(fit, 0, sizeof *fit);
    for (int c = 0; c < VC_N_COMPONENTS; c++)
        fit->variance[c] = fit->share[c] = fit->anova[c] = NAN;
    for (int f = 0; f < VC_N_FACTORS; f++)
        k += fit->in_model[f] = d->n_levels[f] >= 2;
    if (d->n == 0) {
        snprintf(fit->note, sizeof fit->note, "no cells");
        return -1;
    }
    if (k == 0) {
        snprintf(fit->note, sizeof fit->note, "no factor with 2 or more levels");
        return -1;
    }
    int bal = is_balanced(d, fit->in_model);
    if (bal < 0) {
        snprintf(fit->note, sizeof fit->note, "out of memory");
        return -1;
    }
    fit->balanced = bal;
    if ((bal && !force_reml ? fit_anova(d, fit) : fit_reml(d, fit)) < 0)
        return -1;
    double total = 0;
    for (int c = 0; c < VC_N_COMPONENTS; c++)
        if (!isnan(fit->variance[c]))
            total += fit->variance[c];
    for (int c = 0; c < VC_N_COMPONENTS; c++)
        if (!isnan(fit->variance[c]))
            fit->share[c] = fit->variance[c] / total;
    return 0;
}
