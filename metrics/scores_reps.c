/* metrics/scores_reps.c -- a subject's repetition rows (see scores_int.h): when the loader has read a
 * subject, its scored answers go into each block's repetition rows, one row per repetition that has
 * one, and its repetition numbers into the instruments' sets.  Split from scores_responses.c, which
 * reads the responses and votes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/scores.h"
#include "metrics/scores_int.h"

/* A cell's place in the sparse case's order: (block, rep, column), then the order it was fed in. */
struct cell_key {
    int64_t rep;
    int32_t block, column;
    size_t pos;
};

static int cmp_cell_key(const void *pa, const void *pb)
{
    const struct cell_key *a = pa, *b = pb;
    if (a->block != b->block)
        return a->block < b->block ? -1 : 1;
    if (a->rep != b->rep)
        return a->rep < b->rep ? -1 : 1;
    if (a->column != b->column)
        return a->column < b->column ? -1 : 1;
    return (a->pos > b->pos) - (a->pos < b->pos);
}

static int cmp_inst_rep(const void *pa, const void *pb)
{
    const struct inst_rep *a = pa, *b = pb;
    if (a->instrument != b->instrument)
        return a->instrument < b->instrument ? -1 : 1;
    return (a->rep > b->rep) - (a->rep < b->rep);
}

/* Index of v in the ascending a[0..n), or n when absent. */
size_t scores_find_i64(const int64_t *a, size_t n, int64_t v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && a[lo] == v ? lo : n;
}

/* Adds the ascending distinct reps v[0..n) to set (most are usually there already). */
static int rep_set_add(struct rep_set *set, int64_t *v, size_t n)
{
    size_t miss = 0;
    for (size_t i = 0; i < n; i++)
        if (scores_find_i64(set->v, set->n, v[i]) == set->n)
            v[miss++] = v[i];          /* still ascending */
    if (!miss)
        return 0;
    if (set->n + miss > set->cap) {
        size_t cap = set->cap ? set->cap : 64;
        while (cap < set->n + miss)
            cap *= 2;
        int64_t *p = realloc(set->v, cap * sizeof *p);
        if (!p)
            return -1;
        set->v = p;
        set->cap = cap;
    }
    size_t i = set->n, j = miss, k = set->n + miss;   /* merge from the back, in place */
    while (j > 0) {
        if (i > 0 && set->v[i - 1] > v[j - 1])
            set->v[--k] = set->v[--i];
        else
            set->v[--k] = v[--j];
    }
    set->n += miss;
    return 0;
}

/* Appends T rows of NAN to block b; the index of the first. */
static int block_grow(struct score_loader *L, size_t b, size_t T, size_t *first)
{
    struct score_block *blk = &L->s->blocks[b];
    if (blk->n_rows + T > L->row_cap[b]) {
        size_t cap = L->row_cap[b] ? L->row_cap[b] : 16;
        while (cap < blk->n_rows + T)
            cap *= 2;
        int64_t *of = realloc(blk->rep_of, cap * sizeof *of);
        if (!of)
            return -1;
        blk->rep_of = of;
        double *sc = realloc(blk->rep_scores, cap * (blk->n_items ? blk->n_items : 1) * sizeof *sc);
        if (!sc)
            return -1;
        blk->rep_scores = sc;
        L->row_cap[b] = cap;
    }
    *first = blk->n_rows;
    for (size_t i = blk->n_rows * blk->n_items; i < (blk->n_rows + T) * blk->n_items; i++)
        blk->rep_scores[i] = NAN;
    blk->n_rows += T;
    return 0;
}

/* The smallest and largest rep of the subject's responses (n_reps > 0). */
void scores_rep_range(const struct score_loader *L, int64_t *lo, int64_t *hi)
{
    *lo = *hi = L->reps[0].rep;
    for (size_t i = 1; i < L->n_reps; i++) {
        if (L->reps[i].rep < *lo)
            *lo = L->reps[i].rep;
        if (L->reps[i].rep > *hi)
            *hi = L->reps[i].rep;
    }
}

/* T new rows of block b for the subject in row `row` (its rep_first and reps_seen); *first is the
 * index of the first.  A block gets one row per distinct rep it has cells of, in ascending order. */
static int open_row(struct score_loader *L, size_t row, size_t b, size_t T, size_t *first)
{
    struct score_block *blk = &L->s->blocks[b];
    if (block_grow(L, b, T, first) < 0)
        return -1;
    blk->rep_first[row] = *first;
    blk->reps_seen[row] = (int)T;
    return 0;
}

/* The subject's cells into its repetition rows.  The cells come in the order they were fed: rowid
 * order from the table scan, (rep, item, rowid) from the index.  A (block, rep, column) met twice
 * is a second answer to the same item and rep, and the first one fed fills the row -- the lowest
 * rowid, either way.
 *
 * Repetition numbers are usually dense (0..T-1 or 1..T): then n_blocks x (hi - lo + 1) buckets
 * map each (block, rep) to its row and the cells are written straight to it, last to first so the
 * first fed is written last -- linear, with no copy of the cells (a counting sort of them into
 * (block, rep) order was a cache miss a cell at 125,000 cells a subject, and qsort before it a
 * tenth of `metrics` on 5 million responses).  Where the range is too sparse for buckets, the
 * cells' keys are sorted instead. */
