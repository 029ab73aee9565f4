/* tests/test_games.c -- metrics/games_fit.c and the human reference table against R.
 *
 * Inputs: the fixture's analysed trials and runs (tests/oracle/games/ug_trials.tsv, me_runs.tsv,
 * written by fixtures/games/make_fixture.py) and the values R computed from them
 * (tests/oracle/games/expected.txt, written by tests/oracle/games.R).  Every ug_ols, ug_logit,
 * ug_trend, ug_monotonicity, ug_offer_regression, ug_acceptance and me_welch (t, df, p) value of
 * that file is recomputed here from the library functions.  tests/cli/games.sh checks the same
 * file against the whole command (store, SQL, grouping).  Run from the repository root. */
#include "metrics/games.h"
#include "metrics/games_int.h"
#include "metrics/stats.h"
#include "tests/check.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#define DIR "tests/oracle/games/"
#define HUMAN_CSV "fixtures/games/human_games.csv"
#define TOL 1e-9          /* lm, t.test, prop.test, cor */
#define TOL_GLM 1e-6      /* glm's IRLS stops at a relative deviance change of 1e-8 */

/* ---- tab-separated text files ------------------------------------------------------------ */

enum { F_ANALYSIS, F_MODEL, F_TRAIT, F_LEVEL, F_OFFER, F_TERM, F_VALUE, F_LO, F_HI, F_DF, F_P, F_N, N_F };
struct expect {
    char *f[N_F];
    int used;
};
static struct expect *ex;
static size_t n_ex;

/* Splits line at tabs into at most max fields (in place); returns the count. */
static size_t split(char *line, char **f, size_t max)
{
    size_t n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *s = line; n < max; n++) {
        f[n] = s;
        char *tab = strchr(s, '\t');
        if (!tab)
            return n + 1;
        *tab = '\0';
        s = tab + 1;
    }
    return n;
}

static int load_expected(void)
{
    FILE *fp = fopen(DIR "expected.txt", "r");
    char *line = NULL;
    size_t cap = 0, vcap = 0;
    if (!fp)
        return -1;
    while (getline(&line, &cap, fp) > 0) {
        char *f[N_F];
        if (line[0] == '#' || split(line, f, N_F) != N_F)
            continue;
        if (n_ex == vcap) {
            vcap = vcap ? 2 * vcap : 1024;
            ex = realloc(ex, vcap * sizeof *ex);
        }
        for (int i = 0; i < N_F; i++)
            ex[n_ex].f[i] = strdup(f[i]);
        ex[n_ex++].used = 0;
    }
    free(line);
    fclose(fp);
    return 0;
}

static double num(const char *s)
{
    return strcmp(s, "-") == 0 ? NAN : strtod(s, NULL);
}

static int same(const char *cell, const char *want)
{
    return strcmp(cell, want ? want : "-") == 0;
}

static struct expect *find(const char *analysis, const char *model, const char *trait, const char *level,
                           const char *offer, const char *term)
{
    for (size_t i = 0; i < n_ex; i++)
        if (same(ex[i].f[F_ANALYSIS], analysis) && same(ex[i].f[F_MODEL], model) && same(ex[i].f[F_TRAIT], trait) &&
            same(ex[i].f[F_LEVEL], level) && same(ex[i].f[F_OFFER], offer) && same(ex[i].f[F_TERM], term))
            return &ex[i];
    return NULL;
}

static double max_diff[2];        /* [0] lm/t.test/prop.test/cor, [1] glm */

static void near(double got, const char *want, double tol, const char *what)
{
    double w = num(want);
    CHECK_NEAR(got, w, tol);
    if (!isnan(w) && fabs(got - w) > max_diff[tol == TOL_GLM])
        max_diff[tol == TOL_GLM] = fabs(got - w);
    if (!(isnan(got) && isnan(w)) && !(fabs(got - w) <= tol))
        fprintf(stderr, "    in %s\n", what);
}

