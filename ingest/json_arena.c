/* ingest/json_arena.c -- a bump allocator behind cJSON_InitHooks (see json_arena.h) */
#include <stddef.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "ingest/json_arena.h"

#define BLOCK_SIZE ((size_t)1 << 16)
#define ALIGN 16

struct block {
    struct block *next;
    size_t used, size;
    _Alignas(ALIGN) unsigned char data[];
};

static struct block *head, *cur;

static void *arena_alloc(size_t n)
{
    n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (!cur || cur->used + n > cur->size) {
        struct block *next = cur ? cur->next : head;
        if (next && n <= next->size) {
            next->used = 0;         /* a block of an earlier record, reused */
        } else {
            size_t size = n > BLOCK_SIZE ? n : BLOCK_SIZE;
            struct block *b = malloc(sizeof *b + size);
            if (!b)
                return NULL;        /* cJSON reports a failed parse */
            b->size = size;
            b->used = 0;
            if (cur) {
                b->next = cur->next;
                cur->next = b;
            } else {
                b->next = head;
                head = b;
            }
            next = b;
        }
        cur = next;
    }
    void *p = cur->data + cur->used;
    cur->used += n;
    return p;
}

static void arena_free(void *p)
{
    (void)p;                        /* released all at once by json_arena_reset */
}

void json_arena_begin(void)
{
    cJSON_Hooks hooks = { arena_alloc, arena_free };
    cJSON_InitHooks(&hooks);
}

void json_arena_reset(void)
{
    cur = NULL;                     /* the next allocation starts again at the first block */
    if (head)
        head->used = 0;
}

void json_arena_end(void)
{
    cJSON_InitHooks(NULL);
    for (struct block *b = head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    head = cur = NULL;
}
