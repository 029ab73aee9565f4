/* metrics/structure_optim.c -- scoring steps with step halving; see structure_optim.h. */
#include "metrics/structure_optim.h"

#include <math.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>

/* Newton steps at most (see sopt_minimise): every fit of the lavaan-checked tests that converges takes
 * at most 8; the 12 failing BFI-44 fits of the bench's report (N = 46-48, 44 items) still had gradients
 * of 0.2-1.6 after 30, each step costing 2n gradients when the Hessian is taken by differences */
#define SOPT_NEWTON_STEPS 15
#define SOPT_STR_(x) #x
#define SOPT_STR(x) SOPT_STR_(x)

static double max_abs(const gsl_vector *v)
{
    double m = 0;
    for (size_t i = 0; i < v->size; i++)
        if (fabs(gsl_vector_get(v, i)) > m || isnan(gsl_vector_get(v, i)))
            m = isnan(gsl_vector_get(v, i)) ? INFINITY : fabs(gsl_vector_get(v, i));
    return m;
}

/* Solve H d = -g through a Cholesky factor; a ridge is added when H is not numerically positive
 * definite (far from the optimum the information can be near-singular). */
static int scoring_direction(gsl_matrix *h, const gsl_vector *g, gsl_vector *d, gsl_matrix *work)
{
    double ridge = 0;
    double scale = 0;
    for (size_t i = 0; i < h->size1; i++)
        scale = fmax(scale, fabs(gsl_matrix_get(h, i, i)));
    if (!(scale > 0) || !isfinite(scale))
        scale = 1;
    for (int attempt = 0; attempt < 12; attempt++) {
        gsl_matrix_memcpy(work, h);
        for (size_t i = 0; i < h->size1; i++)
            gsl_matrix_set(work, i, i, gsl_matrix_get(work, i, i) + ridge);
        if (gsl_linalg_cholesky_decomp1(work) == GSL_SUCCESS &&
            gsl_linalg_cholesky_solve(work, g, d) == GSL_SUCCESS) {
            gsl_vector_scale(d, -1.0);
            return 0;
        }
        ridge = ridge == 0 ? 1e-10 * scale : ridge * 10;
    }
    return -1;
}

/* The Hessian by central differences of the analytic gradient, symmetrised, for a problem without
 * an exact one (pb->hessian NULL).  Used once the scoring steps converge slowly (a model that fits
 * badly: the information is then a poor stand-in for the Hessian); -1 when a probe leaves the domain. */
static int fd_hessian(const struct sopt_problem *pb, const gsl_vector *x, gsl_matrix *h,
                      gsl_vector *xt, gsl_vector *gp, gsl_vector *gm)
{
    size_t n = pb->n;
    for (size_t k = 0; k < n; k++) {
        double step = 1e-5 * fmax(1.0, fabs(gsl_vector_get(x, k)));
        gsl_vector_memcpy(xt, x);
        gsl_vector_set(xt, k, gsl_vector_get(x, k) + step);
        if (pb->gradient(xt, pb->ctx, gp) < 0)
            return -1;
        gsl_vector_set(xt, k, gsl_vector_get(x, k) - step);
        if (pb->gradient(xt, pb->ctx, gm) < 0)
            return -1;
        for (size_t i = 0; i < n; i++)
            gsl_matrix_set(h, i, k, (gsl_vector_get(gp, i) - gsl_vector_get(gm, i)) / (2 * step));
    }
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < i; k++) {
            double v = 0.5 * (gsl_matrix_get(h, i, k) + gsl_matrix_get(h, k, i));
            gsl_matrix_set(h, i, k, v);
            gsl_matrix_set(h, k, i, v);
        }
    return 0;
}

int sopt_minimise(const struct sopt_problem *pb, gsl_vector *x, const struct sopt_options *opt,
                  struct sopt_result *res)
{
    size_t n = pb->n;
    int ret = -1;
    gsl_vector *g = gsl_vector_alloc(n), *d = gsl_vector_alloc(n), *xt = gsl_vector_alloc(n);
    gsl_vector *g2 = gsl_vector_alloc(n), *g3 = gsl_vector_alloc(n);
    gsl_matrix *h = gsl_matrix_alloc(n, n), *work = gsl_matrix_alloc(n, n);
    int newton = 0, slow = 0, newton_steps = 0;
    double prev_gmax = INFINITY;
    double f;
    int noise_steps = 0;

