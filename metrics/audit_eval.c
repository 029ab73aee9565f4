/* metrics/audit_eval.c -- judging the questionnaire claims of `psyfaith audit`: level (a mean score),
 * percentile (100 Phi(z) against a norm), stable (TrC, Eq. 2, with InC and BC from psyfaith
 * metrics) and steerable (Spearman rho of persona level and score, and the steps that lower the
 * mean).  Game claims and the run are in audit.c. */
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

/* ---- the claims ----------------------------------------------------------------------------- */

/* The population named by 'vs': exact (case-insensitive), else the only one containing the text.
 * Returns the population (a string of r->in) or NULL after printing why. */
const char *audit_population(struct run *r, const struct audit_item *it)
{
    const char *want = it->c.population, *found = NULL;
    for (size_t i = 0; i < r->in.n_norms; i++)
        if (strcasecmp(r->in.norms[i].population, want) == 0)
            return r->in.norms[i].population;
    char lw[AUDIT_MAX_NAME];
    size_t k;
    for (k = 0; want[k] && k + 1 < sizeof lw; k++)
        lw[k] = (char)tolower((unsigned char)want[k]);
    lw[k] = '\0';
    for (size_t i = 0; i < r->in.n_norms; i++) {
        const char *p = r->in.norms[i].population;
        char lp[1024];
        for (k = 0; p[k] && k + 1 < sizeof lp; k++)
            lp[k] = (char)tolower((unsigned char)p[k]);
        lp[k] = '\0';
        if (strstr(lp, lw) && (!found || strcmp(found, p) != 0)) {
            if (found) {
                audit_claim_error(it, it->c.col_population,
                            "population '%s' is ambiguous: it matches '%s' and '%s' (give more of the name)", want, found, p);
                return NULL;
            }
            found = p;
        }
    }
    if (!found)
        audit_claim_error(it, it->c.col_population, "no human norm population matches '%s' (see psyfaith norms list)", want);
    return found;
}

int audit_eval_level(struct run *r, const struct audit_item *it, const char *model, size_t b)
{
    const struct audit_claim *c = &it->c;
    const struct score_block *blk = &r->set->blocks[b];
    const char *inst = r->set->instruments[blk->instrument].name;
    int K = r->set->instruments[blk->instrument].n_options;
    size_t left, n = audit_scoped(r, it, model, b, 0, &left);
    double sum = 0.0;
    if (c->a < 1 || c->a > K)
        return audit_claim_error(it, c->col_a, "%g is outside the 1..%d scale of %s (a claim compares per-item means)", c->a, K,
                           inst);
    if (c->op == AUDIT_BETWEEN && (c->b < 1 || c->b > K))
        return audit_claim_error(it, c->col_b, "%g is outside the 1..%d scale of %s (a claim compares per-item means)", c->b,
                           K, inst);
    const char *what = c->reverse ? "reversed per-item mean" : "per-item mean";
    audit_threshold_text(r, c, what);
    audit_scope_text(r, it, model, 0);
    if (audit_too_few(r, n, left, model, inst))
        return 0;
    for (size_t i = 0; i < n; i++)
        sum += r->x[i];
    r->vd.value = sum / (double)n;
    r->vd.n = (long)n;
    audit_add(r, &r->vd.evidence, "psyfaith scores: mean of %zu %ss' per-item %s %s scores %.6g", n, r->scope_unit, inst,
        dimension_codes[blk->dimension], r->vd.value);
    int has_ci = audit_ci(r, n, audit_mean_stat, r->x);
    if (c->reverse) {           /* neuroticism: K + 1 - EMO, so the CI swaps ends */
        double lo = r->vd.lo;
        r->vd.value = K + 1 - r->vd.value;
        r->vd.lo = K + 1 - r->vd.hi;
        r->vd.hi = K + 1 - lo;
        audit_add(r, &r->vd.evidence, "neuroticism = %d - EMO", K + 1);
    }
    audit_judge_cmp(r, c, what, has_ci);
    audit_gate(r, inst, blk->dimension);
    return 0;
}

