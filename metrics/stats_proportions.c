/* metrics/stats_proportions.c -- two proportions: Wilson score interval, Newcombe's hybrid score
 * interval of their difference and Fisher's exact test, as R computes them (see stats.h; reference
 * values from tests/oracle/conditions.R, checked by tests/test_stats_proportions.c). */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>

#include "metrics/stats_int.h"

int stats_wilson(size_t k, size_t n, double level, double *lo, double *hi, const char **why)
{
    if (n == 0 || k > n)
        return fail(why, STATS_UNDEFINED, "no trials");
    if (bad_level(level))
        return fail(why, STATS_EINVAL, "level must be in (0, 1)");
    /* prop.test(k, n, correct = FALSE)$conf.int, term for term (R 4.2 stats/R/prop.test.R):
     * the continuity correction is off because Newcombe's method 10 is built from the plain
     * score interval, and both must be the same interval */
    double dn = (double)n, est = (double)k / dn;
    double z = gsl_cdf_ugaussian_Pinv(1.0 - (1.0 - level) / 2.0);
    double z22n = z * z / (2.0 * dn);
    double half = z * sqrt(est * (1.0 - est) / dn + z22n / (2.0 * dn));
    *lo = est <= 0.0 ? 0.0 : (est + z22n - half) / (1.0 + 2.0 * z22n);
    *hi = est >= 1.0 ? 1.0 : (est + z22n + half) / (1.0 + 2.0 * z22n);
    return ok(why);
}

int stats_newcombe(size_t k1, size_t n1, size_t k2, size_t n2, double level, struct stats_prop_diff *out,
                   const char **why)
{
    struct stats_prop_diff d;
    double l1, u1, l2, u2;
    int rc;
    if (!out)
        return fail(why, STATS_EINVAL, "null argument");
    if (n1 == 0 || n2 == 0 || k1 > n1 || k2 > n2)
        return fail(why, STATS_UNDEFINED, "no trials in a group");
    if ((rc = stats_wilson(k1, n1, level, &l1, &u1, why)) != STATS_OK ||
        (rc = stats_wilson(k2, n2, level, &l2, &u2, why)) != STATS_OK)
        return rc;
    d.p1 = (double)k1 / (double)n1;
    d.p2 = (double)k2 / (double)n2;
    d.diff = d.p1 - d.p2;
    /* Newcombe (1998), method 10: the hybrid score interval from the two Wilson intervals */
    d.lo = d.diff - sqrt((d.p1 - l1) * (d.p1 - l1) + (u2 - d.p2) * (u2 - d.p2));
    d.hi = d.diff + sqrt((u1 - d.p1) * (u1 - d.p1) + (d.p2 - l2) * (d.p2 - l2));
    *out = d;
    return ok(why);
}

int stats_fisher_exact(size_t a, size_t b, size_t c, size_t d, double *p, const char **why)
{
    /* R fisher.test(matrix(c(a, c, b, d), 2)) for a 2 x 2 table: x = a is hypergeometric given the
     * margins m = a + c, n = b + d, k = a + b; the two-sided p sums the probabilities of the tables
     * no more likely than the observed one, with R's relative tolerance 1 + 1e-7 */
    if (!p)
        return fail(why, STATS_EINVAL, "null argument");
    size_t m = a + c, n = b + d, k = a + b;
    size_t lo = k > n ? k - n : 0, hi = k < m ? k : m;
    if (m + n == 0)
        return fail(why, STATS_UNDEFINED, "empty table");
    double *logd = malloc((hi - lo + 1) * sizeof *logd), top = -INFINITY, lobs = 0.0;
    if (!logd)
        return fail(why, STATS_NOMEM, "out of memory");
    for (size_t x = lo; x <= hi; x++) {
        logd[x - lo] = gsl_sf_lnchoose((unsigned)m, (unsigned)x) + gsl_sf_lnchoose((unsigned)n, (unsigned)(k - x));
        if (logd[x - lo] > top)
            top = logd[x - lo];
        if (x == a)                    /* lo <= a <= hi always */
            lobs = logd[x - lo];
    }
    double sum = 0.0, tail = 0.0, obs = exp(lobs - top) * (1.0 + 1e-7);
    for (size_t x = lo; x <= hi; x++) {
        double v = exp(logd[x - lo] - top);
        sum += v;
        if (v <= obs)
            tail += v;
    }
    free(logd);
    *p = fmin(1.0, fmax(0.0, tail / sum));
    return ok(why);
}
