/* classify/model_store.c -- classifiers, training sets, behaviour labels and CrS in the store.
 *
 * A classifier is one `classifier` row (options, training-set hash, size, intercept, CV metrics)
 * and one `classifier_term` row per vocabulary term (term, idf, weight): exactly the arrays that
 * classify_model_from_arrays() takes, so a stored model predicts bit for bit as the trained one
 * (doubles go through SQLite's REAL, an IEEE binary64, untouched).
 *
 * This file: the dimensions, training sets and labelling behaviours (apply); saving and loading
 * the classifier rows is in model_rows.c. */
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

const char *const classify_dimensions[5] = { "EXT", "AGR", "CONS", "EMO", "OPEN" };

static int blank(const char *s, size_t n)
{
    return strspn(s, " \t\n\r\v\f") == n;   /* the rule of classify_tok_run() */
}

int classify_store_dimensions(sqlite3 *db, const char *table, int present[5])
{
    char sql[96];
    sqlite3_stmt *st;
    int rc;
    snprintf(sql, sizeof sql, "SELECT DISTINCT dimension FROM %s", table);
    if (!(st = store_prepare(db, sql)))
        return -1;
    for (int d = 0; d < 5; d++)
        present[d] = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *dim = store_col_text(st, 0);
        for (int d = 0; d < 5; d++)
            if (dim && strcmp(dim, classify_dimensions[d]) == 0)
                present[d] = 1;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return diag_error("store: cannot read the dimensions of %s: %s", table, sqlite3_errmsg(db));
    return 0;
}