    res->converged = 0;
    res->iterations = 0;
    res->why = "iteration limit reached";
    if (!g || !d || !xt || !g2 || !g3 || !h || !work)
        goto out;
    if (pb->value(x, pb->ctx, &f) < 0 || !isfinite(f))
        goto out;
    res->f = f;
    for (int it = 0; it < opt->max_iter; it++) {
        if (pb->gradient(x, pb->ctx, g) < 0) {
            res->why = "the gradient could not be evaluated";
            break;
        }
        res->grad_max = max_abs(g);
        if (res->grad_max <= opt->grad_tol) {
            res->converged = 1;
            res->why = NULL;
            break;
        }
        /* three slow scoring steps in a row (the gradient falling by less than half): Newton */
        slow = res->grad_max > 0.5 * prev_gmax ? slow + 1 : 0;
        prev_gmax = res->grad_max;
        if (slow >= 3 && !newton && it >= 5)
            newton = 1;
        /* Newton converges in a few steps where it works at all; a fit still moving after
         * SOPT_NEWTON_STEPS of them is one that will not, and stopping there keeps a near-singular
         * model (N barely above the items) from costing minutes (each step 2n gradients when the
         * Hessian is taken by differences) */
        if (newton && ++newton_steps > SOPT_NEWTON_STEPS) {
            res->why = "no convergence after " SOPT_STR(SOPT_NEWTON_STEPS) " Newton steps";
            break;
        }
        int curv = !newton ? -1 : pb->hessian ? pb->hessian(x, pb->ctx, h) : fd_hessian(pb, x, h, xt, g2, g3);
        if (curv < 0)
            curv = pb->curvature(x, pb->ctx, h);
        if (curv < 0 || scoring_direction(h, g, d, work) < 0) {
            res->why = "the information matrix is singular";
            break;
        }
        double slope;
        gsl_blas_ddot(g, d, &slope);
        if (slope >= 0) {       /* not a descent direction: fall back to steepest descent */
            gsl_vector_memcpy(d, g);
            gsl_vector_scale(d, -1.0 / fmax(1.0, res->grad_max));
            gsl_blas_ddot(g, d, &slope);
        }
        double t = 1, ft = NAN;
        int moved = 0;
        /* Near the optimum the predicted decrease -g'd falls below what F can resolve in
         * doubles; the scoring step is then taken whole (H is positive definite, so it is a
         * descent direction) and only the gradient decides convergence. */
        if (-slope <= 1e-13 * (1 + fabs(f))) {
            for (int half = 0; !moved && half < 30; half++, t *= 0.5) {
                gsl_vector_memcpy(xt, x);
                gsl_blas_daxpy(t, d, xt);
                moved = pb->value(xt, pb->ctx, &ft) == 0 && isfinite(ft) &&
                        ft <= f + 1e-12 * (1 + fabs(f)) && pb->gradient(xt, pb->ctx, g2) == 0 &&
                        max_abs(g2) < res->grad_max;
            }
            if (!moved)
                t = 1;
            else if (++noise_steps > 50)
                moved = 0;
            if (!moved)
                goto stop;      /* at the rounding floor of F and of the gradient */
        }
        for (int half = 0; !moved && half < 60; half++, t *= 0.5) {
            gsl_vector_memcpy(xt, x);
            gsl_blas_daxpy(t, d, xt);
            if (pb->value(xt, pb->ctx, &ft) == 0 && isfinite(ft) && ft <= f + 1e-4 * t * slope) {
                moved = 1;
                break;
            }
        }
        res->iterations = it + 1;
    stop:
        if (!moved) {
            /* the objective cannot fall any more: the gradient is at its rounding floor */
            if (res->grad_max <= 100 * opt->grad_tol) {
                res->converged = 1;
                res->why = NULL;
            } else {
                res->why = "the line search made no progress";
            }
            break;
        }
        gsl_vector_memcpy(x, xt);
        f = ft;
        res->f = f;
    }
    ret = 0;
out:
    gsl_vector_free(g);
    gsl_vector_free(d);
    gsl_vector_free(xt);
    gsl_vector_free(g2);
    gsl_vector_free(g3);
    gsl_matrix_free(h);
    gsl_matrix_free(work);
    return ret;
}
