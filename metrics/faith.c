/* metrics/faith.c -- faith_compute(): the driver, the row table, bootstrap helpers, verdicts */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

#include "diag.h"
#include "progress.h"
#include "metrics/faith.h"
#include "metrics/stats.h"
#include "util.h"

const char *const faith_metric_names[] = {
    "TrC", "InC", "ExC", "BC", "std_alpha", "alpha_if_deleted", "split_half_sb", "split_half_mean",
    "split_half_max", "split_half_min", "omega_total", "lambda6", "r_drop", "ICC(1,1)", "ICC(A,1)", "ICC(C,1)", "heterotrait_r",
    "neutral_rate", "acquiescence", "option_entropy", "refusal_rate", "unparsed_rate", "acq_share", "trait_share",
    "acq_mean", "contradiction_rate", "norm_z",
    "norm_percentile", "steer_rho", "steer_violations", "order_diff", "order_p_t", "order_p_wilcoxon",
    "position_bias", "cb_score", NULL
};

/* Groups accepted by --metric, each a space-separated list of metric names. */
static const struct {
    const char *name, *members;
} groups[] = {
    { "paper", "TrC InC ExC BC" },
    { "reliability", "TrC InC std_alpha alpha_if_deleted split_half_sb split_half_mean split_half_max "
                     "split_half_min omega_total lambda6 r_drop ICC(1,1) ICC(A,1) ICC(C,1)" },
    { "beyond_alpha", "omega_total lambda6 r_drop" },
    { "validity", "ExC BC heterotrait_r" },
    { "alpha", "InC std_alpha alpha_if_deleted" },
    { "split_half", "split_half_sb split_half_mean split_half_max split_half_min" },
    { "ICC", "ICC(1,1) ICC(A,1) ICC(C,1)" },
    { "style", "neutral_rate acquiescence option_entropy refusal_rate unparsed_rate acq_share trait_share acq_mean "
               "contradiction_rate" },
    { "acq", "acq_share trait_share acq_mean contradiction_rate" },
    { "norms", "norm_z norm_percentile" },
    { "steer", "steer_rho steer_violations" },
    { "order", "order_diff order_p_t order_p_wilcoxon position_bias cb_score" },
};
#define N_GROUPS (sizeof groups / sizeof groups[0])
const char *const faith_group_names[] = { "paper", "reliability", "beyond_alpha", "validity", "alpha", "split_half",
                                          "ICC", "style", "acq", "norms", "steer",
                                          "order", NULL };

void faith_options_default(struct faith_options *o)
{
    memset(o, 0, sizeof *o);
    o->min_share = 0.8;
    o->seed = 1;
    o->level = 0.95;
    o->reliability = 0.7;
    o->validity = 0.6;
    o->threads = threads_default();
}

int faith_units_parse(const char *arg, int *units_runs)
{
    if (strcmp(arg, "subjects") == 0 || strcmp(arg, "runs") == 0) {
        *units_runs = arg[0] == 'r';
        return 0;
    }
    return -1;
}

int faith_single_subject_runs(const struct score_set *set)
{
    int most = 0;
    if (set->n_subjects != 1)
        return 0;
    for (size_t b = 0; b < set->n_blocks; b++)
        if (set->blocks[b].reps_seen[0] > most)
            most = set->blocks[b].reps_seen[0];
    return most >= 2 ? most : 0;
}

static int metric_rank(const char *metric)
{
    for (int i = 0; faith_metric_names[i]; i++)
        if (strcmp(faith_metric_names[i], metric) == 0)
            return i;
    return -1;
}

