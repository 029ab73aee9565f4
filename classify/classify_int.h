/* classify/classify_int.h -- shared between the classify/ files only; not part of the API */
#ifndef PSYFAITH_CLASSIFY_INT_H
#define PSYFAITH_CLASSIFY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* unicase.c (generated): Python's simple lower-case mapping, and how a code point counts as
 * context for the Final_Sigma rule of U+03A3. */
enum { UNICASE_OTHER, UNICASE_CASED, UNICASE_IGNORABLE };
uint32_t classify_unicase_lower(uint32_t cp);
int classify_unicase_sigma_class(uint32_t cp);

/* lower.c: Python str.lower() of valid UTF-8 s[0..n) into *buf (grown with realloc; *len is set,
 * the result is not NUL-terminated).  0, or -1 out of memory (no message). */
int classify_lower_utf8(const char *s, size_t n, char **buf, size_t *len, size_t *cap);

/* vocab.c: the hash of a token; a term's hash (classify_term_hash) combines those of its words, so
 * a bigram's hash costs nothing once its tokens are hashed. */
uint64_t classify_vocab_hash(const char *s, size_t len);
uint64_t classify_term_hash(const char *s, size_t len);
static inline uint64_t classify_hash_pair(uint64_t a, uint64_t b)
{
    uint64_t h = (a ^ (b + 0x9E3779B97F4A7C15u + (a << 6) + (a >> 2))) * 0xBF58476D1CE4E5B9u;
    return h ^ (h >> 29);
}

/* tokens.c: the tokeniser.  One per model (compiled once, reused for every text). */
struct tok {
    pcre2_code *re;
    pcre2_match_data *md;
    pcre2_match_context *mctx;  /* NULL: PCRE2's limits (a test may lower them) */
    pcre2_code *re1;            /* one character of the class, anchored: classifies a code point */
    pcre2_match_data *md1;
    uint64_t *bmp_known;        /* code points below 0x10000 classified so far (bitmaps) */
    uint64_t *bmp_word;         /* ... and found in the class */
    char *low;                  /* the lower-cased text */
    size_t low_len, low_cap;
    char *buf;                  /* the tokens, joined by one space, so a bigram is a slice */
    size_t buf_len, buf_cap;
    uint32_t *start;            /* token i is buf[start[i] .. start[i] + len[i]) */
    uint32_t *len;
    uint64_t *hash;             /* classify_vocab_hash() of token i */
    size_t n, cap;
};
int classify_tok_init(struct tok *t);                       /* 0, or -1 with a message */
void classify_tok_free(struct tok *t);
/* Checks text (NULL, empty, blank, invalid UTF-8, longer than 4 GiB fail with a message that
 * starts with `what`, e.g. "text 3") and tokenises it into t. */
int classify_tok_run(struct tok *t, const char *text, const char *what);
static inline size_t classify_tok_n_terms(const struct tok *t)
{
    return t->n ? 2 * t->n - 1 : 0;
}
static inline uint64_t classify_tok_hash(const struct tok *t, size_t i)
{
    return i < t->n ? t->hash[i] : classify_hash_pair(t->hash[i - t->n], t->hash[i - t->n + 1]);
}
/* Term i: the unigrams first, then the bigrams (sklearn's analyser order). */
static inline const char *classify_tok_term(const struct tok *t, size_t i, uint32_t *len)
{
    if (i < t->n) {
        *len = t->len[i];
        return t->buf + t->start[i];
    }
    i -= t->n;
    *len = t->start[i + 1] + t->len[i + 1] - t->start[i];
    return t->buf + t->start[i];
}

/* vocab.c: interned strings -> dense ids 0..n-1 in insertion order (open addressing). */
struct vocab_slot {
    uint64_t hash;
    uint32_t id;                /* id + 1, 0 = empty */
    uint32_t len;
};
struct vocab {
    char *pool;                 /* every term, NUL-terminated, at pool + off[id] */
    size_t pool_len, pool_cap;
    size_t *off;
    uint32_t *len;
    size_t n, cap;
    struct vocab_slot *slot;    /* hash, id and length together: one cache line per probe */
    size_t mask;                /* slots - 1 (a power of two minus one), 0 before the first add */
};
/* The id of s, adding it when absent (*added = 1).  0, or -1 out of memory / too many terms. */
int classify_vocab_intern(struct vocab *v, const char *s, uint32_t len, uint64_t h, uint32_t *id,
                          int *added);
/* The id of s, or -1. */
long classify_vocab_find(const struct vocab *v, const char *s, uint32_t len, uint64_t h);
/* Appends s as the next id without the hash table (the caller knows the terms are distinct or
 * checks).  0, or -1 out of memory / too many terms. */
int classify_vocab_append(struct vocab *v, const char *s, uint32_t len);
void classify_vocab_free(struct vocab *v);

/* tfidf.c: the training matrix (CSR, rows unit length) and its vocabulary, sorted by bytes. */
struct tfidf {
    size_t n_rows, n_cols;
    size_t *rowptr;             /* n_rows + 1 */
    uint32_t *col;
    double *val;
    struct vocab vocab;         /* id = column */
    double *idf;                /* n_cols */
};
/* Vectorises texts[rows[0..n_rows)] (all n_rows texts when rows is NULL); messages name texts by
 * their index in `texts`.  0, or -1 with a message. */
