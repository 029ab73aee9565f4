/* metrics/stats_resample.c -- see stats.h and stats_int.h: the statistics of a bootstrap
 * replicate of a complete subjects x items matrix without copying its rows.  A replicate of n
 * subjects draws about 0.63 n distinct ones; the item covariance is a sum over those, each
 * weighted by how often it was drawn, instead of GSL's running mean over all n rows with a long
 * double division per row and pair (which the --bootstrap of `metrics` spent a third of its time
 * in).  The means are taken exactly as stats_itemcov_build takes them (the same running means
 * over the rows in draw order), so the deviations are the same doubles and only the order of
 * the long double sums differs: each covariance equals the copied rows' to within a unit in the
 * last place (tests/test_stats_resample.c). */
#include "metrics/stats.h"
#include "metrics/stats_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int stats_itemcov_resample(const gsl_matrix *x, const size_t *idx, size_t n, struct stats_itemcov *ic,
                           const char **why)
{
    const size_t N = x->size1, K = x->size2;
    size_t *count = calloc(N ? N : 1, sizeof *count), *rows = malloc((N ? N : 1) * sizeof *rows);
    long double *mean = malloc((K ? K : 1) * sizeof *mean), *wd = NULL;
    double *m = malloc((K ? K : 1) * sizeof *m);
    int ret = fail(why, STATS_NOMEM, "out of memory");
    *ic = (struct stats_itemcov){ 0 };
    if (!count || !rows || !mean || !m)
        goto out;
    /* gsl_stats_mean of each resampled column, step for step, all columns in one pass */
    for (size_t j = 0; j < K; j++)
        mean[j] = 0.0L;
    for (size_t i = 0; i < n; i++) {
        const double *row = x->data + idx[i] * x->tda;
        for (size_t j = 0; j < K; j++)
            mean[j] += (row[j] - mean[j]) / (i + 1);
        count[idx[i]]++;
    }
    for (size_t j = 0; j < K; j++)
        m[j] = (double)mean[j];
    size_t d = 0;
    for (size_t s = 0; s < N; s++)
        if (count[s])
            rows[d++] = s;
    /* psych drops an item that is constant over the rows (stats_itemcov_build's sort_items) */
    ic->keep = malloc((K ? K : 1) * sizeof *ic->keep);
    ic->dropped = malloc((K ? K : 1) * sizeof *ic->dropped);
    if (!ic->keep || !ic->dropped)
        goto out;
    for (size_t j = 0; j < K; j++) {
        const double v0 = x->data[rows[0] * x->tda + j];
        size_t s = 1;
        while (s < d && x->data[rows[s] * x->tda + j] == v0)
            s++;
        if (n >= 2 && s < d)
            ic->keep[ic->k++] = j;
        else
            ic->dropped[ic->n_dropped++] = j;
    }
    if (ic->k < 2) {
        ret = fail(why, STATS_UNDEFINED, ic->k == 1 ? "k = 1" : "no item with variance");
        goto out;
    }
    const size_t k = ic->k;
    ic->d = d;
    ic->n = n;
    ic->w = malloc(d * sizeof *ic->w);
    ic->dev = malloc(k * d * sizeof *ic->dev);
    wd = malloc(k * d * sizeof *wd);
    if (!ic->w || !ic->dev || !wd || !(ic->C = gsl_matrix_alloc(k, k)))
        goto out;
    for (size_t s = 0; s < d; s++)
        ic->w[s] = (double)count[rows[s]];
    for (size_t a = 0; a < k; a++) {
        const size_t j = ic->keep[a];
        for (size_t s = 0; s < d; s++) {
            /* the deviation as covariance_m1 forms it: a double difference */
            const double dev = x->data[rows[s] * x->tda + j] - m[j];
            ic->dev[a * d + s] = dev;
            wd[a * d + s] = (long double)ic->w[s] * dev;   /* exact: <= 53 + 11 bits */
        }
    }
    /* covariance_m1's (double)mean * n / (n - 1), the mean now sum / n */
    const double f = (double)n / (double)(n - 1);
    const long double ln = (long double)n;
    for (size_t a = 0; a < k; a++) {
        const long double *wa = wd + a * d;
        size_t b = 0;
        for (; b + 4 <= a + 1; b += 4) {     /* four pairs per pass: independent chains */
            const double *d0 = ic->dev + b * d, *d1 = d0 + d, *d2 = d1 + d, *d3 = d2 + d;
            long double c0 = 0.0L, c1 = 0.0L, c2 = 0.0L, c3 = 0.0L;
            for (size_t s = 0; s < d; s++) {
                c0 += wa[s] * d0[s];
                c1 += wa[s] * d1[s];
                c2 += wa[s] * d2[s];
                c3 += wa[s] * d3[s];
            }
            const long double c[4] = { c0, c1, c2, c3 };
            for (size_t j = 0; j < 4; j++) {
                const double v = (double)(c[j] / ln) * f;
                mset(ic->C, a, b + j, v);
                mset(ic->C, b + j, a, v);
            }
        }
        for (; b <= a; b++) {
            const double *d0 = ic->dev + b * d;
            long double c0 = 0.0L;
            for (size_t s = 0; s < d; s++)
                c0 += wa[s] * d0[s];
            const double v0 = (double)(c0 / ln) * f;
            mset(ic->C, a, b, v0);
            mset(ic->C, b, a, v0);
        }
    }
    ret = ok(why);
out:
    free(count);
    free(rows);
    free(mean);
    free(m);
    free(wd);
    if (ret < 0)
        stats_itemcov_free(ic);
    return ret;
}

