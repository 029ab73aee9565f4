/* metrics/games_me.c -- `psyfaith games milgram`: the Milgram analyses of Zakazov et al.
 * (Table 1, Figures 4, 8, 9, and the Welch tests of the text) from the store's milgram and
 * milgram_step tables, one model at a time.
 *
 * A run's condition is its (trait, level) with level min, 1..9 or max (ordered so), from the
 * record, or from the persona ("agreeableness=max", see games_persona) when the record names
 * neither; a persona that is empty, "baseline" or "none" = baseline.  Filtered runs are counted and left out of everything else, including their steps.
 * final_level is the last level the teacher reached; a run "remains" at level L when
 * final_level >= L, as Milgram's subjects remained up to their maximum shock, and is obedient when
 * it reaches its max_level.
 *
 * Every analysis runs once per model and experimental condition (subject.condition; NULL = the
 * baseline, analysed first).  A condition's cells (trait, level) are then compared with the same
 * cell of the baseline of the same model (me_condition): obedience rate (Newcombe interval of the
 * difference, Fisher's exact p) and mean final level (Welch).  The baseline's runs stay in memory
 * while the model's other conditions are read. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "diag.h"
#include "metrics/games_int.h"
#include "metrics/games_me_int.h"
#include "metrics/stats.h"
#include "store/store.h"
#include "util.h"

static const char runs_sql[] =
    "SELECT s.model, m.trait, m.level, s.persona, m.final_level, m.max_level, m.disobediences, m.filtered, "
    "s.condition FROM milgram m JOIN subject s ON s.id = m.subject_id "
    "ORDER BY s.model, s.condition IS NOT NULL, s.condition, m.id";

/* The steps of one model's runs, except those of filtered runs. */
static const char steps_sql[] =
    "SELECT ms.trait, ms.level, s.persona, ms.subject_id || char(31) || ms.run, ms.step, ms.disobeyed "
    "FROM milgram_step ms JOIN subject s ON s.id = ms.subject_id "
    "WHERE s.model = ?1 AND s.condition IS ?2 AND NOT EXISTS (SELECT 1 FROM milgram m WHERE m.subject_id = ms.subject_id "
    "  AND m.run = ms.run AND m.filtered = 1) "
    "ORDER BY ms.id";

void games_me_level_text(int rank, char buf[8])
{
    if (rank == 0)
        strcpy(buf, "min");
    else if (rank == 10)
        strcpy(buf, "max");
    else
        snprintf(buf, 8, "%d", rank);
}

static int level_rank(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "min") == 0)
        return 0;
    if (strcmp(s, "max") == 0)
        return 10;
    return s[0] >= '1' && s[0] <= '9' && s[1] == '\0' ? s[0] - '0' : -2;
}

/* The cell of a row whose trait, level and persona are in columns col..col+2: 0 with *trait
 * (-1 = baseline) and *rank; -1 when the record or persona has a trait without a usable level (or
 * the record a level without a trait), -2 when the persona names no trait. */
static int condition(sqlite3_stmt *st, int col, int *trait, int *rank)
{
    const char *t = store_col_text(st, col), *l = store_col_text(st, col + 1);
    char lvl[8];
    if (t || l) {
        *trait = games_trait_index(t);
        *rank = level_rank(l);
        return *trait >= 0 && *rank >= 0 ? 0 : -1;
    }
    int p = games_persona(store_col_text(st, col + 2), trait, lvl);
    *rank = p == 1 ? level_rank(lvl) : -1;
    if (p == 0)
        *trait = -1;
    return p == -2 ? -2 : p < 0 ? -1 : 0;
}

struct games_key games_me_key(const char *analysis, const struct block *b, const struct cond *c, char lvl[8])
{
    games_me_level_text(c->rank, lvl);
    struct games_key k = { analysis, b->model, c->trait < 0 ? NULL : games_traits[c->trait],
                           c->trait < 0 ? NULL : lvl, NULL };
    return k;
}

