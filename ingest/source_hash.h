/* ingest/source_hash.h -- the SHA-256 of a source's bytes, computed on a thread of its own.
 *
 * A source's identity is the hash of exactly the bytes the reader parsed (ingest.h, re-ingest).
 * Hashing them on the reading thread cost a tenth of its time, and the reader is the slower side
 * of a large ingest; so a large input's chunks are copied into one of two slots and hashed by a
 * third thread while the reader parses the same chunk (a 1 MiB copy is a twentieth of its hash).
 * The JSON Lines reader, the common large input, lends its chunk instead (source_hash_lend): the
 * hasher reads it in place while the reader parses it, and the reader waits for the hash
 * (source_hash_settle) before it reads the next chunk into the buffer -- a wait that is over by
 * then when the hasher has had a core, the hash of 1 MiB taking a seventh of its parse -- so no copy (2 % of the reading thread's
 * instructions at 100k lines) and no slots.
 * A small input, read and written on one thread (writer.c, read_and_write), is hashed inline.
 *
 * Ownership: the struct owns its slots (kept from file to file), its hash context and, between
 * source_hash_begin() and source_hash_stop(), its thread.  update(), lend() and settle() are called
 * by one thread at a time (the reader); begin, hex, stop and free by the thread that runs the file,
 * once the reader is done with it.  After stop(), update() and lend() hash inline. */
#ifndef PSYFAITH_SOURCE_HASH_H
#define PSYFAITH_SOURCE_HASH_H

#include <pthread.h>
#include <stddef.h>

#include "util.h"

struct source_hash {
    struct hasher h;
    char *slot[2];             /* SOURCE_HASH_SLOT bytes each, made on the first threaded update */
    const char *data[2];       /* what chunk k % 2 hashes: its slot, or the lender's buffer */
    size_t len[2];
    unsigned long posted, hashed;    /* chunk counts; chunk k is data[k % 2]; under mu */
    int threaded, running, quit;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int sync_ready;            /* mu and cv are initialised */
};

/* Starts a file's hash, on a thread of its own when `threaded`.  0, or -1 after printing why. */
int source_hash_begin(struct source_hash *s, int threaded);
/* Adds data[0..n) (any n); it may be reused as soon as this returns. */
void source_hash_update(struct source_hash *s, const void *data, size_t n);
/* Adds data[0..n) without a copy: the caller keeps it unchanged and alive until source_hash_settle()
 * (or hex, stop, free) returns. */
void source_hash_lend(struct source_hash *s, const void *data, size_t n);
/* Waits until every byte lent has been hashed. */
void source_hash_settle(struct source_hash *s);
/* Waits for every byte given to be hashed, then writes the lower-case hex digest. */
void source_hash_hex(struct source_hash *s, char out[65]);
/* Ends the thread, if any, without a digest (an abandoned file); safe to call twice. */
void source_hash_stop(struct source_hash *s);
/* Releases everything; the struct is zeroed and may be used again. */
void source_hash_free(struct source_hash *s);

#endif
