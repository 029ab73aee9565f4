/* classify/cv.c -- stratified k-fold cross-validation and the metrics it reports */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "classify/classify.h"
#include "classify/classify_int.h"
#include "diag.h"
#include "progress.h"

struct scored {
    double p;
    int y;
};

static int scored_cmp(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;
    return (x->p > y->p) - (x->p < y->p);
}

int classify_metrics(const int *labels, const double *prob, size_t n, struct classify_metrics *out)
{
    struct scored *v;
    size_t npos = 0;
    memset(out, 0, sizeof *out);
    if (n == 0)
        return diag_error("no predictions to score");
    for (size_t i = 0; i < n; i++) {
        if (labels[i] != 0 && labels[i] != 1)
            return diag_error("label %zu is %d, not 0 or 1", i + 1, labels[i]);
        if (!(prob[i] >= 0.0 && prob[i] <= 1.0))
            return diag_error("probability %zu is %g, not in [0, 1]", i + 1, prob[i]);
        int yes = prob[i] > 0.5;
        out->tp += labels[i] && yes;
        out->fp += !labels[i] && yes;
        out->tn += !labels[i] && !yes;
        out->fn += labels[i] && !yes;
        npos += labels[i] == 1;
    }
    out->n = n;
    out->accuracy = (double)(out->tp + out->tn) / (double)n;
    out->precision = out->tp + out->fp ? (double)out->tp / (double)(out->tp + out->fp) : 0.0;
    out->recall = out->tp + out->fn ? (double)out->tp / (double)(out->tp + out->fn) : 0.0;
    out->f1 = out->precision + out->recall > 0
                  ? 2 * out->precision * out->recall / (out->precision + out->recall)
                  : 0.0;
    if (npos == 0 || npos == n) {
        out->auc = NAN;
        return 0;
    }
    /* AUC = Mann-Whitney U / (n_pos n_neg), tied scores sharing their average rank. */
    if (!(v = malloc(n * sizeof *v)))
        return diag_error("out of memory");
    for (size_t i = 0; i < n; i++)
        v[i] = (struct scored){ prob[i], labels[i] };
    qsort(v, n, sizeof *v, scored_cmp);
    double rank_sum = 0.0;
    for (size_t i = 0; i < n;) {
        size_t j = i, pos = 0;
        while (j < n && v[j].p == v[i].p)
            pos += v[j++].y;
        double avg_rank = 0.5 * (double)(i + 1 + j);   /* ranks i+1 .. j */
        rank_sum += avg_rank * (double)pos;
        i = j;
    }
    free(v);
    double np = (double)npos, nn = (double)(n - npos);
    out->auc = (rank_sum - np * (np + 1) / 2) / (np * nn);
    return 0;
}

int classify_cv_folds(const int *labels, size_t n, int k, unsigned long seed, int *fold)
{
    size_t count[2] = { 0, 0 }, *idx = NULL;
    gsl_rng *rng = NULL;
    int ret = -1;
    if (k < 2)
        return diag_error("cross-validation needs at least 2 folds (got %d)", k);
    for (size_t i = 0; i < n; i++) {
        if (labels[i] != 0 && labels[i] != 1)
            return diag_error("label of text %zu is %d, not 0 or 1", i + 1, labels[i]);
        count[labels[i]]++;
    }
    for (int c = 0; c < 2; c++)
        if (count[c] < (size_t)k)
            return diag_error("%d-fold cross-validation needs at least %d texts of each class "
                              "(%zu labelled %d)", k, k, count[c], c);
    if (!(idx = malloc(n * sizeof *idx)) || !(rng = gsl_rng_alloc(gsl_rng_mt19937))) {
        diag_error("out of memory");
        goto out;
    }
    gsl_rng_set(rng, seed);
    size_t *cls[2] = { idx, idx + count[0] }, fill[2] = { 0, 0 };
    for (size_t i = 0; i < n; i++)
        cls[labels[i]][fill[labels[i]]++] = i;
    size_t deal = 0;
    for (int c = 0; c < 2; c++) {
        gsl_ran_shuffle(rng, cls[c], count[c], sizeof *idx);
        for (size_t j = 0; j < count[c]; j++)
            fold[cls[c][j]] = (int)(deal++ % (size_t)k);
    }
    ret = 0;
out:
    gsl_rng_free(rng);
    free(idx);
    return ret;
}