/* Table 1 */
static int summary_rows(const struct ctx *x, const struct block *b, const struct cond *c)
{
    char lvl[8];
    struct games_key k = games_me_key("me_summary", b, c, lvl);
    const char *who = c->trait >= 0 ? "" : b->condition ? "no persona: " : "baseline (no persona): ";
    char n1[160], n2[160], n3[160];
    /* an empty cell says why it is empty */
    if (c->n_kept == 0)
        snprintf(n1, sizeof n1, "%sno mean: all %zu runs were filtered", who, c->hi - c->lo);
    else
        snprintf(n1, sizeof n1, "%smean of the final level over the runs kept", who);
    if (c->n_kept < 2)
        snprintf(n2, sizeof n2, "%sno standard deviation: %zu run%s kept, it needs 2", who, c->n_kept,
                 c->n_kept == 1 ? "" : "s");
    else
        snprintf(n2, sizeof n2, "%ssample standard deviation (n - 1) of the final level", who);
    snprintf(n3, sizeof n3, "%sdisobediences summed over the runs kept", who);
    return games_emit_value(x->out, &k, "mean_final_level", c->mean, (long)c->n_kept, n1) < 0 ||
                   games_emit_value(x->out, &k, "sd_final_level", c->sd, (long)c->n_kept, n2) < 0 ||
                   games_emit_value(x->out, &k, "disobediences", (double)c->disob, (long)c->n_kept, n3) < 0 ||
                   games_emit_value(x->out, &k, "filtered_runs", (double)c->filtered, (long)(c->hi - c->lo),
                                    "runs filtered out by the experimenters (n = all runs)") < 0 ||
                   games_emit_value(x->out, &k, "max_level", (double)c->max_level, (long)c->n_kept,
                                    "highest max_level of the runs kept") < 0
               ? -1
               : 0;
}

/* Figures 4 and 8 */
static int remaining_rows(const struct ctx *x, const struct block *b, const struct cond *c, long top)
{
    char lvl[8], term[32];
    struct games_key k = games_me_key("me_remaining", b, c, lvl);
    if (c->n_kept == 0)
        return 0;
    for (long L = 0; L <= top; L++) {
        size_t m = 0;
        for (size_t i = 0; i < c->n_kept; i++)
            m += c->final[i] >= (double)L;
        snprintf(term, sizeof term, "step_%ld", L);
        if (games_emit_value(x->out, &k, term, 100.0 * (double)m / (double)c->n_kept, (long)c->n_kept,
                             L == 0 ? "% of runs remaining (final level >= this level)" : NULL) < 0)
            return -1;
    }
    return 0;
}

/* Welch t-test of final level, x minus y; t.test(x, y) in R. */
static int welch_rows(const struct ctx *x, const struct block *b, const struct cond *cx, const struct cond *cy,
                      const char *label, struct stats_ttest *res, int *ok)
{
    const char *why;
    char lvl[8];
    struct games_key k = games_me_key("me_welch", b, cx, lvl);
    k.level = label;
    *ok = 0;
    int rc = stats_welch_t(cx->final, cx->n_kept, cy->final, cy->n_kept, res, &why);
    if (rc == STATS_NOMEM)
        return diag_error("out of memory");
    if (rc != STATS_OK) {
        char note[200];
        snprintf(note, sizeof note, "Welch t-test of the final level not defined: %s", why);
        return games_emit(x->out, &k, "welch_t", NAN, NAN, NAN, NAN, NAN, (long)(cx->n_kept + cy->n_kept), note);
    }
    *ok = 1;
    double vx = gsl_stats_variance(cx->final, 1, cx->n_kept), vy = gsl_stats_variance(cy->final, 1, cy->n_kept);
    double se = sqrt(vx / (double)cx->n_kept + vy / (double)cy->n_kept);
    double q = gsl_cdf_tdist_Pinv(1.0 - (1.0 - GAMES_CI_LEVEL) / 2.0, res->df), d = res->mean_x - res->mean_y;
    long n = (long)(cx->n_kept + cy->n_kept);
    return games_emit(x->out, &k, "welch_t", res->t, NAN, NAN, res->df, res->p, n,
                      "Welch two-sample t-test of the final level (R t.test, var.equal = FALSE)") < 0 ||
                   games_emit(x->out, &k, "mean_difference", d, d - q * se, d + q * se, res->df, res->p, n,
                              "difference of mean final levels (first minus second) with its Welch 95% interval") < 0
               ? -1
               : 0;
}

