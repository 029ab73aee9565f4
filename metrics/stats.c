/* metrics/stats.c -- see stats.h.  Each formula names the R function it reproduces; the
 * reference values live in tests/oracle/stats_expected.txt (from tests/oracle/stats.R). */
#include "metrics/stats.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>

/* Element access without gsl_matrix_get's out-of-line call and range check (GSL inlines it only
 * under HAVE_INLINE): the indices below are in range by construction, and these loops are what a
 * 1000-replicate bootstrap spends its time in. */
static inline double mget(const gsl_matrix *m, size_t i, size_t j)
{
    return m->data[i * m->tda + j];
}

static inline void mset(gsl_matrix *m, size_t i, size_t j, double v)
{
    m->data[i * m->tda + j] = v;
}

/* Sets the reason (static text, never freed) and passes the code through. */
static int fail(const char **why, int code, const char *reason)
{
    if (why)
        *why = reason;
    return code;
}

static int ok(const char **why)
{
    if (why)
        *why = NULL;
    return STATS_OK;
}

static int bad_level(double level)
{
    return !(level > 0.0 && level < 1.0);
}

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
static double qf(double p, double df1, double df2)
{
    if (p < 0.5) {
        double y = beta_inv(p, df1 / 2.0, df2 / 2.0, 0);
        return df2 * y / (df1 * (1.0 - y));
    }
    double y = beta_inv(p, df2 / 2.0, df1 / 2.0, 1);   /* upper tail: keeps 1 - y exact */
    return df2 * (1.0 - y) / (df1 * y);
}

/* Copies the pairs where neither value is NaN into gx, gy; returns how many. */
static size_t gather_pairs(const double *x, const double *y, size_t n, double *gx, double *gy)
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
static int is_constant(const double *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[0])
            return 0;
    return 1;
}