/* "FILE:LINE" of a row, for messages (the source path is looked up only when something failed). */
static void row_place(sqlite3 *db, sqlite3_int64 source_id, sqlite3_int64 line, char *buf, size_t size)
{
    sqlite3_stmt *st = store_prepare(db, "SELECT path FROM source WHERE id = ?1");
    const char *path = NULL;
    if (st && sqlite3_bind_int64(st, 1, source_id) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        path = store_col_text(st, 0);      /* only for a message: "?" when it cannot be read */
    snprintf(buf, size, "%s:%lld", path ? path : "?", (long long)line);
    sqlite3_finalize(st);
}

int classify_textpool_add(struct textpool *tp, const char *s, size_t len)
{
    if (tp->n == tp->cap) {
        size_t cap = tp->cap ? 2 * tp->cap : 1024;
        size_t *p = realloc(tp->off, cap * sizeof *p);
        if (!p)
            return -1;
        tp->off = p;
        tp->cap = cap;
    }
    tp->off[tp->n++] = tp->pool.len;
    if (strbuf_add(&tp->pool, s, len) < 0 || strbuf_add(&tp->pool, "", 1) < 0)
        return -1;
    return 0;
}

/* The pointer array and the pool as one block: free(*out) releases both. */
int classify_textpool_finish(struct textpool *tp, char ***out)
{
    size_t n = tp->n, bytes = tp->pool.len;
    char **p = malloc(n * sizeof *p + bytes + 1);
    if (!p)
        return -1;
    char *strings = (char *)(p + n);
    if (bytes)
        memcpy(strings, tp->pool.buf, bytes);
    strings[bytes] = '\0';
    for (size_t i = 0; i < n; i++)
        p[i] = strings + tp->off[i];
    *out = p;
    return 0;
}

void classify_textpool_free(struct textpool *tp)
{
    strbuf_free(&tp->pool);
    free(tp->off);
    memset(tp, 0, sizeof *tp);
}

void classify_trainset_free(struct classify_trainset *t)
{
    if (!t)
        return;
    free(t->texts);
    free(t->labels);
    memset(t, 0, sizeof *t);
}

/* A row of the training set while it is being sorted. */
struct trow {
    size_t off;                 /* text at pool + off, len bytes (and a NUL) */
    size_t len;
    sqlite3_int64 source_id, line;
    int label;
};

/* ORDER BY text, label with SQLite's BINARY collation: memcmp, a prefix first, then the label. */
static int trow_cmp_in(const char *pool, const struct trow *x, const struct trow *y)
{
    int c = memcmp(pool + x->off, pool + y->off, x->len < y->len ? x->len : y->len);
    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return (x->label > y->label) - (x->label < y->label);
}

struct trow_sort {
    const char *pool;
    struct trow *rows;
    size_t n, half;
};

static _Thread_local const char *sort_pool;     /* the pool of the rows this thread sorts */

static int trow_cmp(const void *a, const void *b)
{
    return trow_cmp_in(sort_pool, a, b);
}

/* Sorts one half (i = 0: [0, half), 1: [half, n)). */
static int trow_sort_run(size_t i, size_t worker, void *arg)
{
    struct trow_sort *ts = arg;
    size_t lo = i ? ts->half : 0, hi = i ? ts->n : ts->half;
    sort_pool = ts->pool;
    qsort(ts->rows + lo, hi - lo, sizeof *ts->rows, trow_cmp);
    (void)worker;
    return 0;
}

/* Sorts rows[0..n) on up to two threads: the halves at once, then one merge into *out (malloc'd;
 * rows is freed).  0 or -1 (no message). */
static int trow_sort(const char *pool, struct trow *rows, size_t n, size_t threads, struct trow **out)
{
    struct trow_sort ts = { pool, rows, n, n / 2 };
    struct trow *m = malloc((n ? n : 1) * sizeof *m);
    if (!m)
        return -1;
    if (par_for(threads, 2, trow_sort_run, &ts) < 0) {
        free(m);
        return -1;
    }
    size_t a = 0, b = ts.half, k = 0;
    while (a < ts.half && b < n)
        m[k++] = trow_cmp_in(pool, &rows[b], &rows[a]) < 0 ? rows[b++] : rows[a++];
    while (a < ts.half)
        m[k++] = rows[a++];
    while (b < n)
        m[k++] = rows[b++];
    free(rows);
    *out = m;
    return 0;
}

int classify_store_trainset(sqlite3 *db, const char *dimension, struct classify_trainset *out)
{
    /* Read in storage order and sorted here (two threads), which is several times faster than
     * SQLite's sorter on a million texts; the order is ORDER BY text, label's exactly. */
    static const char sql[] = "SELECT text, label, source_id, line FROM labeled_behavior WHERE dimension = ?1";
    struct strbuf pool = {0};
    struct trow *rows = NULL, *sorted = NULL;
    struct hasher h = {0};
    sqlite3_stmt *st = NULL;
    int *labels = NULL, ret = -1, rc;
    size_t n = 0, cap = 0, n_pos = 0;
    char **texts = NULL;

    memset(out, 0, sizeof *out);
    if (hasher_init(&h) < 0)
        return diag_error("out of memory");
    if (!(st = store_prepare(db, sql)) || store_bind_text(st, 1, dimension) < 0)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *text = store_col_text(st, 0);
        size_t len = text ? (size_t)sqlite3_column_bytes(st, 0) : 0;
        if (n == cap) {
            size_t ncap = cap ? 2 * cap : 1024;
            struct trow *p = realloc(rows, ncap * sizeof *p);
            if (!p) {
                diag_error("out of memory");
                goto out;
            }
            rows = p;
            cap = ncap;
        }
        rows[n] = (struct trow){ pool.len, len, sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3),
                                 sqlite3_column_int(st, 1) != 0 };
        if (!text)
            rows[n].len = SIZE_MAX;        /* NULL: reported below, in order */
        if (strbuf_add(&pool, text ? text : "", text ? len : 0) < 0 || strbuf_add(&pool, "", 1) < 0) {
            diag_error("out of memory");
            goto out;
        }
        n++;
    }
    if (rc != SQLITE_DONE) {
        diag_error("store: cannot read the labelled behaviours of %s: %s", dimension, sqlite3_errmsg(db));
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (rows[i].len == SIZE_MAX) {     /* NOT NULL in the schema: a damaged store */
            char place[512];
            row_place(db, rows[i].source_id, rows[i].line, place, sizeof place);
            diag_error("the labelled behaviour for dimension %s at %s has an empty text", dimension, place);
            goto out;
        }
    if (n && trow_sort(pool.buf, rows, n, threads_default(), &sorted) < 0) {
        diag_error("out of memory");
        goto out;
    }
    if (n)
        rows = NULL;                        /* freed by trow_sort */
    /* the pointer array and the texts, in sorted order, as one block (free(out->texts)) */
    if (!(texts = malloc(n * sizeof *texts + pool.len + 1)) || !(labels = malloc((n ? n : 1) * sizeof *labels))) {
        diag_error("out of memory");
        goto out;
    }
    char *dst = (char *)(texts + n);
    for (size_t i = 0; i < n; i++) {
        const struct trow *r = &sorted[i];
        const char *text = pool.buf + r->off;
        size_t bad;
        if (blank(text, r->len) || !utf8_valid(text, r->len, &bad)) {
            char place[512];
            row_place(db, r->source_id, r->line, place, sizeof place);
            diag_error("the labelled behaviour for dimension %s at %s %s", dimension, place,
                       blank(text, r->len) ? "has an empty text" : "is not valid UTF-8");
            goto out;
        }
        memcpy(dst, text, r->len + 1);
        texts[i] = dst;
        dst += r->len + 1;
        labels[i] = r->label;
        n_pos += r->label;
        char head[2] = { r->label ? '1' : '0', '\t' };
        hasher_update(&h, head, 2);
        hasher_update(&h, text, r->len + 1);      /* with its NUL, which no text contains */
    }
    out->texts = texts;
    texts = NULL;
    out->n = n;
    out->n_pos = n_pos;
    out->labels = labels;
    labels = NULL;
    hasher_hex(&h, out->hash);
    ret = 0;
out:
    sqlite3_finalize(st);
    strbuf_free(&pool);
    free(rows);
    free(sorted);
    free(texts);
    hasher_free(&h);
    free(labels);
    return ret;
}

