/* metrics/scores.c -- the store's responses as per-subject item-score matrices (see scores.h): the set,
 * its subjects and blocks, and score_of() (Eq. 1); the pass over the responses that fills the
 * blocks is in scores_responses.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/scores.h"
#include "metrics/scores_int.h"
#include "store/store.h"

const char *const dimension_codes[N_DIMENSIONS] = { "EXT", "AGR", "CONS", "EMO", "OPEN" };

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

void scores_block_free(struct score_block *b, size_t n_subjects)
{
    free(b->item_ids);
    for (size_t i = 0; i < b->n_items && b->item_codes; i++)
        free(b->item_codes[i]);
    free(b->item_codes);
    free(b->keys);
    gsl_matrix_free(b->voted);
    free(b->rep_first);
    free(b->rep_of);
    free(b->rep_scores);
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
    free(b->sum_pos);
    free(b->sum_neg);
}

void score_set_free(struct score_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_subjects; i++) {
        free(s->subjects[i].model);
        free(s->subjects[i].persona);
        free(s->subjects[i].persona_trait);
        free(s->subjects[i].condition);
    }
    free(s->subjects);
    for (size_t i = 0; i < s->n_instruments; i++)
        free(s->instruments[i].name);
    free(s->instruments);
    for (size_t b = 0; b < s->n_blocks; b++)
        scores_block_free(&s->blocks[b], s->n_subjects);
    free(s->blocks);
    free(s);
}

/* by_condition: only the subjects whose condition is `condition` (NULL = the baseline). */
static int load_subjects(sqlite3 *db, struct score_set *s, const char *only, int by_condition, const char *condition)
{
    sqlite3_stmt *st = store_prepare(db,
        "SELECT s.id, s.model, s.temperature, s.persona, s.persona_trait, s.persona_level, s.condition FROM subject s "
        "WHERE EXISTS (SELECT 1 FROM response r JOIN item i ON i.id = r.item_id JOIN instrument n "
        "ON n.id = i.instrument_id WHERE r.subject_id = s.id AND (?1 IS NULL OR n.name = ?1)) "
        "AND (?2 = 0 OR s.condition IS ?3) ORDER BY s.id");
    size_t cap = 0;
    int rc;
    if (!st)
        return -1;
    if (store_bind_text(st, 1, only) < 0 || store_bind_int64(st, 2, by_condition) < 0 ||
        store_bind_text(st, 3, condition) < 0) {
        sqlite3_finalize(st);
        return -1;
    }
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
        const char *model = store_col_text(st, 1);
        if (!model || !(sub->model = strdup(model)))   /* NOT NULL: NULL is SQLITE_NOMEM */
            goto oom;
        sub->persona = dup_or_null(store_col_text(st, 3));
        sub->persona_trait = dup_or_null(store_col_text(st, 4));
        sub->condition = dup_or_null(store_col_text(st, 6));
        if ((store_col_text(st, 3) && !sub->persona) || (store_col_text(st, 4) && !sub->persona_trait) ||
            (store_col_text(st, 6) && !sub->condition))
            goto oom;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : diag_error("store: %s", sqlite3_errmsg(db));
oom:
    sqlite3_finalize(st);
    return diag_error("out of memory");
}

/* Every instrument (or only the named one) with its blocks, in name order; instruments without
 * responses are dropped later by load_responses, which sees every response once anyway (an EXISTS
 * here costs an automatic index on response(item_id): 0.9 s of a 1.7 s run on 1M responses). */
