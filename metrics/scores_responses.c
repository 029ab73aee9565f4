/* metrics/scores_responses.c -- the one streaming pass over the store's responses that fills the
 * blocks of a score set (see scores.h): per subject x item the majority vote over the ok answers,
 * and the repetition rows that test-retest (TrC, ICC) reads (made in scores_reps.c).  The set, its
 * subjects and blocks and score_of() (Eq. 1) are in scores.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/scores.h"
#include "metrics/scores_int.h"
#include "store/store.h"

/* The responses in subject order, as (subject, item, rep, status, option, ev) under each scoring,
 * in the order of the index response_by_subject (subject, rep, item, rowid), which needs no sort:
 * ARGMAX and EV join the probabilities (its primary key) and read only the responses that have
 * them. */
static const char *const response_sql[] = {
    [SCORING_TEXT] = "SELECT subject_id, item_id, rep, status, option, NULL, "
                     "status = 'ok' AND (option_order = 'descending' OR presented IS NOT NULL) FROM response "
                     "ORDER BY subject_id, rep, item_id, id",
    [SCORING_ARGMAX] = "SELECT r.subject_id, r.item_id, r.rep, CASE WHEN p.argmax IS NOT NULL THEN 'ok' WHEN p.ev "
                       "IS NOT NULL THEN 'ambiguous' ELSE 'unparsed' END, p.argmax, NULL FROM response r JOIN "
                       "response_prob p ON p.response_id = r.id ORDER BY r.subject_id, r.rep, r.item_id, r.id",
    [SCORING_EV] = "SELECT r.subject_id, r.item_id, r.rep, CASE WHEN p.ev IS NOT NULL THEN 'ok' ELSE 'unparsed' END, "
                   "p.argmax, p.ev FROM response r JOIN response_prob p ON p.response_id = r.id "
                   "ORDER BY r.subject_id, r.rep, r.item_id, r.id",
};

static gsl_matrix *nan_matrix(size_t rows, size_t cols)
{
    gsl_matrix *m = gsl_matrix_alloc(rows ? rows : 1, cols ? cols : 1);
    if (m)
        gsl_matrix_set_all(m, NAN);
    return m;
}

/* Per-subject arrays of every block (the repetition rows grow as subjects are read). */
static int alloc_blocks(struct score_set *s)
{
    size_t n = s->n_subjects;
    for (size_t b = 0; b < s->n_blocks; b++) {
        struct score_block *blk = &s->blocks[b];
        int k = s->instruments[blk->instrument].n_options;
        if (!(blk->voted = nan_matrix(n, blk->n_items)) || !(blk->rep_first = calloc(n + 1, sizeof(size_t))) ||
            !(blk->answered = calloc(n + 1, sizeof(int))) || !(blk->reps_seen = calloc(n + 1, sizeof(int))) ||
            !(blk->refusals = calloc(n + 1, sizeof(int))) || !(blk->unparsed = calloc(n + 1, sizeof(int))) ||
            !(blk->ambiguous = calloc(n + 1, sizeof(int))) ||
            !(blk->option_counts = calloc(n + 1, sizeof *blk->option_counts)) ||
            !(blk->agree_pos = calloc(n + 1, sizeof(int))) || !(blk->agree_neg = calloc(n + 1, sizeof(int))) ||
            !(blk->n_pos = calloc(n + 1, sizeof(int))) || !(blk->n_neg = calloc(n + 1, sizeof(int))) ||
            !(blk->sum_pos = calloc(n + 1, sizeof(long))) || !(blk->sum_neg = calloc(n + 1, sizeof(long))))
            return diag_error("out of memory");
        for (size_t i = 0; i < n; i++)
            if (!(blk->option_counts[i] = calloc((size_t)k + 1, sizeof(size_t))))
                return diag_error("out of memory");
    }
    return 0;
}

/* The majority option; ties go to the option nearest the middle, then to the lower one. */
static int vote(const uint32_t *counts, int k)
{
    int best = 0;
    double mid = (k + 1) / 2.0;
    for (int o = 1; o <= k; o++) {
        if (!counts[o])
            continue;
        if (!best || counts[o] > counts[best] ||
            (counts[o] == counts[best] && fabs(o - mid) < fabs(best - mid)))
            best = o;
    }
    return best;
}

struct item_slot {
    int block;      /* -1 = not scored */
    int column;
};

