/* metrics/structure_cfa_model.c -- the CFA model: parameter layout, implied moments, the ML
 * discrepancy, its analytic gradient and the expected information (see structure_cfa.h). */
#include "metrics/structure_cfa_int.h"
#include "metrics/structure_gemm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>

double cfa_model_get(const gsl_vector *x, long idx, double fixed)
{
    return idx < 0 ? fixed : gsl_vector_get(x, (size_t)idx);
}

/* lavaan's parameter sets: per group loadings, residual variances, factor correlations (the
 * variances fixed to 1) and, with a mean structure, intercepts; metric shares the loadings and
 * frees the factor variances of groups 2..G; scalar also shares the intercepts and frees the
 * latent means of groups 2..G. */
static void layout(struct cfa_model *md)
{
    size_t p = md->p, m = md->m, ng = md->ng;
    enum cfa_equal eq = ng > 1 ? md->spec->equal : CFA_CONFIGURAL;
    long q = 0;
    for (size_t g = 0; g < ng; g++) {
        for (size_t i = 0; i < p; i++)
            md->i_lam[g * p + i] = (eq >= CFA_METRIC && g > 0) ? md->i_lam[i] : q++;
        for (size_t i = 0; i < p; i++)
            md->i_th[g * p + i] = q++;
        for (size_t f = 0; f < m; f++)
            for (size_t h = 0; h < m; h++)
                md->i_phi[(g * m + f) * m + h] = -1;
        for (size_t f = 0; f < m; f++) {
            for (size_t h = 0; h < f; h++) {
                md->i_phi[(g * m + f) * m + h] = q;
                md->i_phi[(g * m + h) * m + f] = q++;
            }
        }
        if (eq >= CFA_METRIC && g > 0)
            for (size_t f = 0; f < m; f++)
                md->i_phi[(g * m + f) * m + f] = q++;
        for (size_t i = 0; i < p; i++)
            md->i_nu[g * p + i] = !md->ms ? -1 : (eq >= CFA_SCALAR && g > 0) ? md->i_nu[i] : q++;
        for (size_t f = 0; f < m; f++)
            md->i_al[g * m + f] = (md->ms && eq >= CFA_SCALAR && g > 0) ? q++ : -1;
    }
    md->q = (size_t)q;
}

int cfa_model_init(struct cfa_model *md, const struct cfa_spec *spec, const char **why)
{
    size_t p = spec->p, m = spec->m, ng = spec->ngroups;
    memset(md, 0, sizeof *md);
    md->spec = spec;
    md->p = p;
    md->m = m;
    md->ng = ng;
    md->ms = ng > 1;
    for (size_t g = 0; g < ng; g++)
        md->ntotal += (double)spec->groups[g].n;
    md->i_lam = malloc(ng * p * sizeof *md->i_lam);
    md->i_th = malloc(ng * p * sizeof *md->i_th);
    md->i_nu = malloc(ng * p * sizeof *md->i_nu);
    md->i_phi = malloc(ng * m * m * sizeof *md->i_phi);
    md->i_al = malloc(ng * m * sizeof *md->i_al);
    md->sigma = calloc(ng, sizeof *md->sigma);
    md->w = calloc(ng, sizeof *md->w);
    md->mu = calloc(ng, sizeof *md->mu);
    md->logdet_s = calloc(ng, sizeof(double));
    md->logdet_sigma = calloc(ng, sizeof(double));
    md->fg = calloc(ng, sizeof(double));
    md->lam = gsl_matrix_alloc(p, m);
    md->lamphi = gsl_matrix_alloc(p, m);
    md->phi = gsl_matrix_alloc(m, m);
    md->tmp = gsl_matrix_alloc(p, p);
    if (!md->i_lam || !md->i_th || !md->i_nu || !md->i_phi || !md->i_al || !md->sigma || !md->w ||
        !md->mu || !md->logdet_s || !md->logdet_sigma || !md->fg || !md->lam || !md->lamphi ||
        !md->phi || !md->tmp)
        goto nomem;
    for (size_t g = 0; g < ng; g++) {
        md->sigma[g] = gsl_matrix_alloc(p, p);
        md->w[g] = gsl_matrix_alloc(p, p);
        md->mu[g] = gsl_vector_alloc(p);
        if (!md->sigma[g] || !md->w[g] || !md->mu[g])
            goto nomem;
        /* log|S|: S must be positive definite for the ML discrepancy to exist */
        gsl_matrix_memcpy(md->tmp, spec->groups[g].cov);
        if (gsl_linalg_cholesky_decomp1(md->tmp) != GSL_SUCCESS) {
            *why = "the sample covariance matrix is not positive definite "
                   "(an item without variance, or fewer respondents than items)";
            cfa_model_free(md);
            return -1;
        }
        double ld = 0;
        for (size_t i = 0; i < p; i++)
            ld += 2 * log(gsl_matrix_get(md->tmp, i, i));
        md->logdet_s[g] = ld;
    }
    layout(md);
    return 0;
nomem:
    *why = "out of memory";
    cfa_model_free(md);
    return -1;
}

