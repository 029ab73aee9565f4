/* tests/test_structure_cfa.c -- metrics/structure_cfa.c and structure_optim.c against lavaan 0.6-14.
 * Each case file tests/data/structure_cfa/NAME.txt (written by tests/oracle/structure_cfa.R) names its
 * data file, rows, items, factors and group column, and lists lavaan's estimates, standard errors,
 * fit measures, likelihood-ratio tests and post-check; this test recomputes all of them.
 * Run from the top of the tree (or set PSYFAITH_TOP). */
#include "tests/check.h"
#include "metrics/structure_cfa.h"
#include "metrics/structure_optim.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <stdlib.h>

#define MAXP 64
#define MAXG 4
#define MAXROWS 2000

/* ---- the optimiser contract ---- */

struct quad { gsl_matrix *a; gsl_vector *b; int calls; };

static int quad_value(const gsl_vector *x, void *ctx, double *f)
{
    struct quad *q = ctx;
    double v = 0, bx;
    for (size_t i = 0; i < x->size; i++)
        for (size_t j = 0; j < x->size; j++)
            v += 0.5 * gsl_vector_get(x, i) * gsl_matrix_get(q->a, i, j) * gsl_vector_get(x, j);
    gsl_blas_ddot(q->b, x, &bx);
    *f = v - bx;
    q->calls++;
    return 0;
}
static int quad_grad(const gsl_vector *x, void *ctx, gsl_vector *g)
{
    struct quad *q = ctx;
    gsl_vector_memcpy(g, q->b);
    gsl_blas_dgemv(CblasNoTrans, 1.0, q->a, x, -1.0, g);
    return 0;
}
static int quad_curv(const gsl_vector *x, void *ctx, gsl_matrix *h)
{
    gsl_matrix_memcpy(h, ((struct quad *)ctx)->a);
    return 0;
}

/* f = sum exp(x_i) - 2 x_i, minimum at log 2; refuses x_i > 3 (a domain boundary); the curvature
 * is deliberately 100 times too small, so that full steps overshoot into the refused region. */
static int exp_value(const gsl_vector *x, void *ctx, double *f)
{
    double v = 0;
    for (size_t i = 0; i < x->size; i++) {
        if (gsl_vector_get(x, i) > 3)
            return -1;
        v += exp(gsl_vector_get(x, i)) - 2 * gsl_vector_get(x, i);
    }
    *f = v;
    return 0;
}
static int exp_grad(const gsl_vector *x, void *ctx, gsl_vector *g)
{
    for (size_t i = 0; i < x->size; i++)
        gsl_vector_set(g, i, exp(gsl_vector_get(x, i)) - 2);
    return 0;
}
static int exp_curv(const gsl_vector *x, void *ctx, gsl_matrix *h)
{
    gsl_matrix_set_zero(h);
    for (size_t i = 0; i < x->size; i++)
        gsl_matrix_set(h, i, i, *(double *)ctx * exp(gsl_vector_get(x, i)));
    return 0;
}

static void test_optim(void)
{
    struct quad q = { gsl_matrix_alloc(2, 2), gsl_vector_alloc(2), 0 };
    double a[] = { 4, 1, 1, 3 };
    for (int i = 0; i < 4; i++)
        gsl_matrix_set(q.a, (size_t)i / 2, (size_t)i % 2, a[i]);
    gsl_vector_set(q.b, 0, 1);
    gsl_vector_set(q.b, 1, 2);
    gsl_vector *x = gsl_vector_calloc(2);
    struct sopt_problem pb = { .n = 2, .value = quad_value, .gradient = quad_grad, .curvature = quad_curv, .ctx = &q };
    struct sopt_options opt = { 50, 1e-12 };
    struct sopt_result res;
    CHECK(sopt_minimise(&pb, x, &opt, &res) == 0);
    CHECK(res.converged);
    CHECK(res.iterations == 1);                      /* Newton on a quadratic: one step */
    CHECK_NEAR(gsl_vector_get(x, 0), 1.0 / 11, 1e-14); /* A^-1 b = (1/11, 7/11) */
    CHECK_NEAR(gsl_vector_get(x, 1), 7.0 / 11, 1e-14);
    CHECK_NEAR(res.f, -0.5 * (1.0 / 11 + 14.0 / 11), 1e-14);

    double scale = 0.01;
    gsl_vector *y = gsl_vector_calloc(3);
    struct sopt_problem pe = { .n = 3, .value = exp_value, .gradient = exp_grad, .curvature = exp_curv, .ctx = &scale };
    CHECK(sopt_minimise(&pe, y, &opt, &res) == 0);
    CHECK(res.converged);
    for (size_t i = 0; i < 3; i++)
        CHECK_NEAR(gsl_vector_get(y, i), log(2.0), 1e-12);
    /* too few iterations: reported, not hidden */
    gsl_vector_set_all(y, -5);
    struct sopt_options short_opt = { 2, 1e-12 };
    CHECK(sopt_minimise(&pe, y, &short_opt, &res) == 0);
    CHECK(!res.converged);
    CHECK(res.why != NULL);
    /* a start point outside the domain is an error */
    gsl_vector_set_all(y, 4);
    CHECK(sopt_minimise(&pe, y, &opt, &res) == -1);
    gsl_vector_free(x);
    gsl_vector_free(y);
    gsl_matrix_free(q.a);
    gsl_vector_free(q.b);
}