/* Pearson r of m complete pairs. */
static int pearson_complete(const double *x, const double *y, size_t m, double *r,
                            const char **why)
{
    if (m < 2)
        return fail(why, STATS_UNDEFINED, "fewer than 2 complete pairs");
    if (is_constant(x, m) || is_constant(y, m))
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
        ret = pearson_complete(gx, gy, gather_pairs(x, y, n, gx, gy), r, why);
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
    m = gather_pairs(x, y, n, gx, gy);   /* rank only the complete pairs, as R does */
    if (average_ranks(gx, m) < 0 || average_ranks(gy, m) < 0) {
        ret = fail(why, STATS_NOMEM, "out of memory");
        goto out;
    }
    ret = pearson_complete(gx, gy, m, rho, why);
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

/* ---- the item covariance matrix shared by alpha and split-half ------------------------ */

/* psych::alpha works on cov(x, use = "pairwise"): each covariance from the subjects who
 * answered both items, with those subjects' own means.  That keeps every answer (LLM logs
 * often miss a few items) at the price of a matrix that need not be positive definite. */
struct itemcov {
    size_t k;             /* items kept */
    size_t *keep;         /* their column indices */
    size_t n_dropped;
    size_t *dropped;      /* columns without variance, as psych drops them */
    gsl_matrix *C;        /* k x k */
};

static void itemcov_free(struct itemcov *ic)
{
    free(ic->keep);
    free(ic->dropped);
    gsl_matrix_free(ic->C);
}

/* Column j of m into a contiguous array (gsl_matrix columns are strided). */
static void copy_column(const gsl_matrix *m, size_t j, double *col)
{
    for (size_t i = 0; i < m->size1; i++)
        col[i] = mget(m, i, j);
}

/* psych drops an item whose sd(na.rm = TRUE) is 0 or NA (fewer than 2 answers). */
static int item_has_variance(const double *col, size_t n, double *buf)
{
    size_t m = gather_pairs(col, col, n, buf, buf);
    return m >= 2 && !is_constant(buf, m);
}

/* Splits the columns of m into kept and dropped. */
static int sort_items(const gsl_matrix *m, const double *cols, struct itemcov *ic, double *buf)
{
    const size_t n = m->size1, K = m->size2;
    ic->keep = malloc((K ? K : 1) * sizeof *ic->keep);
    ic->dropped = malloc((K ? K : 1) * sizeof *ic->dropped);
    if (!ic->keep || !ic->dropped)
        return -1;
    for (size_t j = 0; j < K; j++) {
        if (item_has_variance(cols + j * n, n, buf))
            ic->keep[ic->k++] = j;
        else
            ic->dropped[ic->n_dropped++] = j;
    }
    return 0;
}

/* Pairwise-complete covariance of two columns (R's cov(use = "pairwise")): means and the
 * n - 1 divisor from the shared answers only. */
static int pair_cov(const double *a, const double *b, size_t n, double *ga, double *gb,
                    double *c)
{
    size_t m = gather_pairs(a, b, n, ga, gb);
    if (m < 2)
        return -1;
    *c = gsl_stats_covariance(ga, 1, gb, 1, m);
    return 0;
}

/* GSL 2.7's gsl_stats_covariance_m (statistics/covariance_source.c), step for step: a long double
 * running mean of the products of the (double) deviations, then the n / (n - 1) correction.
 * Re-implemented so that complete columns can share their means between pairs and four pairs can
 * run interleaved (their divisions overlap instead of waiting for each other); each chain still
 * sees exactly GSL's operations, so every covariance keeps its last bit (pair_cov gives the same). */
static double covariance_m1(const double *a, double ma, const double *b, double mb, size_t n)
{
    long double c = 0.0L;
    for (size_t i = 0; i < n; i++) {
        const long double d1 = a[i] - ma, d2 = b[i] - mb;
        c += (d1 * d2 - c) / (i + 1);
    }
    return (double)c * ((double)n / (double)(n - 1));
}

static void covariance_m4(const double *a, double ma, const double *const *b, const double *mb, size_t n,
                          double *out)
{
    const double *b0 = b[0], *b1 = b[1], *b2 = b[2], *b3 = b[3];
    const double m0 = mb[0], m1 = mb[1], m2 = mb[2], m3 = mb[3];
    long double c0 = 0.0L, c1 = 0.0L, c2 = 0.0L, c3 = 0.0L;
    for (size_t i = 0; i < n; i++) {
        const long double d = a[i] - ma;
        const long double e0 = b0[i] - m0, e1 = b1[i] - m1, e2 = b2[i] - m2, e3 = b3[i] - m3;
        c0 += (d * e0 - c0) / (i + 1);
        c1 += (d * e1 - c1) / (i + 1);
        c2 += (d * e2 - c2) / (i + 1);
        c3 += (d * e3 - c3) / (i + 1);
    }
    const double f = (double)n / (double)(n - 1);
    out[0] = (double)c0 * f;
    out[1] = (double)c1 * f;
    out[2] = (double)c2 * f;
    out[3] = (double)c3 * f;
}

/* C[a][b] = C[b][a] for the complete pairs (a, b[j]) of one row, j < nb <= 4. */
static void complete_covs(const struct itemcov *ic, const double *cols, size_t n, const double *mean, size_t a,
                          const size_t *b, size_t nb)
{
    const double *ca = cols + ic->keep[a] * n, *cb[4];
    double mb[4], c[4];
    for (size_t j = 0; j < nb; j++) {
        cb[j] = cols + ic->keep[b[j]] * n;
        mb[j] = mean[b[j]];
    }
    if (nb == 4)
        covariance_m4(ca, mean[a], cb, mb, n, c);
    else
        for (size_t j = 0; j < nb; j++)
            c[j] = covariance_m1(ca, mean[a], cb[j], mb[j], n);
    for (size_t j = 0; j < nb; j++) {
        mset(ic->C, a, b[j], c[j]);
        mset(ic->C, b[j], a, c[j]);
    }
}

static int itemcov_build(const gsl_matrix *m, struct itemcov *ic, const char **why)
{
    const size_t n = m->size1, K = m->size2;
    double *cols = malloc((n && K ? n * K : 1) * sizeof *cols);
    double *ga = malloc((n ? n : 1) * sizeof *ga), *gb = malloc((n ? n : 1) * sizeof *gb);
    double *mean = malloc((K ? K : 1) * sizeof *mean);      /* per kept item; NAN = has gaps */
    int ret = fail(why, STATS_NOMEM, "out of memory");
    *ic = (struct itemcov){ 0 };
    if (!cols || !ga || !gb || !mean)
        goto out;
    for (size_t j = 0; j < K; j++)
        copy_column(m, j, cols + j * n);
    if (sort_items(m, cols, ic, ga) < 0)
        goto out;
    if (ic->k < 2) {
        ret = fail(why, STATS_UNDEFINED, ic->k == 1 ? "k = 1" : "no item with variance");
        goto out;
    }
    if (!(ic->C = gsl_matrix_alloc(ic->k, ic->k)))
        goto out;
    /* A pair of complete columns gathers the whole columns, so gsl_stats_covariance would take
     * the same two means for every such pair: take them once.  Other pairs gather their own. */
    for (size_t a = 0; a < ic->k; a++) {
        const double *c = cols + ic->keep[a] * n;
        size_t i = 0;
        while (i < n && !isnan(c[i]))
            i++;
        mean[a] = i == n ? gsl_stats_mean(c, 1, n) : NAN;
    }
    for (size_t a = 0; a < ic->k; a++) {
        size_t batch[4], nb = 0;
        for (size_t b = 0; b <= a; b++) {
            double c;
            if (!isnan(mean[a]) && !isnan(mean[b])) {
                batch[nb++] = b;
                if (nb == 4) {
                    complete_covs(ic, cols, n, mean, a, batch, nb);
                    nb = 0;
                }
                continue;
            }
            if (pair_cov(cols + ic->keep[a] * n, cols + ic->keep[b] * n, n, ga, gb, &c) < 0) {
                ret = fail(why, STATS_UNDEFINED, "two items share fewer than 2 subjects");
                goto out;
            }
            mset(ic->C, a, b, c);
            mset(ic->C, b, a, c);
        }
        complete_covs(ic, cols, n, mean, a, batch, nb);
    }
    ret = ok(why);
out:
    free(cols);
    free(ga);
    free(gb);
    free(mean);
    if (ret < 0)
        itemcov_free(ic);
    return ret;
}

/* R's cov2cor(): R_ij = C_ij / sqrt(C_ii C_jj), diagonal exactly 1. */
static gsl_matrix *cov2cor(const gsl_matrix *C)
{
    const size_t k = C->size1;
    gsl_matrix *R = gsl_matrix_alloc(k, k);
    if (!R)
        return NULL;
    for (size_t a = 0; a < k; a++)
        for (size_t b = 0; b < k; b++) {
            double is_a = sqrt(1.0 / mget(C, a, a));
            double is_b = sqrt(1.0 / mget(C, b, b));
            mset(R, a, b, a == b ? 1.0 : is_a * mget(C, a, b) * is_b);
        }
    return R;
}

/* ---- alpha ------------------------------------------------------------------------- */

/* Sum of all entries and of the diagonal of C without row and column `skip` (SIZE_MAX: none).
 * long double, like R's sum(). */
static void matrix_sums(const gsl_matrix *C, size_t skip, double *sum, double *trace)
{
    long double s = 0.0L, t = 0.0L;
    for (size_t a = 0; a < C->size1; a++) {
        if (a == skip)
            continue;
        for (size_t b = 0; b < C->size2; b++)
            if (b != skip)
                s += mget(C, a, b);
        t += mget(C, a, a);
    }
    *sum = (double)s;
    *trace = (double)t;
}

/* matrix_sums() of up to four skips at once (skip[j], j < ns <= 4): per skip the same additions
 * in the same order, as independent long double chains in one pass over C, so alpha-if-deleted
 * costs k/4 passes and the additions overlap instead of each waiting for the one before. */
static void matrix_sums4(const gsl_matrix *C, const size_t *skip, size_t ns, double *sum, double *trace)
{
    const size_t k = C->size1;
    const size_t s0 = skip[0], s1 = ns > 1 ? skip[1] : SIZE_MAX, s2 = ns > 2 ? skip[2] : SIZE_MAX,
                 s3 = ns > 3 ? skip[3] : SIZE_MAX;
    long double a0 = 0.0L, a1 = 0.0L, a2 = 0.0L, a3 = 0.0L;
    for (size_t a = 0; a < k; a++) {
        const double *row = C->data + a * C->tda;
        const int r0 = a != s0, r1 = a != s1, r2 = a != s2, r3 = a != s3;
        for (size_t b = 0; b < k; b++) {
            const double v = row[b];
            if (r0 && b != s0)
                a0 += v;
            if (r1 && b != s1)
                a1 += v;
            if (r2 && b != s2)
                a2 += v;
            if (r3 && b != s3)
                a3 += v;
        }
    }
    const long double acc[4] = { a0, a1, a2, a3 };
    for (size_t j = 0; j < ns; j++) {
        long double t = 0.0L;
        for (size_t a = 0; a < k; a++)
            if (a != skip[j])
                t += mget(C, a, a);
        sum[j] = (double)acc[j];
        trace[j] = (double)t;
    }
}

/* psych's alpha.1(): raw alpha = (1 - tr(C) / sum(C)) * k / (k - 1), from those sums. */
static int alpha_of_sums(double sum, double tr, size_t k, double *alpha, const char **why)
{
    if (k < 2)
        return fail(why, STATS_UNDEFINED, "k = 1");
    /* sum(C) is the variance of the total score; zero up to rounding means a constant total */
    if (fabs(sum) <= 1e-12 * tr)
        return fail(why, STATS_UNDEFINED, "zero total variance");
    if (sum < 0.0)
        return fail(why, STATS_UNDEFINED, "negative total variance from pairwise covariances");
    *alpha = (1.0 - tr / sum) * ((double)k / (double)(k - 1));
    return ok(why);
}

static int raw_alpha(const gsl_matrix *C, double *alpha, const char **why)
{
    double sum, tr;
    if (C->size1 < 2)
        return fail(why, STATS_UNDEFINED, "k = 1");
    matrix_sums(C, SIZE_MAX, &sum, &tr);
    return alpha_of_sums(sum, tr, C->size1, alpha, why);
}

/* Standardised alpha and average r from the correlation matrix, as psych's alpha.1(). */
static int std_alpha(const gsl_matrix *C, double *std, double *average_r)
{
    const double k = (double)C->size1;
    double sum_r, tr;
    gsl_matrix *R = cov2cor(C);
    if (!R)
        return -1;
    matrix_sums(R, SIZE_MAX, &sum_r, &tr);
    *std = sum_r > 0.0 ? (1.0 - k / sum_r) * (k / (k - 1.0)) : NAN;   /* documented NAN */
    *average_r = (sum_r - k) / (k * (k - 1.0));
    gsl_matrix_free(R);
    return 0;
}

int stats_feldt_ci(double alpha, size_t n, size_t k, double level, double *lo, double *hi,
                   const char **why)
{
    if (!lo || !hi || bad_level(level) || !isfinite(alpha))
        return fail(why, STATS_EINVAL, "alpha must be finite and level in (0, 1)");
    if (n < 2)
        return fail(why, STATS_UNDEFINED, "fewer than 2 subjects");
    if (k < 2)
        return fail(why, STATS_UNDEFINED, "k = 1");
    /* psych::alpha.ci(): 1 - (1 - alpha) * qf(p, n - 1, (n - 1) * (k - 1)) */
    double df1 = (double)n - 1.0, df2 = df1 * ((double)k - 1.0), p = (1.0 - level) / 2.0;
    double q_hi = qf(1.0 - p, df1, df2), q_lo = qf(p, df1, df2);
    if (!isfinite(q_hi) || !isfinite(q_lo))
        return fail(why, STATS_UNDEFINED, "F quantile did not converge");
    *lo = 1.0 - (1.0 - alpha) * q_hi;
    *hi = 1.0 - (1.0 - alpha) * q_lo;
    return ok(why);
}

/* alpha.drop: alpha of the other kept items, per original column; NAN where undefined. */
static int fill_alpha_drop(const struct itemcov *ic, size_t K, double *drop)
{
    for (size_t j = 0; j < K; j++)
        drop[j] = NAN;
    if (ic->k < 3)          /* one item left: no alpha (psych prints C12/C22 instead) */
        return 0;
    for (size_t a = 0; a < ic->k; a += 4) {
        size_t skip[4] = { SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX }, ns = 0;
        double sum[4], tr[4], v;
        while (ns < 4 && a + ns < ic->k) {
            skip[ns] = a + ns;
            ns++;
        }
        matrix_sums4(ic->C, skip, ns, sum, tr);
        for (size_t j = 0; j < ns; j++)
            if (alpha_of_sums(sum[j], tr[j], ic->k - 1, &v, NULL) == STATS_OK)
                drop[ic->keep[a + j]] = v;
    }
    return 0;
}

void stats_alpha_free(struct stats_alpha *a)
{
    if (!a)
        return;
    free(a->dropped);
    free(a->alpha_drop);
    a->dropped = NULL;
    a->alpha_drop = NULL;
}

int stats_alpha(const gsl_matrix *m, struct stats_alpha *a, const char **why)
{
    struct itemcov ic;
    struct stats_alpha r = { 0 };
    int ret;
    if (!m || !a)
        return fail(why, STATS_EINVAL, "null argument");
    if (m->size1 < 2)
        return fail(why, STATS_UNDEFINED, "fewer than 2 subjects");
    if (m->size2 < 2)
        return fail(why, STATS_UNDEFINED, "k = 1");
    if ((ret = itemcov_build(m, &ic, why)) < 0)
        return ret;
    r.n = m->size1;
    r.k = ic.k;
    if ((ret = raw_alpha(ic.C, &r.raw_alpha, why)) < 0)
        goto out;
    ret = fail(why, STATS_NOMEM, "out of memory");
    r.alpha_drop = malloc(m->size2 * sizeof *r.alpha_drop);
    r.dropped = malloc((ic.n_dropped ? ic.n_dropped : 1) * sizeof *r.dropped);
    if (!r.alpha_drop || !r.dropped || std_alpha(ic.C, &r.std_alpha, &r.average_r) < 0)
        goto out;
    fill_alpha_drop(&ic, m->size2, r.alpha_drop);
    for (size_t i = 0; i < ic.n_dropped; i++)
        r.dropped[i] = ic.dropped[i];
    r.n_dropped = ic.n_dropped;
    /* psych: feldt <- alpha.ci(raw_alpha, nsub = all rows, nvar = items kept) */
    if ((ret = stats_feldt_ci(r.raw_alpha, r.n, r.k, 0.95, &r.feldt_lo, &r.feldt_hi, why)) < 0)
        goto out;
    *a = r;
    ret = ok(why);
out:
    if (ret < 0)
        stats_alpha_free(&r);
    itemcov_free(&ic);
    return ret;
}

/* ---- split-half -------------------------------------------------------------------- */

/* Sums of C over the blocks A x A, B x B and A x B, where in_a[i] says item i is in A. */
static void block_sums(const gsl_matrix *C, const unsigned char *in_a, double *aa, double *bb,
                       double *ab)
{
    long double saa = 0.0L, sbb = 0.0L, sab = 0.0L;
    for (size_t i = 0; i < C->size1; i++)
        for (size_t j = 0; j < C->size2; j++) {
            double c = mget(C, i, j);
            if (in_a[i] && in_a[j])
                saa += c;
            else if (!in_a[i] && !in_a[j])
                sbb += c;
            else if (in_a[i])
                sab += c;
        }
    *aa = (double)saa;
    *bb = (double)sbb;
    *ab = (double)sab;
}

/* Odd/even halves by original column position, from the raw covariances; Spearman-Brown.  When
 * it does not exist, odd_even_r and _sb stay NAN and odd_even_why says why. */
static void odd_even(const struct itemcov *ic, unsigned char *in_a, struct stats_split *s)
{
    double aa, bb, ab;
    size_t na = 0;
    s->odd_even_r = s->odd_even_sb = NAN;
    for (size_t i = 0; i < ic->k; i++)
        na += in_a[i] = ic->keep[i] % 2 == 0;     /* 1st, 3rd, ... column */
    if (na == 0 || na == ic->k) {
        s->odd_even_why = "one half is empty: the items left after dropping zero-variance ones are all odd "
                          "or all even";
        return;
    }
    block_sums(ic->C, in_a, &aa, &bb, &ab);
    if (!(aa > 0.0) || !(bb > 0.0)) {
        s->odd_even_why = "a half has zero variance";
        return;
    }
    double r = ab / sqrt(aa * bb);
    if (r <= -1.0) {
        s->odd_even_why = "the halves correlate -1";
        return;
    }
    s->odd_even_r = r;
    s->odd_even_sb = 2.0 * r / (1.0 + r);
}

/* psych::splitHalf(check.keys = TRUE): the items whose loading on the first principal component
 * of R is negative are reversed (psych::principal signs the component so that its loadings sum
 * to >= 0).  Reversing an item flips the sign of its row and column, in R and in C. */
static int reverse_keys(gsl_matrix *R, gsl_matrix *C, size_t *n_reversed)
{
    const size_t k = R->size1;
    gsl_matrix *A = gsl_matrix_alloc(k, k), *vec = gsl_matrix_alloc(k, k);
    gsl_vector *val = gsl_vector_alloc(k);
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(k);
    signed char *key = malloc(k);
    int ret = -1;
    if (!A || !vec || !val || !w || !key)
        goto out;
    gsl_matrix_memcpy(A, R);
    if (gsl_eigen_symmv(A, val, vec, w) != GSL_SUCCESS ||
        gsl_eigen_symmv_sort(val, vec, GSL_EIGEN_SORT_VAL_DESC) != GSL_SUCCESS)
        goto out;
    double sum = 0.0;
    for (size_t i = 0; i < k; i++)
        sum += mget(vec, i, 0);
    *n_reversed = 0;
    for (size_t i = 0; i < k; i++) {
        key[i] = (sum < 0.0 ? -mget(vec, i, 0) : mget(vec, i, 0)) < 0.0 ? -1 : 1;
        *n_reversed += key[i] < 0;
    }
    for (size_t a = 0; a < k; a++)
        for (size_t b = 0; b < k; b++)
            if (key[a] * key[b] < 0) {
                mset(R, a, b, -mget(R, a, b));
                mset(C, a, b, -mget(C, a, b));
            }
    ret = 0;
out:
    gsl_matrix_free(A);
    gsl_matrix_free(vec);
    gsl_vector_free(val);
    if (w)
        gsl_eigen_symmv_free(w);
    free(key);
    return ret;
}

static size_t bit_count(unsigned long v)
{
    size_t c = 0;
    for (; v; v &= v - 1)
        c++;
    return c;
}

/* Every split of the k items into floor(k/2) and the rest, each once (for even k the half
 * holding item 0), scored as psych::splitHalf does: 4 R_AB / sum(R) on correlations. */
static void all_splits(const gsl_matrix *R, double total, unsigned char *in_a,
                       struct stats_split *s)
{
    const size_t k = R->size1, m = k / 2;
    double sum = 0.0;
    s->max_rb = -INFINITY;
    s->min_rb = INFINITY;
    for (unsigned long mask = 0; mask < 1UL << k; mask++) {
        double aa, bb, ab;
        if (bit_count(mask) != m || (k % 2 == 0 && !(mask & 1UL)))
            continue;
        for (size_t i = 0; i < k; i++)
            in_a[i] = (mask >> i) & 1UL;
        block_sums(R, in_a, &aa, &bb, &ab);
        double rb = 4.0 * ab / total;
        sum += rb;
        s->max_rb = rb > s->max_rb ? rb : s->max_rb;
        s->min_rb = rb < s->min_rb ? rb : s->min_rb;
        s->n_splits++;
    }
    s->mean_rb = sum / (double)s->n_splits;
}

int stats_split_half(const gsl_matrix *m, int check_keys, struct stats_split *s, const char **why)
{
    struct itemcov ic;
    struct stats_split r = { 0 };
    unsigned char *in_a = NULL;
    gsl_matrix *R = NULL;
    double total, tr;
    int ret;
    if (!m || !s)
        return fail(why, STATS_EINVAL, "null argument");
    if (m->size1 < 2)
        return fail(why, STATS_UNDEFINED, "fewer than 2 subjects");
    if (m->size2 < 2)
        return fail(why, STATS_UNDEFINED, "k = 1");
    if ((ret = itemcov_build(m, &ic, why)) < 0)
        return ret;
    r.k = ic.k;
    r.n_dropped = ic.n_dropped;
    ret = fail(why, STATS_NOMEM, "out of memory");
    if (!(in_a = malloc(ic.k)) || !(R = cov2cor(ic.C)))
        goto out;
    if (check_keys && reverse_keys(R, ic.C, &r.n_reversed) < 0)
        goto out;
    odd_even(&ic, in_a, &r);
    /* every split of the items that remain, as psych::splitHalf on them, whatever odd/even gave */
    r.mean_rb = r.max_rb = r.min_rb = NAN;
    matrix_sums(R, SIZE_MAX, &total, &tr);
    if (!(total > 0.0))
        r.splits_why = "item correlations sum to <= 0";
    else if (ic.k <= STATS_SPLIT_MAX_K)
        all_splits(R, total, in_a, &r);
    if (isnan(r.odd_even_sb) && r.splits_why) {
        ret = fail(why, STATS_UNDEFINED, r.odd_even_why);
        goto out;
    }
    *s = r;
    ret = ok(why);
out:
    free(in_a);
    gsl_matrix_free(R);
    itemcov_free(&ic);
    return ret;
}

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
    e->p = den > 0.0 ? gsl_cdf_fdist_Q(e->f, df1, df2) : 0.0;   /* psych: -expm1(pf(F, df1, df2, log.p = TRUE)) */
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
    double ql = qf(q, e->df1, e->df2), qu = qf(q, e->df2, e->df1);
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
    double f_u = qf(q, n - 1.0, v), f_l = qf(q, v, n - 1.0);
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
static void icc_from_ms(struct stats_icc *o, double level)
{
    const double n = (double)o->n, k = (double)o->k, q = 1.0 - (1.0 - level) / 2.0;
    const double msb = o->msb, msw = o->msw, mse = o->mse, msj = o->msj;
    double df1 = n - 1.0, df2_1 = n * (k - 1.0), df2 = (n - 1.0) * (k - 1.0);
    double d1 = msb + (k - 1.0) * msw, d2 = msb + (k - 1.0) * mse + k * (msj - mse) / n, d3 = msb + (k - 1.0) * mse;
    icc_est(&o->icc1, (msb - msw) / d1, msb, msw, df1, df2_1);    /* d1, d2 > 0: total variance > 0 */
    icc_est(&o->icc2, (msb - mse) / d2, msb, mse, df1, df2);
    icc_est(&o->icc3, d3 > 0.0 ? (msb - mse) / d3 : NAN, msb, mse, df1, df2);
    f_bounds(&o->icc1, q, k);
    icc2_bounds(o, q);
    if (d3 > 0.0)
        f_bounds(&o->icc3, q, k);
    else
        o->icc3.why = "zero between-subject and residual variance (0/0)";
}

int stats_icc(const gsl_matrix *m, double level, struct stats_icc *out, const char **why)
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
    icc_from_ms(&o, level);
    *out = o;
    ret = ok(why);
out:
    gsl_matrix_free(x);
    free(rm);
    free(cm);
    return ret;
}

