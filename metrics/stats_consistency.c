/* metrics/stats_consistency.c -- see stats.h: internal consistency on the pairwise item
 * covariance matrix, psych::alpha() (Cronbach's alpha, alpha.drop), psych::alpha.ci() (Feldt) and
 * psych::splitHalf().  Reference values: tests/oracle/stats_expected.txt (from tests/oracle/stats.R). */
#include "metrics/stats.h"
#include "metrics/stats_int.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_statistics_double.h>

/* ---- the item covariance matrix shared by alpha and split-half ------------------------ */

void stats_itemcov_free(struct stats_itemcov *ic)
{
    free(ic->keep);
    free(ic->dropped);
    free(ic->w);
    free(ic->dev);
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
    size_t m = stats_gather_pairs(col, col, n, buf, buf);
    return m >= 2 && !stats_is_constant(buf, m);
}

/* Splits the columns of m into kept and dropped. */
static int sort_items(const gsl_matrix *m, const double *cols, struct stats_itemcov *ic, double *buf)
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
    size_t m = stats_gather_pairs(a, b, n, ga, gb);
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
static void complete_covs(const struct stats_itemcov *ic, const double *cols, size_t n, const double *mean, size_t a,
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

int stats_itemcov_build(const gsl_matrix *m, struct stats_itemcov *ic, const char **why)
{
    const size_t n = m->size1, K = m->size2;
    double *cols = malloc((n && K ? n * K : 1) * sizeof *cols);
    double *ga = malloc((n ? n : 1) * sizeof *ga), *gb = malloc((n ? n : 1) * sizeof *gb);
    double *mean = malloc((K ? K : 1) * sizeof *mean);      /* per kept item; NAN = has gaps */
    int ret = fail(why, STATS_NOMEM, "out of memory");
    *ic = (struct stats_itemcov){ 0 };
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
        stats_itemcov_free(ic);
    return ret;
}

/* R's cov2cor(): R_ij = C_ij / sqrt(C_ii C_jj), diagonal exactly 1. */
gsl_matrix *stats_cov2cor(const gsl_matrix *C)
{
    const size_t k = C->size1;
    gsl_matrix *R = gsl_matrix_alloc(k, k);
    double *is = malloc((k ? k : 1) * sizeof *is);
    if (!R || !is) {
        gsl_matrix_free(R);
        free(is);
        return NULL;
    }
    for (size_t a = 0; a < k; a++)     /* once per item, not per entry: the same values */
        is[a] = sqrt(1.0 / mget(C, a, a));
    for (size_t a = 0; a < k; a++)
        for (size_t b = 0; b < k; b++)
            mset(R, a, b, a == b ? 1.0 : is[a] * mget(C, a, b) * is[b]);
    free(is);
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
    gsl_matrix *R = stats_cov2cor(C);
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
    double q_hi = stats_qf(1.0 - p, df1, df2), q_lo = stats_qf(p, df1, df2);
    if (!isfinite(q_hi) || !isfinite(q_lo))
        return fail(why, STATS_UNDEFINED, "F quantile did not converge");
    *lo = 1.0 - (1.0 - alpha) * q_hi;
    *hi = 1.0 - (1.0 - alpha) * q_lo;
    return ok(why);
}

/* alpha.drop: alpha of the other kept items, per original column; NAN where undefined. */
static int fill_alpha_drop(const struct stats_itemcov *ic, size_t K, double *drop)
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

/* fill_alpha_drop for a bootstrap replicate: each item's sums from the whole matrix's, the sum
 * without item i as total - 2 col_i + C_ii (long double, as r_drop forms it), in one pass over C
 * instead of k/4.  The long double sums run in another order, so a drop may differ from
 * fill_alpha_drop's in the last bit of a double. */
static void fill_alpha_drop_replicate(const struct stats_itemcov *ic, size_t K, double *drop)
{
    const gsl_matrix *C = ic->C;
    const size_t k = ic->k;
    for (size_t j = 0; j < K; j++)
        drop[j] = NAN;
    if (k < 3)
        return;
    long double *col = calloc(k, sizeof *col), total = 0.0L, trace = 0.0L;
    if (!col) {          /* no memory for the shortcut: the k/4 passes */
        fill_alpha_drop(ic, K, drop);
        return;
    }
    for (size_t a = 0; a < k; a++) {
        const double *row = C->data + a * C->tda;
        long double r = 0.0L;
        for (size_t b = 0; b < k; b++)
            r += row[b];
        col[a] = r;      /* C is symmetric: row a's sum is column a's */
        total += r;
        trace += row[a];
    }
    for (size_t a = 0; a < k; a++) {
        const double caa = mget(C, a, a), sum = (double)(total - 2.0L * col[a] + caa),
                     tr = (double)(trace - caa);
        double v;
        if (alpha_of_sums(sum, tr, k - 1, &v, NULL) == STATS_OK)
            drop[ic->keep[a]] = v;
    }
    free(col);
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

int stats_alpha_of_cov(const struct stats_itemcov *ic, size_t n, size_t K, int replicate, struct stats_alpha *a,
                       const char **why)
{
    struct stats_alpha r = { 0 };
    int ret;
    r.n = n;
    r.k = ic->k;
    r.feldt_lo = r.feldt_hi = NAN;
    if ((ret = raw_alpha(ic->C, &r.raw_alpha, why)) < 0)
        return ret;
    ret = fail(why, STATS_NOMEM, "out of memory");
    r.alpha_drop = malloc(K * sizeof *r.alpha_drop);
    r.dropped = malloc((ic->n_dropped ? ic->n_dropped : 1) * sizeof *r.dropped);
    if (!r.alpha_drop || !r.dropped || std_alpha(ic->C, &r.std_alpha, &r.average_r) < 0)
        goto out;
    if (replicate)
        fill_alpha_drop_replicate(ic, K, r.alpha_drop);
    else
        fill_alpha_drop(ic, K, r.alpha_drop);
    for (size_t i = 0; i < ic->n_dropped; i++)
        r.dropped[i] = ic->dropped[i];
    r.n_dropped = ic->n_dropped;
    /* psych: feldt <- alpha.ci(raw_alpha, nsub = all rows, nvar = items kept) */
    if (!replicate && (ret = stats_feldt_ci(r.raw_alpha, r.n, r.k, 0.95, &r.feldt_lo, &r.feldt_hi, why)) < 0)
        goto out;
    *a = r;
    ret = ok(why);
out:
    if (ret < 0)
        stats_alpha_free(&r);
    return ret;
}

int stats_alpha(const gsl_matrix *m, struct stats_alpha *a, const char **why)
{
    struct stats_itemcov ic;
    int ret;
    if (!m || !a)
        return fail(why, STATS_EINVAL, "null argument");
    if (m->size1 < 2)
        return fail(why, STATS_UNDEFINED, "fewer than 2 subjects");
    if (m->size2 < 2)
        return fail(why, STATS_UNDEFINED, "k = 1");
    if ((ret = stats_itemcov_build(m, &ic, why)) < 0)
        return ret;
    ret = stats_alpha_of_cov(&ic, m->size1, m->size2, 0, a, why);
    stats_itemcov_free(&ic);
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
static void odd_even(const struct stats_itemcov *ic, unsigned char *in_a, struct stats_split *s)
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

/* ic's C may be reversed in place by check_keys. */
int stats_split_of_cov(struct stats_itemcov *ic, int check_keys, struct stats_split *s, const char **why)
{
    struct stats_split r = { 0 };
    unsigned char *in_a = NULL;
    gsl_matrix *R = NULL;
    double total, tr;
    int ret;
    r.k = ic->k;
    r.n_dropped = ic->n_dropped;
    ret = fail(why, STATS_NOMEM, "out of memory");
    if (!(in_a = malloc(ic->k)) || !(R = stats_cov2cor(ic->C)))
        goto out;
    if (check_keys && reverse_keys(R, ic->C, &r.n_reversed) < 0)
        goto out;
    odd_even(ic, in_a, &r);
    /* every split of the items that remain, as psych::splitHalf on them, whatever odd/even gave */
    r.mean_rb = r.max_rb = r.min_rb = NAN;
    matrix_sums(R, SIZE_MAX, &total, &tr);
    if (!(total > 0.0))
        r.splits_why = "item correlations sum to <= 0";
    else if (ic->k <= STATS_SPLIT_MAX_K)
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
    return ret;
}

int stats_split_half(const gsl_matrix *m, int check_keys, struct stats_split *s, const char **why)
{
    struct stats_itemcov ic;
    int ret;
    if (!m || !s)
        return fail(why, STATS_EINVAL, "null argument");
    if (m->size1 < 2)
        return fail(why, STATS_UNDEFINED, "fewer than 2 subjects");
    if (m->size2 < 2)
        return fail(why, STATS_UNDEFINED, "k = 1");
    if ((ret = stats_itemcov_build(m, &ic, why)) < 0)
        return ret;
    ret = stats_split_of_cov(&ic, check_keys, s, why);
    stats_itemcov_free(&ic);
    return ret;
}
