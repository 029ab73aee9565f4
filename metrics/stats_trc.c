/* metrics/stats_trc.c -- see stats.h: RealBehavior TrC (Eq. 2), the mean Pearson r over a
 * subject's repetition pairs, in O(T x k) for the T repetitions without a gap.
 *
 * Pairs of complete rows: with z_u the row centred and scaled to unit length (z_u . z_v = r_uv),
 *     sum_{u<v} r_uv = (|sum_u z_u|^2 - sum_u |z_u|^2) / 2
 * over the rows that are not constant, so the pairs cost one pass over the rows.  A pair with a
 * row that has a gap is exact and pairwise (items as observations, pairwise complete, as R's
 * cor(use = "pairwise")): one dot product of the two zero-filled rows plus corrections over the
 * gaps only, so its cost is k + gaps, not a gather and a correlation (but for ill-conditioned
 * pairs, which take the gather and GSL's two-pass correlation as before).  Whether a row is constant
 * on the shared items is decided exactly (stats_is_constant's rule), from the row's mode.
 *
 * The previous pairwise implementation (every pair through gsl_stats_correlation) is kept in
 * tests/test_trc_diff.c as the reference: both agree to 1e-12 on random subjects with gaps,
 * constant rows and single repetitions. */
#include "metrics/stats.h"
#include "metrics/stats_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* What one repetition (row) contributes. */
struct trc_row {
    double *x;            /* k values centred on the row's own mean, 0 at a gap */
    size_t *gap;          /* indices of the gaps (points into one shared array) */
    size_t n_gap;
    size_t n_present;
    const double *raw;    /* the row as given (NAN = gap) */
    double sx, sxx;       /* sum and sum of squares of x over the present items */
    double mode;          /* the most frequent present raw value, and how often */
    size_t n_mode;
    const unsigned char *present;
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define TRC_FEW 16
/* The mode of v[0..m) as the sort below finds it, when v holds at most TRC_FEW distinct values:
 * 1, else 0 (nothing set). */
static int few_mode(const double *v, size_t m, double *mode, size_t *n_mode)
{
    double val[TRC_FEW];
    size_t cnt[TRC_FEW], nd = 0;
    for (size_t i = 0; i < m; i++) {
        size_t d = 0;
        while (d < nd && !(val[d] == v[i]))
            d++;
        if (d == nd) {
            if (nd == TRC_FEW)
                return 0;
            val[nd] = v[i];
            cnt[nd++] = 0;
        }
        cnt[d]++;
    }
    *mode = 0.0;
    *n_mode = 0;
    for (size_t d = 0; d < nd; d++)
        if (cnt[d] > *n_mode || (cnt[d] == *n_mode && val[d] < *mode)) {
            *n_mode = cnt[d];
            *mode = val[d];
        }
    return 1;
}

/* The row's centred values, sums and mode; buf is k doubles of scratch. */
static void row_prepare(const double *raw, size_t k, struct trc_row *r, unsigned char *present,
                        size_t *gap, double *buf)
{
    long double sum = 0.0L;
    size_t n = 0;
    for (size_t j = 0; j < k; j++) {
        present[j] = !isnan(raw[j]);
        if (present[j]) {
            sum += raw[j];
            n++;
        }
    }
    const double c = n ? (double)(sum / n) : 0.0;
    long double sx = 0.0L, sxx = 0.0L;
    size_t m = 0;
    r->gap = gap;
    r->n_gap = 0;
    for (size_t j = 0; j < k; j++) {
        if (!present[j]) {
            r->x[j] = 0.0;
            gap[r->n_gap++] = j;
            continue;
        }
        double d = raw[j] - c;
        r->x[j] = d;
        sx += d;
        sxx += (long double)d * d;
        buf[m++] = raw[j];
    }
    r->sx = (double)sx;
    r->sxx = (double)sxx;
    r->n_present = n;
    r->present = present;
    r->raw = raw;
    /* the mode, compared exactly as stats_is_constant compares: the most frequent value, the least
     * of those tied.  Answers take a few distinct values: counted in a small table, sorted only
     * when a row has more than TRC_FEW of them (the sort was a tenth of plain metrics). */
    if (few_mode(buf, m, &r->mode, &r->n_mode))
        return;
    qsort(buf, m, sizeof *buf, cmp_double);
    r->mode = m ? buf[0] : 0.0;
    r->n_mode = m ? 1 : 0;
    for (size_t i = 0; i < m;) {
        size_t e = i + 1;
        while (e < m && buf[e] == buf[i])
            e++;
        if (e - i > r->n_mode) {
            r->n_mode = e - i;
            r->mode = buf[i];
        }
        i = e;
    }
}

/* 1 if row a is constant on the items both a and b have.  drop = a's present items that b lacks,
 * n_shared = the shared items.  If a is constant there with value c, every shared item is c; the
 * mode has at least as many items as c, so either c is the mode or a's dropped items hold at least
 * as many as the shared ones -- then the items are compared one by one. */
static int constant_on_shared(const struct trc_row *a, const struct trc_row *b, size_t drop, size_t n_shared,
                              size_t k)
{
    if (drop < n_shared) {
        size_t mode_dropped = 0;
        for (size_t i = 0; i < b->n_gap; i++) {
            size_t j = b->gap[i];
            mode_dropped += a->present[j] && a->raw[j] == a->mode;
        }
        return a->n_mode - mode_dropped == n_shared;
    }
    size_t j = 0;
    while (j < k && !(a->present[j] && b->present[j]))
        j++;
    const double first = a->raw[j];
    for (; j < k; j++)
        if (a->present[j] && b->present[j] && a->raw[j] != first)
            return 0;
    return 1;
}

/* Four running sums, so that the additions do not wait on each other; a fixed order, so the
 * result does not depend on anything but the data. */
static double dot(const double *x, const double *y, size_t k)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    size_t j = 0;
    for (; j + 4 <= k; j += 4) {
        s0 += x[j] * y[j];
        s1 += x[j + 1] * y[j + 1];
        s2 += x[j + 2] * y[j + 2];
        s3 += x[j + 3] * y[j + 3];
    }
    for (; j < k; j++)
        s0 += x[j] * y[j];
    return (s0 + s1) + (s2 + s3);
}