/* ---- TrC --------------------------------------------------------------------------- */

/* gsl_stats_correlation (GSL 2.7, statistics/covariance_source.c) splits into a part per vector --
 * the running deviations d_i = x_i - mean_(i-1) and the sum of d_i^2 i/(i+1) -- and the cross sum
 * of dx_i dy_i i/(i+1).  Between repetitions without gaps (the whole row is gathered) the first part
 * is the same in every pair, so TrC computes it once per repetition and each pair only the cross
 * sum.  The operations and their order are GSL's (long double, ratio and i + 1.0 as doubles, the
 * square roots of the sums rounded to double), so every r keeps its last bit. */
static long double welford_deltas(const double *x, size_t n, const long double *ratio, long double *delta)
{
    long double mean = x[0], sxx = 0.0L;
    for (size_t i = 1; i < n; i++) {
        const long double d = x[i] - mean;
        sxx += d * d * ratio[i];
        mean += d / (i + 1.0);
        delta[i] = d;
    }
    return sxx;
}

static double welford_r(const long double *dx, long double sxx, const long double *dy, long double syy, size_t n,
                        const long double *ratio)
{
    long double sxy = 0.0L;
    for (size_t i = 1; i < n; i++)
        sxy += dx[i] * dy[i] * ratio[i];
    double v = (double)(sxy / (sqrt((double)sxx) * sqrt((double)syy)));
    return v > 1.0 ? 1.0 : v < -1.0 ? -1.0 : v;     /* as pearson_complete */
}