int scores_place_cells(struct score_loader *L, size_t row, int64_t lo, int64_t hi)
{
    struct score_set *s = L->s;
    const size_t nb = s->n_blocks;
    const uint64_t span = (uint64_t)hi - (uint64_t)lo, range = span + 1;
    if (span < 4 * (uint64_t)L->n_cells + 64 && range * nb <= 16 * (uint64_t)L->n_cells + 4096) {
        const size_t nbk = (size_t)range * nb;
        if (scores_reserve((void **)&L->bucket, &L->cap_bucket, nbk + 1, sizeof *L->bucket) < 0)
            return -1;
        size_t *at = L->bucket;         /* per (block, rep): marked, then its row + 1 */
        memset(at, 0, (nbk + 1) * sizeof *at);
        for (size_t i = 0; i < L->n_cells; i++)
            at[(size_t)L->cells[i].block * range + (size_t)(L->cells[i].rep - lo)] = 1;
        for (size_t b = 0; b < nb; b++) {
            size_t *mark = at + b * range, T = 0, first;
            for (size_t r = 0; r < range; r++)
                T += mark[r];
            if (!T)
                continue;
            if (open_row(L, row, b, T, &first) < 0)
                return -1;
            for (size_t r = 0, u = first; r < range; r++)
                if (mark[r]) {
                    s->blocks[b].rep_of[u] = lo + (int64_t)r;   /* a rep number until load_responses ends */
                    mark[r] = ++u;                              /* the row + 1 */
                }
        }
        for (size_t i = L->n_cells; i-- > 0;) {
            const struct cell *c = &L->cells[i];
            struct score_block *blk = &s->blocks[c->block];
            const size_t u = at[(size_t)c->block * range + (size_t)(c->rep - lo)] - 1;
            blk->rep_scores[u * blk->n_items + (size_t)c->column] = c->score;
        }
        return 0;
    }
    if (scores_reserve((void **)&L->keys, &L->cap_keys, L->n_cells, sizeof *L->keys) < 0)
        return -1;
    for (size_t i = 0; i < L->n_cells; i++)
        L->keys[i] = (struct cell_key){ L->cells[i].rep, L->cells[i].block, L->cells[i].column, i };
    qsort(L->keys, L->n_cells, sizeof *L->keys, cmp_cell_key);
    for (size_t i = 0; i < L->n_cells;) {
        const size_t b = (size_t)L->keys[i].block;
        struct score_block *blk = &s->blocks[b];
        size_t end = i, T = 0, first;
        for (; end < L->n_cells && (size_t)L->keys[end].block == b; end++)
            T += end == i || L->keys[end].rep != L->keys[end - 1].rep;
        if (open_row(L, row, b, T, &first) < 0)
            return -1;
        size_t u = first;
        for (size_t j = i; j < end; j++) {
            const struct cell_key *key = &L->keys[j];
            if (j > i && key->rep != key[-1].rep)
                u++;
            else if (j > i && key->column == key[-1].column)
                continue;                       /* a later answer of the same (item, rep) */
            blk->rep_of[u] = key->rep;
            blk->rep_scores[u * blk->n_items + (size_t)key->column] = L->cells[key->pos].score;
        }
        i = end;
    }
    return 0;
}

/* The distinct reps of each instrument the subject used, ascending, into the instruments' sets:
 * marks in n_instruments x (hi - lo + 1) buckets when the range is dense (see above), else qsort. */
int scores_add_distinct_reps(struct score_loader *L, int64_t lo, int64_t hi)
{
    const size_t ni = L->s->n_instruments;
    const uint64_t span = (uint64_t)hi - (uint64_t)lo, range = span + 1;
    if (span < 4 * (uint64_t)L->n_reps + 64 && range * ni <= 16 * (uint64_t)L->n_reps + 4096) {
        const size_t nbk = (size_t)range * ni;
        if (scores_reserve((void **)&L->bucket, &L->cap_bucket, nbk + 1, sizeof *L->bucket) < 0)
            return -1;
        memset(L->bucket, 0, (nbk + 1) * sizeof *L->bucket);
        for (size_t i = 0; i < L->n_reps; i++)
            L->bucket[L->reps[i].instrument * range + (size_t)(L->reps[i].rep - lo)] = 1;
        for (size_t inst = 0; inst < ni; inst++) {
            size_t n = 0;
            for (size_t r = 0; r < range; r++)
                if (L->bucket[inst * range + r])
                    L->distinct[n++] = lo + (int64_t)r;
            if (n && rep_set_add(&L->sets[inst], L->distinct, n) < 0)
                return -1;
        }
        return 0;
    }
    qsort(L->reps, L->n_reps, sizeof *L->reps, cmp_inst_rep);
    for (size_t i = 0; i < L->n_reps;) {
        const size_t inst = L->reps[i].instrument;
        size_t n = 0, end = i;
        int64_t *v = L->distinct;
        for (; end < L->n_reps && L->reps[end].instrument == inst; end++)
            if (end == i || L->reps[end].rep != L->reps[end - 1].rep)
                v[n++] = L->reps[end].rep;
        if (rep_set_add(&L->sets[inst], v, n) < 0)
            return -1;
        i = end;
    }
    return 0;
}
