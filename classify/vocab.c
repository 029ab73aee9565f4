/* classify/vocab.c -- an interning hash table for terms: open addressing, linear probing.
 * Ids are dense and in insertion order, so nothing downstream depends on the hash function. */
#include <stdlib.h>
#include <string.h>

#include "classify/classify_int.h"
#include "util.h"

/* A multiply-xorshift hash over 8-byte words with the splitmix64 finaliser.  Fixed (no seed):
 * terms come from the user's own data, and the results never depend on it. */
uint64_t classify_vocab_hash(const char *s, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15u ^ (len * 0xFF51AFD7ED558CCDu), k;
    while (len >= 8) {
        memcpy(&k, s, 8);
        h = (h ^ k) * 0xBF58476D1CE4E5B9u;
        h ^= h >> 31;
        s += 8;
        len -= 8;
    }
    if (len) {
        k = 0;
        memcpy(&k, s, len);
        h = (h ^ k) * 0xBF58476D1CE4E5B9u;
    }
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9u;
    h ^= h >> 27;
    h *= 0x94D049BB133111EBu;
    h ^= h >> 31;
    return h;
}

uint64_t classify_term_hash(const char *s, size_t len)
{
    const char *sp = memchr(s, ' ', len);
    if (!sp)
        return classify_vocab_hash(s, len);
    size_t a = (size_t)(sp - s);
    return classify_hash_pair(classify_vocab_hash(s, a), classify_vocab_hash(sp + 1, len - a - 1));
}

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

long classify_vocab_find(const struct vocab *v, const char *s, uint32_t len, uint64_t h)
{
    if (!v->mask)
        return -1;
    for (size_t i = h & v->mask;; i = (i + 1) & v->mask) {
        const struct vocab_slot *sl = &v->slot[i];
        if (!sl->id)
            return -1;
        if (sl->hash == h && sl->len == len && same_bytes(v->pool + v->off[sl->id - 1], s, len))
            return (long)sl->id - 1;
    }
}

static int rehash(struct vocab *v)
{
    size_t slots = v->mask ? 2 * (v->mask + 1) : 1024;
    struct vocab_slot *slot = calloc_huge(slots, sizeof *slot);    /* probed at random */
    if (!slot)
        return -1;
    for (size_t j = 0; v->mask && j <= v->mask; j++) {
        if (!v->slot[j].id)
            continue;
        size_t i = v->slot[j].hash & (slots - 1);
        while (slot[i].id)
            i = (i + 1) & (slots - 1);
        slot[i] = v->slot[j];
    }
    free(v->slot);
    v->slot = slot;
    v->mask = slots - 1;
    return 0;
}

int classify_vocab_intern(struct vocab *v, const char *s, uint32_t len, uint64_t h, uint32_t *id,
                          int *added)
{
    size_t i;
    *added = 0;
    if (v->mask) {
        for (i = h & v->mask; v->slot[i].id; i = (i + 1) & v->mask) {
            const struct vocab_slot *sl = &v->slot[i];
            if (sl->hash == h && sl->len == len &&
                same_bytes(v->pool + v->off[sl->id - 1], s, len)) {
                *id = sl->id - 1;
                return 0;
            }
        }
    }
    if (v->n >= UINT32_MAX - 1)
        return -1;
    if (v->n == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 1024;
        size_t *off = realloc(v->off, cap * sizeof *off);
        if (!off)
            return -1;
        v->off = off;
        uint32_t *l = realloc(v->len, cap * sizeof *l);
        if (!l)
            return -1;
        v->len = l;
        v->cap = cap;
    }
    if (v->pool_len + len + 1 > v->pool_cap) {
        size_t cap = v->pool_cap ? 2 * v->pool_cap : 16384;
        while (cap < v->pool_len + len + 1)
            cap *= 2;
        char *p = realloc(v->pool, cap);
        if (!p)
            return -1;
        v->pool = p;
        v->pool_cap = cap;
    }
    /* Keep the load at most 1/2. */
    if (2 * (v->n + 1) > (v->mask ? v->mask + 1 : 0) && rehash(v) < 0)
        return -1;
    memcpy(v->pool + v->pool_len, s, len);
    v->pool[v->pool_len + len] = '\0';
    v->off[v->n] = v->pool_len;
    v->len[v->n] = len;
    v->pool_len += len + 1;
    for (i = h & v->mask; v->slot[i].id; i = (i + 1) & v->mask)
        ;
    v->slot[i] = (struct vocab_slot){ h, (uint32_t)v->n + 1, len };
    *id = (uint32_t)v->n++;
    *added = 1;
    return 0;
}

int classify_vocab_append(struct vocab *v, const char *s, uint32_t len)
{
    if (v->n >= UINT32_MAX - 1)
        return -1;
    if (v->n == v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 4096;
        size_t *off = realloc(v->off, cap * sizeof *off);
        if (!off)
            return -1;
        v->off = off;
        uint32_t *l = realloc(v->len, cap * sizeof *l);
        if (!l)
            return -1;
        v->len = l;
        v->cap = cap;
    }
    if (v->pool_len + len + 1 > v->pool_cap) {
        size_t cap = v->pool_cap ? 2 * v->pool_cap : 65536;
        while (cap < v->pool_len + len + 1)
            cap *= 2;
        char *p = realloc(v->pool, cap);
        if (!p)
            return -1;
        v->pool = p;
        v->pool_cap = cap;
    }
    memcpy(v->pool + v->pool_len, s, len);
    v->pool[v->pool_len + len] = '\0';
    v->off[v->n] = v->pool_len;
    v->len[v->n++] = len;
    v->pool_len += len + 1;
    return 0;
}

void classify_vocab_free(struct vocab *v)
{
    free(v->pool);
    free(v->off);
    free(v->len);
    free(v->slot);
    memset(v, 0, sizeof *v);
}