/* One subject's mean r over repetition pairs; STATS_UNDEFINED when no pair is defined.  Each pair
 * is stats_pearson() of the two rows: rows without gaps take the shortcut above. */
static int trc_subject(const gsl_matrix *m, int literal, double *value, struct stats_trc *t)
{
    const size_t T = m->size1, k = m->size2;
    double sum = 0.0, r;
    size_t pairs = 0, diag = 0;
    /* per row: 0 = has gaps, 1 = full and constant, 2 = full with deltas */
    unsigned char *kind = malloc(T ? T : 1);
    long double *delta = malloc((T * k + k + T + 1) * sizeof *delta), *ratio = delta + T * k, *sxx = ratio + k;
    double *gx = malloc((k + 1) * sizeof *gx), *gy = malloc((k + 1) * sizeof *gy);
    int ret = STATS_NOMEM;
    if (!kind || !delta || !gx || !gy)
        goto out;
    for (size_t i = 1; i < k; i++)
        ratio[i] = i / (i + 1.0);
    for (size_t u = 0; u < T; u++) {
        const double *x = m->data + u * m->tda;
        size_t j = 0;
        while (j < k && !isnan(x[j]))
            j++;
        kind[u] = j < k ? 0 : is_constant(x, k) ? 1 : 2;
        if (kind[u] == 2 && k >= 2)
            sxx[u] = welford_deltas(x, k, ratio, delta + u * k);
    }
    for (size_t u = 0; u < T; u++)
        for (size_t v = u + 1; v < T; v++) {
            const double *x = m->data + u * m->tda, *y = m->data + v * m->tda;
            int rc;
            if (k < 2)
                rc = STATS_UNDEFINED;
            else if (kind[u] && kind[v]) {
                rc = kind[u] == 2 && kind[v] == 2 ? STATS_OK : STATS_UNDEFINED;
                if (rc == STATS_OK)
                    r = welford_r(delta + u * k, sxx[u], delta + v * k, sxx[v], k, ratio);
            } else
                rc = pearson_complete(gx, gy, gather_pairs(x, y, k, gx, gy), &r, NULL);
            if (rc < 0) {
                t->n_skipped++;     /* a constant vector has no correlation: count, skip */
                continue;
            }
            sum += r;
            pairs++;
        }
    ret = STATS_UNDEFINED;
    if (pairs == 0)
        goto out;
    t->n_pairs += pairs;
    ret = STATS_OK;
    if (!literal) {
        *value = sum / (double)pairs;
        goto out;
    }
    for (size_t u = 0; u < T; u++) {     /* u = v terms of Eq. 2, r = 1 where defined */
        int rc = stats_pearson(m->data + u * m->tda, m->data + u * m->tda, k, &r, NULL);
        if (rc == STATS_NOMEM) {
            ret = rc;
            goto out;
        }
        diag += rc == STATS_OK;
    }
    /* Eq. 2 as printed divides by N_T^2 whatever is skipped: a pair without a correlation adds 0 */
    *value = ((double)diag + 2.0 * sum) / ((double)T * (double)T);
out:
    free(kind);
    free(delta);
    free(gx);
    free(gy);
    return ret;
}