void cfa_model_free(struct cfa_model *md)
{
    for (size_t g = 0; md->sigma && g < md->ng; g++) {
        gsl_matrix_free(md->sigma[g]);
        gsl_matrix_free(md->w ? md->w[g] : NULL);
        gsl_vector_free(md->mu ? md->mu[g] : NULL);
    }
    free(md->i_lam);
    free(md->i_th);
    free(md->i_nu);
    free(md->i_phi);
    free(md->i_al);
    free(md->sigma);
    free(md->w);
    free(md->mu);
    free(md->logdet_s);
    free(md->logdet_sigma);
    free(md->fg);
    gsl_matrix_free(md->lam);
    gsl_matrix_free(md->lamphi);
    gsl_matrix_free(md->phi);
    gsl_matrix_free(md->tmp);
    gsl_vector_free(md->at);
    memset(md, 0, sizeof *md);
}

void cfa_model_matrices(const struct cfa_model *md, const gsl_vector *x, size_t g,
                        gsl_matrix *lam, gsl_matrix *phi)
{
    size_t p = md->p, m = md->m;
    gsl_matrix_set_zero(lam);
    for (size_t i = 0; i < p; i++)
        gsl_matrix_set(lam, i, md->spec->factor_of[i], cfa_model_get(x, md->i_lam[g * p + i], 0));
    for (size_t f = 0; f < m; f++)
        for (size_t h = 0; h < m; h++)
            gsl_matrix_set(phi, f, h, cfa_model_get(x, md->i_phi[(g * m + f) * m + h], f == h));
}