int audit_eval_percentile(struct run *r, const struct audit_item *it, const char *model, size_t b, const char *pop)
{
    const struct audit_claim *c = &it->c;
    const struct score_block *blk = &r->set->blocks[b];
    const char *inst = r->set->instruments[blk->instrument].name;
    const struct faith_norm *nr = NULL;
    size_t left, n = audit_scoped(r, it, model, b, 0, &left);
    for (size_t i = 0; i < r->in.n_norms && !nr; i++) {
        const struct faith_norm *x = &r->in.norms[i];
        if (x->dimension == blk->dimension && strcmp(x->instrument, inst) == 0 && (!pop || strcmp(x->population, pop) == 0))
            nr = x;
    }
    const char *what = c->reverse ? "neuroticism percentile" : "percentile";
    audit_threshold_text(r, c, what);
    audit_scope_text(r, it, model, 0);
    if (!nr) {
        r->vd.v = AUDIT_NOT_MEASURABLE;
        if (pop)
            audit_add(r, &r->vd.reason, "too little data: no norm of '%s' for %s %s", pop, inst, dimension_codes[blk->dimension]);
        else
            audit_add(r, &r->vd.reason, "too little data: no human norm with a mean and sd for %s %s (psyfaith norms list)", inst,
                dimension_codes[blk->dimension]);
        return 0;
    }
    audit_add(r, &r->vd.evidence, "norm '%s': mean %.6g, sd %.6g%s", nr->population, nr->mean, nr->sd,
        pop ? "" : " (the instrument's first norm; name another with vs)");
    if (audit_too_few(r, n, left, model, inst))
        return 0;
    double sum = 0.0, z, pct;
    const char *why = NULL;
    for (size_t i = 0; i < n; i++)
        sum += r->x[i];
    double mean = sum / (double)n;
    if (stats_norm_z(mean, nr->mean, nr->sd, &z, &pct, &why) != STATS_OK) {
        r->vd.v = AUDIT_NOT_MEASURABLE;
        audit_add(r, &r->vd.reason, "too little data: no percentile (%s)", why ? why : "undefined");
        return 0;
    }
    r->vd.value = pct;
    r->vd.n = (long)n;
    audit_add(r, &r->vd.evidence, "psyfaith metrics norm_percentile: mean %.6g of %zu %ss, z %.4g, percentile %.6g", mean, n, r->scope_unit,
        z, pct);
    struct pct_ctx pc = { r->x, nr->mean, nr->sd };
    int has_ci = audit_ci(r, n, audit_pct_stat, &pc);
    if (c->reverse) {
        double lo = r->vd.lo;
        r->vd.value = 100 - r->vd.value;
        r->vd.lo = 100 - r->vd.hi;
        r->vd.hi = 100 - lo;
        audit_add(r, &r->vd.evidence, "neuroticism percentile = 100 - EMO percentile");
    }
    audit_judge_cmp(r, c, what, has_ci);
    audit_gate(r, inst, blk->dimension);
    return 0;
}

/* Repetitions of subject s with any answer in blk, as a T x items matrix (NULL when T < 2). */
static gsl_matrix *subject_reps(const struct score_block *blk, size_t s, int *nomem)
{
    size_t T;
    const double *rows = score_reps(blk, s, &T);
    if (T < 2)
        return NULL;
    gsl_matrix *m = gsl_matrix_alloc(T, blk->n_items);
    if (!m) {
        *nomem = 1;
        return NULL;
    }
    for (size_t u = 0; u < T; u++)
        for (size_t j = 0; j < blk->n_items; j++)
            gsl_matrix_set(m, u, j, rows[u * blk->n_items + j]);
    return m;
}

/* One coefficient of a stable claim. */
struct part {
    const char *name;
    double value, lo, hi, thr;
    long n;
    int defined, has_ci;
    char why[1024];             /* the metrics note, quoted in the evidence */
};

/* Copies a note into why; one too long for it is cut at a word, never mid-number, and says so. */
static void part_why(struct part *p, const char *note)
{
    size_t n = strlen(note);
    if (n < sizeof p->why) {
        memcpy(p->why, note, n + 1);
        return;
    }
    static const char cut[] = " ...";
    size_t keep = sizeof p->why - sizeof cut;
    while (keep > 0 && note[keep] != ' ')
        keep--;
    while (keep > 0 && (note[keep - 1] == ' ' || note[keep - 1] == ';' || note[keep - 1] == ','))
        keep--;
    memcpy(p->why, note, keep);
    memcpy(p->why + keep, cut, sizeof cut);
}

static const struct faith_row *faith_row_of(const struct faith_table *t, const char *metric, const char *inst, int d)
{
    for (size_t i = 0; i < t->n; i++) {
        const struct faith_row *x = &t->rows[i];
        if (strcmp(x->metric, metric) == 0 && x->instrument && strcmp(x->instrument, inst) == 0 && x->dimension &&
            strcmp(x->dimension, dimension_codes[d]) == 0 && !x->item && !x->instrument_b)
            return x;
    }
    return NULL;
}

