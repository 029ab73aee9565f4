/* metrics/faith_order.c -- option-order symmetry (issue 14 part 1; Gupta et al. 2023): does a
 * subject answer the same items differently when the options are shown in another order?
 *
 * An order is how a response's options were shown: "ascending", "descending" (option_order) or a
 * permutation ("3,1,2,5,4", response.presented: the ascending option at each presented position).
 * For each subject that answered (ok) under 2 or more orders, each block (instrument x dimension)
 * and, when the instrument has several dimensions, every item of the instrument together, each
 * order `other` is compared with the reference order (ascending when the subject has it, else the
 * first order name in byte order):
 * - the items answered under both; per item the mean ascending-scale option under each order (over
 *   repetitions); mean_other and mean_ref are their means over the items;
 * - order_diff: the paired difference other - ref over the items with R's t.test(paired = TRUE)
 *   (value = mean difference, CI at --level, the t, df and p in the note); order_p_t its p value;
 *   order_p_wilcoxon: wilcox.test(paired = TRUE)'s p with R's defaults (exact when fewer than 50
 *   non-zero differences and no ties or zeros, else the normal approximation with continuity
 *   correction; zero differences dropped);
 * - position_bias: with s_o(v) = the share of the answers under order o (paired items, every
 *   repetition) that chose option v and f_o = the option shown first under o,
 *   ((s_ref(f_ref) - s_other(f_ref)) + (s_other(f_other) - s_ref(f_other))) / 2: how much more often
 *   an option is chosen when it is shown first than when the other order shows it elsewhere.  0 = no
 *   pull to the first position, 1 = always the first option shown, -1 = never;
 * - cb_score (blocks, once per subject): the counterbalanced score, the mean over the items answered
 *   under 2 or more orders of the item's mean over its orders of the mean keyed score (R+/R-) under
 *   that order; the note gives the pooled per-item mean of the same answers beside it.
 * Memory: one subject's answers at a time.  Reference values: tests/oracle/order.R. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "diag.h"
#include "metrics/faith.h"
#include "metrics/stats.h"
#include "store/store.h"

struct item_ref {
    int64_t id;
    int b;                    /* block */
    size_t j;                 /* item in the block */
};

struct answer {
    int b;
    size_t j;
    int key;                  /* index into the subject's order names */
    int option;
};

struct loader {
    const struct score_set *set;
    struct faith_inputs *in;
    struct item_ref *items;
    size_t n_items;
    struct answer *ans;
    size_t n_ans, cap_ans;
    char **keys;
    size_t n_keys, cap_keys;
    size_t *inst_off;         /* per block: its first item among its instrument's blocks */
    size_t lo, hi;            /* the current group's answers: ans[lo, hi) (sorted by block) */
    /* per group scratch */
    double *sum, *ksum, *x, *y;
    long *cnt;
    size_t scratch_cap;
};

static int by_id(const void *pa, const void *pb)
{
    const struct item_ref *a = pa, *b = pb;
    return a->id < b->id ? -1 : a->id > b->id;
}

static const struct item_ref *find_item(const struct loader *L, int64_t id)
{
    struct item_ref k = { id, 0, 0 };
    return bsearch(&k, L->items, L->n_items, sizeof k, by_id);
}

