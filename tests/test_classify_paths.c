/* tests/test_classify_paths.c -- the classifier's fast paths against the slow ones they replace
 * (issue 16): the tokeniser's scan against pcre2_match() of the token pattern, on random texts
 * over an alphabet chosen to hit every branch (ASCII, 2-, 3- and 4-byte code points, letters,
 * digits of other scripts, combining marks, connector punctuation, the lower-casing specials);
 * and the TF-IDF matrix made in two parts on two threads against the one made in one part. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/classify.h"
#include "classify/classify_int.h"
#include "tests/check.h"

static const char *const alphabet[] = {
    "a", "Z", "q", "7", "_", " ", " ", " ", ".", "-", "'", "\t",
    "\xc3\xa9",             /* é  (Ll) */
    "\xc3\x89",             /* É  (Lu -> é) */
    "\xc3\x9f",             /* ß */
    "\xce\xa3",             /* Σ  (final sigma rule) */
    "\xce\x91",             /* Α */
    "\xc4\xb0",             /* İ  -> i + U+0307 (Mn: not a word character) */
    "\xcc\x81",             /* U+0301 combining acute (Mn) */
    "\xd9\xa3",             /* U+0663 Arabic-Indic three (Nd) */
    "\xc2\xb2",             /* ² (No) */
    "\xc2\xa0",             /* no-break space */
    "\xe2\x85\xa0",         /* Ⅰ U+2160 (Nl) */
    "\xe2\x80\xbf",         /* ‿ U+203F (Pc, not \w in Python) */
    "\xe2\x80\x8d",         /* zero width joiner */
    "\xe4\xb8\x80",         /* 一 U+4E00 */
    "\xe3\x80\x80",         /* ideographic space */
    "\xe0\xa4\x95",         /* क U+0915 */
    "\xe0\xa4\xbf",         /* ि U+093F (Mc) */
    "\xf0\x9f\x98\x80",     /* 😀 U+1F600 (So) */
    "\xf0\x90\x90\x80",     /* 𐐀 U+10400 (Lu -> U+10428) */
    "\xf0\x9d\x90\x80",     /* 𝐀 U+1D400 (Lu, no lower case) */
    "\xf0\x9f\x84\x80",     /* 🄀 U+1F100 (No) */
};

static uint64_t rng = 0x2545F4914F6CDD1Du;
static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 32);
}

/* The terms of text as one string ("term|term|..."), through classify_analyze(). */
static char *terms_of(const char *text)
{
    char **t;
    size_t n, len = 1;
    if (classify_analyze(text, &t, &n) < 0)
        return NULL;
    for (size_t i = 0; i < n; i++)
        len += strlen(t[i]) + 1;
    char *s = malloc(len), *p = s;
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(t[i]);
        memcpy(p, t[i], k);
        p += k;
        *p++ = '|';
    }
    *p = '\0';
    free(t);
    return s;
}

static void test_scan_vs_pcre2(void)
{
    const size_t na = sizeof alphabet / sizeof alphabet[0];
    enum { N = 20000 };
    char **texts = calloc(N, sizeof *texts), **fast = calloc(N, sizeof *fast);
    size_t same = 0, with_terms = 0;
    for (size_t i = 0; i < N; i++) {
        size_t len = 1 + next_rand() % 40;
        char buf[40 * 4 + 8], *p = buf;
        *p++ = 'x';             /* never blank */
        for (size_t k = 0; k < len; k++) {
            const char *c = alphabet[next_rand() % na];
            memcpy(p, c, strlen(c));
            p += strlen(c);
        }
        *p = '\0';
        texts[i] = strdup(buf);
        fast[i] = terms_of(texts[i]);
    }
    /* the test hook sends every text through pcre2_match(); this limit never bites */
    setenv("PSYFAITH_PCRE2_MATCH_LIMIT", "100000000", 1);
    for (size_t i = 0; i < N; i++) {
        char *slow = terms_of(texts[i]);
        int ok = fast[i] && slow && strcmp(fast[i], slow) == 0;
        same += ok;
        with_terms += slow && slow[0];
        if (!ok && same + 5 > i)
            fprintf(stderr, "text %zu '%s': scan '%s', pcre2 '%s'\n", i, texts[i], fast[i] ? fast[i] : "(fail)",
                    slow ? slow : "(fail)");
        free(slow);
    }
    unsetenv("PSYFAITH_PCRE2_MATCH_LIMIT");
    CHECK(same == N);
    CHECK(with_terms > N / 2);          /* the texts do have terms to compare */
    printf("tokeniser: scan = pcre2_match on %zu of %d random texts (%zu with terms)\n", same, N, with_terms);
    for (size_t i = 0; i < N; i++) {
        free(texts[i]);
        free(fast[i]);
    }
    free(texts);
    free(fast);
}