static void test_pnchisq(void)
{
    /* R 4.2: pchisq(x, df, ncp) */
    CHECK_NEAR(cfa_pnchisq(100, 80, 10), 0.76854901900694261, 1e-11); /* R pnchisq: errmax 1e-12 */
    CHECK_NEAR(cfa_pnchisq(4480.17, 1165, 3000), 0.9951723745466059, 1e-11); /* R pnchisq: errmax 1e-12 */
    CHECK_NEAR(cfa_pnchisq(50, 60, 0.5), 0.17102332020399855, 1e-11); /* R pnchisq: errmax 1e-12 */
    CHECK_NEAR(cfa_pnchisq(12941.7, 1000, 11000), 0.99999183753517629, 1e-11); /* R pnchisq: errmax 1e-12 */
    CHECK_NEAR(cfa_pnchisq(3, 2, 40), 1.0899227018972936e-06, 1e-17);
}

/* ---- the lavaan cases ---- */

struct expected {
    char data[256], filter_col[32], filter_val[64], group_col[32];
    char items[MAXP][16], levels[MAXG][64];
    size_t p, m, ng, rows, factor_of[MAXP];
};

static char *top_path(const char *rel, char *buf, size_t n)
{
    const char *top = getenv("PSYFAITH_TOP");
    snprintf(buf, n, "%s/%s", top ? top : ".", rel);
    return buf;
}

static int read_header(const char *name, struct expected *e)
{
    char path[512], rel[256], line[4096];
    snprintf(rel, sizeof rel, "tests/data/structure_cfa/%s.txt", name);
    FILE *fp = fopen(top_path(rel, path, sizeof path), "r");
    if (!fp)
        return -1;
    memset(e, 0, sizeof *e);
    strcpy(e->filter_col, "-");
    while (fgets(line, sizeof line, fp)) {
        char *save, *tok = strtok_r(line, " \n", &save);
        if (!tok)
            continue;
        if (!strcmp(tok, "data"))
            snprintf(e->data, sizeof e->data, "%s", strtok_r(NULL, " \n", &save));
        else if (!strcmp(tok, "rows"))
            e->rows = strtoul(strtok_r(NULL, " \n", &save), NULL, 10);
        else if (!strcmp(tok, "filter")) {
            char *v = strtok_r(NULL, " \n", &save), *eq = strchr(v, '=');
            if (eq) {
                *eq = 0;
                snprintf(e->filter_col, sizeof e->filter_col, "%s", v);
                snprintf(e->filter_val, sizeof e->filter_val, "%s", eq + 1);
            }
        } else if (!strcmp(tok, "items")) {
            while ((tok = strtok_r(NULL, " \n", &save)) && e->p < MAXP)
                snprintf(e->items[e->p++], 16, "%s", tok);
        } else if (!strcmp(tok, "factor")) {
            size_t i = 0;
            while ((tok = strtok_r(NULL, " \n", &save)) && i < MAXP) {
                e->factor_of[i] = strtoul(tok, NULL, 10) - 1;
                if (e->factor_of[i] + 1 > e->m)
                    e->m = e->factor_of[i] + 1;
                i++;
            }
        } else if (!strcmp(tok, "group")) {
            snprintf(e->group_col, sizeof e->group_col, "%s", strtok_r(NULL, " \n", &save));
            while ((tok = strtok_r(NULL, " \n", &save)) && e->ng < MAXG)
                snprintf(e->levels[e->ng++], 64, "%s", tok);
        }
    }
    fclose(fp);
    if (!e->ng)
        e->ng = 1;
    return 0;
}

