/* classify/tfidf.c -- the training matrix of sklearn's TfidfVectorizer(ngram_range=(1, 2),
 * sublinear_tf=True, min_df=M): counts, document frequencies, pruning, sorted vocabulary,
 * idf = ln((1 + n) / (1 + df)) + 1, values (1 + ln tf) * idf, rows scaled to unit L2 norm. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/classify_int.h"
#include "diag.h"
#include "util.h"

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

/* Step 1 on one part of the rows, [r0, r1): each text's terms counted in first-occurrence order (the
 * order prediction uses), in the part's own provisional vocabulary.  rowptr[r] is row r's start in
 * the part's own arrays.  Each part has its own tokeniser, vocabulary and arrays, so two parts can
 * run on two threads. */
struct part {
    struct tok *t;
    const char *const *texts;
    const size_t *rows;
    size_t r0, r1, *rowptr;
    struct vocab v;
    struct counters c;
    uint32_t *tid, *cnt;        /* the terms' provisional ids and counts, row after row */
    size_t nnz, nnz_cap;
    /* step 3: tid[k] -> merged id through map (NULL: the same), where the part's values go */
    const uint32_t *map;
    size_t out0;                /* its first entry's place in the matrix */
    uint64_t *th;               /* the hashes of the current text's terms */
    size_t th_cap;
    char *msg;                  /* a worker's captured message (diag_capture) */
    size_t msg_len;
    int failed;
};

static int count_part(struct part *p)
{
    char what[48];
    for (size_t r = p->r0; r < p->r1; r++) {
        size_t idx = p->rows ? p->rows[r] : r;
        snprintf(what, sizeof what, "text %zu", idx + 1);
        if (classify_tok_run(p->t, p->texts[idx], what) < 0)
            return -1;
        p->rowptr[r] = p->nnz;
        size_t nt = classify_tok_n_terms(p->t);
        if (nt > p->th_cap) {
            free(p->th);
            p->th_cap = 2 * nt;
            if (!(p->th = malloc(p->th_cap * sizeof *p->th)))
                return diag_error("out of memory");
        }
        prefetch_terms(p->t, &p->v, &p->c, p->th);
        for (size_t i = 0; i < nt; i++) {
            uint32_t len, id;
            int added;
            const char *s = classify_tok_term(p->t, i, &len);
            if (classify_vocab_intern(&p->v, s, len, classify_tok_hash(p->t, i), &id, &added) < 0 ||
                counters_grow(&p->c, p->v.n) < 0)
                return diag_error("out of memory (%zu terms)", p->v.n);
            struct counter *k = &p->c.c[id];
            if (added) {
                k->df = 0;
                k->last = UINT32_MAX;
            }
            if (k->last == (uint32_t)r) {
                p->cnt[p->rowptr[r] + k->slot]++;
                continue;
            }
            if (p->nnz == p->nnz_cap) {
                size_t cap = p->nnz_cap ? 2 * p->nnz_cap : 65536;
                uint32_t *q = realloc(p->tid, cap * sizeof *q);
                if (!q)
                    return diag_error("out of memory");
                p->tid = q;
                if (!(q = realloc(p->cnt, cap * sizeof *q)))
                    return diag_error("out of memory");
                p->cnt = q;
                p->nnz_cap = cap;
            }
            k->last = (uint32_t)r;
            k->slot = (uint32_t)(p->nnz - p->rowptr[r]);
            k->df++;
            p->tid[p->nnz] = id;
            p->cnt[p->nnz++] = 1;
        }
    }
    return 0;
}

/* par_for's body: part 0 on the calling thread prints as usual; part 1's message, if any, is
 * captured, and printed only when part 0 (the earlier rows) had none -- as one thread would. */
static int count_part_fn(size_t i, size_t worker, void *ctx)
{
    struct part *p = (struct part *)ctx + i;
    FILE *cap = NULL;
    (void)worker;
    if (i > 0 && (cap = open_memstream(&p->msg, &p->msg_len)))
        diag_capture(cap);
    p->failed = count_part(p) < 0;
    if (cap) {
        diag_capture(NULL);
        fclose(cap);
    }
    return 0;       /* both parts run to their end or first failure */
}