/* Compares value, ci_low, ci_high, df, p_value (where R gave them) of one expected row. */
static void compare(const char *analysis, const char *model, const char *trait, const char *level,
                    const char *offer, const char *term, double value, double lo, double hi, double df, double p,
                    double tol)
{
    struct expect *e = find(analysis, model, trait, level, offer, term);
    char what[160];
    snprintf(what, sizeof what, "%s %s %s %s %s %s", analysis, model, trait ? trait : "-", level ? level : "-",
             offer ? offer : "-", term);
    CHECK(e != NULL);
    if (!e) {
        fprintf(stderr, "    no R value for %s\n", what);
        return;
    }
    e->used = 1;
    near(value, e->f[F_VALUE], tol, what);
    const double got[4] = { lo, hi, df, p };
    for (int i = 0; i < 4; i++)
        if (strcmp(e->f[F_LO + i], "-") != 0)
            near(got[i], e->f[F_LO + i], tol, what);
}

/* ---- the fixture's trials and runs ------------------------------------------------------ */

struct trial {
    char model[32], trait[8];
    int level, offer, total, accept;
};
struct runrow {
    char model[32], trait[8], level[8];
    double final;
    int filtered;
};
static struct trial *tr;
static size_t n_tr;
static struct runrow *rr;
static size_t n_rr;

static int load_tsv(void)
{
    FILE *fp = fopen(DIR "ug_trials.tsv", "r");
    char *line = NULL;
    size_t cap = 0, vcap = 0;
    if (!fp)
        return -1;
    while (getline(&line, &cap, fp) > 0) {
        char *f[6];
        if (split(line, f, 6) != 6 || strcmp(f[0], "model") == 0)
            continue;
        if (n_tr == vcap) {
            vcap = vcap ? 2 * vcap : 1024;
            tr = realloc(tr, vcap * sizeof *tr);
        }
        struct trial *t = &tr[n_tr++];
        snprintf(t->model, sizeof t->model, "%s", f[0]);
        snprintf(t->trait, sizeof t->trait, "%s", f[1]);
        t->level = strcmp(f[2], "NA") == 0 ? 0 : atoi(f[2]);
        t->offer = atoi(f[3]);
        t->total = atoi(f[4]);
        t->accept = atoi(f[5]);
    }
    fclose(fp);
    if (!(fp = fopen(DIR "me_runs.tsv", "r"))) {
        free(line);
        return -1;
    }
    vcap = 0;
    while (getline(&line, &cap, fp) > 0) {
        char *f[7];
        if (split(line, f, 7) != 7 || strcmp(f[0], "model") == 0)
            continue;
        if (n_rr == vcap) {
            vcap = vcap ? 2 * vcap : 256;
            rr = realloc(rr, vcap * sizeof *rr);
        }
        struct runrow *r = &rr[n_rr++];
        snprintf(r->model, sizeof r->model, "%s", f[0]);
        snprintf(r->trait, sizeof r->trait, "%s", f[1]);
        snprintf(r->level, sizeof r->level, "%s", f[2]);
        r->final = atof(f[3]);
        r->filtered = atoi(f[6]);
    }
    free(line);
    fclose(fp);
    return 0;
}

/* ---- Ultimatum: the fits of one model x trait -------------------------------------------- */