static int load_blocks(sqlite3 *db, struct score_set *s, const char *only)
{
    sqlite3_stmt *inst = store_prepare(db,
        "SELECT n.id, n.name, n.n_options FROM instrument n WHERE (?1 IS NULL OR n.name = ?1) ORDER BY n.name");
    sqlite3_stmt *items = store_prepare(db,
        "SELECT id, code, key FROM item WHERE instrument_id = ?1 AND dimension = ?2 ORDER BY position");
    int ret = -1, rc;
    if (!inst || !items)
        goto out;
    if (store_bind_text(inst, 1, only) < 0)
        goto out;
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
            int irc;
            if (store_bind_int64(items, 1, in->id) < 0 || store_bind_text(items, 2, dimension_codes[d]) < 0)
                goto out;
            while ((irc = sqlite3_step(items)) == SQLITE_ROW) {
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
                        scores_block_free(&blk, 0);
                        goto oom;
                    }
                    blk.keys = keys;
                }
                blk.item_ids[blk.n_items] = sqlite3_column_int64(items, 0);
                const char *code = store_col_text(items, 1);
                if (!code || !(blk.item_codes[blk.n_items] = strdup(code))) {
                    sqlite3_reset(items);       /* item.code is NOT NULL: NULL is SQLITE_NOMEM */
                    scores_block_free(&blk, 0);
                    goto oom;
                }
                blk.keys[blk.n_items] = sqlite3_column_int(items, 2);
                blk.n_items++;
            }
            sqlite3_reset(items);
            if (irc != SQLITE_DONE) {
                scores_block_free(&blk, 0);
                ret = store_step_done(items, irc);
                goto out;
            }
            if (!blk.n_items)
                continue;
            struct score_block *bp = realloc(s->blocks, (s->n_blocks + 1) * sizeof *bp);
            if (!bp) {
                scores_block_free(&blk, 0);
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

/* The set; the responses by a table scan first, and again through the index when the scan found
 * the rows not subject after subject (scores_load_responses: a fresh set, the part loaded is
 * dropped).  NULL after printing why. */
static struct score_set *load_set(sqlite3 *db, const char *only, int by_condition, const char *condition)
{
    for (int by_index = 0;; by_index = 1) {
        struct score_set *s = calloc(1, sizeof *s);
        int rc = -1;
        if (!s) {
            diag_error("out of memory");
            return NULL;
        }
        if (load_subjects(db, s, only, by_condition, condition) == 0 && load_blocks(db, s, only) == 0)
            rc = scores_load_responses(db, s, by_index);
        if (rc == 0)
            return s;
        score_set_free(s);
        if (rc != SCORES_NOT_GROUPED || by_index)
            return NULL;
    }
}

struct score_set *score_set_load(sqlite3 *db, const char *only)
{
    return load_set(db, only, 0, NULL);
}

struct score_set *score_set_load_condition(sqlite3 *db, const char *only, const char *condition)
{
    return load_set(db, only, 1, condition);
}

void score_conditions_free(char **conditions, size_t n)
{
    for (size_t i = 0; conditions && i < n; i++)
        free(conditions[i]);
    free(conditions);
}

int score_conditions(sqlite3 *db, const char *only, char ***conditions, size_t *n)
{
    sqlite3_stmt *st = store_prepare(db,
        "SELECT DISTINCT s.condition FROM subject s WHERE EXISTS (SELECT 1 FROM response r JOIN item i ON "
        "i.id = r.item_id JOIN instrument n ON n.id = i.instrument_id WHERE r.subject_id = s.id AND "
        "(?1 IS NULL OR n.name = ?1)) ORDER BY s.condition IS NOT NULL, s.condition");
    char **v = NULL;
    size_t len = 0;
    int rc;
    *conditions = NULL;
    *n = 0;
    if (!st || store_bind_text(st, 1, only) < 0) {
        sqlite3_finalize(st);
        return -1;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *c = store_col_text(st, 0);
        char **p = realloc(v, (len + 1) * sizeof *v);
        if (!p)
            goto oom;
        v = p;
        v[len] = NULL;
        if (c && !(v[len] = strdup(c)))
            goto oom;
        len++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        score_conditions_free(v, len);
        return diag_error("store: %s", sqlite3_errmsg(db));
    }
    if (len == 0) {                 /* an empty store: one group, the baseline, says so */
        if (!(v = calloc(1, sizeof *v)))
            return diag_error("out of memory");
        len = 1;
    }
    *conditions = v;
    *n = len;
    return 0;
oom:
    sqlite3_finalize(st);
    score_conditions_free(v, len);
    return diag_error("out of memory");
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

void score_note(const struct score_block *b, size_t s, double min_share, char *buf, size_t size)
{
    double sum, mean;
    buf[0] = '\0';
    if (score_of(b, s, min_share, &sum, &mean, NULL) < 0)
        snprintf(buf, size, "%d of %zu items answered: fewer than %.0f%% (--min-answered)", b->answered[s],
                 b->n_items, min_share * 100);
    else if ((size_t)b->answered[s] < b->n_items)
        snprintf(buf, size, "prorated: %d of %zu items answered", b->answered[s], b->n_items);
}

void score_group_note(size_t took, size_t scored, double min_share, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!took)
        snprintf(buf, size, "not measured: no response");
    else if (!scored)
        snprintf(buf, size, "no score: %zu subject%s answered fewer than %.0f%% of the items (--min-answered)",
                 took, took == 1 ? "" : "s", min_share * 100);
    else if (scored == 1)
        snprintf(buf, size, "one subject: no sd");
}

int score_took(const struct score_block *b, size_t s)
{
    return b->answered[s] || b->refusals[s] || b->unparsed[s] || b->ambiguous[s];
}

const double *score_reps(const struct score_block *b, size_t s, size_t *T)
{
    *T = b->reps_seen ? (size_t)b->reps_seen[s] : 0;
    return *T ? b->rep_scores + b->rep_first[s] * b->n_items : NULL;
}

const double *score_rep_row(const struct score_block *b, size_t s, size_t r)
{
    size_t T;
    const double *rows = score_reps(b, s, &T);
    if (!rows)
        return NULL;
    const int64_t *of = b->rep_of + b->rep_first[s];
    size_t u = scores_find_i64(of, T, (int64_t)r);
    return u < T ? rows + u * b->n_items : NULL;
}

void score_rep_means(const struct score_block *b, size_t s, double *out, size_t *n)
{
    size_t T;
    const double *rows = score_reps(b, s, &T);
    *n = 0;
    for (size_t u = 0; u < T; u++) {
        double sum = 0;
        size_t k = 0;
        for (size_t j = 0; j < b->n_items; j++)
            if (!isnan(rows[u * b->n_items + j])) {
                sum += rows[u * b->n_items + j];
                k++;
            }
        if (k)
            out[(*n)++] = sum / (double)k;
    }
}

/* ---- the scoring of later loads (--scoring) ---- */

static enum score_scoring scoring = SCORING_TEXT;

void score_set_scoring(enum score_scoring m)
{
    scoring = m;
}

enum score_scoring score_get_scoring(void)
{
    return scoring;
}

int score_scoring_parse(const char *s, enum score_scoring *out)
{
    if (strcmp(s, "text") == 0)
        *out = SCORING_TEXT;
    else if (strcmp(s, "argmax") == 0)
        *out = SCORING_ARGMAX;
    else if (strcmp(s, "ev") == 0)
        *out = SCORING_EV;
    else
        return -1;
    return 0;
}

const char *score_scoring_name(enum score_scoring m)
{
    return m == SCORING_EV ? "ev" : m == SCORING_ARGMAX ? "argmax" : "text";
}
