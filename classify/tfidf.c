/* classify/tfidf.c -- the training matrix of sklearn's TfidfVectorizer(ngram_range=(1, 2),
 * sublinear_tf=True, min_df=M): counts, document frequencies, pruning, sorted vocabulary,
 * idf = ln((1 + n) / (1 + df)) + 1, values (1 + ln tf) * idf, rows scaled to unit L2 norm. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/classify_int.h"
#include "diag.h"

struct sorted_term {
    const char *s;
    uint32_t len, id;
};

/* Byte order, a prefix first: for UTF-8 this is code-point order, Python's sorted(str). */
static int term_cmp(const void *a, const void *b)
{
    const struct sorted_term *x = a, *y = b;
    int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);
    if (c)
        return c;
    return (x->len > y->len) - (x->len < y->len);
}

/* Per-term counters of the provisional vocabulary, grown alongside it; the three of a term
 * together, so that a term costs one cache miss here, not three. */
struct counter {
    uint32_t df, last, slot;
};
struct counters {
    struct counter *c;
    size_t cap;
};

static int counters_grow(struct counters *c, size_t need)
{
    if (need <= c->cap)
        return 0;
    size_t cap = c->cap ? 2 * c->cap : 1024;
    while (cap < need)
        cap *= 2;
    struct counter *p = realloc(c->c, cap * sizeof *p);
    if (!p)
        return -1;
    c->c = p;
    c->cap = cap;
    return 0;
}

/* Fetches ahead what interning the terms of t will touch: the vocabulary's slots first, then,
 * for terms already there, their pool strings and counters -- so that the cache misses of one
 * text overlap (the interning itself then finds the lines in cache).  Only prefetches: nothing
 * depends on it but the speed. */
static void prefetch_terms(const struct tok *t, const struct vocab *v, const struct counters *c, uint64_t *th)
{
    size_t nt = classify_tok_n_terms(t);
    if (!v->mask)
        return;
    for (size_t i = 0; i < nt; i++) {
        th[i] = classify_tok_hash(t, i);
        __builtin_prefetch(&v->slot[th[i] & v->mask]);
    }
    for (size_t i = 0; i < nt; i++) {
        for (size_t j = th[i] & v->mask; v->slot[j].id; j = (j + 1) & v->mask)
            if (v->slot[j].hash == th[i]) {
                uint32_t id = v->slot[j].id - 1;
                __builtin_prefetch(&v->off[id]);
                if (id < c->cap)
                    __builtin_prefetch(&c->c[id]);
                break;
            }
    }
    for (size_t i = 0; i < nt; i++) {
        for (size_t j = th[i] & v->mask; v->slot[j].id; j = (j + 1) & v->mask)
            if (v->slot[j].hash == th[i]) {
                __builtin_prefetch(v->pool + v->off[v->slot[j].id - 1]);
                break;
            }
    }
}