/* Whether the word s[0..n) names `metric` or a group holding it (case-insensitive). */
static int word_matches(const char *s, size_t n, const char *metric)
{
    if (strlen(metric) == n && strncasecmp(s, metric, n) == 0)
        return 1;
    for (size_t g = 0; g < N_GROUPS; g++) {
        if (strlen(groups[g].name) != n || strncasecmp(s, groups[g].name, n) != 0)
            continue;
        for (const char *m = groups[g].members; *m;) {
            size_t len = strcspn(m, " ");
            if (len == strlen(metric) && strncmp(m, metric, len) == 0)
                return 1;
            m += len + (m[len] == ' ');
        }
    }
    return 0;
}

static int word_known(const char *s, size_t n)
{
    for (int i = 0; faith_metric_names[i]; i++)
        if (word_matches(s, n, faith_metric_names[i]))
            return 1;
    return 0;
}

/* Length of the name at p: up to a comma outside parentheses ("ICC(A,1)" is one name). */
static size_t word_len(const char *p)
{
    size_t n = 0;
    int depth = 0;
    for (; p[n] && (p[n] != ',' || depth > 0); n++)
        depth += p[n] == '(' ? 1 : p[n] == ')' && depth > 0 ? -1 : 0;
    return n;
}

int faith_metrics_valid(const char *list, const char **bad)
{
    if (!*list) {
        *bad = list;
        return -1;
    }
    for (const char *p = list; *p;) {
        size_t n = word_len(p);
        if (n == 0 || !word_known(p, n)) {
            *bad = p;
            return -1;
        }
        p += n + (p[n] == ',');
    }
    return 0;
}

int faith_wanted(const struct faith_options *opt, const char *metric)
{
    if (!opt->metrics)
        return 1;
    for (const char *p = opt->metrics; *p;) {
        size_t n = word_len(p);
        if (word_matches(p, n, metric))
            return 1;
        p += n + (p[n] == ',');
    }
    return 0;
}

/* ---- rows --------------------------------------------------------------------------- */

static char *dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

struct faith_row *faith_add(struct faith_table *t, const char *metric, const char *instrument,
                            const char *instrument_b, const char *dimension, const char *item)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        struct faith_row *p = realloc(t->rows, cap * sizeof *p);
        if (!p)
            return NULL;
        t->rows = p;
        t->cap = cap;
    }
    struct faith_row *r = &t->rows[t->n];
    memset(r, 0, sizeof *r);
    r->metric = metric;
    r->dimension = dimension;
    r->value = r->ci_low = r->ci_high = NAN;
    r->n = -1;
    r->threshold = NAN;
    r->order = t->n;
    r->instrument = dup_or_null(instrument);
    r->instrument_b = dup_or_null(instrument_b);
    r->item = dup_or_null(item);
    t->n++;     /* counted before the check so that faith_table_free releases what was copied */
    if ((instrument && *instrument && !r->instrument) || (instrument_b && *instrument_b && !r->instrument_b) ||
        (item && *item && !r->item))
        return NULL;
    return r;
}

int faith_note(struct faith_row *r, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    size_t old = r->note ? strlen(r->note) : 0, add = strlen(buf);
    char *p = realloc(r->note, old + add + 3);
    if (!p)
        return -1;
    if (old)
        memcpy(p + old, "; ", 2), old += 2;
    memcpy(p + old, buf, add + 1);
    r->note = p;
    return 0;
}

void faith_table_free(struct faith_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        free(t->rows[i].instrument);
        free(t->rows[i].instrument_b);
        free(t->rows[i].item);
        free(t->rows[i].note);
    }
    free(t->rows);
    memset(t, 0, sizeof *t);
}

int faith_judge(struct faith_row *row, double thr)
{
    row->threshold = thr;
    if (isnan(row->value)) {
        row->verdict = FAITH_UNDEFINED;
        return 0;
    }
    if (row->value < thr) {
        row->verdict = FAITH_UNFAITHFUL;
        return faith_note(row, "unfaithful (< %g)", thr);
    }
    row->verdict = FAITH_OK;
    return 0;
}

int faith_block(const struct score_set *set, int instrument, int dimension)
{
    for (size_t b = 0; b < set->n_blocks; b++)
        if (set->blocks[b].instrument == instrument && set->blocks[b].dimension == dimension)
            return (int)b;
    return -1;
}

