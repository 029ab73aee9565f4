/* classify/predict.c -- prediction: the model's lookup table (term -> idf, weight) and the tf-idf
 * dot product of one text, on one thread or on workers.
 *
 * Speed (issue 16): a text of ~60 words has ~120 terms, each looked up in a table of ~10^5 terms
 * that does not fit in the L2 cache, so the lookups are memory latency, not arithmetic.  The table
 * is one array of 32-byte slots that hold everything a hit needs (a tag of the hash, the term's
 * length and place in the pool, its idf and weight), and a text's terms are looked up in passes:
 * first every slot is prefetched, then each slot is probed by tag and its string prefetched, then
 * the strings are compared -- so the misses of a text overlap instead of following one another.
 * Duplicates within the text are counted in a small per-text table keyed by slot.  The arithmetic
 * is that of before (first-occurrence order; classify_tfidf_fit() and logreg.c's fun()), so the
 * probabilities are bit-identical. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/classify.h"
#include "classify/classify_int.h"
#include "diag.h"
#include "util.h"

/* memcmp(a, b, n) == 0 for short strings, without a library call. */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
    uint64_t x, y;
    while (n >= 8) {
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y)
            return 0;
        a += 8;
        b += 8;
        n -= 8;
    }
    while (n--)
        if (*a++ != *b++)
            return 0;
    return 1;
}

static inline uint32_t slot_tag(uint64_t h)
{
    return (uint32_t)(h >> 32);
}

int classify_ptab_build(struct ptab *t, const struct vocab *v, const uint64_t *hash, const double *idf,
                        const double *weight)
{
    size_t slots = 1024;
    memset(t, 0, sizeof *t);
    while (slots < 2 * v->n)      /* load at most 1/2: short probes, also for absent terms */
        slots *= 2;
    /* Probes land anywhere in the table: on 2 MiB pages (where the kernel has them) they miss
     * the TLB far less often than on 4 KiB pages. */
    if (!(t->slot = calloc_huge(slots, sizeof *t->slot)))
        return diag_error("out of memory (a table of %zu terms)", v->n);
    t->mask = slots - 1;
    t->pool = v->pool;
    for (size_t id = 0; id < v->n; id++) {
        size_t i = hash[id] & t->mask;
        while (t->slot[i].len)
            i = (i + 1) & t->mask;
        t->slot[i] = (struct ptab_slot){ slot_tag(hash[id]), v->len[id], v->off[id], idf[id], weight[id] };
    }
    return 0;
}

void classify_ptab_free(struct ptab *t)
{
    free(t->slot);
    memset(t, 0, sizeof *t);
}

void classify_pbuf_free(struct pbuf *b)
{
    classify_tok_free(&b->tok);
    free(b->th);
    free(b->at);
    free(b->cnt);
    free(b->fx);
    free(b->seen);
    memset(b, 0, sizeof *b);
}

/* Room for nt terms: 0, or -1 out of memory. */
static int pbuf_reserve(struct pbuf *b, size_t nt)
{
    if (nt > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < nt)
            cap *= 2;
        uint64_t *th = realloc(b->th, cap * sizeof *th);
        if (!th)
            return -1;
        b->th = th;
        size_t *at = realloc(b->at, cap * sizeof *at);
        if (!at)
            return -1;
        b->at = at;
        uint32_t *cnt = realloc(b->cnt, cap * sizeof *cnt);
        if (!cnt)
            return -1;
        b->cnt = cnt;
        double *fx = realloc(b->fx, cap * sizeof *fx);
        if (!fx)
            return -1;
        b->fx = fx;
        b->cap = cap;
    }
    if (2 * nt > (b->seen ? b->seen_mask + 1 : 0)) {
        size_t slots = 512;
        while (slots < 2 * nt)
            slots *= 2;
        struct pseen *s = calloc(slots, sizeof *s);
        if (!s)
            return -1;
        free(b->seen);
        b->seen = s;
        b->seen_mask = slots - 1;
        b->gen = 0;
    }
    if (++b->gen == 0) {        /* the generations wrapped: forget them all */
        memset(b->seen, 0, (b->seen_mask + 1) * sizeof *b->seen);
        b->gen = 1;
    }
    return 0;
}

/* The slot of term s (hash h) from slot i on, or SIZE_MAX: the full probe. */
static size_t probe_from(const struct ptab *t, size_t i, const char *s, uint32_t len, uint64_t h)
{
    for (;; i = (i + 1) & t->mask) {
        const struct ptab_slot *sl = &t->slot[i];
        if (!sl->len)
            return SIZE_MAX;
        if (sl->tag == slot_tag(h) && sl->len == len && same_bytes(t->pool + sl->off, s, len))
            return i;
    }
}

