/* metrics/games_strategy.c -- strategy-method responders and proposers (games.h: games_strategy).
 *
 * A responder's minimum acceptable amount t decides every offer at once: it accepts offer x iff
 * x >= t.  So the acceptance curve of a group of runs at offer x is the share of its parsed
 * thresholds <= x, which is how the human MobLab curve (fixtures/games/human_games.csv) is built.
 * Amounts are compared in % of each record's total.  One block = one model x condition x trait x
 * level; the store is read in that order, so memory holds one block's amounts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

#include "diag.h"
#include "metrics/games_int.h"
#include "metrics/stats.h"
#include "store/store.h"

#define CURVE_STEP 10           /* offers of the acceptance curve and distribution bins, in % */

enum { ST_OK, ST_AMBIGUOUS, ST_REFUSAL, ST_UNPARSED, N_ST };
static const char *const st_names[N_ST] = { "ok", "ambiguous", "refusal", "unparsed" };

struct sblock {
    char *label, *trait, *level;  /* label: the model, with " [condition]" when there is one */
    char *model;
    int has_condition;
    double *v;                    /* parsed amounts, % of the total */
    size_t n, cap;
    long status[N_ST];
};

static void sblock_reset(struct sblock *b)
{
    free(b->label);
    free(b->trait);
    free(b->level);
    free(b->model);
    b->label = b->trait = b->level = b->model = NULL;
    b->has_condition = 0;
    b->n = 0;
    memset(b->status, 0, sizeof b->status);
}

/* The human amounts as one value per decision (x % repeated count[x] times), for the Welch test. */
static double *expand(const long *count, long n)
{
    double *v = malloc((size_t)(n > 0 ? n : 1) * sizeof *v);
    size_t k = 0;
    if (!v)
        return NULL;
    for (int x = 0; x <= GAMES_HUMAN_MAX_X; x++)
        for (long i = 0; i < count[x] && (long)k < n; i++)
            v[k++] = x;
    return v;
}

struct what {
    const char *prefix;           /* "ug_threshold", "ug_offer", "dg_offer" */
    const char *noun;             /* "minimum acceptable amount", "offer" */
    const double *human;          /* one value per human decision, NULL = none */
    long human_n;
    const long *human_pmf;        /* decisions at exactly x %, NULL = none */
    const char *human_cite;       /* its source, printed once per block */
    const char *human_note;       /* the note of the first human_share row */
};

static int emit_status(struct games_rows *out, const struct what *w, const struct sblock *b)
{
    char an[48];
    snprintf(an, sizeof an, "%s_status", w->prefix);
    struct games_key k = { an, b->label, b->trait, b->level, NULL };
    long total = 0;
    for (int s = 0; s < N_ST; s++)
        total += b->status[s];
    for (int s = 0; s < N_ST; s++)
        if (games_emit_value(out, &k, st_names[s], (double)b->status[s], total,
                             s == ST_OK ? "answers whose amount was read (only these are analysed)" : NULL) < 0)
            return -1;
    return 0;
}

