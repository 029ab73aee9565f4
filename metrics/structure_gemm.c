/* metrics/structure_gemm.c -- see structure_gemm.h. */
#include "metrics/structure_gemm.h"

#include <string.h>

/* Two clones where the compiler and CPU allow (GCC's function multiversioning picks at load time):
 * AVX2 (4 doubles a lane group) and the x86-64 baseline (SSE2, 2).  Neither enables FMA.  The
 * choice is an ifunc, which needs glibc and runs before ThreadSanitizer's runtime is up (a TSan
 * build crashed at start): there, one baseline version. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__GLIBC__) && \
    !defined(__SANITIZE_THREAD__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define SGEMM_CLONES __attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef SGEMM_CLONES
#define SGEMM_CLONES
#endif

typedef double v4d __attribute__((vector_size(32)));

/* Row i of C += alpha A B, C[i][j..j+8) held in registers across the k loop: per element the
 * same multiply and add, k ascending, as the reference loop that updates C in memory for each k. */
SGEMM_CLONES
static void row_update(size_t kk, size_t n2, double alpha, const double *restrict ai, const double *restrict b,
                       size_t ldb, double *restrict ci)
{
    size_t j = 0;
    for (; j + 8 <= n2; j += 8) {
        v4d c0, c1;
        memcpy(&c0, ci + j, sizeof c0);
        memcpy(&c1, ci + j + 4, sizeof c1);
        for (size_t k = 0; k < kk; k++) {
            const double t = alpha * ai[k];
            if (t != 0.0) {
                v4d tv = { t, t, t, t }, b0, b1;
                memcpy(&b0, b + k * ldb + j, sizeof b0);
                memcpy(&b1, b + k * ldb + j + 4, sizeof b1);
                c0 += tv * b0;
                c1 += tv * b1;
            }
        }
        memcpy(ci + j, &c0, sizeof c0);
        memcpy(ci + j + 4, &c1, sizeof c1);
    }
    for (; j + 4 <= n2; j += 4) {
        v4d c0;
        memcpy(&c0, ci + j, sizeof c0);
        for (size_t k = 0; k < kk; k++) {
            const double t = alpha * ai[k];
            if (t != 0.0) {
                v4d tv = { t, t, t, t }, b0;
                memcpy(&b0, b + k * ldb + j, sizeof b0);
                c0 += tv * b0;
            }
        }
        memcpy(ci + j, &c0, sizeof c0);
    }
    for (; j < n2; j++) {
        double c = ci[j];
        for (size_t k = 0; k < kk; k++) {
            const double t = alpha * ai[k];
            if (t != 0.0)
                c += t * b[k * ldb + j];
        }
        ci[j] = c;
    }
}

int sgemm_nn(double alpha, const gsl_matrix *a, const gsl_matrix *b, double beta, gsl_matrix *c)
{
    const size_t n1 = a->size1, kk = a->size2, n2 = b->size2;
    if (b->size1 != kk || c->size1 != n1 || c->size2 != n2)
        return -1;
    if (alpha == 0.0 && beta == 1.0)
        return 0;
    for (size_t i = 0; i < n1; i++) {
        double *ci = c->data + i * c->tda;
        if (beta == 0.0)
            for (size_t j = 0; j < n2; j++)
                ci[j] = 0.0;
        else if (beta != 1.0)
            for (size_t j = 0; j < n2; j++)
                ci[j] *= beta;
    }
    if (alpha == 0.0)
        return 0;
    for (size_t i = 0; i < n1; i++)
        row_update(kk, n2, alpha, a->data + i * a->tda, b->data, b->tda, c->data + i * c->tda);
    return 0;
}