int cfa_model_update(struct cfa_model *md, const gsl_vector *x)
{
    size_t p = md->p, m = md->m;
    if (md->at && gsl_vector_equal(md->at, x))
        return md->at_ok;
    if (!md->at && !(md->at = gsl_vector_alloc(x->size)))
        return -1;
    gsl_vector_memcpy(md->at, x);
    md->at_ok = -1;
    for (size_t g = 0; g < md->ng; g++) {
        const struct cfa_group *gr = &md->spec->groups[g];
        gsl_matrix *sig = md->sigma[g], *w = md->w[g];
        cfa_model_matrices(md, x, g, md->lam, md->phi);
        sgemm_nn(1.0, md->lam, md->phi, 0.0, md->lamphi);
        gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, md->lamphi, md->lam, 0.0, sig);
        for (size_t i = 0; i < p; i++)
            *gsl_matrix_ptr(sig, i, i) += cfa_model_get(x, md->i_th[g * p + i], 0);
        gsl_matrix_memcpy(w, sig);
        if (gsl_linalg_cholesky_decomp1(w) != GSL_SUCCESS)
            return -1;
        double ld = 0;
        for (size_t i = 0; i < p; i++)
            ld += 2 * log(gsl_matrix_get(w, i, i));
        if (gsl_linalg_cholesky_invert(w) != GSL_SUCCESS)
            return -1;
        md->logdet_sigma[g] = ld;
        /* tr(S W) */
        double tr = 0;
        for (size_t i = 0; i < p; i++) {
            const double *si = gr->cov->data + i * gr->cov->tda, *wi = w->data + i;   /* W column i */
            for (size_t j = 0; j < p; j++)
                tr += si[j] * wi[j * w->tda];
        }
        double quad = 0;
        if (md->ms) {
            for (size_t i = 0; i < p; i++) {
                size_t f = md->spec->factor_of[i];
                double mu = cfa_model_get(x, md->i_nu[g * p + i], 0) +
                            gsl_matrix_get(md->lam, i, f) * cfa_model_get(x, md->i_al[g * m + f], 0);
                gsl_vector_set(md->mu[g], i, mu);
            }
            for (size_t i = 0; i < p; i++)
                for (size_t j = 0; j < p; j++)
                    quad += (gr->mean[i] - gsl_vector_get(md->mu[g], i)) * gsl_matrix_get(w, i, j) *
                            (gr->mean[j] - gsl_vector_get(md->mu[g], j));
        }
        md->fg[g] = ld + tr - md->logdet_s[g] - (double)p + quad;
    }
    md->at_ok = 0;
    return 0;
}

int cfa_model_value(const gsl_vector *x, void *ctx, double *f)
{
    struct cfa_model *md = ctx;
    if (cfa_model_update(md, x) < 0)
        return -1;
    double v = 0;
    for (size_t g = 0; g < md->ng; g++)
        v += (double)md->spec->groups[g].n / md->ntotal * md->fg[g];
    *f = v;
    return 0;
}

/* dF_g = tr(M dSigma) - 2 dmu' W d with M = W - W (S + d d') W, d = mean - mu (Joreskog). */
int cfa_model_gradient(const gsl_vector *x, void *ctx, gsl_vector *grad)
{
    struct cfa_model *md = ctx;
    size_t p = md->p, m = md->m;
    int ret = -1;
    gsl_matrix *mm = gsl_matrix_alloc(p, p), *sd = gsl_matrix_alloc(p, p);
    gsl_matrix *mlp = gsl_matrix_alloc(p, m), *lml = gsl_matrix_alloc(m, m), *ml = gsl_matrix_alloc(p, m);
    gsl_vector *d = gsl_vector_alloc(p), *wd = gsl_vector_alloc(p);
    if (!mm || !sd || !mlp || !lml || !ml || !d || !wd || cfa_model_update(md, x) < 0)
        goto out;
    gsl_vector_set_zero(grad);
    for (size_t g = 0; g < md->ng; g++) {
        const struct cfa_group *gr = &md->spec->groups[g];
        double wg = (double)gr->n / md->ntotal;
        gsl_matrix *w = md->w[g];
        gsl_matrix_memcpy(sd, gr->cov);
        gsl_vector_set_zero(d);
        if (md->ms) {
            for (size_t i = 0; i < p; i++)
                gsl_vector_set(d, i, gr->mean[i] - gsl_vector_get(md->mu[g], i));
            gsl_blas_dger(1.0, d, d, sd);
        }
        gsl_blas_dgemv(CblasNoTrans, 1.0, w, d, 0.0, wd);
        sgemm_nn(1.0, w, sd, 0.0, md->tmp);
        gsl_matrix_memcpy(mm, w);
        sgemm_nn(-1.0, md->tmp, w, 1.0, mm);
        cfa_model_matrices(md, x, g, md->lam, md->phi);
        sgemm_nn(1.0, md->lam, md->phi, 0.0, md->lamphi);
        sgemm_nn(1.0, mm, md->lamphi, 0.0, mlp);
        sgemm_nn(1.0, mm, md->lam, 0.0, ml);
        gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, md->lam, ml, 0.0, lml);
        for (size_t i = 0; i < p; i++) {
            size_t f = md->spec->factor_of[i];
            long k = md->i_lam[g * p + i];
            if (k >= 0) {
                double v = 2 * gsl_matrix_get(mlp, i, f);
                if (md->ms)
                    v -= 2 * cfa_model_get(x, md->i_al[g * m + f], 0) * gsl_vector_get(wd, i);
                *gsl_vector_ptr(grad, (size_t)k) += wg * v;
            }
            k = md->i_th[g * p + i];
            *gsl_vector_ptr(grad, (size_t)k) += wg * gsl_matrix_get(mm, i, i);
            k = md->i_nu[g * p + i];
            if (k >= 0)
                *gsl_vector_ptr(grad, (size_t)k) += wg * -2 * gsl_vector_get(wd, i);
        }
        for (size_t f = 0; f < m; f++) {
            for (size_t h = 0; h <= f; h++) {
                long k = md->i_phi[(g * m + f) * m + h];
                if (k >= 0)
                    *gsl_vector_ptr(grad, (size_t)k) += wg * (f == h ? 1 : 2) * gsl_matrix_get(lml, f, h);
            }
            long k = md->i_al[g * m + f];
            if (k >= 0) {
                double v = 0;
                for (size_t i = 0; i < p; i++)
                    v += gsl_matrix_get(md->lam, i, f) * gsl_vector_get(wd, i);
                *gsl_vector_ptr(grad, (size_t)k) += wg * -2 * v;
            }
        }
    }
    ret = 0;
