/* metrics/structure_cfa.c -- the CFA driver: start values, the fit, sign convention, standard
 * errors, admissibility (Heywood cases) and the likelihood-ratio test; see structure_cfa.h. */
#include "metrics/structure_cfa_int.h"
#include "metrics/structure_optim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>

/* Start values (they only decide whether and how fast the fit converges, not where): a loading
 * from the item's covariances with the other items of its dimension (the one-factor identity
 * s_ij = l_i l_j), signed by the covariance with the dimension's first item, residual variances
 * the rest of s_ii, factor correlations 0, intercepts the sample means. */
static void start_values(const struct cfa_model *md, gsl_vector *x)
{
    size_t p = md->p, m = md->m;
    const size_t *fac = md->spec->factor_of;
    for (size_t g = 0; g < md->ng; g++) {
        const gsl_matrix *s = md->spec->groups[g].cov;
        for (size_t i = 0; i < p; i++) {
            size_t first = p, cnt = 0;
            double sum = 0;
            for (size_t j = 0; j < p; j++) {
                if (fac[j] != fac[i])
                    continue;
                if (first == p)
                    first = j;
                if (j != i) {
                    sum += fabs(gsl_matrix_get(s, i, j));
                    cnt++;
                }
            }
            double sii = gsl_matrix_get(s, i, i);
            double l2 = cnt ? sum / (double)cnt : 0.5 * sii;
            l2 = fmin(fmax(l2, 0.05 * sii), 0.9 * sii);
            double sign = (i != first && gsl_matrix_get(s, i, first) < 0) ? -1 : 1;
            if (md->i_lam[g * p + i] >= 0)
                gsl_vector_set(x, (size_t)md->i_lam[g * p + i], sign * sqrt(l2));
            gsl_vector_set(x, (size_t)md->i_th[g * p + i], sii - l2);
            if (md->i_nu[g * p + i] >= 0 && (g == 0 || md->i_nu[g * p + i] != md->i_nu[i]))
                gsl_vector_set(x, (size_t)md->i_nu[g * p + i], md->spec->groups[g].mean[i]);
        }
        for (size_t f = 0; f < m; f++) {
            for (size_t h = 0; h < m; h++) {
                long k = md->i_phi[(g * m + f) * m + h];
                if (k >= 0)
                    gsl_vector_set(x, (size_t)k, f == h ? 1 : 0);
            }
            if (md->i_al[g * m + f] >= 0)
                gsl_vector_set(x, (size_t)md->i_al[g * m + f], 0);
        }
    }
}

/* Negate the parameters in idx[0..n) once each (a shared index may be listed twice). */
static void negate(gsl_vector *x, const long *idx, size_t n, char *done)
{
    memset(done, 0, x->size);
    for (size_t k = 0; k < n; k++)
        if (idx[k] >= 0 && !done[idx[k]]) {
            done[idx[k]] = 1;
            gsl_vector_set(x, (size_t)idx[k], -gsl_vector_get(x, (size_t)idx[k]));
        }
}

/* The likelihood does not change when a factor changes sign; lavaan's start values make the
 * first item's loading positive, so the same convention gives lavaan's solution.  With shared
 * loadings the sign is decided in group 1 and applied to every group. */
static int orient(const struct cfa_model *md, gsl_vector *x)
{
    size_t p = md->p, m = md->m, ng = md->ng;
    int shared = md->ng > 1 && md->spec->equal >= CFA_METRIC;
    long *idx = malloc((ng * (p + m + 1)) * sizeof *idx);
    char *done = malloc(x->size ? x->size : 1);
    if (!idx || !done) {
        free(idx);
        free(done);
        return -1;
    }
    for (size_t f = 0; f < m; f++) {
        size_t first = 0;
        while (first < p && md->spec->factor_of[first] != f)
            first++;
        if (first == p)
            continue;
        for (size_t g = 0; g < ng; g++) {
            if (shared && g > 0)
                break;
            if (cfa_model_get(x, md->i_lam[g * p + first], 0) >= 0)
                continue;
            size_t n = 0;
            for (size_t gg = shared ? 0 : g; gg < (shared ? ng : g + 1); gg++) {
                for (size_t i = 0; i < p; i++)
                    if (md->spec->factor_of[i] == f)
                        idx[n++] = md->i_lam[gg * p + i];
                for (size_t h = 0; h < m; h++)
                    if (h != f)
                        idx[n++] = md->i_phi[(gg * m + f) * m + h];
                idx[n++] = md->i_al[gg * m + f];
            }
            negate(x, idx, n, done);
        }
    }
    free(idx);
    free(done);
    return 0;
}

