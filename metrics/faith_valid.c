/* metrics/faith_valid.c -- validity: ExC (Eq. 4), BC (Eq. 5), heterotrait correlations, human
 * norms and persona steerability.  Every correlation is across subjects, of per-item means. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/faith.h"
#include "metrics/stats.h"

#define NAME(c, b) ((c)->set->instruments[(c)->set->blocks[b].instrument].name)
#define DIM(c, b) (dimension_codes[(c)->set->blocks[b].dimension])
#define SCORE(c, b, s) ((c)->score[(size_t)(b) * (c)->set->n_subjects + (s)])

/* ---- a correlation of two per-subject vectors, with its CI ------------------------------- */

struct pair_ctx {
    const double *x, *y;      /* the complete pairs */
    double *bx, *by;          /* scratch */
    int spearman;
};

static int pair_stat(const size_t *idx, size_t n, void *ctx, double *out)
{
    struct pair_ctx *p = ctx;
    for (size_t i = 0; i < n; i++) {
        p->bx[i] = p->x[idx[i]];
        p->by[i] = p->y[idx[i]];
    }
    int rc = p->spearman ? stats_spearman(p->bx, p->by, n, &out[0], NULL) : stats_pearson(p->bx, p->by, n, &out[0], NULL);
    return rc == STATS_NOMEM ? rc : STATS_OK;
}

/* r of x and y over the subjects where both are defined; Fisher CI unless bootstrapping, or only
 * the bootstrap CI when fisher = 0.  Writes value, n, CI and the reason when undefined. */
static int correlate(const struct faith_ctx *c, const double *x, const double *y, size_t n_all, int spearman,
                     int fisher, struct faith_row *row)
{
    double *cx = malloc((n_all + 1) * sizeof *cx), *cy = malloc((n_all + 1) * sizeof *cy);
    double *bx = malloc((n_all + 1) * sizeof *bx), *by = malloc((n_all + 1) * sizeof *by);
    struct faith_boot boot = { 0 };
    const char *why = NULL;
    size_t m = 0;
    int ret = -1;
    if (!cx || !cy || !bx || !by)
        goto out;
    for (size_t i = 0; i < n_all; i++)
        if (!isnan(x[i]) && !isnan(y[i])) {
            cx[m] = x[i];
            cy[m] = y[i];
            m++;
        }
    row->n = (long)m;
    int rc = spearman ? stats_spearman(cx, cy, m, &row->value, &why) : stats_pearson(cx, cy, m, &row->value, &why);
    if (rc == STATS_NOMEM)
        goto out;
    if (rc != STATS_OK) {
        row->value = NAN;
        ret = faith_note(row, "%s", why);
        goto out;
    }
    if (fisher && !c->opt->bootstrap &&
        stats_fisher_ci(row->value, m, c->opt->level, &row->ci_low, &row->ci_high, &why) != STATS_OK) {
        row->ci_low = row->ci_high = NAN;
        if (faith_note(row, "no Fisher CI: %s", why) < 0)
            goto out;
    }
    struct pair_ctx p = { cx, cy, bx, by, spearman };
    if (faith_boot_run(&boot, m, 1, pair_stat, &p, c->opt) < 0 || faith_boot_ci(&boot, 0, c->opt, row) < 0)
        goto out;
    ret = 0;
out:
    faith_boot_free(&boot);
    free(cx);
    free(cy);
    free(bx);
    free(by);
    return ret;
}

/* ---- ExC, BC -------------------------------------------------------------------------------- */

static int exc(struct faith_ctx *c)
{
    const struct score_set *set = c->set;
    for (size_t a = 0; a < set->n_blocks; a++)
        for (size_t b = a + 1; b < set->n_blocks; b++) {
            if (set->blocks[a].dimension != set->blocks[b].dimension ||
                set->blocks[a].instrument == set->blocks[b].instrument)
                continue;
            struct faith_row *r = faith_add(c->t, "ExC", NAME(c, a), NAME(c, b), DIM(c, a), NULL);
            if (!r || correlate(c, &SCORE(c, a, 0), &SCORE(c, b, 0), set->n_subjects, 0, 1, r) < 0)
                return diag_error("out of memory");
            if (faith_judge(r, c->opt->validity) < 0)
                return diag_error("out of memory");
            if (!isnan(r->value)) {
                c->conv_sum[a] += r->value;
                c->conv_n[a]++;
                c->conv_sum[b] += r->value;
                c->conv_n[b]++;
            }
        }
    return 0;
}

