/* metrics/varcomp_load.c -- the cells of each instrument x dimension from the store, one block at a
 * time (memory: one block's cell means), fitted by varcomp_fit() and turned into tidy rows. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/scores.h"
#include "metrics/varcomp.h"
#include "store/store.h"
#include "util.h"

void varcomp_rows_free(struct varcomp_rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->rows[i].instrument);
        free(r->rows[i].note);
    }
    free(r->rows);
    memset(r, 0, sizeof *r);
}

static struct varcomp_row *add_row(struct varcomp_rows *r, const char *instrument, const char *dimension, int c)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        struct varcomp_row *p = realloc(r->rows, cap * sizeof *p);
        if (!p)
            return NULL;
        r->rows = p;
        r->cap = cap;
    }
    struct varcomp_row *w = &r->rows[r->n];
    memset(w, 0, sizeof *w);
    if (!(w->instrument = strdup(instrument)))
        return NULL;
    r->n++;
    w->dimension = dimension;
    w->component = varcomp_component_names[c];
    w->variance = w->share = NAN;
    return w;
}

/* Appends "; "-separated text to w->note; -1 when out of memory. */
static int note(struct varcomp_row *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int note(struct varcomp_row *w, const char *fmt, ...)
{
    struct strbuf sb = { 0 };
    char buf[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if ((w->note && (strbuf_addstr(&sb, w->note) < 0 || strbuf_addstr(&sb, "; ") < 0)) || strbuf_addstr(&sb, buf) < 0) {
        strbuf_free(&sb);
        return -1;
    }
    free(w->note);
    w->note = sb.buf;
    return 0;
}

/* What one block's query found besides the cells. */
struct block_info {
    long dropped;              /* cells under min_share of the items */
    int temperatures;          /* distinct subject temperatures (2 = two or more) */
    double first_temp;
    int has_first_temp, any_null_temp;
};

/* One cell per subject x design x repetition: the per-item mean of the keyed scores (each item's
 * own answers averaged first, so that an item answered twice in a cell counts once).  The answers
 * come from the index response_by_subject (subject, rep, item) by one of two plans, whichever reads
 * less (choose_plan): SEEK lists each of the condition's subjects' repetitions (`reps`, one seek each:
 * the next rep above the last) and seeks (subject, rep, item) for the block's items; WALK reads each
 * subject's entries once and keeps the block's items before any table row is read.  With few
 * repetitions a subject SEEK reads far less (25 blocks of 1M responses, 45 repetitions: 2.1 s against
 * 3.8 s); with a repetition number of its own for each response it makes a seek per response and
 * item (32,000 such responses: 5.5 s, against 0.05 s walked).  The CROSS JOINs fix the loop order;
 * left to itself SQLite scanned every response once per item of the block (189 s for 25 blocks of a
 * 300,000-response store). */
#define CELL_OUTER                                                                                                \
    "SELECT s.model, s.persona, d.template, d.language, d.variant, c.rep, avg(c.score), count(*), s.temperature " \
    "FROM (SELECT r.subject_id AS sid, r.design_id AS did, r.rep AS rep, avg(r.score) AS score "
#define CELL_GROUP                                                                                                \
    "      GROUP BY r.subject_id, r.design_id, r.rep, r.item_id) c "                                              \
    "JOIN subject s ON s.id = c.sid LEFT JOIN design d ON d.id = c.did "                                          \
    "GROUP BY c.sid, c.did, c.rep"
enum cell_plan { PLAN_SEEK, PLAN_WALK };
static const char *const cell_sql[] = {
    [PLAN_SEEK] =
        "WITH RECURSIVE reps(sid, rep) AS ("
        "  SELECT s0.id, (SELECT min(rep) FROM response WHERE subject_id = s0.id) FROM subject s0 "
        "  WHERE s0.condition IS ?3 "
        "  UNION ALL SELECT sid, (SELECT min(rep) FROM response WHERE subject_id = reps.sid AND rep > reps.rep) "
        "  FROM reps WHERE rep IS NOT NULL) " CELL_OUTER
        "      FROM reps x CROSS JOIN item i CROSS JOIN response r "
        "      WHERE x.rep IS NOT NULL AND i.instrument_id = ?1 AND i.dimension = ?2 "
        "        AND r.subject_id = x.sid AND r.rep = x.rep AND r.item_id = i.id AND r.status = 'ok' " CELL_GROUP,
    [PLAN_WALK] =
        CELL_OUTER
        "      FROM subject s0 CROSS JOIN response r "
        "      WHERE s0.condition IS ?3 AND r.subject_id = s0.id AND r.status = 'ok' "
        "        AND r.item_id IN (SELECT id FROM item WHERE instrument_id = ?1 AND dimension = ?2) " CELL_GROUP,
};

/* The plan for a block of `items` items: SEEK costs a seek per (subject, rep) and per (subject, rep,
 * item), WALK a visit per response of the condition's subjects; a seek is taken for SEEK_COST visits
 * (each plan forced on 25 blocks of 1M responses: about 1.4 us a seek, 0.13 us a visit).  pairs and entries are counted once a run by
 * count_entries(); the test hook PSYFAITH_TEST_VARCOMP_PLAN=seek|walk sets the plan. */
#define SEEK_COST 10
static enum cell_plan choose_plan(int64_t pairs, int64_t entries, long items)
{
    const char *test = getenv("PSYFAITH_TEST_VARCOMP_PLAN");
    if (test && *test)
        return strcmp(test, "walk") == 0 ? PLAN_WALK : PLAN_SEEK;
    return (double)pairs * (double)(items + 2) * SEEK_COST < (double)entries ? PLAN_SEEK : PLAN_WALK;
}

/* The (subject, rep) pairs and the responses of the condition's subjects: one walk of the index. */
static int count_entries(sqlite3 *db, const char *condition, int64_t *pairs, int64_t *entries)
{
    sqlite3_stmt *st = store_prepare(db, "SELECT count(*), total(n) FROM (SELECT count(*) AS n FROM subject s CROSS "
                                         "JOIN response r ON r.subject_id = s.id WHERE s.condition IS ?1 "
                                         "GROUP BY r.subject_id, r.rep)");
    int rc = SQLITE_ERROR;
    if (st && store_bind_text(st, 1, condition) == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *pairs = sqlite3_column_int64(st, 0);
        *entries = sqlite3_column_int64(st, 1);
    }
    int ret = st && rc == SQLITE_ROW ? 0 : (st ? store_step_done(st, rc) : -1);
    sqlite3_finalize(st);
    return ret < 0 ? -1 : 0;
}

static int load_block(sqlite3 *db, int64_t inst, const char *dim, long n_items, const char *condition,
                      double min_share, enum cell_plan plan, struct varcomp_data *d, struct block_info *info)
{
    sqlite3_stmt *st = store_prepare(db, cell_sql[plan]);
    struct strmap levels[VC_N_FACTORS] = { 0 };
    struct strbuf key = { 0 };
    int rc, ret = -1;
    memset(info, 0, sizeof *info);
    if (!st || store_bind_int64(st, 1, inst) < 0 || store_bind_text(st, 2, dim) < 0 ||
        store_bind_text(st, 3, condition) < 0)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        unsigned lv[VC_N_FACTORS];
        long answered = sqlite3_column_int64(st, 7);
        if ((double)answered < min_share * (double)n_items) {
            info->dropped++;
            continue;
        }
        for (int f = 0; f < VC_N_FACTORS; f++) {
            int col = f;               /* model persona template language variant rep: columns 0..5 */
            int64_t id;
            const char *text = (const char *)sqlite3_column_text(st, col);
            strbuf_reset(&key);
            if (sqlite3_column_type(st, col) == SQLITE_NULL)
                strbuf_addstr(&key, "!");
            else if (!text || strbuf_addstr(&key, "=") < 0 || strbuf_addstr(&key, text) < 0)
                goto oom;
            if (!key.buf)
                goto oom;
            if (!strmap_get(&levels[f], key.buf, &id)) {
                id = (int64_t)levels[f].len;
                if (strmap_put(&levels[f], key.buf, id) < 0)
                    goto oom;
            }
            lv[f] = (unsigned)id;
        }
        if (sqlite3_column_type(st, 8) == SQLITE_NULL) {
            info->any_null_temp = 1;
        } else {
            double t = sqlite3_column_double(st, 8);
            if (!info->has_first_temp) {
                info->first_temp = t;
                info->has_first_temp = 1;
            } else if (t != info->first_temp) {
                info->temperatures = 2;
            }
        }
        if (varcomp_data_add(d, lv, sqlite3_column_double(st, 6)) < 0)
            goto oom;
    }
    if (store_step_done(st, rc) < 0)
        goto out;
    if (info->any_null_temp && info->has_first_temp)
        info->temperatures = 2;
    ret = 0;
    goto out;
oom:
    diag_error("out of memory");
out:
    for (int f = 0; f < VC_N_FACTORS; f++)
        strmap_free(&levels[f]);
    strbuf_free(&key);
    sqlite3_finalize(st);
    return ret;
}

/* The rows of one block from its fit. */
static int block_rows(struct varcomp_rows *out, const char *instrument, const char *dim, const struct varcomp_data *d,
                      const struct varcomp_fit *fit, int ok, const struct block_info *info, double min_share)
{
    for (int c = 0; c < VC_N_COMPONENTS; c++) {
        struct varcomp_row *w = add_row(out, instrument, dim, c);
        if (!w)
            return diag_error("out of memory");
        w->n = (long)d->n;
        w->levels = c < VC_N_FACTORS ? d->n_levels[c] : 0;
        if (c < VC_N_FACTORS && !fit->in_model[c] && d->n) {
            if (note(w, "%zu level: not in the model", d->n_levels[c]) < 0)
                return diag_error("out of memory");
            continue;
        }
        if (!ok) {
            if (note(w, "%s", fit->note) < 0)
                return diag_error("out of memory");
            continue;
        }
        w->variance = fit->variance[c];
        w->share = fit->share[c];
        w->method = fit->method;
        if (c < VC_N_FACTORS && fit->pooled[c] &&
            note(w, "ANOVA estimate %.6g < 0: set to 0 and pooled into the residual (the REML estimate)",
                 fit->anova[c]) < 0)
            return diag_error("out of memory");
        if (c == VC_RESIDUAL && !fit->balanced && note(w, "unbalanced design: REML") < 0)
            return diag_error("out of memory");
    }
    struct varcomp_row *res = &out->rows[out->n - 1];
    if (info->dropped && note(res, "%ld cell%s with under %g%% of the items answered left out", info->dropped,
                              info->dropped == 1 ? "" : "s", 100 * min_share) < 0)
        return diag_error("out of memory");
    if (info->temperatures > 1 && note(res, "subjects differ in temperature too: that variance is in the residual") < 0)
        return diag_error("out of memory");
    return 0;
}

/* The blocks are a pipeline of two stages: while one block's cells are read from the store, the
 * block read before it is fitted (util.h par_for, two workers).  An unbalanced design's REML fit
 * is half of the time and the reads the other half.  Each stage writes only its own slot, and the
 * rows are made in block order, so they are the same at any thread count.  Memory: two blocks'
 * cells. */
struct vc_block {
    char *instrument;
    const char *dim;
    struct varcomp_data d;
    struct block_info info;
    struct varcomp_fit fit;
    int fitted;
};

struct vc_pipe {
    sqlite3 *db;
    sqlite3_stmt *st;           /* the blocks, one row each */
    const char *condition;
    double min_share;
    int64_t pairs, entries;     /* the condition's (subject, rep) pairs and responses (choose_plan) */
    struct vc_block *next;      /* stage 0 reads into it */
    int read;                   /* stage 0's result: 1 a block read, 0 no more blocks, -1 an error */
    struct vc_block *fit;       /* stage 1 fits it; NULL = nothing to fit */
};

static void block_clear(struct vc_block *b)
{
    free(b->instrument);
    varcomp_data_free(&b->d);
    memset(b, 0, sizeof *b);
}

/* The next block of the query into p->next: 1, 0 at the end, -1 after diag_error(). */
static int read_block(struct vc_pipe *p)
{
    struct vc_block *b = p->next;
    int rc = sqlite3_step(p->st);
    if (rc != SQLITE_ROW)
        return store_step_done(p->st, rc) < 0 ? -1 : 0;
    const char *dim = NULL, *name = (const char *)sqlite3_column_text(p->st, 1);
    const char *dtext = (const char *)sqlite3_column_text(p->st, 2);
    for (int k = 0; k < N_DIMENSIONS && dtext; k++)
        if (strcmp(dtext, dimension_codes[k]) == 0)
            dim = dimension_codes[k];
    if (!name || !dim)
        return diag_error("store: cannot read the item banks (a NULL name or an unknown dimension)");
    b->dim = dim;
    if (!(b->instrument = strdup(name)))
        return diag_error("out of memory");
    long items = (long)sqlite3_column_int64(p->st, 3);
    if (load_block(p->db, sqlite3_column_int64(p->st, 0), dim, items, p->condition, p->min_share,
                   choose_plan(p->pairs, p->entries, items), &b->d, &b->info) < 0)
        return -1;
    return 1;
}

static int pipe_stage(size_t i, size_t worker, void *ctx)
{
    struct vc_pipe *p = ctx;
    (void)worker;
    if (i == 0)
        p->read = read_block(p);
    else if (p->fit && (p->fit->d.n || p->fit->info.dropped))
        p->fit->fitted = varcomp_fit(&p->fit->d, 0, &p->fit->fit) == 0;
    return 0;
}

int varcomp_compute(sqlite3 *db, const char *instrument, const char *condition, double min_share, size_t threads,
                    struct varcomp_rows *out)
{
    struct vc_block slot[2];
    struct vc_pipe p = { db, NULL, condition, min_share, 0, 0, NULL, 0, NULL };
    int cur = 0, ret = -1;
    memset(slot, 0, sizeof slot);
    if (count_entries(db, condition, &p.pairs, &p.entries) < 0)
        return -1;
    p.st = store_prepare(db,
        "SELECT n.id, n.name, i.dimension, count(*) FROM item i JOIN instrument n ON n.id = i.instrument_id "
        "WHERE (?1 IS NULL OR n.name = ?1) GROUP BY n.id, i.dimension ORDER BY n.name, "
        "CASE i.dimension WHEN 'EXT' THEN 0 WHEN 'AGR' THEN 1 WHEN 'CONS' THEN 2 WHEN 'EMO' THEN 3 ELSE 4 END");
    if (!p.st || store_bind_text(p.st, 1, instrument) < 0)
        goto out;
    for (;;) {
        /* read block k into slot[cur] while block k - 1, in the other slot, is fitted */
        p.next = &slot[cur];
        if (p.fit && threads > 1) {
            if (par_for(2, 2, pipe_stage, &p) < 0) {
                diag_error("cannot start a worker thread for the variance components");
                goto out;
            }
        } else {
            pipe_stage(0, 0, &p);
            pipe_stage(1, 0, &p);
        }
        if (p.fit) {
            struct vc_block *b = p.fit;
            if ((b->d.n || b->info.dropped) &&
                block_rows(out, b->instrument, b->dim, &b->d, &b->fit, b->fitted, &b->info, min_share) < 0)
                goto out;
            block_clear(b);
        }
        if (p.read < 0)
            goto out;
        if (p.read == 0)
            break;
        p.fit = &slot[cur];
        cur = 1 - cur;
    }
    ret = 0;
out:
    block_clear(&slot[0]);
    block_clear(&slot[1]);
    sqlite3_finalize(p.st);
    return ret;
}
