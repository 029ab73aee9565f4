/* metrics/structure_gemm.h -- C = alpha A B + beta C for the CFA's hot loop, bit for bit what GSL's
 * reference CBLAS (gsl_blas_dgemm, CblasNoTrans twice) computes, only faster (issue 16).
 *
 * The CFA's finite-difference Hessian evaluated the gradient 2q times a Newton step, and each
 * evaluation is two p x p x p products: with libgslcblas (scalar code) they were half of `report`'s
 * CPU on 12 BFI-44 models (the Newton steps now take the exact Hessian, structure_cfa_hessian.c;
 * the gradient and the information still multiply here).  Here every element is still summed in the same order -- C[i][j] scaled
 * by beta first (0 sets it to 0, 1 leaves it), then += (alpha A[i][k]) B[k][j] for k ascending,
 * skipping the k where alpha A[i][k] == 0 as GSL does -- but the j of a row run in SIMD lanes
 * (AVX2 where the CPU has it; never FMA, which would round differently), so the results are
 * identical and any fit's path is unchanged.  tests/test_structure_gemm.c checks the identity
 * against gsl_blas_dgemm on random matrices with zeros, signed zeros and every alpha/beta case. */
#ifndef PSYFAITH_STRUCTURE_GEMM_H
#define PSYFAITH_STRUCTURE_GEMM_H

#include <gsl/gsl_matrix.h>

/* Shapes as gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, ...): a n1 x K, b K x n2, c n1 x n2; c must
 * not overlap a or b.  Returns 0, or -1 (GSL_EBADLEN's case) when the shapes do not match. */
int sgemm_nn(double alpha, const gsl_matrix *a, const gsl_matrix *b, double beta, gsl_matrix *c);

#endif