/* A few by hand: runs are counted in code points, not bytes. */
static void test_scan_cases(void)
{
    static const struct { const char *in, *want; } cases[] = {
        { "I am here", "am|here|am here|" },
        { "\xc3\xa9 \xc3\xa9\xc3\xa9 a", "\xc3\xa9\xc3\xa9|" },         /* é alone is one character */
        { "\xc4\xb0stanbul", "stanbul|" },                               /* i + U+0307 + stanbul */
        { "x\xf0\x90\x90\x80y ab", "x\xf0\x90\x90\xa8y|ab|x\xf0\x90\x90\xa8y ab|" },
        { "a_b c\xe2\x80\xbf" "d", "a_b|" },
        { "\xd9\xa3\xd9\xa3 \xe2\x85\xa0\xe2\x85\xa0", "\xd9\xa3\xd9\xa3|\xe2\x85\xb0\xe2\x85\xb0|"
                                                      "\xd9\xa3\xd9\xa3 \xe2\x85\xb0\xe2\x85\xb0|" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = terms_of(cases[i].in);
        CHECK_STR(got, cases[i].want);
        free(got);
    }
}

/* classify_tfidf_fit() over texts[rows[0..n)], in nparts parts (the test hook sets the size from
 * which it splits the rows); 0 or -1. */
static int tfidf(const char *const *texts, const size_t *rows, size_t n, long min_df, int nparts,
                 struct tfidf *x)
{
    struct tok t;
    if (classify_tok_init(&t) < 0)
        return -1;
    setenv("PSYFAITH_TEST_TFIDF_PARALLEL_ROWS", nparts == 2 ? "2" : "1000000000", 1);
    int rc = classify_tfidf_fit(&t, texts, rows, n, min_df, nparts == 2 ? 2 : 1, x);
    unsetenv("PSYFAITH_TEST_TFIDF_PARALLEL_ROWS");
    classify_tok_free(&t);
    return rc;
}

/* Step 3 of the TF-IDF fit runs the two parts at once when nothing is pruned, one after the other
 * when min_df prunes (part 1's entries then begin where part 0's end): the same matrix as one part
 * makes, entry for entry and bit for bit -- row bounds, columns, values, idf -- with and without
 * pruning, and over a subset of the texts in another order (the rows of a CV fold). */
static void test_tfidf_parts(void)
{
    enum { N = 3000 };
    static const char *const words[] = { "calm", "loud", "party", "quiet", "friends", "book", "alone", "dance",
                                         "talk", "home", "crowd", "walk", "music", "tea", "game", "zebra" };
    const size_t nw = sizeof words / sizeof words[0];
    char **texts = calloc(N, sizeof *texts);
    size_t *rows = calloc(N, sizeof *rows), nsub = 0;
    for (size_t i = 0; i < N; i++) {
        char buf[512];
        size_t len = 0, k = 1 + next_rand() % 30;
        for (size_t j = 0; j < k; j++) {        /* repeats give tf > 1; rare made-up words prune */
            if (next_rand() % 8 == 0)
                len += (size_t)snprintf(buf + len, sizeof buf - len, "w%u ", next_rand() % 4000);
            else
                len += (size_t)snprintf(buf + len, sizeof buf - len, "%s ", words[next_rand() % nw]);
        }
        texts[i] = strdup(buf);
        if (i % 3 != 1)
            rows[nsub++] = N - 1 - i;           /* a fold: two thirds, backwards */
    }
    for (int variant = 0; variant < 6; variant++) {
        long min_df = variant % 3 + 1;          /* 1: nothing pruned; 2, 3: pruned */
        const size_t *r = variant < 3 ? NULL : rows;
        size_t n = variant < 3 ? N : nsub;
        struct tfidf a, b;
        int ok_a = tfidf((const char *const *)texts, r, n, min_df, 1, &a) == 0;
        int ok_b = tfidf((const char *const *)texts, r, n, min_df, 2, &b) == 0;
        CHECK(ok_a && ok_b);
        if (!ok_a || !ok_b)
            continue;
        size_t nnz = a.rowptr[a.n_rows];
        CHECK(a.n_rows == n && b.n_rows == n && a.n_cols == b.n_cols);
        CHECK(memcmp(a.rowptr, b.rowptr, (n + 1) * sizeof *a.rowptr) == 0);
        CHECK(b.rowptr[n] == nnz && memcmp(a.col, b.col, nnz * sizeof *a.col) == 0);
        CHECK(memcmp(a.val, b.val, nnz * sizeof *a.val) == 0);
        CHECK(memcmp(a.idf, b.idf, a.n_cols * sizeof *a.idf) == 0);
        int valid = 1;                          /* every entry a column in range, a value above 0 */
        for (size_t i = 0; i < n; i++)
            for (size_t k = b.rowptr[i]; k < b.rowptr[i + 1]; k++)
                valid &= b.col[k] < b.n_cols && b.val[k] > 0;
        CHECK(valid);
        if (variant == 0 || variant == 1)
            printf("tfidf, min_df %ld: %zu texts, %zu terms, %zu entries: one part = two parts\n", min_df, n,
                   a.n_cols, nnz);
        classify_tfidf_free(&a);
        classify_tfidf_free(&b);
    }
    for (size_t i = 0; i < N; i++)
        free(texts[i]);
    free(texts);
    free(rows);
}

int main(void)
{
    test_scan_cases();
    test_scan_vs_pcre2();
    test_tfidf_parts();
    return CHECK_DONE();
}
