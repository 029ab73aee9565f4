/* metrics/audit_judge.c -- what every claim of `psyfaith audit` is judged with: the subjects in
 * scope, the bootstrap statistics (mean, norm percentile, Spearman rho, stats_bootstrap_ci), the
 * verdict from a value and its CI, and the faithfulness gate (see the top of audit.c). */
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

/* ---- scope ---------------------------------------------------------------------------------- */

static int is_baseline(const char *p)
{
    return !p || !*p || strcasecmp(p, "baseline") == 0 || strcasecmp(p, "none") == 0;
}

int audit_persona_matches(const char *want, const char *have)
{
    if (!want)
        return 1;
    if (is_baseline(want))
        return is_baseline(have);
    return have && strcmp(want, have) == 0;
}

int audit_temperature_matches(const struct audit_scope *sc, const struct subject *s)
{
    return !sc->has_temperature || (s->has_temperature && fabs(s->temperature - sc->temperature) <= 1e-9);
}

void audit_fmt_num(char *buf, size_t size, double v)
{
    if (isnan(v))
        snprintf(buf, size, "NA");
    else
        snprintf(buf, size, "%.4g", v + 0.0);
}

/* ---- bootstrap statistics ------------------------------------------------------------------- */

int audit_mean_stat(const size_t *idx, size_t n, void *ctx, double *out)
{
    const double *v = ctx;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += v[idx[i]];
    *out = sum / (double)n;
    return STATS_OK;
}


int audit_pct_stat(const size_t *idx, size_t n, void *ctx, double *out)
{
    const struct pct_ctx *p = ctx;
    double sum = 0.0, z;
    for (size_t i = 0; i < n; i++)
        sum += p->x[idx[i]];
    return stats_norm_z(sum / (double)n, p->mean, p->sd, &z, out, NULL);
}


int audit_rho_stat(const size_t *idx, size_t n, void *ctx, double *out)
{
    const struct rho_ctx *p = ctx;
    for (size_t i = 0; i < n; i++) {
        p->bx[i] = p->lv[idx[i]];
        p->by[i] = p->x[idx[i]];
    }
    return stats_spearman(p->bx, p->by, n, out, NULL);
}

/* The CI of a statistic over n units into r->vd; 1 with a CI, 0 without (the evidence says why). */
int audit_ci(struct run *r, size_t n, stats_statistic_fn fn, void *ctx)
{
    struct stats_boot b;
    const char *why = NULL;
    if (!r->o->bootstrap) {
        audit_add(r, &r->vd.evidence, "no CI (--bootstrap 0)");
        return 0;
    }
    if (n < 2) {                /* every resample of one subject is that subject: no interval */
        audit_add(r, &r->vd.evidence, "no CI: one %s", r->scope_unit);
        return 0;
    }
    int rc = stats_bootstrap_ci(n, fn, ctx, r->o->bootstrap, r->o->seed, r->o->level, &b, &why);
    if (rc == STATS_NOMEM) {
        r->oom = 1;
        return 0;
    }
    if (rc != STATS_OK) {
        audit_add(r, &r->vd.evidence, "no bootstrap CI: %s", why ? why : "undefined");
        return 0;
    }
    r->vd.lo = b.lo;
    r->vd.hi = b.hi;
    audit_add(r, &r->vd.evidence, "CI: %g%% percentile bootstrap over the %zu %ss (%zu resamples, seed %lu)",
        r->o->level * 100, n, r->scope_unit, r->o->bootstrap, r->o->seed);
    if (b.n_failed)
        audit_add(r, &r->vd.evidence, "%zu of %zu resamples undefined", b.n_failed, r->o->bootstrap);
    return 1;
}

/* ---- judging -------------------------------------------------------------------------------- */

static int satisfies(const struct audit_claim *c, double x)
{
    switch (c->op) {
    case AUDIT_GE: return x >= c->a;
    case AUDIT_LE: return x <= c->a;
    case AUDIT_GT: return x > c->a;
    case AUDIT_LT: return x < c->a;
    default: return x >= c->a && x <= c->b;
    }
}

