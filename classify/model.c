/* classify/model.c -- options, training and the serialised form of a model (prediction: predict.c) */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/classify.h"
#include "classify/classify_int.h"
#include "diag.h"

void classify_options_default(struct classify_options *opt)
{
    memset(opt, 0, sizeof *opt);    /* every field, also those added later */
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
        classify_pbuf_free(&m->scratch->buf);
        classify_ptab_free(&m->scratch->tab);
        classify_vocab_free(&m->scratch->vocab);
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
    if (classify_tok_init(&m->scratch->buf.tok) < 0) {
        classify_model_free(m);
        return NULL;
    }
    return m;
}

/* Once scratch->vocab holds the n_terms terms (id = column) and m->idf, m->weight their values:
 * the term pointers and the lookup table (hash[id] = classify_term_hash() of term id). */
static int model_finish(struct classify_model *m, const uint64_t *hash)
{
    struct classify_scratch *sc = m->scratch;
    size_t n = sc->vocab.n;
    m->n_terms = n;
    if (!(m->terms = malloc((n ? n : 1) * sizeof *m->terms)))
        return diag_error("out of memory");
    for (size_t i = 0; i < n; i++)
        m->terms[i] = sc->vocab.pool + sc->vocab.off[i];
    return classify_ptab_build(&sc->tab, &sc->vocab, hash, m->idf, m->weight);
}

int classify_train_rows(const char *const *texts, const int *labels, const size_t *rows,
                     size_t n_rows, const struct classify_options *opt,
                     struct classify_model **out)
{
    struct classify_model *m = NULL;
    struct tfidf x = {0};
    double *y = NULL, *cw = NULL, *w = NULL;
    uint64_t *hash = NULL;
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
    if (classify_tfidf_fit(&m->scratch->buf.tok, texts, rows, n_rows, opt->min_df, opt->threads, &x) < 0)
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

    /* the terms' hashes are in the vocabulary's own table, which prediction does not use */
    if (!(hash = malloc((x.n_cols ? x.n_cols : 1) * sizeof *hash))) {
        diag_error("out of memory");
        goto out;
    }
    for (size_t j = 0; j <= x.vocab.mask; j++)
        if (x.vocab.slot[j].id)
            hash[x.vocab.slot[j].id - 1] = x.vocab.slot[j].hash;
    free(x.vocab.slot);
    x.vocab.slot = NULL;
    x.vocab.mask = 0;
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
    if (model_finish(m, hash) < 0)
        goto out;
    *out = m;
    m = NULL;
    ret = 0;
out:
    classify_tfidf_free(&x);
    free(hash);
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
    uint64_t *hash = NULL;
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
    /* The store hands the terms over in its key order, which is this order: then no sort. */
    size_t k = 1;
    while (k < n_terms && order_cmp(&ord[k - 1], &ord[k]) < 0)
        k++;
    if (k < n_terms) {
        qsort(ord, n_terms, sizeof *ord, order_cmp);
        for (k = 1; k < n_terms; k++)
            if (order_cmp(&ord[k - 1], &ord[k]) == 0) {
                diag_error("term '%s' occurs twice in the model", ord[k].s);
                goto out;
            }
    }
    if (!(m = model_new()))
        goto out;
    /* The vocabulary in sorted order (id = k) in one pool; distinct already, so no hash table. */
    struct vocab *v = &m->scratch->vocab;
    size_t bytes = 0;
    for (k = 0; k < n_terms; k++)
        bytes += ord[k].len + 1;
    if (!(m->idf = malloc(n_terms * sizeof *m->idf)) ||
        !(m->weight = malloc((n_terms + 1) * sizeof *m->weight)) ||
        !(hash = malloc(n_terms * sizeof *hash)) || !(v->pool = malloc(bytes)) ||
        !(v->off = malloc(n_terms * sizeof *v->off)) || !(v->len = malloc(n_terms * sizeof *v->len))) {
        diag_error("out of memory");
        goto out;
    }
    v->pool_cap = bytes;
    v->cap = n_terms;
    for (k = 0; k < n_terms; k++) {
        uint32_t len = (uint32_t)ord[k].len;
        memcpy(v->pool + v->pool_len, ord[k].s, len + 1);
        v->off[k] = v->pool_len;
        v->len[k] = len;
        v->pool_len += len + 1;
        v->n++;
        hash[k] = classify_term_hash(ord[k].s, len);
        m->idf[k] = idf[ord[k].i];
        m->weight[k] = weight[ord[k].i];
    }
    m->weight[n_terms] = intercept;
    m->intercept = intercept;
    if (opt)
        m->opt = *opt;
    else
        classify_options_default(&m->opt);
    if (model_finish(m, hash) < 0)
        goto out;
    *out = m;
    m = NULL;
    ret = 0;
out:
    free(ord);
    free(hash);
    classify_model_free(m);
    return ret;
}

