/* reports/render_classify.c -- `psyfaith classify show` output: per stored classifier its cross-validated
 * metrics and the n-grams of largest positive and negative weight, as one tidy CSV table or aligned
 * tables */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "classify/classify.h"
#include "reports/out.h"
#include "reports/render.h"

static const char *num(char *buf, size_t size, double v, enum out_format fmt)
{
    if (fmt == OUT_TABLE && isfinite(v)) {
        snprintf(buf, size, "%.4f", v);
        return buf;
    }
    return out_num(buf, size, v);
}

static int show_csv(sqlite3 *db, const int want[5], const struct classify_info *info, size_t k_terms)
{
    static const char *const header[] = { "dimension", "section", "rank", "name", "value" };
    struct out o;
    int ret = -1;
    if (out_begin(&o, OUT_CSV, header, 5) < 0)
        return -1;
    for (int d = 0; d < 5; d++) {
        const struct classify_info *in = &info[d];
        const char *dim = classify_dimensions[d];
        char v[64];
        if (!want[d])
            continue;
        snprintf(v, sizeof v, "%ld", in->n_train);
        const char *r1[] = { dim, "model", NULL, "n_train", v };
        out_row(&o, r1);
        snprintf(v, sizeof v, "%ld", in->n_terms);
        const char *r2[] = { dim, "model", NULL, "terms", v };
        out_row(&o, r2);
        const char *r3[] = { dim, "model", NULL, "intercept", out_num(v, sizeof v, in->intercept) };
        out_row(&o, r3);
        const char *r4[] = { dim, "model", NULL, "options", in->options };
        out_row(&o, r4);
        const char *r5[] = { dim, "model", NULL, "train_sha256", in->train_hash };
        out_row(&o, r5);
        const char *r6[] = { dim, "model", NULL, "trained_at", in->trained_at };
        out_row(&o, r6);
        if (in->cv_folds) {
            const char *names[] = { "folds", "accuracy", "precision", "recall", "f1", "auc" };
            double vals[] = { in->cv_folds, in->cv.accuracy, in->cv.precision, in->cv.recall, in->cv.f1, in->cv.auc };
            for (int i = 0; i < 6; i++) {
                const char *r[] = { dim, "cv", NULL, names[i], out_num(v, sizeof v, vals[i]) };
                out_row(&o, r);
            }
        }
        for (int pos = 1; pos >= 0; pos--) {
            char **terms;
            double *w;
            size_t n;
            if (classify_store_top_terms(db, dim, pos, k_terms, &terms, &w, &n) < 0) {
                out_end(&o);
                return -1;
            }
            for (size_t i = 0; i < n; i++) {
                char rank[24];
                snprintf(rank, sizeof rank, "%zu", i + 1);
                const char *r[] = { dim, pos ? "positive" : "negative", rank, terms[i], out_num(v, sizeof v, w[i]) };
                out_row(&o, r);
            }
            free(terms);
            free(w);
        }
    }
    ret = out_end(&o);
    return ret;
}

static int show_table(sqlite3 *db, const int want[5], const struct classify_info *info, size_t k_terms)
{
    static const char *const header[] = { "dimension", "n_train", "terms", "folds", "accuracy", "precision",
                                          "recall", "f1", "auc", "trained_at", "options" };
    static const char *const theader[] = { "rank", "positive", "weight", "negative", "weight" };
    struct out o;
    if (out_begin(&o, OUT_TABLE, header, 11) < 0)
        return -1;
    for (int d = 0; d < 5; d++) {
        const struct classify_info *in = &info[d];
        char n[24], t[24], f[16], a[32], p[32], r[32], f1[32], auc[32];
        int cv = in->cv_folds > 0;
        if (!want[d])
            continue;
        snprintf(n, sizeof n, "%ld", in->n_train);
        snprintf(t, sizeof t, "%ld", in->n_terms);
        snprintf(f, sizeof f, "%d", in->cv_folds);
        const char *row[] = { classify_dimensions[d], n, t, cv ? f : NULL,
                              num(a, sizeof a, cv ? in->cv.accuracy : NAN, OUT_TABLE),
                              num(p, sizeof p, cv ? in->cv.precision : NAN, OUT_TABLE),
                              num(r, sizeof r, cv ? in->cv.recall : NAN, OUT_TABLE),
                              num(f1, sizeof f1, cv ? in->cv.f1 : NAN, OUT_TABLE),
                              num(auc, sizeof auc, cv ? in->cv.auc : NAN, OUT_TABLE), in->trained_at, in->options };
        out_row(&o, row);
    }
    if (out_end(&o) < 0)
        return -1;
    for (int d = 0; d < 5; d++) {
        const char *dim = classify_dimensions[d];
        char **terms[2] = { NULL, NULL };
        double *w[2] = { NULL, NULL };
        size_t n[2] = { 0, 0 };
        int ret = -1;
        if (!want[d])
            continue;
        if (classify_store_top_terms(db, dim, 1, k_terms, &terms[0], &w[0], &n[0]) < 0 ||
            classify_store_top_terms(db, dim, 0, k_terms, &terms[1], &w[1], &n[1]) < 0)
            goto next;
        printf("\n%s: the %zu most positive (yes) and negative (no) n-grams\n", dim, k_terms);
        if (out_begin(&o, OUT_TABLE, theader, 5) < 0)
            goto next;
        for (size_t i = 0; i < n[0] || i < n[1]; i++) {
            char rank[24], w0[32], w1[32];
            snprintf(rank, sizeof rank, "%zu", i + 1);
            const char *row[] = { rank, i < n[0] ? terms[0][i] : NULL, i < n[0] ? num(w0, sizeof w0, w[0][i], OUT_TABLE) : NULL,
                                  i < n[1] ? terms[1][i] : NULL, i < n[1] ? num(w1, sizeof w1, w[1][i], OUT_TABLE) : NULL };
            out_row(&o, row);
        }
        ret = out_end(&o);
next:
        for (int s = 0; s < 2; s++) {
            free(terms[s]);
            free(w[s]);
        }
        if (ret < 0)
            return -1;
    }
    return 0;
}

int render_classify_show(sqlite3 *db, const int want[5], const struct classify_info *info, size_t k_terms,
                         enum out_format fmt)
{
    return (fmt == OUT_CSV ? show_csv : show_table)(db, want, info, k_terms);
}