static int trait_rows(const struct ctx *x, const struct block *b, int trait, const struct cond *base)
{
    struct cond *c = NULL;
    size_t nc = 0;
    char label[40], lvl[8], blvl[8];
    for (size_t i = 0; i < b->nc; i++)
        if (b->c[i].trait == trait) {
            if (!c)
                c = &b->c[i];
            nc++;
        }
    struct stats_ttest t;
    int ok;
    for (size_t i = 0; base && i < nc; i++) {
        games_me_level_text(c[i].rank, lvl);
        snprintf(label, sizeof label, "%s vs baseline", lvl);
        if (welch_rows(x, b, &c[i], base, label, &t, &ok) < 0)
            return -1;
    }
    double means[11];
    size_t nm = 0;
    for (size_t i = 0; i < nc; i++)
        if (c[i].n_kept > 0)
            means[nm++] = c[i].mean;
    struct games_verdict v = {
        .experiment = "milgram", .model = b->model, .trait = games_traits[trait],
        .behaviour = "obedience", .human_dir = x->h->me_direction[trait],
        .human_cite = x->h->me_dir_cite[trait], .effect = NAN, .p = NAN,
        .test = "Welch t-test of the final level between the trait's extremes",
        .effect_name = "mean final level at the highest minus the lowest persona level",
        .monotone_of = "the mean final level over the levels", .n = 0,
    };
    if (nc >= 2) {
        const struct cond *hi = &c[nc - 1], *lo = &c[0];
        games_me_level_text(hi->rank, lvl);
        games_me_level_text(lo->rank, blvl);
        snprintf(label, sizeof label, "%s vs %s", lvl, blvl);
        if (welch_rows(x, b, hi, lo, label, &t, &ok) < 0)
            return -1;
        v.n = (long)(hi->n_kept + lo->n_kept);
        if (hi->n_kept && lo->n_kept) {
            v.effect = hi->mean - lo->mean;
            v.model_dir = (v.effect > 0) - (v.effect < 0);
        }
        if (ok)
            v.p = t.p;
    }
    v.steps = nm ? nm - 1 : 0;
    v.violations = games_violations(means, nm, v.model_dir);
    return games_verdict(x->out, &v, x->o->alpha);
}

/* Figure 9, from milgram_step rows. */
struct step {
    int trait, rank;
    long step;
    int disobeyed;
    int64_t run;               /* a number per (subject, run) */
};

static int cmp_step(const void *pa, const void *pb)
{
    const struct step *a = pa, *b = pb;
    if (a->trait != b->trait)
        return a->trait < b->trait ? -1 : 1;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return (a->step > b->step) - (a->step < b->step);
}

static int cmp_i64(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return (a > b) - (a < b);
}

static int step_rows(const struct ctx *x, const struct block *b)
{
    sqlite3_stmt *st = x->steps;
    struct step *v = NULL;
    int64_t *runs = NULL;
    size_t n = 0, cap = 0;
    struct strmap ids = { 0 };
    char lvl[8], term[32];
    int rc, ret = -1;
    if (store_bind_text(st, 1, b->model) < 0 || store_bind_text(st, 2, b->condition) < 0)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct step s = { .step = (long)sqlite3_column_int64(st, 4), .disobeyed = sqlite3_column_int(st, 5) };
        const char *key = store_col_text(st, 3);
        if (condition(st, 0, &s.trait, &s.rank) != 0 || !key)
            continue;                  /* unplaced: as its run, left out */
        if (!strmap_get(&ids, key, &s.run)) {
            s.run = (int64_t)ids.len;
            if (strmap_put(&ids, key, s.run) < 0)
                goto oom;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 1024;
            struct step *w = realloc(v, cap * sizeof *w);
            if (!w)
                goto oom;
            v = w;
        }
        v[n++] = s;
    }
    if (rc != SQLITE_DONE) {
        diag_error("store: %s", sqlite3_errmsg(sqlite3_db_handle(st)));
        goto out;
    }
    if (n && !(runs = malloc(n * sizeof *runs)))
        goto oom;
    if (n)
        qsort(v, n, sizeof *v, cmp_step);
    for (size_t i = 0; i < n;) {
        size_t j = i, nr = 0;
        while (j < n && v[j].trait == v[i].trait && v[j].rank == v[i].rank)
            runs[nr++] = v[j++].run;
        qsort(runs, nr, sizeof *runs, cmp_i64);
        size_t distinct = 0;
        for (size_t r = 0; r < nr; r++)
            distinct += r == 0 || runs[r] != runs[r - 1];
        games_me_level_text(v[i].rank, lvl);
        struct games_key k = { "me_cum_disobediences", b->model, v[i].trait < 0 ? NULL : games_traits[v[i].trait],
                               v[i].trait < 0 ? NULL : lvl, NULL };
        double cum = 0.0;
        for (size_t a = i; a < j;) {
            size_t e = a;
            while (e < j && v[e].step == v[a].step)
                cum += v[e++].disobeyed;
            snprintf(term, sizeof term, "step_%ld", v[a].step);
            if (games_emit_value(x->out, &k, term, cum, (long)distinct,
                                 a == i ? "disobediences up to this level, summed over the runs (n = runs)" : NULL) < 0)
                goto out;
            a = e;
        }
        i = j;
    }
    ret = 0;
    goto out;
