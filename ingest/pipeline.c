/* ingest/pipeline.c -- the bounded batch queue between the reading and the writing thread */
#include <stdlib.h>
#include <string.h>

#include "ingest/pipeline.h"

const char *batch_strdup(struct batch *b, const char *s, size_t n)
{
    struct arena_block *blk = b->arena_cur;
    if (!blk || blk->used + n + 1 > blk->size) {
        /* the next block of the chain, or a new one; a string larger than a block gets its own */
        struct arena_block *next = blk ? blk->next : b->arena;
        if (next && n + 1 <= next->size) {
            next->used = 0;
            blk = next;
        } else {
            size_t size = n + 1 > ARENA_BLOCK ? n + 1 : ARENA_BLOCK;
            struct arena_block *nb = malloc(sizeof *nb + size);
            if (!nb)
                return NULL;
            nb->size = size;
            nb->used = 0;
            if (blk) {              /* splice in after the current block */
                nb->next = blk->next;
                blk->next = nb;
            } else {
                nb->next = b->arena;
                b->arena = nb;
            }
            blk = nb;
        }
        b->arena_cur = blk;
    }
    char *p = blk->data + blk->used;
    memcpy(p, s, n);
    p[n] = '\0';
    blk->used += n + 1;
    return p;
}

static void batch_reset(struct batch *b)
{
    b->n = 0;
    b->arena_cur = b->arena;
    if (b->arena)
        b->arena->used = 0;
}

static void batch_free(struct batch *b)
{
    if (!b)
        return;
    for (struct arena_block *blk = b->arena, *next; blk; blk = next) {
        next = blk->next;
        free(blk);
    }
    free(b);
}

int pipeline_init(struct pipeline *p)
{
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < N_BATCHES; i++) {
        struct batch *b = calloc(1, sizeof *b);
        if (!b) {
            pipeline_destroy(p);
            return -1;
        }
        p->spare[p->spare_count++] = b;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    return 0;
}

void pipeline_destroy(struct pipeline *p)
{
    for (size_t i = 0; i < p->spare_count; i++)
        batch_free(p->spare[i]);
    for (size_t i = 0; i < p->ready_count; i++)
        batch_free(p->ready[(p->ready_head + i) % N_BATCHES]);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    memset(p, 0, sizeof *p);
}

struct batch *pipeline_take_spare(struct pipeline *p)
{
    pthread_mutex_lock(&p->mu);
    while (p->spare_count == 0)
        pthread_cond_wait(&p->cv, &p->mu);
    struct batch *b = p->spare[--p->spare_count];
    pthread_mutex_unlock(&p->mu);
    batch_reset(b);
    return b;
}

void pipeline_push(struct pipeline *p, struct batch *b)
{
    if (p->sink) {
        p->sink(p->sink_ctx, b);
        pipeline_recycle(p, b);
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->ready[(p->ready_head + p->ready_count) % N_BATCHES] = b;
    p->ready_count++;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void pipeline_finish(struct pipeline *p)
{
    pthread_mutex_lock(&p->mu);
    p->done = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

struct batch *pipeline_pop(struct pipeline *p)
{
    struct batch *b = NULL;
    pthread_mutex_lock(&p->mu);
    while (p->ready_count == 0 && !p->done)
        pthread_cond_wait(&p->cv, &p->mu);
    if (p->ready_count) {
        b = p->ready[p->ready_head];
        p->ready_head = (p->ready_head + 1) % N_BATCHES;
        p->ready_count--;
    }
    pthread_mutex_unlock(&p->mu);
    return b;
}

void pipeline_recycle(struct pipeline *p, struct batch *b)
{
    pthread_mutex_lock(&p->mu);
    p->spare[p->spare_count++] = b;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}