static int bc(struct faith_ctx *c)
{
    const struct score_set *set = c->set;
    const size_t ns = set->n_subjects;
    double *y = malloc((ns + 1) * sizeof *y);
    if (!y)
        return diag_error("out of memory");
    for (size_t b = 0; b < set->n_blocks; b++) {
        int d = set->blocks[b].dimension, methods = 0, any = 0;
        struct faith_row *r = faith_add(c->t, "BC", NAME(c, b), NULL, DIM(c, b), NULL);
        if (!r)
            goto oom;
        if (!c->in || !c->in->crs_rows) {
            if (faith_note(r, "no CrS yet: run psyfaith classify apply") < 0)
                goto oom;
            r->verdict = FAITH_UNDEFINED;
            continue;
        }
        for (size_t s = 0; s < ns; s++) {
            y[s] = c->in->crs[s * N_DIMENSIONS + (size_t)d];
            methods |= c->in->crs_method[s * N_DIMENSIONS + (size_t)d];
            any += !isnan(y[s]) && !isnan(SCORE(c, b, s));
        }
        if (!any) {
            if (faith_note(r, "no subject has both a score and a CrS for %s", DIM(c, b)) < 0)
                goto oom;
        } else {
            if (correlate(c, &SCORE(c, b, 0), y, ns, 0, 1, r) < 0)
                goto oom;
            if (faith_note(r, "CrS by %s", methods == 1 ? "label (share of yes)" : methods == 2 ? "mean probability"
                                                                                       : "label and probability (mixed)") < 0)
                goto oom;
        }
        if (faith_judge(r, c->opt->validity) < 0)
            goto oom;
    }
    free(y);
    return 0;
oom:
    free(y);
    return diag_error("out of memory");
}

/* ---- heterotrait ---------------------------------------------------------------------------- */

struct hetero_ctx {
    const double *const *cols;    /* [0] = this dimension, [1..m) = the others, over the sample */
    size_t m;
    double *bx, *by;
};

static int hetero_mean(const double *const *cols, size_t m, size_t n, const size_t *idx, double *bx, double *by,
                       double *out, size_t *n_def)
{
    double sum = 0.0;
    size_t def = 0;
    for (size_t o = 1; o < m; o++) {
        double r;
        for (size_t i = 0; i < n; i++) {
            bx[i] = cols[0][idx ? idx[i] : i];
            by[i] = cols[o][idx ? idx[i] : i];
        }
        int rc = stats_pearson(bx, by, n, &r, NULL);
        if (rc == STATS_NOMEM)
            return rc;
        if (rc == STATS_OK) {
            sum += fabs(r);
            def++;
        }
    }
    *out = def ? sum / (double)def : NAN;
    if (n_def)
        *n_def = def;
    return STATS_OK;
}

static int hetero_stat(const size_t *idx, size_t n, void *ctx, double *out)
{
    struct hetero_ctx *h = ctx;
    return hetero_mean(h->cols, h->m, n, idx, h->bx, h->by, &out[0], NULL);
}

