/* metrics/audit.c -- `psyfaith audit`: reading claims, and judging each on the store.
 *
 * What a claim is judged on (the README and `psyfaith audit --help` repeat this):
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

/* ---- results -------------------------------------------------------------------------------- */

void audit_results_free(struct audit_results *r)
{
    for (size_t i = 0; i < r->n; i++) {
        struct audit_result *x = &r->v[i];
        free(x->model);
        free(x->persona);
        free(x->temperature);
        free(x->instrument);
        free(x->threshold);
        free(x->reason);
        free(x->evidence);
    }
    free(r->v);
    r->v = NULL;
    r->n = r->cap = 0;
}

/* What one verdict is built from; the strbufs become the result's strings. */
struct verdict {
    enum audit_verdict v;
    double value, lo, hi;
    long n;
    struct strbuf threshold, reason, evidence;
};

struct run {
    sqlite3 *db;
    const struct audit_options *o;
    const struct audit_list *list;
    struct score_set *set;
    struct faith_inputs in;
    struct faith_table table;            /* bootstrap 0: the gate, as psyfaith metrics --summary */
    struct faith_summary *sum;
    size_t n_sum;
    struct faith_table boot;             /* InC, BC with the audit's bootstrap (stable claims) */
    int have_boot;
    struct games_trait_verdict *g[2];
    size_t ng[2];
    int have_g[2];
    struct audit_results *out;
    double *x, *y, *bx, *by;             /* scratch, n_subjects each */
    struct verdict vd;
    int oom;
};

static int oom(void)
{
    return diag_error("out of memory");
}

static int emit(struct run *r, size_t item, const char *model, const char *persona, const char *temperature,
                const char *instrument, const char *dimension)
{
    struct audit_results *o = r->out;
    if (r->oom)
        return oom();
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 32;
        struct audit_result *p = realloc(o->v, cap * sizeof *p);
        if (!p)
            return oom();
        o->v = p;
        o->cap = cap;
    }
    struct audit_result *x = &o->v[o->n];
    memset(x, 0, sizeof *x);
    x->item = item;
    x->dimension = dimension;
    x->verdict = r->vd.v;
    x->value = r->vd.value;
    x->ci_low = r->vd.lo;
    x->ci_high = r->vd.hi;
    x->n = r->vd.n;
    x->model = model ? strdup(model) : NULL;
    x->persona = persona ? strdup(persona) : NULL;
    x->temperature = temperature ? strdup(temperature) : NULL;
    x->instrument = instrument ? strdup(instrument) : NULL;
    x->threshold = r->vd.threshold.buf;
    x->reason = r->vd.reason.buf;
    x->evidence = r->vd.evidence.buf;
    memset(&r->vd.threshold, 0, sizeof r->vd.threshold);
    memset(&r->vd.reason, 0, sizeof r->vd.reason);
    memset(&r->vd.evidence, 0, sizeof r->vd.evidence);
    o->n++;
    if ((model && !x->model) || (persona && !x->persona) || (temperature && !x->temperature) ||
        (instrument && !x->instrument))
        return oom();
    return 0;
}

static void vd_reset(struct run *r)
{
    strbuf_free(&r->vd.threshold);
    strbuf_free(&r->vd.reason);
    strbuf_free(&r->vd.evidence);
    memset(&r->vd, 0, sizeof r->vd);
    r->vd.v = AUDIT_NOT_MEASURABLE;
    r->vd.value = r->vd.lo = r->vd.hi = NAN;
    r->vd.n = -1;
}

