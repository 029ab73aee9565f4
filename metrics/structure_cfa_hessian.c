/* metrics/structure_cfa_hessian.c -- the exact Hessian of the CFA's ML discrepancy, for the Newton
 * steps the optimiser takes once Fisher scoring stalls (structure_optim.h).
 *
 * Why: those steps took the Hessian by central differences of the analytic gradient, 2q gradients
 * (each two p x p x p products and a Cholesky inverse) per step.  On the bench's report 12 BFI-44
 * models (N = 46-48, 44 items, q = 98) run all 15 Newton steps without converging, and that was
 * two thirds of the CFA's CPU.  Here a step costs a handful of q x p x q products.
 *
 * Per group, with W = Sigma^-1, d = m - mu, S* = S + d d', P = W S* W and M = W - P (the gradient's
 * matrix, dF = tr(M dSigma) - 2 dmu' W d), differentiating the gradient once more gives
 *   H_kl = -tr(W S_k W S_l) + 2 tr(W S_k P S_l) + 2 (Wd)' S_k W mu_l + 2 (Wd)' S_l W mu_k
 *          + 2 mu_k' W mu_l + tr(M S_kl) - 2 mu_kl' W d,
 * where S_k = dSigma/dx_k = c_k (a_k b_k' + b_k a_k') and mu_k = dmu/dx_k (cfa_model_directions),
 * and S_kl, mu_kl the second derivatives.  With X, Y symmetric,
 *   tr(X S_k Y S_l) = c_k c_l [(a_k'Y b_l)(b_k'X a_l) + (a_k'Y a_l)(b_k'X b_l)
 *                              + (b_k'Y b_l)(a_k'X a_l) + (b_k'Y a_l)(a_k'X b_l)],
 * so the first five terms are Gram matrices of a, b and dm under W and P.  The second derivatives
 * are sparse: Sigma = Lambda Phi Lambda' + Theta is bilinear in the loadings and linear in Phi and
 * Theta, and mu = nu + Lambda alpha:
 *   d2 Sigma / d lambda_i d lambda_j   = phi_{f(i) f(j)} (e_i e_j' + e_j e_i')
 *   d2 Sigma / d lambda_i d phi_{fh}   = e_i lambda_h' + lambda_h e_i'  (f(i) = f; likewise for h)
 *   d2 mu / d lambda_i d alpha_{f(i)}  = e_i.
 * At a perfect fit (P = W, M = 0, d = 0) H is twice the information, as it must be.
 * tests/test_cfa_hessian.c checks H against central differences of the gradient. */
#include "metrics/structure_cfa_int.h"
#include "metrics/structure_gemm.h"

#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>

/* The work matrices of one call.  The directions come for all q parameters (p x q, cheap), but a
 * group moves only its own (about 3p + the factor correlations): the products and the Gram
 * matrices are of those columns only, qa of them, so that a several-group fit (q up to 1,000)
 * needs qa x qa Gram matrices, not q x q ones, and its Newton step costs per group what one group's
 * does.  The entries are the same sums either way (a column of zeros takes part in none). */
struct hess_work {
    gsl_matrix *a, *b, *dm;                 /* p x q: the directions (cfa_model_directions) */
    double *c;                              /* q */
    size_t *act, qmax;                      /* the group's parameters, at most qmax */
    gsl_matrix *ca, *cb, *cdm;              /* p x qmax: their columns of a, b, dm */
    gsl_matrix *wa, *wb, *pa, *pb, *wdm;    /* p x qmax: W a, W b, P a, P b, W dm */
    gsl_matrix *awa, *bwb, *awb, *apa, *bpb, *apb, *awd, *bwd, *dwd;   /* qmax x qmax Gram matrices */
    gsl_matrix *sd, *pm, *mm, *ml;          /* p x p: S*, P, M; p x m: M Lambda */
    gsl_vector *d, *wd, *ua, *ub;           /* p: d, W d; qmax: a' W d, b' W d */
    double *cc;                             /* qmax: c of the group's parameters */
};

