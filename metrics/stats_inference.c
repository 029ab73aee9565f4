/* metrics/stats_inference.c -- see stats.h: R's qf() (the F quantile behind the Feldt and ICC
 * bounds), the Welch t-test (R t.test(var.equal = FALSE)) and the percentile bootstrap.
 * Reference values: tests/oracle/stats_expected.txt (from tests/oracle/stats.R). */
#include "metrics/stats.h"
#include "metrics/stats_int.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>

/* Brent's root of a beta tail, P(y; a, b) = p or, with upper, Q(y; a, b) = p. */
struct beta_tail {
    double p, a, b;
    int upper;
};

static double beta_tail_minus_p(double y, void *params)
{
    const struct beta_tail *t = params;
    return (t->upper ? gsl_cdf_beta_Q(y, t->a, t->b) : gsl_cdf_beta_P(y, t->a, t->b)) - t->p;
}

static double beta_root(double p, double a, double b, int upper)
{
    struct beta_tail t = { p, a, b, upper };
    gsl_function f = { beta_tail_minus_p, &t };
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    double y = NAN;
    if (!s || gsl_root_fsolver_set(s, &f, 0.0, 1.0) != GSL_SUCCESS)
        goto out;
    for (int i = 0; i < 200; i++) {
        if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
            break;
        y = gsl_root_fsolver_root(s);
        if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s),
                                   0.0, 4 * DBL_EPSILON) == GSL_SUCCESS)
            break;
    }
out:
    gsl_root_fsolver_free(s);
    /* a quantile beyond double range (y underflows) leaves a bracket that is no root */
    return isfinite(y) && fabs(beta_tail_minus_p(y, &t)) <= 1e-10 * fmin(p, 1.0 - p) ? y : NAN;
}

/* Beta quantile: GSL's Newton inverse, and when it gives up a bracketed root.  GSL 2.7 gives
 * up more often than one would think: gsl_cdf_fdist_Pinv(0.975, 174, 1566), the Feldt bound
 * for 175 subjects and 10 items, is NaN (tests/test_stats.c checks that case against R). */
static double beta_inv(double p, double a, double b, int upper)
{
    double y = upper ? gsl_cdf_beta_Qinv(p, a, b) : gsl_cdf_beta_Pinv(p, a, b);
    return isfinite(y) ? y : beta_root(p, a, b, upper);
}

/* R's qf(p, df1, df2), by the F-from-beta relation gsl_cdf_fdist_Pinv uses; not that function
 * itself, because it refuses df < 1 and psych's ICC2 bounds use a Satterthwaite df that can
 * be below 1 with few subjects.  NaN only if both inversions fail; callers check. */
double stats_qf(double p, double df1, double df2)
{
    if (p < 0.5) {
        double y = beta_inv(p, df1 / 2.0, df2 / 2.0, 0);
        return df2 * y / (df1 * (1.0 - y));
    }
    double y = beta_inv(p, df2 / 2.0, df1 / 2.0, 1);   /* upper tail: keeps 1 - y exact */
    return df2 * (1.0 - y) / (df1 * y);
}

/* Mean and variance of the non-NaN values; -1 when out of memory. */
static int group_stats(const double *x, size_t n, double *mean, double *var, size_t *m)
{
    double *v = stats_sorted_finite(x, n, m);
    if (!v)
        return -1;
    *mean = *m ? gsl_stats_mean(v, 1, *m) : NAN;
    *var = *m > 1 ? gsl_stats_variance_m(v, 1, *m, *mean) : NAN;
    free(v);
    return 0;
}

