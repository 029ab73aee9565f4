/* tests/test_stats_resample.c -- the bootstrap replicates of metrics/stats_resample.c (issue 16)
 * against the reference path they replace: the replicate's rows copied into a matrix and passed
 * to stats_alpha, stats_split_half and stats_beyond_alpha (the code every replicate ran before,
 * still what the sample and incomplete blocks use).  Every replicate of every statistic must be
 * defined exactly when the reference is and equal it to 1e-12; ICC's point values must equal
 * stats_icc's bit for bit.  The data: seeded one-factor subjects x items matrices shaped like the
 * bench's blocks (40 subjects; 8, 24 and 60 items, the last with fewer distinct subjects per
 * replicate than items, the Gram-matrix path of smc), item means of 45 answers on a 1..5 scale. */
#include "metrics/stats.h"
#include "tests/check.h"

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#define TOL 1e-12
#define REPS 300

static double worst_alpha, worst_beyond;

static double diff(double a, double b)
{
    if (isnan(a) && isnan(b))
        return 0.0;
    if (isnan(a) || isnan(b))
        return INFINITY;
    return fabs(a - b);
}

/* n x k: 3 + loading_j f_s + noise, rounded to a multiple of 1/45 and clamped to [1, 5] */
static gsl_matrix *one_factor(gsl_rng *r, size_t n, size_t k, double noise)
{
    gsl_matrix *m = gsl_matrix_alloc(n, k);
    double *load = malloc(k * sizeof *load);
    for (size_t j = 0; j < k; j++)
        load[j] = gsl_ran_flat(r, 0.3, 0.9) * (j % 5 == 4 ? -1.0 : 1.0);
    for (size_t s = 0; s < n; s++) {
        const double f = gsl_ran_gaussian(r, 1.0);
        for (size_t j = 0; j < k; j++) {
            double v = 3.0 + load[j] * f + gsl_ran_gaussian(r, noise);
            v = round(v * 45.0) / 45.0;
            gsl_matrix_set(m, s, j, v < 1.0 ? 1.0 : v > 5.0 ? 5.0 : v);
        }
    }
    free(load);
    return m;
}

static void copy_rows(const gsl_matrix *x, const size_t *idx, size_t n, gsl_matrix *out)
{
    for (size_t i = 0; i < n; i++)
        memcpy(out->data + i * out->tda, x->data + idx[i] * x->tda, x->size2 * sizeof(double));
}

static void beyond_compare(const gsl_matrix *tmp, int got, struct stats_beyond *b)
{
    const size_t K = tmp->size2;
    struct stats_beyond rb;
    int want = stats_beyond_alpha(tmp, &rb, NULL);
    CHECK(got == want);
    if (got == STATS_OK && want == STATS_OK) {
        double d = fmax(diff(b->lambda6, rb.lambda6), diff(b->omega_total, rb.omega_total));
        for (size_t j = 0; j < K; j++)
            d = fmax(d, fmax(diff(b->r_drop[j], rb.r_drop[j]), diff(b->loading[j], rb.loading[j])));
        CHECK_STR(b->omega_why, rb.omega_why);
        CHECK_STR(b->lambda6_why, rb.lambda6_why);
        worst_beyond = fmax(worst_beyond, d);
        CHECK_NEAR(d, 0.0, TOL);
    }
    if (got == STATS_OK)
        stats_beyond_free(b);
    if (want == STATS_OK)
        stats_beyond_free(&rb);
}

/* alpha, split-half (check_keys as given) and, with beyond, omega's values from the one shared
 * covariance of stats_alpha_resample */
static void alpha_replicate(const gsl_matrix *x, const size_t *idx, gsl_matrix *tmp, int with_split, int check_keys,
                            const double *warm, int beyond)
{
    const size_t n = x->size1, K = x->size2;
    struct stats_alpha a, ra;
    struct stats_split s, rs;
    struct stats_beyond b;
    int split_rc, beyond_rc;
    copy_rows(x, idx, n, tmp);
    int want = stats_alpha(tmp, &ra, NULL),
        want_split = with_split ? stats_split_half(tmp, check_keys, &rs, NULL) : -1;
    int got = stats_alpha_resample(x, idx, n, &a, with_split, check_keys, &s, &split_rc, warm, &b,
                                   beyond ? &beyond_rc : NULL);
    if (beyond)
        beyond_compare(tmp, beyond_rc, &b);
    CHECK(got == want);
    CHECK(!with_split || split_rc == want_split);
    if (got == STATS_OK && want == STATS_OK) {
        double d = fmax(diff(a.raw_alpha, ra.raw_alpha), diff(a.std_alpha, ra.std_alpha));
        for (size_t j = 0; j < K; j++)
            d = fmax(d, diff(a.alpha_drop[j], ra.alpha_drop[j]));
        CHECK(a.k == ra.k && a.n_dropped == ra.n_dropped);
        CHECK(isnan(a.feldt_lo) && isnan(a.feldt_hi));     /* replicates skip the Feldt bounds */
        worst_alpha = fmax(worst_alpha, d);
        CHECK_NEAR(d, 0.0, TOL);
        stats_alpha_free(&a);
    }
    if (want == STATS_OK)
        stats_alpha_free(&ra);
    if (with_split && split_rc == STATS_OK && want_split == STATS_OK) {
        double d = fmax(fmax(diff(s.odd_even_sb, rs.odd_even_sb), diff(s.mean_rb, rs.mean_rb)),
                        fmax(diff(s.max_rb, rs.max_rb), diff(s.min_rb, rs.min_rb)));
        worst_alpha = fmax(worst_alpha, d);
        CHECK_NEAR(d, 0.0, TOL);
    }
}

