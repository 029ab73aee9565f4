/* metrics/games_ug.c -- `psyfaith games ultimatum`: the Ultimatum Game analyses of Zakazov et al.
 * (Figures 3, 5, 6, 7 and RQ1/RQ2) from the store's ultimatum table, one model at a time.
 *
 * A trial's condition is its (trait, level), taken from the record, or from the subject's persona
 * ("agreeableness=7", see games_persona) when the record names neither; a persona that is empty,
 * "baseline" or "none" = baseline; anything else is counted as unplaced.  Only trials whose
 * answer parsed (status ok) enter the analyses; every status is counted in ug_status rows.
 *
 * Every analysis runs once per model and experimental condition (subject.condition; NULL = the
 * baseline, read first and kept in memory while the model's conditions are read); a condition's
 * cells are then compared with the baseline's same cell (ug_condition, games_ug_cond.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "diag.h"
#include "metrics/games_int.h"
#include "metrics/stats.h"
#include "store/store.h"

static const char ug_sql[] =
    "SELECT s.model, u.trait, u.level, s.persona, u.offer, u.total, u.decision, u.status, s.condition "
    "FROM ultimatum u JOIN subject s ON s.id = u.subject_id "
    "ORDER BY s.model, s.condition IS NOT NULL, s.condition, u.id";

enum { ST_OK, ST_AMBIGUOUS, ST_REFUSAL, ST_UNPARSED, ST_UNPLACED, ST_NO_TRAIT, N_STATUS };
static const char *const status_names[N_STATUS] = { "ok",       "ambiguous", "refusal",
                                                    "unparsed", "unplaced",  "persona_without_trait" };


struct block {                 /* one model x condition's trials */
    char *model;
    char *condition;           /* NULL = the baseline */
    struct games_ug_trial *t;           /* status ok and placed, in SQL order */
    size_t n, cap;
    long status[N_STATUS];
    int one_total;             /* every trial has the same total */
};

struct ctx {
    const struct games_human *h;
    const struct games_opts *o;
    struct games_rows *out;
};

static void offer_label(const struct block *b, double offer, double total, char *buf, size_t size)
{
    char o[40], t[40];
    games_fmt(o, sizeof o, offer);
    if (b->one_total) {
        snprintf(buf, size, "%s", o);
    } else {
        games_fmt(t, sizeof t, total);
        snprintf(buf, size, "%s/%s", o, t);
    }
}

/* The trials of one trait (or the baseline): [*lo, *hi) of b->t. */
static void trait_range(const struct block *b, int trait, size_t *lo, size_t *hi)
{
    size_t i = 0;
    while (i < b->n && b->t[i].trait != trait)
        i++;
    *lo = i;
    while (i < b->n && b->t[i].trait == trait)
        i++;
    *hi = i;
}

/* Figure 5 (and Figure 3 for the baseline): acceptance rate per condition and offer. */
static int acceptance_rows(const struct ctx *c, const struct block *b)
{
    char lvl[8], off[96];
    for (size_t i = 0; i < b->n;) {
        size_t j = i, k = 0;
        while (j < b->n && b->t[j].trait == b->t[i].trait && b->t[j].level == b->t[i].level &&
               b->t[j].offer == b->t[i].offer && b->t[j].total == b->t[i].total)
            k += (size_t)b->t[j++].accept;
        double lo, hi;
        games_wilson(k, j - i, GAMES_CI_LEVEL, &lo, &hi, NULL);
        snprintf(lvl, sizeof lvl, "%d", b->t[i].level);
        offer_label(b, b->t[i].offer, b->t[i].total, off, sizeof off);
        int base = b->t[i].trait < 0;
        struct games_key key = { "ug_acceptance", b->model, base ? NULL : games_traits[b->t[i].trait],
                                 base ? NULL : lvl, off };
        if (games_emit(c->out, &key, "acceptance_rate", (double)k / (double)(j - i), lo, hi, NAN, NAN,
                       (long)(j - i), base ? "baseline (no persona); Wilson 95% interval" : "Wilson 95% interval") < 0)
            return -1;
        i = j;
    }
    return 0;
}

