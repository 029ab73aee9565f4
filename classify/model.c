/* classify/model.c -- options, training, prediction and the serialised form of a model */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/classify.h"
#include "classify/classify_int.h"
#include "diag.h"

/* Buffers for prediction: the tokeniser, the term -> column table, and per-text counts. */
struct classify_scratch {
    struct tok tok;
    struct vocab vocab;         /* id = column; owns the strings that terms[] point to */
    uint32_t *stamp, *pos;      /* per column: last text seen (stamp) and its slot there */
    uint32_t now;
    uint32_t *fid, *fcnt;       /* the current text's columns and counts, first-seen order */
    double *fx;                 /* and their tf-idf values */
    size_t fcap;
};

void classify_options_default(struct classify_options *opt)
{
    opt->C = 1.0;
    opt->balanced = 0;
    opt->min_df = 1;
    opt->tol = 1e-8;
    opt->max_iter = 100;
    opt->folds = 5;
    opt->seed = 42;
    opt->threads = threads_default();
}

int classify_options_check(const struct classify_options *o)
{
    if (!(o->C > 0) || !isfinite(o->C))
        return diag_error("option 'C' must be a positive number (got %g)", o->C);
    if (o->min_df < 1)
        return diag_error("option 'min_df' must be at least 1 (got %ld)", o->min_df);
    if (!(o->tol > 0 && o->tol < 1))
        return diag_error("option 'tol' must be between 0 and 1 (got %g)", o->tol);
    if (o->max_iter < 1)
        return diag_error("option 'max_iter' must be at least 1 (got %d)", o->max_iter);
    if (o->folds < 2)
        return diag_error("option 'folds' must be at least 2 (got %d)", o->folds);
    if (o->balanced != 0 && o->balanced != 1)
        return diag_error("option 'balanced' must be 0 or 1 (got %d)", o->balanced);
    return 0;
}

/* The shortest of %.15g, %.16g, %.17g that reads back as x. */
static int add_double(struct strbuf *sb, const char *key, double x)
{
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    return strbuf_addf(sb, "%s=%s", key, buf);
}

int classify_options_format(const struct classify_options *o, struct strbuf *out)
{
    if (add_double(out, "C", o->C) < 0 ||
        strbuf_addf(out, " class_weight=%s min_df=%ld ", o->balanced ? "balanced" : "none",
                    o->min_df) < 0 ||
        add_double(out, "tol", o->tol) < 0 ||
        strbuf_addf(out, " max_iter=%d folds=%d seed=%lu", o->max_iter, o->folds, o->seed) < 0)
        return diag_error("out of memory");
    return 0;
}

int classify_options_parse(const char *text, struct classify_options *opt)
{
    struct classify_options o;
    char *copy = strdup(text ? text : ""), *save = NULL;
    int ret = -1;
    classify_options_default(&o);
    if (!copy)
        return diag_error("out of memory");
    for (char *kv = strtok_r(copy, " \t\n", &save); kv; kv = strtok_r(NULL, " \t\n", &save)) {
        char *val = strchr(kv, '=');
        double d;
        long l;
        if (!val) {
            diag_error("classifier option '%s' is not KEY=VALUE", kv);
            goto out;
        }
        *val++ = '\0';
        if (strcmp(kv, "C") == 0 && parse_double(val, &d) == 0)
            o.C = d;
        else if (strcmp(kv, "tol") == 0 && parse_double(val, &d) == 0)
            o.tol = d;
        else if (strcmp(kv, "class_weight") == 0 && strcmp(val, "none") == 0)
            o.balanced = 0;
        else if (strcmp(kv, "class_weight") == 0 && strcmp(val, "balanced") == 0)
            o.balanced = 1;
        else if (strcmp(kv, "min_df") == 0 && parse_long(val, &l) == 0)
            o.min_df = l;
        else if (strcmp(kv, "max_iter") == 0 && parse_long(val, &l) == 0 && l >= 0 && l <= 1000000)
            o.max_iter = (int)l;
        else if (strcmp(kv, "folds") == 0 && parse_long(val, &l) == 0 && l >= 0 && l <= 1000000)
            o.folds = (int)l;
        else if (strcmp(kv, "seed") == 0 && parse_long(val, &l) == 0 && l >= 0)
            o.seed = (unsigned long)l;
        else {
            int known = !strcmp(kv, "C") || !strcmp(kv, "tol") || !strcmp(kv, "class_weight") ||
                        !strcmp(kv, "min_df") || !strcmp(kv, "max_iter") || !strcmp(kv, "folds") ||
                        !strcmp(kv, "seed");
            if (known)
                diag_error("classifier option '%s' has a bad value '%s'", kv, val);
            else
                diag_error("unknown classifier option '%s'", kv);
            goto out;
        }
    }
    if (classify_options_check(&o) < 0)
        goto out;
    *opt = o;
    ret = 0;
out:
    free(copy);
    return ret;
}