/* The subject in row `row` has been read: its votes, its repetition rows and its repetition numbers
 * go into the set, and the per-subject buffers are emptied. */
static int subject_done(struct score_loader *L, size_t row)
{
    const enum score_scoring scoring = score_get_scoring();
    struct score_set *s = L->s;
    for (size_t b = 0; b < s->n_blocks; b++) {
        if (!L->touched[b])
            continue;
        struct score_block *blk = &s->blocks[b];
        const int k = s->instruments[blk->instrument].n_options;
        for (size_t col = 0; col < blk->n_items; col++) {
            uint32_t *c = L->cnt[b] + col * (size_t)(k + 1);
            int o = vote(c, k);
            if (scoring == SCORING_EV) {        /* the mean of the repetitions' expected values */
                if (L->ev_n[b][col]) {
                    gsl_matrix_set(blk->voted, row, col, L->ev_sum[b][col] / L->ev_n[b][col]);
                    blk->answered[row]++;
                }
                L->ev_sum[b][col] = 0;
                L->ev_n[b][col] = 0;
            } else if (o) {
                gsl_matrix_set(blk->voted, row, col, blk->keys[col] > 0 ? o : k + 1 - o);
                blk->answered[row]++;
            }
            memset(c, 0, (size_t)(k + 1) * sizeof *c);
        }
        L->touched[b] = 0;
    }
    int64_t lo = 0, hi = 0;
    if (L->n_reps)
        scores_rep_range(L, &lo, &hi);
    if (L->n_cells && scores_place_cells(L, row, lo, hi) < 0)
        return -1;
    L->n_cells = 0;
    if (L->cap_distinct < L->n_reps) {
        int64_t *d = realloc(L->distinct, L->cap_reps * sizeof *d);
        if (!d)
            return -1;
        L->distinct = d;
        L->cap_distinct = L->cap_reps;
    }
    if (L->n_reps && scores_add_distinct_reps(L, lo, hi) < 0)
        return -1;
    L->n_reps = 0;
    return 0;
}

/* Drops the instruments without a response (and their blocks), renumbering the rest. */
static void drop_unanswered(struct score_set *s, const struct rep_set *sets)
{
    size_t ni = 0, nb = 0;
    for (size_t b = 0; b < s->n_blocks; b++) {
        struct score_block blk = s->blocks[b];
        if (!sets[blk.instrument].n) {
            scores_block_free(&blk, s->n_subjects);
            continue;
        }
        int kept_before = 0;
        for (int i = 0; i < blk.instrument; i++)
            kept_before += sets[i].n > 0;
        blk.instrument = kept_before;
        s->blocks[nb++] = blk;
    }
    for (size_t i = 0; i < s->n_instruments; i++) {
        if (sets[i].n)
            s->instruments[ni++] = s->instruments[i];
        else
            free(s->instruments[i].name);
    }
    s->n_instruments = ni;
    s->n_blocks = nb;
}

/* Appends one element to a growing array; -1 when out of memory. */
static int grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 256;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* Where scores_load_responses is: the current subject's row in the set (-1 = none or not
 * loaded), its id, the next subject row to match. */
struct feed_pos {
    long row;
    int64_t current;
    size_t next;
};

/* One response into the loader, a subject's rows together: the body of scores_load_responses' pass,
 * whichever way it reads (the index's order: subject, rep, item, rowid; the scan's: rowid within a
 * subject).  -1 when out of memory. */
