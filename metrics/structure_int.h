/* metrics/structure_int.h -- the pure numerics of psyfaith structure's EFA, shared by
 * metrics/structure_*.c and tests/test_structure.c.  Matrices are row-major double arrays; nothing
 * here prints or touches the store.  Each returns STATS_OK (0) or a negative STATS_* code
 * (metrics/stats.h) with a static reason in *why. */
#ifndef PSYFAITH_STRUCTURE_INT_H
#define PSYFAITH_STRUCTURE_INT_H

#include <stddef.h>

#include "metrics/structure.h"

/* structure_fit.c -------------------------------------------------------------------------- */
/* R = cor(x, use = "pairwise") of the n x p matrix x (NAN = missing); undefined when a pair has
 * fewer than 2 common answers or is constant over them. */
int efa_pearson(const double *x, size_t n, size_t p, double *R, const char **why);
/* psych::smc(R) (1 - 1/diag(R^-1), clamped to [0, 1]; psych's Pinv when R is singular). */
int efa_smc(const double *R, size_t p, double *smc);
/* The k-factor extraction of psych::fa(r, k, fm, rotate = "none") solved to convergence: minres
 * (the uniquenesses Psi minimising the off-diagonal residuals) or ml (Psi minimising the ML
 * discrepancy), from psych's start 1 - smc; L (p x k) with psych's column signs (colSums >= 0),
 * psi (p) the uniquenesses Psi.  Undefined (a Heywood case) when a Psi falls below psych's
 * lower bound .005, or when the optimiser does not converge.  *iterations (may be NULL). */
int efa_extract(const double *R, size_t p, size_t k, enum efa_method method, double *L, double *psi,
                size_t *iterations, const char **why);

/* structure_rotate.c ----------------------------------------------------------------------- */
/* stats::varimax(L) (normalize = TRUE, eps = 1e-5), its iterations and stopping rule, in place. */
int efa_varimax(double *L, size_t p, size_t k, const char **why);
/* GPArotation::oblimin(L) (gam = 0, normalize = FALSE, eps = 1e-5, maxit = 1000: GPFoblq), in place;
 * phi (k x k) = t(Th) %*% Th.  Undefined when GPFoblq does not converge in maxit. */
int efa_oblimin(double *L, size_t p, size_t k, double *phi, const char **why);
/* psych::fa after the rotation: columns signed so that colSums >= 0 (phi with them), then ordered by
 * decreasing diag(Phi t(L) L) (colSums(L^2) when phi is NULL). */
void efa_sign_order(double *L, size_t p, size_t k, double *phi);
/* Tucker's congruence sum(a b) / sqrt(sum(a^2) sum(b^2)) (psych::factor.congruence); NAN when a
 * vector is all zero. */
double efa_congruence(const double *a, size_t stride_a, const double *b, size_t stride_b, size_t n);

/* structure_poly.c ------------------------------------------------------------------------- */
/* P(X < h, Y < k) of the standard bivariate normal with correlation r (Genz's BVND, Drezner &
 * Wesolowsky with Gauss-Legendre points; absolute error below 1e-15); h, k may be +-INFINITY. */
double bvn_cdf(double h, double k, double r);
/* polycor::polychor(x, y, ML = FALSE) over the pairs where neither is NAN: options 1..K; the
 * table's empty rows and columns dropped, thresholds qnorm of the cumulative marginals, rho from
 * R's optimise() (Brent's fmin, tol = .Machine$double.eps^0.25) over [-.9999, .9999].  Undefined
 * when the table has fewer than 2 rows or columns. */
int poly_rho(const double *x, size_t sx, const double *y, size_t sy, size_t n, int K, double *rho,
             const char **why);
/* The polychoric correlation matrix of the n x p matrix x (options 1..K). */
int efa_polychoric(const double *x, size_t n, size_t p, int K, double *R, const char **why);
#endif