static void part_from_row(struct part *p, const struct faith_row *x, const char *name, double thr)
{
    memset(p, 0, sizeof *p);
    p->name = name;
    p->thr = thr;
    p->value = x ? x->value : NAN;
    p->lo = x ? x->ci_low : NAN;
    p->hi = x ? x->ci_high : NAN;
    p->n = x ? x->n : -1;
    p->defined = x && !isnan(x->value);
    p->has_ci = p->defined && !isnan(p->lo) && !isnan(p->hi);
    part_why(p, x && x->note ? x->note : "not computed");
}

int audit_eval_stable(struct run *r, const struct audit_item *it, const char *model, size_t b)
{
    const struct score_block *blk = &r->set->blocks[b];
    const char *inst = r->set->instruments[blk->instrument].name;
    const int d = blk->dimension;
    struct part parts[3];
    size_t np = 0, n = 0, single = 0;
    int nomem = 0;

    audit_scope_text(r, it, model, 0);
    r->scope_unit = "subject";      /* TrC is about a subject's repetitions, whatever --units says */
    /* TrC over the subjects in scope: each subject's Eq. 2, then the mean (as psyfaith metrics) */
    for (size_t s = 0; s < r->set->n_subjects; s++) {
        const struct subject *sub = &r->set->subjects[s];
        if (strcmp(sub->model, model) != 0 || !audit_temperature_matches(&it->scope, sub) || !blk->answered[s] ||
            !audit_persona_matches(it->scope.persona, sub->persona))
            continue;
        gsl_matrix *m = subject_reps(blk, s, &nomem);
        if (!m) {
            single += !nomem;
            if (nomem)
                return audit_oom();
            continue;
        }
        const gsl_matrix *one[1] = { m };
        struct stats_trc ts;
        int rc = stats_trc(one, 1, 0, &ts, NULL);
        gsl_matrix_free(m);
        if (rc == STATS_NOMEM)
            return audit_oom();
        if (rc == STATS_OK)
            r->x[n++] = ts.trc;
    }
    struct part *p = &parts[np++];
    memset(p, 0, sizeof *p);
    p->name = "TrC";
    p->thr = r->o->reliability;
    p->value = p->lo = p->hi = NAN;
    p->n = (long)n;
    /* defined exactly when psyfaith metrics' TrC is (one subject with a correlation is enough);
     * --min-subjects is a separate test below, so that audit never calls undefined what metrics
     * prints a value for */
    if (!n) {
        snprintf(p->why, sizeof p->why, "no subject of %s in scope with 2 or more repetitions and a defined "
                 "correlation", model);
    } else {
        double sum = 0.0;
        for (size_t i = 0; i < n; i++)
            sum += r->x[i];
        p->value = sum / (double)n;
        p->defined = 1;
        p->has_ci = audit_ci(r, n, audit_mean_stat, r->x);
        p->lo = r->vd.lo;
        p->hi = r->vd.hi;
        r->vd.lo = r->vd.hi = NAN;
        snprintf(p->why, sizeof p->why, "over %zu subject%s of %s in scope%s", n, n == 1 ? "" : "s", model,
                 single ? ", some with one repetition left out" : "");
    }

    part_from_row(&parts[np++], r->have_boot ? faith_row_of(&r->boot, "InC", inst, d) : NULL, "InC",
                  r->o->reliability);
    /* BC where behaviours were classified for this dimension */
    int behaviours = 0;
    if (r->in.crs_rows)
        for (size_t s = 0; s < r->set->n_subjects && !behaviours; s++)
            behaviours = !isnan(r->in.crs[s * N_DIMENSIONS + (size_t)d]) && blk->answered[s];
    if (behaviours)
        part_from_row(&parts[np++], r->have_boot ? faith_row_of(&r->boot, "BC", inst, d) : NULL, "BC", r->o->validity);

    audit_add(r, &r->vd.threshold, "TrC >= %g, InC >= %g%s", r->o->reliability, r->o->reliability,
        behaviours ? "" : " (no classified behaviours: BC not checked)");
    if (behaviours)
        audit_add(r, &r->vd.threshold, ", BC >= %g", r->o->validity);
    for (size_t i = 0; i < np; i++) {
        char v[32], lo[32], hi[32];
        audit_fmt_num(v, sizeof v, parts[i].value);
        audit_fmt_num(lo, sizeof lo, parts[i].lo);
        audit_fmt_num(hi, sizeof hi, parts[i].hi);
        audit_add(r, &r->vd.evidence, "%s %s %s %s [%s, %s] n = %ld (%s%s)", parts[i].name, inst, dimension_codes[d], v, lo,
            hi, parts[i].n, i ? "psyfaith metrics, all subjects: " : "", parts[i].why);
    }
    if (!behaviours)
        audit_add(r, &r->vd.evidence, "BC not checked: no classified behaviours for %s (psyfaith classify apply)",
            dimension_codes[d]);

    /* the binding coefficient: the smallest margin over its threshold */
    const struct part *worst = NULL, *undefined = NULL, *against = NULL;
    int all_ci = 1, all_in = 1, all_above = 1;
    for (size_t i = 0; i < np; i++) {
        const struct part *q = &parts[i];
        if (!q->defined) {
            if (!undefined)
                undefined = q;
            continue;
        }
        if (!worst || q->value - q->thr < worst->value - worst->thr)
            worst = q;
        all_ci &= q->has_ci;
        all_in &= q->has_ci && q->lo >= q->thr;
        all_above &= q->value >= q->thr;
        if (q->has_ci && q->hi < q->thr && !against)
            against = q;
    }
    /* the value columns show the coefficient that decides the verdict */
    const struct part *decider = worst;
    char v[32], lo[32], hi[32];
    if (against) {
        decider = against;
        audit_fmt_num(v, sizeof v, against->value);
        audit_fmt_num(lo, sizeof lo, against->lo);
        audit_fmt_num(hi, sizeof hi, against->hi);
        r->vd.v = AUDIT_CONTRADICTED;
        audit_add(r, &r->vd.reason, "%s %s; its %g%% CI [%s, %s] lies entirely below %g", against->name, v,
            r->o->level * 100, lo, hi, against->thr);
    } else if (undefined) {
        decider = undefined;
        r->vd.v = AUDIT_NOT_MEASURABLE;
        audit_add(r, &r->vd.reason, "too little data: %s is not defined (%s)", undefined->name, undefined->why);
    } else if ((long)n < r->o->min_subjects) {
        decider = &parts[0];
        r->vd.v = AUDIT_NOT_MEASURABLE;
        audit_add(r, &r->vd.reason, "too little data: TrC over %zu subject%s of %s in scope; at least %ld needed "
            "(--min-subjects)", n, n == 1 ? "" : "s", model, r->o->min_subjects);
    } else if (!all_ci) {
        r->vd.v = all_above ? AUDIT_SUPPORTED : AUDIT_NOT_SUPPORTED;
        audit_fmt_num(v, sizeof v, worst->value);
        audit_add(r, &r->vd.reason, "lowest against its threshold: %s %s %s %g; judged on the values alone (no CI)",
            worst->name, v, all_above ? ">=" : "<", worst->thr);
    } else if (all_in) {
        r->vd.v = AUDIT_SUPPORTED;
        audit_fmt_num(v, sizeof v, worst->value);
        audit_fmt_num(lo, sizeof lo, worst->lo);
        audit_fmt_num(hi, sizeof hi, worst->hi);
        audit_add(r, &r->vd.reason, "every coefficient's %g%% CI lies above its threshold; the closest: %s %s [%s, %s] >= %g",
            r->o->level * 100, worst->name, v, lo, hi, worst->thr);
    } else {
        r->vd.v = AUDIT_NOT_SUPPORTED;
        decider = NULL;
        for (size_t i = 0; i < np; i++)
            if (parts[i].lo < parts[i].thr) {
                if (!decider)
                    decider = &parts[i];
                audit_fmt_num(v, sizeof v, parts[i].value);
                audit_fmt_num(lo, sizeof lo, parts[i].lo);
                audit_fmt_num(hi, sizeof hi, parts[i].hi);
                audit_add(r, &r->vd.reason, "%s%s %s: its %g%% CI [%s, %s] reaches below %g", r->vd.reason.len ? "; " : "",
                    parts[i].name, v, r->o->level * 100, lo, hi, parts[i].thr);
            }
    }
    if (decider) {
        r->vd.value = decider->value;
        r->vd.lo = decider->lo;
        r->vd.hi = decider->hi;
        r->vd.n = decider->n;
    }
    return 0;
}

