/* metrics/stats_omega.c -- see stats.h: reliability beyond alpha -- Guttman's lambda 6 (psych
 * G6(smc)), corrected item-total correlations (psych r.drop) and McDonald's omega_total from a
 * one-factor minres solution (psych::fa).  Reference values: tests/oracle/stats_expected.txt (from
 * tests/oracle/stats.R, function beyond_alpha). */
#include "metrics/stats.h"
#include "metrics/stats_int.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

/* smc = 1 - 1/diag(R^-1), clamped to [0, 1] as psych::smc clamps it (a diagonal of 0 gives -Inf,
 * clamped to 0).  psych inverts with Pinv: R = U D V' (SVD), keeping the singular values above
 * sqrt(DBL_EPSILON) times the largest.  R is symmetric, so its singular values are the sizes of its
 * eigenvalues and Pinv(R) = sum over the kept ones of v v' / lambda: the same matrix from the
 * symmetric eigen decomposition, several times faster than a Jacobi SVD, which dominated the
 * bootstrap (resamples of fewer subjects than items make R singular).  A well-conditioned R
 * (Cholesky succeeds and its reciprocal condition number is above 1e-6, far from that cut) has every
 * eigenvalue kept, so its plain inverse is taken by Cholesky, faster still.  -1 out of memory or when
 * GSL fails. */
/* diag(Pinv(R)) into out when R = cov2cor(C) and C is the weighted Gram matrix of ic's d < k
 * distinct deviations (a bootstrap replicate, stats_itemcov_resample): R = Y'Y with Y the d x k
 * matrix sqrt(w_s / (n - 1)) dev_sa / sd_a, whose nonzero eigenvalues are those of the d x d
 * G = Y Y' = U L U', with eigenvectors v_j = Y'u_j / sqrt(l_j).  So diag(Pinv(R))_i =
 * sum_{l_j > tol} (Y'u_j)_i^2 / l_j^2: a d x d decomposition instead of k x k (60 items, 25
 * distinct subjects: a tenth of the work).  The zero eigenvalues R has beyond rank d - 1 are below
 * the cut, as they are in the k x k decomposition.  -1 out of memory or when GSL fails. */
static int smc_gram(const struct stats_itemcov *ic, double *out)
{
    const size_t k = ic->k, d = ic->d;
    gsl_matrix *G = gsl_matrix_alloc(d, d), *U = gsl_matrix_alloc(d, d);
    gsl_vector *lambda = gsl_vector_alloc(d);
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(d);
    double *Y = malloc(d * k * sizeof *Y);
    long double *diag = malloc(k * sizeof *diag);
    int ret = -1;
    if (!G || !U || !lambda || !w || !Y || !diag)
        goto out;
    for (size_t a = 0; a < k; a++) {
        const double is = sqrt(1.0 / mget(ic->C, a, a));
        for (size_t s = 0; s < d; s++)
            Y[a * d + s] = sqrt(ic->w[s] / (double)(ic->n - 1)) * ic->dev[a * d + s] * is;
    }
    for (size_t s = 0; s < d; s++)
        for (size_t t = 0; t <= s; t++) {
            double g = 0.0;
            for (size_t a = 0; a < k; a++)
                g += Y[a * d + s] * Y[a * d + t];
            mset(G, s, t, g);
            mset(G, t, s, g);
        }
    if (gsl_eigen_symmv(G, lambda, U, w) != GSL_SUCCESS)
        goto out;
    double top = 0.0;
    for (size_t j = 0; j < d; j++)
        top = fmax(top, fabs(gsl_vector_get(lambda, j)));
    const double tol = sqrt(DBL_EPSILON) * top;
    for (size_t i = 0; i < k; i++)
        diag[i] = 0.0L;
    for (size_t j = 0; j < d; j++) {
        const double lj = gsl_vector_get(lambda, j);
        if (!(fabs(lj) > tol))
            continue;
        for (size_t a = 0; a < k; a++) {
            double acc = 0.0;
            for (size_t s = 0; s < d; s++)
                acc += Y[a * d + s] * mget(U, s, j);
            diag[a] += (long double)acc * acc / ((long double)lj * lj);
        }
    }
    for (size_t i = 0; i < k; i++)
        out[i] = (double)diag[i];
    ret = 0;
out:
    gsl_matrix_free(G);
    gsl_matrix_free(U);
    gsl_vector_free(lambda);
    if (w)
        gsl_eigen_symmv_free(w);
    free(Y);
    free(diag);
    return ret;
}

