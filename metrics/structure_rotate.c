/* metrics/structure_rotate.c -- the rotations of psyfaith structure's EFA, step for step as R does
 * them (structure_int.h): stats::varimax, GPArotation's GPFoblq with the oblimin criterion, and
 * psych::fa's signs and order.  R stops both iterations early (eps = 1e-5), so the result depends on
 * the path: the same steps and stopping rules are taken here, not an exact optimum. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_permutation.h>

#include "metrics/stats.h"
#include "metrics/structure_int.h"

static int fail(const char **why, int code, const char *reason)
{
    if (why)
        *why = reason;
    return code;
}

/* C = A (n x m) B (m x q), row-major; ta: use t(A) (A is m x n). */
static void matmul(const double *A, int ta, const double *B, double *C, size_t n, size_t m, size_t q)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < q; j++) {
            double s = 0.0;
            for (size_t l = 0; l < m; l++)
                s += (ta ? A[l * n + i] : A[i * m + l]) * B[l * q + j];
            C[i * q + j] = s;
        }
}

int efa_varimax(double *L, size_t p, size_t k, const char **why)
{
    if (k < 2)
        return STATS_OK;
    double *x = malloc(p * k * sizeof *x), *z = malloc(p * k * sizeof *z), *sc = malloc(p * sizeof *sc);
    double *T = calloc(k * k, sizeof *T), *B = malloc(k * k * sizeof *B), *W = malloc(p * k * sizeof *W);
    gsl_matrix *U = gsl_matrix_alloc(k, k), *V = gsl_matrix_alloc(k, k);
    gsl_vector *S = gsl_vector_alloc(k), *work = gsl_vector_alloc(k);
    int ret = STATS_NOMEM;
    if (!x || !z || !sc || !T || !B || !W || !U || !V || !S || !work)
        goto out;
    for (size_t i = 0; i < p; i++) {        /* normalize = TRUE: rows to unit length */
        double s = 0.0;
        for (size_t j = 0; j < k; j++)
            s += L[i * k + j] * L[i * k + j];
        sc[i] = sqrt(s);
        for (size_t j = 0; j < k; j++)
            x[i * k + j] = L[i * k + j] / sc[i];
    }
    for (size_t j = 0; j < k; j++)
        T[j * k + j] = 1.0;
    double d = 0.0;
    for (int it = 1; it <= 1000; it++) {
        matmul(x, 0, T, z, p, k, k);
        double col[k];
        for (size_t j = 0; j < k; j++) {
            col[j] = 0.0;
            for (size_t i = 0; i < p; i++)
                col[j] += z[i * k + j] * z[i * k + j];
        }
        for (size_t i = 0; i < p; i++)      /* z^3 - z diag(colSums(z^2)) / p */
            for (size_t j = 0; j < k; j++) {
                double v = z[i * k + j];
                W[i * k + j] = v * v * v - v * col[j] / (double)p;
            }
        matmul(x, 1, W, B, k, p, k);
        memcpy(U->data, B, k * k * sizeof *B);
        if (gsl_linalg_SV_decomp(U, V, S, work) != GSL_SUCCESS) {
            ret = fail(why, STATS_UNDEFINED, "varimax: the SVD failed");
            goto out;
        }
        for (size_t i = 0; i < k; i++)      /* TT = u vt */
            for (size_t j = 0; j < k; j++) {
                double s = 0.0;
                for (size_t l = 0; l < k; l++)
                    s += gsl_matrix_get(U, i, l) * gsl_matrix_get(V, j, l);
                T[i * k + j] = s;
            }
        double dpast = d;
        d = 0.0;
        for (size_t j = 0; j < k; j++)
            d += gsl_vector_get(S, j);
        if (d < dpast * (1 + 1e-5))
            break;
    }
    matmul(x, 0, T, z, p, k, k);
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < k; j++)
            L[i * k + j] = z[i * k + j] * sc[i];
    ret = STATS_OK;
out:
    free(x);
    free(z);
    free(sc);
    free(T);
    free(B);
    free(W);
    gsl_matrix_free(U);
    gsl_matrix_free(V);
    gsl_vector_free(S);
    gsl_vector_free(work);
    return ret;
}