/* r of rows a and b over their shared items, at least one of them with a gap; STATS_UNDEFINED
 * when fewer than 2 items are shared or a row is constant on them. */
static int gap_pair_r(const struct trc_row *a, const struct trc_row *b, size_t k, double *gx, double *gy,
                      double *r)
{
    /* a's sums without the items b lacks, and b's without the items a lacks (x is 0 at a gap, so
     * an item both lack needs no care) */
    size_t drop_a = 0, drop_b = 0;
    double sxa = a->sx, sxxa = a->sxx, sxb = b->sx, sxxb = b->sxx;
    for (size_t i = 0; i < b->n_gap; i++) {
        size_t j = b->gap[i];
        if (a->present[j]) {
            drop_a++;
            sxa -= a->x[j];
            sxxa -= a->x[j] * a->x[j];
        }
    }
    for (size_t i = 0; i < a->n_gap; i++) {
        size_t j = a->gap[i];
        if (b->present[j]) {
            drop_b++;
            sxb -= b->x[j];
            sxxb -= b->x[j] * b->x[j];
        }
    }
    const size_t n = a->n_present - drop_a;
    if (n < 2 || constant_on_shared(a, b, drop_a, n, k) || constant_on_shared(b, a, drop_b, n, k))
        return STATS_UNDEFINED;
    const double nn = (double)n;
    const double cov = dot(a->x, b->x, k) - sxa * sxb / nn;
    const double va = sxxa - sxa * sxa / nn, vb = sxxb - sxb * sxb / nn;
    /* The sums are about the whole row's mean: when the shared items' own spread is far below
     * that (most of a row's spread sits in the items the other row lacks), the subtraction loses
     * digits -- those rare pairs take the two-pass route on the gathered items instead. */
    if (!(sxxa <= 100.0 * va && sxxb <= 100.0 * vb))
        return stats_pearson_complete(gx, gy, stats_gather_pairs(a->raw, b->raw, k, gx, gy), r, NULL);
    double v = cov / (sqrt(va) * sqrt(vb));
    *r = v > 1.0 ? 1.0 : v < -1.0 ? -1.0 : v;       /* as stats_pearson_complete */
    return STATS_OK;
}

