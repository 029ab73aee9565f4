/* classify/model_rows.c -- a classifier in the store: saving it (one `classifier` row and one
 * `classifier_term` row per term), loading it back bit for bit, and its top-weighted terms. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "classify/classify.h"
#include "classify/classify_int.h"
#include "diag.h"
#include "store/store.h"
#include "util.h"

static int bind_metric(sqlite3_stmt *st, int col, const struct classify_metrics *cv, double v)
{
    return cv && isfinite(v) ? store_bind_double(st, col, v) : store_bind_null(st, col);
}

static double col_metric(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? NAN : sqlite3_column_double(st, col);
}

static void copy_text(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

/* The classifier row of `dimension` into *info: 0, 1 when there is none, -1 after printing why. */
int classify_read_info(sqlite3 *db, const char *dimension, struct classify_info *info, int count_terms)
{
    static const char sql[] =
        "SELECT options, train_hash, n_train, intercept, cv_folds, cv_accuracy, cv_precision, "
        "cv_recall, cv_f1, cv_auc, trained_at, "
        "(SELECT count(*) FROM classifier_term t WHERE t.dimension = c.dimension) "
        "FROM classifier c WHERE dimension = ?1";
    static const char sql_nocount[] =
        "SELECT options, train_hash, n_train, intercept, cv_folds, cv_accuracy, cv_precision, "
        "cv_recall, cv_f1, cv_auc, trained_at, 0 FROM classifier c WHERE dimension = ?1";
    sqlite3_stmt *st = store_prepare(db, count_terms ? sql : sql_nocount);
    int rc, ret = -1;
    if (!st)
        return -1;
    if (store_bind_text(st, 1, dimension) < 0) {
        sqlite3_finalize(st);
        return -1;
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        ret = 1;
    } else if (rc == SQLITE_ROW) {
        memset(info, 0, sizeof *info);
        copy_text(info->dimension, sizeof info->dimension, dimension);
        copy_text(info->options, sizeof info->options, store_col_text(st, 0));
        copy_text(info->train_hash, sizeof info->train_hash, store_col_text(st, 1));
        info->n_train = (long)sqlite3_column_int64(st, 2);
        info->intercept = sqlite3_column_double(st, 3);
        info->cv_folds = sqlite3_column_type(st, 4) == SQLITE_NULL ? 0 : sqlite3_column_int(st, 4);
        info->cv.accuracy = col_metric(st, 5);
        info->cv.precision = col_metric(st, 6);
        info->cv.recall = col_metric(st, 7);
        info->cv.f1 = col_metric(st, 8);
        info->cv.auc = col_metric(st, 9);
        info->cv.n = info->cv_folds ? (size_t)info->n_train : 0;
        copy_text(info->trained_at, sizeof info->trained_at, store_col_text(st, 10));
        info->n_terms = (long)sqlite3_column_int64(st, 11);
        ret = 0;
    } else {
        diag_error("store: cannot read the classifier of %s: %s", dimension, sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    return ret;
}

int classify_store_save(sqlite3 *db, const char *dimension, const struct classify_model *m,
                        const char *train_hash, size_t n_train, const struct classify_metrics *cv,
                        int cv_folds, int *had_previous, struct classify_info *previous)
{
    static const char ins_model[] =
        "INSERT INTO classifier(dimension, options, train_hash, n_train, intercept, cv_folds, "
        "cv_accuracy, cv_precision, cv_recall, cv_f1, cv_auc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
    static const char ins_term[] = "INSERT INTO classifier_term(dimension, term, idf, weight) VALUES (?1, ?2, ?3, ?4)";
    struct strbuf opts = {0};
    struct classify_info prev;
    sqlite3_stmt *st = NULL, *del = NULL;
    int ret = -1, rc;

    *had_previous = 0;
    if (classify_options_format(&m->opt, &opts) < 0)
        return -1;
    if (!cv) {
        char *f = strstr(opts.buf, " folds=");   /* folds and seed are the last two: no CV, no folds */
        if (f) {
            *f = '\0';
            opts.len = (size_t)(f - opts.buf);
        }
    }
    if (store_begin(db) < 0)
        goto out;
    if ((rc = classify_read_info(db, dimension, &prev, 1)) < 0)
        goto out;
    if (rc == 0) {
        *had_previous = 1;
        if (previous)
            *previous = prev;
    }
    if (!(del = store_prepare(db, "DELETE FROM classifier_term WHERE dimension = ?1")) ||
        store_bind_text(del, 1, dimension) < 0)
        goto out;
    if (sqlite3_step(del) != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(del);
    if (!(del = store_prepare(db, "DELETE FROM classifier WHERE dimension = ?1")) ||
        store_bind_text(del, 1, dimension) < 0)
        goto out;
    if (sqlite3_step(del) != SQLITE_DONE)
        goto fail;

    if (!(st = store_prepare(db, ins_model)))
        goto out;
    if (store_bind_text(st, 1, dimension) < 0 || store_bind_text(st, 2, opts.buf) < 0 ||
        store_bind_text(st, 3, train_hash) < 0 || store_bind_int64(st, 4, (sqlite3_int64)n_train) < 0 ||
        store_bind_double(st, 5, m->intercept) < 0 ||
        (cv ? store_bind_int64(st, 6, cv_folds) : store_bind_null(st, 6)) < 0 ||
        bind_metric(st, 7, cv, cv ? cv->accuracy : NAN) < 0 || bind_metric(st, 8, cv, cv ? cv->precision : NAN) < 0 ||
        bind_metric(st, 9, cv, cv ? cv->recall : NAN) < 0 || bind_metric(st, 10, cv, cv ? cv->f1 : NAN) < 0 ||
        bind_metric(st, 11, cv, cv ? cv->auc : NAN) < 0)
        goto out;
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);

    if (!(st = store_prepare(db, ins_term)) || store_bind_text(st, 1, dimension) < 0)
        goto out;
    for (size_t i = 0; i < m->n_terms; i++) {   /* terms are sorted: appends to the key order */
        if (store_bind_text(st, 2, m->terms[i]) < 0 || store_bind_double(st, 3, m->idf[i]) < 0 ||
            store_bind_double(st, 4, m->weight[i]) < 0)
            goto out;
        if (sqlite3_step(st) != SQLITE_DONE)
            goto fail;
        sqlite3_reset(st);
    }
    ret = store_commit(db);
    goto out;
fail:
    diag_error("store: cannot store the classifier of %s: %s", dimension, sqlite3_errmsg(db));
out:
    sqlite3_finalize(st);
    sqlite3_finalize(del);
    strbuf_free(&opts);
    if (ret < 0)
        store_rollback(db);
    return ret;
}

int classify_store_load(sqlite3 *db, const char *dimension, struct classify_info *info,
                        struct classify_model **m)
{
    struct classify_options opt;
    struct vocab v = {0};
    sqlite3_stmt *st = NULL;
    double *idf = NULL, *weight = NULL;
    size_t cap = 0;
    int ret = -1, rc;

    if (m)
        *m = NULL;
    /* with a model the terms are counted as they are read, not by a query of their own */
    if ((rc = classify_read_info(db, dimension, info, m == NULL)) != 0)
        return rc;
    if (!m)
        return 0;
    if (classify_options_parse(info->options, &opt) < 0) {
        diag_error("the stored classifier of %s has unreadable options '%s'", dimension, info->options);
        return -1;
    }
    if (!(st = store_prepare(db, "SELECT term, idf, weight FROM classifier_term WHERE dimension = ?1")))
        return -1;
    if (store_bind_text(st, 1, dimension) < 0) {
        sqlite3_finalize(st);
        return -1;
    }
    /* The rows come in the primary key's order, (dimension, term) with BINARY collation: the
     * terms' byte order, which is the model's, so they go straight into its vocabulary. */
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *term = store_col_text(st, 0);
        size_t len = term ? strlen(term) : 0;      /* a NUL inside ends it, as it always did */
        if (v.n == cap) {
            size_t ncap = cap ? 2 * cap : 4096;
            double *a = realloc(idf, ncap * sizeof *a), *b;
            if (a)
                idf = a;
            if (!a || !(b = realloc(weight, (ncap + 1) * sizeof *b))) {
                diag_error("out of memory");
                goto out;
            }
            weight = b;
            cap = ncap;
        }
        idf[v.n] = sqlite3_column_double(st, 1);
        weight[v.n] = sqlite3_column_double(st, 2);
        if (len >= UINT32_MAX) {
            diag_error("a term of the %s classifier is too long (%zu bytes)", dimension, len);
            goto out;
        }
        if (classify_vocab_append(&v, term ? term : "", (uint32_t)len) < 0) {
            diag_error("out of memory");
            goto out;
        }
    }
    if (rc != SQLITE_DONE) {
        diag_error("store: cannot read the terms of the %s classifier: %s", dimension, sqlite3_errmsg(db));
        goto out;
    }
    info->n_terms = (long)v.n;
    rc = classify_model_from_vocab(&v, idf, weight, info->intercept, &opt, m);
    idf = weight = NULL;        /* taken over */
    if (rc < 0) {
        diag_error("the stored classifier of %s is damaged", dimension);
        goto out;
    }
    ret = 0;
out:
    sqlite3_finalize(st);
    classify_vocab_free(&v);
    free(idf);
    free(weight);
    return ret;
}

int classify_store_top_terms(sqlite3 *db, const char *dimension, int positive, size_t k,
                             char ***terms, double **weights, size_t *n)
{
    const char *sql = positive
        ? "SELECT term, weight FROM classifier_term WHERE dimension = ?1 AND weight > 0 "
          "ORDER BY weight DESC, term LIMIT ?2"
        : "SELECT term, weight FROM classifier_term WHERE dimension = ?1 AND weight < 0 "
          "ORDER BY weight ASC, term LIMIT ?2";
    struct textpool tp = {0};
    sqlite3_stmt *st = store_prepare(db, sql);
    double *w = malloc((k ? k : 1) * sizeof *w);
    int ret = -1, rc;
    *terms = NULL;
    *weights = NULL;
    *n = 0;
    if (!st || !w) {
        if (!w)
            diag_error("out of memory");
        goto out;
    }
    if (store_bind_text(st, 1, dimension) < 0 || store_bind_int64(st, 2, (sqlite3_int64)k) < 0)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *term = store_col_text(st, 0);
        w[tp.n] = sqlite3_column_double(st, 1);
        if (classify_textpool_add(&tp, term ? term : "", term ? (size_t)sqlite3_column_bytes(st, 0) : 0) < 0) {
            diag_error("out of memory");
            goto out;
        }
    }
    if (rc != SQLITE_DONE) {
        diag_error("store: cannot read the terms of the %s classifier: %s", dimension, sqlite3_errmsg(db));
        goto out;
    }
    if (classify_textpool_finish(&tp, terms) < 0) {
        diag_error("out of memory");
        goto out;
    }
    *n = tp.n;
    *weights = w;
    w = NULL;
    ret = 0;
out:
    sqlite3_finalize(st);
    classify_textpool_free(&tp);
    free(w);
    return ret;
}