static int feed(struct score_loader *L, const struct item_slot *slot, int64_t max_item, struct feed_pos *f, int64_t sid,
                int64_t iid, int64_t rep, int status, int o, double ev)
{
    const enum score_scoring scoring = score_get_scoring();
    struct score_set *s = L->s;
    if (f->row < 0 || sid != f->current) {
        if (f->row >= 0 && subject_done(L, (size_t)f->row) < 0)
            return -1;
        f->current = sid;
        while (f->next < s->n_subjects && s->subjects[f->next].id < sid)
            f->next++;
        f->row = f->next < s->n_subjects && s->subjects[f->next].id == sid ? (long)f->next : -1;
        if (f->row < 0)
            return 0;
    }
    const size_t row = (size_t)f->row;
    if (iid < 0 || iid > max_item || slot[iid].block < 0)
        return 0;
    const size_t b = (size_t)slot[iid].block, col = (size_t)slot[iid].column;
    struct score_block *blk = &s->blocks[b];
    const int k = s->instruments[blk->instrument].n_options;
    const struct inst_rep *seen = L->n_reps ? &L->reps[L->n_reps - 1] : NULL;
    if (!seen || seen->rep != rep || seen->instrument != (size_t)blk->instrument) {    /* a set: runs once */
        if (grow((void **)&L->reps, &L->cap_reps, L->n_reps, sizeof *L->reps) < 0)
            return -1;
        L->reps[L->n_reps++] = (struct inst_rep){ rep, (size_t)blk->instrument };
    }
    L->touched[b] = 1;
    if (status != SCAN_OK) {
        if (status == SCAN_REFUSAL)
            blk->refusals[row]++;
        else if (status == SCAN_UNPARSED)
            blk->unparsed[row]++;
        else
            blk->ambiguous[row]++;
        return 0;
    }
    double score;
    if (k > 11)
        return 0;
    if (scoring == SCORING_EV) {
        if (!(ev >= 1 && ev <= k))
            return 0;
        score = blk->keys[col] > 0 ? ev : k + 1 - ev;
        L->ev_sum[b][col] += score;
        L->ev_n[b][col]++;
        if (o < 1 || o > k)
            o = 0;              /* a tie: no option for the option-level statistics */
    } else {
        if (o < 1 || o > k)
            return 0;
        score = blk->keys[col] > 0 ? o : k + 1 - o;
    }
    double mid = (k + 1) / 2.0;
    if (o) {                    /* an EV without an argmax option scores, but counts in no option statistic */
        L->cnt[b][col * (size_t)(k + 1) + (size_t)o]++;
        blk->option_counts[row][o]++;
        if (blk->keys[col] > 0) {
            blk->n_pos[row]++;
            blk->sum_pos[row] += o;
            blk->agree_pos[row] += o > mid;
        } else {
            blk->n_neg[row]++;
            blk->sum_neg[row] += o;
            blk->agree_neg[row] += o > mid;
        }
    }
    const struct cell *last = L->n_cells ? &L->cells[L->n_cells - 1] : NULL;
    if (last && (size_t)last->block == b && (size_t)last->column == col && last->rep == rep)
        return 0;               /* a later answer of the same (item, rep) right after it: only votes */
    if (grow((void **)&L->cells, &L->cap_cells, L->n_cells, sizeof *L->cells) < 0)
        return -1;
    L->cells[L->n_cells++] = (struct cell){ rep, (int32_t)b, (int32_t)col, score };
    return 0;
}

/* scores_scan_responses' callback: one row into the loader */
struct feed_ctx {
    struct score_loader *L;
    const struct item_slot *slot;
    int64_t max_item;
    struct feed_pos *f;
};

static int feed_scan(void *ctx, int64_t sid, const struct scan_row *r)
{
    struct feed_ctx *c = ctx;
    return feed(c->L, c->slot, c->max_item, c->f, sid, r->iid, r->rep, r->status, r->option, 0.0);
}

/* One pass over the responses in subject order (a scan of the table in rowid order when the subjects
 * come one after another, else the index response_by_subject: subject, rep, item, then rowid), one
 * subject at a time: memory grows with the subjects x items of the votes and with the repetition
 * rows actually answered, never with subjects x repetitions x items.  In an (item, rep) the first
 * ok answer by rowid fills the repetition row, whichever the order (place_cells); every ok answer
 * counts towards the vote. */