out:
    gsl_matrix_free(mm);
    gsl_matrix_free(sd);
    gsl_matrix_free(mlp);
    gsl_matrix_free(lml);
    gsl_matrix_free(ml);
    gsl_vector_free(d);
    gsl_vector_free(wd);
    return ret;
}

void cfa_model_directions(struct cfa_model *md, const gsl_vector *x, size_t g, gsl_matrix *a, gsl_matrix *b,
                          gsl_matrix *dm, double *c)
{
    size_t p = md->p, m = md->m, q = md->q;
    gsl_matrix_set_zero(a);
    gsl_matrix_set_zero(b);
    gsl_matrix_set_zero(dm);
    memset(c, 0, q * sizeof *c);
    cfa_model_matrices(md, x, g, md->lam, md->phi);
    sgemm_nn(1.0, md->lam, md->phi, 0.0, md->lamphi);
    /* columns are parameter indices: a shared parameter appears once per group */
    for (size_t i = 0; i < p; i++) {
        size_t f = md->spec->factor_of[i];
        long k = md->i_lam[g * p + i];
        if (k >= 0) {
            gsl_matrix_set(a, i, (size_t)k, 1);
            for (size_t r = 0; r < p; r++)
                gsl_matrix_set(b, r, (size_t)k, gsl_matrix_get(md->lamphi, r, f));
            c[k] = 1;
            if (md->ms)
                gsl_matrix_set(dm, i, (size_t)k, cfa_model_get(x, md->i_al[g * m + f], 0));
        }
        k = md->i_th[g * p + i];
        gsl_matrix_set(a, i, (size_t)k, 1);
        gsl_matrix_set(b, i, (size_t)k, 1);
        c[k] = 0.5;
        k = md->i_nu[g * p + i];
        if (k >= 0)
            gsl_matrix_set(dm, i, (size_t)k, 1);
    }
    for (size_t f = 0; f < m; f++) {
        for (size_t h = 0; h <= f; h++) {
            long k = md->i_phi[(g * m + f) * m + h];
            if (k < 0)
                continue;
            for (size_t r = 0; r < p; r++) {
                gsl_matrix_set(a, r, (size_t)k, gsl_matrix_get(md->lam, r, f));
                gsl_matrix_set(b, r, (size_t)k, gsl_matrix_get(md->lam, r, h));
            }
            c[k] = f == h ? 0.5 : 1;
        }
        long k = md->i_al[g * m + f];
        if (k >= 0)
            for (size_t r = 0; r < p; r++)
                gsl_matrix_set(dm, r, (size_t)k, gsl_matrix_get(md->lam, r, f));
    }
}

