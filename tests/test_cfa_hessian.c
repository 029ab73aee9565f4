/* tests/test_cfa_hessian.c -- metrics/structure_cfa_hessian.c: the exact Hessian of the CFA's ML
 * discrepancy against central differences of its analytic gradient, on one group and on three
 * groups with a mean structure (configural, metric, scalar), at points away from the optimum (every
 * term of the Hessian is then non-zero); at a perfect fit it must be twice the information. */
#include "tests/check.h"
#include "metrics/structure_cfa_int.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>

#define P 9
#define M 3
#define NG 3
#define N 300

static const size_t factor_of[P] = { 0, 0, 0, 1, 1, 1, 2, 2, 2 };

/* A reproducible normal deviate (an LCG and Box-Muller): the test needs data, not randomness. */
static double normal(unsigned long long *s)
{
    double u[2];
    for (int i = 0; i < 2; i++) {
        *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
        u[i] = ((double)(*s >> 11) + 0.5) / 9007199254740992.0;
    }
    return sqrt(-2 * log(u[0])) * cos(2 * M_PI * u[1]);
}

/* Group g's sample moments from a three-factor model with group-specific loadings and means. */
static void moments(size_t g, gsl_matrix *cov, double *mean)
{
    static double x[N][P];
    unsigned long long s = 12345 + g;
    for (size_t r = 0; r < N; r++) {
        double f[M];
        for (size_t k = 0; k < M; k++)
            f[k] = normal(&s) + 0.2 * (double)g;
        f[1] += 0.4 * f[0];
        for (size_t i = 0; i < P; i++)
            x[r][i] = 1 + 0.1 * (double)i + (0.5 + 0.05 * (double)(i + g)) * f[factor_of[i]] + 0.7 * normal(&s);
    }
    for (size_t i = 0; i < P; i++) {
        mean[i] = 0;
        for (size_t r = 0; r < N; r++)
            mean[i] += x[r][i] / N;
    }
    for (size_t i = 0; i < P; i++)
        for (size_t j = 0; j < P; j++) {
            double v = 0;
            for (size_t r = 0; r < N; r++)
                v += (x[r][i] - mean[i]) * (x[r][j] - mean[j]);
            gsl_matrix_set(cov, i, j, v / N);
        }
}

/* A point of the parameter space: every free parameter set by what it is, shifted by `shift`. */
static void point(const struct cfa_model *md, gsl_vector *x, double shift)
{
    for (size_t g = 0; g < md->ng; g++) {
        for (size_t i = 0; i < md->p; i++) {
            if (md->i_lam[g * P + i] >= 0)
                gsl_vector_set(x, (size_t)md->i_lam[g * P + i], 0.55 + 0.03 * (double)i + shift);
            gsl_vector_set(x, (size_t)md->i_th[g * P + i], 0.45 + 0.02 * (double)i - shift);
            if (md->i_nu[g * P + i] >= 0)
                gsl_vector_set(x, (size_t)md->i_nu[g * P + i], 1.1 + 0.1 * (double)i + shift);
        }
        for (size_t f = 0; f < M; f++) {
            for (size_t h = 0; h < M; h++) {
                long k = md->i_phi[(g * M + f) * M + h];
                if (k >= 0)
                    gsl_vector_set(x, (size_t)k, f == h ? 1.2 + shift : 0.25 + 0.05 * (double)(f + h));
            }
            if (md->i_al[g * M + f] >= 0)
                gsl_vector_set(x, (size_t)md->i_al[g * M + f], 0.15 * (double)(f + 1) - shift);
        }
    }
}

/* max |H - central differences of the gradient| over max(1, |H|), and whether H is symmetric */
static double fd_error(struct cfa_model *md, const gsl_vector *x, int *symmetric)
{
    size_t q = md->q;
    gsl_matrix *h = gsl_matrix_alloc(q, q);
    gsl_vector *xt = gsl_vector_alloc(q), *gp = gsl_vector_alloc(q), *gm = gsl_vector_alloc(q);
    double worst = 0;
    CHECK(cfa_model_hessian(x, md, h) == 0);
    *symmetric = 1;
    for (size_t k = 0; k < q; k++)
        for (size_t l = 0; l < q; l++)
            *symmetric &= gsl_matrix_get(h, k, l) == gsl_matrix_get(h, l, k);
    for (size_t k = 0; k < q; k++) {
        double step = 1e-5 * fmax(1.0, fabs(gsl_vector_get(x, k)));
        gsl_vector_memcpy(xt, x);
        gsl_vector_set(xt, k, gsl_vector_get(x, k) + step);
        CHECK(cfa_model_gradient(xt, md, gp) == 0);
        gsl_vector_set(xt, k, gsl_vector_get(x, k) - step);
        CHECK(cfa_model_gradient(xt, md, gm) == 0);
        for (size_t i = 0; i < q; i++) {
            double fd = (gsl_vector_get(gp, i) - gsl_vector_get(gm, i)) / (2 * step);
            double e = fabs(gsl_matrix_get(h, i, k) - fd) / fmax(1.0, fabs(fd));
            worst = fmax(worst, e);
        }
    }
    gsl_matrix_free(h);
    gsl_vector_free(xt);
    gsl_vector_free(gp);
    gsl_vector_free(gm);
    return worst;
}

