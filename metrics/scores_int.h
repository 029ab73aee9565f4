/* metrics/scores_int.h -- shared by metrics/scores*.c only (the public API is scores.h). */
#ifndef PSYFAITH_SCORES_INT_H
#define PSYFAITH_SCORES_INT_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "metrics/scores.h"

/* scores.c: frees a block's matrices and per-subject arrays (n_subjects of them). */
void scores_block_free(struct score_block *b, size_t n_subjects);

/* scores_responses.c */
/* Index of v in the ascending a[0..n), or n when absent. */
size_t scores_find_i64(const int64_t *a, size_t n, int64_t v);
/* Fills the blocks of s from the responses, one pass in subject order: by a scan of the table
 * unless by_index (or text scoring is off).  0; -1 after printing why; SCORES_NOT_GROUPED when
 * the scan met a subject after a later one (the rows are not subject after subject): then s holds
 * part of the responses, and the caller loads a fresh set again by_index. */
#define SCORES_NOT_GROUPED 1
int scores_load_responses(sqlite3 *db, struct score_set *s, int by_index);

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