/* Figure 3: the baseline acceptance curve against the human one. */
static int human_rows(const struct ctx *c, const struct block *b)
{
    const struct games_human *h = c->h;
    size_t lo, hi, offers = 0;
    double sum_abs = 0.0;
    char off[96];
    trait_range(b, -1, &lo, &hi);
    if (lo == hi || !h->have_accept || b->condition)   /* the human responders had no condition */
        return 0;
    for (size_t i = lo; i < hi;) {
        size_t j = i, k = 0;
        while (j < hi && b->t[j].offer == b->t[i].offer && b->t[j].total == b->t[i].total)
            k += (size_t)b->t[j++].accept;
        double share = b->t[i].offer / b->t[i].total, rate = (double)k / (double)(j - i);
        /* human minimum acceptable amounts are whole percentages: min <= 100 s iff min <= floor(100 s) */
        long x = (long)floor(100.0 * share + 1e-9);
        long hk = h->accept_count[x];
        double hrate = (double)hk / (double)h->accept_n, hlo, hhi;
        games_wilson((size_t)hk, (size_t)h->accept_n, GAMES_CI_LEVEL, &hlo, &hhi, NULL);
        offer_label(b, b->t[i].offer, b->t[i].total, off, sizeof off);
        struct games_key key = { "ug_human", b->model, NULL, NULL, off };
        if (games_emit(c->out, &key, "human_acceptance_rate", hrate, hlo, hhi, NAN, NAN, h->accept_n,
                       h->accept_cite) < 0 ||
            games_emit_value(c->out, &key, "baseline_minus_human", rate - hrate, (long)(j - i),
                             "model baseline acceptance rate minus the human rate at the same share of the total") < 0)
            return -1;
        sum_abs += fabs(rate - hrate);
        offers++;
        i = j;
    }
    struct games_key key = { "ug_human", b->model, NULL, NULL, NULL };
    return games_emit_value(c->out, &key, "mean_abs_difference", sum_abs / (double)offers, (long)offers,
                            "mean over the baseline's offers of |model - human| acceptance rate");
}

static int fit_failed(const struct ctx *c, const struct games_key *key, const char *why, long n)
{
    char note[200];
    snprintf(note, sizeof note, "not estimable: %s", why ? why : "unknown reason");
    return games_emit(c->out, key, "fit", NAN, NAN, NAN, NAN, NAN, n, note);
}

/* theta_<level> rows and theta_o of a cell-means fit. */
static int theta_rows(const struct ctx *c, const struct games_key *base, const struct games_fit *f,
                      const int *levels, size_t k, int wald)
{
    char lvl[8], term[16], note[320];
    const char *warn = f->boundary ? "; fitted probabilities numerically 0 or 1 occurred (separation?): "
                                     "estimates unreliable"
                                   : "";
    for (size_t j = 0; j <= k; j++) {
        struct games_key key = *base;
        if (j < k) {
            snprintf(lvl, sizeof lvl, "%d", levels[j]);
            snprintf(term, sizeof term, "theta_%d", levels[j]);
            key.level = lvl;
        } else {
            snprintf(term, sizeof term, "theta_o");
        }
        if (wald)
            snprintf(note, sizeof note, "%s; Wald 95%% interval and z test%s",
                     j < k ? "log-odds of acceptance at this level and offer 0" : "log-odds per unit of offer / total",
                     warn);
        else
            snprintf(note, sizeof note, "%s; t interval and test",
                     j < k ? "acceptance at this level and offer 0 (cell mean)" : "acceptance per unit of offer / total");
        if (games_emit(c->out, &key, term, f->coef[j], f->lo[j], f->hi[j], wald ? NAN : f->df, f->p_value[j],
                       (long)f->n, note) < 0)
            return -1;
    }
    return 0;
}