/* The behaviours of one dimension, in id order, held in memory so that the UPDATEs never run
 * under a live SELECT of the same table. */
struct behaviours {
    size_t n;
    sqlite3_int64 *id, *source_id, *line;
    char **texts;
};

static void behaviours_free(struct behaviours *b)
{
    free(b->id);
    free(b->source_id);
    free(b->line);
    free(b->texts);
    memset(b, 0, sizeof *b);
}

static int behaviours_load(sqlite3 *db, const char *dimension, struct behaviours *b)
{
    struct textpool tp = {0};
    sqlite3_stmt *st = store_prepare(db, "SELECT id, text, source_id, line FROM behavior WHERE dimension = ?1 ORDER BY id");
    size_t cap = 0;
    int ret = -1, rc;
    memset(b, 0, sizeof *b);
    if (!st)
        return -1;
    if (store_bind_text(st, 1, dimension) < 0)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *text = store_col_text(st, 1);
        size_t len = text ? (size_t)sqlite3_column_bytes(st, 1) : 0;
        if (tp.n == cap) {
            size_t ncap = cap ? 2 * cap : 1024;
            sqlite3_int64 *p;
            if (!(p = realloc(b->id, ncap * sizeof *p)))
                goto oom;
            b->id = p;
            if (!(p = realloc(b->source_id, ncap * sizeof *p)))
                goto oom;
            b->source_id = p;
            if (!(p = realloc(b->line, ncap * sizeof *p)))
                goto oom;
            b->line = p;
            cap = ncap;
        }
        b->id[tp.n] = sqlite3_column_int64(st, 0);
        b->source_id[tp.n] = sqlite3_column_int64(st, 2);
        b->line[tp.n] = sqlite3_column_int64(st, 3);
        if (classify_textpool_add(&tp, text ? text : "", len) < 0)
            goto oom;
    }
    if (rc != SQLITE_DONE) {
        diag_error("store: cannot read the behaviours of %s: %s", dimension, sqlite3_errmsg(db));
        goto out;
    }
    if (classify_textpool_finish(&tp, &b->texts) < 0)
        goto oom;
    b->n = tp.n;
    ret = 0;
    goto out;
oom:
    diag_error("out of memory");
out:
    sqlite3_finalize(st);
    classify_textpool_free(&tp);
    if (ret < 0)
        behaviours_free(b);
    return ret;
}