void classify_model_free(struct classify_model *m)
{
    if (!m)
        return;
    if (m->scratch) {
        classify_tok_free(&m->scratch->tok);
        classify_vocab_free(&m->scratch->vocab);
        free(m->scratch->stamp);
        free(m->scratch->pos);
        free(m->scratch->fid);
        free(m->scratch->fcnt);
        free(m->scratch->fx);
        free(m->scratch);
    }
    free(m->terms);
    free(m->idf);
    free(m->weight);
    free(m);
}

/* A model with its scratch and tokeniser, nothing else yet. */
static struct classify_model *model_new(void)
{
    struct classify_model *m = calloc(1, sizeof *m);
    if (!m || !(m->scratch = calloc(1, sizeof *m->scratch))) {
        free(m);
        diag_error("out of memory");
        return NULL;
    }
    if (classify_tok_init(&m->scratch->tok) < 0) {
        classify_model_free(m);
        return NULL;
    }
    return m;
}

/* Once scratch->vocab holds the n_terms terms (id = column): the term pointers and the
 * per-column prediction arrays. */
static int model_finish(struct classify_model *m)
{
    struct classify_scratch *sc = m->scratch;
    size_t n = sc->vocab.n;
    m->n_terms = n;
    if (!(m->terms = malloc((n ? n : 1) * sizeof *m->terms)) ||
        !(sc->stamp = calloc(n ? n : 1, sizeof *sc->stamp)) ||
        !(sc->pos = malloc((n ? n : 1) * sizeof *sc->pos)))
        return diag_error("out of memory");
    for (size_t i = 0; i < n; i++)
        m->terms[i] = sc->vocab.pool + sc->vocab.off[i];
    return 0;
}

int classify_train_rows(const char *const *texts, const int *labels, const size_t *rows,
                     size_t n_rows, const struct classify_options *opt,
                     struct classify_model **out)
{
    struct classify_model *m = NULL;
    struct tfidf x = {0};
    double *y = NULL, *cw = NULL, *w = NULL;
    size_t n_pos = 0;
    int ret = -1;

    *out = NULL;
    if (n_rows == 0)
        return diag_error("no training texts");
    for (size_t r = 0; r < n_rows; r++) {
        size_t i = rows ? rows[r] : r;
        if (labels[i] != 0 && labels[i] != 1)
            return diag_error("label of text %zu is %d, not 0 or 1", i + 1, labels[i]);
        n_pos += labels[i] == 1;
    }
    if (n_pos == 0 || n_pos == n_rows)
        return diag_error("only one class: all %zu training texts are labelled %d; "
                          "a classifier needs texts labelled 0 and 1", n_rows, n_pos ? 1 : 0);
    if (!(m = model_new()))
        return -1;
    if (classify_tfidf_fit(&m->scratch->tok, texts, rows, n_rows, opt->min_df, &x) < 0)
        goto out;

    if (!(y = malloc(n_rows * sizeof *y)) || !(cw = malloc(n_rows * sizeof *cw)) ||
        !(w = calloc(x.n_cols + 1, sizeof *w))) {
        diag_error("out of memory");
        goto out;
    }
    /* sklearn's class_weight='balanced': n / (n_classes * count of the class). */
    double sw1 = opt->balanced ? (double)n_rows / (2.0 * (double)n_pos) : 1.0;
    double sw0 = opt->balanced ? (double)n_rows / (2.0 * (double)(n_rows - n_pos)) : 1.0;
    for (size_t r = 0; r < n_rows; r++) {
        int lab = labels[rows ? rows[r] : r];
        y[r] = lab ? 1.0 : -1.0;
        cw[r] = opt->C * (lab ? sw1 : sw0);
    }
    struct logreg_problem p = { n_rows, x.n_cols, x.rowptr, x.col, x.val, y, cw, opt->threads };
    struct logreg_result res;
    if (classify_logreg_fit(&p, opt->tol, opt->max_iter, w, &res) < 0)
        goto out;

    m->scratch->vocab = x.vocab;
    memset(&x.vocab, 0, sizeof x.vocab);
    m->idf = x.idf;
    x.idf = NULL;
    m->weight = w;              /* d + 1 entries; the last is also kept as the intercept */
    w = NULL;
    m->intercept = m->weight[p.d];
    m->opt = *opt;
    m->n_train = n_rows;
    m->n_pos = n_pos;
    m->iterations = res.iterations;
    m->cg_iterations = res.cg_iterations;
    m->converged = res.converged;
    m->grad_norm = res.grad_norm;
    if (model_finish(m) < 0)
        goto out;
    *out = m;
    m = NULL;
    ret = 0;
out:
    classify_tfidf_free(&x);
    free(y);
    free(cw);
    free(w);
    classify_model_free(m);
    return ret;
}