static int heterotrait(struct faith_ctx *c, size_t b)
{
    const struct score_set *set = c->set;
    const size_t ns = set->n_subjects;
    const struct score_block *blk = &set->blocks[b];
    double *data = malloc((N_DIMENSIONS * ns + 1) * sizeof *data);
    double *bx = malloc((ns + 1) * sizeof *bx), *by = malloc((ns + 1) * sizeof *by);
    const double *cols[N_DIMENSIONS];
    struct faith_boot boot = { 0 };
    size_t m = 1, n = 0, def = 0;
    char others[64] = "";
    int ret = -1;
    struct faith_row *r = faith_add(c->t, "heterotrait_r", NAME(c, b), NULL, DIM(c, b), NULL);
    if (!r || !data || !bx || !by)
        goto oom;
    size_t ob[N_DIMENSIONS];
    for (size_t o = 0; o < set->n_blocks; o++)
        if (o != b && set->blocks[o].instrument == blk->instrument) {
            ob[m++] = o;
            size_t len = strlen(others);
            snprintf(others + len, sizeof others - len, "%s%s", len ? " " : "", DIM(c, o));
        }
    /* the sample: subjects with this dimension's score */
    for (size_t s = 0; s < ns; s++) {
        if (isnan(SCORE(c, b, s)))
            continue;
        data[n] = SCORE(c, b, s);
        for (size_t o = 1; o < m; o++)
            data[o * ns + n] = SCORE(c, ob[o], s);
        n++;
    }
    for (size_t o = 0; o < m; o++)
        cols[o] = data + o * ns;
    r->n = (long)n;
    if (m == 1) {
        ret = faith_note(r, "no other dimension on this instrument");
        goto done;
    }
    if (hetero_mean(cols, m, n, NULL, bx, by, &r->value, &def) == STATS_NOMEM)
        goto oom;
    if (isnan(r->value)) {
        ret = faith_note(r, "no defined correlation with %s (constant or fewer than 2 scores)", others);
        goto done;
    }
    if (faith_note(r, "mean |r| with %zu of %zu other dimensions (%s)", def, m - 1, others) < 0)
        goto oom;
    if (c->conv_n[b]) {
        double conv = c->conv_sum[b] / (double)c->conv_n[b];
        if (faith_note(r, "convergent r (mean ExC) %.4g%s", conv,
                       r->value >= conv ? ": heterotrait >= convergent, weak discriminant validity" : "") < 0)
            goto oom;
    } else if (faith_note(r, "no convergent r (no ExC for this dimension)") < 0)
        goto oom;
    struct hetero_ctx h = { cols, m, bx, by };
    if (faith_boot_run(&boot, n, 1, hetero_stat, &h, c->opt) < 0 || faith_boot_ci(&boot, 0, c->opt, r) < 0)
        goto oom;
    ret = 0;
    goto done;
oom:
    ret = -1;
done:
    faith_boot_free(&boot);
    free(data);
    free(bx);
    free(by);
    return ret < 0 ? diag_error("out of memory") : 0;
}

int faith_validity(struct faith_ctx *c)
{
    /* ExC runs even when not printed: heterotrait_r quotes the convergent r */
    struct faith_table scratch = { 0 }, *keep = c->t;
    int want = faith_wanted(c->opt, "ExC");
    if (!want)
        c->t = &scratch;
    int rc = exc(c);
    c->t = keep;
    faith_table_free(&scratch);
    if (rc < 0)
        return -1;
    if (faith_wanted(c->opt, "BC") && bc(c) < 0)
        return -1;
    if (faith_wanted(c->opt, "heterotrait_r"))
        for (size_t b = 0; b < c->set->n_blocks; b++)
            if (heterotrait(c, b) < 0)
                return -1;
    return 0;
}

/* ---- norms ---------------------------------------------------------------------------------- */

/* Subjects grouped by model name (sorted as strcmp does), each group in subject order. */
struct groups {
    size_t n;                 /* models */
    const char **name;        /* borrowed from the set */
    size_t *start;            /* group g is member[start[g] .. start[g + 1]) */
    size_t *member;
};

struct model_of {
    const char *model;
    size_t s;
};

static int model_cmp(const void *pa, const void *pb)
{
    const struct model_of *a = pa, *b = pb;
    int c = strcmp(a->model, b->model);
    return c ? c : a->s < b->s ? -1 : a->s > b->s;
}

static void groups_free(struct groups *g)
{
    free(g->name);
    free(g->start);
    free(g->member);
}

