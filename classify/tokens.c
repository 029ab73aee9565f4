/* classify/tokens.c -- sklearn's default analyser: lower-case, then (?u)\b\w\w+\b, plus bigrams.
 *
 * Python's \w (str patterns) is exactly [\p{L}\p{N}_] (checked over every code point with
 * Python 3.11 / Unicode 14); PCRE2's own \w under PCRE2_UCP also takes Mn and Pc from 10.43 on,
 * so the class is spelled out.  A match of \b\w\w+\b is a maximal run of two or more word
 * characters, which is what a leftmost greedy [...]{2,} finds, one run after another.
 *
 * Speed (issue 16): so the tokens are found by one scan for those runs, not by a match call per
 * token.  ASCII is classified by a table; any other code point by PCRE2 itself (the class alone,
 * anchored, on that one character), remembered in a bitmap for the Basic Multilingual Plane, so
 * the class is PCRE2's exactly as before.  With the test hook PSYFAITH_PCRE2_MATCH_LIMIT set the
 * whole text goes through pcre2_match() as before, so the limit still bites (and tests compare
 * the two paths). */
#include <stdlib.h>
#include <string.h>

#include "classify/classify.h"
#include "classify/classify_int.h"
#include "diag.h"

static const char token_pattern[] = "[\\p{L}\\p{N}_]{2,}";
static const char char_pattern[] = "[\\p{L}\\p{N}_]";

/* ASCII word characters: [0-9A-Za-z_] (the lowered text has no A-Z, which does not matter) */
static const unsigned char ascii_word[128] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1,
    ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
    ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['_'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1,
    ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1,
    ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

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
    if (limit)
        return 0;               /* the test hook: every text through pcre2_match() */
    t->re1 = pcre2_compile((PCRE2_SPTR)char_pattern, PCRE2_ZERO_TERMINATED,
                           PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED, &err, &at, NULL);
    if (!t->re1) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        classify_tok_free(t);
        return diag_error("cannot compile the token pattern: %s", (const char *)msg);
    }
    t->md1 = pcre2_match_data_create_from_pattern(t->re1, NULL);
    t->bmp_known = calloc(0x10000 / 64, sizeof *t->bmp_known);
    t->bmp_word = calloc(0x10000 / 64, sizeof *t->bmp_word);
    if (!t->md1 || !t->bmp_known || !t->bmp_word) {
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
    pcre2_match_data_free(t->md1);
    pcre2_code_free(t->re1);
    free(t->bmp_known);
    free(t->bmp_word);
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

/* Appends the token low[a..b) to the token list.  0, or -1 out of memory. */
static int add_token(struct tok *t, size_t a, size_t b)
{
    if (t->n == t->cap && grow_tokens(t) < 0)
        return -1;
    if (t->n)
        t->buf[t->buf_len++] = ' ';
    t->start[t->n] = (uint32_t)t->buf_len;
    t->len[t->n] = (uint32_t)(b - a);
    t->hash[t->n] = classify_vocab_hash(t->low + a, b - a);
    memcpy(t->buf + t->buf_len, t->low + a, b - a);
    t->buf_len += b - a;
    t->n++;
    return 0;
}

/* Is the code point at low[i..i+n) (its UTF-8 bytes) in the class?  1, 0, or -1 after a message. */
static int class_of(struct tok *t, uint32_t cp, size_t i, size_t n, const char *what)
{
    if (cp < 0x10000 && (t->bmp_known[cp >> 6] >> (cp & 63) & 1))
        return (int)(t->bmp_word[cp >> 6] >> (cp & 63) & 1);
    int rc = pcre2_match(t->re1, (PCRE2_SPTR)t->low + i, n, 0, PCRE2_NO_UTF_CHECK, t->md1, NULL);
    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(rc, msg, sizeof msg);
        return diag_error("cannot tokenise %s: %s", what, (const char *)msg);
    }
    int word = rc >= 0;
    if (cp < 0x10000) {
        t->bmp_known[cp >> 6] |= (uint64_t)1 << (cp & 63);
        t->bmp_word[cp >> 6] |= (uint64_t)word << (cp & 63);
    }
    return word;
}

/* The runs of 2+ word characters (code points, not bytes) of the lowered text, by one scan. */
static int scan_tokens(struct tok *t, const char *what)
{
    const unsigned char *s = (const unsigned char *)t->low;
    const size_t n = t->low_len;
    size_t i = 0, a = 0, chars = 0;     /* the current run: s[a..i), `chars` code points */
    while (i < n) {
        unsigned char c = s[i];
        size_t w = 1;
        int word;
        if (c < 0x80)
            word = ascii_word[c];
        else {
            uint32_t cp;
            if (c < 0xE0) {
                cp = (uint32_t)(c & 0x1F) << 6 | (s[i + 1] & 0x3F);
                w = 2;
            } else if (c < 0xF0) {
                cp = (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
                w = 3;
            } else {
                cp = (uint32_t)(c & 0x07) << 18 | (uint32_t)(s[i + 1] & 0x3F) << 12 |
                     (uint32_t)(s[i + 2] & 0x3F) << 6 | (s[i + 3] & 0x3F);
                w = 4;
            }
            if ((word = class_of(t, cp, i, w, what)) < 0)
                return -1;
        }
        if (word) {
            if (!chars)
                a = i;
            chars++;
        } else {
            if (chars >= 2 && add_token(t, a, i) < 0)
                return diag_error("out of memory");
            chars = 0;
        }
        i += w;
    }
    if (chars >= 2 && add_token(t, a, n) < 0)
        return diag_error("out of memory");
    return 0;
}

/* Valid UTF-8?  Runs of ASCII are skipped eight bytes at a time, the rest through utf8_valid();
 * *bad as utf8_valid's. */
static int text_utf8(const char *s, size_t n, size_t *bad)
{
    size_t i = 0;
    uint64_t w;
    while (i + 8 <= n) {
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080u)
            break;
        i += 8;
    }
    while (i < n && !(s[i] & 0x80))
        i++;
    if (i == n)
        return 1;
    if (utf8_valid(s + i, n - i, bad))
        return 1;
    *bad += i;
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
    if (!text_utf8(text, n, &bad))
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
    if (t->re1)
        return scan_tokens(t, what);
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
        if (add_token(t, ov[0], ov[1]) < 0)
            return diag_error("out of memory");
        off = ov[1];
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