static int emit_summary(struct games_rows *out, const struct what *w, const struct sblock *b)
{
    char an[48], note[256];
    snprintf(an, sizeof an, "%s_summary", w->prefix);
    struct games_key k = { an, b->label, b->trait, b->level, NULL };
    double mean = b->n ? gsl_stats_mean(b->v, 1, b->n) : NAN, sd = b->n > 1 ? gsl_stats_sd(b->v, 1, b->n) : NAN;
    snprintf(note, sizeof note, "mean %s, %% of the total%s", w->noun, b->n ? "" : " (no parsed answer)");
    if (games_emit_value(out, &k, "mean", mean, (long)b->n, note) < 0)
        return -1;
    snprintf(note, sizeof note, "sample sd of the %s, %% of the total%s", w->noun,
             b->n > 1 ? "" : " (needs 2 parsed answers)");
    if (games_emit_value(out, &k, "sd", sd, (long)b->n, note) < 0)
        return -1;
    if (!w->human)
        return games_emit_value(out, &k, "welch_t", NAN, (long)b->n, "no human reference data for this game");
    struct stats_ttest t;
    const char *why;
    int rc = stats_welch_t(b->v, b->n, w->human, (size_t)w->human_n, &t, &why);
    if (rc == STATS_NOMEM)
        return diag_error("out of memory");
    if (rc != STATS_OK) {
        snprintf(note, sizeof note, "Welch t-test against humans not defined: %s", why);
        return games_emit_value(out, &k, "welch_t", NAN, (long)b->n + w->human_n, note);
    }
    double vx = gsl_stats_variance(b->v, 1, b->n), vy = gsl_stats_variance(w->human, 1, (size_t)w->human_n);
    double se = sqrt(vx / (double)b->n + vy / (double)w->human_n);
    double q = gsl_cdf_tdist_Pinv(1.0 - (1.0 - GAMES_CI_LEVEL) / 2.0, t.df), d = t.mean_x - t.mean_y;
    long n = (long)b->n + w->human_n;
    snprintf(note, sizeof note, "Welch two-sample t-test of the %s, model vs humans (R t.test, var.equal = FALSE)",
             w->noun);
    if (games_emit(out, &k, "welch_t", t.t, NAN, NAN, t.df, t.p, n, note) < 0)
        return -1;
    snprintf(note, sizeof note, "mean %s, model minus humans, with its Welch 95%% interval", w->noun);
    return games_emit(out, &k, "mean_difference", d, d - q * se, d + q * se, t.df, t.p, n, note);
}

/* The acceptance curve the thresholds imply, at 0, 10, ..., 100 % of the total, with the human one. */
static int emit_curve(struct games_rows *out, const struct games_human *h, const struct sblock *b)
{
    struct games_key k = { "ug_threshold_curve", b->label, b->trait, b->level, NULL };
    for (int x = 0; x <= 100; x += CURVE_STEP) {
        char offer[16];
        snprintf(offer, sizeof offer, "%d", x);
        k.offer = offer;
        size_t acc = 0;
        for (size_t i = 0; i < b->n; i++)
            acc += b->v[i] <= x + 1e-9;
        double lo = NAN, hi = NAN;
        const char *why;
        if (b->n)
            games_wilson(acc, b->n, GAMES_CI_LEVEL, &lo, &hi, &why);
        if (games_emit(out, &k, "acceptance", b->n ? (double)acc / (double)b->n : NAN, lo, hi, NAN, NAN, (long)b->n,
                       "share of runs whose minimum acceptable amount is <= the offer (Wilson 95% CI)") < 0)
            return -1;
        if (h->have_accept &&
            games_emit_value(out, &k, "human_acceptance", (double)h->accept_count[x] / (double)h->accept_n,
                             h->accept_n, x == 0 ? h->accept_cite : NULL) < 0)     /* the citation once */
            return -1;
    }
    return 0;
}

/* Distribution of the amounts in bins of CURVE_STEP % centred on 0, 10, ..., 100 ([x-5, x+5)). */
static int emit_distribution(struct games_rows *out, const struct what *w, const struct sblock *b)
{
    char an[48];
    snprintf(an, sizeof an, "%s_distribution", w->prefix);
    struct games_key k = { an, b->label, b->trait, b->level, NULL };
    for (int x = 0; x <= 100; x += CURVE_STEP) {
        char offer[16];
        snprintf(offer, sizeof offer, "%d", x);
        k.offer = offer;
        double lo = x - CURVE_STEP / 2.0, hi = x + CURVE_STEP / 2.0;
        size_t c = 0;
        for (size_t i = 0; i < b->n; i++)
            c += b->v[i] >= lo && (b->v[i] < hi || (x == 100 && b->v[i] <= 100));
        if (games_emit_value(out, &k, "share", b->n ? (double)c / (double)b->n : NAN, (long)b->n,
                             x == 0 ? "share of parsed amounts in [x - 5, x + 5) % of the total"
                                    : NULL) < 0)
            return -1;
        if (w->human_pmf) {
            long hc = 0;
            for (int v = 0; v <= 100; v++)
                hc += (v >= lo && (v < hi || (x == 100 && v <= 100))) ? w->human_pmf[v] : 0;
            if (games_emit_value(out, &k, "human_share", (double)hc / (double)w->human_n, w->human_n,
                                 x == 0 ? w->human_note : NULL) < 0)
                return -1;
        }
    }
    return 0;
}

