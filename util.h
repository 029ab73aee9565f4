/* util.h -- small containers and helpers that none of the libraries provide.
 *
 * The bottom layer, with diag.h and outfile.h: every module may use it, it uses no module.
 * It never prints.  A failure is a return value only (-1 for out of memory or "not a number",
 * 0 for "not found" / "not valid", NULL for an unknown name); the caller says why through
 * diag_error().
 * Ownership: a zeroed struct strbuf or strmap is empty and ready to use (a hasher needs
 * hasher_init()).  The struct owns what it grows: strbuf's buffer, strmap's copies of the keys,
 * the hasher's context.  Its _free() releases them and leaves it zeroed, so it can be used again.
 * sb->buf is NULL until the first add, and any add may move it.  The strings that
 * dimension_canonical() and utf16_or_32() return are static.
 * Threads: nothing here has global state (pcre2_test_match_limit only reads the environment),
 * so either ingest thread may use it, one thread per object at a time. */
#ifndef PSYFAITH_UTIL_H
#define PSYFAITH_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* A growable byte buffer, always NUL-terminated once anything was added. */
struct strbuf {
    char *buf;
    size_t len, cap;
};
int strbuf_add(struct strbuf *sb, const char *s, size_t n);   /* 0, or -1 out of memory */
int strbuf_addstr(struct strbuf *sb, const char *s);
int strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_reset(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);

/* A string -> int64 hash map; keys are copied.  Open addressing, never shrinks. */
struct strmap {
    char **keys;
    int64_t *vals;
    size_t cap, len;
};
int strmap_put(struct strmap *m, const char *key, int64_t val);  /* 0, or -1 out of memory */
int strmap_get(const struct strmap *m, const char *key, int64_t *val); /* 1 found, 0 not */
void strmap_clear(struct strmap *m);
void strmap_free(struct strmap *m);

/* 1 when s[0..n) is valid UTF-8 (no overlongs, no surrogates), else 0 and *bad = offset. */
int utf8_valid(const char *s, size_t n, size_t *bad);

/* The name iconv knows for a UTF-16 or UTF-32 text that starts with s[0..n) ("UTF-16" after a byte
 * order mark, "UTF-16LE" for "{\0\"\0" without one, ...), or NULL.  Such a file is all NUL bytes
 * to a UTF-8 reader; this lets it say what the file is and how to convert it. */
const char *utf16_or_32(const char *s, size_t n);

/* Strict number parsing of a whole string (leading/trailing blanks allowed); 0 ok, -1 not. */
int parse_double(const char *s, double *out);
int parse_long(const char *s, long *out);

/* The shortest of %.15g, %.16g and %.17g that reads back (strtod) as exactly v, into buf (at
 * least 32 bytes): every double written for reading back goes through here, so that 0.3 stays
 * "0.3" and 0.30000000000000004 is not written as 0.3.  Non-finite values print as %g does. */
void format_double(char *buf, size_t size, double v);

/* SHA-256 of a stream, in lower-case hex (65 bytes with the NUL). */
struct sha256_ctx;
struct hasher {
    void *ctx;
};
int hasher_init(struct hasher *h);
void hasher_update(struct hasher *h, const void *data, size_t n);
void hasher_hex(struct hasher *h, char out[65]);
void hasher_free(struct hasher *h);

/* Dimension names: canonical code for EXT/AGR/CONS/EMO/OPEN and their long names and N/neuroticism.
 * Returns the canonical code (static string) and sets *reverse to 1 for neuroticism aliases. */
const char *dimension_canonical(const char *name, int *reverse);

/* A persona read as a trait setting (issue 13): "agreeableness=9", "AGR = 9", "N=9", "AGR=max",
 * "high agreeableness", "low neuroticism", names and min/max/high/low in any case.  Neuroticism
 * names give EMO with the level reversed on the 1..9 scale (K + 1 - l, K = 9; only an integer 1..9
 * can be reversed) and min and max swapped; other traits keep any finite number.  high = max,
 * low = min.  Anything else that is not empty, "baseline" or "none" is a persona without a trait
 * (never an error: a persona is also a free-text name such as "proximity"). */
enum persona_kind {
    PERSONA_NONE,       /* NULL, blank, "baseline" or "none": the baseline persona */
    PERSONA_TRAIT,      /* a trait and a level (a number or an extreme) */
    PERSONA_OTHER,      /* a persona that is not a trait setting */
};
struct persona_setting {
    const char *trait;  /* canonical code (static), NULL unless PERSONA_TRAIT */
    int extreme;        /* -1 min (low), +1 max (high), 0 a number in level */
    double level;
};
enum persona_kind persona_parse(const char *persona, struct persona_setting *out);

/* A test hook, not a user option: PSYFAITH_PCRE2_MATCH_LIMIT=N lowers PCRE2's match limit for the
 * built-in patterns (answer parsing, the tokeniser), so that tests can make a library error happen
 * on demand and check that it is reported, never read as "no match".  0 when unset or invalid. */
unsigned long pcre2_test_match_limit(void);

/* Test hooks that hold psyfaith at a chosen point so that a test can act there without racing it:
 * test_hold(PATH) creates PATH.waiting and waits (up to a minute) until PATH exists.  Its callers
 * are the PSYFAITH_TEST_PAUSE_* hooks (store.c, ingest/writer.c); none is reached when unset. */
void test_hold(const char *path);
/* The same at the N-th call for one hook, its variable holding "N:PATH"; *calls counts the calls. */
void test_hold_nth(const char *var, long *calls);

/* calloc() for arrays of megabytes that are read and written at random (issue 16: the classifier's
 * vectors and lookup tables), where 4 KiB pages cost a TLB miss on almost every access: from 2 MiB
 * up, the block is aligned to 2 MiB, a whole number of 2 MiB long, and marked for transparent huge
 * pages (madvise MADV_HUGEPAGE) before it is zeroed, so that the kernel can back it with 2 MiB
 * pages.  The mark is a hint: where the kernel has no such pages it is plain memory.  Smaller
 * blocks are calloc()'s.  NULL when out of memory; free() releases it. */
void *calloc_huge(size_t n, size_t size);

/* ---- worker threads (issue 16) ----
 * par_for(threads, n, fn, ctx) calls fn(i, worker, ctx) once for every i in [0, n), on up to
 * `threads` workers (the calling thread is worker 0; at most n workers).  Which worker runs which i
 * depends on scheduling, so fn must write only to what belongs to i (or to worker's own scratch):
 * then the result is the same at any thread count.  fn returns 0 or -1; after a -1 no new i is
 * started and par_for returns -1 (also when a thread cannot be created: the caller says why).
 * threads_default() is $PSYFAITH_THREADS when it is a number 1..256, else 2; threads_parse()
 * accepts "1".."256" (0 on success, -1 otherwise). */
typedef int (*par_fn)(size_t i, size_t worker, void *ctx);
int par_for(size_t threads, size_t n, par_fn fn, void *ctx);
size_t threads_default(void);
int threads_parse(const char *arg, size_t *out);

#endif
