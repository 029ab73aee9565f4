/* util.c -- string buffer, string hash map, UTF-8 check, number parsing, hashing */
#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "util.h"

int strbuf_add(struct strbuf *sb, const char *s, size_t n)
{
    if (sb->len + n + 1 > sb->cap) {
        size_t cap = sb->cap ? sb->cap : 64;
        while (cap < sb->len + n + 1)
            cap *= 2;
        char *p = realloc(sb->buf, cap);
        if (!p)
            return -1;
        sb->buf = p;
        sb->cap = cap;
    }
    memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
    return 0;
}

int strbuf_addstr(struct strbuf *sb, const char *s)
{
    return strbuf_add(sb, s, strlen(s));
}

int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    if ((size_t)n < sizeof small)
        return strbuf_add(sb, small, (size_t)n);
    char *big = malloc((size_t)n + 1);
    if (!big)
        return -1;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int ret = strbuf_add(sb, big, (size_t)n);
    free(big);
    return ret;
}

void strbuf_reset(struct strbuf *sb)
{
    sb->len = 0;
    if (sb->buf)
        sb->buf[0] = '\0';
}

void strbuf_free(struct strbuf *sb)
{
    free(sb->buf);
    sb->buf = NULL;
    sb->len = sb->cap = 0;
}

/* FNV-1a: short keys, no adversarial concern beyond slowness (probing stays bounded by load). */
static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int strmap_grow(struct strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    char **keys = calloc(cap, sizeof *keys);
    int64_t *vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = hash_str(m->keys[i]) & (cap - 1);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return 0;
}

int strmap_put(struct strmap *m, const char *key, int64_t val)
{
    if ((m->len + 1) * 2 > m->cap && strmap_grow(m) < 0)
        return -1;
    size_t j = hash_str(key) & (m->cap - 1);
    while (m->keys[j]) {
        if (strcmp(m->keys[j], key) == 0) {
            m->vals[j] = val;
            return 0;
        }
        j = (j + 1) & (m->cap - 1);
    }
    if (!(m->keys[j] = strdup(key)))
        return -1;
    m->vals[j] = val;
    m->len++;
    return 0;
}

int strmap_get(const struct strmap *m, const char *key, int64_t *val)
{
    if (!m->cap)
        return 0;
    size_t j = hash_str(key) & (m->cap - 1);
    while (m->keys[j]) {
        if (strcmp(m->keys[j], key) == 0) {
            *val = m->vals[j];
            return 1;
        }
        j = (j + 1) & (m->cap - 1);
    }
    return 0;
}

void strmap_clear(struct strmap *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        free(m->keys[i]);
        m->keys[i] = NULL;
    }
    m->len = 0;
}

void strmap_free(struct strmap *m)
{
    strmap_clear(m);
    free(m->keys);
    free(m->vals);
    m->keys = NULL;
    m->vals = NULL;
    m->cap = 0;
}

int utf8_valid(const char *str, size_t n, size_t *bad)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        if (n - i >= 32) {          /* 32 ASCII bytes at a time: the common case (a chunk of JSONL) */
            uint64_t w[4];
            memcpy(w, s + i, sizeof w);
            if (!((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ULL)) {
                i += 32;
                continue;
            }
        }
        if (n - i >= 8) {           /* eight ASCII bytes at a time: short texts, and around non-ASCII */
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!(w & 0x8080808080808080ULL)) {
                i += 8;
                continue;
            }
        }
        unsigned c = s[i];
        size_t len;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            goto invalid;
        }
        if (i + len > n)
            goto invalid;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                goto invalid;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto invalid;
        i += len;
    }
    return 1;
invalid:
    if (bad)
        *bad = i;
    return 0;
}

const char *utf16_or_32(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n >= 4 && u[0] == 0xFF && u[1] == 0xFE && !u[2] && !u[3])
        return "UTF-32";
    if (n >= 4 && !u[0] && !u[1] && u[2] == 0xFE && u[3] == 0xFF)
        return "UTF-32";
    if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        return "UTF-16";
    /* no byte order mark: an ASCII first character with its zero bytes */
    if (n >= 4 && u[0] && !u[1] && !u[2] && !u[3])
        return "UTF-32LE";
    if (n >= 4 && !u[0] && !u[1] && !u[2] && u[3])
        return "UTF-32BE";
    if (n >= 2 && u[0] && u[0] < 0x80 && !u[1])
        return "UTF-16LE";
    if (n >= 2 && !u[0] && u[1] && u[1] < 0x80)
        return "UTF-16BE";
    return NULL;
}