static void ug_trait(const char *model, const char *trait)
{
    size_t n = 0;
    for (size_t i = 0; i < n_tr; i++)
        n += strcmp(tr[i].model, model) == 0 && strcmp(tr[i].trait, trait) == 0;
    int *lev = malloc(n * sizeof *lev), *levels = malloc(n * sizeof *levels), *offs = malloc(n * sizeof *offs);
    double *o = malloc(n * sizeof *o);
    gsl_vector *y = gsl_vector_alloc(n);
    gsl_matrix *X = NULL, *Xt = gsl_matrix_alloc(n, 3);
    size_t k = 0, m = 0;
    char lvl[16], term[24], off[16];
    for (size_t i = 0; i < n_tr; i++)
        if (strcmp(tr[i].model, model) == 0 && strcmp(tr[i].trait, trait) == 0) {
            lev[m] = tr[i].level;
            offs[m] = tr[i].offer;
            o[m] = (double)tr[i].offer / tr[i].total;
            gsl_vector_set(y, m, tr[i].accept);
            gsl_matrix_set(Xt, m, 0, 1.0);
            gsl_matrix_set(Xt, m, 1, lev[m]);
            gsl_matrix_set(Xt, m, 2, o[m]);
            m++;
        }
    CHECK(games_cellmeans_design(lev, o, n, &X, levels, &k, NULL) == STATS_OK);

    struct games_fit f;
    CHECK(games_ols(X, y, 0, &f, NULL) == STATS_OK);
    for (size_t j = 0; j <= k; j++) {
        snprintf(lvl, sizeof lvl, "%d", j < k ? levels[j] : 0);
        snprintf(term, sizeof term, j < k ? "theta_%d" : "theta_o", j < k ? levels[j] : 0);
        compare("ug_ols", model, trait, j < k ? lvl : NULL, NULL, term, f.coef[j], f.lo[j], f.hi[j], f.df,
                f.p_value[j], TOL);
    }
    compare("ug_ols", model, trait, NULL, NULL, "r2", f.r2, NAN, NAN, f.df, NAN, TOL);
    compare("ug_ols", model, trait, NULL, NULL, "adj_r2", f.adj_r2, NAN, NAN, f.df, NAN, TOL);
    /* monotonicity of theta_i */
    double lvd[9], theta[9], rho;
    for (size_t j = 0; j < k; j++) {
        lvd[j] = levels[j];
        theta[j] = f.coef[j];
    }
    games_snap_ties(theta, k);
    CHECK(stats_spearman(lvd, theta, k, &rho, NULL) == STATS_OK);
    compare("ug_monotonicity", model, trait, NULL, NULL, "spearman_rho", rho, NAN, NAN, NAN, NAN, TOL);
    compare("ug_monotonicity", model, trait, NULL, NULL, "violations",
            (double)games_violations(theta, k, (rho > 0) - (rho < 0)), NAN, NAN, NAN, NAN, TOL);
    games_fit_free(&f);

    CHECK(games_logit(X, y, &f, NULL) == STATS_OK);
    CHECK(!f.boundary);
    for (size_t j = 0; j <= k; j++) {
        snprintf(lvl, sizeof lvl, "%d", j < k ? levels[j] : 0);
        snprintf(term, sizeof term, j < k ? "theta_%d" : "theta_o", j < k ? levels[j] : 0);
        compare("ug_logit", model, trait, j < k ? lvl : NULL, NULL, term, f.coef[j], f.lo[j], f.hi[j], NAN,
                f.p_value[j], TOL_GLM);
    }
    compare("ug_logit", model, trait, NULL, NULL, "deviance", f.deviance, NAN, NAN, f.df, NAN, TOL_GLM);
    compare("ug_logit", model, trait, NULL, NULL, "aic", f.aic, NAN, NAN, NAN, NAN, TOL_GLM);
    games_fit_free(&f);

    static const char *const terms[3] = { "intercept", "slope_level", "slope_o" };
    CHECK(games_logit(Xt, y, &f, NULL) == STATS_OK);
    for (int j = 0; j < 3; j++)
        compare("ug_trend", model, trait, NULL, NULL, terms[j], f.coef[j], f.lo[j], f.hi[j], NAN, f.p_value[j],
                TOL_GLM);
    games_fit_free(&f);

    /* Figure 7: per offer, acceptance rate ~ level */
    for (int offer = 0; offer <= 10; offer++) {
        double acc[10] = { 0 }, cnt[10] = { 0 };
        size_t p = 0;
        for (size_t i = 0; i < n; i++)
            if (offs[i] == offer) {
                acc[lev[i]] += gsl_vector_get(y, i);
                cnt[lev[i]]++;
            }
        gsl_matrix *A = gsl_matrix_alloc(9, 2);
        gsl_vector *r = gsl_vector_alloc(9);
        for (int l = 1; l <= 9; l++)
            if (cnt[l] > 0) {
                gsl_matrix_set(A, p, 0, 1.0);
                gsl_matrix_set(A, p, 1, l);
                gsl_vector_set(r, p++, acc[l] / cnt[l]);
            }
        gsl_matrix_view Av = gsl_matrix_submatrix(A, 0, 0, p, 2);
        gsl_vector_view rv = gsl_vector_subvector(r, 0, p);
        snprintf(off, sizeof off, "%d", offer);
        CHECK(games_ols(&Av.matrix, &rv.vector, 1, &f, NULL) == STATS_OK);
        compare("ug_offer_regression", model, trait, NULL, off, "slope", f.coef[1], f.lo[1], f.hi[1], f.df,
                f.p_value[1], TOL);
        compare("ug_offer_regression", model, trait, NULL, off, "r2", f.r2, NAN, NAN, f.df, NAN, TOL);
        games_fit_free(&f);
        gsl_matrix_free(A);
        gsl_vector_free(r);
    }
    gsl_matrix_free(X);
    gsl_matrix_free(Xt);
    gsl_vector_free(y);
    free(lev);
    free(levels);
    free(offs);
    free(o);
}

