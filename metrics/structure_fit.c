/* metrics/structure_fit.c -- the correlations and the factor extraction of psyfaith structure's EFA
 * (structure_int.h): psych::fa's minres and ML criteria, minimised over the uniquenesses Psi with
 * GSL's BFGS to convergence.
 *
 * Differs: psych::fa stops R's L-BFGS-B at its default factr (1e7), about 1e-5 short of the optimum
 * in Psi on the IPIP-50 human fixture; psyfaith solves to a gradient of 1e-10, and
 * tests/oracle/structure_efa.R polishes psych's own solution with the same criterion and gradient
 * (optim, factr = 1) before storing the reference values, and records how far psych's stop was. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>

#include "metrics/stats.h"
#include "metrics/structure_int.h"

static int fail(const char **why, int code, const char *reason)
{
    if (why)
        *why = reason;
    return code;
}

int efa_pearson(const double *x, size_t n, size_t p, double *R, const char **why)
{
    double *t = malloc((n * p + 1) * sizeof *t);
    if (!t)
        return fail(why, STATS_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)          /* columns contiguous: one pass per pair */
        for (size_t j = 0; j < p; j++)
            t[j * n + i] = x[i * p + j];
    int ret = STATS_OK;
    for (size_t a = 0; a < p && ret == STATS_OK; a++) {
        R[a * p + a] = 1.0;
        for (size_t b = 0; b < a; b++) {
            double r;
            if (stats_pearson(t + a * n, t + b * n, n, &r, NULL) != STATS_OK) {
                ret = fail(why, STATS_UNDEFINED, "a pair of items has no correlation (constant or < 2 answers)");
                break;
            }
            R[a * p + b] = R[b * p + a] = r;
        }
    }
    free(t);
    return ret;
}

int efa_smc(const double *R, size_t p, double *smc)
{
    gsl_matrix *A = gsl_matrix_alloc(p, p);
    if (!A)
        return STATS_NOMEM;
    memcpy(A->data, R, p * p * sizeof *R);
    /* only the start of the optimisation: a singular R (no Cholesky) starts from Psi = .5 */
    int chol = gsl_linalg_cholesky_decomp1(A) == GSL_SUCCESS && gsl_linalg_cholesky_invert(A) == GSL_SUCCESS;
    for (size_t i = 0; i < p; i++) {
        double s = chol ? 1.0 - 1.0 / gsl_matrix_get(A, i, i) : 0.5;
        smc[i] = isnan(s) || s < 0 ? 0.0 : s > 1 ? 1.0 : s;
    }
    gsl_matrix_free(A);
    return STATS_OK;
}

/* The state of one extraction: R, k, the method and the eigen workspace. */
struct efa_problem {
    const double *R;
    size_t p, k;
    enum efa_method method;
    gsl_matrix *S, *V;
    gsl_vector *e;
    gsl_eigen_symmv_workspace *w;
    gsl_eigen_symm_workspace *wv;   /* eigenvalues only: the criterion without its gradient */
    double *psi;                    /* p: Psi at the current point */
    int failed;                     /* an eigen decomposition failed or ML met a non-positive root */
};

static int desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Eigen decomposition of S (overwritten), values descending, vectors only when asked for; -1 on
 * failure.  Half of BFGS's evaluations want the criterion alone, which needs only the values:
 * GSL's symm computes them with the same reduction and QR steps as symmv, without accumulating the
 * vectors (a third of the time at 120 items), and the values are the same bits, so the path of the
 * optimisation is unchanged. */
static int eigen_desc(struct efa_problem *P, int vectors)
{
    if (!vectors) {
        if (gsl_eigen_symm(P->S, P->e, P->wv) != GSL_SUCCESS)
            return -1;
        qsort(P->e->data, P->e->size, sizeof(double), desc);
        return 0;
    }
    if (gsl_eigen_symmv(P->S, P->e, P->V, P->w) != GSL_SUCCESS ||
        gsl_eigen_symmv_sort(P->e, P->V, GSL_EIGEN_SORT_VAL_DESC) != GSL_SUCCESS)
        return -1;
    return 0;
}

