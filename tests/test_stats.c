/* tests/test_stats.c -- metrics/stats_*.c against the values R printed.
 *
 * The inputs are the CSV fixtures in tests/oracle/stats/ and, when present, the 19,719
 * openpsychometrics respondents under $PSYFAITH_SHARED (default ../shared).  The wanted
 * values are read at run time from tests/oracle/stats_expected.txt, written by
 * tests/oracle/stats.R (R + psych; CI has no R and only reads the stored file).
 * Run from the repository root. */
#include "metrics/stats.h"
#include "tests/check.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>

#define ORACLE "tests/oracle/stats_expected.txt"
#define FIXTURES "tests/oracle/stats/"
#define BIGFIVE "/data/chatgpt-behavioral/data/bigfive_data.csv"
#define EXACT 1e-12   /* closed-form arithmetic: only rounding differs from R */
#define DIST 1e-9     /* through a distribution function or its inverse */

/* ---- the oracle file: `name value` lines, `NA` for undefined ---------------------------- */

struct oracle_value {
    char name[64];
    double v;
};
static struct oracle_value *oracle;
static size_t n_oracle;
static double max_diff;           /* largest |C - R| seen, reported at the end */
static char max_diff_name[64];

static int load_oracle(void)
{
    char line[256], name[64], val[64];
    size_t cap = 0;
    FILE *f = fopen(ORACLE, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || sscanf(line, "%63s %63s", name, val) != 2)
            continue;
        if (n_oracle == cap) {
            cap = cap ? 2 * cap : 256;
            struct oracle_value *o = realloc(oracle, cap * sizeof *o);
            if (!o)
                break;
            oracle = o;
        }
        strcpy(oracle[n_oracle].name, name);
        oracle[n_oracle++].v = strcmp(val, "NA") == 0 ? NAN : strtod(val, NULL);
    }
    fclose(f);
    return 0;
}

static int lookup(const char *name, double *v)
{
    for (size_t i = 0; i < n_oracle; i++)
        if (strcmp(oracle[i].name, name) == 0) {
            *v = oracle[i].v;
            return 1;
        }
    return 0;
}

