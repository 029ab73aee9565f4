/* tests/test_structure.c -- the pure numerics of psyfaith structure (metrics/structure_int.h) against
 * tests/oracle/structure_poly.R: the bivariate normal CDF (mvtnorm::pmvnorm) and polycor::polychor; the
 * whole EFA is checked against psych by tests/cli/structure.sh. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_sort_vector.h>

#include "metrics/stats.h"
#include "metrics/structure_int.h"
#include "tests/check.h"

static const double bvn_cases[][4] = {
    { 0, 0, 0, 0.25 },
    { 0.5, -0.3, 0.2, 0.29076428813655358 },
    { -1.2, 0.7, 0.6, 0.11280050732683417 },
    { 1.5, 1.1, 0.95, 0.86169300648322467 },
    { -0.4, 2.2, -0.97, 0.33067481087617778 },
    { 0.3, -0.8, -0.5, 0.071086105844883118 },
    { 2, 2, 0.999, 0.9762868430442766 },
    { -2.5, -1, 0.8, 0.0060626168600483024 },
};

static void test_bvn(void)
{
    for (size_t i = 0; i < sizeof bvn_cases / sizeof bvn_cases[0]; i++)
        CHECK_NEAR(bvn_cdf(bvn_cases[i][0], bvn_cases[i][1], bvn_cases[i][2]), bvn_cases[i][3], 1e-14);
    /* the limits: infinite bounds are the univariate normal */
    CHECK_NEAR(bvn_cdf(INFINITY, 0.3, 0.5), 0.61791142218895267, 1e-15);
    CHECK_NEAR(bvn_cdf(-INFINITY, 0.3, 0.5), 0.0, 0.0);
    CHECK_NEAR(bvn_cdf(INFINITY, INFINITY, -0.2), 1.0, 0.0);
}

static void test_polychoric(void)
{
    const double x[] = { 5, 1, NAN, 2, 2, 2, 4, 3, 3, 5, 3, 5, 5, 3, 5, 3, 2, 2, 3, 4, 4, 4, 5, 1, 4, 3, 4, 4, 2, 2, 2, 4, 3, 3, 2, 2, 4, 1, 3, 3, 4, 2, 2, 1, 2, 2, 5, 4, 3, NAN, 2, 3, 3, 5, 4, 3, 1, 3, 3, 2, 3, 3, 4, 4, 3, 4, 4, 4, 4, 4, 3, 2, 2, 2, 1, 1, 2, 2, 3, 5, 3, 3, 3, 2, 2, 2, 2, 2, 1, 4, 5, 2, 4, 3, 4, 2, 4, 1, 2, 3, 4, 4, 3, 1, 3, 1, 4, 4, 4, 3, 2, 3, 4, 4, 2, 5, 1, 4, 4, 3, 1, 5, 4, 3, 4, 5, 4, 3, 1, 4, 2, 4, 4, 3, 4, 2, 3, 4, 3, 4, 1, 2, 3, 3, 3, 3, 2, 3, 3, 1, 2, 4, 2, 2, 4, 2, 1, 4, 4, 3, 3, 3, 3, 4, 4, 2, 3, 4, 3, 1, 1, 3, 4, 1, 4, 3, 4, 5, 3, 2, 5, 5, 4, 3, 3, 2, 4, 3, 1, 2, 1, 4, 2, 1, 3, 3, 2, 3, 2, 4 };
    const double y[] = { 4, 2, 2, 3, 3, 1, NAN, 3, 1, 4, 3, 3, 3, 2, 3, 4, 2, 2, 1, 3, 3, 2, 4, 2, 3, 4, 3, 2, 1, 1, 3, 3, 3, 2, 4, 1, 3, 2, 2, 2, 3, 2, 1, 3, 2, 4, 3, 3, 1, 4, 1, 1, 1, 3, 3, 2, 1, 4, 3, 2, 2, 1, 4, 4, 4, 4, 2, 3, 3, 4, 4, 2, 2, 1, 1, 4, 3, 3, 4, 4, 4, 3, 1, 2, 2, 2, 2, 3, 1, 4, 3, 4, 2, 3, 1, 2, 3, 1, 1, 2, 3, 3, 2, 1, 2, 1, 4, 3, 2, 4, 3, 4, 4, 1, 2, 4, 2, 2, 3, 1, 1, 3, 4, 2, 4, 3, 3, 2, 1, 3, 3, 3, 4, 3, 3, 1, 2, 4, 3, 4, 1, 1, 1, 1, 2, 3, 3, 3, 3, 2, 3, 3, 1, 3, 3, 2, 1, 2, 2, 4, 3, 1, 2, 3, 4, 2, 3, 4, 4, 2, 1, 4, 4, 1, 4, 2, 3, 4, 3, 1, 3, 4, 4, 3, 3, 2, 1, 4, 1, 2, 1, 3, 1, 1, 3, 3, 2, 1, 1, 4 };
    const size_t n = sizeof x / sizeof x[0];
    double y2[sizeof y / sizeof y[0]], rho = 0;
    const char *why = NULL;
    CHECK(n == sizeof y / sizeof y[0]);
    CHECK(poly_rho(x, 1, y, 1, n, 5, &rho, &why) == STATS_OK);
    CHECK_NEAR(rho, 0.58362061453486569, 1e-9);
    for (size_t i = 0; i < n; i++)
        y2[i] = isnan(y[i]) ? NAN : 5 - y[i];
    CHECK(poly_rho(x, 1, y2, 1, n, 5, &rho, &why) == STATS_OK);
    CHECK_NEAR(rho, -0.58362061453486735, 1e-9);
    /* a constant item: fewer than 2 columns, undefined with a reason */
    double c[sizeof x / sizeof x[0]];
    for (size_t i = 0; i < n; i++)
        c[i] = 3;
    CHECK(poly_rho(x, 1, c, 1, n, 5, &rho, &why) == STATS_UNDEFINED);
    CHECK(why && strstr(why, "fewer than 2"));
    /* an answer that is no option */
    c[0] = 7;
    CHECK(poly_rho(x, 1, c, 1, n, 5, &rho, &why) == STATS_EINVAL);
}