/* Every acceptance cell: Wilson interval. */
static void ug_cells(void)
{
    for (size_t i = 0; i < n_tr; i++) {
        size_t k = 0, n = 0;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(tr[j].model, tr[i].model) == 0 && strcmp(tr[j].trait, tr[i].trait) == 0 &&
                   tr[j].level == tr[i].level && tr[j].offer == tr[i].offer;
        if (seen)
            continue;
        for (size_t j = i; j < n_tr; j++)
            if (strcmp(tr[j].model, tr[i].model) == 0 && strcmp(tr[j].trait, tr[i].trait) == 0 &&
                tr[j].level == tr[i].level && tr[j].offer == tr[i].offer) {
                k += (size_t)tr[j].accept;
                n++;
            }
        double lo, hi;
        char lvl[16], off[16];
        snprintf(lvl, sizeof lvl, "%d", tr[i].level);
        snprintf(off, sizeof off, "%d", tr[i].offer);
        int base = strcmp(tr[i].trait, "NA") == 0;
        CHECK(games_wilson(k, n, GAMES_CI_LEVEL, &lo, &hi, NULL) == STATS_OK);
        compare("ug_acceptance", tr[i].model, base ? NULL : tr[i].trait, base ? NULL : lvl, off, "acceptance_rate",
                (double)k / (double)n, lo, hi, NAN, NAN, TOL);
    }
}

/* ---- Milgram: Welch t, df, p ------------------------------------------------------------ */

static size_t finals(const char *model, const char *trait, const char *level, double *x)
{
    size_t n = 0;
    for (size_t i = 0; i < n_rr; i++)
        if (!rr[i].filtered && strcmp(rr[i].model, model) == 0 && strcmp(rr[i].trait, trait) == 0 &&
            strcmp(rr[i].level, level) == 0)
            x[n++] = rr[i].final;
    return n;
}

static void me_welch(void)
{
    static const char *const models[2] = { "persona-sim-a", "persona-sim-b" }, *const traits[2] = { "AGR", "CONS" };
    double x[64], y[64], z[64];
    for (int m = 0; m < 2; m++)
        for (int t = 0; t < 2; t++) {
            size_t nb = finals(models[m], "NA", "NA", z), nlo = finals(models[m], traits[t], "min", y),
                   nhi = finals(models[m], traits[t], "max", x);
            struct stats_ttest w;
            const struct { const double *a; size_t na; const double *b; size_t nb; const char *label; } cmp[3] = {
                { y, nlo, z, nb, "min vs baseline" }, { x, nhi, z, nb, "max vs baseline" },
                { x, nhi, y, nlo, "max vs min" } };
            for (int c = 0; c < 3; c++) {
                CHECK(stats_welch_t(cmp[c].a, cmp[c].na, cmp[c].b, cmp[c].nb, &w, NULL) == STATS_OK);
                compare("me_welch", models[m], traits[t], cmp[c].label, NULL, "welch_t", w.t, NAN, NAN, w.df, w.p,
                        TOL);
            }
        }
}

/* ---- edge cases ---------------------------------------------------------------------------- */