/* The criterion at Psi (minres: the sum of squared residuals of R - Psi - LL', i.e. twice psych's
 * off-diagonal sum at a stationary point; ml: psych's FAfn) and, when g is not NULL, its gradient
 * (minres: -2 diag(R - Psi - LL'), psych's FAgr.minres up to the factor; ml: FAgr).  L (p x k, may
 * be NULL) receives the loadings (psych's FAout.wls / FAout).  Psi is given directly (minres) or
 * as log Psi (ml: keeps it positive; the gradient is then d/d log Psi). */
static double criterion(struct efa_problem *P, const double *par, double *g, double *L)
{
    const size_t p = P->p, k = P->k;
    double *psi = P->psi;
    for (size_t i = 0; i < p; i++)
        psi[i] = P->method == EFA_ML ? exp(par[i]) : par[i];
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) {
            double v = P->R[i * p + j];
            if (P->method == EFA_ML)
                v /= sqrt(psi[i] * psi[j]);
            else if (i == j)
                v -= psi[i];
            gsl_matrix_set(P->S, i, j, v);
        }
    if (eigen_desc(P, g || L) < 0) {
        P->failed = 1;
        return GSL_NAN;
    }
    double f = 0.0;
    const double *e = P->e->data;
    if (P->method == EFA_ML) {
        for (size_t j = k; j < p; j++) {
            if (!(e[j] > 0)) {
                P->failed = 1;
                return GSL_NAN;
            }
            f += log(e[j]) - e[j];
        }
        f = -(f - (double)k + (double)p);
    } else {
        for (size_t j = 0; j < p; j++)
            if (j >= k || e[j] < 0)
                f += e[j] * e[j];
    }
    for (size_t i = 0; (g || L) && i < p; i++) {
        double h = 0.0;
        for (size_t j = 0; j < k; j++) {
            double root = P->method == EFA_ML ? sqrt(fmax(e[j] - 1.0, 0.0)) * sqrt(psi[i]) : sqrt(fmax(e[j], 0.0));
            double l = gsl_matrix_get(P->V, i, j) * root;
            if (L)
                L[i * k + j] = l;
            h += l * l;
        }
        if (g)      /* diag(LL' + Psi - R) */
            g[i] = P->method == EFA_ML ? (h + psi[i] - P->R[i * p + i]) / (psi[i] * psi[i]) * psi[i]
                                       : -2.0 * (P->R[i * p + i] - psi[i] - h);
    }
    return f;
}

static double mm_f(const gsl_vector *x, void *params)
{
    return criterion(params, x->data, NULL, NULL);
}

static void mm_df(const gsl_vector *x, void *params, gsl_vector *g)
{
    criterion(params, x->data, g->data, NULL);
}

static void mm_fdf(const gsl_vector *x, void *params, double *f, gsl_vector *g)
{
    *f = criterion(params, x->data, g->data, NULL);
}

#define EFA_MAX_ITER 5000
#define EFA_GRAD_TOL 1e-10
#define EFA_POLISH_STEPS 500