static void test_congruence(void)
{
    const double a[] = { 1, 2, 0, -1 }, b[] = { 2, 4, 0, -2 }, z[] = { 0, 0, 0, 0 };
    CHECK_NEAR(efa_congruence(a, 1, b, 1, 4), 1.0, 1e-15);
    CHECK_NEAR(efa_congruence(a, 1, a, 1, 2), 1.0, 1e-15);
    /* sum(a b) / sqrt(sum a^2 sum b^2) with b = (1, 0, 1, 0): (1 + 0) / sqrt(6 * 2) */
    const double c[] = { 1, 0, 1, 0 };
    CHECK_NEAR(efa_congruence(a, 1, c, 1, 4), 1.0 / sqrt(12.0), 1e-15);
    CHECK(isnan(efa_congruence(a, 1, z, 1, 4)));
}

static void test_sign_order(void)
{
    /* columns: sums -1.5 (flipped) and 0.9; ss after flipping 1.25 and 0.81: the flipped one first */
    double L[] = { -1.0, 0.9, -0.5, 0.0 }, phi[] = { 1.0, 0.3, 0.3, 1.0 };
    efa_sign_order(L, 2, 2, phi);
    CHECK_NEAR(L[0], 1.0, 0);
    CHECK_NEAR(L[2], 0.5, 0);
    CHECK_NEAR(phi[1], -0.3, 0);
    /* orthogonal: ordered by colSums(L^2), the bigger second column first */
    double M[] = { 0.1, 0.9, 0.2, 0.8 };
    efa_sign_order(M, 2, 2, NULL);
    CHECK_NEAR(M[0], 0.9, 0);
    CHECK_NEAR(M[1], 0.1, 0);
}

static void test_extract_errors(void)
{
    const double R[] = { 1, 0.5, 0.5, 1 };
    double L[4], psi[2];
    const char *why = NULL;
    CHECK(efa_extract(R, 2, 2, EFA_MINRES, L, psi, NULL, &why) == STATS_UNDEFINED);
    CHECK(why && strstr(why, "fewer than the items"));
}

/* structure_fit.c takes the criterion's eigenvalues from gsl_eigen_symm and the gradient's from
 * gsl_eigen_symmv, on the claim that both give the same bits (so that the optimisation path is the
 * one of symmv alone): checked on correlation-like matrices minus a diagonal, as the EFA forms them. */
static void test_eigen_values_same_bits(void)
{
    const size_t sizes[] = { 5, 44, 120 };
    unsigned long long s = 42;
    for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
        size_t p = sizes[t];
        gsl_matrix *a = gsl_matrix_alloc(p, p), *b = gsl_matrix_alloc(p, p), *v = gsl_matrix_alloc(p, p);
        gsl_vector *e1 = gsl_vector_alloc(p), *e2 = gsl_vector_alloc(p);
        gsl_eigen_symm_workspace *w1 = gsl_eigen_symm_alloc(p);
        gsl_eigen_symmv_workspace *w2 = gsl_eigen_symmv_alloc(p);
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j <= i; j++) {
                s = s * 6364136223846793005ULL + 1442695040888963407ULL;
                double r = i == j ? 1.0 - 0.3 * (double)(s >> 11) / 9007199254740992.0
                                  : 0.6 * ((double)(s >> 11) / 9007199254740992.0 - 0.3);
                gsl_matrix_set(a, i, j, r);
                gsl_matrix_set(a, j, i, r);
            }
        gsl_matrix_memcpy(b, a);
        CHECK(gsl_eigen_symm(a, e1, w1) == 0);
        CHECK(gsl_eigen_symmv(b, e2, v, w2) == 0);
        gsl_sort_vector(e1);
        gsl_sort_vector(e2);
        CHECK(memcmp(e1->data, e2->data, p * sizeof(double)) == 0);
        gsl_matrix_free(a);
        gsl_matrix_free(b);
        gsl_matrix_free(v);
        gsl_vector_free(e1);
        gsl_vector_free(e2);
        gsl_eigen_symm_free(w1);
        gsl_eigen_symmv_free(w2);
    }
}

int main(void)
{
    test_bvn();
    test_polychoric();
    test_congruence();
    test_sign_order();
    test_extract_errors();
    test_eigen_values_same_bits();
    return CHECK_DONE();
}