int classify_tfidf_fit(struct tok *t, const char *const *texts, const size_t *rows, size_t n_rows,
              long min_df, struct tfidf *out)
{
    struct vocab v = {0};
    struct counters c = {0};
    uint32_t *tid = NULL, *cnt = NULL, *newid = NULL;
    uint64_t *th = NULL;        /* the hashes of the current text's terms */
    size_t th_cap = 0;
    struct sorted_term *st = NULL;
    size_t nnz = 0, nnz_cap = 0, kept = 0;
    char what[48];
    int ret = -1;

    memset(out, 0, sizeof *out);
    if (n_rows >= UINT32_MAX)
        return diag_error("too many texts (%zu)", n_rows);
    if (!(out->rowptr = malloc((n_rows + 1) * sizeof *out->rowptr)))
        return diag_error("out of memory");
    out->n_rows = n_rows;

    /* 1. Counts per text, in first-occurrence order (the same order prediction uses). */
    for (size_t r = 0; r < n_rows; r++) {
        size_t idx = rows ? rows[r] : r;
        snprintf(what, sizeof what, "text %zu", idx + 1);
        if (classify_tok_run(t, texts[idx], what) < 0)
            goto out;
        out->rowptr[r] = nnz;
        size_t nt = classify_tok_n_terms(t);
        if (nt > th_cap) {
            free(th);
            th_cap = 2 * nt;
            if (!(th = malloc(th_cap * sizeof *th))) {
                diag_error("out of memory");
                goto out;
            }
        }
        prefetch_terms(t, &v, &c, th);
        for (size_t i = 0; i < nt; i++) {
            uint32_t len, id;
            int added;
            const char *s = classify_tok_term(t, i, &len);
            if (classify_vocab_intern(&v, s, len, classify_tok_hash(t, i), &id, &added) < 0 ||
                counters_grow(&c, v.n) < 0) {
                diag_error("out of memory (%zu terms)", v.n);
                goto out;
            }
            if (added) {
                c.c[id].df = 0;
                c.c[id].last = UINT32_MAX;
            }
            if (c.c[id].last == (uint32_t)r) {
                cnt[out->rowptr[r] + c.c[id].slot]++;
                continue;
            }
            if (nnz == nnz_cap) {
                size_t cap = nnz_cap ? 2 * nnz_cap : 65536;
                uint32_t *p = realloc(tid, cap * sizeof *p);
                if (!p) {
                    diag_error("out of memory");
                    goto out;
                }
                tid = p;
                if (!(p = realloc(cnt, cap * sizeof *p))) {
                    diag_error("out of memory");
                    goto out;
                }
                cnt = p;
                nnz_cap = cap;
            }
            c.c[id].last = (uint32_t)r;
            c.c[id].slot = (uint32_t)(nnz - out->rowptr[r]);
            c.c[id].df++;
            tid[nnz] = id;
            cnt[nnz++] = 1;
        }
    }
    out->rowptr[n_rows] = nnz;
    /* Give back what the doubling left over (a quarter of the matrix's memory on average). */
    if (nnz && nnz < nnz_cap) {
        uint32_t *p = realloc(tid, nnz * sizeof *p);
        if (p)
            tid = p;
        if ((p = realloc(cnt, nnz * sizeof *p)))
            cnt = p;
    }

    /* 2. Pruning by min_df and the sorted vocabulary. */
    if (!(st = malloc((v.n ? v.n : 1) * sizeof *st)) ||
        !(newid = malloc((v.n ? v.n : 1) * sizeof *newid))) {
        diag_error("out of memory");
        goto out;
    }
    for (size_t id = 0; id < v.n; id++) {
        newid[id] = UINT32_MAX;
        if (c.c[id].df >= (uint64_t)min_df)
            st[kept++] = (struct sorted_term){ v.pool + v.off[id], v.len[id], (uint32_t)id };
    }
    if (v.n == 0) {
        diag_error("no terms: no text has a word of two or more letters or digits");
        goto out;
    }
    if (kept == 0) {
        diag_error("no terms left: all %zu terms occur in fewer than min_df=%ld texts", v.n,
                   min_df);
        goto out;
    }
    qsort(st, kept, sizeof *st, term_cmp);
    if (!(out->idf = malloc(kept * sizeof *out->idf))) {
        diag_error("out of memory");
        goto out;
    }
    for (size_t k = 0; k < kept; k++) {
        uint32_t id, id0 = st[k].id;
        int added;
        if (classify_vocab_intern(&out->vocab, st[k].s, st[k].len,
                                  classify_term_hash(st[k].s, st[k].len), &id, &added) < 0) {
            diag_error("out of memory");
            goto out;
        }
        newid[id0] = id;   /* == k */
        out->idf[k] = log((double)(n_rows + 1) / (double)(c.c[id0].df + 1)) + 1.0;
    }
    out->n_cols = kept;

    /* 3. The values, compacting the column array in place. */
    if (!(out->val = malloc((nnz ? nnz : 1) * sizeof *out->val))) {
        diag_error("out of memory");
        goto out;
    }
    size_t w = 0;
    for (size_t r = 0; r < n_rows; r++) {
        size_t a = out->rowptr[r], b = out->rowptr[r + 1], first = w;
        double ss = 0.0;
        out->rowptr[r] = w;
        for (size_t k = a; k < b; k++) {
            uint32_t col = newid[tid[k]];
            if (col == UINT32_MAX)
                continue;
            double x = cnt[k] == 1 ? out->idf[col] : (1.0 + log((double)cnt[k])) * out->idf[col];
            ss += x * x;
            tid[w] = col;
            out->val[w++] = x;
        }
        double norm = sqrt(ss);
        if (norm > 0.0)
            for (size_t k = first; k < w; k++)
                out->val[k] = out->val[k] / norm;
    }
    out->rowptr[n_rows] = w;
    out->col = tid;
    tid = NULL;
    ret = 0;
out:
    classify_vocab_free(&v);
    free(c.c);
    free(th);
    free(tid);
    free(cnt);
    free(newid);
    free(st);
    if (ret < 0)
        classify_tfidf_free(out);
    return ret;
}

void classify_tfidf_free(struct tfidf *x)
{
    free(x->rowptr);
    free(x->col);
    free(x->val);
    free(x->idf);
    classify_vocab_free(&x->vocab);
    memset(x, 0, sizeof *x);
}
