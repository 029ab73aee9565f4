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
/* Fills the blocks of s from the responses, one pass in subject order; 0, or -1 after printing why. */
int scores_load_responses(sqlite3 *db, struct score_set *s);

#endif