/* ---- bootstrap ------------------------------------------------------------------------ */

/* One replicate (or, with first = 0, the sample): fn's nstat values into row first + i, the
 * non-finite ones as NAN.  Touches only that row and worker w's context. */
struct boot_job {
    struct faith_boot *b;
    faith_multi_fn fn;
    void *const *ctxs;
    const size_t *idx;        /* m x n indices, replicate i's at idx + i n */
    size_t n, first;
};

static int boot_one(size_t i, size_t w, void *arg)
{
    const struct boot_job *j = arg;
    double *row = j->b->vals + (j->first + i) * j->b->nstat;
    for (size_t s = 0; s < j->b->nstat; s++)
        row[s] = NAN;
    if (j->fn(j->idx + i * j->n, j->n, j->ctxs[w], row) == STATS_NOMEM)
        return -1;
    for (size_t s = 0; s < j->b->nstat; s++)
        if (!isfinite(row[s]))
            row[s] = NAN;
    return 0;
}

size_t faith_boot_threads(const struct faith_options *opt)
{
    size_t t = opt->bootstrap ? opt->threads : 1;
    return t < 1 ? 1 : t > FAITH_BOOT_MAX_THREADS ? FAITH_BOOT_MAX_THREADS : t;
}

int faith_boot_run(struct faith_boot *b, size_t n, size_t nstat, faith_multi_fn fn, void *ctx,
                   const struct faith_options *opt)
{
    void *one[1] = { ctx };
    return faith_boot_run_par(b, n, nstat, fn, one, 1, opt);
}

/* What stats_bootstrap_ci did (and still does for audit): the statistic on the sample, then B
 * replicates from one mt19937 seeded with opt->seed, replicate r drawing its n indices with
 * gsl_rng_uniform_int in order -- here drawn in batches of at most 4 MiB of indices, each batch
 * computed by the workers. */
