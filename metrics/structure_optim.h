/* metrics/structure_optim.h -- the optimiser contract behind the structure fits (issue 15).
 *
 * Minimises a smooth objective by scoring steps: x <- x - t H^-1 g with H a positive-definite
 * curvature (the Fisher information for ML fits, the exact Hessian where cheap) and t halved until the
 * objective falls (Armijo).  A value callback may refuse a point (returns -1: outside the domain, e.g.
 * a model-implied covariance that is not positive definite); the step is then halved as well.
 * Converged means max |g_i| <= grad_tol.  Pure; the caller owns x.  Tested in tests/test_structure_cfa.c.
 */
#ifndef PSYFAITH_STRUCTURE_OPTIM_H
#define PSYFAITH_STRUCTURE_OPTIM_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

struct sopt_problem {
    size_t n;
    int (*value)(const gsl_vector *x, void *ctx, double *f);          /* 0, or -1 outside domain */
    int (*gradient)(const gsl_vector *x, void *ctx, gsl_vector *g);   /* 0, or -1 */
    int (*curvature)(const gsl_vector *x, void *ctx, gsl_matrix *h);  /* 0, or -1; h is n x n */
    /* the exact Hessian for the Newton steps, 0 or -1; NULL: central differences of the gradient */
    int (*hessian)(const gsl_vector *x, void *ctx, gsl_matrix *h);
    void *ctx;
};

struct sopt_options {
    int max_iter;             /* e.g. 500 */
    double grad_tol;          /* e.g. 1e-10 */
};

struct sopt_result {
    int converged;
    int iterations;
    double f;                 /* the objective at the returned x */
    double grad_max;          /* max |g_i| there */
    const char *why;          /* when not converged: a static reason */
};

/* Minimise from x (updated in place).  Returns 0 (see res->converged), or -1 when the start point is
 * outside the domain or memory ran out. */
int sopt_minimise(const struct sopt_problem *pb, gsl_vector *x, const struct sopt_options *opt,
                  struct sopt_result *res);

#endif