oom:
    diag_error("out of memory");
out:
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    strmap_free(&ids);
    free(v);
    free(runs);
    return ret;
}

static void conds_free(struct block *b)
{
    for (size_t i = 0; i < b->nc; i++)
        free(b->c[i].final);
    free(b->c);
    b->c = NULL;
    b->nc = 0;
}

static int cmp_run(const void *pa, const void *pb)
{
    const struct run *a = pa, *b = pb;
    if (a->trait != b->trait)
        return a->trait < b->trait ? -1 : 1;
    return (a->rank > b->rank) - (a->rank < b->rank);
}

static int analyse(const struct ctx *x, struct block *b, const struct block *ref)
{
    /* conditions: sort the runs by (trait, level); qsort is not stable, nothing depends on order within */
    long top = 0;
    if (b->n)
        qsort(b->r, b->n, sizeof *b->r, cmp_run);
    for (size_t i = 0; i < b->n;) {
        size_t j = i;
        while (j < b->n && b->r[j].trait == b->r[i].trait && b->r[j].rank == b->r[i].rank)
            j++;
        struct cond *c = realloc(b->c, (b->nc + 1) * sizeof *c);
        if (!c)
            return diag_error("out of memory");
        b->c = c;
        c = &b->c[b->nc++];
        memset(c, 0, sizeof *c);
        c->trait = b->r[i].trait;
        c->rank = b->r[i].rank;
        c->lo = i;
        c->hi = j;
        c->mean = c->sd = NAN;
        if (!(c->final = malloc((j - i) * sizeof *c->final)))
            return diag_error("out of memory");
        for (size_t r = i; r < j; r++) {
            if (b->r[r].filtered) {
                c->filtered++;
                continue;
            }
            c->final[c->n_kept++] = b->r[r].final;
            c->obedient += (size_t)b->r[r].obedient;
            c->disob += b->r[r].disob;
            if (b->r[r].max_level > c->max_level)
                c->max_level = b->r[r].max_level;
        }
        if (c->max_level > top)
            top = c->max_level;
        if (c->n_kept)
            c->mean = gsl_stats_mean(c->final, 1, c->n_kept);
        if (c->n_kept > 1)
            c->sd = gsl_stats_sd(c->final, 1, c->n_kept);
        i = j;
    }
    const struct cond *base = b->nc && b->c[0].trait < 0 && b->c[0].n_kept >= 1 ? &b->c[0] : NULL;
    for (size_t i = 0; i < b->nc; i++)
        if (summary_rows(x, b, &b->c[i]) < 0)
            return -1;
    if (b->unplaced || b->no_trait) {
        struct games_key k = { "me_summary", b->model, NULL, NULL, NULL };
        if ((b->unplaced && games_emit_value(x->out, &k, "unplaced_runs", (double)b->unplaced, -1,
                                             "runs with a trait but no usable level, or a level but no "
                                             "trait (not analysed)") < 0) ||
            (b->no_trait && games_emit_value(x->out, &k, "persona_without_trait_runs", (double)b->no_trait, -1,
                                             "runs whose persona names no trait (such a persona is not "
                                             "a condition: give the record a condition field; not analysed)") < 0))
            return -1;
    }
    if (games_me_obedience_rows(x, b, ref) < 0)
        return -1;
    for (size_t i = 0; i < b->nc; i++)
        if (remaining_rows(x, b, &b->c[i], top) < 0)
            return -1;
    if (base && x->h->me_n && !b->condition) {     /* Milgram's subjects had no condition either */
        size_t m = 0;
        for (size_t r = base->lo; r < base->hi; r++)
            m += !b->r[r].filtered && b->r[r].final >= (double)b->r[r].max_level;
        struct games_key k = { "me_human", b->model, NULL, NULL, NULL };
        char note[256];
        snprintf(note, sizeof note, "baseline runs that reached their max_level%s",
                 base->max_level == x->h->me_levels ? "" : " (NB: a different number of levels than Milgram's 30)");
        if (games_emit_value(x->out, &k, "baseline_pct_to_last_level", 100.0 * (double)m / (double)base->n_kept,
                             (long)base->n_kept, note) < 0 ||
            games_emit_value(x->out, &k, "human_pct_to_last_level",
                             100.0 * (double)x->h->me_remaining[x->h->me_levels] / (double)x->h->me_n, x->h->me_n,
                             x->h->me_cite) < 0)
            return -1;
    }
    for (int t = 0; t < GAMES_N_TRAITS; t++) {
        int present = 0;
        for (size_t i = 0; i < b->nc; i++)
            present |= b->c[i].trait == t;
        if (present && trait_rows(x, b, t, base) < 0)
            return -1;
    }
    if (step_rows(x, b) < 0)
        return -1;
    return games_milgram_outcomes(sqlite3_db_handle(x->steps), b->model, b->condition, x->out);
}