static long subject_row(const struct score_set *set, int64_t id)
{
    size_t lo = 0, hi = set->n_subjects;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (set->subjects[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < set->n_subjects && set->subjects[lo].id == id ? (long)lo : -1;
}

/* The option shown first under order `name` on a K-option scale. */
static int first_shown(const char *name, int K)
{
    if (strcmp(name, "ascending") == 0)
        return 1;
    if (strcmp(name, "descending") == 0)
        return K;
    return atoi(name);
}

static int key_of(struct loader *L, const char *name)
{
    for (size_t k = 0; k < L->n_keys; k++)
        if (strcmp(L->keys[k], name) == 0)
            return (int)k;
    if (L->n_keys == L->cap_keys) {
        size_t cap = L->cap_keys ? 2 * L->cap_keys : 4;
        char **p = realloc(L->keys, cap * sizeof *p);
        if (!p)
            return -1;
        L->keys = p;
        L->cap_keys = cap;
    }
    if (!(L->keys[L->n_keys] = strdup(name)))
        return -1;
    return (int)L->n_keys++;
}

static int scratch(struct loader *L, size_t n)
{
    if (n <= L->scratch_cap)
        return 0;
    free(L->sum), free(L->ksum), free(L->x), free(L->y), free(L->cnt);
    L->sum = malloc(n * sizeof *L->sum);
    L->ksum = malloc(n * sizeof *L->ksum);
    L->x = malloc(n * sizeof *L->x);
    L->y = malloc(n * sizeof *L->y);
    L->cnt = malloc(n * sizeof *L->cnt);
    L->scratch_cap = n;
    if (!L->sum || !L->ksum || !L->x || !L->y || !L->cnt) {
        L->scratch_cap = 0;
        return -1;
    }
    return 0;
}

/* Whether block b belongs to group (inst, block): the block itself, or any block of the instrument. */
static int in_group(const struct score_set *set, int b, int inst, int block)
{
    return block >= 0 ? b == block : set->blocks[b].instrument == inst;
}

/* Item offset of block b within the group: 0 for a block alone, else its place among the
 * instrument's blocks (L->inst_off, made once per load). */
static size_t group_offset(const struct loader *L, int b, int block)
{
    return block >= 0 ? 0 : L->inst_off[b];
}

static int by_block(const void *pa, const void *pb)
{
    const struct answer *a = pa, *b = pb;
    return a->b != b->b ? (a->b < b->b ? -1 : 1) : a->j < b->j ? -1 : a->j > b->j;
}

static struct faith_order *add_result(struct faith_inputs *in)
{
    struct faith_order *p = realloc(in->order, (in->n_order + 1) * sizeof *p);
    if (!p)
        return NULL;
    in->order = p;
    p = &in->order[in->n_order++];
    memset(p, 0, sizeof *p);
    return p;
}

/* One group of subject s: every comparison of an order with the reference. */
static int group(struct loader *L, size_t s, int inst, int block, int ref)
{
    const struct score_set *set = L->set;
    const int K = set->instruments[inst].n_options;
    const size_t nk = L->n_keys;
    size_t n_items = 0;
    for (size_t b = 0; b < set->n_blocks; b++)
        if (in_group(set, (int)b, inst, block))
            n_items += set->blocks[b].n_items;
    if (scratch(L, n_items * nk + 1) < 0)
        return -1;
    memset(L->sum, 0, n_items * nk * sizeof *L->sum);
    memset(L->ksum, 0, n_items * nk * sizeof *L->ksum);
    memset(L->cnt, 0, n_items * nk * sizeof *L->cnt);
    /* the group's answers are one run of the subject's answers, sorted by block (a block, or the
     * instrument's blocks, which are adjacent in the set) */
    L->lo = 0;
    while (L->lo < L->n_ans && !in_group(set, L->ans[L->lo].b, inst, block))
        L->lo++;
    for (L->hi = L->lo; L->hi < L->n_ans && in_group(set, L->ans[L->hi].b, inst, block); L->hi++)
        ;
    for (size_t a = L->lo; a < L->hi; a++) {
        const struct answer *an = &L->ans[a];
        size_t i = (group_offset(L, an->b, block) + an->j) * nk + (size_t)an->key;
        L->sum[i] += an->option;
        L->ksum[i] += set->blocks[an->b].keys[an->j] > 0 ? an->option : K + 1 - an->option;
        L->cnt[i]++;
    }
    /* orders seen in this group; cb_score over items with 2 or more orders */
    int n_orders = 0;
    double cb = 0.0, pooled = 0.0;
    size_t cb_items = 0;
    for (size_t k = 0; k < nk; k++) {
        int seen = 0;
        for (size_t i = 0; i < n_items && !seen; i++)
            seen = L->cnt[i * nk + k] > 0;
        n_orders += seen;
    }
    if (n_orders < 2)
        return 0;
    for (size_t i = 0; i < n_items; i++) {
        double m = 0.0, ks = 0.0;
        long c = 0, orders = 0;
        for (size_t k = 0; k < nk; k++)
            if (L->cnt[i * nk + k]) {
                m += L->ksum[i * nk + k] / (double)L->cnt[i * nk + k];
                ks += L->ksum[i * nk + k];
                c += L->cnt[i * nk + k];
                orders++;
            }
        if (orders >= 2) {
            cb += m / (double)orders;
            pooled += ks / (double)c;
            cb_items++;
        }
    }
    int first_cmp = 1;
    for (size_t o = 0; o < nk; o++) {
        if ((int)o == ref)
            continue;
        size_t m = 0;
        double sx = 0.0, sy = 0.0;
        for (size_t i = 0; i < n_items; i++) {
            long co = L->cnt[i * nk + o], cr = L->cnt[i * nk + (size_t)ref];
            if (!co || !cr)
                continue;
            L->x[m] = L->sum[i * nk + o] / (double)co;
            L->y[m] = L->sum[i * nk + (size_t)ref] / (double)cr;
            sx += L->x[m];
            sy += L->y[m];
            m++;
        }
        if (!m)
            continue;
        struct faith_order *r = add_result(L->in);
        if (!r || !(r->ref = strdup(L->keys[ref])) || !(r->other = strdup(L->keys[o])))
            return -1;
        r->subject = s;
        r->instrument = inst;
        r->block = block;
        r->n_orders = n_orders;
        r->n_items = m;
        r->mean_other = sx / (double)m;
        r->mean_ref = sy / (double)m;
        struct stats_paired_t t;
        struct stats_wilcoxon w;
        r->t_rc = stats_paired_t(L->x, L->y, m, 0.95, &t, &r->t_why);
        if (r->t_rc == STATS_NOMEM)
            return -1;
        if (r->t_rc == STATS_OK) {
            r->t_mean = t.mean_diff, r->t_stat = t.t, r->t_df = t.df, r->t_p = t.p;
            r->t_se = t.se;
        }
        r->w_rc = stats_wilcoxon_paired(L->x, L->y, m, &w, &r->w_why);
        if (r->w_rc == STATS_NOMEM)
            return -1;
        if (r->w_rc == STATS_OK) {
            r->w_V = w.V, r->w_p = w.p, r->w_n = w.n, r->w_zeros = w.zeros, r->w_exact = w.exact, r->w_ties = w.ties;
        } else {
            r->w_zeros = w.zeros;
        }
        /* position bias over the paired items' answers, every repetition */
        double c_ref[12] = { 0 }, c_oth[12] = { 0 }, n_ref = 0, n_oth = 0;
        for (size_t a = L->lo; a < L->hi; a++) {
            const struct answer *an = &L->ans[a];
            if ((an->key != ref && an->key != (int)o) || an->option < 1 || an->option > 11)
                continue;
            size_t i = group_offset(L, an->b, block) + an->j;
            if (!L->cnt[i * nk + o] || !L->cnt[i * nk + (size_t)ref])
                continue;
            if (an->key == ref)
                c_ref[an->option]++, n_ref++;
            else
                c_oth[an->option]++, n_oth++;
        }
        int f_ref = first_shown(L->keys[ref], K), f_oth = first_shown(L->keys[o], K);
        if (f_ref < 1 || f_ref > 11 || f_oth < 1 || f_oth > 11)
            r->position_bias = NAN;
        else
            /* the same as ((c_ref[f_ref]/n_ref - c_oth[f_ref]/n_oth) + (c_oth[f_oth]/n_oth - c_ref[f_oth]/n_ref)) / 2
             * over whole counts, so that no bias comes out as exactly 0 */
            r->position_bias = ((c_ref[f_ref] - c_ref[f_oth]) * n_oth + (c_oth[f_oth] - c_oth[f_ref]) * n_ref) /
                               (2.0 * n_ref * n_oth);
        r->cb_score = r->pooled = NAN;
        if (block >= 0 && first_cmp && cb_items) {
            r->cb_score = cb / (double)cb_items;
            r->pooled = pooled / (double)cb_items;
            r->cb_items = cb_items;
        }
        first_cmp = 0;
    }
    return 0;
}

/* The groups of the subject whose answers are in L. */
static int subject_done(struct loader *L, size_t s)
{
    const struct score_set *set = L->set;
    int ref = -1, ret = 0;
    if (L->n_keys >= 2) {
        qsort(L->ans, L->n_ans, sizeof *L->ans, by_block);
        for (size_t k = 0; k < L->n_keys; k++)
            if (strcmp(L->keys[k], "ascending") == 0)
                ref = (int)k;
        if (ref < 0) {
            ref = 0;
            for (size_t k = 1; k < L->n_keys; k++)
                if (strcmp(L->keys[k], L->keys[ref]) < 0)
                    ref = (int)k;
        }
        for (size_t i = 0; i < set->n_instruments && ret == 0; i++) {
            int blocks = 0;
            for (size_t b = 0; b < set->n_blocks && ret == 0; b++)
                if (set->blocks[b].instrument == (int)i) {
                    blocks++;
                    ret = group(L, s, (int)i, (int)b, ref);
                }
            if (ret == 0 && blocks > 1)
                ret = group(L, s, (int)i, -1, ref);
        }
    }
    for (size_t k = 0; k < L->n_keys; k++)
        free(L->keys[k]);
    L->n_keys = 0;
    L->n_ans = 0;
    return ret;
}

void faith_order_free(struct faith_inputs *in)
{
    for (size_t i = 0; i < in->n_order; i++) {
        free(in->order[i].ref);
        free(in->order[i].other);
    }
    free(in->order);
    in->order = NULL;
    in->n_order = 0;
}

int faith_order_load(sqlite3 *db, const struct score_set *set, struct faith_inputs *in)
{
    struct loader L = { .set = set, .in = in };
    sqlite3_stmt *st = NULL;
    int ret = -1, rc;
    long cur = -1;
    int64_t cur_id = 0;
    /* most stores have one order only: one look before reading every answer (the set's loader
     * took it when it read every response) */
    if (set->order_seen == SCORE_ORDER_NONE)
        return 0;
    st = store_prepare(db, "SELECT EXISTS (SELECT 1 FROM response WHERE status = 'ok' AND "
                           "(option_order = 'descending' OR presented IS NOT NULL))");
    if (!st)
        return -1;
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        diag_error("store: %s", sqlite3_errmsg(db));
        goto out;
    }
    if (!sqlite3_column_int(st, 0)) {
        ret = 0;
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    for (size_t b = 0; b < set->n_blocks; b++)
        L.n_items += set->blocks[b].n_items;
    if (!(L.items = malloc((L.n_items + 1) * sizeof *L.items)) ||
        !(L.inst_off = malloc((set->n_blocks + 1) * sizeof *L.inst_off)))
        goto oom;
    for (size_t b = 0; b < set->n_blocks; b++) {
        size_t off = 0;
        for (size_t k = 0; k < b; k++)
            if (set->blocks[k].instrument == set->blocks[b].instrument)
                off += set->blocks[k].n_items;
        L.inst_off[b] = off;
    }
    L.n_items = 0;
    for (size_t b = 0; b < set->n_blocks; b++)
        for (size_t j = 0; j < set->blocks[b].n_items; j++)
            L.items[L.n_items++] = (struct item_ref){ set->blocks[b].item_ids[j], (int)b, j };
    qsort(L.items, L.n_items, sizeof *L.items, by_id);
    st = store_prepare(db, "SELECT subject_id, item_id, option, coalesce(presented, option_order) FROM response "
                           "WHERE status = 'ok' AND option IS NOT NULL ORDER BY subject_id");
    if (!st)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t sid = sqlite3_column_int64(st, 0);
        if (cur < 0 || sid != cur_id) {
            if (cur >= 0 && subject_done(&L, (size_t)cur) < 0)
                goto oom;
            cur_id = sid;
            cur = subject_row(set, sid);
        }
        if (cur < 0)
            continue;
        const struct item_ref *it = find_item(&L, sqlite3_column_int64(st, 1));
        const char *name = (const char *)sqlite3_column_text(st, 3);
        if (!it || !name)
            continue;
        int key = key_of(&L, name);
        if (key < 0)
            goto oom;
        if (L.n_ans == L.cap_ans) {
            size_t cap = L.cap_ans ? 2 * L.cap_ans : 256;
            struct answer *p = realloc(L.ans, cap * sizeof *p);
            if (!p)
                goto oom;
            L.ans = p;
            L.cap_ans = cap;
        }
        L.ans[L.n_ans++] = (struct answer){ it->b, it->j, key, sqlite3_column_int(st, 2) };
    }
    if (rc != SQLITE_DONE) {
        diag_error("store: %s", sqlite3_errmsg(db));
        goto out;
    }
    if (cur >= 0 && subject_done(&L, (size_t)cur) < 0)
        goto oom;
    ret = 0;
    goto out;
oom:
    ret = diag_error("out of memory");
out:
    sqlite3_finalize(st);
    for (size_t k = 0; k < L.n_keys; k++)
        free(L.keys[k]);
    free(L.keys);
    free(L.items);
    free(L.inst_off);
    free(L.ans);
    free(L.sum), free(L.ksum), free(L.x), free(L.y), free(L.cnt);
    return ret;
}

/* ---- rows ------------------------------------------------------------------------------------ */

/* "model / persona / t=0.7": the subject in the item column. */
static void subject_label(const struct subject *sj, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "%s", sj->model);
    if (sj->persona && n < size)
        n += (size_t)snprintf(buf + n, size - n, " / %s", sj->persona);
    if (sj->has_temperature && n < size)
        snprintf(buf + n, size - n, " / t=%g", sj->temperature);
}