/* inv (k x k) of T; -1 when singular. */
static int invert(const double *T, double *inv, size_t k, gsl_matrix *LU, gsl_permutation *perm)
{
    int sign;
    gsl_matrix_view out = gsl_matrix_view_array(inv, k, k);
    memcpy(LU->data, T, k * k * sizeof *T);
    if (gsl_linalg_LU_decomp(LU, perm, &sign) != GSL_SUCCESS || gsl_linalg_LU_invert(LU, perm, &out.matrix) != GSL_SUCCESS)
        return -1;
    for (size_t i = 0; i < k * k; i++)
        if (!isfinite(inv[i]))
            return -1;
    return 0;
}

/* GPArotation's vgQ.oblimin (gam = 0): Gq = L * (L^2 %*% (1 - I)), f = sum(L^2 * X) / 4. */
static double vgq_oblimin(const double *L, size_t p, size_t k, double *Gq)
{
    double f = 0.0;
    for (size_t i = 0; i < p; i++) {
        double row = 0.0;
        for (size_t j = 0; j < k; j++)
            row += L[i * k + j] * L[i * k + j];
        for (size_t j = 0; j < k; j++) {
            double l = L[i * k + j], X = row - l * l;
            Gq[i * k + j] = l * X;
            f += l * l * X;
        }
    }
    return f / 4.0;
}

/* L = A t(inv(T)); the gradient G = -t(t(L) Gq inv(T)); returns f. */
static double oblimin_at(const double *A, const double *Ti, double *L, double *Gq, double *G, double *tmp,
                         size_t p, size_t k)
{
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < k; j++) {
            double s = 0.0;
            for (size_t l = 0; l < k; l++)
                s += A[i * k + l] * Ti[j * k + l];
            L[i * k + j] = s;
        }
    double f = vgq_oblimin(L, p, k, Gq);
    double M[k * k];
    matmul(L, 1, Gq, M, k, p, k);       /* t(L) Gq */
    matmul(M, 0, Ti, tmp, k, k, k);     /* ... inv(T) */
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++)
            G[i * k + j] = -tmp[j * k + i];
    return f;
}

int efa_oblimin(double *A, size_t p, size_t k, double *phi, const char **why)
{
    if (k < 2) {
        if (phi)
            phi[0] = 1.0;
        return STATS_OK;
    }
    const size_t kk = k * k;
    double *L = malloc(p * k * sizeof *L), *Gq = malloc(p * k * sizeof *Gq), *a0 = malloc(p * k * sizeof *a0);
    double *T = calloc(kk, sizeof *T), *Tt = malloc(kk * sizeof *Tt), *Ti = malloc(kk * sizeof *Ti);
    double *G = malloc(kk * sizeof *G), *Gp = malloc(kk * sizeof *Gp), *tmp = malloc(kk * sizeof *tmp);
    gsl_matrix *LU = gsl_matrix_alloc(k, k);
    gsl_permutation *perm = gsl_permutation_alloc(k);
    int ret = STATS_NOMEM, converged = 0;
    if (!L || !Gq || !a0 || !T || !Tt || !Ti || !G || !Gp || !tmp || !LU || !perm)
        goto out;
    memcpy(a0, A, p * k * sizeof *A);
    for (size_t j = 0; j < k; j++)
        T[j * k + j] = 1.0;
    memcpy(Ti, T, kk * sizeof *T);
    double al = 1.0, f = oblimin_at(a0, Ti, L, Gq, G, tmp, p, k);
    for (int iter = 0; iter <= 1000; iter++) {
        double s = 0.0;
        for (size_t j = 0; j < k; j++) {    /* Gp = G - T diag(colSums(T * G)) */
            double c = 0.0;
            for (size_t i = 0; i < k; i++)
                c += T[i * k + j] * G[i * k + j];
            for (size_t i = 0; i < k; i++) {
                Gp[i * k + j] = G[i * k + j] - T[i * k + j] * c;
                s += Gp[i * k + j] * Gp[i * k + j];
            }
        }
        s = sqrt(s);
        if (s < 1e-5) {
            converged = 1;
            break;
        }
        al *= 2.0;
        double ft = f;
        for (int i = 0; i <= 10; i++) {
            for (size_t j = 0; j < k; j++) {
                double c = 0.0;
                for (size_t r = 0; r < k; r++) {
                    double v = T[r * k + j] - al * Gp[r * k + j];
                    Tt[r * k + j] = v;
                    c += v * v;
                }
                for (size_t r = 0; r < k; r++)
                    Tt[r * k + j] /= sqrt(c);
            }
            if (invert(Tt, Ti, k, LU, perm) < 0) {
                ret = fail(why, STATS_UNDEFINED, "oblimin: a singular rotation");
                goto out;
            }
            ft = oblimin_at(a0, Ti, L, Gq, G, tmp, p, k);
            if (f - ft > 0.5 * s * s * al)
                break;
            al /= 2.0;
        }
        memcpy(T, Tt, kk * sizeof *T);
        f = ft;
    }
    if (!converged) {
        ret = fail(why, STATS_UNDEFINED, "oblimin did not converge in 1000 iterations");
        goto out;
    }
    memcpy(A, L, p * k * sizeof *L);
    for (size_t i = 0; phi && i < k; i++)
        for (size_t j = 0; j < k; j++) {
            double s = 0.0;
            for (size_t r = 0; r < k; r++)
                s += T[r * k + i] * T[r * k + j];
            phi[i * k + j] = s;
        }
    ret = STATS_OK;
out:
    free(L);
    free(Gq);
    free(a0);
    free(T);
    free(Tt);
    free(Ti);
    free(G);
    free(Gp);
    free(tmp);
    gsl_matrix_free(LU);
    gsl_permutation_free(perm);
    return ret;
}

