/* metrics/scores.c -- the store's responses as per-subject item-score matrices (see scores.h) */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/scores.h"
#include "store/store.h"

const char *const dimension_codes[N_DIMENSIONS] = { "EXT", "AGR", "CONS", "EMO", "OPEN" };

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void block_free(struct score_block *b, size_t n_subjects)
{
    free(b->item_ids);
    for (size_t i = 0; i < b->n_items && b->item_codes; i++)
        free(b->item_codes[i]);
    free(b->item_codes);
    free(b->keys);
    gsl_matrix_free(b->voted);
    for (size_t r = 0; r < b->n_reps && b->rep; r++)
        gsl_matrix_free(b->rep[r]);
    free(b->rep);
    free(b->answered);
    free(b->reps_seen);
    free(b->refusals);
    free(b->unparsed);
    free(b->ambiguous);
    for (size_t s = 0; s < n_subjects && b->option_counts; s++)
        free(b->option_counts[s]);
    free(b->option_counts);
    free(b->agree_pos);
    free(b->agree_neg);
    free(b->n_pos);
    free(b->n_neg);
}

void score_set_free(struct score_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_subjects; i++) {
        free(s->subjects[i].model);
        free(s->subjects[i].persona);
        free(s->subjects[i].persona_trait);
    }
    free(s->subjects);
    for (size_t i = 0; i < s->n_instruments; i++)
        free(s->instruments[i].name);
    free(s->instruments);
    for (size_t b = 0; b < s->n_blocks; b++)
        block_free(&s->blocks[b], s->n_subjects);
    free(s->blocks);
    free(s);
}

static gsl_matrix *nan_matrix(size_t rows, size_t cols)
{
    gsl_matrix *m = gsl_matrix_alloc(rows ? rows : 1, cols ? cols : 1);
    if (m)
        gsl_matrix_set_all(m, NAN);
    return m;
}