/* Figure 7: per offer, the acceptance rate by level regressed on the level. */
static int offer_rows(const struct ctx *c, const struct block *b, const struct games_ug_trial *t, size_t n, const char *trait)
{
    double *seen_o = malloc(n * sizeof *seen_o), *seen_t = malloc(n * sizeof *seen_t);
    double lv[9], rate[9];
    size_t nseen = 0;
    int ret = -1;
    char off[96];
    if (!seen_o || !seen_t) {
        diag_error("out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        size_t s = 0;
        while (s < nseen && !(seen_o[s] == t[i].offer && seen_t[s] == t[i].total))
            s++;
        if (s < nseen)
            continue;
        seen_o[nseen] = t[i].offer;
        seen_t[nseen++] = t[i].total;
    }
    for (size_t s = 0; s < nseen; s++) {
        size_t acc[10] = { 0 }, cnt[10] = { 0 }, m = 0;
        for (size_t i = 0; i < n; i++)
            if (t[i].offer == seen_o[s] && t[i].total == seen_t[s]) {
                acc[t[i].level] += (size_t)t[i].accept;
                cnt[t[i].level]++;
            }
        for (int l = 1; l <= 9; l++)
            if (cnt[l]) {
                lv[m] = l;
                rate[m++] = (double)acc[l] / (double)cnt[l];
            }
        offer_label(b, seen_o[s], seen_t[s], off, sizeof off);
        struct games_key key = { "ug_offer_regression", b->model, trait, NULL, off };
        if (m < 3) {
            if (games_emit(c->out, &key, "r2", NAN, NAN, NAN, NAN, NAN, (long)m,
                           "needs acceptance rates at 3 or more levels") < 0)
                goto out;
            continue;
        }
        gsl_matrix *X = gsl_matrix_alloc(m, 2);
        gsl_vector *y = gsl_vector_alloc(m);
        if (!X || !y) {
            gsl_matrix_free(X);
            gsl_vector_free(y);
            diag_error("out of memory");
            goto out;
        }
        for (size_t i = 0; i < m; i++) {
            gsl_matrix_set(X, i, 0, 1.0);
            gsl_matrix_set(X, i, 1, lv[i]);
            gsl_vector_set(y, i, rate[i]);
        }
        struct games_fit f;
        const char *why;
        int rc = games_ols(X, y, 1, &f, &why);
        gsl_matrix_free(X);
        gsl_vector_free(y);
        if (rc == STATS_NOMEM) {
            diag_error("out of memory");
            goto out;
        }
        if (rc != STATS_OK) {
            if (fit_failed(c, &key, why, (long)m) < 0)
                goto out;
            continue;
        }
        rc = games_emit(c->out, &key, "slope", f.coef[1], f.lo[1], f.hi[1], f.df, f.p_value[1], (long)m,
                        f.constant_y ? "no variation in the acceptance rate: the slope is 0, with no test"
                                     : "change in acceptance rate per trait level: lm(rate ~ level) over the levels") < 0 ||
             games_emit(c->out, &key, "r2", f.r2, NAN, NAN, f.df, NAN, (long)m,
                        isnan(f.r2) ? "no variation in the acceptance rate" : "R^2 of lm(rate ~ level)") < 0;
        games_fit_free(&f);
        if (rc)
            goto out;
    }
    ret = 0;
out:
    free(seen_o);
    free(seen_t);
    return ret;
}

/* Figure 6, its logistic version, the trend test, monotonicity and the verdict for one trait. */
static int trait_rows(const struct ctx *c, const struct block *b, int trait)
{
    size_t lo, hi;
    trait_range(b, trait, &lo, &hi);
    const struct games_ug_trial *t = b->t + lo;
    const size_t n = hi - lo;
    const char *code = games_traits[trait];
    int *lev = malloc(n * sizeof *lev), levels[9];
    double *o = malloc(n * sizeof *o);
    gsl_vector *y = gsl_vector_alloc(n);
    gsl_matrix *X = NULL, *Xt = NULL;
    struct games_fit ols = { 0 }, logit = { 0 }, trend = { 0 };
    int *lv_all = malloc(n * sizeof *lv_all);
    size_t k = 0;
    int ret = -1, have_ols = 0, have_trend = 0;
    const char *why;
    if (!lev || !o || !y || !lv_all) {
        diag_error("out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        lev[i] = t[i].level;
        o[i] = t[i].offer / t[i].total;
        gsl_vector_set(y, i, t[i].accept);
    }
    if (games_cellmeans_design(lev, o, n, &X, lv_all, &k, &why) != STATS_OK) {
        diag_error("out of memory");
        goto out;
    }
    memcpy(levels, lv_all, k * sizeof *levels);

    struct games_key key = { "ug_ols", b->model, code, NULL, NULL };
    int rc = games_ols(X, y, 0, &ols, &why);
    if (rc == STATS_NOMEM)
        goto oom;
    if (rc != STATS_OK) {
        if (fit_failed(c, &key, why, (long)n) < 0)
            goto out;
    } else {
        have_ols = 1;
        if (theta_rows(c, &key, &ols, levels, k, 0) < 0 ||
            games_emit(c->out, &key, "r2", ols.r2, NAN, NAN, ols.df, NAN, (long)n,
                       "uncentred R^2 = 1 - RSS / sum(y^2): the model has no intercept, so R's summary.lm uses the "
                       "uncentred total sum of squares; cell-means form lm(y ~ 0 + factor(level) + o), the paper's "
                       "c is not identifiable beside all nine dummies") < 0 ||
            games_emit(c->out, &key, "adj_r2", ols.adj_r2, NAN, NAN, ols.df, NAN, (long)n,
                       "adjusted uncentred R^2, as R's summary.lm for a no-intercept model") < 0)
            goto out;
    }

    key.analysis = "ug_logit";
    rc = games_logit(X, y, &logit, &why);
    if (rc == STATS_NOMEM)
        goto oom;
    if (rc != STATS_OK) {
        if (fit_failed(c, &key, why, (long)n) < 0)
            goto out;
    } else {
        if (theta_rows(c, &key, &logit, levels, k, 1) < 0 ||
            games_emit(c->out, &key, "deviance", logit.deviance, NAN, NAN, logit.df, NAN, (long)n,
                       logit.boundary ? "residual deviance of glm(y ~ 0 + factor(level) + o, binomial); fitted "
                                        "probabilities numerically 0 or 1 occurred"
                                      : "residual deviance of glm(y ~ 0 + factor(level) + o, binomial)") < 0 ||
            games_emit(c->out, &key, "aic", logit.aic, NAN, NAN, NAN, NAN, (long)n, "AIC = deviance + 2p") < 0)
            goto out;
    }

    /* The trend test behind the verdict: logistic regression on the level as a number. */
    key.analysis = "ug_trend";
    if (!(Xt = gsl_matrix_alloc(n, 3)))
        goto oom;
    for (size_t i = 0; i < n; i++) {
        gsl_matrix_set(Xt, i, 0, 1.0);
        gsl_matrix_set(Xt, i, 1, lev[i]);
        gsl_matrix_set(Xt, i, 2, o[i]);
    }
    rc = k >= 2 ? games_logit(Xt, y, &trend, &why) : STATS_UNDEFINED;
    if (k < 2)
        why = "needs 2 or more levels";
    if (rc == STATS_NOMEM)
        goto oom;
    if (rc != STATS_OK) {
        if (fit_failed(c, &key, why, (long)n) < 0)
            goto out;
    } else {
        static const char *const terms[3] = { "intercept", "slope_level", "slope_o" };
        static const char *const notes[3] = {
            "glm(accept ~ level + o, binomial): log-odds at level 0 and offer 0",
            "glm(accept ~ level + o, binomial): change in log-odds per trait level; Wald z test",
            "glm(accept ~ level + o, binomial): change in log-odds per unit of normalised offer",
        };
        char note[320];
        have_trend = 1;
        for (int j = 0; j < 3; j++) {
            snprintf(note, sizeof note, "%s%s", notes[j],
                     trend.boundary ? "; fitted probabilities numerically 0 or 1 occurred (separation?)" : "");
            if (games_emit(c->out, &key, terms[j], trend.coef[j], trend.lo[j], trend.hi[j], NAN, trend.p_value[j],
                           (long)n, note) < 0)
                goto out;
        }
    }

    /* RQ2: is theta_i monotone in the level? */
    size_t violations = 0;
    int model_dir = have_trend ? (trend.coef[1] > 0) - (trend.coef[1] < 0) : 0;
    if (have_ols) {
        double lvd[9], theta[9], rho;
        key.analysis = "ug_monotonicity";
        for (size_t j = 0; j < k; j++) {
            lvd[j] = levels[j];
            theta[j] = ols.coef[j];
        }
        games_snap_ties(theta, k);
        rc = k >= 2 ? stats_spearman(lvd, theta, k, &rho, &why) : STATS_UNDEFINED;
        if (k < 2)
            why = "needs 2 or more levels";
        if (rc == STATS_NOMEM)
            goto oom;
        int rho_dir = rc == STATS_OK ? (rho > 0) - (rho < 0) : 0;
        char note[160];
        if (rc == STATS_OK)
            snprintf(note, sizeof note, "Spearman rho of theta_i (OLS) with the level");
        else
            snprintf(note, sizeof note, "Spearman rho undefined: %s", why);
        if (games_emit(c->out, &key, "spearman_rho", rc == STATS_OK ? rho : NAN, NAN, NAN, NAN, NAN, (long)k, note) < 0)
            goto out;
        size_t v = games_violations(theta, k, rho_dir);
        if (games_emit_value(c->out, &key, "violations", (double)v, k ? (long)k - 1 : 0,
                             rho_dir > 0   ? "adjacent theta_i steps that go down although rho > 0 (n = steps)"
                             : rho_dir < 0 ? "adjacent theta_i steps that go up although rho < 0 (n = steps)"
                                           : "rho is 0 or undefined: the smaller of the up and down step counts") < 0)
            goto out;
        violations = games_violations(theta, k, model_dir);
    }
    if (offer_rows(c, b, t, n, code) < 0)
        goto out;

    struct games_verdict v = {
        .experiment = "ultimatum", .model = b->model, .trait = code,
        .behaviour = "acceptance of unfair offers",
        .human_dir = c->h->ug_direction[trait], .human_cite = c->h->ug_dir_cite[trait],
        .model_dir = model_dir, .effect = have_trend ? trend.coef[1] : NAN,
        .effect_name = "logistic slope per level", .p = have_trend ? trend.p_value[1] : NAN,
        .test = "Wald z test of the level slope in glm(accept ~ level + o, binomial)",
        .violations = violations, .steps = have_ols && k ? k - 1 : 0,
        .monotone_of = have_ols ? "theta_i (OLS cell means) over the levels" : NULL, .n = (long)n,
    };
    ret = games_verdict(c->out, &v, c->o->alpha);
    goto out;
oom:
    diag_error("out of memory");
out:
    games_fit_free(&ols);
    games_fit_free(&logit);
    games_fit_free(&trend);
    gsl_matrix_free(X);
    gsl_matrix_free(Xt);
    gsl_vector_free(y);
    free(lev);
    free(o);
    free(lv_all);
    return ret;
}

/* Baseline first, then traits in EXT AGR CONS EMO OPEN order; within, level, total, offer. */
static int cmp_trial(const void *pa, const void *pb)
{
    const struct games_ug_trial *a = pa, *b = pb;
    if (a->trait != b->trait)
        return a->trait < b->trait ? -1 : 1;
    if (a->level != b->level)
        return a->level < b->level ? -1 : 1;
    if (a->total != b->total)
        return a->total < b->total ? -1 : 1;
    return (a->offer > b->offer) - (a->offer < b->offer);
}

static int analyse(const struct ctx *c, struct block *b, const struct block *ref)
{
    long total = 0;
    if (b->n)
        qsort(b->t, b->n, sizeof *b->t, cmp_trial);
    for (int s = 0; s < N_STATUS; s++)
        total += b->status[s];
    struct games_key key = { "ug_status", b->model, NULL, NULL, NULL };
    for (int s = 0; s < N_STATUS; s++)
        if (games_emit_value(c->out, &key, status_names[s], (double)b->status[s], total,
                             s == ST_OK         ? "trials analysed"
                             : s == ST_UNPLACED ? "parsed, but a trait without a usable level or a level "
                                                  "without a trait (not analysed)"
                             : s == ST_NO_TRAIT ? "parsed, but the persona names no trait (such a persona "
                                                  "is not a condition: give the record a condition field; "
                                                  "not analysed)"
                                                : "answer not parsed to accept/reject (not analysed)") < 0)
            return -1;
    b->one_total = 1;
    for (size_t i = 1; i < b->n; i++)
        if (b->t[i].total != b->t[0].total)
            b->one_total = 0;
    if (acceptance_rows(c, b) < 0 || human_rows(c, b) < 0)
        return -1;
    for (size_t i = 0; i < b->n;) {
        int trait = b->t[i].trait;
        if (trait >= 0 && trait_rows(c, b, trait) < 0)
            return -1;
        while (i < b->n && b->t[i].trait == trait)
            i++;
    }
    return b->condition ? games_ug_condition_rows(c->out, b->model, b->t, b->n, ref ? ref->t : NULL, ref ? ref->n : 0)
                        : 0;
}

static int add_trial(struct block *b, const struct games_ug_trial *t)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 1024;
        struct games_ug_trial *v = realloc(b->t, cap * sizeof *v);
        if (!v)
            return diag_error("out of memory");
        b->t = v;
        b->cap = cap;
    }
    b->t[b->n++] = *t;
    return 0;
}