int classify_train(const char *const *texts, const int *labels, size_t n,
                   const struct classify_options *opt, struct classify_model **out)
{
    struct classify_options o;
    *out = NULL;
    if (opt)
        o = *opt;
    else
        classify_options_default(&o);
    if (classify_options_check(&o) < 0)
        return -1;
    if (n == 0 || !texts || !labels)
        return diag_error("no training texts");
    return classify_train_rows(texts, labels, NULL, n, &o, out);
}

/* classify_predict_one with the buffers of sc (the model's own, or a worker's). */
static int predict_with(const struct classify_model *m, struct classify_scratch *sc, const char *text,
                        const char *what, double *prob)
{
    if (classify_tok_run(&sc->tok, text, what) < 0)
        return -1;
    size_t nt = classify_tok_n_terms(&sc->tok), nf = 0;
    if (nt > sc->fcap) {
        uint32_t *p = realloc(sc->fid, nt * sizeof *p);
        if (!p)
            return diag_error("out of memory");
        sc->fid = p;
        if (!(p = realloc(sc->fcnt, nt * sizeof *p)))
            return diag_error("out of memory");
        sc->fcnt = p;
        double *x = realloc(sc->fx, nt * sizeof *x);
        if (!x)
            return diag_error("out of memory");
        sc->fx = x;
        sc->fcap = nt;
    }
    if (++sc->now == 0) {       /* the stamps wrapped: forget them all */
        memset(sc->stamp, 0, m->n_terms * sizeof *sc->stamp);
        sc->now = 1;
    }
    for (size_t i = 0; i < nt; i++) {
        uint32_t len;
        const char *s = classify_tok_term(&sc->tok, i, &len);
        long id = classify_vocab_find(&sc->vocab, s, len, classify_tok_hash(&sc->tok, i));
        if (id < 0)
            continue;
        if (sc->stamp[id] == sc->now) {
            sc->fcnt[sc->pos[id]]++;
            continue;
        }
        sc->stamp[id] = sc->now;
        sc->pos[id] = (uint32_t)nf;
        sc->fid[nf] = (uint32_t)id;
        sc->fcnt[nf++] = 1;
    }
    /* The same operations, in the same order, as classify_tfidf_fit() and logreg.c's fun(). */
    double ss = 0.0, z = 0.0;
    for (size_t k = 0; k < nf; k++) {
        double x = sc->fcnt[k] == 1 ? m->idf[sc->fid[k]]
                                    : (1.0 + log((double)sc->fcnt[k])) * m->idf[sc->fid[k]];
        sc->fx[k] = x;
        ss += x * x;
    }
    double norm = sqrt(ss);
    if (norm > 0.0)
        for (size_t k = 0; k < nf; k++)
            z += sc->fx[k] / norm * m->weight[sc->fid[k]];
    z += m->intercept;
    *prob = 1.0 / (1.0 + exp(-z));
    return 0;
}

int classify_predict_one(const struct classify_model *m, const char *text, const char *what,
                         double *prob)
{
    return predict_with(m, m->scratch, text, what, prob);
}

/* ---- prediction on worker threads ---- */

struct predict_job {
    const struct classify_model *m;
    struct classify_scratch *sc;     /* per worker; [0] is the model's own */
    const char *const *texts;
    double *prob;
};

static int predict_run(size_t i, size_t w, void *arg)
{
    const struct predict_job *j = arg;
    char what[48];
    snprintf(what, sizeof what, "text %zu", i + 1);
    if (predict_with(j->m, &j->sc[w], j->texts[i], what, &j->prob[i]) < 0)
        j->prob[i] = NAN;       /* said why; the caller finds the first NAN */
    return 0;
}

/* A worker's buffers: its own tokeniser and per-column stamps, the model's term table (read only). */
static int scratch_worker(const struct classify_model *m, struct classify_scratch *sc)
{
    memset(sc, 0, sizeof *sc);
    sc->vocab = m->scratch->vocab;          /* borrowed: never freed through sc */
    if (classify_tok_init(&sc->tok) < 0)
        return -1;
    if (!(sc->stamp = calloc(m->n_terms ? m->n_terms : 1, sizeof *sc->stamp)) ||
        !(sc->pos = malloc((m->n_terms ? m->n_terms : 1) * sizeof *sc->pos)))
        return diag_error("out of memory");
    return 0;
}

static void scratch_worker_free(struct classify_scratch *sc)
{
    classify_tok_free(&sc->tok);
    free(sc->stamp);
    free(sc->pos);
    free(sc->fid);
    free(sc->fcnt);
    free(sc->fx);
}

