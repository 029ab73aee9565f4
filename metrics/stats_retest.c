/* metrics/stats_retest.c -- see stats.h: test-retest, psych::ICC() (Shrout-Fleiss ICC1, ICC2,
 * ICC3 with psych's bounds); TrC is in stats_trc.c.  Reference values:
 * tests/oracle/stats_expected.txt (from tests/oracle/stats.R). */
#include "metrics/stats.h"
#include "metrics/stats_int.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

/* ---- ICC --------------------------------------------------------------------------- */

/* The complete rows of m, copied; NULL when out of memory (a 0-row result is 1 x k). */
static gsl_matrix *complete_rows(const gsl_matrix *m, size_t *n_out)
{
    size_t n = 0;
    gsl_matrix *x = gsl_matrix_alloc(m->size1 ? m->size1 : 1, m->size2);
    if (!x)
        return NULL;
    for (size_t i = 0; i < m->size1; i++) {
        size_t j = 0;
        while (j < m->size2 && !isnan(mget(m, i, j)))
            j++;
        if (j < m->size2)
            continue;
        for (j = 0; j < m->size2; j++)
            mset(x, n, j, mget(m, i, j));
        n++;
    }
    *n_out = n;
    return x;
}

/* Two-way ANOVA without interaction on n x k (the first n rows of x): aov(values ~ subs + ind)
 * as psych::ICC(lmer = FALSE) runs it; rm[n] and cm[k] receive the row and column means.  Sums of squares from deviations, not differences of
 * totals, so that they keep their precision. */
static void anova2(const gsl_matrix *x, size_t n, double *rm, double *cm, struct stats_icc *o,
                   double *ss_total)
{
    const size_t k = x->size2;
    long double g = 0.0L, ssr = 0.0L, ssc = 0.0L, sse = 0.0L, sst = 0.0L;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < k; j++)
            g += mget(x, i, j);
    g /= (long double)(n * k);
    for (size_t i = 0; i < n; i++) {
        long double s = 0.0L;
        for (size_t j = 0; j < k; j++)
            s += mget(x, i, j);
        rm[i] = (double)(s / k);
        ssr += (rm[i] - g) * (rm[i] - g) * k;
    }
    for (size_t j = 0; j < k; j++) {
        long double s = 0.0L;
        for (size_t i = 0; i < n; i++)
            s += mget(x, i, j);
        cm[j] = (double)(s / n);
        ssc += (cm[j] - g) * (cm[j] - g) * n;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < k; j++) {
            long double v = mget(x, i, j), e = v - rm[i] - cm[j] + g;
            sse += e * e;
            sst += (v - g) * (v - g);
        }
    o->msb = (double)(ssr / (n - 1));
    o->msj = (double)(ssc / (k - 1));
    o->mse = (double)(sse / ((n - 1) * (k - 1)));
    o->msw = (double)((ssc + sse) / (n * (k - 1)));
    *ss_total = (double)sst;
}

/* The (F_L - 1) / (F_L + k - 1) bound of psych's ICC1 and ICC3 rows. */
static double f_bound(double f, double k)
{
    return (f - 1.0) / (f + k - 1.0);
}

/* F and its upper-tail p; F is infinite when the denominator mean square is zero (psych: p 0). */
static void icc_est(struct stats_icc_est *e, double icc, double num, double den, double df1, double df2)
{
    e->icc = icc;
    e->f = den > 0.0 ? num / den : INFINITY;
    e->df1 = df1;
    e->df2 = df2;
    e->p = NAN;           /* icc_from_ms fills it (with the bounds) */
    e->lo = e->hi = NAN;
    e->why = NULL;
}

/* psych's ICC1 / ICC3 bounds (F_L - 1) / (F_L + k - 1) with F_L = F / qf(q, df1, df2) and
 * F_U = F * qf(q, df2, df1); a bound whose quantile does not exist stays NAN. */
static void f_bounds(struct stats_icc_est *e, double q, double k)
{
    if (isinf(e->f)) {
        e->why = "no bounds: F is infinite (zero denominator mean square)";
        return;
    }
    double ql = stats_qf(q, e->df1, e->df2), qu = stats_qf(q, e->df2, e->df1);
    if (isfinite(ql))
        e->lo = f_bound(e->f / ql, k);
    if (isfinite(qu))
        e->hi = f_bound(e->f * qu, k);
    if (isnan(e->lo) || isnan(e->hi))
        e->why = "a bound is missing: the F quantile did not converge";
}

/* ICC2 bounds: psych's Satterthwaite-style df v and its L3/U3 formulas, verbatim; a bound whose
 * quantile does not exist (v tiny, where R's qf also gives NaN) stays NAN. */