static void work_free(struct hess_work *k)
{
    gsl_matrix *const mats[] = { k->a, k->b, k->dm, k->ca, k->cb, k->cdm, k->wa, k->wb, k->pa, k->pb, k->wdm,
                                 k->awa, k->bwb, k->awb, k->apa, k->bpb, k->apb, k->awd, k->bwd, k->dwd,
                                 k->sd, k->pm, k->mm, k->ml };
    for (size_t i = 0; i < sizeof mats / sizeof mats[0]; i++)
        gsl_matrix_free(mats[i]);
    gsl_vector_free(k->d);
    gsl_vector_free(k->wd);
    gsl_vector_free(k->ua);
    gsl_vector_free(k->ub);
    free(k->c);
    free(k->cc);
    free(k->act);
}

/* Group g's free parameters, in index order of the maps (each once: within a group no two map
 * entries share an index); their number. */
static size_t group_params(const struct cfa_model *md, size_t g, size_t *act)
{
    const size_t p = md->p, m = md->m;
    size_t n = 0;
    for (size_t i = 0; i < p; i++) {
        const long ks[3] = { md->i_lam[g * p + i], md->i_th[g * p + i], md->i_nu[g * p + i] };
        for (int t = 0; t < 3; t++)
            if (ks[t] >= 0)
                act[n++] = (size_t)ks[t];
    }
    for (size_t f = 0; f < m; f++) {
        for (size_t h = 0; h <= f; h++)
            if (md->i_phi[(g * m + f) * m + h] >= 0)
                act[n++] = (size_t)md->i_phi[(g * m + f) * m + h];
        if (md->i_al[g * m + f] >= 0)
            act[n++] = (size_t)md->i_al[g * m + f];
    }
    return n;
}

static int work_alloc(struct hess_work *k, const struct cfa_model *md)
{
    const size_t p = md->p, q = md->q;
    memset(k, 0, sizeof *k);
    if (!(k->act = malloc(q * sizeof *k->act)))
        return -1;
    for (size_t g = 0; g < md->ng; g++) {
        size_t n = group_params(md, g, k->act);
        k->qmax = n > k->qmax ? n : k->qmax;
    }
    const size_t qa = k->qmax ? k->qmax : 1;
    gsl_matrix **pq[] = { &k->a, &k->b, &k->dm };
    gsl_matrix **pqa[] = { &k->ca, &k->cb, &k->cdm, &k->wa, &k->wb, &k->pa, &k->pb, &k->wdm };
    gsl_matrix **qq[] = { &k->awa, &k->bwb, &k->awb, &k->apa, &k->bpb, &k->apb, &k->awd, &k->bwd, &k->dwd };
    gsl_matrix **pp[] = { &k->sd, &k->pm, &k->mm };
    int ok = 1;
    for (size_t i = 0; i < sizeof pq / sizeof pq[0]; i++)
        ok &= (*pq[i] = gsl_matrix_alloc(p, q)) != NULL;
    for (size_t i = 0; i < sizeof pqa / sizeof pqa[0]; i++)
        ok &= (*pqa[i] = gsl_matrix_alloc(p, qa)) != NULL;
    for (size_t i = 0; i < sizeof qq / sizeof qq[0]; i++)
        ok &= (*qq[i] = gsl_matrix_alloc(qa, qa)) != NULL;
    for (size_t i = 0; i < sizeof pp / sizeof pp[0]; i++)
        ok &= (*pp[i] = gsl_matrix_alloc(p, p)) != NULL;
    ok &= (k->ml = gsl_matrix_alloc(p, md->m)) != NULL;
    ok &= (k->d = gsl_vector_alloc(p)) != NULL && (k->wd = gsl_vector_alloc(p)) != NULL;
    ok &= (k->ua = gsl_vector_alloc(qa)) != NULL && (k->ub = gsl_vector_alloc(qa)) != NULL;
    ok &= (k->c = malloc(q * sizeof *k->c)) != NULL && (k->cc = malloc(qa * sizeof *k->cc)) != NULL;
    return ok ? 0 : -1;
}

static void add_sym(gsl_matrix *h, long k, long l, double v)
{
    *gsl_matrix_ptr(h, (size_t)k, (size_t)l) += v;
    if (k != l)
        *gsl_matrix_ptr(h, (size_t)l, (size_t)k) += v;
}