static void copy_out(const struct cfa_model *md, const gsl_vector *v, double fixed_ok, struct cfa_fit *fit,
                     double *lam, double *th, double *phi, double *nu, double *al)
{
    size_t p = md->p, m = md->m;
    for (size_t k = 0; k < md->ng * p; k++) {
        lam[k] = cfa_model_get(v, md->i_lam[k], 0);
        th[k] = cfa_model_get(v, md->i_th[k], 0);
        nu[k] = md->ms ? cfa_model_get(v, md->i_nu[k], 0) : NAN;
    }
    for (size_t k = 0; k < md->ng * m * m; k++) {
        size_t f = (k / m) % m, h = k % m;
        phi[k] = cfa_model_get(v, md->i_phi[k], fixed_ok * (f == h));
    }
    for (size_t k = 0; k < md->ng * m; k++)
        al[k] = md->ms ? cfa_model_get(v, md->i_al[k], 0) : NAN;
    (void)fit;
}

/* Heywood cases and improper solutions, as lavaan's post-check: negative residual variances, a
 * factor covariance matrix that is not positive definite (which covers |r| > 1). */
static void check_admissible(const struct cfa_model *md, struct cfa_fit *fit)
{
    size_t p = md->p, m = md->m;
    fit->admissible = 1;
    fit->bad_item = fit->bad_f1 = fit->bad_f2 = -1;
    fit->bad_group = 0;
    for (size_t k = 0; k < md->ng * p; k++)
        if (fit->theta[k] < 0) {
            snprintf(fit->note, sizeof fit->note,
                     "Heywood case: negative residual variance of item %zu%s", k % p + 1,
                     md->ng > 1 ? " in a group" : "");
            fit->admissible = 0;
            fit->bad_item = (long)(k % p);
            fit->bad_group = (long)(k / p);
            return;
        }
    gsl_matrix *phi = gsl_matrix_alloc(m, m);
    if (!phi) {
        fit->admissible = 0;
        snprintf(fit->note, sizeof fit->note, "out of memory");
        return;
    }
    for (size_t g = 0; g < md->ng && fit->admissible; g++) {
        for (size_t f = 0; f < m; f++)
            for (size_t h = 0; h < m; h++)
                gsl_matrix_set(phi, f, h, fit->phi[(g * m + f) * m + h]);
        for (size_t f = 0; f < m && fit->admissible; f++)
            for (size_t h = 0; h < f; h++) {
                double r = fit->phi[(g * m + f) * m + h] /
                           sqrt(fit->phi[(g * m + f) * m + f] * fit->phi[(g * m + h) * m + h]);
                if (!(fabs(r) <= 1)) {
                    snprintf(fit->note, sizeof fit->note,
                             "Heywood case: factors %zu and %zu correlate %.3f (|r| > 1)", h + 1, f + 1, r);
                    fit->admissible = 0;
                    fit->bad_f1 = (long)h;
                    fit->bad_f2 = (long)f;
                    fit->bad_group = (long)g;
                    break;
                }
            }
        if (fit->admissible && gsl_linalg_cholesky_decomp1(phi) != GSL_SUCCESS) {
            snprintf(fit->note, sizeof fit->note,
                     "improper solution: the factor covariance matrix is not positive definite");
            fit->admissible = 0;
        }
    }
    gsl_matrix_free(phi);
}

void cfa_fit_free(struct cfa_fit *fit)
{
    if (!fit)
        return;
    free(fit->lambda);  /* one block holds every estimate and standard error */
    free(fit);
}

static int check_spec(const struct cfa_spec *spec, const char **why)
{
    if (!spec || spec->p < 2 || spec->m < 1 || !spec->factor_of || spec->ngroups < 1 || !spec->groups) {
        *why = "a CFA needs at least 2 items, 1 factor and 1 group";
        return -1;
    }
    for (size_t i = 0; i < spec->p; i++)
        if (spec->factor_of[i] >= spec->m) {
            *why = "an item's factor is out of range";
            return -1;
        }
    for (size_t g = 0; g < spec->ngroups; g++) {
        const struct cfa_group *gr = &spec->groups[g];
        if (!gr->cov || gr->cov->size1 != spec->p || gr->cov->size2 != spec->p || gr->n < 2 ||
            (spec->ngroups > 1 && !gr->mean)) {
            *why = "a group's covariance matrix, means or size do not fit the model";
            return -1;
        }
    }
    return 0;
}