int classify_tfidf_fit(struct tok *t, const char *const *texts, const size_t *rows, size_t n_rows,
              long min_df, size_t threads, struct tfidf *out);
void classify_tfidf_free(struct tfidf *x);

/* logreg.c: L2-regularised logistic regression by trust-region Newton. */
struct logreg_problem {
    size_t n, d;                /* rows, features; w has d + 1 entries, w[d] the intercept */
    const size_t *rowptr;
    uint32_t *col;              /* renumbered during the fit (see logreg.c), restored after */
    const double *val;
    const double *y;            /* +1 or -1 */
    const double *cw;           /* C times the sample weight, > 0 */
    size_t threads;             /* workers for the row blocks (the result does not depend on it) */
};
struct logreg_result {
    int iterations, converged;
    long cg_iterations;         /* Hessian-vector products, the bulk of the work */
    double grad_norm;           /* |grad| / |grad at the start| */
};
/* Minimises 0.5*|w[0..d)|^2 + sum_i cw_i * log(1 + exp(-y_i (x_i.w + w[d]))) from w (in: start,
 * out: solution).  0, or -1 out of memory or no thread (with a message). */
int classify_logreg_fit(const struct logreg_problem *p, double tol, int max_iter, double *w,
               struct logreg_result *res);

struct classify_model;

/* predict.c: the model's lookup table, term -> (idf, weight): open addressing, linear probing,
 * load at most 1/2, one 32-byte slot holding all a hit needs (see predict.c for why). */
struct ptab_slot {
    uint32_t tag;               /* the high 32 bits of the term's classify_term_hash() */
    uint32_t len;               /* the term's length in bytes; 0 = empty slot */
    size_t off;                 /* the term is pool + off */
    double idf, weight;
};
struct ptab {
    struct ptab_slot *slot;
    size_t mask;                /* slots - 1 */
    const char *pool;           /* borrowed: the model's vocab pool */
};
/* Builds t over the n terms of v (id = column), hash[id] = classify_term_hash() of term id.
 * 0, or -1 with a message. */
int classify_ptab_build(struct ptab *t, const struct vocab *v, const uint64_t *hash, const double *idf,
                        const double *weight);
void classify_ptab_free(struct ptab *t);
/* One thread's prediction buffers: the tokeniser and per-text arrays. */
struct pseen {
    size_t slot;
    uint32_t gen, pos;
};
struct pbuf {
    struct tok tok;
    uint64_t *th;               /* term hashes */
    size_t *at;                 /* term -> slot; then the distinct terms' slots, first-seen order */
    uint32_t *cnt;              /* their counts */
    double *fx;                 /* their tf-idf values */
    size_t cap;
    struct pseen *seen;         /* this text's distinct slots (entries of generation gen) */
    size_t seen_mask;
    uint32_t gen;
};
void classify_pbuf_free(struct pbuf *b);
/* The private part of a model: its terms (vocab owns the strings that terms[] point to), the
 * lookup table, and the buffers of classify_predict(). */
struct classify_scratch {
    struct vocab vocab;
    struct ptab tab;
    struct pbuf buf;
};
/* classify_predict_one with the buffers b (the model's own, or a worker's). */
int classify_predict_buf(const struct classify_model *m, struct pbuf *b, const char *text, const char *what,
                         double *prob);

/* model.c: trains on texts[rows[0..n_rows)] (all when rows is NULL); labels are indexed like
 * texts.  opt must have passed classify_options_check().  Used by classify_train() and
 * classify_cv(). */
struct classify_model;
struct classify_options;
int classify_options_check(const struct classify_options *opt);
int classify_train_rows(const char *const *texts, const int *labels, const size_t *rows,
                     size_t n_rows, const struct classify_options *opt,
                     struct classify_model **out);
/* classify_model_from_arrays() from a vocabulary v filled with classify_vocab_append() (terms in
 * row order) and idf[], weight[] in the same order (weight with room for n + 1 entries), all taken
 * over (freed, also on failure).
 * Terms already in byte order (as the store returns them) are used where they lie. */
int classify_model_from_vocab(struct vocab *v, double *idf, double *weight, double intercept,
                              const struct classify_options *opt, struct classify_model **out);
/* Predicts text; messages name it `what`. */
int classify_predict_one(const struct classify_model *m, const char *text, const char *what,
                         double *prob);

/* model_store.c: texts read from a statement: one growing pool, turned into pointers at the end
 * (the pool moves while it grows).  add and finish: 0, or -1 out of memory (no message). */
struct textpool {
    struct strbuf pool;
    size_t *off;
    size_t n, cap;
};
int classify_textpool_add(struct textpool *tp, const char *s, size_t len);
/* The pointer array and the pool as one block: free(*out) releases both. */
int classify_textpool_finish(struct textpool *tp, char ***out);
void classify_textpool_free(struct textpool *tp);
/* model_rows.c: the classifier row of `dimension` into *info: 0, 1 when there is none, -1 after
 * printing why.  info->n_terms is counted only when count_terms is set (it reads every term row);
 * else it is 0. */
struct sqlite3;
struct classify_info;
int classify_read_info(struct sqlite3 *db, const char *dimension, struct classify_info *info, int count_terms);

#endif