int scores_load_responses(sqlite3 *db, struct score_set *s, int by_index)
{
    const enum score_scoring scoring = score_get_scoring();
    int64_t max_item = 0;
    for (size_t b = 0; b < s->n_blocks; b++)
        for (size_t j = 0; j < s->blocks[b].n_items; j++)
            if (s->blocks[b].item_ids[j] > max_item)
                max_item = s->blocks[b].item_ids[j];
    const size_t ni0 = s->n_instruments, nb0 = s->n_blocks;
    struct item_slot *slot = malloc(((size_t)max_item + 1) * sizeof *slot);
    struct score_loader L = { .s = s };
    L.cnt = calloc(nb0 + 1, sizeof *L.cnt);
    L.touched = calloc(nb0 + 1, 1);
    L.row_cap = calloc(nb0 + 1, sizeof *L.row_cap);
    L.sets = calloc(ni0 + 1, sizeof *L.sets);
    L.ev_sum = calloc(nb0 + 1, sizeof *L.ev_sum);
    L.ev_n = calloc(nb0 + 1, sizeof *L.ev_n);
    int ret = -1, rc;
    sqlite3_stmt *st = NULL;
    if (!slot || !L.cnt || !L.touched || !L.row_cap || !L.sets || !L.ev_sum || !L.ev_n)
        goto oom;
    for (int64_t i = 0; i <= max_item; i++)
        slot[i].block = -1;
    for (size_t b = 0; b < nb0; b++) {
        size_t k = (size_t)s->instruments[s->blocks[b].instrument].n_options;
        if (!(L.cnt[b] = calloc(s->blocks[b].n_items * (k + 1) + 1, sizeof **L.cnt)) ||
            !(L.ev_sum[b] = calloc(s->blocks[b].n_items + 1, sizeof **L.ev_sum)) ||
            !(L.ev_n[b] = calloc(s->blocks[b].n_items + 1, sizeof **L.ev_n)))
            goto oom;
        for (size_t j = 0; j < s->blocks[b].n_items; j++)
            slot[s->blocks[b].item_ids[j]] = (struct item_slot){ (int)b, (int)j };
    }
    if (alloc_blocks(s) < 0)
        goto out;
    /* PSYFAITH_INDEX_SCAN=1 forces the index pass (tests/cli/metrics_scan.sh compares the two) */
    const char *force = getenv("PSYFAITH_INDEX_SCAN");
    int order_some = 0, scan = scoring == SCORING_TEXT && !by_index && !(force && *force == '1');
    struct feed_pos f = { -1, 0, 0 };
    if (scan) {
        struct feed_ctx fc = { &L, slot, max_item, &f };
        if ((rc = scores_scan_responses(db, feed_scan, &fc, &order_some)) != 0) {
            ret = rc;                   /* -1, or SCORES_NOT_GROUPED: the caller reads by the index */
            goto out;
        }
        rc = SQLITE_DONE;
    } else {
        if (!(st = store_prepare(db, response_sql[scoring])))
            goto out;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (scoring == SCORING_TEXT && !order_some)     /* every response, as faith_order_load's EXISTS */
                order_some = sqlite3_column_int(st, 6);
            if (feed(&L, slot, max_item, &f, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                     sqlite3_column_int64(st, 2), scores_status_code(store_col_text(st, 3)), sqlite3_column_int(st, 4),
                     sqlite3_column_double(st, 5)) < 0)
                goto oom;
        }
    }
    if (rc != SQLITE_DONE) {
        diag_error("store: %s", sqlite3_errmsg(db));
        goto out;
    }
    if (f.row >= 0 && subject_done(&L, (size_t)f.row) < 0)
        goto oom;
    if (scoring == SCORING_TEXT)
        s->order_seen = order_some ? SCORE_ORDER_SOME : SCORE_ORDER_NONE;
    /* repetition numbers -> their index among the instrument's distinct repetitions */
    for (size_t b = 0; b < nb0; b++) {
        struct score_block *blk = &s->blocks[b];
        const struct rep_set *set = &L.sets[blk->instrument];
        blk->n_reps = set->n;
        for (size_t u = 0; u < blk->n_rows; u++)
            blk->rep_of[u] = (int64_t)scores_find_i64(set->v, set->n, blk->rep_of[u]);
    }
    drop_unanswered(s, L.sets);
    ret = 0;
    goto out;
oom:
    ret = diag_error("out of memory");
out:
    sqlite3_finalize(st);
    for (size_t b = 0; L.cnt && b < nb0; b++)
        free(L.cnt[b]);
    for (size_t b = 0; L.ev_sum && L.ev_n && b < nb0; b++) {
        free(L.ev_sum[b]);
        free(L.ev_n[b]);
    }
    free(L.ev_sum);
    free(L.ev_n);
    for (size_t i = 0; L.sets && i < ni0; i++)
        free(L.sets[i].v);
    free(L.cnt);
    free(L.touched);
    free(L.row_cap);
    free(L.sets);
    free(L.cells);
    free(L.reps);
    free(L.distinct);
    free(L.keys);
    free(L.bucket);
    free(slot);
    return ret;
}