int stats_trc(const gsl_matrix *const *reps, size_t n_subjects, int literal,
              struct stats_trc *out, const char **why)
{
    struct stats_trc t = { 0 };
    double sum = 0.0;
    if (!reps || !out)
        return fail(why, STATS_EINVAL, "null argument");
    for (size_t s = 0; s < n_subjects; s++) {
        double v;
        int rc;
        if (!reps[s])
            return fail(why, STATS_EINVAL, "null repetition matrix");
        rc = trc_subject(reps[s], literal, &v, &t);
        if (rc == STATS_NOMEM)
            return fail(why, rc, "out of memory");
        if (rc == STATS_OK) {
            sum += v;
            t.n_subjects++;
        }
    }
    if (t.n_subjects == 0)
        return fail(why, STATS_UNDEFINED, "no repetition pair with a defined correlation");
    t.trc = sum / (double)t.n_subjects;
    *out = t;
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
static double *sorted_finite(const double *x, size_t n, size_t *m)
{
    double *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return NULL;
    *m = gather_pairs(x, x, n, v, v);
    gsl_sort(v, 1, *m);
    return v;
}

int stats_quantile(const double *x, size_t n, double p, double *q, const char **why)
{
    size_t m;
    double *v;
    if (!x || !q || !(p >= 0.0 && p <= 1.0))
        return fail(why, STATS_EINVAL, "p must be in [0, 1]");
    if (!(v = sorted_finite(x, n, &m)))
        return fail(why, STATS_NOMEM, "out of memory");
    int ret = m == 0 ? fail(why, STATS_UNDEFINED, "no values") : ok(why);
    if (m > 0)
        *q = gsl_stats_quantile_from_sorted_data(v, 1, m, p);   /* R type 7 */
    free(v);
    return ret;
}

/* Mean and variance of the non-NaN values; -1 when out of memory. */
static int group_stats(const double *x, size_t n, double *mean, double *var, size_t *m)
{
    double *v = sorted_finite(x, n, m);
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
