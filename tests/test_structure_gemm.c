/* tests/test_structure_gemm.c -- sgemm_nn is bit for bit gsl_blas_dgemm (NoTrans, NoTrans): random
 * matrices of many shapes (odd widths for the lane remainders, strided views), exact zeros and
 * signed zeros in A, every alpha/beta case GSL treats specially, and the CFA's own products. */
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_rng.h>

#include "check.h"
#include "metrics/structure_gemm.h"

static void fill(gsl_matrix *m, gsl_rng *r)
{
    for (size_t i = 0; i < m->size1; i++)
        for (size_t j = 0; j < m->size2; j++) {
            double u = gsl_rng_uniform(r);
            double v = (gsl_rng_uniform(r) - 0.5) * 10;
            gsl_matrix_set(m, i, j, u < 0.1 ? 0.0 : u < 0.15 ? -0.0 : u < 0.2 ? v * 1e-300 : v);
        }
}

/* Byte-identical, signed zeros included. */
static int same(const gsl_matrix *x, const gsl_matrix *y)
{
    for (size_t i = 0; i < x->size1; i++)
        for (size_t j = 0; j < x->size2; j++) {
            double a = gsl_matrix_get(x, i, j), b = gsl_matrix_get(y, i, j);
            if (memcmp(&a, &b, sizeof a) != 0)
                return 0;
        }
    return 1;
}

int main(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    static const double alphas[] = { 1.0, -1.0, 0.5, 0.0, 3.25 };
    static const double betas[] = { 0.0, 1.0, -1.0, 2.0 };
    static const size_t dims[] = { 1, 2, 3, 4, 5, 7, 8, 9, 13, 44, 50 };
    const size_t nd = sizeof dims / sizeof dims[0];
    int cases = 0, identical = 0;
    for (size_t a1 = 0; a1 < nd; a1 += 2)
        for (size_t a2 = 0; a2 < nd; a2 += 3)
            for (size_t a3 = 0; a3 < nd; a3++)
                for (size_t al = 0; al < 5; al++)
                    for (size_t be = 0; be < 4; be++) {
                        size_t n1 = dims[a1], kk = dims[a2], n2 = dims[a3];
                        /* views into larger blocks: tda > size2 */
                        gsl_matrix *ba = gsl_matrix_alloc(n1, kk + 3), *bb = gsl_matrix_alloc(kk, n2 + 1);
                        gsl_matrix *c0 = gsl_matrix_alloc(n1, n2 + 2), *c1 = gsl_matrix_alloc(n1, n2 + 2);
                        fill(ba, r);
                        fill(bb, r);
                        fill(c0, r);
                        gsl_matrix_memcpy(c1, c0);
                        gsl_matrix_view va = gsl_matrix_submatrix(ba, 0, 1, n1, kk);
                        gsl_matrix_view vb = gsl_matrix_submatrix(bb, 0, 0, kk, n2);
                        gsl_matrix_view v0 = gsl_matrix_submatrix(c0, 0, 2, n1, n2);
                        gsl_matrix_view v1 = gsl_matrix_submatrix(c1, 0, 2, n1, n2);
                        gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, alphas[al], &va.matrix, &vb.matrix, betas[be],
                                       &v0.matrix);
                        int rc = sgemm_nn(alphas[al], &va.matrix, &vb.matrix, betas[be], &v1.matrix);
                        cases++;
                        identical += rc == 0 && same(c0, c1);
                        gsl_matrix_free(ba);
                        gsl_matrix_free(bb);
                        gsl_matrix_free(c0);
                        gsl_matrix_free(c1);
                    }
    printf("%d of %d products identical\n", identical, cases);
    CHECK(cases == 6 * 4 * 11 * 5 * 4);
    CHECK(identical == cases);
    /* the gradient's M = W - (W S) W on a 44 x 44 symmetric case, as structure_cfa_model.c does it */
    {
        size_t p = 44;
        gsl_matrix *w = gsl_matrix_alloc(p, p), *s = gsl_matrix_alloc(p, p), *t0 = gsl_matrix_alloc(p, p);
        gsl_matrix *t1 = gsl_matrix_alloc(p, p), *m0 = gsl_matrix_alloc(p, p), *m1 = gsl_matrix_alloc(p, p);
        fill(w, r);
        fill(s, r);
        gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, w, s, 0.0, t0);
        gsl_matrix_memcpy(m0, w);
        gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, -1.0, t0, w, 1.0, m0);
        CHECK(sgemm_nn(1.0, w, s, 0.0, t1) == 0);
        gsl_matrix_memcpy(m1, w);
        CHECK(sgemm_nn(-1.0, t1, w, 1.0, m1) == 0);
        CHECK(same(t0, t1));
        CHECK(same(m0, m1));
        gsl_matrix_free(w);
        gsl_matrix_free(s);
        gsl_matrix_free(t0);
        gsl_matrix_free(t1);
        gsl_matrix_free(m0);
        gsl_matrix_free(m1);
    }
    /* shapes that do not match */
    {
        gsl_matrix *a = gsl_matrix_calloc(2, 3), *b = gsl_matrix_calloc(4, 2), *c = gsl_matrix_calloc(2, 2);
        CHECK(sgemm_nn(1.0, a, b, 0.0, c) == -1);
        gsl_matrix_free(a);
        gsl_matrix_free(b);
        gsl_matrix_free(c);
    }
    gsl_rng_free(r);
    return CHECK_DONE();
}