/* The terms of group g that are Gram matrices of the first derivatives, added to h times wg: over
 * the group's qa parameters, entry (r, s) of the Gram matrices being parameters act[r], act[s]. */
static void first_derivative_terms(const struct cfa_model *md, struct hess_work *k, size_t qa, double wg,
                                   gsl_matrix *h)
{
    const double *c = k->cc;
    for (size_t r = 0; r < qa; r++) {
        for (size_t s = 0; s < qa; s++) {
#define G(M, i, j) gsl_matrix_get(k->M, i, j)
            double v = 0;
            if (c[r] != 0 && c[s] != 0) {
                double ww = G(awa, r, s) * G(bwb, r, s) + G(awb, r, s) * G(awb, s, r);
                double wp = G(apb, r, s) * G(awb, s, r) + G(apa, r, s) * G(bwb, r, s) + G(bpb, r, s) * G(awa, r, s) +
                            G(apb, s, r) * G(awb, r, s);
                v += c[r] * c[s] * (-2 * ww + 2 * wp);
            }
            if (md->ms)
                v += 2 * c[r] * (gsl_vector_get(k->ua, r) * G(bwd, r, s) + gsl_vector_get(k->ub, r) * G(awd, r, s)) +
                     2 * c[s] * (gsl_vector_get(k->ua, s) * G(bwd, s, r) + gsl_vector_get(k->ub, s) * G(awd, s, r)) +
                     2 * G(dwd, r, s);
#undef G
            *gsl_matrix_ptr(h, k->act[r], k->act[s]) += wg * v;
        }
    }
}

/* The second-derivative terms of group g, tr(M S_kl) - 2 mu_kl' W d, added to h times wg.  Needs
 * md->lam and phi of group g (set by cfa_model_directions). */
static void second_derivative_terms(const struct cfa_model *md, size_t g, struct hess_work *k, double wg,
                                    gsl_matrix *h)
{
    const size_t p = md->p, m = md->m;
    const size_t *fac = md->spec->factor_of;
    sgemm_nn(1.0, k->mm, md->lam, 0.0, k->ml);
    for (size_t i = 0; i < p; i++) {
        long ki = md->i_lam[g * p + i];
        if (ki < 0)
            continue;
        for (size_t j = 0; j <= i; j++) {
            long kj = md->i_lam[g * p + j];
            if (kj >= 0)
                add_sym(h, ki, kj, wg * 2 * gsl_matrix_get(md->phi, fac[i], fac[j]) * gsl_matrix_get(k->mm, i, j));
        }
        for (size_t f = 0; f < m; f++)
            for (size_t e = 0; e <= f; e++) {
                long kp = md->i_phi[(g * m + f) * m + e];
                double v = 0;
                if (kp < 0)
                    continue;
                if (fac[i] == f)
                    v += 2 * gsl_matrix_get(k->ml, i, e);
                if (fac[i] == e && e != f)
                    v += 2 * gsl_matrix_get(k->ml, i, f);
                if (v != 0)
                    add_sym(h, ki, kp, wg * v);
            }
        long ka = md->ms ? md->i_al[g * m + fac[i]] : -1;
        if (ka >= 0)
            add_sym(h, ki, ka, wg * -2 * gsl_vector_get(k->wd, i));
    }
}

/* The top-left rows x cols of a work matrix allocated at qmax columns (a view: its data is m's). */
static gsl_matrix cut(gsl_matrix *m, size_t rows, size_t cols)
{
    return gsl_matrix_submatrix(m, 0, 0, rows, cols).matrix;
}