static void edge_cases(void)
{
    double lo, hi;
    CHECK(games_wilson(0, 10, 0.95, &lo, &hi, NULL) == STATS_OK && lo == 0.0 && hi > 0.27 && hi < 0.28);
    CHECK(games_wilson(10, 10, 0.95, &lo, &hi, NULL) == STATS_OK && hi == 1.0 && lo > 0.72);
    CHECK(games_wilson(0, 0, 0.95, &lo, &hi, NULL) == STATS_UNDEFINED);
    CHECK(games_wilson(1, 2, 1.5, &lo, &hi, NULL) == STATS_EINVAL);

    const double up[] = { 1, 2, 2, 3 }, wig[] = { 1, 3, 2, 4 };
    CHECK(games_violations(up, 4, 1) == 0);
    CHECK(games_violations(up, 4, -1) == 2);
    CHECK(games_violations(wig, 4, 1) == 1);
    CHECK(games_violations(wig, 4, -1) == 2);
    CHECK(games_violations(wig, 4, 0) == 1);
    CHECK(games_violations(up, 1, 1) == 0);

    const int lev[] = { 3, 1, 3, 9 };
    const double o[] = { 0.1, 0.2, 0.3, 0.4 };
    int levels[4];
    size_t k;
    gsl_matrix *X;
    CHECK(games_cellmeans_design(lev, o, 4, &X, levels, &k, NULL) == STATS_OK);
    CHECK(k == 3 && levels[0] == 1 && levels[1] == 3 && levels[2] == 9);
    CHECK(gsl_matrix_get(X, 0, 1) == 1.0 && gsl_matrix_get(X, 0, 0) == 0.0 && gsl_matrix_get(X, 3, 2) == 1.0 &&
          gsl_matrix_get(X, 2, 3) == 0.3);
    gsl_matrix_free(X);

    /* rank deficiency, too few observations, y not 0/1, complete separation */
    struct games_fit f;
    const char *why;
    gsl_matrix *D = gsl_matrix_alloc(5, 2);
    gsl_vector *y = gsl_vector_alloc(5);
    for (size_t i = 0; i < 5; i++) {
        gsl_matrix_set(D, i, 0, (double)i);
        gsl_matrix_set(D, i, 1, 2.0 * (double)i);
        gsl_vector_set(y, i, i >= 3);
    }
    CHECK(games_ols(D, y, 0, &f, &why) == STATS_UNDEFINED && strstr(why, "rank deficient"));
    CHECK(games_logit(D, y, &f, &why) == STATS_UNDEFINED);
    gsl_matrix_const_view two = gsl_matrix_const_submatrix(D, 0, 0, 2, 2);
    gsl_vector_const_view y2 = gsl_vector_const_subvector(y, 0, 2);
    CHECK(games_ols(&two.matrix, &y2.vector, 0, &f, NULL) == STATS_UNDEFINED);
    for (size_t i = 0; i < 5; i++)
        gsl_matrix_set(D, i, 0, 1.0);
    gsl_vector_set(y, 0, 0.5);
    CHECK(games_logit(D, y, &f, &why) == STATS_EINVAL);
    gsl_vector_set(y, 0, 0.0);
    /* x separates y completely: R's glm stops with fitted probabilities 0/1 (and warns) */
    int rc = games_logit(D, y, &f, &why);
    CHECK(rc == STATS_UNDEFINED || (rc == STATS_OK && f.boundary));
    games_fit_free(&f);
    /* a perfect linear fit: R^2 = 1, p = 0 */
    for (size_t i = 0; i < 5; i++)
        gsl_vector_set(y, i, 3.0 + 0.5 * (double)i);
    CHECK(games_ols(D, y, 1, &f, NULL) == STATS_OK);
    CHECK_NEAR(f.r2, 1.0, 1e-12);
    CHECK_NEAR(f.coef[1], 0.25, 1e-12);   /* column 1 is 2i */
    games_fit_free(&f);
    gsl_matrix_free(D);
    gsl_vector_free(y);
}

/* ---- personas naming their condition --------------------------------------------------- */

/* Figure 7 with the same acceptance rate at every level: the exact fit (slope 0, no residual),
 * not SVD rounding noise (it printed slope 4e-17, p 0.31, R^2 0.16); R's lm gives slope 0, p NaN,
 * R^2 NaN here.  A rate that varies is R's lm(y2 ~ lv), unchanged. */