/* The groups' moments (cov allocated here), group g of n - step * g respondents. */
static void make_groups(gsl_matrix *cov[NG], double mean[NG][P], struct cfa_group grp[NG], size_t step)
{
    for (size_t g = 0; g < NG; g++) {
        cov[g] = gsl_matrix_alloc(P, P);
        moments(g, cov[g], mean[g]);
        grp[g] = (struct cfa_group){ cov[g], mean[g], N - step * g };
    }
}

/* The Hessian of every constraint level, at two points, against central differences. */
static void test_against_differences(void)
{
    gsl_matrix *cov[NG];
    static double mean[NG][P];
    struct cfa_group grp[NG];
    make_groups(cov, mean, grp, 10);
    for (int ng = 1; ng <= NG; ng += NG - 1)
        for (int eq = CFA_CONFIGURAL; eq <= (ng > 1 ? CFA_SCALAR : CFA_CONFIGURAL); eq++) {
            struct cfa_spec spec = { P, M, factor_of, (size_t)ng, grp, (enum cfa_equal)eq };
            struct cfa_model md;
            const char *why = NULL;
            CHECK(cfa_model_init(&md, &spec, &why) == 0);
            gsl_vector *x = gsl_vector_alloc(md.q);
            for (int s = 0; s < 2; s++) {
                int symmetric = 0;
                point(&md, x, 0.1 * s);
                double e = fd_error(&md, x, &symmetric);
                printf("groups %d, equal %d, point %d: q = %zu, max relative error %.2e\n", ng, eq, s, md.q, e);
                CHECK(e < 1e-7);
                CHECK(symmetric);
            }
            gsl_vector_free(x);
            cfa_model_free(&md);
        }
    for (size_t g = 0; g < NG; g++)
        gsl_matrix_free(cov[g]);
}

/* At a perfect fit (S = Sigma, means = mu) M = 0 and d = 0: H is exactly twice the information. */
static void test_perfect_fit(void)
{
    gsl_matrix *cov[NG];
    static double mean[NG][P];
    struct cfa_group grp[NG];
    make_groups(cov, mean, grp, 0);
    struct cfa_spec spec = { P, M, factor_of, NG, grp, CFA_CONFIGURAL };
    struct cfa_model md;
    const char *why = NULL;
    CHECK(cfa_model_init(&md, &spec, &why) == 0);
    gsl_vector *x = gsl_vector_alloc(md.q);
    point(&md, x, 0);
    CHECK(cfa_model_update(&md, x) == 0);
    for (size_t g = 0; g < NG; g++) {     /* the sample moments become the implied ones */
        gsl_matrix_memcpy(cov[g], md.sigma[g]);
        for (size_t i = 0; i < P; i++)
            mean[g][i] = gsl_vector_get(md.mu[g], i);
    }
    gsl_vector_set(x, 0, gsl_vector_get(x, 0) + 1);    /* forget the cached point */
    CHECK(cfa_model_update(&md, x) == 0);
    gsl_vector_set(x, 0, gsl_vector_get(x, 0) - 1);
    gsl_matrix *h = gsl_matrix_alloc(md.q, md.q), *info = gsl_matrix_alloc(md.q, md.q);
    CHECK(cfa_model_hessian(x, &md, h) == 0);
    CHECK(cfa_model_information(&md, x, info) == 0);
    double worst = 0;
    for (size_t k = 0; k < md.q; k++)
        for (size_t l = 0; l < md.q; l++)
            worst = fmax(worst, fabs(gsl_matrix_get(h, k, l) - 2 * gsl_matrix_get(info, k, l)));
    printf("perfect fit: max |H - 2 I| = %.2e\n", worst);
    CHECK(worst < 1e-10);
    gsl_matrix_free(h);
    gsl_matrix_free(info);
    gsl_vector_free(x);
    cfa_model_free(&md);
    for (size_t g = 0; g < NG; g++)
        gsl_matrix_free(cov[g]);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_against_differences();
    test_perfect_fit();
    return CHECK_DONE();
}
