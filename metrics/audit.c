/* metrics/audit.c -- `psyfaith audit`: reading claims, and judging each on the store.
 * Here: the options, reading claim files, game claims and audit_run(); the claim grammar is in
 * audit_claims.c, the result rows in audit_rows.c, the scope, CIs and gate in audit_judge.c and the
 * questionnaire claims in audit_eval.c (shared declarations: audit_int.h).
 *
 * What a claim is judged on (the README and `psyfaith audit --help` repeat this):
 * - Conditions: each experimental condition is its own study (as psyfaith metrics): the claims
 *   are judged on the subjects of one condition at a time, including InC, BC and the gate; a claim
 *   without a condition scope gets one result per condition with questionnaire data.
 * - The subjects in scope: the model's subjects (model x temperature x persona) that match the
 *   scope's persona ("baseline" = no persona) and temperature and answered the instrument; a
 *   subject's score is its per-item mean (score_of, prorated at --min-answered), as psyfaith scores.
 * - level (AGR >= 4, between): the mean of those scores; percentile: 100 Phi((mean - norm mean) /
 *   norm sd) against a norm of the instrument, as psyfaith metrics' norm_percentile; stable: TrC
 *   over the subjects in scope (each subject's Eq. 2 over its repetitions, averaged), and InC and
 *   BC as psyfaith metrics computes them over all the store's subjects (they are correlations
 *   across subjects); steerable: Spearman rho of persona level and score over the model's subjects
 *   with a level of that trait (any persona scope is ignored), plus the steps between adjacent levels
 *   that lower the mean score; steerable GAME: the games command's verdict for the model and trait.
 * - CIs: percentile bootstrap over the subjects in scope (stats_bootstrap_ci, --bootstrap B resamples,
 *   --seed S), so that the same seed gives the same verdicts; games: the games command's 95% intervals.
 * - The faithfulness gate: level, percentile and steerable (questionnaire) claims are not measurable
 *   unless `psyfaith metrics --summary` calls the instrument x dimension faithful over the whole store
 *   (every defined thresholded coefficient reaches its threshold); its failing coefficients are the
 *   reason.  Stable claims are judged on those coefficients themselves; games have no gate.
 * - Verdicts: supported when the CI lies entirely on the claimed side (and the value too);
 *   contradicted when it lies entirely on the other side; not supported otherwise; not measurable
 *   when there is too little data (fewer than --min-subjects subjects, no persona levels, no
 *   trials) or the gate fails.  Without a CI (--bootstrap 0, or none defined) the value alone decides
 *   between supported and not supported, and the reason says so. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "metrics/audit.h"
#include "metrics/audit_int.h"
#include "metrics/faith.h"
#include "metrics/games_api.h"
#include "metrics/scores.h"
#include "metrics/stats.h"
#include "store/store.h"
#include "util.h"

void audit_options_default(struct audit_options *o)
{
    struct faith_options f;
    faith_options_default(&f);
    memset(o, 0, sizeof *o);        /* every field, also those added later (units_runs was not set) */
    o->bootstrap = 1000;
    o->seed = 1;
    o->level = 0.95;
    o->reliability = f.reliability;
    o->validity = f.validity;
    o->min_share = f.min_share;
    o->alpha = 0.05;
    o->min_subjects = 2;
    o->max_violations = 0;
}

const char *audit_verdict_name(enum audit_verdict v)
{
    switch (v) {
    case AUDIT_SUPPORTED: return "supported";
    case AUDIT_NOT_SUPPORTED: return "not supported";
    case AUDIT_CONTRADICTED: return "contradicted";
    default: return "not measurable";
    }
}

/* ---- reading claims ------------------------------------------------------------------------- */

static const char *keep(struct audit_list *l, const char *s)
{
    char **p = realloc(l->strings, (l->n_strings + 1) * sizeof *p);
    if (!p)
        return NULL;
    l->strings = p;
    if (!(p[l->n_strings] = strdup(s)))
        return NULL;
    return p[l->n_strings++];
}

/* An option's value wins over the file's; "*" = any. */
static const char *pick(const char *cli, const char *file)
{
    if (!cli)
        return file;
    return strcmp(cli, "*") == 0 ? NULL : cli;
}