/* The expected information per respondent.  Each free parameter of a group moves Sigma by
 * c (a b' + b a') and mu by dm (cfa_model_directions), so that 0.5 tr(W dS_k W dS_l) + dm_k' W dm_l
 * becomes c_k c_l [(a_k'Wa_l)(b_k'Wb_l) + (a_k'Wb_l)(b_k'Wa_l)] + dm_k' W dm_l: three Gram matrices
 * instead of q^2 dense traces (O(q^2 p) per group rather than O(q^2 p^2)). */
int cfa_model_information(struct cfa_model *md, const gsl_vector *x, gsl_matrix *info)
{
    size_t p = md->p, q = md->q;
    int ret = -1;
    gsl_matrix *a = gsl_matrix_calloc(p, q), *b = gsl_matrix_calloc(p, q), *dm = gsl_matrix_calloc(p, q);
    gsl_matrix *wa = gsl_matrix_alloc(p, q), *wb = gsl_matrix_alloc(p, q), *wdm = gsl_matrix_alloc(p, q);
    gsl_matrix *aa = gsl_matrix_alloc(q, q), *bb = gsl_matrix_alloc(q, q), *ab = gsl_matrix_alloc(q, q);
    gsl_matrix *mmq = gsl_matrix_alloc(q, q);
    double *c = calloc(q, sizeof *c);
    if (!a || !b || !dm || !wa || !wb || !wdm || !aa || !bb || !ab || !mmq || !c ||
        cfa_model_update(md, x) < 0)
        goto out;
    gsl_matrix_set_zero(info);
    for (size_t g = 0; g < md->ng; g++) {
        double wg = (double)md->spec->groups[g].n / md->ntotal;
        cfa_model_directions(md, x, g, a, b, dm, c);
        gsl_matrix *w = md->w[g];
        sgemm_nn(1.0, w, a, 0.0, wa);
        sgemm_nn(1.0, w, b, 0.0, wb);
        gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, a, wa, 0.0, aa);
        gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, b, wb, 0.0, bb);
        gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, a, wb, 0.0, ab);
        if (md->ms) {
            sgemm_nn(1.0, w, dm, 0.0, wdm);
            gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, dm, wdm, 0.0, mmq);
        } else {
            gsl_matrix_set_zero(mmq);
        }
        for (size_t k = 0; k < q; k++)
            for (size_t l = 0; l < q; l++) {
                double v = c[k] * c[l] * (gsl_matrix_get(aa, k, l) * gsl_matrix_get(bb, k, l) +
                                          gsl_matrix_get(ab, k, l) * gsl_matrix_get(ab, l, k)) +
                           gsl_matrix_get(mmq, k, l);
                *gsl_matrix_ptr(info, k, l) += wg * v;
            }
    }
    ret = 0;
out:
    gsl_matrix_free(a);
    gsl_matrix_free(b);
    gsl_matrix_free(dm);
    gsl_matrix_free(wa);
    gsl_matrix_free(wb);
    gsl_matrix_free(wdm);
    gsl_matrix_free(aa);
    gsl_matrix_free(bb);
    gsl_matrix_free(ab);
    gsl_matrix_free(mmq);
    free(c);
    return ret;
}

/* Fisher scoring: the Hessian of F is approximately twice the information. */
int cfa_model_curvature(const gsl_vector *x, void *ctx, gsl_matrix *h)
{
    if (cfa_model_information(ctx, x, h) < 0)
        return -1;
    gsl_matrix_scale(h, 2.0);
    return 0;
}