int efa_extract(const double *R, size_t p, size_t k, enum efa_method method, double *L, double *psi,
                size_t *iterations, const char **why)
{
    struct efa_problem P = { R, p, k, method, gsl_matrix_alloc(p, p), gsl_matrix_alloc(p, p), gsl_vector_alloc(p),
                             gsl_eigen_symmv_alloc(p), gsl_eigen_symm_alloc(p), malloc(p * sizeof(double)), 0 };
    gsl_vector *x = gsl_vector_alloc(p);
    gsl_multimin_fdfminimizer *mm = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, p);
    double *smc = malloc(p * sizeof *smc);
    int ret = STATS_NOMEM, status = GSL_CONTINUE;
    size_t it = 0;
    if (!P.S || !P.V || !P.e || !P.w || !P.wv || !P.psi || !x || !mm || !smc)
        goto out;
    if (k < 1 || k >= p) {
        ret = fail(why, STATS_UNDEFINED, "factors must be fewer than the items");
        goto out;
    }
    efa_smc(R, p, smc);
    for (size_t i = 0; i < p; i++) {
        double s = fmin(fmax(R[i * p + i] - smc[i], 0.005), 1.0);   /* psych: start diag(S) - smc, in bounds */
        gsl_vector_set(x, i, method == EFA_ML ? log(s) : s);
    }
    gsl_multimin_function_fdf fn = { mm_f, mm_df, mm_fdf, p, &P };
    if (gsl_multimin_fdfminimizer_set(mm, &fn, x, 0.01, 0.1) != GSL_SUCCESS || P.failed) {
        ret = fail(why, STATS_UNDEFINED, "the factor criterion is not defined at the start (R not positive definite?)");
        goto out;
    }
    while (status == GSL_CONTINUE && it < EFA_MAX_ITER) {
        it++;
        int s = gsl_multimin_fdfminimizer_iterate(mm);
        status = gsl_multimin_test_gradient(mm->gradient, EFA_GRAD_TOL);
        if (s != GSL_SUCCESS && status != GSL_SUCCESS)
            break;      /* no progress possible (GSL_ENOPROG): judged by the gradient below */
    }
    /* BFGS's last steps drown in the rounding of the criterion near 1e-7; the fixed point of both
     * criteria, Psi = diag(R - LL'), finishes the job (as tests/oracle/structure_efa.R does) */
    double *par = mm->x->data, worst = INFINITY;
    for (size_t step = 0; !P.failed && step < EFA_POLISH_STEPS; step++, it++) {
        criterion(&P, par, NULL, L);
        worst = 0.0;
        for (size_t i = 0; i < p; i++) {
            double h = 0.0, ps = method == EFA_ML ? exp(par[i]) : par[i];
            for (size_t j = 0; j < k; j++)
                h += L[i * k + j] * L[i * k + j];
            double g = h + ps - R[i * p + i];
            worst = fmax(worst, fabs(g));
            psi[i] = ps - g;
        }
        if (worst < 1e-11)
            break;
        for (size_t i = 0; i < p; i++) {
            if (!(psi[i] > 0)) {
                P.failed = 1;
                break;
            }
            par[i] = method == EFA_ML ? log(psi[i]) : psi[i];
        }
    }
    if (iterations)
        *iterations = it;
    if (P.failed || !(worst < 1e-9)) {
        ret = fail(why, STATS_UNDEFINED, "the factor extraction did not converge");
        goto out;
    }
    for (size_t i = 0; i < p; i++)
        psi[i] = method == EFA_ML ? exp(par[i]) : par[i];
    criterion(&P, par, NULL, L);
    for (size_t i = 0; i < p; i++)
        if (psi[i] < 0.005) {
            ret = fail(why, STATS_UNDEFINED, "Heywood case: a uniqueness fell below .005");
            goto out;
        }
    for (size_t j = 0; j < k; j++) {        /* psych: sign(colSums(loadings)), 0 counts as + */
        double s = 0.0;
        for (size_t i = 0; i < p; i++)
            s += L[i * k + j];
        for (size_t i = 0; s < 0 && i < p; i++)
            L[i * k + j] = -L[i * k + j];
    }
    ret = STATS_OK;
out:
    gsl_matrix_free(P.S);
    gsl_matrix_free(P.V);
    gsl_vector_free(P.e);
    if (P.w)
        gsl_eigen_symmv_free(P.w);
    if (P.wv)
        gsl_eigen_symm_free(P.wv);
    gsl_vector_free(x);
    if (mm)
        gsl_multimin_fdfminimizer_free(mm);
    free(smc);
    free(P.psi);
    return ret;
}