/* A scope line updates *sc; a claim is appended with the effective scope (command line first). */
static int take(struct audit_list *l, const struct audit_claim *c, const char *path, long line, struct audit_scope *sc)
{
    if (c->kind == AUDIT_SCOPE) {
        const char *v = c->value[0] ? keep(l, c->value) : NULL;
        if (c->value[0] && !v)
            return diag_error("out of memory");
        switch (c->field) {
        case AUDIT_F_MODEL: sc->model = v; break;
        case AUDIT_F_PERSONA: sc->persona = v; break;
        case AUDIT_F_INSTRUMENT: sc->instrument = v; break;
        case AUDIT_F_CONDITION: sc->condition = v; break;
        case AUDIT_F_TEMPERATURE:
            sc->has_temperature = c->has_temperature;
            sc->temperature = c->temperature;
            break;
        }
        return 0;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct audit_item *p = realloc(l->v, cap * sizeof *p);
        if (!p)
            return diag_error("out of memory");
        l->v = p;
        l->cap = cap;
    }
    struct audit_item *it = &l->v[l->n++];
    it->c = *c;
    it->path = path;
    it->line = line;
    it->scope.model = pick(l->cli.model, sc->model);
    it->scope.persona = pick(l->cli.persona, sc->persona);
    it->scope.instrument = pick(l->cli.instrument, sc->instrument);
    it->scope.condition = pick(l->cli.condition, sc->condition);
    if (c->condition[0] && !(it->scope.condition = keep(l, c->condition)))   /* the claim's own wins */
        return diag_error("out of memory");
    it->scope.has_temperature = l->cli.has_temperature || sc->has_temperature;
    it->scope.temperature = l->cli.has_temperature ? l->cli.temperature : sc->temperature;
    return 0;
}

static int parse_one(struct audit_list *l, const char *text, size_t len, const char *path, long line,
                     struct audit_scope *sc)
{
    struct audit_claim *c = malloc(sizeof *c);   /* 1.5 KiB: not on the stack of a loop */
    struct audit_error err;
    if (!c)
        return diag_error("out of memory");
    int r = audit_parse_claim_n(text, len, c, &err), ret = 0;
    if (r < 0) {
        struct srcpos pos = { path, line, err.col, 0 };
        ret = diag_at(&pos, "error: %s", err.msg);
    } else if (r > 0) {
        ret = take(l, c, path, line, sc);
    }
    free(c);
    return ret;
}

int audit_list_add_text(struct audit_list *l, const char *text, long index)
{
    return parse_one(l, text, strlen(text), "--claim", index, &l->texts);
}

int audit_list_add_file(struct audit_list *l, const char *path)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    struct audit_scope sc = { 0 };
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long no = 0;
    int ret = 0;
    if (!fp)
        return diag_error("cannot read claims file '%s': %s", path, strerror(errno));
    while ((n = getline(&line, &cap, fp)) >= 0) {
        no++;
        if (n > 0 && line[n - 1] == '\n')
            n--;
        if (parse_one(l, line, (size_t)n, path, no, &sc) < 0)
            ret = -1;           /* report every malformed line, then fail */
    }
    if (ferror(fp))
        ret = diag_error("cannot read claims file '%s': %s", path, strerror(errno));
    free(line);
    if (fp != stdin)
        fclose(fp);
    return ret;
}

void audit_list_free(struct audit_list *l)
{
    for (size_t i = 0; i < l->n_strings; i++)
        free(l->strings[i]);
    free(l->strings);
    free(l->v);
    l->strings = NULL;
    l->v = NULL;
    l->n = l->cap = l->n_strings = 0;
}