/* One fold of classify_cv_assigned: trains without fold f, predicts fold f into p[i] -- only its
 * own texts' entries, so folds can run on different threads. */
struct cv_job {
    const char *const *texts;
    const int *labels, *fold;
    size_t n;
    const struct classify_options *o;
    int k;
    double *p;
};

static int cv_fold(size_t fi, size_t worker, void *arg)
{
    const struct cv_job *j = arg;
    const int f = (int)fi;
    struct classify_model *m = NULL;
    size_t *rows = malloc(j->n * sizeof *rows), nr = 0;
    char what[48];
    int ret = -1;
    (void)worker;
    if (!rows)
        return diag_error("out of memory");
    for (size_t i = 0; i < j->n; i++)
        if (j->fold[i] != f)
            rows[nr++] = i;
    if (nr == j->n) {
        diag_error("fold %d of %d has no texts", f + 1, j->k);
        goto out;
    }
    if (classify_train_rows(j->texts, j->labels, rows, nr, j->o, &m) < 0) {
        diag_error("cannot train without fold %d of %d", f + 1, j->k);
        goto out;
    }
    for (size_t i = 0; i < j->n; i++) {
        if (j->fold[i] != f)
            continue;
        snprintf(what, sizeof what, "text %zu", i + 1);
        if (classify_predict_one(m, j->texts[i], what, &j->p[i]) < 0)
            goto out;
    }
    progress_add(1);        /* a fold done (the display of classify train, progress.h; any thread) */
    ret = 0;
out:
    classify_model_free(m);
    free(rows);
    return ret;
}

/* The folds run on up to opt->threads workers, each fold's fit on one thread (a fit gives the same
 * weights at any thread count, so the predictions are those of a sequential run).  Memory: one
 * model per worker at a time. */
int classify_cv_assigned(const char *const *texts, const int *labels, size_t n,
                         const struct classify_options *opt, const int *fold, int k,
                         struct classify_metrics *out, double *prob)
{
    struct classify_options o, inner;
    double *p = prob;
    int ret = -1;

    memset(out, 0, sizeof *out);
    if (opt)
        o = *opt;
    else
        classify_options_default(&o);
    if (classify_options_check(&o) < 0)
        return -1;
    if (n == 0 || !texts || !labels)
        return diag_error("no texts to cross-validate");
    if (k < 2)
        return diag_error("cross-validation needs at least 2 folds (got %d)", k);
    for (size_t i = 0; i < n; i++)
        if (fold[i] < 0 || fold[i] >= k)
            return diag_error("fold of text %zu is %d, not in 0..%d", i + 1, fold[i], k - 1);
    if (!p && !(p = malloc(n * sizeof *p))) {
        diag_error("out of memory");
        goto out;
    }
    inner = o;
    inner.threads = 1;
    struct cv_job job = { texts, labels, fold, n, &inner, k, p };
    if (par_for(o.threads, (size_t)k, cv_fold, &job) < 0)
        goto out;
    ret = classify_metrics(labels, p, n, out);
out:
    if (p != prob)
        free(p);
    return ret;
}

int classify_cv(const char *const *texts, const int *labels, size_t n,
                const struct classify_options *opt, struct classify_metrics *out, double *prob)
{
    struct classify_options o;
    int *fold = NULL, ret = -1;

    memset(out, 0, sizeof *out);
    if (opt)
        o = *opt;
    else
        classify_options_default(&o);
    if (classify_options_check(&o) < 0)
        return -1;
    if (n == 0 || !texts || !labels)
        return diag_error("no texts to cross-validate");
    if (!(fold = malloc(n * sizeof *fold)))
        return diag_error("out of memory");
    if (classify_cv_folds(labels, n, o.folds, o.seed, fold) == 0)
        ret = classify_cv_assigned(texts, labels, n, &o, fold, o.folds, out, prob);
    free(fold);
    return ret;
}