int classify_predict_buf(const struct classify_model *m, struct pbuf *b, const char *text, const char *what,
                         double *prob)
{
    const struct ptab *t = &m->scratch->tab;
    if (classify_tok_run(&b->tok, text, what) < 0)
        return -1;
    size_t nt = classify_tok_n_terms(&b->tok), nf = 0;
    if (pbuf_reserve(b, nt) < 0)
        return diag_error("out of memory");
    /* 1. hashes, and the slot where each probe starts, fetched */
    for (size_t i = 0; i < nt; i++) {
        b->th[i] = classify_tok_hash(&b->tok, i);
        __builtin_prefetch(&t->slot[b->th[i] & t->mask]);
    }
    /* 2. the first slot with the term's tag and length (or the empty slot that ends the probe),
     *    and that term's string, fetched */
    for (size_t i = 0; i < nt; i++) {
        uint32_t len, tag = slot_tag(b->th[i]);
        classify_tok_term(&b->tok, i, &len);
        size_t j = b->th[i] & t->mask;
        while (t->slot[j].len && !(t->slot[j].tag == tag && t->slot[j].len == len))
            j = (j + 1) & t->mask;
        if (t->slot[j].len)
            __builtin_prefetch(t->pool + t->slot[j].off);
        b->at[i] = j;
    }
    /* 3. the strings compared (a tag that matched another term goes on probing); each term's
     *    count in first-occurrence order */
    for (size_t i = 0; i < nt; i++) {
        uint32_t len;
        const char *s = classify_tok_term(&b->tok, i, &len);
        size_t j = b->at[i];
        if (!t->slot[j].len)
            continue;
        if (!same_bytes(t->pool + t->slot[j].off, s, len) &&
            (j = probe_from(t, (j + 1) & t->mask, s, len, b->th[i])) == SIZE_MAX)
            continue;
        size_t k = j & b->seen_mask;
        while (b->seen[k].gen == b->gen && b->seen[k].slot != j)
            k = (k + 1) & b->seen_mask;
        if (b->seen[k].gen == b->gen) {
            b->cnt[b->seen[k].pos]++;
            continue;
        }
        b->seen[k] = (struct pseen){ j, b->gen, (uint32_t)nf };
        b->at[nf] = j;              /* nf <= i: at[i] is not needed again */
        b->cnt[nf++] = 1;
    }
    /* 4. The same operations, in the same order, as classify_tfidf_fit() and logreg.c's fun(). */
    double ss = 0.0, z = 0.0;
    for (size_t k = 0; k < nf; k++) {
        double idf = t->slot[b->at[k]].idf;
        double x = b->cnt[k] == 1 ? idf : (1.0 + log((double)b->cnt[k])) * idf;
        b->fx[k] = x;
        ss += x * x;
    }
    double norm = sqrt(ss);
    if (norm > 0.0)
        for (size_t k = 0; k < nf; k++)
            z += b->fx[k] / norm * t->slot[b->at[k]].weight;
    z += m->intercept;
    *prob = 1.0 / (1.0 + exp(-z));
    return 0;
}

int classify_predict_one(const struct classify_model *m, const char *text, const char *what,
                         double *prob)
{
    return classify_predict_buf(m, &m->scratch->buf, text, what, prob);
}

/* ---- prediction on worker threads ---- */

struct predict_job {
    const struct classify_model *m;
    struct pbuf *buf;                /* per worker; [0] is the model's own */
    const char *const *texts;
    double *prob;
};

static int predict_run(size_t i, size_t w, void *arg)
{
    const struct predict_job *j = arg;
    char what[48];
    snprintf(what, sizeof what, "text %zu", i + 1);
    if (classify_predict_buf(j->m, &j->buf[w], j->texts[i], what, &j->prob[i]) < 0)
        j->prob[i] = NAN;       /* said why; the caller finds the first NAN */
    return 0;
}

int classify_predict_par(const struct classify_model *m, const char *const *texts, size_t n, size_t threads,
                         double *prob, size_t *bad)
{
    struct pbuf buf[16];
    size_t nw = 1;
    int ret = -1;
    *bad = n;
    if (threads > 16)
        threads = 16;
    if (threads > n)
        threads = n ? n : 1;
    buf[0] = m->scratch->buf;     /* a copy: written back below so the model keeps its grown buffers */
    for (; nw < threads; nw++) {
        memset(&buf[nw], 0, sizeof buf[nw]);
        if (classify_tok_init(&buf[nw].tok) < 0)
            goto out;
    }
    struct predict_job job = { m, buf, texts, prob };
    if (par_for(threads, n, predict_run, &job) < 0) {
        diag_error("cannot start a worker thread for the predictions");
        goto out;
    }
    for (size_t i = 0; i < n && *bad == n; i++)
        if (isnan(prob[i]))
            *bad = i;
    ret = *bad == n ? 0 : -1;
out:
    m->scratch->buf = buf[0];
    for (size_t w = 1; w < nw; w++)
        classify_pbuf_free(&buf[w]);
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