static void offer_regression_constant(void)
{
    gsl_matrix *X = gsl_matrix_alloc(9, 2);
    gsl_vector *y = gsl_vector_alloc(9);
    static const double y2[9] = { 0.3, 0.3, 0.4, 0.3, 0.5, 0.3, 0.3, 0.6, 0.3 };
    struct games_fit f;
    for (size_t i = 0; i < 9; i++) {
        gsl_matrix_set(X, i, 0, 1.0);
        gsl_matrix_set(X, i, 1, (double)(i + 1));
        gsl_vector_set(y, i, 3.0 / 10.0);      /* 3 of 10 accepted at every level */
    }
    CHECK(games_ols(X, y, 1, &f, NULL) == STATS_OK);
    CHECK(f.constant_y && f.coef[1] == 0.0 && f.coef[0] == 0.3);
    CHECK(isnan(f.p_value[1]) && isnan(f.r2) && isnan(f.lo[1]) && isnan(f.hi[1]));
    games_fit_free(&f);
    for (size_t i = 0; i < 9; i++)
        gsl_vector_set(y, i, y2[i]);
    CHECK(games_ols(X, y, 1, &f, NULL) == STATS_OK);
    CHECK(!f.constant_y);
    CHECK_NEAR(f.coef[1], 0.011666666666666667, 1e-12);
    CHECK_NEAR(f.p_value[1], 0.4560047671835788519, 1e-12);
    CHECK_NEAR(f.r2, 0.081666666666666624, 1e-12);
    CHECK_NEAR(f.lo[1], -0.023298666312248868, 1e-12);
    CHECK_NEAR(f.hi[1], 0.046631999645582199, 1e-12);
    games_fit_free(&f);
    gsl_matrix_free(X);
    gsl_vector_free(y);
}

