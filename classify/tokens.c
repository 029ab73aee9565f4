/* classify/tokens.c -- sklearn's default analyser: lower-case, then (?u)\b\w\w+\b, plus bigrams.
 *
 * Python's \w (str patterns) is exactly [\p{L}\p{N}_] (checked over every code point with
 * Python 3.11 / Unicode 14); PCRE2's own \w under PCRE2_UCP also takes Mn and Pc from 10.43 on,
 * so the class is spelled out.  A match of \b\w\w+\b is a maximal run of two or more word
 * characters, which is what a leftmost greedy [...]{2,} finds, one run after another. */
#include <stdlib.h>
#include <string.h>

#include "classify/classify.h"
#include "classify/classify_int.h"
#include "diag.h"

static const char token_pattern[] = "[\\p{L}\\p{N}_]{2,}";

int classify_tok_init(struct tok *t)
{
    int err;
    PCRE2_SIZE at;
    memset(t, 0, sizeof *t);
    t->re = pcre2_compile((PCRE2_SPTR)token_pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP,
                          &err, &at, NULL);
    if (!t->re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        return diag_error("cannot compile the token pattern: %s", (const char *)msg);
    }
    /* A lowered match limit (a test hook) runs the interpreter, where it bites on this simple
     * pattern; JIT code counts its limit in larger steps. */
    unsigned long limit = pcre2_test_match_limit();
    if (limit && (t->mctx = pcre2_match_context_create(NULL)))
        pcre2_set_match_limit(t->mctx, (uint32_t)limit);
    else
        (void)pcre2_jit_compile(t->re, PCRE2_JIT_COMPLETE);   /* the interpreter is the fallback */
    t->md = pcre2_match_data_create_from_pattern(t->re, NULL);
    if (!t->md || (limit && !t->mctx)) {
        classify_tok_free(t);
        return diag_error("out of memory");
    }
    return 0;
}

void classify_tok_free(struct tok *t)
{
    pcre2_match_data_free(t->md);
    pcre2_match_context_free(t->mctx);
    pcre2_code_free(t->re);
    free(t->low);
    free(t->buf);
    free(t->start);
    free(t->len);
    free(t->hash);
    memset(t, 0, sizeof *t);
}

static int grow_tokens(struct tok *t)
{
    size_t cap = t->cap ? 2 * t->cap : 64;
    uint32_t *s = realloc(t->start, cap * sizeof *s);
    if (!s)
        return -1;
    t->start = s;
    uint32_t *l = realloc(t->len, cap * sizeof *l);
    if (!l)
        return -1;
    t->len = l;
    uint64_t *h = realloc(t->hash, cap * sizeof *h);
    if (!h)
        return -1;
    t->hash = h;
    t->cap = cap;
    return 0;
}

int classify_tok_run(struct tok *t, const char *text, const char *what)
{
    size_t n, bad;
    t->n = t->buf_len = 0;
    if (!text)
        return diag_error("%s is missing", what);
    n = strlen(text);
    if (n == 0)
        return diag_error("%s is empty", what);
    if (n > UINT32_MAX / 2)
        return diag_error("%s is too long (%zu bytes)", what, n);
    if (strspn(text, " \t\n\r\v\f") == n)
        return diag_error("%s is blank", what);
    if (!utf8_valid(text, n, &bad))
        return diag_error("%s is not valid UTF-8 (byte %zu)", what, bad + 1);
    if (classify_lower_utf8(text, n, &t->low, &t->low_len, &t->low_cap) < 0)
        return diag_error("out of memory");
    if (t->low_len + 1 > t->buf_cap) {
        char *p = realloc(t->buf, t->low_len + 1);
        if (!p)
            return diag_error("out of memory");
        t->buf = p;
        t->buf_cap = t->low_len + 1;
    }
    PCRE2_SIZE off = 0, len = t->low_len;
    while (off < len) {
        int rc = pcre2_match(t->re, (PCRE2_SPTR)t->low, len, off, PCRE2_NO_UTF_CHECK, t->md, t->mctx);
        if (rc == PCRE2_ERROR_NOMATCH)
            break;
        if (rc < 0) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(rc, msg, sizeof msg);
            return diag_error("cannot tokenise %s: %s", what, (const char *)msg);
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(t->md);
        size_t a = ov[0], b = ov[1];
        if (t->n == t->cap && grow_tokens(t) < 0)
            return diag_error("out of memory");
        if (t->n)
            t->buf[t->buf_len++] = ' ';
        t->start[t->n] = (uint32_t)t->buf_len;
        t->len[t->n] = (uint32_t)(b - a);
        t->hash[t->n] = classify_vocab_hash(t->low + a, b - a);
        memcpy(t->buf + t->buf_len, t->low + a, b - a);
        t->buf_len += b - a;
        t->n++;
        off = b;
    }
    return 0;
}

int classify_analyze(const char *text, char ***terms, size_t *n_terms)
{
    struct tok t;
    int ret = -1;
    *terms = NULL;
    *n_terms = 0;
    if (classify_tok_init(&t) < 0)
        return -1;
    if (classify_tok_run(&t, text, "text") < 0)
        goto out;
    size_t n = classify_tok_n_terms(&t), bytes = (n + 1) * sizeof(char *);
    uint32_t len;
    for (size_t i = 0; i < n; i++) {
        classify_tok_term(&t, i, &len);
        bytes += len + 1;
    }
    char **v = malloc(bytes);
    if (!v) {
        diag_error("out of memory");
        goto out;
    }
    char *p = (char *)(v + n + 1);
    for (size_t i = 0; i < n; i++) {
        const char *s = classify_tok_term(&t, i, &len);
        v[i] = p;
        memcpy(p, s, len);
        p[len] = '\0';
        p += len + 1;
    }
    v[n] = NULL;
    *terms = v;
    *n_terms = n;
    ret = 0;
out:
    classify_tok_free(&t);
    return ret;
}
