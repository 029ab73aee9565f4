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
    if (store_bind_text(st, 1, only) < 0) {
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
                        block_free(&blk, 0);
                        goto oom;
                    }
                    blk.keys = keys;
                }
                blk.item_ids[blk.n_items] = sqlite3_column_int64(items, 0);
                const char *code = store_col_text(items, 1);
                if (!code || !(blk.item_codes[blk.n_items] = strdup(code))) {
                    sqlite3_reset(items);       /* item.code is NOT NULL: NULL is SQLITE_NOMEM */
                    block_free(&blk, 0);
                    goto oom;
                }
                blk.keys[blk.n_items] = sqlite3_column_int(items, 2);
                blk.n_items++;
            }
            sqlite3_reset(items);
            if (irc != SQLITE_DONE) {
                block_free(&blk, 0);
                ret = store_step_done(items, irc);
                goto out;
            }
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

/* One response between the scan of the table and the matrices. */
struct raw_response {
    int64_t rep;
    int32_t row, block, column;     /* subject row, block, item column */
    unsigned char status;           /* RAW_OK ... RAW_OTHER */
    unsigned char option;           /* 1..11; 0 = none or out of every scale's range */
};
enum { RAW_OK, RAW_REFUSAL, RAW_UNPARSED, RAW_OTHER };

/* Dense indices of the repetitions of one instrument: repetitions are numbered by the source and
 * index matrices, so the k-th smallest distinct rep becomes k.  A direct table over the range of
 * reps when it is not much larger than the number of responses, else a sorted list. */
struct rep_map {
    int64_t lo, hi;
    size_t responses, n;    /* n = distinct reps */
    int32_t *dense;         /* rep - lo -> index, -1 = unused */
    int64_t *sorted;        /* the distinct reps, ascending */
};

static int cmp_i64(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return a < b ? -1 : a > b;
}

/* The maps of all ni instruments from the responses (their blocks in the numbering of raw). */
static int rep_maps_build(struct rep_map *maps, size_t ni, const struct raw_response *raw, size_t n_raw,
                          const struct score_set *s)
{
    for (size_t i = 0; i < ni; i++) {
        struct rep_map *m = &maps[i];
        if (!m->responses)
            continue;
        uint64_t span = (uint64_t)m->hi - (uint64_t)m->lo;
        if (span < 4 * (uint64_t)m->responses + 65536) {
            if (!(m->dense = malloc((size_t)(span + 1) * sizeof *m->dense)))
                return -1;
            for (uint64_t j = 0; j <= span; j++)
                m->dense[j] = -1;
        } else if (!(m->sorted = malloc(m->responses * sizeof *m->sorted)))
            return -1;
    }
    for (size_t i = 0; i < n_raw; i++) {
        struct rep_map *m = &maps[s->blocks[raw[i].block].instrument];
        if (m->dense)
            m->dense[raw[i].rep - m->lo] = 0;
        else
            m->sorted[m->n++] = raw[i].rep;
    }
    for (size_t i = 0; i < ni; i++) {
        struct rep_map *m = &maps[i];
        if (m->dense) {
            for (uint64_t j = 0; j <= (uint64_t)m->hi - (uint64_t)m->lo; j++)
                if (m->dense[j] >= 0)
                    m->dense[j] = (int32_t)m->n++;
        } else if (m->sorted) {
            qsort(m->sorted, m->n, sizeof *m->sorted, cmp_i64);
            size_t u = 0;
            for (size_t j = 0; j < m->n; j++)
                if (u == 0 || m->sorted[j] != m->sorted[u - 1])
                    m->sorted[u++] = m->sorted[j];
            m->n = u;
        }
    }
    return 0;
}

static size_t rep_index(const struct rep_map *m, int64_t rep)
{
    if (m->dense)
        return (size_t)m->dense[rep - m->lo];
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->sorted[mid] < rep)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Drops the instruments without a response (and their blocks), renumbering the rest: inst_map[i]
 * and block_map[b] receive the new index of instrument i and block b (-1 = dropped). */