static void icc2_bounds(struct stats_icc *o, double q)
{
    const double n = (double)o->n, k = (double)o->k, icc2 = o->icc2.icc;
    if (!(o->mse > 0.0)) {
        o->icc2.why = "no bounds: zero residual variance (F_J is infinite)";
        return;
    }
    if (o->msb == 0.0 && o->msj == 0.0) {   /* then a = 0 and F_J = 0 exactly: v = 0/0 (R: NaN) */
        o->icc2.why = "no bounds: degenerate Satterthwaite degrees of freedom (0/0)";
        return;
    }
    const double fj = o->msj / o->mse;
    double a = n * (1.0 + (k - 1.0) * icc2) - k * icc2;
    double vn = (k - 1.0) * (n - 1.0) * (k * icc2 * fj + a) * (k * icc2 * fj + a);
    double vd = (n - 1.0) * k * k * icc2 * icc2 * fj * fj + a * a;
    double v = vn / vd;
    if (!isfinite(v) || !(v > 0.0)) {
        o->icc2.why = "no bounds: degenerate Satterthwaite degrees of freedom";
        return;
    }
    double f_u = stats_qf(q, n - 1.0, v), f_l = stats_qf(q, v, n - 1.0);
    double c = k * o->msj + (k * n - k - n) * o->mse;
    if (isfinite(f_u))
        o->icc2.lo = n * (o->msb - f_u * o->mse) / (f_u * c + n * o->msb);
    if (isfinite(f_l))
        o->icc2.hi = n * (f_l * o->msb - o->mse) / (c + n * f_l * o->msb);
    if (!isfinite(o->icc2.lo) || !isfinite(o->icc2.hi)) {
        o->icc2.lo = isfinite(o->icc2.lo) ? o->icc2.lo : NAN;
        o->icc2.hi = isfinite(o->icc2.hi) ? o->icc2.hi : NAN;
        o->icc2.why = "a bound is missing: the F quantile of the Satterthwaite df did not converge";
    }
}

/* psych::ICC's ICC1, ICC2, ICC3 rows and bounds from the mean squares in *o (zero where they are
 * zero up to rounding).  Each estimate stands alone: a value that is 0/0 or a bound that does not
 * exist is NAN with its reason, and the others are still given. */
static void icc_from_ms(struct stats_icc *o, double level, int bounds)
{
    const double n = (double)o->n, k = (double)o->k, q = 1.0 - (1.0 - level) / 2.0;
    const double msb = o->msb, msw = o->msw, mse = o->mse, msj = o->msj;
    double df1 = n - 1.0, df2_1 = n * (k - 1.0), df2 = (n - 1.0) * (k - 1.0);
    double d1 = msb + (k - 1.0) * msw, d2 = msb + (k - 1.0) * mse + k * (msj - mse) / n, d3 = msb + (k - 1.0) * mse;
    icc_est(&o->icc1, (msb - msw) / d1, msb, msw, df1, df2_1);    /* d1, d2 > 0: total variance > 0 */
    icc_est(&o->icc2, (msb - mse) / d2, msb, mse, df1, df2);
    icc_est(&o->icc3, d3 > 0.0 ? (msb - mse) / d3 : NAN, msb, mse, df1, df2);
    if (!bounds)
        return;
    struct stats_icc_est *e[3] = { &o->icc1, &o->icc2, &o->icc3 };
    for (int i = 0; i < 3; i++)    /* psych: -expm1(pf(F, df1, df2, log.p = TRUE)) */
        e[i]->p = isinf(e[i]->f) ? 0.0 : gsl_cdf_fdist_Q(e[i]->f, e[i]->df1, e[i]->df2);
    f_bounds(&o->icc1, q, k);
    icc2_bounds(o, q);
    if (d3 > 0.0)
        f_bounds(&o->icc3, q, k);
    else
        o->icc3.why = "zero between-subject and residual variance (0/0)";
}

/* stats_icc, and with bounds = 0 stats_icc_point: the same mean squares and values, no F tail
 * or quantile (the bootstrap resamples the values only, and the F functions cost more than the
 * ANOVA). */
static int icc_run(const gsl_matrix *m, double level, int bounds, struct stats_icc *out, const char **why)
{
    struct stats_icc o = { 0 };
    gsl_matrix *x = NULL;
    double sst, *rm = NULL, *cm = NULL;
    int ret = fail(why, STATS_NOMEM, "out of memory");
    if (!m || !out || bad_level(level))
        return fail(why, STATS_EINVAL, "null argument or level outside (0, 1)");
    if (m->size2 < 2)
        return fail(why, STATS_UNDEFINED, "k = 1");
    if (!(x = complete_rows(m, &o.n)) || !(rm = malloc(x->size1 * sizeof *rm)) ||
        !(cm = malloc(x->size2 * sizeof *cm)))
        goto out;
    o.k = m->size2;
    o.n_incomplete = m->size1 - o.n;
    if (o.n < 2) {
        ret = fail(why, STATS_UNDEFINED, "fewer than 2 complete subjects");
        goto out;
    }
    anova2(x, o.n, rm, cm, &o, &sst);
    if (!(sst > 0.0)) {
        ret = fail(why, STATS_UNDEFINED, "zero total variance");
        goto out;
    }
    /* A mean square below 1e-12 of the total mean square is rounding noise (R's aov leaves ~1e-31
     * there, psych divides by it and prints F ~ 1e31): it is zero, so ICC(C,1) = 1 exactly when
     * the repetitions differ by a constant shift, and no bound is computed from an infinite F. */
    const double tiny = 1e-12 * sst / (double)(o.n * o.k - 1);
    double *ms[4] = { &o.msb, &o.msj, &o.mse, &o.msw };
    for (int i = 0; i < 4; i++)
        if (*ms[i] <= tiny)
            *ms[i] = 0.0;
    icc_from_ms(&o, level, bounds);
    *out = o;
    ret = ok(why);
out:
    gsl_matrix_free(x);
    free(rm);
    free(cm);
    return ret;
}

int stats_icc(const gsl_matrix *m, double level, struct stats_icc *out, const char **why)
{
    return icc_run(m, level, 1, out, why);
}

int stats_icc_point(const gsl_matrix *m, struct stats_icc *out, const char **why)
{
    return icc_run(m, 0.95, 0, out, why);
}
