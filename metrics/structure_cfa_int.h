/* metrics/structure_cfa_int.h -- internals shared by metrics/structure_cfa*.c; see structure_cfa.h. */
#ifndef PSYFAITH_STRUCTURE_CFA_INT_H
#define PSYFAITH_STRUCTURE_CFA_INT_H

#include "metrics/structure_cfa.h"
#include <gsl/gsl_vector.h>

/* The parameter layout: for every model matrix entry of every group, the index of its free
 * parameter in x, or -1 when it is fixed (fixed values: phi diagonal 1, alpha 0).  Equality
 * constraints across groups are shared indices.  Shapes as in struct cfa_fit. */
struct cfa_model {
    const struct cfa_spec *spec;
    size_t p, m, ng, q;
    int ms;                        /* meanstructure */
    double ntotal;
    long *i_lam, *i_th, *i_phi, *i_nu, *i_al;
    /* per group, valid for the x in `at` after cfa_model_update() */
    gsl_matrix **sigma, **w;       /* implied covariance and its inverse */
    gsl_vector **mu;               /* implied means (ms only) */
    double *logdet_s, *logdet_sigma, *fg;
    gsl_matrix *lam, *lamphi, *phi, *tmp;      /* p x m, p x m, m x m, p x p work */
    gsl_vector *at;                /* the x the caches hold; NULL before the first update */
    int at_ok;
};

int cfa_model_init(struct cfa_model *md, const struct cfa_spec *spec, const char **why);
void cfa_model_free(struct cfa_model *md);
/* Fill lam (p x m) and phi (m x m) of group g from x. */
void cfa_model_matrices(const struct cfa_model *md, const gsl_vector *x, size_t g,
                        gsl_matrix *lam, gsl_matrix *phi);
double cfa_model_get(const gsl_vector *x, long idx, double fixed);
/* Sigma, its inverse, mu and F per group at x; -1 when a Sigma is not positive definite. */
int cfa_model_update(struct cfa_model *md, const gsl_vector *x);
/* The sopt_problem callbacks (ctx = struct cfa_model *). */
int cfa_model_value(const gsl_vector *x, void *ctx, double *f);
int cfa_model_gradient(const gsl_vector *x, void *ctx, gsl_vector *g);
int cfa_model_curvature(const gsl_vector *x, void *ctx, gsl_matrix *h);
/* The expected information per respondent, sum_g N_g/N I_g (q x q). */
int cfa_model_information(struct cfa_model *md, const gsl_vector *x, gsl_matrix *info);
/* How group g's free parameters move its moments at x: dSigma/dx_k = c[k] (a_k b_k' + b_k a_k') with
 * a_k, b_k the columns k of a and b (p x q), dmu/dx_k column k of dm (p x q; zero without a mean
 * structure).  Sets md->lam, phi and lamphi to group g's. */
void cfa_model_directions(struct cfa_model *md, const gsl_vector *x, size_t g, gsl_matrix *a, gsl_matrix *b,
                          gsl_matrix *dm, double *c);
/* The exact Hessian of F at x (q x q; structure_cfa_hessian.c): the sopt_problem hessian callback. */
int cfa_model_hessian(const gsl_vector *x, void *ctx, gsl_matrix *h);

/* Fit measures of a converged fit (structure_cfa_index.c). */
void cfa_fit_measures(struct cfa_model *md, const gsl_vector *x, struct cfa_fit *fit);

#endif
