/* ingest/source_hash.c -- the SHA-256 of a source's bytes on a thread of its own (source_hash.h). */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "ingest/source_hash.h"

#define SOURCE_HASH_SLOT ((size_t)1 << 20)   /* the readers' chunk (INGEST_CHUNK) */

static void *hash_main(void *arg)
{
    struct source_hash *s = arg;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (s->hashed == s->posted && !s->quit)
            pthread_cond_wait(&s->cv, &s->mu);
        if (s->hashed == s->posted)
            break;                          /* quit, and nothing is left */
        unsigned k = (unsigned)(s->hashed % 2);
        pthread_mutex_unlock(&s->mu);
        hasher_update(&s->h, s->data[k], s->len[k]);   /* ours until hashed moves */
        pthread_mutex_lock(&s->mu);
        s->hashed++;
        pthread_cond_broadcast(&s->cv);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

int source_hash_begin(struct source_hash *s, int threaded)
{
    source_hash_stop(s);
    hasher_free(&s->h);
    if (hasher_init(&s->h) < 0)
        return diag_error("out of memory");
    s->posted = s->hashed = 0;
    s->quit = 0;
    s->threaded = 0;
    if (!threaded)
        return 0;
    if (!s->sync_ready) {
        if (pthread_mutex_init(&s->mu, NULL) != 0)
            return diag_error("cannot start the hashing thread");
        if (pthread_cond_init(&s->cv, NULL) != 0) {
            pthread_mutex_destroy(&s->mu);
            return diag_error("cannot start the hashing thread");
        }
        s->sync_ready = 1;
    }
    int err = pthread_create(&s->thread, NULL, hash_main, s);
    if (err != 0)
        return diag_error("cannot start the hashing thread: %s", strerror(err));
    s->running = s->threaded = 1;
    return 0;
}

/* Posts chunk `posted` (data[0..n)), copied into its slot when `copy`; waits while two are posted
 * and not hashed.  Threaded only. */
static int post(struct source_hash *s, const char *data, size_t n, int copy)
{
    pthread_mutex_lock(&s->mu);
    while (s->posted - s->hashed == 2)          /* both places wait to be hashed */
        pthread_cond_wait(&s->cv, &s->mu);
    unsigned k = (unsigned)(s->posted % 2);
    pthread_mutex_unlock(&s->mu);
    if (copy) {                                 /* the hasher is done with slot k */
        if (!s->slot[k] && !(s->slot[k] = malloc(SOURCE_HASH_SLOT)))
            return -1;
        memcpy(s->slot[k], data, n);
        data = s->slot[k];
    }
    s->data[k] = data;
    s->len[k] = n;
    pthread_mutex_lock(&s->mu);
    s->posted++;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return 0;
}

void source_hash_update(struct source_hash *s, const void *data, size_t n)
{
    const char *p = data;
    while (s->threaded && n > 0) {
        size_t take = n < SOURCE_HASH_SLOT ? n : SOURCE_HASH_SLOT;
        if (post(s, p, take, 1) < 0)
            break;                      /* no slot: the rest is hashed here, after what was posted */
        p += take;
        n -= take;
    }
    if (n > 0) {
        source_hash_settle(s);
        hasher_update(&s->h, p, n);
    }
}

void source_hash_lend(struct source_hash *s, const void *data, size_t n)
{
    if (!s->threaded)
        hasher_update(&s->h, data, n);
    else if (n > 0)
        post(s, data, n, 0);
}

void source_hash_settle(struct source_hash *s)
{
    if (!s->threaded)
        return;
    pthread_mutex_lock(&s->mu);
    while (s->hashed != s->posted)
        pthread_cond_wait(&s->cv, &s->mu);
    pthread_mutex_unlock(&s->mu);
}

void source_hash_stop(struct source_hash *s)
{
    if (!s->running)
        return;
    pthread_mutex_lock(&s->mu);
    s->quit = 1;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    s->running = 0;
    s->threaded = 0;    /* any later update of this file is hashed inline, after what was posted */
}

void source_hash_hex(struct source_hash *s, char out[65])
{
    source_hash_stop(s);
    hasher_hex(&s->h, out);
}

void source_hash_free(struct source_hash *s)
{
    source_hash_stop(s);
    hasher_free(&s->h);
    free(s->slot[0]);
    free(s->slot[1]);
    if (s->sync_ready) {
        pthread_cond_destroy(&s->cv);
        pthread_mutex_destroy(&s->mu);
    }
    memset(s, 0, sizeof *s);
}
