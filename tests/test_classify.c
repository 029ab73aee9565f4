/* tests/test_classify.c -- the classifier against scikit-learn (tests/oracle/classify/), by hand */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classify/classify.h"
#include "tests/check.h"

#define FIXTURE "tests/oracle/classify/fixture.tsv"
#define EXPECTED "tests/oracle/classify/expected.txt"

/* ---- reading the oracle's files: tab-separated lines, fields escaped \\ \t \n \r ---- */

struct record {
    size_t n;
    char **f;
};

static char *unescape(const char *s, size_t n)
{
    char *o = malloc(n + 1), *p = o;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            char c = s[++i];
            *p++ = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
        } else
            *p++ = s[i];
    }
    *p = '\0';
    return o;
}

/* Every non-comment line of path, split into fields. */
static struct record *read_records(const char *path, size_t *n_out)
{
    FILE *fp = fopen(path, "r");
    struct record *r = NULL;
    size_t n = 0, cap = 0, lcap = 0;
    char *line = NULL;
    ssize_t len;
    if (!fp) {
        perror(path);
        *n_out = 0;
        return NULL;
    }
    while ((len = getline(&line, &lcap, fp)) >= 0) {
        if (len && line[len - 1] == '\n')
            line[--len] = '\0';
        if (line[0] == '#')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 1024;
            r = realloc(r, cap * sizeof *r);
        }
        struct record *rec = &r[n++];
        rec->n = 0;
        rec->f = NULL;
        for (char *p = line;;) {
            char *tab = strchr(p, '\t');
            size_t flen = tab ? (size_t)(tab - p) : strlen(p);
            rec->f = realloc(rec->f, (rec->n + 1) * sizeof *rec->f);
            rec->f[rec->n++] = unescape(p, flen);
            if (!tab)
                break;
            p = tab + 1;
        }
    }
    free(line);
    fclose(fp);
    *n_out = n;
    return r;
}

static void free_records(struct record *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < r[i].n; j++)
            free(r[i].f[j]);
        free(r[i].f);
    }
    free(r);
}

/* ---- stderr capture, to check that errors name the problem ---- */

static char errbuf[4096];
static int saved_fd = -1;
static FILE *capfile;

static void capture_begin(void)
{
    fflush(stderr);
    capfile = tmpfile();
    saved_fd = dup(2);
    dup2(fileno(capfile), 2);
}

static const char *capture_end(void)
{
    fflush(stderr);
    dup2(saved_fd, 2);
    close(saved_fd);
    rewind(capfile);
    size_t n = fread(errbuf, 1, sizeof errbuf - 1, capfile);
    errbuf[n] = '\0';
    fclose(capfile);
    return errbuf;
}

/* ---- helpers ---- */