int classify_predict_par(const struct classify_model *m, const char *const *texts, size_t n, size_t threads,
                         double *prob, size_t *bad)
{
    struct classify_scratch sc[16];
    size_t nw = 1;
    int ret = -1;
    if (threads > 16)
        threads = 16;
    if (threads > n)
        threads = n ? n : 1;
    sc[0] = *m->scratch;     /* a copy: written back below so the model keeps its grown buffers */
    for (; nw < threads; nw++)
        if (scratch_worker(m, &sc[nw]) < 0) {
            scratch_worker_free(&sc[nw]);
            goto out;
        }
    struct predict_job job = { m, sc, texts, prob };
    if (par_for(threads, n, predict_run, &job) < 0) {
        diag_error("cannot start a worker thread for the predictions");
        goto out;
    }
    *bad = n;
    for (size_t i = 0; i < n && *bad == n; i++)
        if (isnan(prob[i]))
            *bad = i;
    ret = *bad == n ? 0 : -1;
out:
    *m->scratch = sc[0];
    for (size_t w = 1; w < nw; w++)
        scratch_worker_free(&sc[w]);
    return ret;
}

int classify_predict(const struct classify_model *m, const char *text, double *prob)
{
    return classify_predict_one(m, text, "text", prob);
}

int classify_predict_many(const struct classify_model *m, const char *const *texts, size_t n,
                          double *prob)
{
    char what[48];
    for (size_t i = 0; i < n; i++) {
        snprintf(what, sizeof what, "text %zu", i + 1);
        if (classify_predict_one(m, texts[i], what, &prob[i]) < 0)
            return -1;
    }
    return 0;
}

struct order {
    const char *s;
    size_t len, i;
};

static int order_cmp(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);
    if (c)
        return c;
    return (x->len > y->len) - (x->len < y->len);
}

int classify_model_from_arrays(size_t n_terms, const char *const *terms, const double *idf,
                               const double *weight, double intercept,
                               const struct classify_options *opt, struct classify_model **out)
{
    struct classify_model *m = NULL;
    struct order *ord = NULL;
    int ret = -1;
    size_t bad;

    *out = NULL;
    if (n_terms == 0)
        return diag_error("the model has no terms");
    if (n_terms >= UINT32_MAX - 1)
        return diag_error("the model has too many terms (%zu)", n_terms);
    if (!isfinite(intercept))
        return diag_error("the model's intercept is not a finite number");
    if (opt && classify_options_check(opt) < 0)
        return -1;
    if (!(ord = malloc(n_terms * sizeof *ord)))
        return diag_error("out of memory");
    for (size_t i = 0; i < n_terms; i++) {
        if (!terms[i] || !terms[i][0]) {
            diag_error("term %zu of the model is empty", i + 1);
            goto out;
        }
        ord[i] = (struct order){ terms[i], strlen(terms[i]), i };
        if (ord[i].len >= UINT32_MAX || !utf8_valid(terms[i], ord[i].len, &bad)) {
            diag_error("term %zu of the model is not valid UTF-8", i + 1);
            goto out;
        }
        if (!isfinite(idf[i]) || !isfinite(weight[i])) {
            diag_error("term '%s' of the model has a non-finite idf or weight", terms[i]);
            goto out;
        }
    }
    qsort(ord, n_terms, sizeof *ord, order_cmp);
    for (size_t k = 1; k < n_terms; k++)
        if (order_cmp(&ord[k - 1], &ord[k]) == 0) {
            diag_error("term '%s' occurs twice in the model", ord[k].s);
            goto out;
        }
    if (!(m = model_new()))
        goto out;
    if (!(m->idf = malloc(n_terms * sizeof *m->idf)) ||
        !(m->weight = malloc((n_terms + 1) * sizeof *m->weight))) {
        diag_error("out of memory");
        goto out;
    }
    for (size_t k = 0; k < n_terms; k++) {
        uint32_t id;
        int added;
        uint32_t len = (uint32_t)ord[k].len;
        if (classify_vocab_intern(&m->scratch->vocab, ord[k].s, len,
                                  classify_term_hash(ord[k].s, len), &id, &added) < 0) {
            diag_error("out of memory");
            goto out;
        }
        m->idf[k] = idf[ord[k].i];
        m->weight[k] = weight[ord[k].i];
    }
    m->weight[n_terms] = intercept;
    m->intercept = intercept;
    if (opt)
        m->opt = *opt;
    else
        classify_options_default(&m->opt);
    if (model_finish(m) < 0)
        goto out;
    *out = m;
    m = NULL;
    ret = 0;
out:
    free(ord);
    classify_model_free(m);
    return ret;
}