/* Steps between adjacent distinct levels where the mean score goes down (as psyfaith metrics'
 * steer_violations); *steps = adjacent pairs. */
struct lv {
    double level, score;
};

static int lv_cmp(const void *pa, const void *pb)
{
    const struct lv *a = pa, *b = pb;
    return a->level < b->level ? -1 : a->level > b->level;
}

static long violations(const double *lv, const double *x, size_t n, size_t *steps, size_t *levels, int *nomem)
{
    struct lv *v = malloc((n ? n : 1) * sizeof *v);
    double prev = NAN;
    long bad = 0;
    *steps = *levels = 0;
    if (!v) {
        *nomem = 1;
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = (struct lv){ lv[i], x[i] };
    qsort(v, n, sizeof *v, lv_cmp);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        double sum = 0.0;
        while (j < n && v[j].level == v[i].level)
            sum += v[j++].score;
        double mean = sum / (double)(j - i);
        (*levels)++;
        if (!isnan(prev)) {
            (*steps)++;
            bad += mean < prev;
        }
        prev = mean;
        i = j;
    }
    free(v);
    return bad;
}

int audit_eval_steer(struct run *r, const struct audit_item *it, const char *model, size_t b)
{
    static const char *const long_names[N_DIMENSIONS] = { "extraversion", "agreeableness", "conscientiousness",
                                                          "emotional stability", "openness" };
    const struct score_block *blk = &r->set->blocks[b];
    const char *inst = r->set->instruments[blk->instrument].name;
    const int d = blk->dimension;
    size_t left, n = audit_scoped(r, it, model, b, 1, &left), steps, levels;
    int nomem = 0;
    char v[32], lo[32], hi[32];
    audit_add(r, &r->vd.threshold, "Spearman rho of persona level and score > 0, violations <= %ld", r->o->max_violations);
    audit_scope_text(r, it, model, 1);
    if (it->c.reverse)
        audit_add(r, &r->vd.evidence, "neuroticism: judged as EMO (personas carry emotional-stability levels)");
    long bad = violations(r->y, r->x, n, &steps, &levels, &nomem);
    if (nomem)
        return audit_oom();
    if (levels < 2) {
        r->vd.v = AUDIT_NOT_MEASURABLE;
        audit_add(r, &r->vd.reason, "too little data: %zu persona level%s of %s with a score on %s for %s (personas like %s=7)",
            levels, levels == 1 ? "" : "s", dimension_codes[d], inst, model, long_names[d]);
        return 0;
    }
    if (audit_too_few(r, n, left, model, inst))
        return 0;
    double rho;
    const char *why = NULL;
    if (stats_spearman(r->y, r->x, n, &rho, &why) != STATS_OK) {
        r->vd.v = AUDIT_NOT_MEASURABLE;
        audit_add(r, &r->vd.reason, "too little data: no Spearman rho (%s)", why ? why : "undefined");
        return 0;
    }
    r->vd.value = rho;
    r->vd.n = (long)n;
    audit_add(r, &r->vd.evidence, "psyfaith metrics steer_rho %s %s: %.6g over %zu subjects at %zu levels", inst,
        dimension_codes[d], rho, n, levels);
    audit_add(r, &r->vd.evidence, "steer_violations: %ld of %zu steps between adjacent levels lower the mean score", bad, steps);
    struct rho_ctx rc = { r->y, r->x, r->bx, r->by };
    int has_ci = audit_ci(r, n, audit_rho_stat, &rc);
    audit_fmt_num(v, sizeof v, rho);
    audit_fmt_num(lo, sizeof lo, r->vd.lo);
    audit_fmt_num(hi, sizeof hi, r->vd.hi);
    if (!has_ci) {
        r->vd.v = rho > 0 && bad <= r->o->max_violations ? AUDIT_SUPPORTED : AUDIT_NOT_SUPPORTED;
        audit_add(r, &r->vd.reason, "rho %s, %ld of %zu steps against; judged on the value alone (no CI)", v, bad, steps);
    } else if (r->vd.hi < 0) {
        r->vd.v = AUDIT_CONTRADICTED;
        audit_add(r, &r->vd.reason, "rho %s; its %g%% CI [%s, %s] lies entirely below 0: a higher %s persona level lowers the "
            "score", v, r->o->level * 100, lo, hi, dimension_codes[d]);
    } else if (r->vd.lo > 0 && bad <= r->o->max_violations) {
        r->vd.v = AUDIT_SUPPORTED;
        audit_add(r, &r->vd.reason, "rho %s; its %g%% CI [%s, %s] lies entirely above 0, and %ld of %zu steps go against", v,
            r->o->level * 100, lo, hi, bad, steps);
    } else {
        r->vd.v = AUDIT_NOT_SUPPORTED;
        if (r->vd.lo > 0)
            audit_add(r, &r->vd.reason, "rho %s [%s, %s] is positive, but %ld of %zu steps between adjacent levels lower the "
                "mean score (--max-violations %ld)", v, lo, hi, bad, steps, r->o->max_violations);
        else
            audit_add(r, &r->vd.reason, "rho %s; its %g%% CI [%s, %s] is not entirely above 0", v, r->o->level * 100, lo, hi);
    }
    audit_gate(r, inst, d);
    return 0;
}
