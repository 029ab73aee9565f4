/* ingest/pipeline.h -- validated rows handed from the reading thread to the writing thread.
 *
 * Ingest runs on two threads, one per core of the machines it is built for: the reader parses,
 * maps and validates records into batches of pending rows (record.c); the writer turns them into
 * SQLite inserts (writer.c).  Batches travel through a small bounded queue, so memory stays flat
 * whatever the file size, and the strings of a batch live in its own arena.
 *
 * Ownership: the pipeline owns its N_BATCHES batches from pipeline_init() to pipeline_destroy();
 * a batch is lent to one thread at a time: to the reader between take_spare and push, to the
 * writer between pop and recycle.  Recycling resets the batch's arena, so a pending row and its
 * strings are valid only until the writer recycles that batch.  The queue (ready, spare, their
 * counts, done) is guarded by `mu`; sink is set only while no reading thread is busy. */
#ifndef PSYFAITH_PIPELINE_H
#define PSYFAITH_PIPELINE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* P_SUBJECT only makes sure the subject exists (a wide-table respondent who answered nothing). */
enum pending_type { P_RESPONSE, P_BEHAVIOR, P_LABELED, P_ULTIMATUM, P_MILGRAM, P_STEP, P_THRESHOLD, P_OFFER, P_REJECT,
                    P_SUBJECT };

/* One row to store.  Strings point into the batch's arena (or are static). */
struct pending {
    enum pending_type type;
    long line;
    /* subject and common fields */
    const char *model, *persona, *condition, *run;   /* condition NULL = baseline, never "" */
    size_t run_len;             /* strlen(run), set by emit() for the writer's bind */
    int persona_generated;      /* the persona is a wide table's row name, not the data's */
    int has_temp;
    double temp;
    long rep;
    /* response */
    int64_t item;
    const char *answer;
    size_t answer_len;
    int option, status, descending;
    const char *tmpl, *language, *variant;   /* design factors; NULL = not given (never "") */
    char presented[36];         /* "3,1,2,5,4": a permutation option_order cannot say; "" = none */
    const char *probs;          /* a struct prob_row blob (ingest/probs.h), or NULL: no probabilities */
    /* behaviours */
    const char *dimension, *occasion, *text;
    int label;
    /* games */
    const char *trait, *level_text;
    const char *outcome;       /* milgram: the record's own outcome text, or NULL */
    long level, final_level, max_level, disobediences, step;
    double offer, total;
    int decision, filtered, disobeyed;
    const char *game;           /* P_OFFER: "ultimatum" or "dictator" (static) */
    int has_amount;             /* P_THRESHOLD, P_OFFER: `offer` holds the amount (status ok) */
    /* reject */
    const char *field, *reason;
};

#define BATCH_ROWS 4096
#define N_BATCHES 4
#define ARENA_BLOCK ((size_t)1 << 18)

struct arena_block {
    struct arena_block *next;
    size_t used, size;
    char data[];
};

struct batch {
    struct pending rows[BATCH_ROWS];
    size_t n;
    struct arena_block *arena, *arena_cur;
};

/* A copy of s[0..n) (NUL-terminated) in the batch's arena; NULL when out of memory. */
const char *batch_strdup(struct batch *b, const char *s, size_t n);

struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct batch *ready[N_BATCHES], *spare[N_BATCHES];
    size_t ready_head, ready_count, spare_count;
    int done;
    /* When set, pipeline_push() hands the batch to sink() on the calling thread and recycles it:
     * one thread reads and writes (a small file, where a second thread only adds hand-overs). */
    void (*sink)(void *ctx, struct batch *b);
    void *sink_ctx;
};

int pipeline_init(struct pipeline *p);                 /* 0, or -1 out of memory */
void pipeline_destroy(struct pipeline *p);
struct batch *pipeline_take_spare(struct pipeline *p); /* reader: an empty batch (waits) */
void pipeline_push(struct pipeline *p, struct batch *b);   /* reader: hand a full batch over */
void pipeline_finish(struct pipeline *p);              /* reader: no more batches */
struct batch *pipeline_pop(struct pipeline *p);        /* writer: next batch, NULL when finished */
void pipeline_recycle(struct pipeline *p, struct batch *b);  /* writer: the batch is written */

#endif