static int eval_game(struct run *r, size_t idx, const struct audit_item *it)
{
    const struct audit_claim *c = &it->c;
    int e = c->game == AUDIT_GAME_ULTIMATUM ? GAMES_ULTIMATUM : GAMES_MILGRAM;
    const char *game = e == GAMES_ULTIMATUM ? "ultimatum" : "milgram";
    const char *dim = c->reverse ? "N" : dimension_codes[c->dimension];
    size_t rows = 0;
    if (!r->have_g[e]) {
        if (games_trait_verdicts(r->db, (enum games_experiment)e, r->o->alpha, &r->g[e], &r->ng[e]) < 0)
            return -1;
        r->have_g[e] = 1;
    }
    for (size_t i = 0; i < r->ng[e]; i++) {
        const struct games_trait_verdict *g = &r->g[e][i];
        char v[32], lo[32], hi[32];
        if (g->trait != c->dimension || (it->scope.model && strcmp(g->model, it->scope.model) != 0))
            continue;
        rows++;
        audit_vd_reset(r);
        audit_add(r, &r->vd.threshold, "%s: the %s effect's 95%% CI on the human side of 0 (p < %g), violations <= %ld", game,
            dimension_codes[c->dimension], r->o->alpha, r->o->max_violations);
        r->vd.value = g->effect;
        r->vd.lo = g->ci_low;
        r->vd.hi = g->ci_high;
        r->vd.n = g->n;
        audit_add(r, &r->vd.evidence, "psyfaith games %s verdict rows for %s %s", game, g->model, dimension_codes[g->trait]);
        if (g->note)
            audit_add(r, &r->vd.evidence, "agrees_with_humans: %s", g->note);
        if (g->effect_note)
            audit_add(r, &r->vd.evidence, "model_direction: %s", g->effect_note);
        audit_add(r, &r->vd.evidence, "%s %s: %s [%s, %s]",
            e == GAMES_ULTIMATUM ? "ug_trend slope_level" : "me_welch mean_difference (highest - lowest level)",
            dimension_codes[g->trait], (audit_fmt_num(v, sizeof v, g->effect), v), (audit_fmt_num(lo, sizeof lo, g->ci_low), lo),
            (audit_fmt_num(hi, sizeof hi, g->ci_high), hi));
        if (g->steps >= 0)
            audit_add(r, &r->vd.evidence, "monotone: %ld of %ld adjacent steps against the model's direction", g->violations,
                g->steps);
        if (g->human_note)
            audit_add(r, &r->vd.evidence, "human_direction: %s", g->human_note);
        if (c->reverse)
            audit_add(r, &r->vd.evidence, "neuroticism: judged as EMO (personas carry emotional-stability levels)");
        int human_side = g->human_dir > 0 ? g->ci_low > 0 : g->ci_high < 0;
        int other = g->human_dir > 0 ? g->ci_high < 0 : g->ci_low > 0;
        audit_fmt_num(v, sizeof v, g->effect);
        audit_fmt_num(lo, sizeof lo, g->ci_low);
        audit_fmt_num(hi, sizeof hi, g->ci_high);
        if (!g->human_dir) {
            audit_add(r, &r->vd.reason, "too little data: no human reference for %s in the %s data", dimension_codes[g->trait],
                game);
        } else if (isnan(g->effect) || isnan(g->ci_low) || isnan(g->ci_high)) {
            audit_add(r, &r->vd.reason, "too little data: no estimate of the %s effect in the %s (%s)", dimension_codes[g->trait],
                game, g->effect_note ? g->effect_note : "fewer than 2 persona levels");
        } else if (other) {
            r->vd.v = AUDIT_CONTRADICTED;
            audit_add(r, &r->vd.reason, "effect %s; its 95%% CI [%s, %s] lies entirely on the opposite side of 0 from humans (%s)",
                v, lo, hi, g->human_dir > 0 ? "humans: positive" : "humans: negative");
        } else if (human_side && g->violations >= 0 && g->violations <= r->o->max_violations) {
            r->vd.v = AUDIT_SUPPORTED;
            audit_add(r, &r->vd.reason, "effect %s; its 95%% CI [%s, %s] lies on the human side of 0, and %ld of %ld steps go "
                "against", v, lo, hi, g->violations, g->steps);
        } else {
            r->vd.v = AUDIT_NOT_SUPPORTED;
            if (human_side)
                audit_add(r, &r->vd.reason, "effect %s [%s, %s] goes the human way, but %ld of %ld adjacent steps go against it "
                    "(--max-violations %ld)", v, lo, hi, g->violations, g->steps, r->o->max_violations);
            else
                audit_add(r, &r->vd.reason, "effect %s; its 95%% CI [%s, %s] includes 0: no clear direction", v, lo, hi);
        }
        if (audit_emit(r, idx, g->model, "persona levels", NULL, NULL, dim) < 0)
            return -1;
    }
    if (!rows) {
        audit_vd_reset(r);
        audit_add(r, &r->vd.threshold, "%s: the %s effect's 95%% CI on the human side of 0", game, dimension_codes[c->dimension]);
        audit_add(r, &r->vd.reason, "too little data: no %s %s with %s personas%s%s", game,
            e == GAMES_ULTIMATUM ? "trials" : "runs", dimension_codes[c->dimension], it->scope.model ? " for " : "",
            it->scope.model ? it->scope.model : "");
        if (audit_emit(r, idx, it->scope.model, "persona levels", NULL, NULL, dim) < 0)
            return -1;
    }
    return 0;
}