static int load_subjects(sqlite3 *db, struct score_set *s, const char *only)
{
    sqlite3_stmt *st = store_prepare(db,
        "SELECT s.id, s.model, s.temperature, s.persona, s.persona_trait, s.persona_level FROM subject s "
        "WHERE EXISTS (SELECT 1 FROM response r JOIN item i ON i.id = r.item_id JOIN instrument n "
        "ON n.id = i.instrument_id WHERE r.subject_id = s.id AND (?1 IS NULL OR n.name = ?1)) ORDER BY s.id");
    size_t cap = 0;
    int rc;
    if (!st)
        return -1;
    if (only)
        sqlite3_bind_text(st, 1, only, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (s->n_subjects == cap) {
            cap = cap ? cap * 2 : 64;
            struct subject *p = realloc(s->subjects, cap * sizeof *p);
            if (!p)
                goto oom;
            s->subjects = p;
        }
        struct subject *sub = &s->subjects[s->n_subjects];
        memset(sub, 0, sizeof *sub);
        s->n_subjects++;
        sub->id = sqlite3_column_int64(st, 0);
        sub->has_temperature = sqlite3_column_type(st, 2) != SQLITE_NULL;
        sub->temperature = sqlite3_column_double(st, 2);
        sub->has_level = sqlite3_column_type(st, 5) != SQLITE_NULL;
        sub->persona_level = sqlite3_column_double(st, 5);
        if (!(sub->model = strdup(store_col_text(st, 1))))
            goto oom;
        sub->persona = dup_or_null(store_col_text(st, 3));
        sub->persona_trait = dup_or_null(store_col_text(st, 4));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : diag_error("store: %s", sqlite3_errmsg(db));
oom:
    sqlite3_finalize(st);
    return diag_error("out of memory");
}

static int load_blocks(sqlite3 *db, struct score_set *s, const char *only)
{
    sqlite3_stmt *inst = store_prepare(db,
        "SELECT n.id, n.name, n.n_options FROM instrument n WHERE (?1 IS NULL OR n.name = ?1) AND EXISTS "
        "(SELECT 1 FROM response r JOIN item i ON i.id = r.item_id WHERE i.instrument_id = n.id) ORDER BY n.name");
    sqlite3_stmt *items = store_prepare(db,
        "SELECT id, code, key FROM item WHERE instrument_id = ?1 AND dimension = ?2 ORDER BY position");
    int ret = -1, rc;
    if (!inst || !items)
        goto out;
    if (only)
        sqlite3_bind_text(inst, 1, only, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(inst)) == SQLITE_ROW) {
        struct score_instrument *p = realloc(s->instruments, (s->n_instruments + 1) * sizeof *p);
        if (!p)
            goto oom;
        s->instruments = p;
        struct score_instrument *in = &s->instruments[s->n_instruments++];
        in->id = sqlite3_column_int64(inst, 0);
        in->n_options = sqlite3_column_int(inst, 2);
        if (!(in->name = strdup(store_col_text(inst, 1))))
            goto oom;
        for (int d = 0; d < N_DIMENSIONS; d++) {
            struct score_block blk = { .instrument = (int)s->n_instruments - 1, .dimension = d };
            size_t cap = 0;
            sqlite3_bind_int64(items, 1, in->id);
            sqlite3_bind_text(items, 2, dimension_codes[d], -1, SQLITE_STATIC);
            while (sqlite3_step(items) == SQLITE_ROW) {
                if (blk.n_items == cap) {
                    cap = cap ? cap * 2 : 32;
                    int64_t *ids = realloc(blk.item_ids, cap * sizeof *ids);
                    if (ids)
                        blk.item_ids = ids;
                    char **codes = ids ? realloc(blk.item_codes, cap * sizeof *codes) : NULL;
                    if (codes)
                        blk.item_codes = codes;
                    int *keys = codes ? realloc(blk.keys, cap * sizeof *keys) : NULL;
                    if (!keys) {
                        sqlite3_reset(items);
                        block_free(&blk, 0);
                        goto oom;
                    }
                    blk.keys = keys;
                }
                blk.item_ids[blk.n_items] = sqlite3_column_int64(items, 0);
                blk.item_codes[blk.n_items] = strdup(store_col_text(items, 1));
                blk.keys[blk.n_items] = sqlite3_column_int(items, 2);
                blk.n_items++;
            }
            sqlite3_reset(items);
            if (!blk.n_items)
                continue;
            struct score_block *bp = realloc(s->blocks, (s->n_blocks + 1) * sizeof *bp);
            if (!bp) {
                block_free(&blk, 0);
                goto oom;
            }
            s->blocks = bp;
            s->blocks[s->n_blocks++] = blk;
        }
    }
    ret = rc == SQLITE_DONE ? 0 : diag_error("store: %s", sqlite3_errmsg(db));
    goto out;
oom:
    ret = diag_error("out of memory");
out:
    sqlite3_finalize(inst);
    sqlite3_finalize(items);
    return ret;
}

/* Per-subject arrays of every block, and the repetition matrices. */
static int alloc_blocks(struct score_set *s, const size_t *n_reps)
{
    size_t n = s->n_subjects;
    for (size_t b = 0; b < s->n_blocks; b++) {
        struct score_block *blk = &s->blocks[b];
        int k = s->instruments[blk->instrument].n_options;
        blk->n_reps = n_reps[blk->instrument];
        if (!(blk->voted = nan_matrix(n, blk->n_items)) || !(blk->rep = calloc(blk->n_reps + 1, sizeof *blk->rep)) ||
            !(blk->answered = calloc(n + 1, sizeof(int))) || !(blk->reps_seen = calloc(n + 1, sizeof(int))) ||
            !(blk->refusals = calloc(n + 1, sizeof(int))) || !(blk->unparsed = calloc(n + 1, sizeof(int))) ||
            !(blk->ambiguous = calloc(n + 1, sizeof(int))) ||
            !(blk->option_counts = calloc(n + 1, sizeof *blk->option_counts)) ||
            !(blk->agree_pos = calloc(n + 1, sizeof(int))) || !(blk->agree_neg = calloc(n + 1, sizeof(int))) ||
            !(blk->n_pos = calloc(n + 1, sizeof(int))) || !(blk->n_neg = calloc(n + 1, sizeof(int))))
            return diag_error("out of memory");
        for (size_t r = 0; r < blk->n_reps; r++)
            if (!(blk->rep[r] = nan_matrix(n, blk->n_items)))
                return diag_error("out of memory");
        for (size_t i = 0; i < n; i++)
            if (!(blk->option_counts[i] = calloc((size_t)k + 1, sizeof(size_t))))
                return diag_error("out of memory");
    }
    return 0;
}