static int analyse(struct games_rows *out, const struct games_human *h, const struct what *w, const struct sblock *b,
                   int threshold)
{
    if (emit_status(out, w, b) < 0 || emit_summary(out, w, b) < 0)
        return -1;
    if (threshold && emit_curve(out, h, b) < 0)
        return -1;
    return emit_distribution(out, w, b);
}

/* A condition's amounts against the baseline of the same model (no condition, no persona trait):
 * Welch t and the mean difference, condition minus baseline (R: t.test(condition, baseline)). */
static int emit_vs_baseline(struct games_rows *out, const struct what *w, const struct sblock *b,
                            const struct sblock *base)
{
    char an[48], note[256];
    snprintf(an, sizeof an, "%s_condition", w->prefix);
    struct games_key k = { an, b->label, b->trait, b->level, NULL };
    if (!base->model || strcmp(base->model, b->model) != 0)
        return games_emit_value(out, &k, "welch_t", NAN, (long)b->n, "no baseline (no condition) of this model");
    struct stats_ttest t;
    const char *why;
    int rc = stats_welch_t(b->v, b->n, base->v, base->n, &t, &why);
    if (rc == STATS_NOMEM)
        return diag_error("out of memory");
    long n = (long)(b->n + base->n);
    if (rc != STATS_OK) {
        snprintf(note, sizeof note, "Welch t-test against the baseline not defined: %s", why);
        return games_emit_value(out, &k, "welch_t", NAN, n, note);
    }
    double vx = gsl_stats_variance(b->v, 1, b->n), vy = gsl_stats_variance(base->v, 1, base->n);
    double se = sqrt(vx / (double)b->n + vy / (double)base->n);
    double q = gsl_cdf_tdist_Pinv(1.0 - (1.0 - GAMES_CI_LEVEL) / 2.0, t.df), d = t.mean_x - t.mean_y;
    snprintf(note, sizeof note, "Welch two-sample t-test of the %s, this condition vs the model's baseline "
             "(R t.test, var.equal = FALSE)", w->noun);
    if (games_emit(out, &k, "welch_t", t.t, NAN, NAN, t.df, t.p, n, note) < 0)
        return -1;
    snprintf(note, sizeof note, "mean %s, condition minus baseline, with its Welch 95%% interval", w->noun);
    return games_emit(out, &k, "mean_difference", d, d - q * se, d + q * se, t.df, t.p, n, note);
}

/* A finished block: its rows, then (a baseline) kept in *base for the model's conditions, or (a
 * condition without a persona trait) compared with it. */
static int finish_block(struct games_rows *out, const struct games_human *h, const struct what *w,
                        struct sblock *b, struct sblock *base, int threshold)
{
    if (analyse(out, h, w, b, threshold) < 0)
        return -1;
    if (b->trait || b->level)
        return 0;
    if (b->has_condition)
        return emit_vs_baseline(out, w, b, base);
    /* the baseline: keep its amounts (one model's, at most) until the next model's baseline */
    double *v = realloc(base->v, (b->n ? b->n : 1) * sizeof *v);
    char *m = strdup(b->model);
    if (!v || !m) {
        free(m);
        if (v)
            base->v = v;
        return diag_error("out of memory");
    }
    free(base->model);
    base->v = v;
    base->model = m;
    base->n = b->n;
    if (b->n)
        memcpy(base->v, b->v, b->n * sizeof *v);
    return 0;
}

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* One table: rows (model, condition, trait, level, amount %, status) in block order. */
static int run(sqlite3 *db, const char *sql, struct games_rows *out, const struct games_human *h,
               const struct what *w, int threshold)
{
    sqlite3_stmt *st = store_prepare(db, sql);
    struct sblock b = { 0 }, base = { 0 };
    int rc, ret = -1, have = 0;
    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *model = store_col_text(st, 0), *cond = (const char *)sqlite3_column_text(st, 1);
        const char *trait = (const char *)sqlite3_column_text(st, 2), *level = (const char *)sqlite3_column_text(st, 3);
        const char *status = store_col_text(st, 5);
        char label[512];
        if (cond)
            snprintf(label, sizeof label, "%s [%s]", model, cond);
        else
            snprintf(label, sizeof label, "%s", model);
        if (have && (strcmp(label, b.label) != 0 || !same(trait, b.trait) || !same(level, b.level))) {
            if (finish_block(out, h, w, &b, &base, threshold) < 0)
                goto out;
            sblock_reset(&b);
            have = 0;
        }
        if (!have) {
            b.label = strdup(label);
            b.model = strdup(model);
            b.has_condition = cond != NULL;
            b.trait = dup_or_null(trait);
            b.level = dup_or_null(level);
            if (!b.label || !b.model || (trait && !b.trait) || (level && !b.level)) {
                diag_error("out of memory");
                goto out;
            }
            have = 1;
        }
        int s = 0;
        while (s < N_ST && strcmp(status, st_names[s]) != 0)
            s++;
        if (s == N_ST) {
            diag_error("store: unknown status '%s' in %s", status, w->prefix);
            goto out;
        }
        b.status[s]++;
        if (s == ST_OK && sqlite3_column_type(st, 4) != SQLITE_NULL) {
            if (b.n == b.cap) {
                size_t cap = b.cap ? 2 * b.cap : 64;
                double *v = realloc(b.v, cap * sizeof *v);
                if (!v) {
                    diag_error("out of memory");
                    goto out;
                }
                b.v = v;
                b.cap = cap;
            }
            b.v[b.n++] = sqlite3_column_double(st, 4);
        }
    }
    if (rc != SQLITE_DONE) {
        diag_error("store: %s", sqlite3_errmsg(db));
        goto out;
    }
    if (have && finish_block(out, h, w, &b, &base, threshold) < 0)
        goto out;
    ret = 0;
