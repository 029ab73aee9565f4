/* metrics/games_me_int.h -- shared by games_me.c and games_me_cond.c only: the runs, cells and
 * blocks of `psyfaith games milgram` (see games_me.c). */
#ifndef PSYFAITH_GAMES_ME_INT_H
#define PSYFAITH_GAMES_ME_INT_H

#include <stddef.h>
#include <sqlite3.h>

#include "metrics/games_int.h"

struct run {
    int trait;                 /* 0..4, -1 = baseline */
    int rank;                  /* 0 = min, 1..9, 10 = max; -1 = baseline */
    double final;
    long max_level, disob;
    int filtered;
    int obedient;              /* final >= max_level */
};

struct cond {                  /* the runs [lo, hi) of one condition, and its kept final levels */
    int trait, rank;
    size_t lo, hi;
    double *final;             /* owned; n_kept entries */
    size_t n_kept, obedient;   /* kept runs, and those of them that reached their max_level */
    long filtered, disob, max_level;
    double mean, sd;
};

struct block {
    char *model;
    char *condition;           /* NULL = the baseline */
    struct run *r;
    size_t n, cap;
    long unplaced;             /* record with a trait but no level, or the reverse */
    long no_trait;             /* persona that names no trait and level (not analysed) */
    struct cond *c;
    size_t nc;
};

struct ctx {
    const struct games_human *h;
    const struct games_opts *o;
    struct games_rows *out;
    sqlite3_stmt *steps;
};

/* "min", "1".."9", "max" for rank 0..10 */
void games_me_level_text(int rank, char buf[8]);
/* The key of cell c of block b for `analysis`; lvl is the buffer for the level text. */
struct games_key games_me_key(const char *analysis, const struct block *b, const struct cond *c, char lvl[8]);
/* me_obedience rows of every cell of b; when b is a condition, me_condition rows against the same
 * cell of the baseline block ref (NULL = none): games_me_cond.c.  0, or -1 after printing why. */
int games_me_obedience_rows(const struct ctx *x, const struct block *b, const struct block *ref);

#endif