/* 1 when some subject in the store (any table) has this model. */
static int model_known(sqlite3 *db, const char *model)
{
    sqlite3_stmt *st = store_prepare(db, "SELECT 1 FROM subject WHERE model = ?1 LIMIT 1");
    if (!st)
        return -1;
    if (store_bind_text(st, 1, model) < 0) {
        sqlite3_finalize(st);
        return -1;
    }
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        store_step_done(st, rc);        /* prints the error unless DONE */
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int instrument_known(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st = store_prepare(db, "SELECT 1 FROM instrument WHERE name = ?1 LIMIT 1");
    if (!st)
        return -1;
    if (store_bind_text(st, 1, name) < 0) {
        sqlite3_finalize(st);
        return -1;
    }
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        store_step_done(st, rc);        /* prints the error unless DONE */
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int eval_questionnaire(struct run *r, size_t idx, const struct audit_item *it)
{
    const struct audit_claim *c = &it->c;
    const char *inst_want = c->instrument[0] ? c->instrument : it->scope.instrument;
    const char *dim = c->reverse ? "N" : dimension_codes[c->dimension];
    const char *pop = NULL;
    char temp[32] = "";
    size_t rows = 0;
    if (it->scope.has_temperature)
        format_double(temp, sizeof temp, it->scope.temperature);   /* a data column: it reads back */
    const char *persona = c->kind == AUDIT_STEERABLE ? "persona levels" : it->scope.persona;
    if (c->kind == AUDIT_PERCENTILE && c->population[0] && !(pop = audit_population(r, it)))
        return -1;
    for (size_t s = 0; s < r->set->n_subjects; s++) {
        const char *model = r->set->subjects[s].model;
        size_t first = 0;
        while (strcmp(r->set->subjects[first].model, model) != 0)
            first++;
        if (first != s || (it->scope.model && strcmp(model, it->scope.model) != 0))
            continue;                /* each model once, in subject order */
        size_t model_rows = 0;
        for (size_t b = 0; b < r->set->n_blocks; b++) {
            const struct score_block *blk = &r->set->blocks[b];
            const char *inst = r->set->instruments[blk->instrument].name;
            int took = 0;
            if (blk->dimension != c->dimension || (inst_want && strcmp(inst, inst_want) != 0))
                continue;
            for (size_t k = 0; k < r->set->n_subjects && !took; k++)
                took = blk->answered[k] && strcmp(r->set->subjects[k].model, model) == 0;
            if (!took)
                continue;
            audit_vd_reset(r);
            int ret = c->kind == AUDIT_LEVEL        ? audit_eval_level(r, it, model, b)
                      : c->kind == AUDIT_PERCENTILE ? audit_eval_percentile(r, it, model, b, pop)
                      : c->kind == AUDIT_STABLE     ? audit_eval_stable(r, it, model, b)
                      : c->kind == AUDIT_ORDER_ROBUST ? audit_eval_order(r, it, model, b)
                      : c->kind == AUDIT_NOT_ACQUIESCENT ? audit_eval_acq(r, it, model, b)
                                                    : audit_eval_steer(r, it, model, b);
            if (ret < 0 || audit_emit(r, idx, model, persona, temp, inst, dim) < 0)
                return -1;
            rows++;
            model_rows++;
        }
        if (!model_rows && it->scope.model) {
            audit_vd_reset(r);
            audit_add(r, &r->vd.reason, "too little data: %s answered no instrument measuring %s%s%s", model,
                dimension_codes[c->dimension], inst_want ? " on " : "", inst_want ? inst_want : "");
            if (audit_emit(r, idx, model, persona, temp, inst_want, dim) < 0)
                return -1;
            rows++;
        }
    }
    if (!rows) {
        audit_vd_reset(r);
        audit_add(r, &r->vd.reason, "too little data: no questionnaire responses measuring %s%s%s%s%s in the store",
            dimension_codes[c->dimension], inst_want ? " on " : "", inst_want ? inst_want : "",
            it->scope.model ? " from " : "", it->scope.model ? it->scope.model : "");
        if (audit_emit(r, idx, it->scope.model, persona, temp, inst_want, dim) < 0)
            return -1;
    }
    return 0;
}

/* 1 when a claim scoped to condition `want` (NULL = each) is judged on the subjects of `have`
 * (NULL = the baseline); "baseline" names the subjects without a condition. */
static int condition_matches(const char *want, const char *have)
{
    if (!want)
        return 1;
    if (strcasecmp(want, "baseline") == 0)
        return have == NULL;
    return have && strcmp(want, have) == 0;
}

/* 1 when some subject in the store (any table) has this condition ("baseline": always). */
static int condition_known(sqlite3 *db, const char *condition)
{
    if (strcasecmp(condition, "baseline") == 0)
        return 1;
    sqlite3_stmt *st = store_prepare(db, "SELECT 1 FROM subject WHERE condition = ?1 LIMIT 1");
    if (!st)
        return -1;
    if (store_bind_text(st, 1, condition) < 0) {
        sqlite3_finalize(st);
        return -1;
    }
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        store_step_done(st, rc);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static void context_free(struct run *r)
{
    free(r->x);
    free(r->y);
    free(r->bx);
    free(r->by);
    r->x = r->y = r->bx = r->by = NULL;
    faith_summary_free(r->sum, r->n_sum);
    r->sum = NULL;
    r->n_sum = 0;
    faith_table_free(&r->boot);
    faith_table_free(&r->table);
    faith_inputs_free(&r->in);
    score_set_free(r->set);
    r->set = NULL;
    r->have_boot = 0;
}

/* The subjects of one condition, with the metrics and the gate over them (as psyfaith metrics
 * computes that condition).  0, or -1 after printing why. */
static int context_load(struct run *r, const struct audit_options *o, const char *condition, int stable)
{
    struct faith_options fo;
    context_free(r);
    r->cond = condition;
    faith_options_default(&fo);
    fo.reliability = o->reliability;
    fo.validity = o->validity;
    fo.min_share = o->min_share;
    fo.level = o->level;
    fo.seed = o->seed;
    fo.bootstrap = 0;
    fo.units_runs = o->units_runs;
    r->scope_unit = "subject";
    if (!(r->set = score_set_load_condition(r->db, NULL, condition)) || faith_inputs_load(r->db, r->set, &r->in) < 0 ||
        faith_compute(r->set, &r->in, &fo, &r->table) < 0 || faith_summarize(&r->table, r->set, &r->sum, &r->n_sum) < 0)
        return -1;
    if (stable) {
        fo.bootstrap = o->bootstrap;
        fo.metrics = "InC,BC";
        if (faith_compute(r->set, &r->in, &fo, &r->boot) < 0)
            return -1;
        r->have_boot = 1;
    }
    size_t ns = r->set->n_subjects + 1;
    for (size_t b = 0; o->units_runs && b < r->set->n_blocks; b++)   /* level claims over runs */
        if (r->set->blocks[b].n_rows + 1 > ns)
            ns = r->set->blocks[b].n_rows + 1;
    if (!(r->x = malloc(ns * sizeof *r->x)) || !(r->y = malloc(ns * sizeof *r->y)) ||
        !(r->bx = malloc(ns * sizeof *r->bx)) || !(r->by = malloc(ns * sizeof *r->by)))
        return audit_oom();
    return 0;
}

/* Results in claim order (each claim's results in the order they were judged). */
static int order_by_claim(struct audit_results *out, size_t n_claims)
{
    struct audit_result *v = malloc((out->n + 1) * sizeof *v);
    size_t k = 0;
    if (!v)
        return audit_oom();
    for (size_t i = 0; i < n_claims; i++)
        for (size_t j = 0; j < out->n; j++)
            if (out->v[j].item == i)
                v[k++] = out->v[j];
    free(out->v);
    out->v = v;
    out->cap = out->n + 1;
    return 0;
}

int audit_run(sqlite3 *db, const struct audit_list *list, const struct audit_options *o, struct audit_results *out)
{
    struct run r = { .db = db, .o = o, .list = list, .out = out };
    char **conds = NULL;
    size_t n_conds = 0;
    int ret = -1, stable = 0;
    memset(out, 0, sizeof *out);
    audit_vd_reset(&r);
    /* scope names must exist: a typo is an error, not a verdict */
    for (size_t i = 0; i < list->n; i++) {
        const struct audit_item *it = &list->v[i];
        int k;
        if (it->scope.model && (k = model_known(db, it->scope.model)) <= 0) {
            if (k == 0)
                audit_claim_error(it, 0, "no subject of model '%s' in the store (psyfaith export subjects lists them)",
                            it->scope.model);
            goto out;
        }
        if (it->scope.condition && it->c.kind == AUDIT_STEERABLE && it->c.game) {
            audit_claim_error(it, it->c.condition[0] ? it->c.col_condition : 0,
                              "a game claim takes no condition (psyfaith games compares each condition with the "
                              "baseline)");
            goto out;
        }
        if (it->scope.condition && (k = condition_known(db, it->scope.condition)) <= 0) {
            if (k == 0)
                audit_claim_error(it, it->c.condition[0] ? it->c.col_condition : 0,
                                  "no subject with condition '%s' in the store (psyfaith export subjects lists them)",
                                  it->scope.condition);
            goto out;
        }
        const char *inst = it->c.instrument[0] ? it->c.instrument : it->scope.instrument;
        if (it->c.instrument[0] && it->scope.instrument && list->cli.instrument &&
            strcmp(it->c.instrument, list->cli.instrument) != 0) {
            audit_claim_error(it, it->c.col_instrument, "the claim names instrument '%s' but --instrument is '%s'",
                        it->c.instrument, list->cli.instrument);
            goto out;
        }
        if (inst && (k = instrument_known(db, inst)) <= 0) {
            if (k == 0)
                audit_claim_error(it, it->c.instrument[0] ? it->c.col_instrument : 0,
                            "unknown instrument '%s' (psyfaith instruments list)", inst);
            goto out;
        }
        stable |= it->c.kind == AUDIT_STABLE;
    }
    if (score_conditions(db, NULL, &conds, &n_conds) < 0)
        goto out;
    /* questionnaire claims: one condition's subjects at a time */
    for (size_t g = 0; g < n_conds; g++) {
        int any = 0;
        for (size_t i = 0; i < list->n && !any; i++)
            any = !(list->v[i].c.kind == AUDIT_STEERABLE && list->v[i].c.game) &&
                  condition_matches(list->v[i].scope.condition, conds[g]);
        if (!any)
            continue;
        if (context_load(&r, o, conds[g], stable) < 0)
            goto out;
        for (size_t i = 0; i < list->n; i++) {
            const struct audit_item *it = &list->v[i];
            if (!(it->c.kind == AUDIT_STEERABLE && it->c.game) && condition_matches(it->scope.condition, conds[g]) &&
                eval_questionnaire(&r, i, it) < 0)
                goto out;
        }
    }
    /* a condition with no questionnaire responses: a row that says so */
    for (size_t i = 0; i < list->n; i++) {
        const struct audit_item *it = &list->v[i];
        size_t g = 0;
        if ((it->c.kind == AUDIT_STEERABLE && it->c.game) || !it->scope.condition)
            continue;
        while (g < n_conds && !condition_matches(it->scope.condition, conds[g]))
            g++;
        if (g < n_conds)
            continue;
        audit_vd_reset(&r);
        r.cond = strcasecmp(it->scope.condition, "baseline") == 0 ? NULL : it->scope.condition;
        audit_add(&r, &r.vd.reason, "too little data: no questionnaire responses with condition %s in the store",
                  it->scope.condition);
        if (audit_emit(&r, i, it->scope.model, it->scope.persona, NULL, it->c.instrument[0] ? it->c.instrument
                       : it->scope.instrument, it->c.reverse ? "N" : dimension_codes[it->c.dimension]) < 0)
            goto out;
    }
    r.cond = NULL;
    for (size_t i = 0; i < list->n; i++) {
        const struct audit_item *it = &list->v[i];
        if (it->c.kind == AUDIT_STEERABLE && it->c.game && eval_game(&r, i, it) < 0)
            goto out;
    }
    if (order_by_claim(out, list->n) < 0)
        goto out;
    ret = 0;
out:
    audit_vd_reset(&r);
    context_free(&r);
    for (int e = 0; e < 2; e++)
        games_trait_verdicts_free(r.g[e], r.ng[e]);
    score_conditions_free(conds, n_conds);
    if (ret < 0)
        audit_results_free(out);
    return ret;
}