int parse_double(const char *s, double *out)
{
    char *end;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return -1;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno == ERANGE || !isfinite(v))
        return -1;
    while (isspace((unsigned char)*end))
        end++;
    if (*end)
        return -1;
    *out = v;
    return 0;
}

int parse_long(const char *s, long *out)
{
    char *end;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return -1;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || errno == ERANGE)
        return -1;
    while (isspace((unsigned char)*end))
        end++;
    if (*end)
        return -1;
    *out = v;
    return 0;
}

int hasher_init(struct hasher *h)
{
    struct sha256_ctx *ctx = malloc(sizeof *ctx);
    if (!ctx)
        return -1;
    sha256_init(ctx);
    h->ctx = ctx;
    return 0;
}

void hasher_update(struct hasher *h, const void *data, size_t n)
{
    sha256_update(h->ctx, n, data);
}

void hasher_hex(struct hasher *h, char out[65])
{
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(h->ctx, sizeof digest, digest);
    for (size_t i = 0; i < sizeof digest; i++)
        snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

void hasher_free(struct hasher *h)
{
    free(h->ctx);
    h->ctx = NULL;
}

const char *dimension_canonical(const char *name, int *reverse)
{
    static const struct {
        const char *alias, *code;
        int reverse;
    } table[] = {
        { "EXT", "EXT", 0 },   { "E", "EXT", 0 },    { "extraversion", "EXT", 0 },
        { "extroversion", "EXT", 0 },
        { "AGR", "AGR", 0 },   { "A", "AGR", 0 },    { "agreeableness", "AGR", 0 },
        { "CONS", "CONS", 0 }, { "CON", "CONS", 0 }, { "C", "CONS", 0 },
        { "conscientiousness", "CONS", 0 },
        { "EMO", "EMO", 0 },   { "ES", "EMO", 0 },   { "emotional stability", "EMO", 0 },
        { "emotional_stability", "EMO", 0 }, { "stability", "EMO", 0 },
        { "N", "EMO", 1 },     { "NEU", "EMO", 1 },  { "neuroticism", "EMO", 1 },
        { "OPEN", "OPEN", 0 }, { "O", "OPEN", 0 },   { "OPE", "OPEN", 0 },
        { "openness", "OPEN", 0 }, { "openness to experience", "OPEN", 0 },
        { "intellect", "OPEN", 0 },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcasecmp(name, table[i].alias) == 0) {
            if (reverse)
                *reverse = table[i].reverse;
            return table[i].code;
        }
    return NULL;
}

/* s[0..n) without surrounding white space into buf; -1 when it is empty or does not fit. */
static int trim_into(const char *s, size_t n, char *buf, size_t size)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n == 0 || n >= size)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return 0;
}

/* min/max/low/high: -1 or +1; 0 for anything else */
static int extreme_word(const char *w)
{
    if (strcasecmp(w, "max") == 0 || strcasecmp(w, "high") == 0)
        return 1;
    if (strcasecmp(w, "min") == 0 || strcasecmp(w, "low") == 0)
        return -1;
    return 0;
}

enum persona_kind persona_parse(const char *persona, struct persona_setting *out)
{
    char name[64], value[64];
    const char *code = NULL, *eq;
    int reverse = 0;
    memset(out, 0, sizeof *out);
    if (!persona || trim_into(persona, strlen(persona), name, sizeof name) < 0) {
        if (!persona || strspn(persona, " \t\r\n\v\f") == strlen(persona))
            return PERSONA_NONE;
        return PERSONA_OTHER;          /* too long to be a trait setting */
    }
    if (strcasecmp(name, "baseline") == 0 || strcasecmp(name, "none") == 0)
        return PERSONA_NONE;
    if ((eq = strchr(persona, '='))) {
        /* TRAIT = LEVEL */
        if (trim_into(persona, (size_t)(eq - persona), name, sizeof name) < 0 ||
            trim_into(eq + 1, strlen(eq + 1), value, sizeof value) < 0 || !(code = dimension_canonical(name, &reverse)))
            return PERSONA_OTHER;
        out->extreme = extreme_word(value);
        if (!out->extreme && parse_double(value, &out->level) < 0)
            return PERSONA_OTHER;
    } else {
        /* "high TRAIT" / "low TRAIT": the first word, then the trait's name */
        size_t w = strcspn(name, " \t");
        if (!name[w])
            return PERSONA_OTHER;
        name[w] = '\0';
        if (!(out->extreme = extreme_word(name)) || strcasecmp(name, "max") == 0 || strcasecmp(name, "min") == 0 ||
            trim_into(name + w + 1, strlen(name + w + 1), value, sizeof value) < 0 ||
            !(code = dimension_canonical(value, &reverse))) {
            out->extreme = 0;
            return PERSONA_OTHER;
        }
    }
    if (reverse) {
        /* neuroticism l is emotional stability K + 1 - l on the 1..9 scale */
        if (out->extreme)
            out->extreme = -out->extreme;
        else if (out->level >= 1 && out->level <= 9 && out->level == (double)(long)out->level)
            out->level = 10 - out->level;
        else {
            out->level = 0;
            return PERSONA_OTHER;
        }
    }
    out->trait = code;
    return PERSONA_TRAIT;
}