static int read_run(sqlite3_stmt *st, struct block *b)
{
    struct run r = { .final = sqlite3_column_double(st, 4), .max_level = sqlite3_column_int64(st, 5),
                     .disob = sqlite3_column_int64(st, 6), .filtered = sqlite3_column_int(st, 7) };
    r.obedient = r.final >= (double)r.max_level;
    int rc = condition(st, 1, &r.trait, &r.rank);
    if (rc < 0) {
        if (rc == -2)
            b->no_trait++;
        else
            b->unplaced++;
        return 0;
    }
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 256;
        struct run *v = realloc(b->r, cap * sizeof *v);
        if (!v)
            return diag_error("out of memory");
        b->r = v;
        b->cap = cap;
    }
    b->r[b->n++] = r;
    return 0;
}

static void block_reset(struct block *b)
{
    free(b->model);
    free(b->condition);
    b->model = b->condition = NULL;
    b->n = 0;
    b->unplaced = b->no_trait = 0;
    conds_free(b);
}

static int human_rows(const struct ctx *x)
{
    const struct games_human *h = x->h;
    char term[32];
    struct games_key k = { "me_human", NULL, NULL, NULL, NULL };
    for (int L = 0; h->me_n && L <= h->me_levels; L++) {
        snprintf(term, sizeof term, "step_%d", L);
        if (games_emit_value(x->out, &k, term, 100.0 * (double)h->me_remaining[L] / (double)h->me_n, h->me_n,
                             L == 0 ? h->me_cite : NULL) < 0)
            return -1;
    }
    return 0;
}

static int same_text(const char *a, const char *b)   /* NULL = NULL */
{
    return a ? b && strcmp(a, b) == 0 : !b;
}

/* Analyses block b (one model x condition); the baseline block of a model is then kept in *base
 * for the model's conditions. */
static int finish_block(const struct ctx *x, struct block *b, struct block *base)
{
    if (base->model && strcmp(base->model, b->model) != 0)
        block_reset(base);
    x->out->condition = b->condition;
    int rc = analyse(x, b, base->model ? base : NULL);
    x->out->condition = NULL;
    if (rc < 0)
        return -1;
    if (!b->condition) {                 /* the baseline: keep it, reuse the old one's buffers */
        struct block t = *base;
        *base = *b;
        *b = t;
    }
    block_reset(b);
    return 0;
}

int games_milgram(sqlite3 *db, const struct games_human *h, const struct games_opts *o, struct games_rows *out)
{
    struct ctx x = { h, o, out, NULL };
    struct block b = { 0 }, base = { 0 };
    sqlite3_stmt *st = NULL;
    int ret = -1, rc;
    if (!(st = store_prepare(db, runs_sql)) || !(x.steps = store_prepare(db, steps_sql)))
        goto out;
    if (human_rows(&x) < 0)
        goto out;
    size_t before = out->len;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *model = store_col_text(st, 0), *cond = store_col_text(st, 8);
        if (b.model && (strcmp(model, b.model) != 0 || !same_text(cond, b.condition))) {
            if (finish_block(&x, &b, &base) < 0)
                goto out;
        }
        if (!b.model && (!(b.model = strdup(model)) || (cond && !(b.condition = strdup(cond))))) {
            diag_error("out of memory");
            goto out;
        }
        if (read_run(st, &b) < 0)
            goto out;
    }
    if (rc != SQLITE_DONE) {
        diag_error("store: %s", sqlite3_errmsg(db));
        goto out;
    }
    if (b.model && finish_block(&x, &b, &base) < 0)
        goto out;
    if (out->len == before)
        diag_note("no milgram runs in the store");
    ret = 0;
out:
    out->condition = NULL;
    sqlite3_finalize(st);
    sqlite3_finalize(x.steps);
    block_reset(&b);
    block_reset(&base);
    free(b.r);
    free(base.r);
    return ret;
}