int stats_no_nan(const gsl_matrix *x)
{
    for (size_t i = 0; i < x->size1; i++)
        for (size_t j = 0; j < x->size2; j++)
            if (isnan(mget(x, i, j)))
                return 0;
    return 1;
}

int stats_alpha_resample(const gsl_matrix *x, const size_t *idx, size_t n, struct stats_alpha *a, int with_split,
                         int check_keys, struct stats_split *s, int *split_rc, const double *warm,
                         struct stats_beyond *be, int *beyond_rc)
{
    struct stats_itemcov ic;
    int rc;
    if (split_rc)
        *split_rc = STATS_UNDEFINED;
    if (beyond_rc) {
        *be = (struct stats_beyond){ .lambda6 = NAN, .omega_total = NAN };
        *beyond_rc = STATS_UNDEFINED;
    }
    if (n < 2)      /* stats_alpha's and stats_split_half's checks, in their order */
        return STATS_UNDEFINED;
    if (x->size2 < 2) {      /* stats_beyond_resample: k < 2 after dropping */
        if (beyond_rc && (rc = stats_beyond_resample(x, idx, n, warm, be, NULL)) != STATS_UNDEFINED)
            *beyond_rc = rc;
        return STATS_UNDEFINED;
    }
    if ((rc = stats_itemcov_resample(x, idx, n, &ic, NULL)) < 0) {
        if (beyond_rc)
            *beyond_rc = rc;
        return rc;
    }
    rc = stats_alpha_of_cov(&ic, n, x->size2, 1, a, NULL);
    /* omega before split-half: check_keys reverses C in place */
    if (rc != STATS_NOMEM && beyond_rc)
        *beyond_rc = stats_beyond_of_cov(&ic, NULL, x->size2, 1, warm, be, NULL);
    if (rc != STATS_NOMEM && (!beyond_rc || *beyond_rc != STATS_NOMEM) && with_split && split_rc)
        *split_rc = stats_split_of_cov(&ic, check_keys, s, NULL);
    stats_itemcov_free(&ic);
    if (rc == STATS_OK && ((split_rc && *split_rc == STATS_NOMEM) || (beyond_rc && *beyond_rc == STATS_NOMEM))) {
        stats_alpha_free(a);
        rc = STATS_NOMEM;
    }
    if (rc == STATS_NOMEM && beyond_rc && *beyond_rc == STATS_OK) {
        stats_beyond_free(be);
        *beyond_rc = STATS_NOMEM;
    }
    return rc;
}

int stats_beyond_resample(const gsl_matrix *x, const size_t *idx, size_t n, const double *warm,
                          struct stats_beyond *b, const char **why)
{
    struct stats_itemcov ic;
    int rc;
    *b = (struct stats_beyond){ .lambda6 = NAN, .omega_total = NAN };
    if (n < 2)
        return fail(why, STATS_UNDEFINED, "fewer than 2 subjects");
    if ((rc = stats_itemcov_resample(x, idx, n, &ic, why)) < 0)
        return rc;
    rc = stats_beyond_of_cov(&ic, NULL, x->size2, 1, warm, b, why);
    stats_itemcov_free(&ic);
    return rc;
}