/* Moments per group (divisor N, as lavaan's likelihood = "normal"). */
static int read_moments(const struct expected *e, gsl_matrix **cov, double mean[][MAXP], size_t *n)
{
    char path[512], line[8192];
    FILE *fp = fopen(top_path(e->data, path, sizeof path), "r");
    if (!fp)
        return -1;
    int col[MAXP], fcol = -1, gcol = -1, ncol = 0;
    char names[256][32];
    if (!fgets(line, sizeof line, fp)) {
        fclose(fp);
        return -1;
    }
    for (char *save, *tok = strtok_r(line, ",\n", &save); tok; tok = strtok_r(NULL, ",\n", &save))
        snprintf(names[ncol++], 32, "%s", tok);
    for (size_t i = 0; i < e->p; i++) {
        col[i] = -1;
        for (int c = 0; c < ncol; c++)
            if (!strcmp(names[c], e->items[i]))
                col[i] = c;
        if (col[i] < 0) {
            fclose(fp);
            return -1;
        }
    }
    for (int c = 0; c < ncol; c++) {
        if (!strcmp(names[c], e->filter_col))
            fcol = c;
        if (!strcmp(names[c], e->group_col))
            gcol = c;
    }
    static double data[MAXROWS][MAXP];
    static size_t grp[MAXROWS];
    size_t nr = 0;
    while (nr < e->rows && fgets(line, sizeof line, fp)) {
        char *f[256];
        int k = 0;
        for (char *save, *tok = strtok_r(line, ",\n", &save); tok && k < 256; tok = strtok_r(NULL, ",\n", &save))
            f[k++] = tok;
        if (fcol >= 0 && strcmp(f[fcol], e->filter_val))
            continue;
        grp[nr] = 0;
        if (gcol >= 0)
            for (size_t g = 0; g < e->ng; g++)
                if (!strcmp(f[gcol], e->levels[g]))
                    grp[nr] = g;
        for (size_t i = 0; i < e->p; i++)
            data[nr][i] = strtod(f[col[i]], NULL);
        nr++;
    }
    fclose(fp);
    for (size_t g = 0; g < e->ng; g++) {
        n[g] = 0;
        for (size_t i = 0; i < e->p; i++)
            mean[g][i] = 0;
        for (size_t r = 0; r < nr; r++)
            if (grp[r] == g) {
                n[g]++;
                for (size_t i = 0; i < e->p; i++)
                    mean[g][i] += data[r][i];
            }
        for (size_t i = 0; i < e->p; i++)
            mean[g][i] /= (double)n[g];
        cov[g] = gsl_matrix_calloc(e->p, e->p);
        for (size_t r = 0; r < nr; r++)
            if (grp[r] == g)
                for (size_t i = 0; i < e->p; i++)
                    for (size_t j = 0; j < e->p; j++)
                        *gsl_matrix_ptr(cov[g], i, j) +=
                            (data[r][i] - mean[g][i]) * (data[r][j] - mean[g][j]) / (double)n[g];
    }
    return nr == e->rows ? 0 : -1;
}

static double fit_value(const struct cfa_fit *f, const char *name, double *tol)
{
    *tol = 1e-6;
    if (!strcmp(name, "npar")) return (double)f->npar;
    if (!strcmp(name, "chisq")) return f->chisq;
    if (!strcmp(name, "df")) return f->df;
    if (!strcmp(name, "pvalue")) return f->pvalue;
    if (!strcmp(name, "baseline.chisq")) return f->base_chisq;
    if (!strcmp(name, "baseline.df")) return f->base_df;
    if (!strcmp(name, "cfi")) return f->cfi;
    if (!strcmp(name, "tli")) return f->tli;
    if (!strcmp(name, "rmsea")) return f->rmsea;
    if (!strcmp(name, "srmr")) return f->srmr;
    if (!strcmp(name, "logl")) return f->logl;
    if (!strcmp(name, "aic")) return f->aic;
    if (!strcmp(name, "bic")) return f->bic;
    if (!strcmp(name, "rmsea.ci.lower")) return f->rmsea_lo;
    if (!strcmp(name, "rmsea.ci.upper")) return f->rmsea_hi;
    *tol = -1;
    return NAN;
}