int cfa_model_hessian(const gsl_vector *x, void *ctx, gsl_matrix *h)
{
    struct cfa_model *md = ctx;
    const size_t p = md->p, q = md->q;
    struct hess_work k;
    int ret = -1;
    if (work_alloc(&k, md) < 0 || cfa_model_update(md, x) < 0)
        goto out;
    gsl_matrix_set_zero(h);
    for (size_t g = 0; g < md->ng; g++) {
        const struct cfa_group *gr = &md->spec->groups[g];
        const double wg = (double)gr->n / md->ntotal;
        gsl_matrix *w = md->w[g];
        gsl_matrix_memcpy(k.sd, gr->cov);
        gsl_vector_set_zero(k.d);
        if (md->ms) {
            for (size_t i = 0; i < p; i++)
                gsl_vector_set(k.d, i, gr->mean[i] - gsl_vector_get(md->mu[g], i));
            gsl_blas_dger(1.0, k.d, k.d, k.sd);
        }
        gsl_blas_dgemv(CblasNoTrans, 1.0, w, k.d, 0.0, k.wd);
        sgemm_nn(1.0, w, k.sd, 0.0, md->tmp);          /* P = W S* W, M = W - P */
        sgemm_nn(1.0, md->tmp, w, 0.0, k.pm);
        gsl_matrix_memcpy(k.mm, w);
        gsl_matrix_sub(k.mm, k.pm);
        cfa_model_directions(md, x, g, k.a, k.b, k.dm, k.c);
        const size_t qa = group_params(md, g, k.act);
        if (qa == 0)
            continue;
        for (size_t r = 0; r < qa; r++) {
            for (size_t i = 0; i < p; i++) {
                gsl_matrix_set(k.ca, i, r, gsl_matrix_get(k.a, i, k.act[r]));
                gsl_matrix_set(k.cb, i, r, gsl_matrix_get(k.b, i, k.act[r]));
                gsl_matrix_set(k.cdm, i, r, gsl_matrix_get(k.dm, i, k.act[r]));
            }
            k.cc[r] = k.c[k.act[r]];
        }
        gsl_matrix ca = cut(k.ca, p, qa), cb = cut(k.cb, p, qa), cdm = cut(k.cdm, p, qa);
        gsl_matrix wa = cut(k.wa, p, qa), wb = cut(k.wb, p, qa), pa = cut(k.pa, p, qa), pb = cut(k.pb, p, qa);
        gsl_matrix wdm = cut(k.wdm, p, qa);
        gsl_matrix awa = cut(k.awa, qa, qa), bwb = cut(k.bwb, qa, qa), awb = cut(k.awb, qa, qa);
        gsl_matrix apa = cut(k.apa, qa, qa), bpb = cut(k.bpb, qa, qa), apb = cut(k.apb, qa, qa);
        gsl_matrix awd = cut(k.awd, qa, qa), bwd = cut(k.bwd, qa, qa), dwd = cut(k.dwd, qa, qa);
        sgemm_nn(1.0, w, &ca, 0.0, &wa);
        sgemm_nn(1.0, w, &cb, 0.0, &wb);
        sgemm_nn(1.0, k.pm, &ca, 0.0, &pa);
        sgemm_nn(1.0, k.pm, &cb, 0.0, &pb);
        gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &ca, &wa, 0.0, &awa);
        gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &cb, &wb, 0.0, &bwb);
        gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &ca, &wb, 0.0, &awb);
        gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &ca, &pa, 0.0, &apa);
        gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &cb, &pb, 0.0, &bpb);
        gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &ca, &pb, 0.0, &apb);
        if (md->ms) {
            gsl_vector_view ua = gsl_vector_subvector(k.ua, 0, qa), ub = gsl_vector_subvector(k.ub, 0, qa);
            sgemm_nn(1.0, w, &cdm, 0.0, &wdm);
            gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &ca, &wdm, 0.0, &awd);
            gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &cb, &wdm, 0.0, &bwd);
            gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &cdm, &wdm, 0.0, &dwd);
            gsl_blas_dgemv(CblasTrans, 1.0, &ca, k.wd, 0.0, &ua.vector);
            gsl_blas_dgemv(CblasTrans, 1.0, &cb, k.wd, 0.0, &ub.vector);
        }
        first_derivative_terms(md, &k, qa, wg, h);
        second_derivative_terms(md, g, &k, wg, h);
    }
    /* the Gram terms of (k, l) and (l, k) round differently: the mean of the two */
    for (size_t r = 0; r < q; r++)
        for (size_t s = 0; s < r; s++) {
            double v = 0.5 * (gsl_matrix_get(h, r, s) + gsl_matrix_get(h, s, r));
            gsl_matrix_set(h, r, s, v);
            gsl_matrix_set(h, s, r, v);
        }
    ret = 0;
out:
    work_free(&k);
    return ret;
}