static int groups_by_model(const struct score_set *set, struct groups *g)
{
    const size_t ns = set->n_subjects;
    struct model_of *m = malloc((ns + 1) * sizeof *m);
    memset(g, 0, sizeof *g);
    g->name = malloc((ns + 1) * sizeof *g->name);
    g->start = malloc((ns + 2) * sizeof *g->start);
    g->member = malloc((ns + 1) * sizeof *g->member);
    if (!m || !g->name || !g->start || !g->member) {
        free(m);
        groups_free(g);
        return -1;
    }
    for (size_t s = 0; s < ns; s++)
        m[s] = (struct model_of){ set->subjects[s].model, s };
    qsort(m, ns, sizeof *m, model_cmp);
    for (size_t i = 0; i < ns; i++) {
        if (i == 0 || strcmp(m[i].model, m[i - 1].model) != 0) {
            g->name[g->n] = m[i].model;
            g->start[g->n++] = i;
        }
        g->member[i] = m[i].s;
    }
    g->start[g->n] = ns;
    free(m);
    return 0;
}

struct norm_ctx {
    const double *x;
    double mean, sd;
};

static int norm_stat(const size_t *idx, size_t n, void *ctx, double *out)
{
    struct norm_ctx *nc = ctx;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += nc->x[idx[i]];
    stats_norm_z(sum / (double)n, nc->mean, nc->sd, &out[0], &out[1], NULL);
    return STATS_OK;
}

int faith_norms(struct faith_ctx *c)
{
    const struct score_set *set = c->set;
    struct groups g = { 0 };
    double *x = NULL;
    struct faith_boot boot = { 0 };
    int want_z = faith_wanted(c->opt, "norm_z"), want_p = faith_wanted(c->opt, "norm_percentile");
    if (!c->in || !c->in->n_norms || (!want_z && !want_p))
        return 0;
    if (groups_by_model(set, &g) < 0 || !(x = malloc((set->n_subjects + 1) * sizeof *x)))
        goto oom;
    for (size_t i = 0; i < c->in->n_norms; i++) {
        const struct faith_norm *nr = &c->in->norms[i];
        int b = -1;
        for (size_t k = 0; k < set->n_instruments && b < 0; k++)
            if (strcmp(set->instruments[k].name, nr->instrument) == 0)
                b = faith_block(set, (int)k, nr->dimension);
        if (b < 0)
            continue;
        for (size_t mi = 0; mi < g.n; mi++) {
            size_t n = 0;
            double sum = 0.0, z, pct;
            for (size_t k = g.start[mi]; k < g.start[mi + 1]; k++)
                if (!isnan(SCORE(c, b, g.member[k]))) {
                    x[n] = SCORE(c, b, g.member[k]);
                    sum += x[n++];
                }
            if (!n)
                continue;
            double mean = sum / (double)n;
            const char *why = NULL;
            int ok = stats_norm_z(mean, nr->mean, nr->sd, &z, &pct, &why) == STATS_OK;
            struct norm_ctx nctx = { x, nr->mean, nr->sd };
            if (faith_boot_run(&boot, n, 2, norm_stat, &nctx, c->opt) < 0)
                goto oom;
            for (int w = 0; w < 2; w++) {
                if (!(w == 0 ? want_z : want_p))
                    continue;
                struct faith_row *r = faith_add(c->t, w == 0 ? "norm_z" : "norm_percentile", nr->instrument,
                                                nr->population, dimension_codes[nr->dimension], g.name[mi]);
                if (!r)
                    goto oom;
                r->n = (long)n;
                if (ok)
                    r->value = w == 0 ? z : pct;
                if ((ok ? faith_note(r, "model mean %.4g; norm mean %.4g, sd %.4g", mean, nr->mean, nr->sd)
                        : faith_note(r, "%s", why)) < 0 ||
                    faith_boot_ci(&boot, (size_t)w, c->opt, r) < 0)
                    goto oom;
            }
            faith_boot_free(&boot);
        }
    }
    groups_free(&g);
    free(x);
    return 0;
oom:
    faith_boot_free(&boot);
    groups_free(&g);
    free(x);
    return diag_error("out of memory");
}

/* ---- steerability --------------------------------------------------------------------------- */

struct lv {
    double level, score;
};