static void block_reset(struct block *b)
{
    free(b->model);
    free(b->condition);
    b->model = b->condition = NULL;
    b->n = 0;
    memset(b->status, 0, sizeof b->status);
}

/* One trial: counted by status; kept when its answer parsed and its condition is known. */
static int read_row(sqlite3_stmt *st, struct block *b)
{
    const char *trait = store_col_text(st, 1), *status = store_col_text(st, 7);
    int has_level = sqlite3_column_type(st, 2) != SQLITE_NULL, placed = 1;
    struct games_ug_trial t = { .trait = -1, .offer = sqlite3_column_double(st, 4), .total = sqlite3_column_double(st, 5),
                       .accept = sqlite3_column_int(st, 6) };
    if (!status || strcmp(status, "ok") != 0 || sqlite3_column_type(st, 6) == SQLITE_NULL) {
        int s = ST_UNPARSED;
        for (int k = ST_AMBIGUOUS; k <= ST_UNPARSED; k++)
            if (status && strcmp(status, status_names[k]) == 0)
                s = k;
        b->status[s]++;
        return 0;
    }
    if (trait || has_level) {                  /* the record's own fields: both or nothing */
        t.trait = games_trait_index(trait);
        t.level = has_level ? sqlite3_column_int(st, 2) : 0;
        placed = t.trait >= 0 && t.level >= 1 && t.level <= 9;
    } else {                                   /* else the persona, or the baseline */
        char lvl[8];
        int p = games_persona(store_col_text(st, 3), &t.trait, lvl);
        t.level = p == 1 && lvl[0] >= '1' && lvl[0] <= '9' ? lvl[0] - '0' : 0;
        placed = p == 0 || (p == 1 && t.level > 0);
        if (p == 0)
            t.trait = -1;
        if (p == -2) {
            b->status[ST_NO_TRAIT]++;
            return 0;
        }
    }
    if (!placed) {
        b->status[ST_UNPLACED]++;
        return 0;
    }
    b->status[ST_OK]++;
    return add_trial(b, &t);
}