int stats_welch_t(const double *x, size_t nx, const double *y, size_t ny,
                  struct stats_ttest *out, const char **why)
{
    struct stats_ttest t = { 0 };
    double vx, vy;
    if (!x || !y || !out)
        return fail(why, STATS_EINVAL, "null argument");
    if (group_stats(x, nx, &t.mean_x, &vx, &t.nx) < 0 ||
        group_stats(y, ny, &t.mean_y, &vy, &t.ny) < 0)
        return fail(why, STATS_NOMEM, "out of memory");
    if (t.nx < 2 || t.ny < 2)
        return fail(why, STATS_UNDEFINED, "fewer than 2 observations in a group");
    /* t.test.default(), var.equal = FALSE, step by step */
    double se_x = sqrt(vx / (double)t.nx), se_y = sqrt(vy / (double)t.ny);
    double se = sqrt(se_x * se_x + se_y * se_y);
    double big = fmax(fabs(t.mean_x), fabs(t.mean_y));
    if (se == 0.0 || se < 10.0 * DBL_EPSILON * big)
        return fail(why, STATS_UNDEFINED, "data are essentially constant");
    t.df = pow(se, 4) / (pow(se_x, 4) / (double)(t.nx - 1) + pow(se_y, 4) / (double)(t.ny - 1));
    t.t = (t.mean_x - t.mean_y) / se;
    t.p = 2.0 * gsl_cdf_tdist_P(-fabs(t.t), t.df);
    *out = t;
    return ok(why);
}

/* ---- bootstrap --------------------------------------------------------------------- */

/* Draws B resamples, keeps the defined statistics in reps[0..*n_ok). */
static int boot_replicates(size_t n, stats_statistic_fn stat, void *ctx, size_t B,
                           gsl_rng *rng, size_t *idx, double *reps, struct stats_boot *b)
{
    for (size_t r = 0; r < B; r++) {
        double v;
        for (size_t i = 0; i < n; i++)
            idx[i] = gsl_rng_uniform_int(rng, n);
        int rc = stat(idx, n, ctx, &v);
        if (rc == STATS_NOMEM)
            return rc;
        if (rc == STATS_OK && isfinite(v))
            reps[b->n_ok++] = v;
        else
            b->n_failed++;
    }
    return STATS_OK;
}

int stats_bootstrap_ci(size_t n, stats_statistic_fn stat, void *ctx, size_t B,
                       unsigned long seed, double level, struct stats_boot *out,
                       const char **why)
{
    struct stats_boot b = { 0 };
    size_t *idx = NULL;
    double *reps = NULL;
    gsl_rng *rng = NULL;
    int ret = fail(why, STATS_NOMEM, "out of memory");
    if (!stat || !out || n == 0 || B == 0 || bad_level(level))
        return fail(why, STATS_EINVAL, "need a statistic, n >= 1, B >= 1, level in (0, 1)");
    if (!(idx = malloc(n * sizeof *idx)) || !(reps = malloc(B * sizeof *reps)) ||
        !(rng = gsl_rng_alloc(gsl_rng_mt19937)))
        goto out;
    if (n - 1 > gsl_rng_max(rng) - gsl_rng_min(rng)) {   /* gsl_rng_uniform_int's limit */
        ret = fail(why, STATS_EINVAL, "too many subjects for the generator");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    if ((ret = stat(idx, n, ctx, &b.estimate)) != STATS_OK) {
        ret = ret == STATS_NOMEM ? fail(why, ret, "out of memory")
                                 : fail(why, STATS_UNDEFINED, "statistic undefined on the sample");
        goto out;
    }
    gsl_rng_set(rng, seed);
    if ((ret = boot_replicates(n, stat, ctx, B, rng, idx, reps, &b)) < 0) {
        ret = fail(why, ret, "out of memory");
        goto out;
    }
    if (b.n_ok < 2) {
        ret = fail(why, STATS_UNDEFINED, "fewer than 2 defined bootstrap replicates");
        goto out;
    }
    gsl_sort(reps, 1, b.n_ok);
    b.lo = gsl_stats_quantile_from_sorted_data(reps, 1, b.n_ok, (1.0 - level) / 2.0);
    b.hi = gsl_stats_quantile_from_sorted_data(reps, 1, b.n_ok, (1.0 + level) / 2.0);
    *out = b;
    ret = ok(why);
out:
    free(idx);
    free(reps);
    gsl_rng_free(rng);
    return ret;
}