/* smc = 1 - 1/diag(R^-1), clamped to [0, 1] as psych::smc clamps it (a diagonal of 0 gives -Inf,
 * clamped to 0).  psych inverts with Pinv: R = U D V' (SVD), keeping the singular values above
 * sqrt(DBL_EPSILON) times the largest.  R is symmetric, so its singular values are the sizes of its
 * eigenvalues and Pinv(R) = sum over the kept ones of v v' / lambda: the same matrix from the
 * symmetric eigen decomposition, several times faster than a Jacobi SVD, which dominated the
 * bootstrap (resamples of fewer subjects than items make R singular).  A well-conditioned R
 * (Cholesky succeeds and its reciprocal condition number is above 1e-6, far from that cut) has every
 * eigenvalue kept, so its plain inverse is taken by Cholesky, faster still.  A bootstrap replicate
 * of fewer distinct subjects than items decomposes its Gram matrix instead (smc_gram).  -1 out of
 * memory or when GSL fails. */
static int smc(const gsl_matrix *R, const struct stats_itemcov *ic, double *out)
{
    const size_t k = R->size1;
    gsl_matrix *A = gsl_matrix_alloc(k, k), *V = NULL;
    gsl_vector *lambda = NULL, *work = gsl_vector_alloc(3 * k);
    gsl_eigen_symmv_workspace *w = NULL;
    int ret = -1;
    double rcond = 0.0;
    if (!A || !work)
        goto out;
    gsl_matrix_memcpy(A, R);
    /* GSL's error handler is off (main.c): "not positive definite" comes back as a code */
    int chol = gsl_linalg_cholesky_decomp1(A) == GSL_SUCCESS &&
               gsl_linalg_cholesky_rcond(A, &rcond, work) == GSL_SUCCESS && rcond > 1e-6 &&
               gsl_linalg_cholesky_invert(A) == GSL_SUCCESS;
    if (chol) {
        for (size_t i = 0; i < k; i++)
            out[i] = mget(A, i, i);
    } else if (ic && ic->dev && ic->d < k) {
        if (smc_gram(ic, out) < 0)
            goto out;
    } else {
        V = gsl_matrix_alloc(k, k);
        lambda = gsl_vector_alloc(k);
        w = gsl_eigen_symmv_alloc(k);
        if (!V || !lambda || !w)
            goto out;
        gsl_matrix_memcpy(A, R);
        if (gsl_eigen_symmv(A, lambda, V, w) != GSL_SUCCESS)
            goto out;
        double top = 0.0;
        for (size_t j = 0; j < k; j++)
            top = fmax(top, fabs(gsl_vector_get(lambda, j)));
        const double tol = sqrt(DBL_EPSILON) * top;
        for (size_t i = 0; i < k; i++) {
            long double diag = 0.0L;
            for (size_t j = 0; j < k; j++) {
                const double lj = gsl_vector_get(lambda, j), vij = mget(V, i, j);
                if (fabs(lj) > tol)
                    diag += (long double)vij * vij / lj;
            }
            out[i] = (double)diag;
        }
    }
    for (size_t i = 0; i < k; i++) {
        double s = 1.0 - 1.0 / out[i];
        out[i] = isnan(s) ? 0.0 : s < 0.0 ? 0.0 : s > 1.0 ? 1.0 : s;
    }
    ret = 0;
out:
    gsl_matrix_free(A);
    gsl_matrix_free(V);
    gsl_vector_free(lambda);
    gsl_vector_free(work);
    if (w)
        gsl_eigen_symmv_free(w);
    return ret;
}

/* Pearson r of each pair of kept items over the subjects who answered both: cor(x, use =
 * "pairwise"), which psych::fa factors.  (cov2cor of the pairwise covariances, used by alpha and
 * lambda 6, divides by each item's variance over all its answers instead: the two differ when
 * answers are missing.)  -1 when a pair is constant (fa cannot factor it) or out of memory. */
static int pairwise_cor(const gsl_matrix *m, const struct stats_itemcov *ic, gsl_matrix *R)
{
    const size_t n = m->size1, k = ic->k;
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    int ret = -1;
    if (!a || !b)
        goto out;
    for (size_t i = 0; i < k; i++) {
        mset(R, i, i, 1.0);
        for (size_t j = 0; j < i; j++) {
            for (size_t s = 0; s < n; s++) {
                a[s] = mget(m, s, ic->keep[i]);
                b[s] = mget(m, s, ic->keep[j]);
            }
            double r;
            if (stats_pearson(a, b, n, &r, NULL) != STATS_OK)
                goto out;
            mset(R, i, j, r);
            mset(R, j, i, r);
        }
    }
    ret = 0;
out:
    free(a);
    free(b);
    return ret;
}

