/* tests/test_trc_diff.c -- differential test of stats_trc(): the O(T x k) implementation
 * (metrics/stats_trc.c) against the pairwise one it replaced (below, verbatim but renamed), on
 * many random subjects: integer and real scores, gaps (single, many, whole rows, shared), constant
 * rows (whole or on the shared items only), one repetition, one or two items, both Eq. 2 forms.
 * The values must agree to 1e-12 and the pair counts exactly. */
#include "tests/check.h"
#include "metrics/stats.h"
#include "metrics/stats_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* ---- the reference: TrC as it was before stats_trc.c (commit 457c468, metrics/stats_retest.c), verbatim --------------------------------------------------------------------------- */

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
    return v > 1.0 ? 1.0 : v < -1.0 ? -1.0 : v;     /* as stats_pearson_complete */
}

/* One subject's mean r over repetition pairs; STATS_UNDEFINED when no pair is defined.  Each pair
 * is stats_pearson() of the two rows: rows without gaps take the shortcut above. */
static int old_trc_subject(const gsl_matrix *m, int literal, double *value, struct stats_trc *t)
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
        kind[u] = j < k ? 0 : stats_is_constant(x, k) ? 1 : 2;
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
                rc = stats_pearson_complete(gx, gy, stats_gather_pairs(x, y, k, gx, gy), &r, NULL);
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

static int old_stats_trc(const gsl_matrix *const *reps, size_t n_subjects, int literal,
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
        rc = old_trc_subject(reps[s], literal, &v, &t);
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

static uint64_t rng_state = 88172645463325252ULL;
static uint64_t next(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static size_t below(size_t n) { return (size_t)(next() % n); }
static double unit(void) { return (double)(next() >> 11) / 9007199254740992.0; }

/* One random subject: T x k with the given style. */
static gsl_matrix *random_subject(size_t T, size_t k, int style)
{
    gsl_matrix *m = gsl_matrix_alloc(T, k);
    double gap_rate = style % 4 == 0 ? 0.0 : style % 4 == 1 ? 0.02 : style % 4 == 2 ? 0.2 : 0.6;
    int real = style / 4 % 2;
    for (size_t u = 0; u < T; u++) {
        double shift = (double)below(3);
        int constant = below(8) == 0, nearly = below(8) == 0, empty = below(20) == 0;
        double c = (double)(1 + below(5));
        for (size_t j = 0; j < k; j++) {
            double v;
            if (real)
                v = 1.0 + 4.0 * unit() + (j % 3) * 0.25;
            else
                v = (double)(1 + (j * 7 + u + below(3)) % 5) + shift;
            if (constant)
                v = c;
            else if (nearly && j != k - 1)
                v = c;          /* constant but for the last item: constant once it is a gap */
            if (empty || unit() < gap_rate)
                v = NAN;
            gsl_matrix_set(m, u, j, v);
        }
    }
    /* items nobody answered, and an item only the gapped rows lack */
    if (style % 3 == 1 && k > 2)
        for (size_t u = 0; u < T; u++)
            gsl_matrix_set(m, u, 0, NAN);
    return m;
}

int main(void)
{
    size_t cases = 0, max_pairs = 0;
    double max_diff = 0.0;
    for (int iter = 0; iter < 4000; iter++) {
        size_t T = 1 + below(iter < 200 ? 4 : 40), k = 1 + below(iter % 5 == 0 ? 3 : 70);
        int style = (int)below(8);
        gsl_matrix *m = random_subject(T, k, style);
        const gsl_matrix *one[1] = { m };
        for (int literal = 0; literal <= 1; literal++) {
            struct stats_trc a = { 0 }, b = { 0 };
            int ra = stats_trc(one, 1, literal, &a, NULL), rb = old_stats_trc(one, 1, literal, &b, NULL);
            CHECK(ra == rb);
            if (ra != rb)
                fprintf(stderr, "    iter %d T %zu k %zu style %d: rc %d vs %d\n", iter, T, k, style, ra, rb);
            if (ra == STATS_OK && rb == STATS_OK) {
                double d = fabs(a.trc - b.trc);
                if (d > max_diff)
                    max_diff = d;
                if (d > 1e-12) {
                    CHECK_NEAR(a.trc, b.trc, 1e-12);
                    fprintf(stderr, "    iter %d T %zu k %zu style %d literal %d\n", iter, T, k, style, literal);
                }
                CHECK(a.n_pairs == b.n_pairs && a.n_skipped == b.n_skipped && a.n_subjects == b.n_subjects);
                if (a.n_pairs > max_pairs)
                    max_pairs = a.n_pairs;
                cases++;
            }
        }
        gsl_matrix_free(m);
    }
    /* several subjects at once, as faith and audit call it */
    gsl_matrix *ms[5];
    for (int s = 0; s < 5; s++)
        ms[s] = random_subject(3 + (size_t)s * 7, 12, s);
    struct stats_trc a = { 0 }, b = { 0 };
    CHECK(stats_trc((const gsl_matrix *const *)ms, 5, 0, &a, NULL) == old_stats_trc((const gsl_matrix *const *)ms, 5, 0, &b, NULL));
    CHECK_NEAR(a.trc, b.trc, 1e-12);
    CHECK(a.n_pairs == b.n_pairs && a.n_skipped == b.n_skipped && a.n_subjects == b.n_subjects);
    for (int s = 0; s < 5; s++)
        gsl_matrix_free(ms[s]);
    CHECK(cases > 3000);      /* most random subjects have a defined TrC */
    printf("trc differential: %zu defined cases, largest %zu pairs, max |new - old| %.3g\n", cases, max_pairs, max_diff);
    return CHECK_DONE();
}