static void drop_unanswered(struct score_set *s, const unsigned char *seen, int *inst_map, int *block_map)
{
    size_t ni = 0, nb = 0;
    for (size_t i = 0; i < s->n_instruments; i++) {
        if (!seen[i]) {
            free(s->instruments[i].name);
            inst_map[i] = -1;
            continue;
        }
        inst_map[i] = (int)ni;
        s->instruments[ni++] = s->instruments[i];
    }
    s->n_instruments = ni;
    for (size_t b = 0; b < s->n_blocks; b++) {
        struct score_block blk = s->blocks[b];
        if (inst_map[blk.instrument] < 0) {
            block_free(&blk, 0);
            block_map[b] = -1;
            continue;
        }
        blk.instrument = inst_map[blk.instrument];
        block_map[b] = (int)nb;
        s->blocks[nb++] = blk;
    }
    s->n_blocks = nb;
}

/* One pass over the response table in rowid order (a plain scan: ordering a million rows by subject,
 * item and rep through the index costs a table lookup per row), then the matrices.  The first
 * response of a (subject, item, rep) fills the repetition matrices, as the lowest rowid came first
 * in index order too; every ok answer counts towards the vote. */
static int load_responses(sqlite3 *db, struct score_set *s)
{
    /* dense maps: subject id -> row, item id -> (block, column) */
    int64_t max_subject = 0, max_item = 0;
    for (size_t i = 0; i < s->n_subjects; i++)
        if (s->subjects[i].id > max_subject)
            max_subject = s->subjects[i].id;
    for (size_t b = 0; b < s->n_blocks; b++)
        for (size_t j = 0; j < s->blocks[b].n_items; j++)
            if (s->blocks[b].item_ids[j] > max_item)
                max_item = s->blocks[b].item_ids[j];
    const size_t ni0 = s->n_instruments, nb0 = s->n_blocks;
    int *row_of = malloc(((size_t)max_subject + 1) * sizeof *row_of);
    struct item_slot *slot = malloc(((size_t)max_item + 1) * sizeof *slot);
    size_t *n_reps = calloc(ni0 + 1, sizeof *n_reps);
    unsigned char *seen = calloc(ni0 + 1, 1);
    int *block_map = malloc((nb0 + 1) * sizeof *block_map), *inst_map = malloc((ni0 + 1) * sizeof *inst_map);
    size_t *old_of_new = malloc((ni0 + 1) * sizeof *old_of_new);   /* the rep map of each kept instrument */
    struct rep_map *maps = calloc(ni0 + 1, sizeof *maps);
    uint32_t **cnt = calloc(nb0 + 1, sizeof *cnt);
    struct raw_response *raw = NULL;
    size_t n_raw = 0, cap = 0;
    int ret = -1, rc;
    sqlite3_stmt *st = NULL;
    if (!row_of || !slot || !n_reps || !seen || !block_map || !inst_map || !old_of_new || !maps || !cnt)
        goto oom;
    for (int64_t i = 0; i <= max_subject; i++)
        row_of[i] = -1;
    for (size_t i = 0; i < s->n_subjects; i++)
        row_of[s->subjects[i].id] = (int)i;
    for (int64_t i = 0; i <= max_item; i++)
        slot[i].block = -1;
    for (size_t b = 0; b < nb0; b++)
        for (size_t j = 0; j < s->blocks[b].n_items; j++)
            slot[s->blocks[b].item_ids[j]] = (struct item_slot){ (int)b, (int)j };
    if (!(st = store_prepare(db, "SELECT subject_id, item_id, rep, status, option FROM response ORDER BY id")))
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t sid = sqlite3_column_int64(st, 0), iid = sqlite3_column_int64(st, 1);
        if (sid < 0 || iid < 0 || sid > max_subject || iid > max_item || row_of[sid] < 0 || slot[iid].block < 0)
            continue;
        if (n_raw == cap) {
            cap = cap ? cap * 2 : 65536;
            struct raw_response *p = realloc(raw, cap * sizeof *p);
            if (!p)
                goto oom;
            raw = p;
        }
        struct raw_response *r = &raw[n_raw++];
        const char *status = store_col_text(st, 3);
        int o = sqlite3_column_int(st, 4);
        r->rep = sqlite3_column_int64(st, 2);
        r->row = row_of[sid];
        r->block = slot[iid].block;
        r->column = slot[iid].column;
        r->status = !status ? RAW_OTHER : strcmp(status, "ok") == 0 ? RAW_OK : strcmp(status, "refusal") == 0
                    ? RAW_REFUSAL : strcmp(status, "unparsed") == 0 ? RAW_UNPARSED : RAW_OTHER;
        r->option = o >= 1 && o <= 11 ? (unsigned char)o : 0;
        struct rep_map *m = &maps[s->blocks[r->block].instrument];
        if (!m->responses++)
            m->lo = m->hi = r->rep;
        else if (r->rep < m->lo)
            m->lo = r->rep;
        else if (r->rep > m->hi)
            m->hi = r->rep;
    }
    if (rc != SQLITE_DONE) {
        diag_error("store: %s", sqlite3_errmsg(db));
        goto out;
    }
    if (rep_maps_build(maps, ni0, raw, n_raw, s) < 0)
        goto oom;
    /* from here on instruments and blocks have their final numbers (maps keep the old ones) */
    for (size_t i = 0, ni = 0; i < ni0; i++) {
        seen[i] = maps[i].responses > 0;
        if (seen[i]) {
            old_of_new[ni] = i;
            n_reps[ni++] = maps[i].n;
        }
    }
    drop_unanswered(s, seen, inst_map, block_map);
    for (size_t i = 0; i < n_raw; i++)
        raw[i].block = block_map[raw[i].block];
    if (alloc_blocks(s, n_reps) < 0)
        goto out;
    for (size_t b = 0; b < s->n_blocks; b++) {
        size_t k = (size_t)s->instruments[s->blocks[b].instrument].n_options;
        if (!(cnt[b] = calloc(s->n_subjects * s->blocks[b].n_items * (k + 1) + 1, sizeof **cnt)))
            goto oom;
    }
    for (size_t i = 0; i < n_raw; i++) {
        const struct raw_response *r = &raw[i];
        struct score_block *blk = &s->blocks[r->block];
        const size_t row = (size_t)r->row, col = (size_t)r->column;
        const int k = s->instruments[blk->instrument].n_options;
        if (r->status != RAW_OK) {
            if (r->status == RAW_REFUSAL)
                blk->refusals[row]++;
            else if (r->status == RAW_UNPARSED)
                blk->unparsed[row]++;
            else
                blk->ambiguous[row]++;
            continue;
        }
        int o = r->option;
        if (o < 1 || o > k || k > 11)
            continue;
        cnt[r->block][(row * blk->n_items + col) * (size_t)(k + 1) + (size_t)o]++;
        blk->option_counts[row][o]++;
        double mid = (k + 1) / 2.0;
        if (blk->keys[col] > 0) {
            blk->n_pos[row]++;
            blk->agree_pos[row] += o > mid;
        } else {
            blk->n_neg[row]++;
            blk->agree_neg[row] += o > mid;
        }
        size_t ri = rep_index(&maps[old_of_new[blk->instrument]], r->rep);
        double *cell = ri < blk->n_reps ? blk->rep[ri]->data + row * blk->rep[ri]->tda + col : NULL;
        if (cell && isnan(*cell))
            *cell = blk->keys[col] > 0 ? o : k + 1 - o;
    }
    for (size_t b = 0; b < s->n_blocks; b++) {
        struct score_block *blk = &s->blocks[b];
        const int k = s->instruments[blk->instrument].n_options;
        for (size_t row = 0; row < s->n_subjects; row++)
            for (size_t col = 0; col < blk->n_items; col++) {
                int o = vote(cnt[b] + (row * blk->n_items + col) * (size_t)(k + 1), k);
                if (o) {
                    gsl_matrix_set(blk->voted, row, col, blk->keys[col] > 0 ? o : k + 1 - o);
                    blk->answered[row]++;
                }
            }
    }
    /* repetitions a subject took part in: any answered item in that repetition's matrix */
    for (size_t b = 0; b < s->n_blocks; b++)
        for (size_t r = 0; r < s->blocks[b].n_reps; r++)
            for (size_t i = 0; i < s->n_subjects; i++)
                for (size_t j = 0; j < s->blocks[b].n_items; j++)
                    if (!isnan(gsl_matrix_get(s->blocks[b].rep[r], i, j))) {
                        s->blocks[b].reps_seen[i]++;
                        break;
                    }
    ret = 0;
    goto out;
oom:
    ret = diag_error("out of memory");
out:
    sqlite3_finalize(st);
    for (size_t i = 0; maps && i < ni0; i++) {
        free(maps[i].dense);
        free(maps[i].sorted);
    }
    for (size_t b = 0; cnt && b < nb0; b++)
        free(cnt[b]);
    free(cnt);
    free(maps);
    free(raw);
    free(block_map);
    free(inst_map);
    free(old_of_new);
    free(seen);
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
    if (load_subjects(db, s, only) < 0 || load_blocks(db, s, only) < 0 || load_responses(db, s) < 0) {
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