/* The first principal axis of S by power iteration from v, the previous step's axis: S changes
 * only on its diagonal, and less each step, so a few products S v replace a full eigen
 * decomposition (which dominated the bootstrap).  -1 when it does not settle to 1e-15 in
 * POWER_MAX_STEPS or finds a negative eigenvalue (one larger in size than the first): the caller
 * then decomposes S fully. */
#define POWER_MAX_STEPS 500
/* tmp[i] = row i of S times v, eight rows at a time: each row's sum is the same chain of additions
 * in column order as one row at a time (the same bits), but eight chains overlap. */
static void mat_vec8(const gsl_matrix *S, const double *v, double *tmp)
{
    const size_t k = S->size1, t = S->tda;
    size_t i = 0;
    for (; i + 8 <= k; i += 8) {
        const double *r = S->data + i * t;
        double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0, a4 = 0.0, a5 = 0.0, a6 = 0.0, a7 = 0.0;
        for (size_t j = 0; j < k; j++) {
            const double x = v[j];
            a0 += r[j] * x;
            a1 += r[t + j] * x;
            a2 += r[2 * t + j] * x;
            a3 += r[3 * t + j] * x;
            a4 += r[4 * t + j] * x;
            a5 += r[5 * t + j] * x;
            a6 += r[6 * t + j] * x;
            a7 += r[7 * t + j] * x;
        }
        tmp[i] = a0;
        tmp[i + 1] = a1;
        tmp[i + 2] = a2;
        tmp[i + 3] = a3;
        tmp[i + 4] = a4;
        tmp[i + 5] = a5;
        tmp[i + 6] = a6;
        tmp[i + 7] = a7;
    }
    for (; i < k; i++) {
        double acc = 0.0;
        for (size_t j = 0; j < k; j++)
            acc += mget(S, i, j) * v[j];
        tmp[i] = acc;
    }
}

static int power_step(const gsl_matrix *S, double *v, double *e1, double *tmp)
{
    const size_t k = S->size1;
    for (int step = 0; step < POWER_MAX_STEPS; step++) {
        double norm = 0.0, dot = 0.0, moved = 0.0;
        mat_vec8(S, v, tmp);
        for (size_t i = 0; i < k; i++) {
            norm += tmp[i] * tmp[i];
            dot += tmp[i] * v[i];
        }
        if (!(dot > 0.0) || !(norm > 0.0))
            return -1;
        norm = sqrt(norm);
        for (size_t i = 0; i < k; i++) {
            const double x = tmp[i] / norm, dx = fabs(x - v[i]);
            moved = dx > moved ? dx : moved;     /* fmax without the libm call */
            v[i] = x;
        }
        if (moved < 1e-15) {
            *e1 = dot;    /* the Rayleigh quotient v'Sv of the settled unit vector */
            return 0;
        }
    }
    return -1;
}

/* The one-factor minres solution of R by iterated principal axes: communalities h start at the
 * smcs; each step puts h on the diagonal and takes the first principal axis, l = v1 sqrt(e1),
 * h = l^2, until no communality moves by 1e-15.  start: R's smcs when the caller has them, else NULL.  The fixed point is where the gradient of fa's
 * criterion (the off-diagonal squared residuals) vanishes, i.e. fa's optimum.  Returns STATS_OK,
 * STATS_UNDEFINED with *why, or STATS_NOMEM. */