static int checked_values;

/* Compare every line of the case file whose tag is `tag` with the fit. */
static void compare(const char *name, const char *tag, const struct cfa_fit *f)
{
    char path[512], rel[256], line[512];
    snprintf(rel, sizeof rel, "tests/data/structure_cfa/%s.txt", name);
    FILE *fp = fopen(top_path(rel, path, sizeof path), "r");
    CHECK(fp != NULL);
    if (!fp)
        return;
    size_t p = f->p, m = f->m;
    while (fgets(line, sizeof line, fp)) {
        char kind[16], t[16], what[32];
        double v, se, tol;
        int g, i, j;
        if (sscanf(line, "fit %15s %31s %lf", t, what, &v) == 3 && !strcmp(t, tag)) {
            double got = fit_value(f, what, &tol);
            CHECK(tol > 0);
            /* large statistics (chi-square, logl) to 1e-6 relative: lavaan's own convergence */
            CHECK_NEAR(got, v, tol * fmax(1, fabs(v)));
            if (fabs(got - v) > tol * fmax(1, fabs(v)))
                fprintf(stderr, "    %s %s %s\n", name, tag, what);
            checked_values++;
        } else if (sscanf(line, "fitloose %15s %31s %lf", t, what, &v) == 3 && !strcmp(t, tag)) {
            CHECK_NEAR(fit_value(f, what, &tol), v, 1e-3); /* lavaan's uniroot tolerance */
        } else if (sscanf(line, "check %15s %31s %lf", t, what, &v) == 3 && !strcmp(t, tag)) {
            if (!strcmp(what, "converged"))
                CHECK(f->converged == (int)v);
            else {
                CHECK(f->admissible == (int)v);
                if (f->admissible != (int)v)
                    fprintf(stderr, "    %s %s admissible %d (%s)\n", name, tag, f->admissible, f->note);
                CHECK((f->admissible == 0) == (f->note[0] != 0));
            }
        } else if (sscanf(line, "par %15s %d %15s %d %d %lf %lf", t, &g, kind, &i, &j, &v, &se) == 7 &&
                   !strcmp(t, tag)) {
            const double *est = NULL, *sev = NULL;
            size_t k = 0;
            g--, i--, j--;
            if (!strcmp(kind, "lambda")) { est = f->lambda; sev = f->se_lambda; k = (size_t)g * p + (size_t)i; }
            else if (!strcmp(kind, "theta")) { est = f->theta; sev = f->se_theta; k = (size_t)g * p + (size_t)i; }
            else if (!strcmp(kind, "nu")) { est = f->nu; sev = f->se_nu; k = (size_t)g * p + (size_t)i; }
            else if (!strcmp(kind, "alpha")) { est = f->alpha; sev = f->se_alpha; k = (size_t)g * m + (size_t)i; }
            else if (!strcmp(kind, "phi")) { est = f->phi; sev = f->se_phi; k = ((size_t)g * m + (size_t)i) * m + (size_t)j; }
            CHECK(est != NULL);
            if (!est)
                continue;
            CHECK_NEAR(est[k], v, 1e-6 * fmax(1, fabs(v))); /* relative above 1 */
            CHECK_NEAR(sev[k], se, 1e-6);
            if (fabs(est[k] - v) > 1e-6 * fmax(1, fabs(v)) || fabs(sev[k] - se) > 1e-6)
                fprintf(stderr, "    %s %s %s g%d %d %d\n", name, tag, kind, g + 1, i + 1, j + 1);
            checked_values += 2;
        } else if (sscanf(line, "lrt %15s", t) == 1 || sscanf(line, "dcfi %15s", t) == 1) {
            /* compared in test_case, which has both fits */
        }
    }
    fclose(fp);
}