void format_double(char *buf, size_t size, double v)
{
    for (int prec = 15; prec < 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
    snprintf(buf, size, "%.17g", v);
}

unsigned long pcre2_test_match_limit(void)
{
    const char *s = getenv("PSYFAITH_PCRE2_MATCH_LIMIT");
    long v;
    return s && parse_long(s, &v) == 0 && v > 0 ? (unsigned long)v : 0;
}

void test_hold(const char *path)
{
    char waiting[4200];
    struct stat sb;
    if (!path || !*path || snprintf(waiting, sizeof waiting, "%s.waiting", path) >= (int)sizeof waiting)
        return;
    int fd = open(waiting, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0)
        close(fd);
    for (int i = 0; i < 6000 && stat(path, &sb) != 0; i++)
        nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
}

void test_hold_nth(const char *var, long *calls)
{
    const char *env = getenv(var);
    char *end;
    if (!env)
        return;
    long n = strtol(env, &end, 10);
    if (*end == ':' && ++*calls == n)
        test_hold(end + 1);
}

/* ---- worker threads ---- */

struct par_job {
    par_fn fn;
    void *ctx;
    size_t n;
    atomic_size_t next;       /* the next i to hand out */
    atomic_int failed;
};

struct par_worker {
    struct par_job *job;
    size_t id;
};

static void *par_run(void *arg)
{
    struct par_worker *w = arg;
    struct par_job *j = w->job;
    for (;;) {
        if (atomic_load(&j->failed))
            break;
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->n)
            break;
        if (j->fn(i, w->id, j->ctx) < 0)
            atomic_store(&j->failed, 1);
    }
    return NULL;
}

void *calloc_huge(size_t n, size_t size)
{
    const size_t huge = (size_t)2 << 20;
    void *p;
    if (size && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size, rounded = (bytes + huge - 1) & ~(huge - 1);
    if (bytes < huge)
        return calloc(n ? n : 1, size ? size : 1);
    if (rounded < bytes || posix_memalign(&p, huge, rounded) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    (void)madvise(p, rounded, MADV_HUGEPAGE);   /* a hint: an error changes nothing */
#endif
    memset(p, 0, rounded);          /* the first writes: now they can take 2 MiB pages */
    return p;
}

int par_for(size_t threads, size_t n, par_fn fn, void *ctx)
{
    struct par_job job = { .fn = fn, .ctx = ctx, .n = n };
    struct par_worker w[256];
    pthread_t tid[256];
    size_t started = 0;
    atomic_init(&job.next, 0);
    atomic_init(&job.failed, 0);
    if (threads > n)
        threads = n;
    if (threads > 256)
        threads = 256;
    if (threads < 1)
        threads = 1;
    for (size_t t = 0; t < threads; t++)
        w[t] = (struct par_worker){ &job, t };
    for (size_t t = 1; t < threads; t++) {
        if (pthread_create(&tid[t], NULL, par_run, &w[t]) != 0) {
            atomic_store(&job.failed, 1);
            break;
        }
        started = t;
    }
    par_run(&w[0]);
    for (size_t t = 1; t <= started; t++)
        pthread_join(tid[t], NULL);
    return atomic_load(&job.failed) ? -1 : 0;
}

int threads_parse(const char *arg, size_t *out)
{
    long v;
    if (!arg || parse_long(arg, &v) < 0 || v < 1 || v > 256)
        return -1;
    *out = (size_t)v;
    return 0;
}

size_t threads_default(void)
{
    size_t t;
    return threads_parse(getenv("PSYFAITH_THREADS"), &t) == 0 ? t : 2;
}
