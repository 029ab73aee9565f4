/* metrics/scores_int.h -- shared by metrics/scores*.c only (the public API is scores.h). */
#ifndef PSYFAITH_SCORES_INT_H
#define PSYFAITH_SCORES_INT_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "metrics/scores.h"

/* scores.c: frees a block's matrices and per-subject arrays (n_subjects of them). */
void scores_block_free(struct score_block *b, size_t n_subjects);

/* scores_responses.c: fills the blocks of s from the responses, one pass in subject order: by a scan
 * of the table unless by_index (or text scoring is off).  0; -1 after printing why;
 * SCORES_NOT_GROUPED when the scan met a subject after a later one (the rows are not subject after
 * subject): then s holds part of the responses, and the caller loads a fresh set again by_index. */
#define SCORES_NOT_GROUPED 1
int scores_load_responses(sqlite3 *db, struct score_set *s, int by_index);

/* The loader's state (scores_responses.c reads and votes, scores_reps.c makes the repetition rows). */
struct cell_key;                /* scores_reps.c's */
/* A scored ok answer of the current subject, in the order fed; scores_place_cells() keeps the first
 * of an (item, rep) that has several. */
struct cell {
    int64_t rep;
    int32_t block, column;
    double score;
};

/* A repetition number the current subject used in an instrument (any status). */
struct inst_rep {
    int64_t rep;
    size_t instrument;
};

/* The distinct repetition numbers of one instrument so far, ascending. */
struct rep_set {
    int64_t *v;
    size_t n, cap;
};

/* What scores_load_responses keeps while it reads: the whole-store part is per block or per
 * instrument, the rest holds one subject's responses and is emptied by subject_done(). */
struct score_loader {
    struct score_set *s;
    uint32_t **cnt;             /* per block: n_items x (k + 1) option counts of the subject */
    double **ev_sum;            /* SCORING_EV, per block: n_items sums of the subject's keyed EVs */
    uint32_t **ev_n;            /* and their counts */
    unsigned char *touched;     /* per block: the subject has a response in it */
    size_t *row_cap;            /* per block: rows allocated in rep_of / rep_scores */
    struct rep_set *sets;       /* per instrument */
    struct cell *cells;
    size_t n_cells, cap_cells;
    struct inst_rep *reps;
    int64_t *distinct;          /* cap_distinct: the distinct reps of one instrument of the subject */
    size_t n_reps, cap_reps, cap_distinct;
    struct cell_key *keys;      /* cap_keys: the cells' sort keys where the reps are sparse */
    size_t *bucket;             /* cap_bucket: the (block, rep) rows of the cells, or the marks of the distinct reps */
    size_t cap_keys, cap_bucket;
};

/* scores_reps.c: the smallest and largest rep of the subject's responses (n_reps > 0); the subject's
 * cells into its blocks' repetition rows; its repetition numbers into the instruments' sets.  0, or
 * -1 when out of memory. */
void scores_rep_range(const struct score_loader *L, int64_t *lo, int64_t *hi);
/* Index of v in the ascending a[0..n), or n when absent. */
size_t scores_find_i64(const int64_t *a, size_t n, int64_t v);
int scores_place_cells(struct score_loader *L, size_t row, int64_t lo, int64_t hi);
int scores_add_distinct_reps(struct score_loader *L, int64_t lo, int64_t hi);

/* scores_scan.c: the responses by a scan of the table instead of the index, where the subjects come
 * one after another.  A response, in rowid order: */
struct scan_row {
    int64_t iid, rep;
    int32_t status;       /* enum scan_status */
    int32_t option;       /* 0 for NULL */
};
enum scan_status { SCAN_OK, SCAN_REFUSAL, SCAN_UNPARSED, SCAN_OTHER };
/* Makes *p (capacity *cap elements) hold at least n elements of size bytes, contents not kept
 * beyond the old capacity; -1 when out of memory.  The loaders' growing scratch buffers. */
int scores_reserve(void **p, size_t *cap, size_t n, size_t size);
/* enum scan_status of a response's status text (NULL: SCAN_OTHER, counted as ambiguous). */
int scores_status_code(const char *status);
/* Text scoring's pass by a table scan: each row, in rowid order, to fn (which returns -1 when out of
 * memory); *order_some set as the index pass sets it.  0; -1 after printing why; SCORES_NOT_GROUPED,
 * having stopped, when a subject id falls in rowid order (the rows before were given to fn). */
int scores_scan_responses(sqlite3 *db, int (*fn)(void *ctx, int64_t sid, const struct scan_row *r), void *ctx,
                          int *order_some);

#endif