void efa_sign_order(double *L, size_t p, size_t k, double *phi)
{
    double sgn[k], ev[k];
    size_t ord[k];
    for (size_t j = 0; j < k; j++) {
        double s = 0.0;
        for (size_t i = 0; i < p; i++)
            s += L[i * k + j];
        sgn[j] = s < 0 ? -1.0 : 1.0;
        for (size_t i = 0; i < p; i++)
            L[i * k + j] *= sgn[j];
    }
    for (size_t a = 0; phi && a < k; a++)
        for (size_t b = 0; b < k; b++)
            phi[a * k + b] *= sgn[a] * sgn[b];
    /* ev = diag(Phi t(L) L): sum over b of Phi[j, b] (t(L) L)[b, j] */
    for (size_t j = 0; j < k; j++) {
        double e = 0.0;
        for (size_t b = 0; b < k; b++) {
            double c = 0.0;
            if (!phi && b != j)
                continue;
            for (size_t i = 0; i < p; i++)
                c += L[i * k + b] * L[i * k + j];
            e += (phi ? phi[j * k + b] : 1.0) * c;
        }
        ev[j] = e;
        ord[j] = j;
    }
    for (size_t a = 1; a < k; a++) {        /* stable insertion sort, decreasing (R's order) */
        size_t v = ord[a], b = a;
        while (b > 0 && ev[ord[b - 1]] < ev[v]) {
            ord[b] = ord[b - 1];
            b--;
        }
        ord[b] = v;
    }
    double row[k];
    for (size_t i = 0; i < p; i++) {
        for (size_t j = 0; j < k; j++)
            row[j] = L[i * k + ord[j]];
        memcpy(L + i * k, row, k * sizeof *row);
    }
    if (phi) {
        double P2[k * k];
        for (size_t a = 0; a < k; a++)
            for (size_t b = 0; b < k; b++)
                P2[a * k + b] = phi[ord[a] * k + ord[b]];
        memcpy(phi, P2, k * k * sizeof *phi);
    }
}

double efa_congruence(const double *a, size_t sa, const double *b, size_t sb, size_t n)
{
    double ab = 0.0, aa = 0.0, bb = 0.0;
    for (size_t i = 0; i < n; i++) {
        ab += a[i * sa] * b[i * sb];
        aa += a[i * sa] * a[i * sa];
        bb += b[i * sb] * b[i * sb];
    }
    return aa > 0 && bb > 0 ? ab / sqrt(aa * bb) : NAN;
}