/* One subject's mean r over repetition pairs; STATS_UNDEFINED when no pair is defined. */
static int trc_subject(const gsl_matrix *m, int literal, double *value, struct stats_trc *t)
{
    const size_t T = m->size1, k = m->size2;
    struct trc_row *rows = calloc(T ? T : 1, sizeof *rows);
    double *xs = malloc((T * k + 2 * k + 1) * sizeof *xs), *buf = xs ? xs + T * k : NULL;
    double *zsum = buf ? buf + k : NULL, *gx = malloc(2 * (k + 1) * sizeof *gx), *gy = gx ? gx + k + 1 : NULL;
    unsigned char *present = malloc(T * k + 1);
    size_t *gaps = malloc((T * k + 1) * sizeof *gaps), *gapped = malloc((T ? T : 1) * sizeof *gapped);
    size_t n_gapped = 0, pairs = 0, skipped = 0, full = 0, full_defined = 0, diag = 0;
    long double sum = 0.0L, zz = 0.0L;
    int ret = STATS_NOMEM;
    if (!rows || !xs || !present || !gaps || !gapped || !gx)
        goto out;
    for (size_t j = 0; j < k; j++)
        zsum[j] = 0.0;
    for (size_t u = 0; u < T; u++) {
        struct trc_row *r = &rows[u];
        r->x = xs + u * k;
        row_prepare(m->data + u * m->tda, k, r, present + u * k, gaps + u * k, buf);
        diag += r->n_present >= 2 && r->n_mode < r->n_present;
        if (r->n_gap) {
            gapped[n_gapped++] = u;
            continue;
        }
        /* a complete row: its unit vector joins the closed form */
        full++;
        if (k < 2 || r->n_mode == k)
            continue;
        full_defined++;
        const double s = 1.0 / sqrt(r->sxx);
        long double q = 0.0L;
        for (size_t j = 0; j < k; j++) {
            const double z = r->x[j] * s;
            zsum[j] += z;
            q += (long double)z * z;
        }
        zz += q;
    }
    if (full_defined >= 2) {
        long double s2 = 0.0L;
        for (size_t j = 0; j < k; j++)
            s2 += (long double)zsum[j] * zsum[j];
        sum += (s2 - zz) / 2.0L;
        pairs += full_defined * (full_defined - 1) / 2;
    }
    skipped += full * (full - 1) / 2 - full_defined * (full_defined >= 1 ? full_defined - 1 : 0) / 2;
    /* every pair with a gapped row, once: gapped x complete, and gapped x later gapped */
    for (size_t g = 0; g < n_gapped; g++) {
        const size_t u = gapped[g];
        for (size_t v = 0; v < T; v++) {
            if (v == u || (rows[v].n_gap && v < u))
                continue;
            double r;
            if (gap_pair_r(&rows[u], &rows[v], k, gx, gy, &r) == STATS_OK) {
                sum += r;
                pairs++;
            } else
                skipped++;     /* a constant vector has no correlation: count, skip */
        }
    }
    t->n_skipped += skipped;
    ret = STATS_UNDEFINED;
    if (pairs == 0)
        goto out;
    t->n_pairs += pairs;
    ret = STATS_OK;
    if (!literal)
        *value = (double)(sum / (long double)pairs);
    else   /* Eq. 2 as printed divides by N_T^2 whatever is skipped: a pair without r adds 0 */
        *value = ((double)diag + 2.0 * (double)sum) / ((double)T * (double)T);
out:
    free(rows);
    free(xs);
    free(present);
    free(gaps);
    free(gapped);
    free(gx);
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
