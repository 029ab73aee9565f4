/* metrics/stats_descriptive.c -- see stats.h: correlations (R cor(), cor.test()'s Fisher-z
 * interval), norms (pnorm), response entropy and type-7 quantiles, and the complete-pair helpers
 * the other stats_*.c files share.  Reference values: tests/oracle/stats_expected.txt (from
 * tests/oracle/stats.R). */
#include "metrics/stats.h"
#include "metrics/stats_int.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>

/* Copies the pairs where neither value is NaN into gx, gy; returns how many. */
size_t stats_gather_pairs(const double *x, const double *y, size_t n, double *gx, double *gy)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]) || isnan(y[i]))
            continue;
        gx[m] = x[i];
        gy[m] = y[i];
        m++;
    }
    return m;
}

/* Exact test, not variance == 0: a constant vector has no correlation however it is summed. */
int stats_is_constant(const double *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[0])
            return 0;
    return 1;
}

/* Pearson r of m complete pairs. */
int stats_pearson_complete(const double *x, const double *y, size_t m, double *r,
                           const char **why)
{
    if (m < 2)
        return fail(why, STATS_UNDEFINED, "fewer than 2 complete pairs");
    if (stats_is_constant(x, m) || stats_is_constant(y, m))
        return fail(why, STATS_UNDEFINED, "constant vector");
    double v = gsl_stats_correlation(x, 1, y, 1, m);
    *r = v > 1.0 ? 1.0 : v < -1.0 ? -1.0 : v;   /* R's cor() clamps rounding overshoot too */
    return ok(why);
}

size_t stats_complete_pairs(const double *x, const double *y, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += !isnan(x[i]) && !isnan(y[i]);
    return m;
}

int stats_pearson(const double *x, const double *y, size_t n, double *r, const char **why)
{
    double *gx, *gy;
    int ret;
    if (!x || !y || !r)
        return fail(why, STATS_EINVAL, "null argument");
    if (n < 2)
        return fail(why, STATS_UNDEFINED, "fewer than 2 complete pairs");
    gx = malloc(n * sizeof *gx);
    gy = malloc(n * sizeof *gy);
    if (!gx || !gy)
        ret = fail(why, STATS_NOMEM, "out of memory");
    else
        ret = stats_pearson_complete(gx, gy, stats_gather_pairs(x, y, n, gx, gy), r, why);
    free(gx);
    free(gy);
    return ret;
}

/* Replaces v[0..m) by its ranks, ties sharing their mean rank (R's rank(), ties "average"). */
static int average_ranks(double *v, size_t m)
{
    size_t *order = malloc(m * sizeof *order);
    double *rank = malloc(m * sizeof *rank);
    if (!order || !rank) {
        free(order);
        free(rank);
        return -1;
    }
    gsl_sort_index(order, v, 1, m);
    for (size_t i = 0, j; i < m; i = j + 1) {
        for (j = i; j + 1 < m && v[order[j + 1]] == v[order[i]]; j++)
            ;
        for (size_t t = i; t <= j; t++)
            rank[order[t]] = (double)(i + j) / 2.0 + 1.0;   /* mean of ranks i+1 .. j+1 */
    }
    for (size_t i = 0; i < m; i++)
        v[i] = rank[i];
    free(order);
    free(rank);
    return 0;
}

int stats_spearman(const double *x, const double *y, size_t n, double *rho, const char **why)
{
    double *gx, *gy;
    size_t m;
    int ret;
    if (!x || !y || !rho)
        return fail(why, STATS_EINVAL, "null argument");
    if (n < 2)
        return fail(why, STATS_UNDEFINED, "fewer than 2 complete pairs");
    gx = malloc(n * sizeof *gx);
    gy = malloc(n * sizeof *gy);
    if (!gx || !gy) {
        ret = fail(why, STATS_NOMEM, "out of memory");
        goto out;
    }
    m = stats_gather_pairs(x, y, n, gx, gy);   /* rank only the complete pairs, as R does */
    if (average_ranks(gx, m) < 0 || average_ranks(gy, m) < 0) {
        ret = fail(why, STATS_NOMEM, "out of memory");
        goto out;
    }
    ret = stats_pearson_complete(gx, gy, m, rho, why);
out:
    free(gx);
    free(gy);
    return ret;
}

int stats_fisher_ci(double r, size_t n, double level, double *lo, double *hi, const char **why)
{
    if (!lo || !hi || bad_level(level) || !(r >= -1.0 && r <= 1.0))
        return fail(why, STATS_EINVAL, "r must be in [-1, 1] and level in (0, 1)");
    if (n < 4)
        return fail(why, STATS_UNDEFINED, "fewer than 4 pairs");
    /* cor.test(): z + c(-1, 1) * sigma * qnorm((1 + conf.level) / 2), sigma = 1/sqrt(n-3) */
    double z = atanh(r), sigma = 1.0 / sqrt((double)n - 3.0);
    double q = gsl_cdf_ugaussian_Pinv((1.0 + level) / 2.0);
    *lo = tanh(z - sigma * q);
    *hi = tanh(z + sigma * q);
    return ok(why);
}

/* ---- norms, response style, tests ----------------------------------------------------- */

int stats_norm_z(double x, double mean, double sd, double *z, double *pct, const char **why)
{
    if (!z)
        return fail(why, STATS_EINVAL, "null argument");
    if (!isfinite(x) || !isfinite(mean) || !isfinite(sd) || !(sd > 0.0))
        return fail(why, STATS_UNDEFINED, "sd must be positive and values finite");
    *z = (x - mean) / sd;
    if (pct)
        *pct = 100.0 * gsl_cdf_ugaussian_P(*z);
    return ok(why);
}

int stats_entropy(const size_t *counts, size_t k, double *bits, const char **why)
{
    double total = 0.0, h = 0.0;
    if (!counts || !bits)
        return fail(why, STATS_EINVAL, "null argument");
    for (size_t i = 0; i < k; i++)
        total += (double)counts[i];
    if (total == 0.0)
        return fail(why, STATS_UNDEFINED, "no observed options");
    for (size_t i = 0; i < k; i++) {
        double p = (double)counts[i] / total;
        if (p > 0.0)
            h -= p * log2(p);
    }
    *bits = h;
    return ok(why);
}

/* The non-NaN values of x, sorted; *m gets their number.  NULL when out of memory. */
double *stats_sorted_finite(const double *x, size_t n, size_t *m)
{
    double *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return NULL;
    *m = stats_gather_pairs(x, x, n, v, v);
    gsl_sort(v, 1, *m);
    return v;
}

int stats_quantile(const double *x, size_t n, double p, double *q, const char **why)
{
    size_t m;
    double *v;
    if (!x || !q || !(p >= 0.0 && p <= 1.0))
        return fail(why, STATS_EINVAL, "p must be in [0, 1]");
    if (!(v = stats_sorted_finite(x, n, &m)))
        return fail(why, STATS_NOMEM, "out of memory");
    int ret = m == 0 ? fail(why, STATS_UNDEFINED, "no values") : ok(why);
    if (m > 0)
        *q = gsl_stats_quantile_from_sorted_data(v, 1, m, p);   /* R type 7 */
    free(v);
    return ret;
}