static int minres_one_factor(const gsl_matrix *R, const double *start, const double *v0, double *l,
                             size_t *iterations, const char **why)
{
    const size_t k = R->size1;
    gsl_matrix *S = gsl_matrix_alloc(k, k), *vec = gsl_matrix_alloc(k, k);
    gsl_vector *val = gsl_vector_alloc(k);
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(k);
    double *h = malloc(k * sizeof *h), *v = malloc(k * sizeof *v), *tmp = malloc(k * sizeof *tmp);
    int ret = STATS_NOMEM, converged = 0;
    if (!S || !vec || !val || !w || !h || !v || !tmp)
        goto out;
    if (v0)
        memcpy(v, v0, k * sizeof *v);
    if (start)
        memcpy(h, start, k * sizeof *h);
    else if (smc(R, NULL, h) < 0) {
        ret = fail(why, STATS_UNDEFINED, "the correlation matrix has no eigen decomposition");
        goto out;
    }
    /* A communality above 1 cannot become a proper solution's (<= .995) without the iteration
     * turning back across the bound; it is taken as the Heywood case it almost always is, which
     * stops the slow divergence that used to run to the iteration limit (bootstrap resamples of
     * a few subjects hit it often).  tests/oracle/minres.R stops the same way. */
    /* An iteration whose largest step has not reached a new low for STATS_OMEGA_STALL steps is
     * cycling (two first axes nearly tied, say), not converging: stopped as "did not converge"
     * rather than run to the limit. */
    int heywood = 0, s_holds_r = 0;    /* S = R off its diagonal (symmv destroys it) */
    size_t it = 0, best_it = 0;
    double best = INFINITY;
    while (!converged && !heywood && it < STATS_OMEGA_MAX_ITER && it - best_it <= STATS_OMEGA_STALL) {
        it++;
        if (!s_holds_r)
            gsl_matrix_memcpy(S, R);
        s_holds_r = 1;
        for (size_t i = 0; i < k; i++)
            mset(S, i, i, h[i]);
        double e1;
        if ((it == 1 && !v0) || power_step(S, v, &e1, tmp) < 0) {
            s_holds_r = 0;
            if (gsl_eigen_symmv(S, val, vec, w) != GSL_SUCCESS ||
                gsl_eigen_symmv_sort(val, vec, GSL_EIGEN_SORT_VAL_DESC) != GSL_SUCCESS) {
                ret = fail(why, STATS_UNDEFINED, "eigen decomposition failed");
                goto out;
            }
            e1 = gsl_vector_get(val, 0);
            for (size_t i = 0; i < k; i++)
                v[i] = mget(vec, i, 0);
        }
        const double root = sqrt(fmax(e1, 0.0));
        double moved = 0.0;
        for (size_t i = 0; i < k; i++) {
            l[i] = v[i] * root;
            moved = fmax(moved, fabs(l[i] * l[i] - h[i]));
            h[i] = l[i] * l[i];
            heywood |= h[i] > 1.0;
        }
        converged = moved < 1e-15;
        if (moved < best) {
            best = moved;
            best_it = it;
        }
    }
    *iterations = it;
    double sum = 0.0;
    for (size_t i = 0; i < k; i++) {
        sum += l[i];
        heywood |= h[i] > 0.995;
    }
    for (size_t i = 0; sum < 0.0 && i < k; i++)   /* psych: if (sum(loadings) < 0) loadings <- -loadings */
        l[i] = -l[i];
    if (heywood)
        ret = fail(why, STATS_UNDEFINED, "Heywood case: a communality reached .995");
    else if (!converged)
        ret = fail(why, STATS_UNDEFINED, "the one-factor model did not converge");
    else
        ret = ok(why);
out:
    gsl_matrix_free(S);
    gsl_matrix_free(vec);
    gsl_vector_free(val);
    if (w)
        gsl_eigen_symmv_free(w);
    free(h);
    free(v);
    free(tmp);
    return ret;
}

/* psych::alpha's r.drop: (sum(C[, i]) - C[i, i]) / sqrt(C[i, i] * sum(C[-i, -i])). */
static void r_drop(const struct stats_itemcov *ic, double *out)
{
    const gsl_matrix *C = ic->C;
    long double total = 0.0L;
    for (size_t a = 0; a < ic->k; a++)
        for (size_t b = 0; b < ic->k; b++)
            total += mget(C, a, b);
    for (size_t i = 0; i < ic->k; i++) {
        long double col = 0.0L;
        for (size_t a = 0; a < ic->k; a++)
            col += mget(C, a, i);
        const double c_drop = (double)(col - mget(C, i, i));
        const double v_drop = (double)(total - 2.0L * col + mget(C, i, i));
        out[ic->keep[i]] = v_drop > 0.0 ? c_drop / sqrt(mget(C, i, i) * v_drop) : NAN;
    }
}