/* The majority option; ties go to the option nearest the middle, then to the lower one. */
static int vote(const int *counts, int k)
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

static int load_responses(sqlite3 *db, struct score_set *s, const char *only)
{
    /* dense maps: subject id -> row, item id -> (block, column), rep -> index per instrument */
    int64_t max_subject = 0, max_item = 0;
    for (size_t i = 0; i < s->n_subjects; i++)
        if (s->subjects[i].id > max_subject)
            max_subject = s->subjects[i].id;
    for (size_t b = 0; b < s->n_blocks; b++)
        for (size_t j = 0; j < s->blocks[b].n_items; j++)
            if (s->blocks[b].item_ids[j] > max_item)
                max_item = s->blocks[b].item_ids[j];
    int *row_of = malloc(((size_t)max_subject + 1) * sizeof *row_of);
    struct item_slot *slot = malloc(((size_t)max_item + 1) * sizeof *slot);
    size_t *n_reps = calloc(s->n_instruments + 1, sizeof *n_reps);
    int ret = -1, rc;
    sqlite3_stmt *reps = NULL, *st = NULL;
    int counts[12];
    if (!row_of || !slot || !n_reps) {
        diag_error("out of memory");
        goto out;
    }
    for (int64_t i = 0; i <= max_subject; i++)
        row_of[i] = -1;
    for (size_t i = 0; i < s->n_subjects; i++)
        row_of[s->subjects[i].id] = (int)i;
    for (int64_t i = 0; i <= max_item; i++)
        slot[i].block = -1;
    for (size_t b = 0; b < s->n_blocks; b++)
        for (size_t j = 0; j < s->blocks[b].n_items; j++)
            slot[s->blocks[b].item_ids[j]] = (struct item_slot){ (int)b, (int)j };
    /* Repetitions are numbered by the source; they index matrices, so they are made dense. */
    if (!(reps = store_prepare(db, "SELECT DISTINCT i.instrument_id, r.rep FROM response r JOIN item i ON "
                                   "i.id = r.item_id ORDER BY 1, 2")))
        goto out;
    struct strmap_rep { int64_t inst, rep; } *rep_list = NULL;
    size_t n_rep_list = 0;
    while ((rc = sqlite3_step(reps)) == SQLITE_ROW) {
        int64_t inst = sqlite3_column_int64(reps, 0);
        for (size_t i = 0; i < s->n_instruments; i++)
            if (s->instruments[i].id == inst) {
                void *p = realloc(rep_list, (n_rep_list + 1) * sizeof *rep_list);
                if (!p) {
                    free(rep_list);
                    diag_error("out of memory");
                    goto out;
                }
                rep_list = p;
                rep_list[n_rep_list++] = (struct strmap_rep){ (int64_t)i, sqlite3_column_int64(reps, 1) };
                n_reps[i]++;
            }
    }
    if (alloc_blocks(s, n_reps) < 0) {
        free(rep_list);
        goto out;
    }
    st = store_prepare(db, "SELECT r.subject_id, r.item_id, r.rep, r.status, r.option FROM response r "
                           "JOIN item i ON i.id = r.item_id JOIN instrument n ON n.id = i.instrument_id "
                           "WHERE (?1 IS NULL OR n.name = ?1) ORDER BY r.subject_id, r.item_id, r.rep");
    if (!st) {
        free(rep_list);
        goto out;
    }
    if (only)
        sqlite3_bind_text(st, 1, only, -1, SQLITE_STATIC);
    int64_t cur_subject = -1, cur_item = -1;
    struct score_block *blk = NULL;
    int row = -1, col = -1, k = 5;
    memset(counts, 0, sizeof counts);
    for (;;) {
        rc = sqlite3_step(st);
        int64_t sid = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -2;
        int64_t iid = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : -2;
        if ((sid != cur_subject || iid != cur_item) && blk) {
            int o = vote(counts, k);      /* close the previous (subject, item) */
            if (o) {
                gsl_matrix_set(blk->voted, (size_t)row, (size_t)col, blk->keys[col] > 0 ? o : k + 1 - o);
                blk->answered[row]++;
            }
            blk = NULL;
        }
        if (rc != SQLITE_ROW)
            break;
        if (sid != cur_subject || iid != cur_item) {
            cur_subject = sid;
            cur_item = iid;
            memset(counts, 0, sizeof counts);
            if (sid > max_subject || iid > max_item || row_of[sid] < 0 || slot[iid].block < 0)
                continue;
            row = row_of[sid];
            col = slot[iid].column;
            blk = &s->blocks[slot[iid].block];
            k = s->instruments[blk->instrument].n_options;
        }
        if (!blk)
            continue;
        int64_t rep = sqlite3_column_int64(st, 2);
        const char *status = store_col_text(st, 3);
        size_t ri = 0;
        for (size_t i = 0; i < n_rep_list; i++)
            if (rep_list[i].inst == blk->instrument) {
                if (rep_list[i].rep == rep)
                    break;
                ri++;
            }
        if (strcmp(status, "ok") != 0) {
            if (strcmp(status, "refusal") == 0)
                blk->refusals[row]++;
            else if (strcmp(status, "unparsed") == 0)
                blk->unparsed[row]++;
            else
                blk->ambiguous[row]++;
            continue;
        }
        int o = sqlite3_column_int(st, 4);
        if (o < 1 || o > k || k > 11)
            continue;
        counts[o]++;
        blk->option_counts[row][o]++;
        double mid = (k + 1) / 2.0;
        if (blk->keys[col] > 0) {
            blk->n_pos[row]++;
            blk->agree_pos[row] += o > mid;
        } else {
            blk->n_neg[row]++;
            blk->agree_neg[row] += o > mid;
        }
        if (ri < blk->n_reps && isnan(gsl_matrix_get(blk->rep[ri], (size_t)row, (size_t)col)))
            gsl_matrix_set(blk->rep[ri], (size_t)row, (size_t)col, blk->keys[col] > 0 ? o : k + 1 - o);
    }
    free(rep_list);
    /* repetitions a subject took part in: any answered item in that repetition's matrix */
    for (size_t b = 0; b < s->n_blocks; b++)
        for (size_t r = 0; r < s->blocks[b].n_reps; r++)
            for (size_t i = 0; i < s->n_subjects; i++)
                for (size_t j = 0; j < s->blocks[b].n_items; j++)
                    if (!isnan(gsl_matrix_get(s->blocks[b].rep[r], i, j))) {
                        s->blocks[b].reps_seen[i]++;
                        break;
                    }
    ret = rc == SQLITE_DONE ? 0 : diag_error("store: %s", sqlite3_errmsg(db));
out:
    sqlite3_finalize(reps);
    sqlite3_finalize(st);
    free(row_of);
    free(slot);
    free(n_reps);
    return ret;
}

struct score_set *score_set_load(sqlite3 *db, const char *only)
{
    struct score_set *s = calloc(1, sizeof *s);
    if (!s) {
        diag_error("out of memory");
        return NULL;
    }
    if (load_subjects(db, s, only) < 0 || load_blocks(db, s, only) < 0 || load_responses(db, s, only) < 0) {
        score_set_free(s);
        return NULL;
    }
    return s;
}

int score_of(const struct score_block *b, size_t s, double min_share, double *sum, double *per_item,
             const char **why)
{
    double total = 0;
    size_t answered = 0;
    *sum = *per_item = NAN;
    for (size_t j = 0; j < b->n_items; j++) {
        double v = gsl_matrix_get(b->voted, s, j);
        if (!isnan(v)) {
            total += v;
            answered++;
        }
    }
    if (answered == 0) {
        if (why)
            *why = "no item answered";
        return -1;
    }
    if ((double)answered < min_share * (double)b->n_items - 1e-9) {
        if (why)
            *why = "too few items answered to prorate";
        return -1;
    }
    *per_item = total / (double)answered;
    *sum = answered == b->n_items ? total : *per_item * (double)b->n_items;
    return 0;
}