static void add(struct run *r, struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add(struct run *r, struct strbuf *sb, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if ((sb->len && sb == &r->vd.evidence && strbuf_addstr(sb, "; ") < 0) || strbuf_addstr(sb, buf) < 0)
        r->oom = 1;
}

/* A data error at a claim's column (0 = the line). */
static int claim_error(const struct audit_item *it, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int claim_error(const struct audit_item *it, int col, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    struct srcpos pos = { it->path, it->line, col, 0 };
    return diag_at(&pos, "error: %s", buf);
}

/* ---- scope ---------------------------------------------------------------------------------- */

static int is_baseline(const char *p)
{
    return !p || !*p || strcasecmp(p, "baseline") == 0 || strcasecmp(p, "none") == 0;
}

static int persona_matches(const char *want, const char *have)
{
    if (!want)
        return 1;
    if (is_baseline(want))
        return is_baseline(have);
    return have && strcmp(want, have) == 0;
}

static int temperature_matches(const struct audit_scope *sc, const struct subject *s)
{
    return !sc->has_temperature || (s->has_temperature && fabs(s->temperature - sc->temperature) <= 1e-9);
}

static void fmt_num(char *buf, size_t size, double v)
{
    if (isnan(v))
        snprintf(buf, size, "NA");
    else
        snprintf(buf, size, "%.4g", v + 0.0);
}

/* ---- bootstrap statistics ------------------------------------------------------------------- */

static int mean_stat(const size_t *idx, size_t n, void *ctx, double *out)
{
    const double *v = ctx;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += v[idx[i]];
    *out = sum / (double)n;
    return STATS_OK;
}

struct pct_ctx {
    const double *x;
    double mean, sd;
};

static int pct_stat(const size_t *idx, size_t n, void *ctx, double *out)
{
    const struct pct_ctx *p = ctx;
    double sum = 0.0, z;
    for (size_t i = 0; i < n; i++)
        sum += p->x[idx[i]];
    return stats_norm_z(sum / (double)n, p->mean, p->sd, &z, out, NULL);
}

struct rho_ctx {
    const double *lv, *x;
    double *bx, *by;
};

static int rho_stat(const size_t *idx, size_t n, void *ctx, double *out)
{
    const struct rho_ctx *p = ctx;
    for (size_t i = 0; i < n; i++) {
        p->bx[i] = p->lv[idx[i]];
        p->by[i] = p->x[idx[i]];
    }
    return stats_spearman(p->bx, p->by, n, out, NULL);
}

/* The CI of a statistic over n units into r->vd; 1 with a CI, 0 without (the evidence says why). */
static int ci(struct run *r, size_t n, stats_statistic_fn fn, void *ctx)
{
    struct stats_boot b;
    const char *why = NULL;
    if (!r->o->bootstrap) {
        add(r, &r->vd.evidence, "no CI (--bootstrap 0)");
        return 0;
    }
    if (n < 2) {                /* every resample of one subject is that subject: no interval */
        add(r, &r->vd.evidence, "no CI: one subject");
        return 0;
    }
    int rc = stats_bootstrap_ci(n, fn, ctx, r->o->bootstrap, r->o->seed, r->o->level, &b, &why);
    if (rc == STATS_NOMEM) {
        r->oom = 1;
        return 0;
    }
    if (rc != STATS_OK) {
        add(r, &r->vd.evidence, "no bootstrap CI: %s", why ? why : "undefined");
        return 0;
    }
    r->vd.lo = b.lo;
    r->vd.hi = b.hi;
    add(r, &r->vd.evidence, "CI: %g%% percentile bootstrap over the %zu subjects (%zu resamples, seed %lu)",
        r->o->level * 100, n, r->o->bootstrap, r->o->seed);
    if (b.n_failed)
        add(r, &r->vd.evidence, "%zu of %zu resamples undefined", b.n_failed, r->o->bootstrap);
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

static void threshold_text(struct run *r, const struct audit_claim *c, const char *what)
{
    static const char *const ops[] = { ">=", "<=", ">", "<" };
    if (c->op == AUDIT_BETWEEN)
        add(r, &r->vd.threshold, "%s between %g and %g", what, c->a, c->b);
    else
        add(r, &r->vd.threshold, "%s %s %g", what, ops[c->op], c->a);
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
static void judge_cmp(struct run *r, const struct audit_claim *c, const char *what, int has_ci)
{
    char v[32], lo[32], hi[32], claimed[64], other[64];
    sides(c, claimed, other, sizeof claimed);
    fmt_num(v, sizeof v, r->vd.value);
    fmt_num(lo, sizeof lo, r->vd.lo);
    fmt_num(hi, sizeof hi, r->vd.hi);
    if (!has_ci) {
        r->vd.v = satisfies(c, r->vd.value) ? AUDIT_SUPPORTED : AUDIT_NOT_SUPPORTED;
        add(r, &r->vd.reason, "%s %s is %s%s; judged on the value alone (no CI)", what, v,
            r->vd.v == AUDIT_SUPPORTED ? "" : "not ", claimed);
    } else if (satisfies(c, r->vd.value) && satisfies(c, r->vd.lo) && satisfies(c, r->vd.hi)) {
        r->vd.v = AUDIT_SUPPORTED;
        add(r, &r->vd.reason, "%s %s; its %g%% CI [%s, %s] lies entirely %s", what, v, r->o->level * 100, lo, hi,
            claimed);
    } else if (other_side(c, r->vd.lo, r->vd.hi)) {
        r->vd.v = AUDIT_CONTRADICTED;
        add(r, &r->vd.reason, "%s %s; its %g%% CI [%s, %s] lies entirely %s", what, v, r->o->level * 100, lo, hi,
            other);
    } else {
        r->vd.v = AUDIT_NOT_SUPPORTED;
        add(r, &r->vd.reason, "%s %s; its %g%% CI [%s, %s] is not entirely %s", what, v, r->o->level * 100, lo, hi,
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
static int gate(struct run *r, const char *inst, int d)
{
    const struct faith_summary *s = summary_of(r, inst, d);
    const char *why = s && s->reason ? s->reason : "no coefficient defined";
    if (s && s->faithful > 0) {
        add(r, &r->vd.evidence, "psyfaith metrics --summary %s %s: faithful (%s)", inst, dimension_codes[d], why);
        return 1;
    }
    r->vd.v = AUDIT_NOT_MEASURABLE;
    strbuf_reset(&r->vd.reason);
    if (s && s->faithful == 0)
        add(r, &r->vd.reason, "the %s %s measurement is not faithful: %s", inst, dimension_codes[d], why);
    else
        add(r, &r->vd.reason, "the faithfulness of the %s %s measurement cannot be assessed: %s", inst,
            dimension_codes[d], why);
    add(r, &r->vd.evidence, "psyfaith metrics --summary %s %s: %s (%s)", inst, dimension_codes[d],
        s && s->faithful == 0 ? "not faithful" : "unknown", why);
    return 0;
}

/* The scores of the subjects in scope into r->x (and persona levels into r->y when steer); the
 * count, and *left the subjects who answered but have no score. */
static size_t scoped(struct run *r, const struct audit_item *it, const char *model, size_t b, int steer, size_t *left)
{
    const struct score_block *blk = &r->set->blocks[b];
    size_t n = 0;
    *left = 0;
    for (size_t s = 0; s < r->set->n_subjects; s++) {
        const struct subject *sub = &r->set->subjects[s];
        double sum, per;
        const char *why;
        if (strcmp(sub->model, model) != 0 || !temperature_matches(&it->scope, sub) || !blk->answered[s])
            continue;
        if (steer ? !(sub->has_level && sub->persona_trait &&
                      strcmp(sub->persona_trait, dimension_codes[blk->dimension]) == 0)
                  : !persona_matches(it->scope.persona, sub->persona))
            continue;
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

static void scope_text(struct run *r, const struct audit_item *it, const char *model, int steer)
{
    add(r, &r->vd.evidence, "subjects: model %s", model);
    if (steer)
        add(r, &r->vd.evidence, "personas with a level of the trait (the persona scope does not apply)");
    else if (it->scope.persona)
        add(r, &r->vd.evidence, "persona %s", it->scope.persona);
    if (it->scope.has_temperature)
        add(r, &r->vd.evidence, "temperature %g", it->scope.temperature);
}

static int too_few(struct run *r, size_t n, size_t left, const char *model, const char *inst)
{
    if ((long)n >= r->o->min_subjects && n > 0)
        return 0;
    r->vd.v = AUDIT_NOT_MEASURABLE;
    add(r, &r->vd.reason, "too little data: %zu subject%s of %s in scope with a score on %s; at least %ld needed "
        "(--min-subjects)", n, n == 1 ? "" : "s", model, inst, r->o->min_subjects > 0 ? r->o->min_subjects : 1);
    if (left)
        add(r, &r->vd.reason, " (%zu more answered too few items: --min-answered)", left);
    return 1;
}

/* ---- the claims ----------------------------------------------------------------------------- */

/* The population named by 'vs': exact (case-insensitive), else the only one containing the text.
 * Returns the population (a string of r->in) or NULL after printing why. */
static const char *population(struct run *r, const struct audit_item *it)
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
                claim_error(it, it->c.col_population,
                            "population '%s' is ambiguous: it matches '%s' and '%s' (give more of the name)", want, found, p);
                return NULL;
            }
            found = p;
        }
    }
    if (!found)
        claim_error(it, it->c.col_population, "no human norm population matches '%s' (see psyfaith norms list)", want);
    return found;
}

static int eval_level(struct run *r, const struct audit_item *it, const char *model, size_t b)
{
    const struct audit_claim *c = &it->c;
    const struct score_block *blk = &r->set->blocks[b];
    const char *inst = r->set->instruments[blk->instrument].name;
    int K = r->set->instruments[blk->instrument].n_options;
    size_t left, n = scoped(r, it, model, b, 0, &left);
    double sum = 0.0;
    if (c->a < 1 || c->a > K)
        return claim_error(it, c->col_a, "%g is outside the 1..%d scale of %s (a claim compares per-item means)", c->a, K,
                           inst);
    if (c->op == AUDIT_BETWEEN && (c->b < 1 || c->b > K))
        return claim_error(it, c->col_b, "%g is outside the 1..%d scale of %s (a claim compares per-item means)", c->b,
                           K, inst);
    const char *what = c->reverse ? "reversed per-item mean" : "per-item mean";
    threshold_text(r, c, what);
    scope_text(r, it, model, 0);
    if (too_few(r, n, left, model, inst))
        return 0;
    for (size_t i = 0; i < n; i++)
        sum += r->x[i];
    r->vd.value = sum / (double)n;
    r->vd.n = (long)n;
    add(r, &r->vd.evidence, "psyfaith scores: mean of %zu subjects' per-item %s %s scores %.6g", n, inst,
        dimension_codes[blk->dimension], r->vd.value);
    int has_ci = ci(r, n, mean_stat, r->x);
    if (c->reverse) {           /* neuroticism: K + 1 - EMO, so the CI swaps ends */
        double lo = r->vd.lo;
        r->vd.value = K + 1 - r->vd.value;
        r->vd.lo = K + 1 - r->vd.hi;
        r->vd.hi = K + 1 - lo;
        add(r, &r->vd.evidence, "neuroticism = %d - EMO", K + 1);
    }
    judge_cmp(r, c, what, has_ci);
    gate(r, inst, blk->dimension);
    return 0;
}

static int eval_percentile(struct run *r, const struct audit_item *it, const char *model, size_t b, const char *pop)
{
    const struct audit_claim *c = &it->c;
    const struct score_block *blk = &r->set->blocks[b];
    const char *inst = r->set->instruments[blk->instrument].name;
    const struct faith_norm *nr = NULL;
    size_t left, n = scoped(r, it, model, b, 0, &left);
    for (size_t i = 0; i < r->in.n_norms && !nr; i++) {
        const struct faith_norm *x = &r->in.norms[i];
        if (x->dimension == blk->dimension && strcmp(x->instrument, inst) == 0 && (!pop || strcmp(x->population, pop) == 0))
            nr = x;
    }
    const char *what = c->reverse ? "neuroticism percentile" : "percentile";
    threshold_text(r, c, what);
    scope_text(r, it, model, 0);
    if (!nr) {
        r->vd.v = AUDIT_NOT_MEASURABLE;
        if (pop)
            add(r, &r->vd.reason, "too little data: no norm of '%s' for %s %s", pop, inst, dimension_codes[blk->dimension]);
        else
            add(r, &r->vd.reason, "too little data: no human norm with a mean and sd for %s %s (psyfaith norms list)", inst,
                dimension_codes[blk->dimension]);
        return 0;
    }
    add(r, &r->vd.evidence, "norm '%s': mean %.6g, sd %.6g%s", nr->population, nr->mean, nr->sd,
        pop ? "" : " (the instrument's first norm; name another with vs)");
    if (too_few(r, n, left, model, inst))
        return 0;
    double sum = 0.0, z, pct;
    const char *why = NULL;
    for (size_t i = 0; i < n; i++)
        sum += r->x[i];
    double mean = sum / (double)n;
    if (stats_norm_z(mean, nr->mean, nr->sd, &z, &pct, &why) != STATS_OK) {
        r->vd.v = AUDIT_NOT_MEASURABLE;
        add(r, &r->vd.reason, "too little data: no percentile (%s)", why ? why : "undefined");
        return 0;
    }
    r->vd.value = pct;
    r->vd.n = (long)n;
    add(r, &r->vd.evidence, "psyfaith metrics norm_percentile: mean %.6g of %zu subjects, z %.4g, percentile %.6g", mean, n,
        z, pct);
    struct pct_ctx pc = { r->x, nr->mean, nr->sd };
    int has_ci = ci(r, n, pct_stat, &pc);
    if (c->reverse) {
        double lo = r->vd.lo;
        r->vd.value = 100 - r->vd.value;
        r->vd.lo = 100 - r->vd.hi;
        r->vd.hi = 100 - lo;
        add(r, &r->vd.evidence, "neuroticism percentile = 100 - EMO percentile");
    }
    judge_cmp(r, c, what, has_ci);
    gate(r, inst, blk->dimension);
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
    char why[200];
};

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
    snprintf(p->why, sizeof p->why, "%s", x && x->note ? x->note : "not computed");
}

static int eval_stable(struct run *r, const struct audit_item *it, const char *model, size_t b)
{
    const struct score_block *blk = &r->set->blocks[b];
    const char *inst = r->set->instruments[blk->instrument].name;
    const int d = blk->dimension;
    struct part parts[3];
    size_t np = 0, n = 0, single = 0;
    int nomem = 0;

    scope_text(r, it, model, 0);
    /* TrC over the subjects in scope: each subject's Eq. 2, then the mean (as psyfaith metrics) */
    for (size_t s = 0; s < r->set->n_subjects; s++) {
        const struct subject *sub = &r->set->subjects[s];
        if (strcmp(sub->model, model) != 0 || !temperature_matches(&it->scope, sub) || !blk->answered[s] ||
            !persona_matches(it->scope.persona, sub->persona))
            continue;
        gsl_matrix *m = subject_reps(blk, s, &nomem);
        if (!m) {
            single += !nomem;
            if (nomem)
                return oom();
            continue;
        }
        const gsl_matrix *one[1] = { m };
        struct stats_trc ts;
        int rc = stats_trc(one, 1, 0, &ts, NULL);
        gsl_matrix_free(m);
        if (rc == STATS_NOMEM)
            return oom();
        if (rc == STATS_OK)
            r->x[n++] = ts.trc;
    }
    struct part *p = &parts[np++];
    memset(p, 0, sizeof *p);
    p->name = "TrC";
    p->thr = r->o->reliability;
    p->value = p->lo = p->hi = NAN;
    p->n = (long)n;
    if ((long)n < r->o->min_subjects || !n) {
        snprintf(p->why, sizeof p->why, "%zu subject%s of %s in scope with 2 or more repetitions and a defined "
                 "correlation; at least %ld needed", n, n == 1 ? "" : "s", model,
                 r->o->min_subjects > 0 ? r->o->min_subjects : 1);
    } else {
        double sum = 0.0;
        for (size_t i = 0; i < n; i++)
            sum += r->x[i];
        p->value = sum / (double)n;
        p->defined = 1;
        p->has_ci = ci(r, n, mean_stat, r->x);
        p->lo = r->vd.lo;
        p->hi = r->vd.hi;
        r->vd.lo = r->vd.hi = NAN;
        snprintf(p->why, sizeof p->why, "over %zu subjects of %s in scope%s", n, model,
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

    add(r, &r->vd.threshold, "TrC >= %g, InC >= %g%s", r->o->reliability, r->o->reliability,
        behaviours ? "" : " (no classified behaviours: BC not checked)");
    if (behaviours)
        add(r, &r->vd.threshold, ", BC >= %g", r->o->validity);
    for (size_t i = 0; i < np; i++) {
        char v[32], lo[32], hi[32];
        fmt_num(v, sizeof v, parts[i].value);
        fmt_num(lo, sizeof lo, parts[i].lo);
        fmt_num(hi, sizeof hi, parts[i].hi);
        add(r, &r->vd.evidence, "%s %s %s %s [%s, %s] n = %ld (%s%s)", parts[i].name, inst, dimension_codes[d], v, lo,
            hi, parts[i].n, i ? "psyfaith metrics, all subjects: " : "", parts[i].why);
    }
    if (!behaviours)
        add(r, &r->vd.evidence, "BC not checked: no classified behaviours for %s (psyfaith classify apply)",
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
        fmt_num(v, sizeof v, against->value);
        fmt_num(lo, sizeof lo, against->lo);
        fmt_num(hi, sizeof hi, against->hi);
        r->vd.v = AUDIT_CONTRADICTED;
        add(r, &r->vd.reason, "%s %s; its %g%% CI [%s, %s] lies entirely below %g", against->name, v,
            r->o->level * 100, lo, hi, against->thr);
    } else if (undefined) {
        decider = undefined;
        r->vd.v = AUDIT_NOT_MEASURABLE;
        add(r, &r->vd.reason, "too little data: %s is not defined (%s)", undefined->name, undefined->why);
    } else if (!all_ci) {
        r->vd.v = all_above ? AUDIT_SUPPORTED : AUDIT_NOT_SUPPORTED;
        fmt_num(v, sizeof v, worst->value);
        add(r, &r->vd.reason, "lowest against its threshold: %s %s %s %g; judged on the values alone (no CI)",
            worst->name, v, all_above ? ">=" : "<", worst->thr);
    } else if (all_in) {
        r->vd.v = AUDIT_SUPPORTED;
        fmt_num(v, sizeof v, worst->value);
        fmt_num(lo, sizeof lo, worst->lo);
        fmt_num(hi, sizeof hi, worst->hi);
        add(r, &r->vd.reason, "every coefficient's %g%% CI lies above its threshold; the closest: %s %s [%s, %s] >= %g",
            r->o->level * 100, worst->name, v, lo, hi, worst->thr);
    } else {
        r->vd.v = AUDIT_NOT_SUPPORTED;
        decider = NULL;
        for (size_t i = 0; i < np; i++)
            if (parts[i].lo < parts[i].thr) {
                if (!decider)
                    decider = &parts[i];
                fmt_num(v, sizeof v, parts[i].value);
                fmt_num(lo, sizeof lo, parts[i].lo);
                fmt_num(hi, sizeof hi, parts[i].hi);
                add(r, &r->vd.reason, "%s%s %s: its %g%% CI [%s, %s] reaches below %g", r->vd.reason.len ? "; " : "",
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

static int eval_steer(struct run *r, const struct audit_item *it, const char *model, size_t b)
{
    static const char *const long_names[N_DIMENSIONS] = { "extraversion", "agreeableness", "conscientiousness",
                                                          "emotional stability", "openness" };
    const struct score_block *blk = &r->set->blocks[b];
    const char *inst = r->set->instruments[blk->instrument].name;
    const int d = blk->dimension;
    size_t left, n = scoped(r, it, model, b, 1, &left), steps, levels;
    int nomem = 0;
    char v[32], lo[32], hi[32];
    add(r, &r->vd.threshold, "Spearman rho of persona level and score > 0, violations <= %ld", r->o->max_violations);
    scope_text(r, it, model, 1);
    if (it->c.reverse)
        add(r, &r->vd.evidence, "neuroticism: judged as EMO (personas carry emotional-stability levels)");
    long bad = violations(r->y, r->x, n, &steps, &levels, &nomem);
    if (nomem)
        return oom();
    if (levels < 2) {
        r->vd.v = AUDIT_NOT_MEASURABLE;
        add(r, &r->vd.reason, "too little data: %zu persona level%s of %s with a score on %s for %s (personas like %s=7)",
            levels, levels == 1 ? "" : "s", dimension_codes[d], inst, model, long_names[d]);
        return 0;
    }
    if (too_few(r, n, left, model, inst))
        return 0;
    double rho;
    const char *why = NULL;
    if (stats_spearman(r->y, r->x, n, &rho, &why) != STATS_OK) {
        r->vd.v = AUDIT_NOT_MEASURABLE;
        add(r, &r->vd.reason, "too little data: no Spearman rho (%s)", why ? why : "undefined");
        return 0;
    }
    r->vd.value = rho;
    r->vd.n = (long)n;
    add(r, &r->vd.evidence, "psyfaith metrics steer_rho %s %s: %.6g over %zu subjects at %zu levels", inst,
        dimension_codes[d], rho, n, levels);
    add(r, &r->vd.evidence, "steer_violations: %ld of %zu steps between adjacent levels lower the mean score", bad, steps);
    struct rho_ctx rc = { r->y, r->x, r->bx, r->by };
    int has_ci = ci(r, n, rho_stat, &rc);
    fmt_num(v, sizeof v, rho);
    fmt_num(lo, sizeof lo, r->vd.lo);
    fmt_num(hi, sizeof hi, r->vd.hi);
    if (!has_ci) {
        r->vd.v = rho > 0 && bad <= r->o->max_violations ? AUDIT_SUPPORTED : AUDIT_NOT_SUPPORTED;
        add(r, &r->vd.reason, "rho %s, %ld of %zu steps against; judged on the value alone (no CI)", v, bad, steps);
    } else if (r->vd.hi < 0) {
        r->vd.v = AUDIT_CONTRADICTED;
        add(r, &r->vd.reason, "rho %s; its %g%% CI [%s, %s] lies entirely below 0: a higher %s persona level lowers the "
            "score", v, r->o->level * 100, lo, hi, dimension_codes[d]);
    } else if (r->vd.lo > 0 && bad <= r->o->max_violations) {
        r->vd.v = AUDIT_SUPPORTED;
        add(r, &r->vd.reason, "rho %s; its %g%% CI [%s, %s] lies entirely above 0, and %ld of %zu steps go against", v,
            r->o->level * 100, lo, hi, bad, steps);
    } else {
        r->vd.v = AUDIT_NOT_SUPPORTED;
        if (r->vd.lo > 0)
            add(r, &r->vd.reason, "rho %s [%s, %s] is positive, but %ld of %zu steps between adjacent levels lower the "
                "mean score (--max-violations %ld)", v, lo, hi, bad, steps, r->o->max_violations);
        else
            add(r, &r->vd.reason, "rho %s; its %g%% CI [%s, %s] is not entirely above 0", v, r->o->level * 100, lo, hi);
    }
    gate(r, inst, d);
    return 0;
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
        vd_reset(r);
        add(r, &r->vd.threshold, "%s: the %s effect's 95%% CI on the human side of 0 (p < %g), violations <= %ld", game,
            dimension_codes[c->dimension], r->o->alpha, r->o->max_violations);
        r->vd.value = g->effect;
        r->vd.lo = g->ci_low;
        r->vd.hi = g->ci_high;
        r->vd.n = g->n;
        add(r, &r->vd.evidence, "psyfaith games %s verdict rows for %s %s", game, g->model, dimension_codes[g->trait]);
        if (g->note)
            add(r, &r->vd.evidence, "agrees_with_humans: %s", g->note);
        if (g->effect_note)
            add(r, &r->vd.evidence, "model_direction: %s", g->effect_note);
        add(r, &r->vd.evidence, "%s %s: %s [%s, %s]",
            e == GAMES_ULTIMATUM ? "ug_trend slope_level" : "me_welch mean_difference (highest - lowest level)",
            dimension_codes[g->trait], (fmt_num(v, sizeof v, g->effect), v), (fmt_num(lo, sizeof lo, g->ci_low), lo),
            (fmt_num(hi, sizeof hi, g->ci_high), hi));
        if (g->steps >= 0)
            add(r, &r->vd.evidence, "monotone: %ld of %ld adjacent steps against the model's direction", g->violations,
                g->steps);
        if (g->human_note)
            add(r, &r->vd.evidence, "human_direction: %s", g->human_note);
        if (c->reverse)
            add(r, &r->vd.evidence, "neuroticism: judged as EMO (personas carry emotional-stability levels)");
        int human_side = g->human_dir > 0 ? g->ci_low > 0 : g->ci_high < 0;
        int other = g->human_dir > 0 ? g->ci_high < 0 : g->ci_low > 0;
        fmt_num(v, sizeof v, g->effect);
        fmt_num(lo, sizeof lo, g->ci_low);
        fmt_num(hi, sizeof hi, g->ci_high);
        if (!g->human_dir) {
            add(r, &r->vd.reason, "too little data: no human reference for %s in the %s data", dimension_codes[g->trait],
                game);
        } else if (isnan(g->effect) || isnan(g->ci_low) || isnan(g->ci_high)) {
            add(r, &r->vd.reason, "too little data: no estimate of the %s effect in the %s (%s)", dimension_codes[g->trait],
                game, g->effect_note ? g->effect_note : "fewer than 2 persona levels");
        } else if (other) {
            r->vd.v = AUDIT_CONTRADICTED;
            add(r, &r->vd.reason, "effect %s; its 95%% CI [%s, %s] lies entirely on the opposite side of 0 from humans (%s)",
                v, lo, hi, g->human_dir > 0 ? "humans: positive" : "humans: negative");
        } else if (human_side && g->violations >= 0 && g->violations <= r->o->max_violations) {
            r->vd.v = AUDIT_SUPPORTED;
            add(r, &r->vd.reason, "effect %s; its 95%% CI [%s, %s] lies on the human side of 0, and %ld of %ld steps go "
                "against", v, lo, hi, g->violations, g->steps);
        } else {
            r->vd.v = AUDIT_NOT_SUPPORTED;
            if (human_side)
                add(r, &r->vd.reason, "effect %s [%s, %s] goes the human way, but %ld of %ld adjacent steps go against it "
                    "(--max-violations %ld)", v, lo, hi, g->violations, g->steps, r->o->max_violations);
            else
                add(r, &r->vd.reason, "effect %s; its 95%% CI [%s, %s] includes 0: no clear direction", v, lo, hi);
        }
        if (emit(r, idx, g->model, "persona levels", NULL, NULL, dim) < 0)
            return -1;
    }
    if (!rows) {
        vd_reset(r);
        add(r, &r->vd.threshold, "%s: the %s effect's 95%% CI on the human side of 0", game, dimension_codes[c->dimension]);
        add(r, &r->vd.reason, "too little data: no %s %s with %s personas%s%s", game,
            e == GAMES_ULTIMATUM ? "trials" : "runs", dimension_codes[c->dimension], it->scope.model ? " for " : "",
            it->scope.model ? it->scope.model : "");
        if (emit(r, idx, it->scope.model, "persona levels", NULL, NULL, dim) < 0)
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
    if (c->kind == AUDIT_PERCENTILE && c->population[0] && !(pop = population(r, it)))
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
            vd_reset(r);
            int ret = c->kind == AUDIT_LEVEL        ? eval_level(r, it, model, b)
                      : c->kind == AUDIT_PERCENTILE ? eval_percentile(r, it, model, b, pop)
                      : c->kind == AUDIT_STABLE     ? eval_stable(r, it, model, b)
                                                    : eval_steer(r, it, model, b);
            if (ret < 0 || emit(r, idx, model, persona, temp, inst, dim) < 0)
                return -1;
            rows++;
            model_rows++;
        }
        if (!model_rows && it->scope.model) {
            vd_reset(r);
            add(r, &r->vd.reason, "too little data: %s answered no instrument measuring %s%s%s", model,
                dimension_codes[c->dimension], inst_want ? " on " : "", inst_want ? inst_want : "");
            if (emit(r, idx, model, persona, temp, inst_want, dim) < 0)
                return -1;
            rows++;
        }
    }
    if (!rows) {
        vd_reset(r);
        add(r, &r->vd.reason, "too little data: no questionnaire responses measuring %s%s%s%s%s in the store",
            dimension_codes[c->dimension], inst_want ? " on " : "", inst_want ? inst_want : "",
            it->scope.model ? " from " : "", it->scope.model ? it->scope.model : "");
        if (emit(r, idx, it->scope.model, persona, temp, inst_want, dim) < 0)
            return -1;
    }
    return 0;
}

int audit_run(sqlite3 *db, const struct audit_list *list, const struct audit_options *o, struct audit_results *out)
{
    struct run r = { .db = db, .o = o, .list = list, .out = out };
    struct faith_options fo;
    int ret = -1, stable = 0;
    memset(out, 0, sizeof *out);
    vd_reset(&r);
    /* scope names must exist: a typo is an error, not a verdict */
    for (size_t i = 0; i < list->n; i++) {
        const struct audit_item *it = &list->v[i];
        int k;
        if (it->scope.model && (k = model_known(db, it->scope.model)) <= 0) {
            if (k == 0)
                claim_error(it, 0, "no subject of model '%s' in the store (psyfaith export subjects lists them)",
                            it->scope.model);
            goto out;
        }
        const char *inst = it->c.instrument[0] ? it->c.instrument : it->scope.instrument;
        if (it->c.instrument[0] && it->scope.instrument && list->cli.instrument &&
            strcmp(it->c.instrument, list->cli.instrument) != 0) {
            claim_error(it, it->c.col_instrument, "the claim names instrument '%s' but --instrument is '%s'",
                        it->c.instrument, list->cli.instrument);
            goto out;
        }
        if (inst && (k = instrument_known(db, inst)) <= 0) {
            if (k == 0)
                claim_error(it, it->c.instrument[0] ? it->c.col_instrument : 0,
                            "unknown instrument '%s' (psyfaith instruments list)", inst);
            goto out;
        }
        stable |= it->c.kind == AUDIT_STABLE;
    }
    faith_options_default(&fo);
    fo.reliability = o->reliability;
    fo.validity = o->validity;
    fo.min_share = o->min_share;
    fo.level = o->level;
    fo.seed = o->seed;
    fo.bootstrap = 0;
    if (!(r.set = score_set_load(db, NULL)) || faith_inputs_load(db, r.set, &r.in) < 0 ||
        faith_compute(r.set, &r.in, &fo, &r.table) < 0 || faith_summarize(&r.table, r.set, &r.sum, &r.n_sum) < 0)
        goto out;
    if (stable) {
        fo.bootstrap = o->bootstrap;
        fo.metrics = "InC,BC";
        if (faith_compute(r.set, &r.in, &fo, &r.boot) < 0)
            goto out;
        r.have_boot = 1;
    }
    size_t ns = r.set->n_subjects + 1;
    if (!(r.x = malloc(ns * sizeof *r.x)) || !(r.y = malloc(ns * sizeof *r.y)) || !(r.bx = malloc(ns * sizeof *r.bx)) ||
        !(r.by = malloc(ns * sizeof *r.by))) {
        oom();
        goto out;
    }
    for (size_t i = 0; i < list->n; i++) {
        const struct audit_item *it = &list->v[i];
        if ((it->c.kind == AUDIT_STEERABLE && it->c.game ? eval_game(&r, i, it) : eval_questionnaire(&r, i, it)) < 0)
            goto out;
    }
    ret = 0;
out:
    vd_reset(&r);
    free(r.x);
    free(r.y);
    free(r.bx);
    free(r.by);
    for (int e = 0; e < 2; e++)
        games_trait_verdicts_free(r.g[e], r.ng[e]);
    faith_summary_free(r.sum, r.n_sum);
    faith_table_free(&r.boot);
    faith_table_free(&r.table);
    faith_inputs_free(&r.in);
    score_set_free(r.set);
    if (ret < 0)
        audit_results_free(out);
    return ret;
}