int stats_beyond_of_cov(const struct stats_itemcov *ic, const gsl_matrix *m, size_t K, int complete,
                        const double *warm, struct stats_beyond *b, const char **why)
{
    gsl_matrix *R = NULL, *Rp = NULL;
    double *l = NULL, *s = NULL, *v0 = NULL;
    int ret = fail(why, STATS_NOMEM, "out of memory");
    *b = (struct stats_beyond){ .lambda6 = NAN, .omega_total = NAN };
    b->k = ic->k;
    b->n_dropped = ic->n_dropped;
    b->dropped = malloc((ic->n_dropped ? ic->n_dropped : 1) * sizeof *b->dropped);
    b->loading = malloc(K * sizeof *b->loading);
    b->r_drop = malloc(K * sizeof *b->r_drop);
    l = malloc(ic->k * sizeof *l);
    s = malloc(ic->k * sizeof *s);
    if (!b->dropped || !b->loading || !b->r_drop || !l || !s || !(R = stats_cov2cor(ic->C)) ||
        !(Rp = gsl_matrix_alloc(ic->k, ic->k)))
        goto out;
    for (size_t i = 0; i < ic->n_dropped; i++)
        b->dropped[i] = ic->dropped[i];
    for (size_t j = 0; j < K; j++)
        b->loading[j] = b->r_drop[j] = NAN;
    r_drop(ic, b->r_drop);

    /* lambda 6 on cov2cor(C), as psych::alpha's alpha.1(C, R) */
    long double sum_r = 0.0L, sum_smc = 0.0L;
    for (size_t i = 0; i < ic->k; i++)
        for (size_t j = 0; j < ic->k; j++)
            sum_r += mget(R, i, j);
    int have_smc = smc(R, ic, s) == 0;
    int rc;
    if (!have_smc) {
        b->lambda6_why = "the correlation matrix has no eigen decomposition";
    } else if (sum_r <= 0.0L) {
        b->lambda6_why = "item correlations sum to <= 0";
    } else {
        for (size_t i = 0; i < ic->k; i++)
            sum_smc += s[i];
        b->lambda6 = 1.0 - ((double)ic->k - (double)sum_smc) / (double)sum_r;
    }

    /* omega on the pairwise correlations, as psych::fa.  Without a missing answer they are
     * cov2cor(C) (each pair's subjects are everyone), so R and its smcs serve again. */
    if (complete)
        gsl_matrix_memcpy(Rp, R);
    if (warm) {      /* the sample's loadings of the kept items, when it has them all */
        if (!(v0 = malloc(ic->k * sizeof *v0)))
            goto out;
        for (size_t i = 0; i < ic->k && v0; i++)
            if (isnan(v0[i] = warm[ic->keep[i]])) {
                free(v0);
                v0 = NULL;
            }
    }
    if (!complete && pairwise_cor(m, ic, Rp) < 0) {
        b->omega_why = "two items are constant over the subjects who answered both";
    } else {
        rc = minres_one_factor(Rp, complete && have_smc ? s : NULL, v0, l, &b->omega_iterations, &b->omega_why);
        if (rc == STATS_NOMEM)
            goto out;
        if (rc == STATS_OK) {
            long double sl = 0.0L, psi = 0.0L;
            for (size_t i = 0; i < ic->k; i++) {
                sl += l[i];
                psi += 1.0L - (long double)l[i] * l[i];
                b->loading[ic->keep[i]] = l[i];
            }
            b->omega_total = (double)(sl * sl / (sl * sl + psi));
        }
    }
    ret = ok(why);
out:
    gsl_matrix_free(R);
    gsl_matrix_free(Rp);
    free(l);
    free(s);
    free(v0);
    if (ret < 0)
        stats_beyond_free(b);
    return ret;
}

int stats_beyond_alpha(const gsl_matrix *m, struct stats_beyond *b, const char **why)
{
    struct stats_itemcov ic;
    int ret;
    *b = (struct stats_beyond){ .lambda6 = NAN, .omega_total = NAN };
    if (!m)
        return fail(why, STATS_EINVAL, "no data");
    if (m->size1 < 2)
        return fail(why, STATS_UNDEFINED, "fewer than 2 subjects");
    if ((ret = stats_itemcov_build(m, &ic, why)) < 0)
        return ret;
    int complete = 1;
    for (size_t i = 0; i < m->size1 && complete; i++)
        for (size_t j = 0; j < ic.k && complete; j++)
            complete = !isnan(mget(m, i, ic.keep[j]));
    ret = stats_beyond_of_cov(&ic, m, m->size2, complete, NULL, b, why);
    stats_itemcov_free(&ic);
    return ret;
}

void stats_beyond_free(struct stats_beyond *b)
{
    free(b->loading);
    free(b->r_drop);
    free(b->dropped);
    b->loading = b->r_drop = NULL;
    b->dropped = NULL;
}