/* a < b in byte order, a prefix first (order_cmp) */
static int vocab_less(const struct vocab *v, size_t a, size_t b)
{
    uint32_t la = v->len[a], lb = v->len[b];
    int c = memcmp(v->pool + v->off[a], v->pool + v->off[b], la < lb ? la : lb);
    return c ? c < 0 : la < lb;
}

int classify_model_from_vocab(struct vocab *v, double *idf, double *weight, double intercept,
                              const struct classify_options *opt, struct classify_model **out)
{
    struct classify_model *m = NULL;
    uint64_t *hash = NULL;
    const char **terms = NULL;
    const size_t n = v->n;
    int ret = -1;
    size_t k = 1, bad;

    *out = NULL;
    while (k < n && vocab_less(v, k - 1, k))
        k++;
    if (n == 0 || k < n || n >= UINT32_MAX - 1) {
        /* not in order (or nothing to order): the general path, with its checks and messages */
        if (!(terms = malloc((n ? n : 1) * sizeof *terms))) {
            diag_error("out of memory");
            goto out;
        }
        for (size_t i = 0; i < n; i++)
            terms[i] = v->pool + v->off[i];
        ret = classify_model_from_arrays(n, terms, idf, weight, intercept, opt, out);
        goto out;
    }
    /* The checks of classify_model_from_arrays(), in its order; distinct already (strictly sorted). */
    if (!isfinite(intercept)) {
        diag_error("the model's intercept is not a finite number");
        goto out;
    }
    if (opt && classify_options_check(opt) < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        const char *t = v->pool + v->off[i];
        if (!v->len[i]) {
            diag_error("term %zu of the model is empty", i + 1);
            goto out;
        }
        if (!utf8_valid(t, v->len[i], &bad)) {
            diag_error("term %zu of the model is not valid UTF-8", i + 1);
            goto out;
        }
        if (!isfinite(idf[i]) || !isfinite(weight[i])) {
            diag_error("term '%s' of the model has a non-finite idf or weight", t);
            goto out;
        }
    }
    if (!(m = model_new()))
        goto out;
    if (!(hash = malloc(n * sizeof *hash))) {
        diag_error("out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        hash[i] = classify_term_hash(v->pool + v->off[i], v->len[i]);
    m->scratch->vocab = *v;
    memset(v, 0, sizeof *v);
    m->idf = idf;
    m->weight = weight;         /* n + 1 entries: the caller allocated one more */
    idf = weight = NULL;
    m->weight[n] = intercept;
    m->intercept = intercept;
    if (opt)
        m->opt = *opt;
    else
        classify_options_default(&m->opt);
    if (model_finish(m, hash) < 0)
        goto out;
    *out = m;
    m = NULL;
    ret = 0;
out:
    classify_vocab_free(v);
    free(idf);
    free(weight);
    free(hash);
    free(terms);
    classify_model_free(m);
    return ret;
}