int cfa_fit(const struct cfa_spec *spec, struct cfa_fit **out, const char **why)
{
    struct cfa_model md;
    struct cfa_fit *fit = NULL;
    gsl_vector *x = NULL;
    gsl_matrix *info = NULL;
    int ret = -1;

    *out = NULL;
    if (check_spec(spec, why) < 0)
        return -1;
    if (cfa_model_init(&md, spec, why) < 0)
        return -1;
    size_t p = md.p, m = md.m, ng = md.ng, q = md.q;
    fit = calloc(1, sizeof *fit);
    x = gsl_vector_alloc(q);
    info = gsl_matrix_alloc(q, q);
    double *block = calloc(2 * ng * (3 * p + m * m + m), sizeof(double));
    if (!fit || !x || !info || !block) {
        free(block);
        *why = "out of memory";
        goto out;
    }
    fit->p = p;
    fit->m = m;
    fit->ngroups = ng;
    fit->npar = q;
    fit->ntotal = (size_t)md.ntotal;
    fit->bad_item = fit->bad_f1 = fit->bad_f2 = -1;
    fit->meanstructure = md.ms;
    double *b = block;
    fit->lambda = b; b += ng * p;
    fit->theta = b; b += ng * p;
    fit->nu = b; b += ng * p;
    fit->phi = b; b += ng * m * m;
    fit->alpha = b; b += ng * m;
    fit->se_lambda = b; b += ng * p;
    fit->se_theta = b; b += ng * p;
    fit->se_nu = b; b += ng * p;
    fit->se_phi = b; b += ng * m * m;
    fit->se_alpha = b;

    start_values(&md, x);
    struct sopt_problem pb = { .n = q, .value = cfa_model_value, .gradient = cfa_model_gradient,
                               .curvature = cfa_model_curvature, .hessian = cfa_model_hessian, .ctx = &md };
    struct sopt_options opt = { 1000, 1e-10 };
    struct sopt_result res;
    if (sopt_minimise(&pb, x, &opt, &res) < 0) {
        *why = "the start values give a covariance matrix that is not positive definite";
        goto out;
    }
    fit->converged = res.converged;
    fit->iterations = res.iterations;
    if (!res.converged)
        snprintf(fit->note, sizeof fit->note, "did not converge: %s after %d iterations", res.why,
                 res.iterations);
    if (orient(&md, x) < 0 || cfa_model_update(&md, x) < 0) {
        *why = "out of memory";
        goto out;
    }
    copy_out(&md, x, 1, fit, fit->lambda, fit->theta, fit->phi, fit->nu, fit->alpha);
    if (fit->converged)
        check_admissible(&md, fit);

    /* standard errors: the inverse of the total expected information, sum_g N_g I_g */
    gsl_vector *se = gsl_vector_calloc(q);
    if (!se) {
        *why = "out of memory";
        goto out;
    }
    if (cfa_model_information(&md, x, info) == 0) {
        gsl_matrix_scale(info, md.ntotal);
        if (gsl_linalg_cholesky_decomp1(info) == GSL_SUCCESS && gsl_linalg_cholesky_invert(info) == GSL_SUCCESS) {
            for (size_t k = 0; k < q; k++)
                gsl_vector_set(se, k, sqrt(gsl_matrix_get(info, k, k)));
        } else {
            for (size_t k = 0; k < q; k++)
                gsl_vector_set(se, k, NAN);
            if (fit->admissible) {
                fit->admissible = 0;
                snprintf(fit->note, sizeof fit->note,
                         "the information matrix is singular: the model is not identified");
            }
        }
    }
    copy_out(&md, se, 0, fit, fit->se_lambda, fit->se_theta, fit->se_phi, fit->se_nu, fit->se_alpha);
    gsl_vector_free(se);
    cfa_fit_measures(&md, x, fit);
    *out = fit;
    fit = NULL;
    ret = 0;
out:
    cfa_fit_free(fit);
    gsl_vector_free(x);
    gsl_matrix_free(info);
    cfa_model_free(&md);
    return ret;
}

int cfa_lrt(const struct cfa_fit *free_fit, const struct cfa_fit *restricted, struct cfa_lrt *out)
{
    out->dchisq = restricted->chisq - free_fit->chisq;
    out->ddf = restricted->df - free_fit->df;
    out->dcfi = restricted->cfi - free_fit->cfi;
    if (!(out->ddf > 0)) {
        out->pvalue = NAN;
        return -1;
    }
    out->pvalue = out->dchisq > 0 ? gsl_cdf_chisq_Q(out->dchisq, out->ddf) : 1.0;
    return 0;
}