static void part_free(struct part *p)
{
    classify_vocab_free(&p->v);
    free(p->c.c);
    free(p->tid);
    free(p->cnt);
    free(p->th);
    free(p->msg);
    memset(p, 0, sizeof *p);
}

/* Step 3 on one part: its rows' columns and values, (1 + ln tf) * idf scaled to unit L2 norm,
 * the pruned terms left out.  The part's entries become the matrix's from entry p->out0: the
 * values are written to val from there, the columns over the part's own tid (in place: it never
 * writes ahead of what it reads), and rowptr[r] becomes the row's start.  A part reads and writes
 * only its own rowptr entries (its last row ends at p->nnz), so that two parts can run at once.
 * Returns the end of its entries in the matrix. */
struct values_job {
    struct part *part;
    const uint32_t *newid;
    const double *idf;
    double *val;
};

static size_t values_part(const struct values_job *j, struct part *p)
{
    size_t w = p->out0, *rowptr = p->rowptr;
    for (size_t r = p->r0; r < p->r1; r++) {
        size_t a = rowptr[r], b = r + 1 < p->r1 ? rowptr[r + 1] : p->nnz, first = w;
        double ss = 0.0;
        rowptr[r] = w;
        for (size_t k = a; k < b; k++) {
            uint32_t col = j->newid[p->map ? p->map[p->tid[k]] : p->tid[k]];
            if (col == UINT32_MAX)
                continue;
            double x = p->cnt[k] == 1 ? j->idf[col] : (1.0 + log((double)p->cnt[k])) * j->idf[col];
            ss += x * x;
            p->tid[w - p->out0] = col;
            j->val[w++] = x;
        }
        double norm = sqrt(ss);
        if (norm > 0.0)
            for (size_t k = first; k < w; k++)
                j->val[k] = j->val[k] / norm;
    }
    return w;
}

static int values_part_fn(size_t i, size_t worker, void *ctx)
{
    const struct values_job *j = ctx;
    (void)worker;
    values_part(j, &j->part[i]);
    return 0;
}

/* Below this many texts one thread counts them all: a second tokeniser and the merge cost more.
 * Test hook: PSYFAITH_TEST_TFIDF_PARALLEL_ROWS=N lowers it (tests/cli/classify_bytes.sh). */
#define TFIDF_PARALLEL_ROWS 20000

static size_t parallel_rows(void)
{
    const char *e = getenv("PSYFAITH_TEST_TFIDF_PARALLEL_ROWS");
    return e && *e ? (size_t)strtoull(e, NULL, 10) : TFIDF_PARALLEL_ROWS;
}

