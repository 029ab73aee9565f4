/* metrics/stats_paired.c -- the paired t-test and the Wilcoxon signed-rank test, each step as R 4.2's
 * t.test.default and wilcox.test.default take it (paired = TRUE, their defaults), so that the order
 * effect of `psyfaith metrics --metric order` equals R's.  Reference values: tests/oracle/order.R. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "metrics/stats.h"

static int undefined(const char **why, const char *reason)
{
    if (why)
        *why = reason;
    return STATS_UNDEFINED;
}

/* The differences x - y of the complete pairs into d (n values); returns how many. */
static size_t differences(const double *x, const double *y, size_t n, double *d)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]) && !isnan(y[i]))
            d[m++] = x[i] - y[i];
    return m;
}

int stats_paired_t(const double *x, const double *y, size_t n, double level, struct stats_paired_t *out,
                   const char **why)
{
    if (!x || !y || !out || !(level > 0 && level < 1))
        return undefined(why, "bad argument"), STATS_EINVAL;
    double *d = malloc((n + 1) * sizeof *d);
    if (!d)
        return undefined(why, "out of memory"), STATS_NOMEM;
    size_t m = differences(x, y, n, d);
    double mean = 0.0, ss = 0.0;
    for (size_t i = 0; i < m; i++)
        mean += d[i];
    mean = m ? mean / (double)m : NAN;
    for (size_t i = 0; i < m; i++)
        ss += (d[i] - mean) * (d[i] - mean);
    free(d);
    if (m < 2)
        return undefined(why, "fewer than 2 pairs");
    double se = sqrt(ss / (double)(m - 1) / (double)m);
    if (se < 10 * DBL_EPSILON * fabs(mean))
        return undefined(why, "the differences are essentially constant");
    if (se == 0.0)
        return undefined(why, "every difference is zero");
    double df = (double)(m - 1), t = mean / se, q = gsl_cdf_tdist_Pinv(1.0 - (1.0 - level) / 2.0, df);
    out->n = m;
    out->mean_diff = mean;
    out->t = t;
    out->df = df;
    out->p = 2.0 * gsl_cdf_tdist_P(-fabs(t), df);
    out->ci_low = mean - q * se;
    out->ci_high = mean + q * se;
    out->se = se;
    return STATS_OK;
}

/* R's psignrank (nmath/signrank.c): the counts of subsets of 1..n with each rank sum, then the
 * summed lower (or, past the middle, upper) tail times 2^-n. */
double stats_psignrank(double q, int n, int lower_tail)
{
    if (n < 1 || n > 1000 || isnan(q))
        return NAN;
    double x = floor(q + 1e-7 + 0.5), u = (double)n * (n + 1) / 2.0;   /* R_forceint(x + 1e-7) */
    if (x < 0.0)
        return lower_tail ? 0.0 : 1.0;
    if (x >= u)
        return lower_tail ? 1.0 : 0.0;
    size_t top = (size_t)u;
    double *w = calloc(top + 1, sizeof *w);
    if (!w)
        return NAN;
    w[0] = 1.0;
    for (int j = 1; j <= n; j++)          /* subsets of 1..j: add j to each subset of 1..j-1 */
        for (size_t i = top; i >= (size_t)j; i--)
            w[i] += w[i - (size_t)j];
    double f = exp(-(double)n * M_LN2), p = 0.0;
    if (x <= u / 2.0) {
        for (size_t i = 0; i <= (size_t)x; i++)
            p += w[i] * f;
    } else {
        x = u - x;
        for (size_t i = 0; i < (size_t)x; i++)
            p += w[i] * f;
        lower_tail = !lower_tail;
    }
    free(w);
    return lower_tail ? p : 0.5 - p + 0.5;
}

struct absval {
    double a;
    size_t i;
};

static int by_abs(const void *pa, const void *pb)
{
    const struct absval *a = pa, *b = pb;
    return a->a < b->a ? -1 : a->a > b->a;
}

int stats_wilcoxon_paired(const double *x, const double *y, size_t n, struct stats_wilcoxon *out,
                          const char **why)
{
    if (!x || !y || !out)
        return undefined(why, "bad argument"), STATS_EINVAL;
    double *d = malloc((n + 1) * sizeof *d);
    struct absval *v = malloc((n + 1) * sizeof *v);
    int ret = STATS_OK;
    if (!d || !v) {
        undefined(why, "out of memory");
        ret = STATS_NOMEM;
        goto out;
    }
    size_t m = differences(x, y, n, d), k = 0;
    if (m < 1) {
        ret = undefined(why, "no complete pair");
        goto out;
    }
    for (size_t i = 0; i < m; i++)
        if (d[i] != 0.0) {
            v[k].a = fabs(d[i]);
            v[k].i = i;
            k++;
        }
    memset(out, 0, sizeof *out);
    out->zeros = m - k;
    out->n = k;
    if (k == 0) {
        ret = undefined(why, "every difference is zero");
        goto out;
    }
    qsort(v, k, sizeof *v, by_abs);
    /* average ranks of tie groups; V = the ranks of the positive differences; sum(t^3 - t) */
    double V = 0.0, tie_term = 0.0;
    for (size_t a = 0; a < k;) {
        size_t b = a + 1;
        while (b < k && v[b].a == v[a].a)
            b++;
        double rank = ((double)(a + 1) + (double)b) / 2.0, t = (double)(b - a);
        for (size_t j = a; j < b; j++)
            if (d[v[j].i] > 0)
                V += rank;
        if (b - a > 1) {
            out->ties = 1;
            tie_term += t * t * t - t;
        }
        a = b;
    }
    double nn = (double)k;
    out->V = V;
    out->exact = nn < 50 && !out->ties && !out->zeros;
    if (out->exact) {
        double p = V > nn * (nn + 1) / 4 ? stats_psignrank(V - 1, (int)k, 0) : stats_psignrank(V, (int)k, 1);
        out->p = fmin(2.0 * p, 1.0);
    } else {
        double z = V - nn * (nn + 1) / 4;
        double sigma = sqrt(nn * (nn + 1) * (2 * nn + 1) / 24 - tie_term / 48);
        double corr = z > 0 ? 0.5 : z < 0 ? -0.5 : 0.0;
        z = (z - corr) / sigma;
        out->p = 2.0 * fmin(gsl_cdf_ugaussian_P(z), gsl_cdf_ugaussian_Q(z));
    }
out:
    free(d);
    free(v);
    return ret;
}