static const char *p_method(const struct faith_order *r)
{
    if (r->w_exact)
        return "exact";
    if (r->w_ties && r->w_zeros)
        return "normal approximation with continuity correction (ties and zero differences)";
    if (r->w_ties)
        return "normal approximation with continuity correction (ties)";
    if (r->w_zeros)
        return "normal approximation with continuity correction (zero differences)";
    return "normal approximation with continuity correction (50 or more differences)";
}

int faith_order_rows(struct faith_ctx *c)
{
    static const char *const names[] = { "order_diff", "order_p_t", "order_p_wilcoxon", "position_bias", "cb_score" };
    const struct score_set *set = c->set;
    int want[5], any = 0;
    for (int w = 0; w < 5; w++)
        any |= want[w] = faith_wanted(c->opt, names[w]);
    if (!c->in || !any)
        return 0;
    for (size_t i = 0; i < c->in->n_order; i++) {
        const struct faith_order *o = &c->in->order[i];
        const char *inst = set->instruments[o->instrument].name;
        const char *dim = o->block >= 0 ? dimension_codes[set->blocks[o->block].dimension] : NULL;
        char who[512], vs[160];
        subject_label(&set->subjects[o->subject], who, sizeof who);
        snprintf(vs, sizeof vs, "%s vs %s", o->other, o->ref);
        for (int w = 0; w < 5; w++) {
            if (!want[w] || (w == 4 && isnan(o->cb_score)))
                continue;
            struct faith_row *r = faith_add(c->t, names[w], inst, w == 4 ? NULL : vs, dim, who);
            int rc = 0;
            if (!r)
                return diag_error("out of memory");
            r->n = (long)(w == 4 ? o->cb_items : o->n_items);
            switch (w) {
            case 0:
                if (o->t_rc == STATS_OK) {
                    double q = gsl_cdf_tdist_Pinv(1.0 - (1.0 - c->opt->level) / 2.0, o->t_df);
                    r->value = o->t_mean;
                    r->ci_low = o->t_mean - q * o->t_se;
                    r->ci_high = o->t_mean + q * o->t_se;
                    rc = faith_note(r, "mean option %s %.6g, %s %.6g over %zu items answered under both; paired t = %.6g, "
                                    "df = %g, p = %.6g", o->other, o->mean_other, o->ref, o->mean_ref, o->n_items,
                                    o->t_stat, o->t_df, o->t_p);
                } else {
                    r->value = o->mean_other - o->mean_ref;
                    rc = faith_note(r, "mean option %s %.6g, %s %.6g over %zu items answered under both; no t-test: %s",
                                    o->other, o->mean_other, o->ref, o->mean_ref, o->n_items, o->t_why);
                }
                break;
            case 1:
                if (o->t_rc == STATS_OK) {
                    r->value = o->t_p;
                    rc = faith_note(r, "paired t-test of %s - %s over items: t = %.6g, df = %g", o->other, o->ref,
                                    o->t_stat, o->t_df);
                } else {
                    rc = faith_note(r, "%s", o->t_why);
                }
                break;
            case 2:
                if (o->w_rc == STATS_OK) {
                    r->value = o->w_p;
                    rc = faith_note(r, "Wilcoxon signed-rank V = %g over %zu non-zero differences (%zu zero dropped), %s",
                                    o->w_V, o->w_n, o->w_zeros, p_method(o));
                } else {
                    rc = faith_note(r, "%s", o->w_why);
                }
                break;
            case 3:
                r->value = o->position_bias;
                rc = faith_note(r, "share choosing the option shown first minus the share choosing it under the other "
                                "order, mean of both directions: 0 none, 1 always the first shown");
                break;
            default:
                r->value = o->cb_score;
                rc = faith_note(r, "per-item mean keyed score averaged over %d orders (items answered under 2 or more); "
                                "pooled over the same answers %.6g", o->n_orders, o->pooled);
                break;
            }
            if (rc < 0)
                return diag_error("out of memory");
        }
    }
    return 0;
}