/* printf into a static buffer: an oracle name for lookup(). */
static const char *name_of(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *name_of(const char *fmt, ...)
{
    static char name[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    return name;
}

/* CHECK_NEAR against the oracle value `name`; a missing name is a failure. */
static void near_(double got, double tol, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void near_(double got, double tol, int line, const char *fmt, ...)
{
    char name[64];
    double want;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    if (!lookup(name, &want)) {
        check_(0, name, __FILE__, line);
        fprintf(stderr, "    no value '%s' in %s\n", name, ORACLE);
        return;
    }
    if (!isnan(got) && !isnan(want) && fabs(got - want) > max_diff) {
        max_diff = fabs(got - want);
        strcpy(max_diff_name, name);
    }
    check_near_(got, want, tol, name, __FILE__, line);
}
#define NEAR(got, tol, ...) near_((got), (tol), __LINE__, __VA_ARGS__)

/* ---- fixtures ----------------------------------------------------------------------- */

/* A comma-separated file with a header line into a matrix; NA or an empty field = NAN. */
static gsl_matrix *read_csv(const char *file)
{
    char line[1024], path[256];
    size_t rows = 0, cols = 0;
    gsl_matrix *m = NULL;
    snprintf(path, sizeof path, FIXTURES "%s", file);
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    for (int pass = 0; pass < 2; pass++) {   /* count, then fill */
        rewind(f);
        if (!fgets(line, sizeof line, f))
            break;
        cols = 1;
        for (char *c = line; *c; c++)
            cols += *c == ',';
        if (pass == 1 && !(m = gsl_matrix_alloc(rows, cols)))
            break;
        rows = 0;
        while (fgets(line, sizeof line, f)) {
            char *p = line;
            for (size_t j = 0; pass == 1 && j < cols; j++) {
                char *end, *comma = strchr(p, ',');
                double v = strtod(p, &end);
                gsl_matrix_set(m, rows, j, end == p ? NAN : v);   /* "NA", "" -> NAN */
                p = comma ? comma + 1 : p + strlen(p);
            }
            rows++;
        }
    }
    fclose(f);
    return m;
}

static double *column(const gsl_matrix *m, size_t j)
{
    double *v = malloc(m->size1 * sizeof *v);
    for (size_t i = 0; v && i < m->size1; i++)
        v[i] = gsl_matrix_get(m, i, j);
    return v;
}

/* ---- checks shared by several fixtures -------------------------------------------------- */

/* Lambda 6, r.drop and omega of `prefix` (stats.R's beyond_alpha).  omega and the loadings are
 * checked against the exact minres solution R printed (to 1e-9) and against psych::fa's own
 * (to fa_tol: fa's L-BFGS-B stops early; 0 = fa's value is not comparable, a Heywood case). */
static void check_beyond_block(const char *prefix, const gsl_matrix *m, double tol, double fa_tol)
{
    struct stats_beyond b;
    const char *why = NULL;
    double heywood = 0;
    CHECK(stats_beyond_alpha(m, &b, &why) == STATS_OK);
    if (why)
        fprintf(stderr, "    %s beyond alpha: %s\n", prefix, why);
    NEAR(b.lambda6, DIST, "%s.G6", prefix);
    for (size_t j = 0; b.r_drop && j < m->size2; j++)
        NEAR(b.r_drop[j], tol, "%s.r_drop.%zu", prefix, j + 1);
    NEAR(b.omega_total, DIST, "%s.omega", prefix);
    CHECK(lookup(name_of("%s.omega_heywood", prefix), &heywood));
    CHECK((heywood != 0) == (b.omega_why != NULL));
    if (heywood == 0)
        for (size_t j = 0; b.loading && j < m->size2; j++)
            NEAR(b.loading[j], DIST, "%s.loading.%zu", prefix, j + 1);
    if (fa_tol > 0) {
        NEAR(b.omega_total, fa_tol, "%s.omega_fa", prefix);
        for (size_t j = 0; b.loading && j < m->size2; j++)
            NEAR(b.loading[j], fa_tol, "%s.loading_fa.%zu", prefix, j + 1);
    }
    stats_beyond_free(&b);
}

/* psych::alpha and splitHalf outputs of `prefix` (see stats.R's alpha_block), then
 * check_beyond_block. */
static void check_alpha_block(const char *prefix, const gsl_matrix *m, double tol, double fa_tol)
{
    struct stats_alpha a = { 0 };
    struct stats_split s;
    const char *why = NULL;
    CHECK(stats_alpha(m, &a, &why) == STATS_OK);
    if (why)
        fprintf(stderr, "    %s alpha: %s\n", prefix, why);
    NEAR(a.raw_alpha, tol, "%s.raw_alpha", prefix);
    NEAR(a.std_alpha, tol, "%s.std_alpha", prefix);
    NEAR(a.average_r, tol, "%s.average_r", prefix);
    NEAR(a.feldt_lo, DIST, "%s.feldt_lo", prefix);
    NEAR(a.feldt_hi, DIST, "%s.feldt_hi", prefix);
    NEAR((double)a.k, 0, "%s.k", prefix);
    for (size_t j = 0; a.alpha_drop && j < m->size2; j++)
        NEAR(a.alpha_drop[j], tol, "%s.drop.%zu", prefix, j + 1);
    stats_alpha_free(&a);

    CHECK(stats_split_half(m, 0, &s, &why) == STATS_OK);
    NEAR(s.mean_rb, tol, "%s.split_meanr", prefix);
    NEAR(s.max_rb, tol, "%s.split_maxrb", prefix);
    NEAR(s.min_rb, tol, "%s.split_minrb", prefix);
    NEAR(s.odd_even_r, tol, "%s.oddeven_r", prefix);
    NEAR(s.odd_even_sb, tol, "%s.oddeven_sb", prefix);
    check_beyond_block(prefix, m, tol, fa_tol);
}

/* psych::ICC(lmer = FALSE) rows ICC1..ICC3 of `prefix`. */
static void check_icc_block(const char *prefix, const gsl_matrix *m)
{
    struct stats_icc o = { 0 };
    const struct stats_icc_est *e[3] = { &o.icc1, &o.icc2, &o.icc3 };
    CHECK(stats_icc(m, 0.95, &o, NULL) == STATS_OK);
    NEAR((double)o.n, 0, "%s.n", prefix);
    for (int i = 0; i < 3; i++) {
        NEAR(e[i]->icc, EXACT, "%s.icc%d.icc", prefix, i + 1);
        NEAR(e[i]->f, EXACT, "%s.icc%d.F", prefix, i + 1);
        NEAR(e[i]->df1, 0, "%s.icc%d.df1", prefix, i + 1);
        NEAR(e[i]->df2, 0, "%s.icc%d.df2", prefix, i + 1);
        NEAR(e[i]->p, DIST, "%s.icc%d.p", prefix, i + 1);
        NEAR(e[i]->lo, DIST, "%s.icc%d.lo", prefix, i + 1);
        NEAR(e[i]->hi, DIST, "%s.icc%d.hi", prefix, i + 1);
    }
}

/* ---- cases -------------------------------------------------------------------------- */

static void test_pairs(void)
{
    gsl_matrix *m = read_csv("pairs.csv");
    double *x = m ? column(m, 0) : NULL, *y = m ? column(m, 1) : NULL;
    double r, rho, lo, hi, q;
    const double probs[] = { 0.025, 0.1, 0.5, 0.975 };
    struct stats_ttest t;
    CHECK(x && y);
    if (!x || !y)
        goto out;
    size_t n = m->size1, nc = stats_complete_pairs(x, y, n);
    NEAR((double)nc, 0, "pairs.n");
    CHECK(stats_pearson(x, y, n, &r, NULL) == STATS_OK);
    NEAR(r, EXACT, "pairs.pearson");
    CHECK(stats_spearman(x, y, n, &rho, NULL) == STATS_OK);
    NEAR(rho, EXACT, "pairs.spearman");
    CHECK(stats_fisher_ci(r, nc, 0.95, &lo, &hi, NULL) == STATS_OK);
    NEAR(lo, DIST, "pairs.ci95.1");
    NEAR(hi, DIST, "pairs.ci95.2");
    CHECK(stats_fisher_ci(r, nc, 0.90, &lo, &hi, NULL) == STATS_OK);
    NEAR(lo, DIST, "pairs.ci90.1");
    NEAR(hi, DIST, "pairs.ci90.2");
    CHECK(stats_welch_t(x, n, y, n, &t, NULL) == STATS_OK);
    NEAR(t.t, EXACT, "pairs.welch_t");
    NEAR(t.df, EXACT, "pairs.welch_df");
    NEAR(t.p, DIST, "pairs.welch_p");
    for (size_t i = 0; i < 4; i++) {
        CHECK(stats_quantile(x, n, probs[i], &q, NULL) == STATS_OK);
        NEAR(q, EXACT, "pairs.q7.%zu", i + 1);
    }
out:
    free(x);
    free(y);
    gsl_matrix_free(m);
}

/* Feldt bounds at sizes where gsl_cdf_fdist_Pinv itself returns NaN (see stats_inference.c's qf). */
static void test_feldt(void)
{
    const size_t nk[3][2] = { { 175, 10 }, { 193, 10 }, { 30, 5 } };
    for (int i = 0; i < 3; i++) {
        double lo = NAN, hi = NAN;
        CHECK(stats_feldt_ci(0.8, nk[i][0], nk[i][1], 0.95, &lo, &hi, NULL) == STATS_OK);
        NEAR(lo, DIST, "feldt.%zux%zu.1", nk[i][0], nk[i][1]);
        NEAR(hi, DIST, "feldt.%zux%zu.2", nk[i][0], nk[i][1]);
    }
}

/* (a) hand-made: missing values everywhere, item i3 constant (dropped and reported). */
static void test_small(void)
{
    struct stats_alpha a = { 0 };
    gsl_matrix *m = read_csv("small.csv");
    CHECK(m != NULL);
    if (!m)
        return;
    check_alpha_block("small", m, EXACT, 0);   /* Heywood: fa sits on its bound */
    CHECK(stats_alpha(m, &a, NULL) == STATS_OK);
    CHECK(a.n_dropped == 1 && a.dropped[0] == 2);
    CHECK(a.n == 10 && a.k == 4);
    CHECK(a.raw_alpha < 0);           /* negative alpha is a result, not an error */
    stats_alpha_free(&a);
    gsl_matrix_free(m);
}

static void test_icc(void)
{
    struct stats_icc o;
    gsl_matrix *m = read_csv("icc.csv");
    CHECK(m != NULL);
    if (!m)
        return;
    check_icc_block("sf", m);
    CHECK(stats_icc(m, 0.95, &o, NULL) == STATS_OK && o.n_incomplete == 1);
    /* Shrout & Fleiss (1979), Table 4: .17, .29, .71 */
    CHECK(fabs(o.icc1.icc - 0.17) < 0.005 && fabs(o.icc2.icc - 0.29) < 0.005 &&
          fabs(o.icc3.icc - 0.71) < 0.005);
    gsl_matrix_free(m);
}

/* (b) shaped like RealBehavior Table 2, EXT on NEO: TrC near 0.3 and a negative InC.
 * table2_reps.csv: subject, rep, i1..i10; 10 subjects x 5 repetitions; subject 3's
 * repetition 2 answers 3 throughout (a constant vector: 4 pairs skipped). */
static void test_table2(void)
{
    enum { NS = 10, NT = 5, K = 10 };
    gsl_matrix *d = read_csv("table2_reps.csv"), *reps[NS] = { 0 };
    gsl_matrix *means = gsl_matrix_calloc(NS, K), *totals = gsl_matrix_calloc(NS, NT);
    struct stats_trc t;
    const char *why;
    CHECK(d && d->size1 == NS * NT && d->size2 == K + 2 && means && totals);
    if (!d || d->size1 != NS * NT || d->size2 != K + 2 || !means || !totals)
        goto out;
    for (size_t s = 0; s < NS; s++) {
        reps[s] = gsl_matrix_alloc(NT, K);
        for (size_t r = 0; r < NT; r++)
            for (size_t j = 0; j < K; j++) {
                double v = gsl_matrix_get(d, s * NT + r, j + 2);
                gsl_matrix_set(reps[s], r, j, v);
                *gsl_matrix_ptr(means, s, j) += v / NT;   /* InC input: item means over reps */
                *gsl_matrix_ptr(totals, s, r) += v;       /* ICC input: total per repetition */
            }
    }
    CHECK(stats_trc((const gsl_matrix *const *)reps, NS, 0, &t, &why) == STATS_OK);
    NEAR(t.trc, EXACT, "t2.trc");
    NEAR((double)t.n_skipped, 0, "t2.trc_skipped");
    CHECK(t.n_subjects == NS && t.n_pairs + t.n_skipped == NS * NT * (NT - 1) / 2);
    CHECK(stats_trc((const gsl_matrix *const *)reps, NS, 1, &t, &why) == STATS_OK);
    NEAR(t.trc, EXACT, "t2.trc_literal");
    check_alpha_block("t2", means, EXACT, 1e-4);   /* 10 x 10: R is singular, fa stops 2.6e-6 away */
    check_icc_block("t2", totals);
out:
    for (size_t s = 0; s < NS; s++)
        gsl_matrix_free(reps[s]);
    gsl_matrix_free(d);
    gsl_matrix_free(means);
    gsl_matrix_free(totals);
}

static void test_entropy_norms(void)
{
    gsl_matrix *c = read_csv("counts.csv"), *nm = read_csv("norms.csv");
    CHECK(c && nm);
    for (size_t i = 0; c && i < c->size1; i++) {
        size_t counts[16];
        double h;
        for (size_t j = 0; j < c->size2 && j < 16; j++)
            counts[j] = (size_t)gsl_matrix_get(c, i, j);
        CHECK(stats_entropy(counts, c->size2, &h, NULL) == STATS_OK);
        NEAR(h, EXACT, "entropy.%zu", i + 1);
    }
    for (size_t i = 0; nm && i < nm->size1; i++) {
        double z, pct;
        CHECK(stats_norm_z(gsl_matrix_get(nm, i, 0), gsl_matrix_get(nm, i, 1),
                           gsl_matrix_get(nm, i, 2), &z, &pct, NULL) == STATS_OK);
        NEAR(z, EXACT, "norm.%zu.z", i + 1);
        NEAR(pct, DIST, "norm.%zu.pct", i + 1);
    }
    gsl_matrix_free(c);
    gsl_matrix_free(nm);
}

/* ---- (c) the 19,719 human respondents --------------------------------------------------- */

/* IPIP-50 keys from the openpsychometrics codebook, checked against bigfive_IPIP.tsv: +1 as
 * worded, -1 reversed (6 - x).  N is keyed for neuroticism; alpha is the same for EMO. */
static const struct {
    char dim;
    int key[10];
} ipip_keys[5] = {
    { 'E', { 1, -1, 1, -1, 1, -1, 1, -1, 1, -1 } },
    { 'N', { 1, -1, 1, -1, 1, 1, 1, 1, 1, 1 } },
    { 'A', { -1, 1, -1, 1, -1, 1, -1, 1, 1, 1 } },
    { 'C', { 1, -1, 1, -1, 1, -1, 1, -1, 1, 1 } },
    { 'O', { 1, -1, 1, -1, 1, -1, 1, 1, 1, 1 } },
};

/* Splits a TSV line in place (no quoting in this file); returns the field count. */
static size_t split_tabs(char *line, char **field, size_t max)
{
    size_t n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *p = line; n < max; p++) {
        field[n++] = p;
        if (!(p = strchr(p, '\t')))
            break;
        *p = '\0';
    }
    return n;
}

/* Column index of each of E1..O10 (dim-major) in the header. */
static int find_items(char **field, size_t nf, size_t col[5][10])
{
    for (int d = 0; d < 5; d++)
        for (int i = 0; i < 10; i++) {
            char want[16];
            size_t j = 0;
            snprintf(want, sizeof want, "%c%d", ipip_keys[d].dim, i + 1);
            while (j < nf && strcmp(field[j], want) != 0)
                j++;
            if (j == nf)
                return -1;
            col[d][i] = j;
        }
    return 0;
}

/* Reads the respondents into five keyed n x 10 matrices (0 = not answered -> NAN). */
static int read_bigfive(const char *path, gsl_matrix *dim[5])
{
    static char line[4096];
    char *field[128];
    size_t col[5][10], n = 0, nf;
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    if (!fgets(line, sizeof line, f) || find_items(field, split_tabs(line, field, 128), col) < 0)
        goto fail;
    while (fgets(line, sizeof line, f))
        n++;
    for (int d = 0; d < 5; d++)
        if (!(dim[d] = gsl_matrix_alloc(n, 10)))
            goto fail;
    rewind(f);
    if (!fgets(line, sizeof line, f))
        goto fail;
    for (size_t r = 0; r < n && fgets(line, sizeof line, f); r++) {
        nf = split_tabs(line, field, 128);
        for (int d = 0; d < 5; d++)
            for (int i = 0; i < 10; i++) {
                double v = col[d][i] < nf ? strtod(field[col[d][i]], NULL) : 0;
                v = v == 0 ? NAN : ipip_keys[d].key[i] < 0 ? 6 - v : v;
                gsl_matrix_set(dim[d], r, i, v);
            }
    }
    fclose(f);
    return 0;
fail:
    fclose(f);
    return -1;
}

static void test_bigfive(void)
{
    const double outside[5] = { .892, .869, .832, .813, .794 };   /* an outside check */
    const char *shared = getenv("PSYFAITH_SHARED");
    char path[1024], prefix[8];
    gsl_matrix *dim[5] = { 0 };
    snprintf(path, sizeof path, "%s" BIGFIVE, shared && *shared ? shared : "../shared");
    FILE *probe = fopen(path, "r");
    if (!probe) {
        printf("note: %s not found; skipping the human-respondent checks\n", path);
        return;
    }
    fclose(probe);
    CHECK(read_bigfive(path, dim) == 0);
    for (int d = 0; d < 5 && dim[d]; d++) {
        struct stats_alpha a = { 0 };
        snprintf(prefix, sizeof prefix, "bf.%c", ipip_keys[d].dim);
        NEAR((double)dim[d]->size1, 0, "bf.n");
        check_alpha_block(prefix, dim[d], EXACT, 1e-6);
        CHECK(stats_alpha(dim[d], &a, NULL) == STATS_OK);
        CHECK(fabs(a.raw_alpha - outside[d]) < 0.0005);
        stats_alpha_free(&a);
    }
    /* E2 left unreversed, as a wrong key would score it: its r.drop turns negative */
    if (dim[0]) {
        struct stats_beyond b;
        for (size_t i = 0; i < dim[0]->size1; i++) {
            double v = gsl_matrix_get(dim[0], i, 1);
            gsl_matrix_set(dim[0], i, 1, isnan(v) ? v : 6 - v);
        }
        check_alpha_block("bf.Ewrong", dim[0], EXACT, 1e-6);
        CHECK(stats_beyond_alpha(dim[0], &b, NULL) == STATS_OK);
        for (size_t j = 0; b.r_drop && j < 10; j++)
            CHECK((b.r_drop[j] < 0) == (j == 1));
        stats_beyond_free(&b);
    }
    for (int d = 0; d < 5; d++)
        gsl_matrix_free(dim[d]);
}

/* ---- undefined cases: a negative code and a reason, never a number -------------------- */

/* `call` must pass &why_, a `const char *` of the calling function. */
#define UNDEF(call)                                                                       \
    do {                                                                                  \
        why_ = NULL;                                                                      \
        int rc_ = (call);                                                                 \
        CHECK(rc_ == STATS_UNDEFINED && why_ != NULL && *why_ != '\0');                   \
    } while (0)

static gsl_matrix *matrix_of(size_t n, size_t k, const double *v)
{
    gsl_matrix *m = gsl_matrix_alloc(n, k);
    for (size_t i = 0; m && i < n * k; i++)
        m->data[(i / k) * m->tda + i % k] = v[i];
    return m;
}

static void test_undefined(void)
{
    const double one[] = { 1, 2, 3, 4 }, flat[] = { 3, 3, 3, 3 }, nan4[] = { NAN, NAN, NAN, 2 };
    double r, lo, hi, h, z;
    struct stats_alpha a = { 0 };
    struct stats_split s;
    struct stats_icc o;
    struct stats_trc t;
    struct stats_ttest tt;
    const char *why_ = NULL;

    UNDEF(stats_pearson(one, flat, 4, &r, &why_));
    CHECK(why_ && strcmp(why_, "constant vector") == 0);
    UNDEF(stats_pearson(one, one, 1, &r, &why_));                      /* n = 1 */
    UNDEF(stats_pearson(one, nan4, 4, &r, &why_));                     /* 1 complete pair */
    UNDEF(stats_spearman(flat, one, 4, &r, &why_));
    UNDEF(stats_fisher_ci(0.5, 3, 0.95, &lo, &hi, &why_));
    UNDEF(stats_entropy((const size_t[]){ 0, 0, 0 }, 3, &h, &why_));
    UNDEF(stats_norm_z(3, 3, 0, &z, NULL, &why_));
    UNDEF(stats_welch_t(one, 1, one, 4, &tt, &why_));                  /* n = 1 */
    UNDEF(stats_welch_t(flat, 4, flat, 4, &tt, &why_));                /* constant */
    UNDEF(stats_quantile(nan4, 1, 0.5, &z, &why_));                    /* only NaN */

    /* alpha, split-half: n = 1, k = 1, k = 1 after dropping, zero total variance */
    gsl_matrix *n1 = matrix_of(1, 3, one), *k1 = matrix_of(4, 1, one);
    gsl_matrix *drop = matrix_of(4, 2, (const double[]){ 1, 3, 2, 3, 3, 3, 4, 3 });
    gsl_matrix *zero = matrix_of(4, 2, (const double[]){ 1, 5, 2, 4, 4, 2, 5, 1 });
    gsl_matrix *same = matrix_of(3, 3, (const double[]){ 2, 2, 2, 2, 2, 2, 2, 2, 2 });
    gsl_matrix *agree = matrix_of(3, 2, (const double[]){ 1, 1, 2, 2, 4, 4 });
    UNDEF(stats_alpha(n1, &a, &why_));
    CHECK(why_ && strcmp(why_, "fewer than 2 subjects") == 0);
    UNDEF(stats_alpha(k1, &a, &why_));
    CHECK(why_ && strcmp(why_, "k = 1") == 0);
    UNDEF(stats_alpha(drop, &a, &why_));
    CHECK(why_ && strcmp(why_, "k = 1") == 0);
    UNDEF(stats_alpha(zero, &a, &why_));                               /* x and 6 - x */
    CHECK(why_ && strcmp(why_, "zero total variance") == 0);
    UNDEF(stats_split_half(k1, 0, &s, &why_));
    UNDEF(stats_split_half(zero, 0, &s, &why_));
    UNDEF(stats_icc(n1, 0.95, &o, &why_));
    UNDEF(stats_icc(k1, 0.95, &o, &why_));
    UNDEF(stats_icc(same, 0.95, &o, &why_));
    CHECK(why_ && strcmp(why_, "zero total variance") == 0);
    /* MSE = MSJ = MSW = 0: psych's point values (1, 1, 1), and no bound from an infinite F */
    CHECK(stats_icc(agree, 0.95, &o, &why_) == STATS_OK);
    CHECK(o.icc1.icc == 1.0 && o.icc2.icc == 1.0 && o.icc3.icc == 1.0 && isinf(o.icc3.f) && o.icc3.p == 0.0);
    CHECK(isnan(o.icc1.lo) && isnan(o.icc2.hi) && isnan(o.icc3.lo) && isnan(o.icc3.hi));
    CHECK(o.icc2.why && strstr(o.icc2.why, "zero residual") && o.icc3.why && strstr(o.icc3.why, "infinite"));

    /* TrC: every repetition pair involves a constant vector */
    const gsl_matrix *reps[2] = { same, agree };
    UNDEF(stats_trc(reps, 1, 0, &t, &why_));
    gsl_matrix *rep3 = matrix_of(3, 4, (const double[]){ 1, 2, 3, 4, 3, 3, 3, 3, 2, 1, 4, 3 });
    reps[0] = rep3;
    CHECK(stats_trc(reps, 1, 0, &t, NULL) == STATS_OK && t.n_skipped == 2 && t.n_pairs == 1);
    CHECK_NEAR(t.trc, 0.6, EXACT);                                     /* cor(1:4, c(2,1,4,3)) */
    CHECK(stats_trc(reps, 1, 1, &t, NULL) == STATS_OK);
    CHECK_NEAR(t.trc, (2 + 2 * 0.6) / 9, EXACT);                       /* literal: (2 diag + 2 r) / 3^2 */

    gsl_matrix_free(n1);
    gsl_matrix_free(k1);
    gsl_matrix_free(drop);
    gsl_matrix_free(zero);
    gsl_matrix_free(same);
    gsl_matrix_free(agree);
    gsl_matrix_free(rep3);
}

/* ---- bootstrap: reproducible, sane, honest about failures --------------------------------- */

struct boot_data {
    const double *x;
    int fail_odd;       /* make the statistic undefined when idx[0] is odd */
};

static int boot_mean(const size_t *idx, size_t n, void *ctx, double *value)
{
    const struct boot_data *d = ctx;
    double s = 0;
    if (d->fail_odd && idx[0] % 2 == 1)
        return STATS_UNDEFINED;
    for (size_t i = 0; i < n; i++)
        s += d->x[idx[i]];
    *value = s / (double)n;
    return STATS_OK;
}

static int boot_never(const size_t *idx, size_t n, void *ctx, double *value)
{
    (void)idx, (void)n, (void)ctx, (void)value;
    return STATS_UNDEFINED;
}

static void test_bootstrap(void)
{
    const double x[] = { 2, 4, 4, 5, 3, 1, 5, 4, 3, 2, 5, 4, 4, 3, 2, 1, 5, 3, 4, 4 };
    struct boot_data d = { x, 0 };
    struct stats_boot b1, b2, b3;
    const char *why_ = NULL;
    CHECK(stats_bootstrap_ci(20, boot_mean, &d, 2000, 42, 0.95, &b1, NULL) == STATS_OK);
    CHECK(stats_bootstrap_ci(20, boot_mean, &d, 2000, 42, 0.95, &b2, NULL) == STATS_OK);
    CHECK(b1.lo == b2.lo && b1.hi == b2.hi && b1.n_ok == 2000 && b1.n_failed == 0);
    CHECK_NEAR(b1.estimate, 3.4, EXACT);
    CHECK(b1.lo < b1.estimate && b1.estimate < b1.hi && b1.hi - b1.lo < 1.5);
    CHECK(stats_bootstrap_ci(20, boot_mean, &d, 2000, 43, 0.95, &b3, NULL) == STATS_OK);
    CHECK(b3.lo != b1.lo || b3.hi != b1.hi);                  /* the seed matters */
    d.fail_odd = 1;
    CHECK(stats_bootstrap_ci(20, boot_mean, &d, 2000, 42, 0.95, &b3, NULL) == STATS_OK);
    CHECK(b3.n_failed > 0 && b3.n_ok + b3.n_failed == 2000);  /* failures counted, not hidden */
    UNDEF(stats_bootstrap_ci(20, boot_never, &d, 100, 1, 0.95, &b3, &why_));
    CHECK(stats_bootstrap_ci(20, boot_mean, &d, 0, 1, 0.95, &b3, NULL) == STATS_EINVAL);
}

int main(void)
{
    gsl_set_error_handler_off();
    if (load_oracle() < 0) {
        fprintf(stderr, "cannot read %s (run from the repository root)\n", ORACLE);
        check_(0, "load_oracle()", __FILE__, __LINE__);
        return CHECK_DONE();
    }
    test_pairs();
    test_feldt();
    test_small();
    test_icc();
    test_table2();
    test_entropy_norms();
    test_bigfive();
    test_undefined();
    test_bootstrap();
    printf("note: largest |C - R| = %.3g (%s)\n", max_diff, max_diff_name);
    free(oracle);
    return CHECK_DONE();
}