static int same_text(const char *a, const char *b)   /* NULL = NULL */
{
    return a ? b && strcmp(a, b) == 0 : !b;
}

/* Analyses block b (one model x condition); a model's baseline block is then kept in *base. */
static int finish_block(const struct ctx *c, struct block *b, struct block *base)
{
    if (base->model && strcmp(base->model, b->model) != 0)
        block_reset(base);
    c->out->condition = b->condition;
    int rc = analyse(c, b, base->model ? base : NULL);
    c->out->condition = NULL;
    if (rc < 0)
        return -1;
    if (!b->condition) {                 /* the baseline: keep it, reuse the old one's buffer */
        struct block t = *base;
        *base = *b;
        *b = t;
    }
    block_reset(b);
    return 0;
}

/* Whether the store has strategy-method or proposer records (0 also when the query fails: the
 * note it decides is only a hint). */
static int strategy_records(sqlite3 *db)
{
    sqlite3_stmt *st = store_prepare(db, "SELECT EXISTS (SELECT 1 FROM ultimatum_threshold) OR "
                                         "EXISTS (SELECT 1 FROM game_offer)");
    int has = st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return has;
}

int games_ultimatum(sqlite3 *db, const struct games_human *h, const struct games_opts *o,
                    struct games_rows *out)
{
    const struct ctx c = { h, o, out };
    struct block b = { 0 }, base = { 0 };
    sqlite3_stmt *st = store_prepare(db, ug_sql);
    int ret = -1, rc;
    size_t before = out->len;
    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *model = store_col_text(st, 0), *cond = store_col_text(st, 8);
        if (b.model && (strcmp(model, b.model) != 0 || !same_text(cond, b.condition))) {
            if (finish_block(&c, &b, &base) < 0)
                goto out;
        }
        if (!b.model && (!(b.model = strdup(model)) || (cond && !(b.condition = strdup(cond))))) {
            diag_error("out of memory");
            goto out;
        }
        if (read_row(st, &b) < 0)
            goto out;
    }
    if (rc != SQLITE_DONE) {
        diag_error("store: %s", sqlite3_errmsg(db));
        goto out;
    }
    if (b.model && finish_block(&c, &b, &base) < 0)
        goto out;
    if (out->len == before && !strategy_records(db))   /* games_strategy() has rows to show */
        diag_note("no ultimatum trials in the store");
    ret = 0;
out:
    out->condition = NULL;
    sqlite3_finalize(st);
    block_reset(&b);
    block_reset(&base);
    free(b.t);
    free(base.t);
    return ret;
}