static void beyond_replicate(const gsl_matrix *x, const size_t *idx, gsl_matrix *tmp, const double *warm)
{
    struct stats_beyond b;
    copy_rows(x, idx, x->size1, tmp);
    beyond_compare(tmp, stats_beyond_resample(x, idx, x->size1, warm, &b, NULL), &b);
}

static void block(gsl_rng *r, size_t n, size_t k, double noise, unsigned long seed)
{
    gsl_matrix *x = one_factor(r, n, k, noise), *tmp = gsl_matrix_alloc(n, k);
    gsl_rng *draw = gsl_rng_alloc(gsl_rng_mt19937);
    size_t *idx = malloc(n * sizeof *idx);
    struct stats_beyond sample;
    CHECK(stats_no_nan(x));
    CHECK(stats_beyond_alpha(x, &sample, NULL) == STATS_OK);
    const double *warm = isnan(sample.omega_total) ? NULL : sample.loading;
    gsl_rng_set(draw, seed);
    for (int rep = 0; rep < REPS; rep++) {
        for (size_t i = 0; i < n; i++)
            idx[i] = gsl_rng_uniform_int(draw, n);
        alpha_replicate(x, idx, tmp, k <= 14, 0, warm, 1);
        alpha_replicate(x, idx, tmp, k <= 14, 1, NULL, rep % 2);     /* --check-keys reverses C after omega */
        beyond_replicate(x, idx, tmp, warm);
        beyond_replicate(x, idx, tmp, NULL);
    }
    stats_beyond_free(&sample);
    free(idx);
    gsl_rng_free(draw);
    gsl_matrix_free(x);
    gsl_matrix_free(tmp);
}

/* stats_icc_point = stats_icc's values, bit for bit, and leaves p and the bounds NAN */
static void icc_point(gsl_rng *r)
{
    gsl_matrix *x = one_factor(r, 40, 45, 1.0);
    struct stats_icc full, point;
    CHECK(stats_icc(x, 0.95, &full, NULL) == STATS_OK);
    CHECK(stats_icc_point(x, &point, NULL) == STATS_OK);
    CHECK(memcmp(&full.icc1.icc, &point.icc1.icc, sizeof(double)) == 0);
    CHECK(memcmp(&full.icc2.icc, &point.icc2.icc, sizeof(double)) == 0);
    CHECK(memcmp(&full.icc3.icc, &point.icc3.icc, sizeof(double)) == 0);
    CHECK(full.msb == point.msb && full.mse == point.mse && full.msj == point.msj && full.msw == point.msw);
    CHECK(isfinite(full.icc1.lo) && isfinite(full.icc1.p));
    CHECK(isnan(point.icc1.lo) && isnan(point.icc2.hi) && isnan(point.icc3.p));
    gsl_matrix_free(x);
}

/* a matrix with a NaN is not complete (the callers keep the row copy for it) */
static void no_nan(void)
{
    gsl_matrix *x = gsl_matrix_calloc(3, 2);
    CHECK(stats_no_nan(x));
    gsl_matrix_set(x, 2, 1, NAN);
    CHECK(!stats_no_nan(x));
    gsl_matrix_free(x);
}

int main(void)
{
    gsl_set_error_handler_off();
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 16);
    block(r, 40, 8, 0.8, 1);       /* BFI-44-sized: Cholesky smc, every split */
    block(r, 40, 24, 0.8, 2);      /* IPIP-NEO-120: about as many distinct subjects as items */
    block(r, 40, 60, 0.8, 3);      /* IPIP-NEO-300: the Gram path */
    block(r, 40, 60, 2.5, 4);      /* weak items: Heywood cases and negative correlations */
    block(r, 12, 10, 0.8, 5);      /* few subjects: constant items in some replicates */
    icc_point(r);
    no_nan();
    printf("largest difference from the row-copy path: alpha family %.3g, beyond alpha %.3g\n", worst_alpha,
           worst_beyond);
    gsl_rng_free(r);
    return CHECK_DONE();
}