static int lv_cmp(const void *pa, const void *pb)
{
    const struct lv *a = pa, *b = pb;
    return a->level < b->level ? -1 : a->level > b->level;
}

/* Steps between adjacent distinct levels where the mean score goes down; -1 if < 2 levels. */
static long violations(struct lv *v, size_t n, size_t *steps)
{
    qsort(v, n, sizeof *v, lv_cmp);
    double prev = NAN;
    long bad = 0;
    *steps = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        double sum = 0.0;
        while (j < n && v[j].level == v[i].level)
            sum += v[j++].score;
        double mean = sum / (double)(j - i);
        if (!isnan(prev)) {
            (*steps)++;
            bad += mean < prev;
        }
        prev = mean;
        i = j;
    }
    return *steps ? bad : -1;
}

int faith_steer(struct faith_ctx *c)
{
    const struct score_set *set = c->set;
    const size_t ns = set->n_subjects;
    struct groups g = { 0 };
    double *lx = NULL, *ly = NULL;
    struct lv *v = NULL;
    int want_rho = faith_wanted(c->opt, "steer_rho"), want_v = faith_wanted(c->opt, "steer_violations");
    if (!want_rho && !want_v)
        return 0;
    if (groups_by_model(set, &g) < 0 || !(lx = malloc((ns + 1) * sizeof *lx)) ||
        !(ly = malloc((ns + 1) * sizeof *ly)) || !(v = malloc((ns + 1) * sizeof *v)))
        goto oom;
    for (size_t mi = 0; mi < g.n; mi++)
        for (int d = 0; d < N_DIMENSIONS; d++) {
            size_t in_group = 0;
            for (size_t k = g.start[mi]; k < g.start[mi + 1]; k++) {
                const struct subject *sub = &set->subjects[g.member[k]];
                in_group += sub->has_level && sub->persona_trait && strcmp(sub->persona_trait, dimension_codes[d]) == 0;
            }
            if (!in_group)
                continue;
            for (size_t b = 0; b < set->n_blocks; b++) {
                if (set->blocks[b].dimension != d)
                    continue;
                size_t n = 0;
                for (size_t k = g.start[mi]; k < g.start[mi + 1]; k++) {
                    size_t s = g.member[k];
                    const struct subject *sub = &set->subjects[s];
                    if (!sub->has_level || !sub->persona_trait || strcmp(sub->persona_trait, dimension_codes[d]) != 0 ||
                        !c->took[b * ns + s])
                        continue;
                    lx[n] = sub->persona_level;
                    ly[n] = SCORE(c, b, s);
                    n++;
                }
                if (!n)
                    continue;
                if (want_rho) {
                    struct faith_row *r = faith_add(c->t, "steer_rho", NAME(c, b), NULL, DIM(c, b), g.name[mi]);
                    if (!r || correlate(c, lx, ly, n, 1, 0, r) < 0)
                        goto oom;
                    if (!isnan(r->value) &&
                        faith_note(r, "Spearman rho of %s persona level and score", dimension_codes[d]) < 0)
                        goto oom;
                }
                if (want_v) {
                    struct faith_row *r = faith_add(c->t, "steer_violations", NAME(c, b), NULL, DIM(c, b), g.name[mi]);
                    size_t m = 0, steps;
                    if (!r)
                        goto oom;
                    for (size_t i = 0; i < n; i++)
                        if (!isnan(ly[i]))
                            v[m++] = (struct lv){ lx[i], ly[i] };
                    long bad = violations(v, m, &steps);
                    r->n = (long)m;
                    if (bad < 0) {
                        if (faith_note(r, "fewer than 2 persona levels with a score") < 0)
                            goto oom;
                    } else {
                        r->value = (double)bad;
                        if (faith_note(r, "%ld of %zu steps between adjacent levels lower the mean score", bad, steps) < 0)
                            goto oom;
                    }
                }
            }
        }
    groups_free(&g);
    free(lx);
    free(ly);
    free(v);
    return 0;
oom:
    groups_free(&g);
    free(lx);
    free(ly);
    free(v);
    return diag_error("out of memory");
}