static int other_side(const struct audit_claim *c, double lo, double hi)
{
    switch (c->op) {
    case AUDIT_GE: return hi < c->a;
    case AUDIT_LE: return lo > c->a;
    case AUDIT_GT: return hi <= c->a;
    case AUDIT_LT: return lo >= c->a;
    default: return hi < c->a || lo > c->b;
    }
}

void audit_threshold_text(struct run *r, const struct audit_claim *c, const char *what)
{
    static const char *const ops[] = { ">=", "<=", ">", "<" };
    if (c->op == AUDIT_BETWEEN)
        audit_add(r, &r->vd.threshold, "%s between %g and %g", what, c->a, c->b);
    else
        audit_add(r, &r->vd.threshold, "%s %s %g", what, ops[c->op], c->a);
}

/* The claimed side ("between 3 and 4", ">= 4") and its complement ("outside 3..4", "< 4"). */
static void sides(const struct audit_claim *c, char *claimed, char *other, size_t size)
{
    static const char *const ops[] = { ">=", "<=", ">", "<" }, *const neg[] = { "<", ">", "<=", ">=" };
    if (c->op == AUDIT_BETWEEN) {
        snprintf(claimed, size, "between %g and %g", c->a, c->b);
        snprintf(other, size, "outside %g..%g", c->a, c->b);
    } else {
        snprintf(claimed, size, "%s %g", ops[c->op], c->a);
        snprintf(other, size, "%s %g", neg[c->op], c->a);
    }
}

/* A comparison claim on r->vd.value (and the CI in r->vd when has_ci). */
void audit_judge_cmp(struct run *r, const struct audit_claim *c, const char *what, int has_ci)
{
    char v[32], lo[32], hi[32], claimed[64], other[64];
    sides(c, claimed, other, sizeof claimed);
    audit_fmt_num(v, sizeof v, r->vd.value);
    audit_fmt_num(lo, sizeof lo, r->vd.lo);
    audit_fmt_num(hi, sizeof hi, r->vd.hi);
    if (!has_ci) {
        r->vd.v = satisfies(c, r->vd.value) ? AUDIT_SUPPORTED : AUDIT_NOT_SUPPORTED;
        audit_add(r, &r->vd.reason, "%s %s is %s%s; judged on the value alone (no CI)", what, v,
            r->vd.v == AUDIT_SUPPORTED ? "" : "not ", claimed);
    } else if (satisfies(c, r->vd.value) && satisfies(c, r->vd.lo) && satisfies(c, r->vd.hi)) {
        r->vd.v = AUDIT_SUPPORTED;
        audit_add(r, &r->vd.reason, "%s %s; its %g%% CI [%s, %s] lies entirely %s", what, v, r->o->level * 100, lo, hi,
            claimed);
    } else if (other_side(c, r->vd.lo, r->vd.hi)) {
        r->vd.v = AUDIT_CONTRADICTED;
        audit_add(r, &r->vd.reason, "%s %s; its %g%% CI [%s, %s] lies entirely %s", what, v, r->o->level * 100, lo, hi,
            other);
    } else {
        r->vd.v = AUDIT_NOT_SUPPORTED;
        audit_add(r, &r->vd.reason, "%s %s; its %g%% CI [%s, %s] is not entirely %s", what, v, r->o->level * 100, lo, hi,
            claimed);
    }
}

static const struct faith_summary *summary_of(const struct run *r, const char *inst, int d)
{
    for (size_t i = 0; i < r->n_sum; i++)
        if (strcmp(r->sum[i].instrument, inst) == 0 && strcmp(r->sum[i].dimension, dimension_codes[d]) == 0)
            return &r->sum[i];
    return NULL;
}