out:
    sqlite3_finalize(st);
    sblock_reset(&b);
    free(b.v);
    sblock_reset(&base);
    free(base.v);
    return ret;
}

#define ORDER " ORDER BY s.model, s.condition IS NOT NULL, s.condition, x.trait IS NOT NULL, x.trait, x.level"

int games_strategy(sqlite3 *db, const struct games_human *h, const struct games_opts *o, struct games_rows *out)
{
    static const char thr_sql[] =
        "SELECT s.model, s.condition, x.trait, x.level, x.threshold / x.total * 100, x.status "
        "FROM ultimatum_threshold x JOIN subject s ON s.id = x.subject_id" ORDER ", x.id";
    static const char ug_sql[] =
        "SELECT s.model, s.condition, x.trait, x.level, x.amount / x.total * 100, x.status "
        "FROM game_offer x JOIN subject s ON s.id = x.subject_id WHERE x.game = 'ultimatum'" ORDER ", x.id";
    static const char dg_sql[] =
        "SELECT s.model, s.condition, x.trait, x.level, x.amount / x.total * 100, x.status "
        "FROM game_offer x JOIN subject s ON s.id = x.subject_id WHERE x.game = 'dictator'" ORDER ", x.id";
    long pmf_accept[GAMES_HUMAN_MAX_X + 1];
    double *hacc = NULL, *hoff = NULL;
    int ret = -1;
    (void)o;
    if (h->have_accept) {
        for (int x = 0; x <= GAMES_HUMAN_MAX_X; x++)
            pmf_accept[x] = h->accept_count[x] - (x ? h->accept_count[x - 1] : 0);
        if (!(hacc = expand(pmf_accept, h->accept_n)))
            return diag_error("out of memory");
    }
    if (h->have_offer && !(hoff = expand(h->offer_count, h->offer_n))) {
        free(hacc);
        return diag_error("out of memory");
    }
    const struct what thr = { "ug_threshold", "minimum acceptable amount", hacc, h->accept_n,
                              h->have_accept ? pmf_accept : NULL, h->accept_cite,
                              "share of human MobLab responders' minimums in the bin (source: ug_threshold_curve)" };
    const struct what ugo = { "ug_offer", "offer", hoff, h->offer_n, h->have_offer ? h->offer_count : NULL,
                              h->offer_cite, h->offer_cite };
    const struct what dgo = { "dg_offer", "dictator offer", NULL, 0, NULL, NULL, NULL };
    if (run(db, thr_sql, out, h, &thr, 1) == 0 && run(db, ug_sql, out, h, &ugo, 0) == 0 &&
        run(db, dg_sql, out, h, &dgo, 0) == 0)
        ret = 0;
    free(hacc);
    free(hoff);
    return ret;
}