int classify_tfidf_fit(struct tok *t, const char *const *texts, const size_t *rows, size_t n_rows,
              long min_df, size_t threads, struct tfidf *out)
{
    struct part part[2];
    struct tok t1;
    int have_t1 = 0;
    struct vocab v = {0};
    struct counters c = {0};
    uint32_t *newid = NULL, *map1 = NULL;
    struct sorted_term *st = NULL;
    size_t nnz = 0, kept = 0, n_parts = threads >= 2 && n_rows >= 2 && n_rows >= parallel_rows() ? 2 : 1;
    int ret = -1;

    memset(out, 0, sizeof *out);
    memset(part, 0, sizeof part);
    if (n_rows >= UINT32_MAX)
        return diag_error("too many texts (%zu)", n_rows);
    if (!(out->rowptr = malloc((n_rows + 1) * sizeof *out->rowptr)))
        return diag_error("out of memory");
    out->n_rows = n_rows;

    /* 1. Counts per text, in first-occurrence order (the same order prediction uses): the rows in
     * n_parts parts, counted on as many threads; then part 1's terms are merged into part 0's
     * vocabulary (its ids unchanged), map1 taking part 1's ids to the merged ones.  The ids are
     * provisional (step 2 numbers the columns by sorted term), so the result does not depend on
     * the parts: the same bytes at any thread count. */
    for (size_t i = 0; i < n_parts; i++) {
        part[i].t = i ? &t1 : t;
        part[i].texts = texts;
        part[i].rows = rows;
        part[i].rowptr = out->rowptr;
        part[i].r0 = n_rows * i / n_parts;
        part[i].r1 = n_rows * (i + 1) / n_parts;
    }
    if (n_parts == 2) {
        if (classify_tok_init(&t1) < 0)
            goto out;
        have_t1 = 1;
        if (par_for(2, 2, count_part_fn, part) < 0) {
            diag_error("cannot start a worker thread for the TF-IDF counts");
            goto out;
        }
        if (part[0].failed)
            goto out;                   /* it said why; part 1's message, if any, is dropped */
        if (part[1].failed) {
            diag_replay(part[1].msg);
            goto out;
        }
    } else if (count_part(&part[0]) < 0) {
        goto out;
    }
    v = part[0].v;
    c = part[0].c;
    nnz = part[0].nnz;
    memset(&part[0].v, 0, sizeof part[0].v);
    part[0].c.c = NULL;
    if (n_parts == 2) {
        struct part *q = &part[1];
        if (q->v.n && !(map1 = malloc(q->v.n * sizeof *map1))) {
            diag_error("out of memory");
            goto out;
        }
        for (size_t id1 = 0; id1 < q->v.n; id1++) {
            uint32_t id, len = q->v.len[id1];
            int added;
            const char *s1 = q->v.pool + q->v.off[id1];
            if (classify_vocab_intern(&v, s1, len, classify_term_hash(s1, len), &id, &added) < 0 ||
                counters_grow(&c, v.n) < 0) {
                diag_error("out of memory (%zu terms)", v.n);
                goto out;
            }
            if (added)
                c.c[id].df = 0;
            c.c[id].df += q->c.c[id1].df;
            map1[id1] = id;
        }
        q->map = map1;
        nnz += q->nnz;
        classify_vocab_free(&q->v);     /* its ids and counts stay, for step 3 */
        free(q->c.c);
        q->c.c = NULL;
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

    /* 3. The values, and the columns over the parts' ids.  Each row's values depend on that row
     * alone, so the parts may run at once, which they do when nothing is pruned (min_df <= 1, the
     * default): part 1's place is then known before part 0 has run.  The values are new memory
     * (8 bytes an entry), whose page faults the two threads then share. */
    if (!(out->val = malloc((nnz ? nnz : 1) * sizeof *out->val))) {
        diag_error("out of memory");
        goto out;
    }
    struct values_job job = { part, newid, out->idf, out->val };
    size_t w;
    part[0].out0 = 0;
    if (n_parts == 2 && min_df <= 1) {
        part[1].out0 = part[0].nnz;
        if (par_for(threads, 2, values_part_fn, &job) < 0) {
            diag_error("cannot start a worker thread for the TF-IDF values");
            goto out;
        }
        w = nnz;
    } else {
        w = values_part(&job, &part[0]);
        if (n_parts == 2) {
            part[1].out0 = w;
            w = values_part(&job, &part[1]);
        }
    }
    out->rowptr[n_rows] = w;
    /* The columns in one array: part 1's after part 0's, and no longer than they are (the doubling
     * leaves a quarter over on average).  The counts are freed first: the peak is then what it was
     * when part 1's ids and counts were copied after part 0's before step 2. */
    for (size_t i = 0; i < n_parts; i++) {
        free(part[i].cnt);
        part[i].cnt = NULL;
    }
    uint32_t *col = realloc(part[0].tid, (w ? w : 1) * sizeof *col);
    if (!col) {
        diag_error("out of memory");
        goto out;
    }
    part[0].tid = NULL;
    out->col = col;
    if (n_parts == 2)
        memcpy(col + part[1].out0, part[1].tid, (w - part[1].out0) * sizeof *col);
    ret = 0;
out:
    for (size_t i = 0; i < 2; i++)
        part_free(&part[i]);
    if (have_t1)
        classify_tok_free(&t1);
    classify_vocab_free(&v);
    free(c.c);
    free(map1);
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