static void personas(void)
{
    static const struct { const char *persona; int ret, trait; const char *level; } cases[] = {
        { "agreeableness=7", 1, 1, "7" },   { "AGR = max", 1, 1, "max" },    { " Openness=MIN ", 1, 4, "min" },
        { "conscientiousness=1", 1, 2, "1" }, { NULL, 0, -1, "" },          { "", 0, -1, "" },
        { "  ", 0, -1, "" },                { "Baseline", 0, -1, "" },       { "none", 0, -1, "" },
        { "agreeableness=high", 1, 1, "max" }, { "agreeableness=10", -1, -1, "" }, { "agreeableness=", -1, -1, "" },
        { "neuroticism=3", 1, 3, "7" },     { "warmth=3", -2, -1, "" },      { "a friendly teacher", -2, -1, "" },
        { "N=9", 1, 3, "1" },               { "n = 1", 1, 3, "9" },          { "AGR=min", 1, 1, "min" },
        { "high agreeableness", 1, 1, "max" }, { "Low Neuroticism", 1, 3, "max" }, { "proximity", -2, -1, "" },
        { "peer_defiance", -2, -1, "" },    { "AGR=2.5", -1, -1, "" },       { "neuroticism=12", -1, -1, "" },
        { "high", -2, -1, "" },             { "high warmth", -2, -1, "" },   { "E=9", 1, 0, "9" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int trait;
        char level[8];
        int ret = games_persona(cases[i].persona, &trait, level);
        CHECK(ret == cases[i].ret);
        if (ret == 1)
            CHECK(trait == cases[i].trait && strcmp(level, cases[i].level) == 0);
    }
}

/* ---- the human reference table --------------------------------------------------------- */

static void human_table(void)
{
    struct games_human h, hf;
    CHECK(games_human_load(NULL, &h) == 0);
    CHECK(h.ug_direction[1] == 1 && h.ug_direction[4] == 1 && h.ug_direction[2] == 0);   /* AGR, OPEN */
    CHECK(h.me_direction[1] == 1 && h.me_direction[2] == 1 && h.me_direction[4] == 0);   /* AGR, CONS */
    CHECK(h.accept_n == 6102 && h.accept_count[100] == 6102 && h.accept_count[0] == 297);
    for (int x = 1; x <= 100; x++)
        CHECK(h.accept_count[x] >= h.accept_count[x - 1]);
    CHECK(h.me_n == 40 && h.me_levels == 30 && h.me_remaining[30] == 26 && h.me_remaining[20] == 40 &&
          h.me_remaining[21] == 35);
    CHECK(h.me_cite && strstr(h.me_cite, "Milgram"));

    /* the compiled-in copy is the reviewed file, byte for byte */
    FILE *fp = fopen(HUMAN_CSV, "rb");
    CHECK(fp != NULL);
    if (fp) {
        size_t len = strlen(games_human_csv);
        char *buf = malloc(len + 2);
        size_t got = fread(buf, 1, len + 1, fp);
        fclose(fp);
        CHECK(got == len && memcmp(buf, games_human_csv, len) == 0);
        free(buf);
    }
    CHECK(games_human_load(HUMAN_CSV, &hf) == 0);
    CHECK(hf.accept_n == h.accept_n && memcmp(hf.accept_count, h.accept_count, sizeof h.accept_count) == 0 &&
          memcmp(hf.me_remaining, h.me_remaining, sizeof h.me_remaining) == 0);
    games_human_free(&hf);
    games_human_free(&h);

    /* bad tables are refused with a message, never half-read */
    static const char *const bad[] = {
        "experiment,measure,trait,x,count,n,value\nultimatum,direction,AGR,,,,1\n",             /* no citation */
        "experiment,measure,trait,x,count,n,value,citation\nultimatum,direction,AGR,,,,2,src\n",  /* not +-1 */
        "experiment,measure,trait,x,count,n,value,citation\nultimatum,direction,XYZ,,,,1,src\n",
        "experiment,measure,trait,x,count,n,value,citation\npoker,direction,AGR,,,,1,src\n",
        "experiment,measure,trait,x,count,n,value,citation\nultimatum,acceptance,,0,5,10,0.5,src\n", /* 1..100 missing */
        "experiment,measure,trait,x,count,n,value,citation\nmilgram,remaining,,0,9,10,0.9,src\n",   /* not all at 0 */
        "experiment,measure,trait,x,count,n,value,citation\nultimatum,direction,AGR,,,,1,\n",     /* empty source */
        "",
    };
    char path[] = "/tmp/psyfaith-test-human-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    close(fd);
    fprintf(stderr, "(the next %zu error messages are expected)\n", sizeof bad / sizeof bad[0]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        FILE *w = fopen(path, "w");
        fputs(bad[i], w);
        fclose(w);
        CHECK(games_human_load(path, &h) == -1);
    }
    remove(path);
    CHECK(games_human_load("/nonexistent/human.csv", &h) == -1);
}

int main(void)
{
    gsl_set_error_handler_off();
    if (load_expected() < 0 || load_tsv() < 0) {
        fprintf(stderr, "test_games: cannot read " DIR " (run from the repository root)\n");
        CHECK(0);
        return CHECK_DONE();
    }
    static const char *const models[2] = { "persona-sim-a", "persona-sim-b" }, *const traits[2] = { "AGR", "OPEN" };
    for (int m = 0; m < 2; m++)
        for (int t = 0; t < 2; t++)
            ug_trait(models[m], traits[t]);
    ug_cells();
    me_welch();
    size_t used = 0, fit_rows = 0;
    for (size_t i = 0; i < n_ex; i++) {
        used += ex[i].used;
        fit_rows += strncmp(ex[i].f[F_ANALYSIS], "ug_", 3) == 0 && strcmp(ex[i].f[F_ANALYSIS], "ug_human") != 0;
    }
    /* every Ultimatum fit value of R was recomputed here */
    CHECK(n_ex > 900 && used >= fit_rows);
    printf("test_games: %zu of %zu R values recomputed; max |C - R| = %.3g (lm, t.test, prop.test, cor), "
           "%.3g (glm)\n", used, n_ex, max_diff[0], max_diff[1]);
    edge_cases();
    offer_regression_constant();
    personas();
    human_table();
    for (size_t i = 0; i < n_ex; i++)
        for (int f = 0; f < N_F; f++)
            free(ex[i].f[f]);
    free(ex);
    free(tr);
    free(rr);
    return CHECK_DONE();
}
