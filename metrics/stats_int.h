/* metrics/stats_int.h -- shared by metrics/stats_*.c only (the public API is stats.h). */
#ifndef PSYFAITH_STATS_INT_H
#define PSYFAITH_STATS_INT_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>

#include "metrics/stats.h"

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
static inline int fail(const char **why, int code, const char *reason)
{
    if (why)
        *why = reason;
    return code;
}

static inline int ok(const char **why)
{
    if (why)
        *why = NULL;
    return STATS_OK;
}

static inline int bad_level(double level)
{
    return !(level > 0.0 && level < 1.0);
}

/* R's qf(p, df1, df2) (stats_inference.c): the Feldt bounds and psych's ICC bounds use it. */
double stats_qf(double p, double df1, double df2);
/* Copies the pairs where neither value is NaN into gx, gy; returns how many (stats_descriptive.c). */
size_t stats_gather_pairs(const double *x, const double *y, size_t n, double *gx, double *gy);
/* 1 if v[0..n) are all equal (stats_descriptive.c). */
int stats_is_constant(const double *v, size_t n);
/* Pearson r of m complete pairs, as stats_pearson (stats_descriptive.c). */
int stats_pearson_complete(const double *x, const double *y, size_t m, double *r, const char **why);
/* The non-NaN values of x, sorted; *m gets their number.  NULL when out of memory
 * (stats_descriptive.c). */
double *stats_sorted_finite(const double *x, size_t n, size_t *m);

/* psych::alpha works on cov(x, use = "pairwise"): each covariance from the subjects who
 * answered both items, with those subjects' own means.  That keeps every answer (LLM logs
 * often miss a few items) at the price of a matrix that need not be positive definite. */
struct stats_itemcov {
    size_t k;             /* items kept */
    size_t *keep;         /* their column indices */
    size_t n_dropped;
    size_t *dropped;      /* columns without variance, as psych drops them */
    gsl_matrix *C;        /* k x k */
    /* Set by stats_itemcov_resample only (else d = 0, NULL): the replicate's d distinct subjects
     * with their multiplicities w[s] among its n rows, and dev[a * d + s] = x[s][keep[a]] - mean[a],
     * so that C = sum_s w[s] dev[., s] dev[., s]' / (n - 1): smc() decomposes that d x d Gram
     * matrix instead of the k x k R when d < k. */
    size_t d, n;
    double *w;
    double *dev;
};

/* Fills *ic from the subjects x items matrix m; STATS_UNDEFINED (with why) when fewer than 2 items
 * have variance or two items share fewer than 2 subjects (stats_consistency.c). */
int stats_itemcov_build(const gsl_matrix *m, struct stats_itemcov *ic, const char **why);
void stats_itemcov_free(struct stats_itemcov *ic);
/* stats_itemcov_build of the replicate x[idx[0]], ..., x[idx[n - 1]] (x without NaN, n >= 2),
 * without copying the rows: the means exactly as stats_itemcov_build takes them, then each
 * covariance as a weighted sum over the distinct subjects (stats_resample.c).  Equal to
 * stats_itemcov_build of the copied rows to within a unit in the last place: long double sums
 * in another order. */
int stats_itemcov_resample(const gsl_matrix *x, const size_t *idx, size_t n, struct stats_itemcov *ic,
                           const char **why);
/* The statistics from a built item covariance (stats_consistency.c, stats_omega.c): what
 * stats_alpha, stats_split_half and stats_beyond_alpha compute after stats_itemcov_build.
 * n = the rows, K = the columns of the data.  replicate = 1 (a bootstrap replicate) leaves the
 * Feldt bounds NAN and sums alpha-if-deleted in one pass (last-bit differences).  split may reverse ic->C (check_keys).  beyond: m is the data
 * for pairwise correlations when complete = 0 (NULL when complete); warm, when not NULL, is a
 * one-factor loading per column (the sample's) that starts the replicate's first principal axis. */
int stats_alpha_of_cov(const struct stats_itemcov *ic, size_t n, size_t K, int replicate, struct stats_alpha *a,
                       const char **why);
int stats_split_of_cov(struct stats_itemcov *ic, int check_keys, struct stats_split *s, const char **why);
int stats_beyond_of_cov(const struct stats_itemcov *ic, const gsl_matrix *m, size_t K, int complete,
                        const double *warm, struct stats_beyond *b, const char **why);
/* R's cov2cor(): R_ij = C_ij / sqrt(C_ii C_jj), diagonal exactly 1; NULL when out of memory. */
gsl_matrix *stats_cov2cor(const gsl_matrix *C);

#endif