/* The faithfulness gate: 1 passed, 0 failed (r->vd is then not measurable, with the reason). */
int audit_gate(struct run *r, const char *inst, int d)
{
    const struct faith_summary *s = summary_of(r, inst, d);
    const char *why = s && s->reason ? s->reason : "no coefficient defined";
    if (s && s->faithful > 0) {
        audit_add(r, &r->vd.evidence, "psyfaith metrics --summary %s %s: faithful (%s)", inst, dimension_codes[d], why);
        return 1;
    }
    r->vd.v = AUDIT_NOT_MEASURABLE;
    strbuf_reset(&r->vd.reason);
    if (s && s->faithful == 0)
        audit_add(r, &r->vd.reason, "the %s %s measurement is not faithful: %s", inst, dimension_codes[d], why);
    else   /* the summary's reason says "cannot be assessed: ..." itself */
        audit_add(r, &r->vd.reason, "the faithfulness of the %s %s measurement %s%s", inst, dimension_codes[d],
            s && s->reason ? "" : "cannot be assessed: ", why);
    audit_add(r, &r->vd.evidence, "psyfaith metrics --summary %s %s: %s (%s)", inst, dimension_codes[d],
        s && s->faithful == 0 ? "not faithful" : "unknown", why);
    return 0;
}

/* Per-item mean of one run's scores, prorated as score_of() does; NAN below the share. */
static double run_score(const double *row, size_t k, double min_share)
{
    double total = 0.0;
    size_t answered = 0;
    for (size_t j = 0; j < k; j++)
        if (!isnan(row[j])) {
            total += row[j];
            answered++;
        }
    if (!answered || (double)answered < min_share * (double)k - 1e-9)
        return NAN;
    return total / (double)answered;
}

/* The scores of the subjects in scope into r->x (and persona levels into r->y when steer); the
 * count, and *left the subjects who answered but have no score.  With --units runs (not for
 * steer, whose levels belong to subjects) every run of those subjects is one score instead. */
size_t audit_scoped(struct run *r, const struct audit_item *it, const char *model, size_t b, int steer, size_t *left)
{
    const struct score_block *blk = &r->set->blocks[b];
    const int runs = r->o->units_runs && !steer;
    size_t n = 0;
    *left = 0;
    r->scope_unit = runs ? "run" : "subject";
    for (size_t s = 0; s < r->set->n_subjects; s++) {
        const struct subject *sub = &r->set->subjects[s];
        double sum, per;
        const char *why;
        if (strcmp(sub->model, model) != 0 || !audit_temperature_matches(&it->scope, sub) || !blk->answered[s])
            continue;
        if (steer ? !(sub->has_level && sub->persona_trait &&
                      strcmp(sub->persona_trait, dimension_codes[blk->dimension]) == 0)
                  : !audit_persona_matches(it->scope.persona, sub->persona))
            continue;
        if (runs) {
            size_t T;
            const double *rows = score_reps(blk, s, &T);
            for (size_t u = 0; u < T; u++) {
                double v = run_score(rows + u * blk->n_items, blk->n_items, r->o->min_share);
                if (isnan(v))
                    (*left)++;
                else
                    r->x[n++] = v;
            }
            continue;
        }
        if (score_of(blk, s, r->o->min_share, &sum, &per, &why) < 0 || isnan(per)) {
            (*left)++;
            continue;
        }
        r->x[n] = per;
        if (steer)
            r->y[n] = sub->persona_level;
        n++;
    }
    return n;
}

void audit_scope_text(struct run *r, const struct audit_item *it, const char *model, int steer)
{
    audit_add(r, &r->vd.evidence, "subjects: model %s", model);
    if (steer)
        audit_add(r, &r->vd.evidence, "personas with a level of the trait (the persona scope does not apply)");
    else if (it->scope.persona)
        audit_add(r, &r->vd.evidence, "persona %s", it->scope.persona);
    if (it->scope.has_temperature)
        audit_add(r, &r->vd.evidence, "temperature %g", it->scope.temperature);
}

int audit_too_few(struct run *r, size_t n, size_t left, const char *model, const char *inst)
{
    if ((long)n >= r->o->min_subjects && n > 0)
        return 0;
    r->vd.v = AUDIT_NOT_MEASURABLE;
    audit_add(r, &r->vd.reason, "too little data: %zu %s%s of %s in scope with a score on %s; at least %ld needed "
        "(--min-subjects)", n, r->scope_unit, n == 1 ? "" : "s", model, inst, r->o->min_subjects > 0 ? r->o->min_subjects : 1);
    if (left)
        audit_add(r, &r->vd.reason, " (%zu more answered too few items: --min-answered)", left);
    return 1;
}