static long find_term(const struct classify_model *m, const char *t)
{
    size_t lo = 0, hi = m->n_terms;
    while (lo < hi) {   /* terms are sorted by bytes, as strcmp orders them */
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(m->terms[mid], t);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static double weight_of(const struct classify_model *m, const char *t)
{
    long i = find_term(m, t);
    return i < 0 ? NAN : m->weight[i];
}

/* The fixture: split, label (-1 = unknown), text. */
static size_t n_fx;
static const char **fx_split, **fx_text;
static int *fx_label;

static void load_fixture(struct record *r, size_t n)
{
    n_fx = n - 1;   /* the header */
    fx_split = malloc(n_fx * sizeof *fx_split);
    fx_text = malloc(n_fx * sizeof *fx_text);
    fx_label = malloc(n_fx * sizeof *fx_label);
    for (size_t i = 0; i < n_fx; i++) {
        fx_split[i] = r[i + 1].f[0];
        fx_label[i] = r[i + 1].f[1][0] == '-' ? -1 : atoi(r[i + 1].f[1]);
        fx_text[i] = r[i + 1].f[3];
    }
}

/* ---- 1. the analyser against build_analyzer() ---- */

static void test_analyze(struct record *e, size_t ne)
{
    int cases = 0;
    for (size_t i = 0; i < ne; i++) {
        if (strcmp(e[i].f[0], "analyze") != 0)
            continue;
        char **terms;
        size_t n;
        cases++;
        CHECK(classify_analyze(e[i].f[1], &terms, &n) == 0);
        CHECK(n == e[i].n - 2);
        int same = n == e[i].n - 2;
        for (size_t j = 0; same && j < n; j++)
            same = strcmp(terms[j], e[i].f[j + 2]) == 0;
        CHECK(same);
        if (!same) {
            fprintf(stderr, "    input '%s'\n    got ", e[i].f[1]);
            for (size_t j = 0; j < n; j++)
                fprintf(stderr, "[%s]", terms[j]);
            fprintf(stderr, "\n    want ");
            for (size_t j = 2; j < e[i].n; j++)
                fprintf(stderr, "[%s]", e[i].f[j]);
            fprintf(stderr, "\n");
        }
        free(terms);
    }
    CHECK(cases >= 300);
}

/* ---- 2. models against sklearn, case by case ---- */

static double max_prob_diff, max_prob_opt_diff, max_coef_diff;

static void test_case(struct record *e, size_t ne, size_t at)
{
    struct classify_options opt;
    struct classify_model *m = NULL;
    const struct record *c = &e[at];
    classify_options_default(&opt);
    opt.C = strtod(c->f[2], NULL);
    opt.balanced = atoi(c->f[3]);
    opt.min_df = atol(c->f[4]);
    int imb = strcmp(c->f[5], "imb") == 0;

    /* the training rows: every train row, or (imb) those labelled 1 or at an index % 4 == 0 */
    const char **texts = malloc(n_fx * sizeof *texts);
    int *labels = malloc(n_fx * sizeof *labels);
    size_t n = 0, k = 0;
    for (size_t i = 0; i < n_fx; i++) {
        if (strcmp(fx_split[i], "train") != 0)
            continue;
        if (!imb || fx_label[i] == 1 || k % 4 == 0) {
            texts[n] = fx_text[i];
            labels[n++] = fx_label[i];
        }
        k++;
    }
    CHECK(classify_train(texts, labels, n, &opt, &m) == 0);
    if (!m)
        goto out;
    CHECK(m->converged);
    double *prob = malloc(n_fx * sizeof *prob);
    CHECK(classify_predict_many(m, fx_text, n_fx, prob) == 0);
    double dmax = 0, dopt = 0, cmax = 0, idf_sum = 0, coef_sum = 0, coef_abs = 0;
    for (size_t j = 0; j < m->n_terms; j++) {
        idf_sum += m->idf[j];
        coef_sum += m->weight[j];
        coef_abs += fabs(m->weight[j]);
    }
    size_t test_n = 0, test_right = 0;
    for (size_t i = at + 1; i < ne && strcmp(e[i].f[0], "end") != 0; i++) {
        const char *key = e[i].f[0];
        double v = strtod(e[i].f[e[i].n - 1], NULL);
        if (!strcmp(key, "n_train"))
            CHECK(m->n_train == (size_t)v);
        else if (!strcmp(key, "n_terms"))
            CHECK(m->n_terms == (size_t)v);
        else if (!strcmp(key, "intercept"))
            CHECK_NEAR(m->intercept, v, 1e-3);
        else if (!strcmp(key, "intercept_opt"))
            CHECK_NEAR(m->intercept, v, 1e-6);
        else if (!strcmp(key, "idf_sum"))
            CHECK_NEAR(idf_sum, v, 1e-8);
        else if (!strcmp(key, "coef_sum"))   /* sklearn's own error adds up over the terms */
            CHECK_NEAR(coef_sum, v, 5e-2);
        else if (!strcmp(key, "coef_abs_sum"))
            CHECK_NEAR(coef_abs, v, 5e-2);
        else if (!strcmp(key, "coef_opt_sum"))
            CHECK_NEAR(coef_sum, v, 1e-4);   /* the polished reference has |grad| ~ 4e-7 */
        else if (!strcmp(key, "coef_opt_abs_sum"))
            CHECK_NEAR(coef_abs, v, 1e-4);
        else if (!strcmp(key, "idf")) {
            long j = find_term(m, e[i].f[1]);
            CHECK(j >= 0);
            if (j >= 0)
                CHECK_NEAR(m->idf[j], v, 1e-12);
        } else if (!strcmp(key, "coef")) {
            double w = weight_of(m, e[i].f[1]);
            CHECK_NEAR(w, v, 2e-3);
            if (fabs(w - v) > cmax)
                cmax = fabs(w - v);
        } else if (!strcmp(key, "prob") || !strcmp(key, "prob_opt")) {
            size_t row = (size_t)atol(e[i].f[1]);
            CHECK(row < n_fx);
            if (row >= n_fx)
                continue;
            double d = fabs(prob[row] - v);
            if (!strcmp(key, "prob")) {
                CHECK_NEAR(prob[row], v, 1e-4);
                dmax = d > dmax ? d : dmax;
            } else {
                CHECK_NEAR(prob[row], v, 1e-6);
                dopt = d > dopt ? d : dopt;
            }
        } else if (!strcmp(key, "test_accuracy")) {
            for (size_t r = 0; r < n_fx; r++)
                if (!strcmp(fx_split[r], "test")) {
                    test_n++;
                    test_right += (prob[r] > 0.5) == (fx_label[r] == 1);
                }
            CHECK_NEAR((double)test_right / (double)test_n, v, 1e-12);
        }
    }
    printf("case %s: %zu terms, %d Newton iterations, |grad| ratio %.2g; max |P - P_sklearn| %.2g, "
           "max |P - P_optimum| %.2g, max |w - w_sklearn| (sample) %.2g, test accuracy %.4f\n",
           c->f[1], m->n_terms, m->iterations, m->grad_norm, dmax, dopt, cmax,
           test_n ? (double)test_right / (double)test_n : NAN);
    max_prob_diff = dmax > max_prob_diff ? dmax : max_prob_diff;
    max_prob_opt_diff = dopt > max_prob_opt_diff ? dopt : max_prob_opt_diff;
    max_coef_diff = cmax > max_coef_diff ? cmax : max_coef_diff;
    free(prob);
out:
    classify_model_free(m);
    free(texts);
    free(labels);
}

/* ---- 3. cross-validation with sklearn's folds (train row k in fold k % 5) ---- */

static void test_cv_against_sklearn(struct record *e, size_t ne)
{
    const char **texts = malloc(n_fx * sizeof *texts);
    int *labels = malloc(n_fx * sizeof *labels), *fold = malloc(n_fx * sizeof *fold);
    size_t *row_of = malloc(n_fx * sizeof *row_of), n = 0;
    double *prob = malloc(n_fx * sizeof *prob);
    struct classify_metrics cv;
    for (size_t i = 0; i < n_fx; i++)
        if (!strcmp(fx_split[i], "train")) {
            texts[n] = fx_text[i];
            labels[n] = fx_label[i];
            fold[n] = (int)(n % 5);
            row_of[n++] = i;
        }
    CHECK(classify_cv_assigned(texts, labels, n, NULL, fold, 5, &cv, prob) == 0);
    size_t seen = 0;
    for (size_t i = 0; i < ne; i++) {
        if (!strcmp(e[i].f[0], "cv_prob")) {
            size_t row = (size_t)atol(e[i].f[1]);
            for (size_t j = 0; j < n; j++)
                if (row_of[j] == row) {
                    CHECK_NEAR(prob[j], strtod(e[i].f[2], NULL), 1e-4);
                    seen++;
                }
        } else if (!strcmp(e[i].f[0], "cv")) {
            CHECK_NEAR(cv.accuracy, strtod(e[i].f[1], NULL), 1e-12);
            CHECK_NEAR(cv.precision, strtod(e[i].f[2], NULL), 1e-12);
            CHECK_NEAR(cv.recall, strtod(e[i].f[3], NULL), 1e-12);
            CHECK_NEAR(cv.f1, strtod(e[i].f[4], NULL), 1e-12);
            /* sklearn's probabilities differ by ~1e-5, enough to swap a near-tied pair: one
             * swapped pair of 160 x 160 moves the AUC by 3.9e-5 */
            CHECK_NEAR(cv.auc, strtod(e[i].f[5], NULL), 2e-4);
            printf("cv (sklearn's folds): accuracy %.4f precision %.4f recall %.4f f1 %.4f "
                   "auc %.4f\n",
                   cv.accuracy, cv.precision, cv.recall, cv.f1, cv.auc);
        }
    }
    CHECK(seen == n);

    /* The seeded stratified folds: balanced, repeatable, seed-dependent; the metrics sane. */
    int *f1 = malloc(n * sizeof *f1), *f2 = malloc(n * sizeof *f2);
    size_t size[5][2] = { { 0 } };
    CHECK(classify_cv_folds(labels, n, 5, 42, f1) == 0);
    CHECK(classify_cv_folds(labels, n, 5, 42, f2) == 0);
    CHECK(memcmp(f1, f2, n * sizeof *f1) == 0);
    for (size_t i = 0; i < n; i++)
        size[f1[i]][labels[i]]++;
    int even = 1;
    for (int f = 0; f < 5; f++)
        even &= size[f][0] == 32 && size[f][1] == 32;
    CHECK(even);
    CHECK(classify_cv_folds(labels, n, 5, 43, f2) == 0);
    CHECK(memcmp(f1, f2, n * sizeof *f1) != 0);
    struct classify_metrics a, b;
    CHECK(classify_cv(texts, labels, n, NULL, &a, prob) == 0);
    CHECK(a.n == n && a.tp + a.fp + a.tn + a.fn == n);
    CHECK(a.accuracy > 0.8 && a.auc > 0.9 && a.f1 > 0.8);
    CHECK(classify_metrics(labels, prob, n, &b) == 0);
    CHECK(a.accuracy == b.accuracy && a.auc == b.auc && a.f1 == b.f1);
    printf("cv (seeded stratified 5-fold): accuracy %.4f precision %.4f recall %.4f f1 %.4f "
           "auc %.4f\n", a.accuracy, a.precision, a.recall, a.f1, a.auc);
    free(f1);
    free(f2);
    free(texts);
    free(labels);
    free(fold);
    free(row_of);
    free(prob);
}

/* ---- 4. by hand ---- */

static void test_metrics_by_hand(void)
{
    /* yes = p > 0.5: tp 2 (0, 1), fp 1 (2), tn 2 (3, 5), fn 1 (4).  AUC: positive-negative pairs
     * won 3 (0.9) + 2.5 (0.6: tie with 0.6, beats 0.2 and 0.5) + 1 (0.4 beats 0.2) = 6.5 of 9. */
    static const int y[] = { 1, 1, 0, 0, 1, 0 };
    static const double p[] = { 0.9, 0.6, 0.6, 0.2, 0.4, 0.5 };
    struct classify_metrics m;
    CHECK(classify_metrics(y, p, 6, &m) == 0);
    CHECK(m.tp == 2 && m.fp == 1 && m.tn == 2 && m.fn == 1);
    CHECK_NEAR(m.accuracy, 4.0 / 6, 1e-15);
    CHECK_NEAR(m.precision, 2.0 / 3, 1e-15);
    CHECK_NEAR(m.recall, 2.0 / 3, 1e-15);
    CHECK_NEAR(m.f1, 2.0 / 3, 1e-15);
    CHECK_NEAR(m.auc, 6.5 / 9, 1e-15);
    /* nothing predicted yes: precision and F1 are 0; all scores tied: AUC 1/2 */
    static const double flat[] = { 0.5, 0.5, 0.5, 0.5, 0.5, 0.5 };
    CHECK(classify_metrics(y, flat, 6, &m) == 0);
    CHECK(m.precision == 0 && m.recall == 0 && m.f1 == 0 && m.auc == 0.5);
    /* one class only: AUC undefined */
    static const int ones[] = { 1, 1 };
    CHECK(classify_metrics(ones, p, 2, &m) == 0);
    CHECK(isnan(m.auc));
}

static const char *const toy_text[] = {
    "I am outgoing and talk to everyone at parties.",
    "Outgoing as ever, I greet the whole room.",
    "Being outgoing, I start conversations with strangers.",
    "I feel shy and stay in the corner at parties.",
    "Shy as ever, I avoid the whole room.",
    "Being shy, I wait for strangers to talk first.",
};
static const int toy_label[] = { 1, 1, 1, 0, 0, 0 };

static void test_toy(void)
{
    struct classify_model *m = NULL, *m2 = NULL, *r = NULL;
    double p;
    CHECK(classify_train(toy_text, toy_label, 6, NULL, &m) == 0);
    if (!m)
        return;
    CHECK(weight_of(m, "outgoing") > 0);
    CHECK(weight_of(m, "shy") < 0);
    CHECK(weight_of(m, "parties") == weight_of(m, "parties"));   /* present */
    /* bigrams are terms; 1-letter tokens are not */
    CHECK(find_term(m, "am outgoing") >= 0 && find_term(m, "a") < 0);
    CHECK(classify_predict(m, "So OUTGOING!", &p) == 0 && p > 0.5);
    CHECK(classify_predict(m, "so shy", &p) == 0 && p < 0.5);
    /* no known term: the intercept alone */
    CHECK(classify_predict(m, "zzz qqq", &p) == 0);
    CHECK(p == 1.0 / (1.0 + exp(-m->intercept)));

    /* determinism: a second fit is bit-identical */
    CHECK(classify_train(toy_text, toy_label, 6, NULL, &m2) == 0);
    if (m2) {
        CHECK(m2->n_terms == m->n_terms);
        CHECK(memcmp(m->weight, m2->weight, m->n_terms * sizeof(double)) == 0);
        CHECK(memcmp(m->idf, m2->idf, m->n_terms * sizeof(double)) == 0);
        CHECK(memcmp(&m->intercept, &m2->intercept, sizeof(double)) == 0);
    }
    classify_model_free(m2);

    /* balanced weights change nothing on balanced data; C changes the weights' size */
    struct classify_options o;
    classify_options_default(&o);
    o.C = 100;
    CHECK(classify_train(toy_text, toy_label, 6, &o, &r) == 0);
    if (r)
        CHECK(weight_of(r, "outgoing") > weight_of(m, "outgoing"));
    classify_model_free(r);
    classify_model_free(m);
}

/* ---- 5. determinism and the serialised form on the real fixture ---- */

static void test_round_trip(void)
{
    struct classify_model *m = NULL, *m2 = NULL, *r = NULL;
    const char **texts = malloc(n_fx * sizeof *texts);
    int *labels = malloc(n_fx * sizeof *labels);
    size_t n = 0;
    for (size_t i = 0; i < n_fx; i++)
        if (!strcmp(fx_split[i], "train")) {
            texts[n] = fx_text[i];
            labels[n++] = fx_label[i];
        }
    CHECK(classify_train(texts, labels, n, NULL, &m) == 0);
    CHECK(classify_train(texts, labels, n, NULL, &m2) == 0);
    if (!m || !m2)
        goto out;
    CHECK(m->n_terms == m2->n_terms);
    CHECK(memcmp(m->weight, m2->weight, (m->n_terms + 1) * sizeof(double)) == 0);
    CHECK(memcmp(m->idf, m2->idf, m->n_terms * sizeof(double)) == 0);
    int same_terms = 1, sorted = 1;
    for (size_t j = 0; j < m->n_terms; j++) {
        same_terms &= strcmp(m->terms[j], m2->terms[j]) == 0;
        if (j)
            sorted &= strcmp(m->terms[j - 1], m->terms[j]) < 0;
    }
    CHECK(same_terms && sorted);

    /* store the rows in reverse order, as a database might return them */
    size_t nt = m->n_terms;
    const char **t = malloc(nt * sizeof *t);
    double *idf = malloc(nt * sizeof *idf), *w = malloc(nt * sizeof *w);
    for (size_t j = 0; j < nt; j++) {
        t[j] = m->terms[nt - 1 - j];
        idf[j] = m->idf[nt - 1 - j];
        w[j] = m->weight[nt - 1 - j];
    }
    struct strbuf sb = { 0 };
    struct classify_options o;
    CHECK(classify_options_format(&m->opt, &sb) == 0);
    CHECK_STR(sb.buf, "C=1 class_weight=none min_df=1 tol=1e-08 max_iter=100 folds=5 seed=42");
    CHECK(classify_options_parse(sb.buf, &o) == 0);
    CHECK(o.C == m->opt.C && o.balanced == m->opt.balanced && o.min_df == m->opt.min_df &&
          o.tol == m->opt.tol && o.max_iter == m->opt.max_iter && o.folds == m->opt.folds &&
          o.seed == m->opt.seed);
    CHECK(classify_model_from_arrays(nt, t, idf, w, m->intercept, &o, &r) == 0);
    if (r) {
        double *p1 = malloc(n_fx * sizeof *p1), *p2 = malloc(n_fx * sizeof *p2);
        CHECK(classify_predict_many(m, fx_text, n_fx, p1) == 0);
        CHECK(classify_predict_many(r, fx_text, n_fx, p2) == 0);
        CHECK(memcmp(p1, p2, n_fx * sizeof *p1) == 0);
        free(p1);
        free(p2);
    }
    /* a duplicated term is refused */
    t[1] = t[0];
    capture_begin();
    struct classify_model *bad = NULL;
    int rc = classify_model_from_arrays(nt, t, idf, w, m->intercept, &o, &bad);
    const char *msg = capture_end();
    CHECK(rc == -1 && bad == NULL && strstr(msg, "occurs twice"));
    strbuf_free(&sb);
    free(t);
    free(idf);
    free(w);
out:
    classify_model_free(r);
    classify_model_free(m);
    classify_model_free(m2);
    free(texts);
    free(labels);
}

/* ---- 6. bad input fails with a message naming the problem ---- */

static const struct {
    const char *name;
    const char *text[3];
    int label[3];
    size_t n;
    long min_df;
    double C;
    const char *want;
} bad_cases[] = {
    { "no rows", { NULL }, { 0 }, 0, 1, 1, "no training texts" },
    { "single class", { "I like parties", "I love crowds" }, { 1, 1 }, 2, 1, 1, "only one class" },
    { "empty text", { "I like parties", "" }, { 1, 0 }, 2, 1, 1, "text 2 is empty" },
    { "blank text", { " \n\t", "I like parties" }, { 1, 0 }, 2, 1, 1, "text 1 is blank" },
    { "NULL text", { "I like parties", NULL }, { 1, 0 }, 2, 1, 1, "text 2 is missing" },
    { "bad UTF-8", { "caf\xc3", "I like parties" }, { 1, 0 }, 2, 1, 1,
      "text 1 is not valid UTF-8" },
    { "bad label", { "I like parties", "I hate crowds" }, { 1, 2 }, 2, 1, 1, "label of text 2 is 2" },
    { "no words", { "a b c", "! ? 1" }, { 1, 0 }, 2, 1, 1, "no terms" },
    { "min_df", { "aa bb", "cc dd" }, { 1, 0 }, 2, 2, 1, "min_df=2" },
    { "C", { "aa bb", "cc dd" }, { 1, 0 }, 2, 1, 0, "option 'C'" },
};

static void test_bad_input(void)
{
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        struct classify_options o;
        struct classify_model *m = NULL;
        classify_options_default(&o);
        o.min_df = bad_cases[i].min_df;
        o.C = bad_cases[i].C;
        capture_begin();
        int rc = classify_train(bad_cases[i].text, bad_cases[i].label, bad_cases[i].n, &o, &m);
        const char *msg = capture_end();
        CHECK(rc == -1 && m == NULL);
        CHECK(strstr(msg, bad_cases[i].want) != NULL);
        if (!strstr(msg, bad_cases[i].want))
            fprintf(stderr, "    case '%s': message '%s'\n", bad_cases[i].name, msg);
        classify_model_free(m);
    }
    /* prediction refuses what training refuses */
    struct classify_model *m = NULL;
    double p = -1;
    CHECK(classify_train(toy_text, toy_label, 6, NULL, &m) == 0);
    capture_begin();
    int rc = classify_predict(m, "", &p);
    const char *msg = capture_end();
    CHECK(rc == -1 && strstr(msg, "text is empty"));
    const char *two[] = { "fine text", "\xff" };
    double pp[2];
    capture_begin();
    rc = classify_predict_many(m, two, 2, pp);
    msg = capture_end();
    CHECK(rc == -1 && strstr(msg, "text 2 is not valid UTF-8"));
    classify_model_free(m);
    /* options text */
    struct classify_options o;
    capture_begin();
    rc = classify_options_parse("C=1 colour=blue", &o);
    msg = capture_end();
    CHECK(rc == -1 && strstr(msg, "unknown classifier option 'colour'"));
    CHECK(classify_options_parse("class_weight=balanced C=0.5 seed=7", &o) == 0);
    CHECK(o.balanced == 1 && o.C == 0.5 && o.seed == 7 && o.min_df == 1);
    /* CV needs k texts of each class */
    int fold[6];
    capture_begin();
    rc = classify_cv_folds(toy_label, 6, 5, 1, fold);
    msg = capture_end();
    CHECK(rc == -1 && strstr(msg, "at least 5 texts of each class"));
}

/* ---- 7. the lower-casing beyond the analyser cases ---- */

static void test_lower(void)
{
    static const struct { const char *in, *want; } cases[] = {
        { "ABC xyz", "abc xyz" },
        { "\xc3\x80\xc3\x9e\xc3\x97\xc3\x9f", "\xc3\xa0\xc3\xbe\xc3\x97\xc3\x9f" },   /* ÀÞ×ß -> àþ×ß */
        { "\xc4\xb0", "i\xcc\x87" },                           /* İ -> i + U+0307 */
        { "\xce\x91\xce\xa3", "\xce\xb1\xcf\x82" },             /* ΑΣ -> ας (final) */
        { "\xce\xa3\xce\x91", "\xcf\x83\xce\xb1" },             /* ΣΑ -> σα */
        { "\xce\x91\xce\xa3\xce\x91", "\xce\xb1\xcf\x83\xce\xb1" },   /* ΑΣΑ -> ασα */
        { "\xc8\xba", "\xe2\xb1\xa5" },                         /* Ⱥ -> ⱥ (2 -> 3 bytes) */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct strbuf sb = { 0 };
        CHECK(classify_lower(cases[i].in, strlen(cases[i].in), &sb) == 0);
        CHECK_STR(sb.buf, cases[i].want);
        strbuf_free(&sb);
    }
}

int main(void)
{
    size_t nf = 0, ne = 0;
    struct record *f = read_records(FIXTURE, &nf);
    struct record *e = read_records(EXPECTED, &ne);
    CHECK(nf > 300 && ne > 1000);
    if (nf > 300 && ne > 1000) {
        load_fixture(f, nf);
        test_analyze(e, ne);
        int cases = 0;
        for (size_t i = 0; i < ne; i++)
            if (!strcmp(e[i].f[0], "case")) {
                test_case(e, ne, i);
                cases++;
            }
        CHECK(cases == 3);
        printf("over all cases: max |P - P_sklearn| %.2g, max |P - P_optimum| %.2g\n",
               max_prob_diff, max_prob_opt_diff);
        test_cv_against_sklearn(e, ne);
        test_round_trip();
    }
    test_metrics_by_hand();
    test_toy();
    test_bad_input();
    test_lower();
    free(fx_split);
    free(fx_text);
    free(fx_label);
    free_records(f, nf);
    free_records(e, ne);
    return CHECK_DONE();
}