int faith_boot_run_par(struct faith_boot *b, size_t n, size_t nstat, faith_multi_fn fn, void *const *ctxs,
                       size_t n_ctx, const struct faith_options *opt)
{
    gsl_rng *rng = NULL;
    size_t *idx = NULL;
    int ret = -1;
    const size_t lead2 = b->lead2 < nstat ? b->lead2 : 0;
    memset(b, 0, sizeof *b);
    b->lead2 = lead2;
    b->nstat = nstat;
    b->B = opt->bootstrap;
    if (!b->B)
        return 0;
    if (n == 0) {
        b->why = "no subjects";
        return 0;
    }
    const size_t batch_max = (size_t)4 << 20, per = n * sizeof *idx;
    size_t batch = per >= batch_max ? 1 : batch_max / per;
    if (batch > b->B)
        batch = b->B;
    if (!(b->vals = malloc((b->B + 1) * nstat * sizeof *b->vals)) || !(idx = malloc(batch * per)) ||
        !(rng = gsl_rng_alloc(gsl_rng_mt19937)))
        goto oom;
    if (n - 1 > gsl_rng_max(rng) - gsl_rng_min(rng)) {   /* gsl_rng_uniform_int's limit */
        b->why = "too many subjects for the generator";
        ret = 0;
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    struct boot_job job = { b, fn, ctxs, idx, n, 0 };
    if (boot_one(0, 0, &job) < 0)
        goto oom;
    b->calls = 1;
    b->undefined[0] = isnan(b->vals[0]);
    b->undefined[1] = lead2 && isnan(b->vals[lead2]);
    if (b->undefined[0] && (!lead2 || b->undefined[1])) {
        b->why = "statistic undefined on the sample";
        ret = 0;
        goto out;
    }
    size_t threads = n_ctx < opt->threads ? n_ctx : opt->threads;
    gsl_rng_set(rng, opt->seed);
    for (size_t done = 0; done < b->B;) {
        const size_t m = b->B - done < batch ? b->B - done : batch;
        for (size_t i = 0; i < m * n; i++)
            idx[i] = gsl_rng_uniform_int(rng, n);
        job.first = 1 + done;
        if (par_for(threads, m, boot_one, &job) < 0)
            goto oom;
        done += m;
        b->calls += m;
    }
    b->ran = 1;          /* the first statistic may lack a CI, the others need not */
    ret = 0;
    goto out;
oom:
    ret = diag_error("out of memory (or no thread for the bootstrap)");
out:
    free(idx);
    gsl_rng_free(rng);
    return ret;
}

/* Rearranges v[from..n) so that v[r] is the value a sort would put there, the smaller ones before it
 * and the larger after (quickselect, median-of-three pivot). */
static void select_rank(double *v, size_t from, size_t n, size_t r)
{
    size_t lo = from, hi = n - 1;
    while (hi > lo) {
        const size_t mid = lo + (hi - lo) / 2;
        double a = v[lo], b = v[mid], c = v[hi];
        const double pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                const double t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (r <= j)
            hi = j;
        else if (r >= i)
            lo = i;
        else
            return;      /* j < r < i: v[r] equals the pivot, in place */
    }
}

/* gsl_stats_quantile_from_sorted_data(sorted v, f) without sorting v (it is rearranged): the same
 * index f (n - 1), the same interpolation between the order statistics lhs and lhs + 1. */
static double quantile_select(double *v, size_t n, double f)
{
    const double index = f * (double)(n - 1);
    const size_t lhs = (size_t)(int)index;
    const double delta = index - (double)lhs;
    select_rank(v, 0, n, lhs);
    if (lhs == n - 1)
        return v[lhs];
    double next = v[lhs + 1];       /* the order statistic lhs + 1: the least of those after lhs */
    for (size_t i = lhs + 2; i < n; i++)
        if (v[i] < next)
            next = v[i];
    return (1 - delta) * v[lhs] + delta * next;
}

int faith_boot_ci(const struct faith_boot *b, size_t j, const struct faith_options *opt,
                  struct faith_row *row)
{
    if (!opt->bootstrap || isnan(row->value))
        return 0;
    if (!b->ran)
        return faith_note(row, "no bootstrap CI: %s", b->why ? b->why : "undefined");
    if (b->undefined[b->lead2 && j >= b->lead2])    /* the other group's lead kept the run going */
        return faith_note(row, "no bootstrap CI: statistic undefined on the sample");
    /* the statistic on the original sample is the value itself: anything else is a bug here */
    double est = b->vals[j];
    if (!(fabs(est - row->value) <= 1e-9 * fmax(1.0, fabs(row->value))) &&
        faith_note(row, "bootstrap estimate %.17g differs from the value (a bug)", est) < 0)
        return -1;
    double *v = malloc(b->B * sizeof *v);
    size_t ok = 0;
    if (!v)
        return -1;
    for (size_t r = 1; r <= b->B; r++)
        if (!isnan(b->vals[r * b->nstat + j]))
            v[ok++] = b->vals[r * b->nstat + j];
    int ret = 0;
    if (ok < 2)
        ret = faith_note(row, "no bootstrap CI: fewer than 2 of %zu replicates defined", b->B);
    else {
        /* stats_quantile() of the defined replicates: the two order statistics each bound needs,
         * selected rather than sorted (thousands of rows x B replicates ran gsl_sort alone) */
        row->ci_low = quantile_select(v, ok, (1.0 - opt->level) / 2.0);
        row->ci_high = quantile_select(v, ok, (1.0 + opt->level) / 2.0);
        if (ok < b->B)
            ret = faith_note(row, "bootstrap: %zu of %zu replicates undefined", b->B - ok, b->B);
    }
    free(v);
    return ret;
}

void faith_boot_free(struct faith_boot *b)
{
    free(b->vals);
    b->vals = NULL;
}

/* ---- driver ----------------------------------------------------------------------------- */

static int row_cmp(const void *pa, const void *pb)
{
    const struct faith_row *a = pa, *b = pb;
    int ra = metric_rank(a->metric), rb = metric_rank(b->metric);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

int faith_compute(const struct score_set *set, const struct faith_inputs *in,
                  const struct faith_options *opt, struct faith_table *out)
{
    const size_t nb = set->n_blocks, ns = set->n_subjects;
    struct faith_ctx c = { set, in, opt, out, NULL, NULL, NULL, NULL };
    int ret = -1;
    memset(out, 0, sizeof *out);
    c.score = malloc((nb * ns + 1) * sizeof *c.score);
    c.took = malloc(nb * ns + 1);
    c.conv_sum = calloc(nb ? nb : 1, sizeof *c.conv_sum);
    c.conv_n = calloc(nb ? nb : 1, sizeof *c.conv_n);
    if (!c.score || !c.took || !c.conv_sum || !c.conv_n) {
        diag_error("out of memory");
        goto out;
    }
    for (size_t b = 0; b < nb; b++) {
        const struct score_block *blk = &set->blocks[b];
        for (size_t s = 0; s < ns; s++) {
            double sum, mean;
            c.took[b * ns + s] = blk->answered[s] || blk->refusals[s] || blk->unparsed[s] || blk->ambiguous[s];
            c.score[b * ns + s] = NAN;
            if (blk->answered[s] && score_of(blk, s, opt->min_share, &sum, &mean, NULL) == 0)
                c.score[b * ns + s] = mean;
        }
    }
    if (opt->bootstrap)     /* the one-line display on a terminal (progress.h): a step per block */
        progress_begin("metrics --bootstrap", (long long)(2 * nb + 2), "steps");
    for (size_t b = 0; b < nb; b++, progress_add(1))
        if (faith_reliability(&c, b) < 0)
            goto out;
    if (faith_validity(&c) < 0)
        goto out;
    progress_add(1);
    for (size_t b = 0; b < nb; b++, progress_add(1))
        if (faith_style(&c, b) < 0 || faith_acq(&c, b) < 0)
            goto out;
    if (faith_norms(&c) < 0 || faith_steer(&c) < 0 || faith_order_rows(&c) < 0)
        goto out;
    progress_add(1);
    if (out->n)
        qsort(out->rows, out->n, sizeof *out->rows, row_cmp);
    ret = 0;
out:
    if (opt->bootstrap)
        progress_end();
    if (ret < 0)
        faith_table_free(out);
    free(c.score);
    free(c.took);
    free(c.conv_sum);
    free(c.conv_n);
    return ret;
}

/* ---- summary ---------------------------------------------------------------------------- */

void faith_summary_free(struct faith_summary *s, size_t n)
{
    for (size_t i = 0; s && i < n; i++) {
        free(s[i].instrument);
        free(s[i].reason);
    }
    free(s);
}

static int add_text(char **dst, const char *sep, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int add_text(char **dst, const char *sep, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    size_t old = *dst ? strlen(*dst) : 0, s = old ? strlen(sep) : 0;
    char *p = realloc(*dst, old + s + strlen(buf) + 1);
    if (!p)
        return -1;
    memcpy(p + old, sep, s);
    strcpy(p + old + s, buf);
    *dst = p;
    return 0;
}

/* The metric's label in a reason: ExC names the other instrument. */
static void label(const struct faith_row *r, const char *instrument, char *buf, size_t size)
{
    if (strcmp(r->metric, "ExC") == 0) {
        const char *other = r->instrument && strcmp(r->instrument, instrument) != 0 ? r->instrument
                                                                                   : r->instrument_b;
        snprintf(buf, size, "ExC with %s", other ? other : "?");
    } else
        snprintf(buf, size, "%s", r->metric);
}

/* Whether metric is one of the two whose definition a verdict needs (0 TrC, 1 InC), else -1. */
static int required_index(const char *metric)
{
    return strcmp(metric, "TrC") == 0 ? 0 : strcmp(metric, "InC") == 0 ? 1 : -1;
}

int faith_summarize(const struct faith_table *t, const struct score_set *set,
                    struct faith_summary **out, size_t *n)
{
    static const char *const required[2] = { "TrC", "InC" };
    struct faith_summary *s = calloc(set->n_blocks ? set->n_blocks : 1, sizeof *s);
    if (!s)
        return diag_error("out of memory");
    *out = s;
    *n = 0;
    for (size_t b = 0; b < set->n_blocks; b++) {
        const char *inst = set->instruments[set->blocks[b].instrument].name;
        const char *dim = dimension_codes[set->blocks[b].dimension];
        char *bad = NULL, *good = NULL, *good_thr = NULL, *unknown = NULL, *missing = NULL;
        const struct faith_row *req[2] = { NULL, NULL };
        struct faith_summary *v = &s[(*n)++];
        int err = 0;
        v->dimension = dim;
        v->instrument = strdup(inst);
        err |= !v->instrument;
        for (size_t i = 0; i < t->n; i++) {
            const struct faith_row *r = &t->rows[i];
            char lab[200];
            if (r->verdict == FAITH_NOT_CHECKED || !r->dimension || strcmp(r->dimension, dim) != 0)
                continue;
            if (!(r->instrument && strcmp(r->instrument, inst) == 0) &&
                !(strcmp(r->metric, "ExC") == 0 && r->instrument_b && strcmp(r->instrument_b, inst) == 0))
                continue;
            int k = required_index(r->metric);
            if (k >= 0)
                req[k] = r;
            label(r, inst, lab, sizeof lab);
            if (r->verdict == FAITH_UNFAITHFUL) {
                int prec = 3;     /* enough digits that the value is visibly below the threshold */
                char num[40];
                do
                    snprintf(num, sizeof num, "%.*g", prec++, r->value);
                while (strtod(num, NULL) >= r->threshold && prec <= 17);
                err |= add_text(&bad, "; ", "%s %s < %g", lab, num, r->threshold);
            } else if (r->verdict == FAITH_OK) {
                err |= add_text(&good, ", ", "%s %.3g", lab, r->value);
                err |= add_text(&good_thr, ", ", "%s %.3g >= %g", lab, r->value, r->threshold);
            } else if (k >= 0)
                err |= add_text(&missing, "; ", "%s undefined (%s)", lab, r->note ? r->note : "no value");
            else
                err |= add_text(&unknown, ", ", "%s", lab);
        }
        for (int k = 0; k < 2; k++)
            if (!req[k])
                err |= add_text(&missing, "; ", "%s not computed (--metric)", required[k]);
        /* a defined coefficient below its threshold is enough to say no; yes needs TrC and InC */
        v->faithful = bad ? 0 : missing ? -1 : 1;
        if (bad)
            err |= add_text(&v->reason, "", "%s", bad);
        else if (missing) {
            err |= add_text(&v->reason, "", "cannot be assessed: %s", missing);
            if (good_thr)
                err |= add_text(&v->reason, "; ", "defined: %s", good_thr);
        } else
            err |= add_text(&v->reason, "", "all defined coefficients reach their thresholds: %s", good);
        if (bad && missing)
            err |= add_text(&v->reason, "; ", "%s", missing);
        if (unknown)
            err |= add_text(&v->reason, "; ", "not assessed: %s", unknown);
        err |= faith_acq_warning(t, inst, dim, &v->reason) < 0;   /* a warning: the verdict stays */
        free(bad);
        free(good);
        free(good_thr);
        free(unknown);
        free(missing);
        if (err) {
            faith_summary_free(s, *n);
            *out = NULL;
            return diag_error("out of memory");
        }
    }
    return 0;
}