static long count_rows(sqlite3 *db, const char *sql, const char *dimension)
{
    sqlite3_stmt *st = store_prepare(db, sql);
    long n = -1;
    if (!st)
        return -1;
    if (store_bind_text(st, 1, dimension) == 0) {     /* else printed, and n stays -1 */
        if (sqlite3_step(st) == SQLITE_ROW)
            n = (long)sqlite3_column_int64(st, 0);
        else
            diag_error("store: %s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    return n;
}

/* Labels the behaviours of one dimension with m (inside the caller's transaction). */
static int label_dimension(sqlite3 *db, const char *dimension, const struct classify_model *m,
                           long *count, long *yes)
{
    struct behaviours b;
    sqlite3_stmt *up = NULL;
    double *probs = NULL;
    int ret = -1;
    if (behaviours_load(db, dimension, &b) < 0)
        return -1;
    if (!(up = store_prepare(db, "UPDATE behavior SET probability = ?2, label = ?3 WHERE id = ?1")))
        goto out;
    *count = *yes = 0;
    /* every text checked in order, then all labelled on the worker threads, then written in order */
    for (size_t i = 0; i < b.n; i++) {
        size_t len = strlen(b.texts[i]), bad;
        if (blank(b.texts[i], len) || !utf8_valid(b.texts[i], len, &bad)) {
            char place[512];
            row_place(db, b.source_id[i], b.line[i], place, sizeof place);
            diag_error("the behaviour for dimension %s at %s %s", dimension, place,
                       blank(b.texts[i], len) ? "has an empty text" : "is not valid UTF-8");
            goto out;
        }
    }
    size_t failed;
    if (!(probs = malloc((b.n ? b.n : 1) * sizeof *probs))) {
        diag_error("out of memory");
        goto out;
    }
    if (b.n && classify_predict_par(m, (const char *const *)b.texts, b.n, m->opt.threads, probs, &failed) < 0) {
        if (failed < b.n) {
            char place[512];
            row_place(db, b.source_id[failed], b.line[failed], place, sizeof place);
            diag_error("the behaviour for dimension %s at %s cannot be labelled", dimension, place);
        }
        goto out;
    }
    for (size_t i = 0; i < b.n; i++) {
        double p = probs[i];
        int label = p > 0.5;
        if (store_bind_int64(up, 1, b.id[i]) < 0 || store_bind_double(up, 2, p) < 0 ||
            store_bind_int64(up, 3, label) < 0)
            goto out;
        if (sqlite3_step(up) != SQLITE_DONE) {
            diag_error("store: cannot label the behaviours of %s: %s", dimension, sqlite3_errmsg(db));
            goto out;
        }
        sqlite3_reset(up);
        (*count)++;
        *yes += label;
    }
    ret = 0;
out:
    sqlite3_finalize(up);
    free(probs);
    behaviours_free(&b);
    return ret;
}

int classify_store_apply(sqlite3 *db, const int want[5], int replace_all, int method_prob, long counts[5],
                         long yes[5], long subjects[5])
{
    static const char crs_sql[] =
        "INSERT INTO crs(subject_id, dimension, method, value, n) "
        "SELECT subject_id, ?1, ?2, avg(v), count(*) FROM "
        "  (SELECT subject_id, occasion, avg(CASE WHEN ?2 = 'prob' THEN probability ELSE label END) AS v "
        "   FROM behavior WHERE dimension = ?1 GROUP BY subject_id, occasion) "
        "GROUP BY subject_id ORDER BY subject_id";
    struct classify_model *m = NULL;
    struct classify_info info;
    sqlite3_stmt *crs = NULL, *del = NULL;
    int all = replace_all, ret = -1;

    for (int d = 0; d < 5; d++)
        counts[d] = yes[d] = subjects[d] = 0;
    if (sqlite3_get_autocommit(db) && store_begin(db) < 0)
        return -1;
    /* Every classifier must be there before anything is labelled. */
    for (int d = 0; d < 5; d++) {
        int rc;
        if (!want[d])
            continue;
        if ((rc = classify_read_info(db, classify_dimensions[d], &info, 0)) < 0)
            goto out;
        if (rc == 1) {
            long n = count_rows(db, "SELECT count(*) FROM behavior WHERE dimension = ?1", classify_dimensions[d]);
            diag_error("no trained classifier for dimension %s (%ld behaviour%s to label); run 'psyfaith "
                       "classify train --dimension %s' first", classify_dimensions[d], n, n == 1 ? "" : "s",
                       classify_dimensions[d]);
            goto out;
        }
    }
    if (!(del = store_prepare(db, all ? "DELETE FROM crs" : "DELETE FROM crs WHERE dimension = ?1")) ||
        !(crs = store_prepare(db, crs_sql)))
        goto out;
    if (all && sqlite3_step(del) != SQLITE_DONE)
        goto fail;
    for (int d = 0; d < 5; d++) {
        const char *dim = classify_dimensions[d];
        if (!want[d])
            continue;
        if (classify_store_load(db, dim, &info, &m) != 0 ||
            label_dimension(db, dim, m, &counts[d], &yes[d]) < 0)
            goto out;
        classify_model_free(m);
        m = NULL;
        if (!all) {
            sqlite3_reset(del);
            if (store_bind_text(del, 1, dim) < 0)
                goto out;
            if (sqlite3_step(del) != SQLITE_DONE)
                goto fail;
        }
        sqlite3_reset(crs);
        if (store_bind_text(crs, 1, dim) < 0 || store_bind_text(crs, 2, method_prob ? "prob" : "label") < 0)
            goto out;
        if (sqlite3_step(crs) != SQLITE_DONE)
            goto fail;
        subjects[d] = sqlite3_changes(db);
    }
    ret = store_commit(db);
    goto out;
fail:
    diag_error("store: cannot write the criterion scores: %s", sqlite3_errmsg(db));
out:
    classify_model_free(m);
    sqlite3_finalize(crs);
    sqlite3_finalize(del);
    if (ret < 0)
        store_rollback(db);
    return ret;
}