static void compare_lrt(const char *name, struct cfa_fit *fits[3])
{
    char path[512], rel[256], line[512], step[16];
    snprintf(rel, sizeof rel, "tests/data/structure_cfa/%s.txt", name);
    FILE *fp = fopen(top_path(rel, path, sizeof path), "r");
    double a, b, c;
    int n = 0;
    while (fp && fgets(line, sizeof line, fp)) {
        struct cfa_lrt l;
        if (sscanf(line, "lrt %15s %lf %lf %lf", step, &a, &b, &c) == 4) {
            int s = !strcmp(step, "metric") ? 1 : 2;
            cfa_lrt(fits[s - 1], fits[s], &l);
            CHECK_NEAR(l.dchisq, a, 1e-6 * fmax(1, fabs(a)));
            CHECK_NEAR(l.ddf, b, 0);
            CHECK_NEAR(l.pvalue, c, 1e-6);
            n++;
        } else if (sscanf(line, "dcfi %15s %lf", step, &a) == 2) {
            int s = !strcmp(step, "metric") ? 1 : 2;
            cfa_lrt(fits[s - 1], fits[s], &l);
            CHECK_NEAR(l.dcfi, a, 1e-6);
            n++;
        }
    }
    CHECK(n == 4);
    if (fp)
        fclose(fp);
}

static void test_case(const char *name)
{
    struct expected e;
    gsl_matrix *cov[MAXG] = { 0 };
    static double mean[MAXG][MAXP];
    size_t n[MAXG];
    CHECK(read_header(name, &e) == 0);
    CHECK(read_moments(&e, cov, mean, n) == 0);
    if (!cov[0])
        return;
    struct cfa_group grp[MAXG];
    for (size_t g = 0; g < e.ng; g++)
        grp[g] = (struct cfa_group){ cov[g], mean[g], n[g] };
    struct cfa_spec spec = { e.p, e.m, e.factor_of, e.ng, grp, CFA_CONFIGURAL };
    const char *why = NULL;
    if (e.ng == 1) {
        struct cfa_fit *f = NULL;
        CHECK(cfa_fit(&spec, &f, &why) == 0);
        if (f) {
            printf("%s: %d iterations, chisq %.4f, df %.0f, cfi %.4f, %s\n", name, f->iterations, f->chisq,
                   f->df, f->cfi, f->admissible ? "admissible" : f->note);
            compare(name, "single", f);
        }
        cfa_fit_free(f);
    } else {
        static const char *tags[] = { "configural", "metric", "scalar" };
        struct cfa_fit *fits[3] = { 0 };
        for (int s = 0; s < 3; s++) {
            spec.equal = (enum cfa_equal)s;
            CHECK(cfa_fit(&spec, &fits[s], &why) == 0);
            if (!fits[s])
                return;
            printf("%s %s: %d iterations, chisq %.10f, df %.0f\n", name, tags[s], fits[s]->iterations,
                   fits[s]->chisq, fits[s]->df);
            compare(name, tags[s], fits[s]);
        }
        compare_lrt(name, fits);
        for (int s = 0; s < 3; s++)
            cfa_fit_free(fits[s]);
    }
    for (size_t g = 0; g < e.ng; g++)
        gsl_matrix_free(cov[g]);
}

static void test_errors(void)
{
    /* a singular S (two identical items) is an error with a reason, not a fit */
    gsl_matrix *s = gsl_matrix_alloc(3, 3);
    gsl_matrix_set_all(s, 1);
    gsl_matrix_set(s, 2, 2, 2);
    size_t fac[3] = { 0, 0, 0 };
    struct cfa_group g = { s, NULL, 100 };
    struct cfa_spec spec = { 3, 1, fac, 1, &g, CFA_CONFIGURAL };
    struct cfa_fit *f = NULL;
    const char *why = NULL;
    CHECK(cfa_fit(&spec, &f, &why) == -1);
    CHECK(f == NULL);
    CHECK(why != NULL && strstr(why, "not positive definite"));
    size_t badfac[3] = { 0, 0, 2 };
    spec.factor_of = badfac;
    CHECK(cfa_fit(&spec, &f, &why) == -1);
    gsl_matrix_free(s);
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    test_optim();
    test_pnchisq();
    test_errors();
    static const char *cases[] = { "gen_known", "gen_merged", "gen_method", "gen_invariance", "ipip50",
                                   "ipip50_gender", "personallm_gpt35", "personallm_gpt4", "personallm_inv" };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        if (argc < 2 || !strcmp(argv[1], cases[c]))
            test_case(cases[c]);
    printf("%d values compared with lavaan\n", checked_values);
    return CHECK_DONE();
}
