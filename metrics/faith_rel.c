/* metrics/faith_rel.c -- reliability: TrC (Eq. 2), the alpha family (InC, std_alpha,
 * alpha_if_deleted, split-half) and the test-retest ICCs, for one block */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/faith.h"
#include "metrics/stats.h"

#define NAME(c, b) ((c)->set->instruments[(c)->set->blocks[b].instrument].name)
#define DIM(c, b) (dimension_codes[(c)->set->blocks[b].dimension])

/* Rows s of the block with at least one voted answer: the sample of InC. */
static size_t answered_rows(const struct faith_ctx *c, const struct score_block *blk, size_t *rows)
{
    size_t n = 0;
    for (size_t s = 0; s < c->set->n_subjects; s++)
        if (blk->answered[s])
            rows[n++] = s;
    return n;
}

/* The respondents x items matrix of InC and the rest of the alpha family (--units): a row per
 * subject of rows[0..n_subj) (its majority-voted answers), or with --units runs a row per
 * repetition of each of those subjects (its own keyed answers).  *n gets the row count (the matrix
 * has at least one row); NULL when out of memory. */
gsl_matrix *faith_respondents(const struct faith_ctx *c, const struct score_block *blk, const size_t *rows,
                              size_t n_subj, size_t *n)
{
    const size_t K = blk->n_items;
    gsl_matrix *x;
    *n = n_subj;
    if (c->opt->units_runs) {
        *n = 0;
        for (size_t i = 0; i < n_subj; i++)
            *n += (size_t)blk->reps_seen[rows[i]];
    }
    if (!(x = gsl_matrix_alloc(*n ? *n : 1, K)))
        return NULL;
    if (c->opt->units_runs) {
        size_t at = 0;
        for (size_t i = 0; i < n_subj; i++) {
            size_t T;
            const double *reps = score_reps(blk, rows[i], &T);
            for (size_t u = 0; u < T; u++, at++)
                for (size_t j = 0; j < K; j++)
                    gsl_matrix_set(x, at, j, reps[u * K + j]);
        }
    } else
        for (size_t i = 0; i < *n; i++)
            for (size_t j = 0; j < K; j++)
                gsl_matrix_set(x, i, j, gsl_matrix_get(blk->voted, rows[i], j));
    return x;
}

/* ---- TrC -------------------------------------------------------------------------------- */

/* Repetitions of subject s with any answer in the block. */
static size_t reps_taken(const struct score_block *blk, size_t s)
{
    return (size_t)blk->reps_seen[s];
}

/* Subject s's T x items matrix of those repetitions; NULL when out of memory. */
static gsl_matrix *subject_reps(const struct score_block *blk, size_t s, size_t T)
{
    size_t got;
    const double *rows = score_reps(blk, s, &got);
    gsl_matrix *m = gsl_matrix_alloc(T, blk->n_items);
    if (!m)
        return NULL;
    for (size_t u = 0; u < T; u++)
        for (size_t j = 0; j < blk->n_items; j++)
            gsl_matrix_set(m, u, j, u < got ? rows[u * blk->n_items + j] : NAN);
    return m;
}

static int mean_stat(const size_t *idx, size_t n, void *ctx, double *out)
{
    const double *v = ctx;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += v[idx[i]];
    out[0] = sum / (double)n;
    return STATS_OK;
}

/* Eq. 2 per subject with stats_trc() on that subject alone, then the mean over subjects: the same
 * sum as stats_trc() over all subjects, and the per-subject values are what the bootstrap resamples. */
static int trc(struct faith_ctx *c, size_t b)
{
    const struct score_block *blk = &c->set->blocks[b];
    const size_t ns = c->set->n_subjects;
    double *per = malloc((ns ? ns : 1) * sizeof *per), sum = 0.0;
    size_t with_reps = 0, nper = 0, single = 0, pairs = 0, skipped = 0;
    struct faith_boot boot = { 0 };
    int ret = -1;
    struct faith_row *row = faith_add(c->t, "TrC", NAME(c, b), NULL, DIM(c, b), NULL);
    if (!per || !row)
        goto oom;
    for (size_t s = 0; s < ns; s++) {
        if (!blk->answered[s])
            continue;
        size_t T = reps_taken(blk, s);
        if (T < 2) {
            single++;
            continue;
        }
        gsl_matrix *m = subject_reps(blk, s, T);
        if (!m)
            goto oom;
        const gsl_matrix *one[1] = { m };
        struct stats_trc ts;
        int rc = stats_trc(one, 1, c->opt->trc_literal, &ts, NULL);
        gsl_matrix_free(m);
        if (rc == STATS_NOMEM)
            goto oom;
        with_reps++;
        if (rc == STATS_OK) {
            per[nper++] = ts.trc;
            sum += ts.trc;
            pairs += ts.n_pairs + ts.n_skipped;
            skipped += ts.n_skipped;
        } else {                /* no pair of this subject has a correlation */
            pairs += T * (T - 1) / 2;
            skipped += T * (T - 1) / 2;
        }
    }
    if (faith_note(row, c->opt->trc_literal ? "Eq. 2 as printed: ordered pairs incl. u = v (r = 1) over N_T^2; a skipped pair adds 0"
                                            : "mean r over repetition pairs u < v, then over subjects") < 0)
        goto oom;
    if (!with_reps)
        ret = faith_note(row, "no subject with 2 or more repetitions");
    else if (!nper)
        ret = faith_note(row, "no repetition pair with a defined correlation (%zu pairs skipped)", skipped);
    else {
        row->value = sum / (double)nper;
        row->n = (long)nper;
        ret = faith_note(row, "%zu pairs, %zu skipped (constant vector or < 2 shared items)", pairs, skipped);
    }
    if (ret < 0)
        goto oom;
    if (single && faith_note(row, "%zu subject%s with one repetition left out", single, single == 1 ? "" : "s") < 0)
        goto oom;
    if (faith_judge(row, c->opt->reliability) < 0)
        goto oom;
    if (faith_boot_run(&boot, nper, 1, mean_stat, per, c->opt) < 0 || faith_boot_ci(&boot, 0, c->opt, row) < 0)
        goto oom;
    ret = 0;
    goto done;
oom:
    ret = diag_error("out of memory");
done:
    faith_boot_free(&boot);
    free(per);
    return ret;
}

/* ---- the alpha family ----------------------------------------------------------------- */

#define N_SPLIT 4   /* sb, mean, max, min */

/* Split-half in a bootstrap only where it is cheap: stats_split_half enumerates every split up
 * to STATS_SPLIT_MAX_K items (10^3..10^5 splits per replicate for 15..20 items), and above that
 * its second pairwise covariance matrix per replicate doubles the cost of the alpha bootstrap
 * (--bootstrap 1000 on 1M responses went from 25 to 34 s). */
#define SPLIT_BOOT_MAX_K 14
static int split_in_bootstrap(size_t k)
{
    return k <= SPLIT_BOOT_MAX_K;
}

struct alpha_ctx {
    const gsl_matrix *x;      /* n x K */
    gsl_matrix *tmp;          /* n x K scratch */
    int with_split;
    int check_keys;           /* --check-keys: psych::splitHalf's default key check */
    int complete;             /* x has no NaN: replicates go through stats_itemcov_resample */
    int with_beyond;          /* complete only: lambda6, omega, K r_drops after the split-half values */
    const double *warm;       /* the sample's loadings (NULL: none), faith_omega.c's warm start */
};

/* out: raw, std, K drops, then sb, mean, max, min, and with_beyond faith_omega.c's beyond_stat
 * values (lambda6, omega, K r_drops).  A complete x: one stats_itemcov_resample serves them all
 * (no Feldt bounds: the replicates use the values). */
static int alpha_stat(const size_t *idx, size_t n, void *ctx, double *out)
{
    struct alpha_ctx *a = ctx;
    const size_t K = a->x->size2;
    struct stats_alpha al;
    struct stats_split sp;
    struct stats_beyond be;
    int rc, rc_split = STATS_UNDEFINED, rc_beyond = STATS_UNDEFINED;
    if (a->complete)
        rc = stats_alpha_resample(a->x, idx, n, &al, a->with_split, a->check_keys, &sp, &rc_split, a->warm, &be,
                                  a->with_beyond ? &rc_beyond : NULL);
    else {
        for (size_t i = 0; i < n; i++)     /* rows are contiguous: the resample is a row copy */
            memcpy(a->tmp->data + i * a->tmp->tda, a->x->data + idx[i] * a->x->tda, K * sizeof(double));
        rc = stats_alpha(a->tmp, &al, NULL);
        if (rc != STATS_NOMEM && a->with_split)
            rc_split = stats_split_half(a->tmp, a->check_keys, &sp, NULL);
    }
    if (rc == STATS_NOMEM || rc_split == STATS_NOMEM) {
        if (rc == STATS_OK)
            stats_alpha_free(&al);
        return STATS_NOMEM;
    }
    if (rc == STATS_OK) {
        out[0] = al.raw_alpha;
        out[1] = al.std_alpha;
        for (size_t j = 0; j < K; j++)
            out[2 + j] = al.alpha_drop[j];
        stats_alpha_free(&al);
    }
    if (rc_split == STATS_OK) {
        out[2 + K] = sp.odd_even_sb;
        out[3 + K] = sp.mean_rb;
        out[4 + K] = sp.max_rb;
        out[5 + K] = sp.min_rb;
    }
    if (rc_beyond == STATS_NOMEM)
        return STATS_NOMEM;
    if (rc_beyond == STATS_OK) {
        double *o = out + 2 + K + N_SPLIT;
        o[0] = be.lambda6;
        o[1] = be.omega_total;
        memcpy(o + 2, be.r_drop, K * sizeof(double));
        stats_beyond_free(&be);
    }
    return STATS_OK;
}

/* With *shared not NULL and a bootstrap of a complete block, omega's replicates (faith_omega.c)
 * join alpha's run: *shared gets the run (the caller frees it) and *off the index of its first
 * beyond value; otherwise shared->vals stays NULL. */
static int alpha_family(struct faith_ctx *c, size_t b, struct faith_boot *shared, size_t *off)
{
    const struct score_block *blk = &c->set->blocks[b];
    const struct faith_options *opt = c->opt;
    const size_t K = blk->n_items;
    size_t *rows = malloc((c->set->n_subjects + 1) * sizeof *rows);
    gsl_matrix *x = NULL, *tmp = NULL, *more_tmp[FAITH_BOOT_MAX_THREADS] = { NULL };
    size_t n_tmp = 0;
    struct stats_alpha a = { 0 };
    struct stats_split sp = { 0 };
    struct stats_beyond sample_be = { 0 };
    struct faith_boot boot = { 0 };
    int merged = 0;
    const char *why = NULL, *split_why = NULL;
    struct faith_row *r;
    int ret = -1, have_alpha = 0, have_split = 0;
    const char *name = NAME(c, b), *dim = DIM(c, b);
    int want_alpha = faith_wanted(opt, "InC") || faith_wanted(opt, "std_alpha") || faith_wanted(opt, "alpha_if_deleted");
    int want_split = faith_wanted(opt, "split_half_sb") || faith_wanted(opt, "split_half_mean") ||
                     faith_wanted(opt, "split_half_max") || faith_wanted(opt, "split_half_min");
    if (!want_alpha && !want_split) {
        free(rows);
        return 0;
    }
    if (!rows)
        goto oom;
    size_t n_subj = answered_rows(c, blk, rows), n;
    if (!(x = faith_respondents(c, blk, rows, n_subj, &n)) || !(tmp = gsl_matrix_alloc(n ? n : 1, K)))
        goto oom;
    gsl_matrix_const_view xv = gsl_matrix_const_submatrix(x, 0, 0, n ? n : 1, K);
    /* one subject answering many times: alpha over subjects cannot exist, alpha over its runs can */
    char hint[160] = "";
    if (!opt->units_runs && n_subj == 1 && blk->reps_seen[rows[0]] >= 2)
        snprintf(hint, sizeof hint, "one subject with %d runs: --units runs treats each run as a respondent",
                 blk->reps_seen[rows[0]]);
    char units[120] = "";
    if (opt->units_runs)
        snprintf(units, sizeof units, "over %zu run%s of %zu subject%s (--units runs)", n, n == 1 ? "" : "s",
                 n_subj, n_subj == 1 ? "" : "s");
    if (n == 0)
        why = split_why = "no subject answered";
    else {
        int rc = stats_alpha(&xv.matrix, &a, &why);
        if (rc == STATS_NOMEM)
            goto oom;
        have_alpha = rc == STATS_OK;
        if (want_split) {
            rc = stats_split_half(&xv.matrix, opt->check_keys, &sp, &split_why);
            if (rc == STATS_NOMEM)
                goto oom;
            have_split = rc == STATS_OK;
        }
    }
    struct alpha_ctx actx = { &xv.matrix, tmp, want_split && split_in_bootstrap(K), opt->check_keys,
                             stats_no_nan(&xv.matrix), 0, NULL };
    const int want_beyond = faith_wanted(opt, "lambda6") || faith_wanted(opt, "omega_total") ||
                            faith_wanted(opt, "r_drop");
    if (shared && opt->bootstrap && want_beyond && actx.complete && n >= 2) {
        /* the sample's loadings start each replicate's fit, as faith_beyond_alpha's own run does */
        int rc = stats_beyond_alpha(&xv.matrix, &sample_be, NULL);
        if (rc == STATS_NOMEM)
            goto oom;
        actx.with_beyond = merged = 1;
        actx.warm = rc == STATS_OK && !isnan(sample_be.omega_total) ? sample_be.loading : NULL;
        boot.lead2 = 2 + K + N_SPLIT;
    }
    struct alpha_ctx wctx[FAITH_BOOT_MAX_THREADS];
    void *ctxs[FAITH_BOOT_MAX_THREADS];
    n_tmp = faith_boot_threads(opt);
    for (size_t w = 0; w < n_tmp; w++) {      /* a scratch matrix per bootstrap worker */
        wctx[w] = actx;
        if (w && !(wctx[w].tmp = more_tmp[w] = gsl_matrix_alloc(n ? n : 1, K)))
            goto oom;
        ctxs[w] = &wctx[w];
    }
    if (faith_boot_run_par(&boot, n, 2 + K + N_SPLIT + (actx.with_beyond ? 2 + K : 0), alpha_stat, ctxs, n_tmp,
                           opt) < 0)
        goto oom;

    if (faith_wanted(opt, "InC")) {
        if (!(r = faith_add(c->t, "InC", name, NULL, dim, NULL)))
            goto oom;
        r->n = (long)n;
        if (have_alpha) {
            r->value = a.raw_alpha;
            r->ci_low = a.feldt_lo;
            r->ci_high = a.feldt_hi;
            if (opt->level != 0.95 &&
                stats_feldt_ci(a.raw_alpha, a.n, a.k, opt->level, &r->ci_low, &r->ci_high, NULL) != STATS_OK)
                r->ci_low = r->ci_high = NAN;
            if (opt->bootstrap)
                r->ci_low = r->ci_high = NAN;
            if (faith_note(r, "psych raw_alpha, k = %zu", a.k) < 0 || (*units && faith_note(r, "%s", units) < 0))
                goto oom;
            if (a.n_dropped) {
                char list[400] = "";
                for (size_t i = 0; i < a.n_dropped; i++) {
                    size_t len = strlen(list);
                    snprintf(list + len, sizeof list - len, "%s%s", i ? " " : "", blk->item_codes[a.dropped[i]]);
                }
                if (faith_note(r, "dropped zero-variance item%s: %s", a.n_dropped == 1 ? "" : "s", list) < 0)
                    goto oom;
            }
            if (a.raw_alpha < 0 &&
                faith_note(r, "negative alpha: items disagree (mis-keyed or careless answering)") < 0)
                goto oom;
        } else if (faith_note(r, "%s", why) < 0 || (*units && faith_note(r, "%s", units) < 0))
            goto oom;
        if (*hint && faith_note(r, "%s", hint) < 0)
            goto oom;
        if (faith_judge(r, opt->reliability) < 0 || faith_boot_ci(&boot, 0, opt, r) < 0)
            goto oom;
    }
    if (faith_wanted(opt, "std_alpha")) {
        if (!(r = faith_add(c->t, "std_alpha", name, NULL, dim, NULL)))
            goto oom;
        r->n = (long)n;
        if (have_alpha && !isnan(a.std_alpha))
            r->value = a.std_alpha;
        else if (faith_note(r, "%s", have_alpha ? "item correlations sum to <= 0" : why) < 0)
            goto oom;
        if ((*units && faith_note(r, "%s", units) < 0) || faith_boot_ci(&boot, 1, opt, r) < 0)
            goto oom;
    }
    if (faith_wanted(opt, "alpha_if_deleted"))
        for (size_t j = 0; j < K; j++) {
            if (!(r = faith_add(c->t, "alpha_if_deleted", name, NULL, dim, blk->item_codes[j])))
                goto oom;
            r->n = (long)n;
            int dropped = 0;
            for (size_t i = 0; have_alpha && i < a.n_dropped; i++)
                dropped |= a.dropped[i] == j;
            if (!have_alpha)
                ret = faith_note(r, "%s", why);
            else if (dropped)
                ret = faith_note(r, "item dropped: zero variance");
            else if (a.k < 3)
                ret = faith_note(r, "one item would remain");
            else if (isnan(a.alpha_drop[j]))
                ret = faith_note(r, "zero total variance without this item");
            else {
                r->value = a.alpha_drop[j];
                ret = r->value > a.raw_alpha ? faith_note(r, "alpha rises without this item") : 0;
            }
            if (ret < 0 || faith_boot_ci(&boot, 2 + j, opt, r) < 0)
                goto oom;
        }
    static const char *const split_names[N_SPLIT] = { "split_half_sb", "split_half_mean", "split_half_max",
                                                      "split_half_min" };
    for (size_t i = 0; i < N_SPLIT; i++) {
        if (!faith_wanted(opt, split_names[i]))
            continue;
        if (!(r = faith_add(c->t, split_names[i], name, NULL, dim, NULL)))
            goto oom;
        r->n = (long)n;
        ret = 0;
        if (!have_split)
            ret = faith_note(r, "%s", split_why);
        else if (i == 0 && isnan(sp.odd_even_sb))
            ret = faith_note(r, "%s", sp.odd_even_why);
        else if (i == 0) {
            r->value = sp.odd_even_sb;
            ret = faith_note(r, "odd/even items, r = %.4g, Spearman-Brown 2r/(1+r)", sp.odd_even_r);
        } else if (sp.splits_why)
            ret = faith_note(r, "%s", sp.splits_why);
        else if (sp.n_splits == 0)
            ret = faith_note(r, "more than %d items: splits not enumerated", STATS_SPLIT_MAX_K);
        else {
            static const char *const what[N_SPLIT] = { "", "psych splitHalf meanr", "Guttman lambda 4 (psych maxrb)",
                                                       "beta (psych minrb)" };
            r->value = i == 1 ? sp.mean_rb : i == 2 ? sp.max_rb : sp.min_rb;
            ret = faith_note(r, "%s over all %zu splits%s", what[i], sp.n_splits,
                             sp.k % 2 ? " (odd k: psych uses a subset)" : "");
        }
        if (ret < 0 || (*units && faith_note(r, "%s", units) < 0))
            goto oom;
        if (opt->bootstrap && !actx.with_split && !isnan(r->value)) {
            if (faith_note(r, "no bootstrap CI: split-half is resampled for up to %d items only", SPLIT_BOOT_MAX_K) < 0)
                goto oom;
        } else if (faith_boot_ci(&boot, 2 + K + i, opt, r) < 0)
            goto oom;
        if (sp.n_dropped && have_split && faith_note(r, "%zu zero-variance item%s left out", sp.n_dropped,
                                                    sp.n_dropped == 1 ? "" : "s") < 0)
            goto oom;
        if (opt->check_keys && have_split &&
            faith_note(r, "--check-keys: %zu item%s reversed (negative loading on the first principal component)",
                       sp.n_reversed, sp.n_reversed == 1 ? "" : "s") < 0)
            goto oom;
    }
    ret = 0;
    goto done;
oom:
    ret = diag_error("out of memory");
done:
    stats_alpha_free(&a);
    stats_beyond_free(&sample_be);
    if (ret == 0 && merged) {
        *shared = boot;             /* faith_reliability hands it to faith_beyond_alpha, then frees it */
        *off = 2 + K + N_SPLIT;
    } else
        faith_boot_free(&boot);
    gsl_matrix_free(x);
    gsl_matrix_free(tmp);
    for (size_t w = 1; w < n_tmp; w++)
        gsl_matrix_free(more_tmp[w]);
    free(rows);
    return ret;
}

/* ---- ICC over repetitions -------------------------------------------------------------- */

struct icc_ctx {
    const gsl_matrix *x;      /* complete subjects x repetitions */
    gsl_matrix *tmp;
    double level;
};

static int icc_stat(const size_t *idx, size_t n, void *ctx, double *out)
{
    struct icc_ctx *ic = ctx;
    struct stats_icc o;
    for (size_t i = 0; i < n; i++)
        memcpy(ic->tmp->data + i * ic->tmp->tda, ic->x->data + idx[i] * ic->x->tda, ic->x->size2 * sizeof(double));
    gsl_matrix_view v = gsl_matrix_submatrix(ic->tmp, 0, 0, n, ic->x->size2);   /* tmp has a row per subject */
    int rc = stats_icc_point(&v.matrix, &o, NULL);
    if (rc == STATS_OK) {
        out[0] = o.icc1.icc;
        out[1] = o.icc2.icc;
        out[2] = o.icc3.icc;
    }
    return rc == STATS_NOMEM ? rc : STATS_OK;
}

/* Per-item mean of subject s in repetition r alone, with the proration rule of score_of(). */
static double rep_score(const struct score_block *blk, size_t r, size_t s, double min_share)
{
    double total = 0.0;
    size_t answered = 0;
    const double *row = score_rep_row(blk, s, r);
    for (size_t j = 0; row && j < blk->n_items; j++) {
        double v = row[j];
        if (!isnan(v)) {
            total += v;
            answered++;
        }
    }
    if (!answered || (double)answered < min_share * (double)blk->n_items - 1e-9)
        return NAN;
    return total / (double)answered;
}

static int icc(struct faith_ctx *c, size_t b)
{
    static const char *const names[3] = { "ICC(1,1)", "ICC(A,1)", "ICC(C,1)" };
    static const char *const what[3] = { "one-way random (psych ICC1)", "absolute agreement (psych ICC2)",
                                         "consistency (psych ICC3)" };
    const struct score_block *blk = &c->set->blocks[b];
    const struct faith_options *opt = c->opt;
    const size_t ns = c->set->n_subjects, R = blk->n_reps;
    gsl_matrix *x = NULL, *tmp = NULL, *more_tmp[FAITH_BOOT_MAX_THREADS] = { NULL };
    size_t n_tmp = 0;
    struct stats_icc o;
    struct faith_boot boot = { 0 };
    const char *why = NULL;
    size_t n = 0, partial = 0;
    int ret = -1, have = 0;
    if (!faith_wanted(opt, "ICC(1,1)") && !faith_wanted(opt, "ICC(A,1)") && !faith_wanted(opt, "ICC(C,1)"))
        return 0;
    if (R < 2)
        why = "fewer than 2 repetitions";
    else {
        /* rows only for the subjects that took every repetition: subjects x repetitions would be
         * gigabytes when each subject has repetitions of its own (issue 11 item 10) */
        size_t complete = 0;
        for (size_t s = 0; s < ns; s++)
            complete += blk->answered[s] && (size_t)blk->reps_seen[s] == R;
        if (!(x = gsl_matrix_alloc(complete ? complete : 1, R)) || !(tmp = gsl_matrix_alloc(complete ? complete : 1, R)))
            goto oom;
        for (size_t s = 0; s < ns; s++) {
            if (!blk->answered[s])
                continue;
            if ((size_t)blk->reps_seen[s] != R) {
                partial++;      /* a repetition without any answer: rep_score() would be NAN */
                continue;
            }
            size_t got = 0;
            for (size_t r = 0; r < R; r++) {
                double v = rep_score(blk, r, s, opt->min_share);
                gsl_matrix_set(x, n, r, v);
                got += !isnan(v);
            }
            if (got == R)
                n++;        /* a complete subject: keep the row */
            else
                partial++;
        }
        if (n < 2)
            why = "fewer than 2 subjects with every repetition";
        else {
            gsl_matrix_const_view xv = gsl_matrix_const_submatrix(x, 0, 0, n, R);
            int rc = stats_icc(&xv.matrix, opt->level, &o, &why);
            if (rc == STATS_NOMEM)
                goto oom;
            have = rc == STATS_OK;
            struct icc_ctx wctx[FAITH_BOOT_MAX_THREADS];
            void *ctxs[FAITH_BOOT_MAX_THREADS];
            n_tmp = faith_boot_threads(opt);
            for (size_t w = 0; w < n_tmp; w++) {      /* a scratch matrix per bootstrap worker */
                wctx[w] = (struct icc_ctx){ &xv.matrix, tmp, opt->level };
                if (w && !(wctx[w].tmp = more_tmp[w] = gsl_matrix_alloc(x->size1, R)))
                    goto oom;
                ctxs[w] = &wctx[w];
            }
            if (faith_boot_run_par(&boot, n, 3, icc_stat, ctxs, n_tmp, opt) < 0)
                goto oom;
        }
    }
    /* Each row is added when it is filled: faith_add may move the table, so no row pointer is kept
     * across another faith_add (three pointers taken up front dangled when the table grew). */
    for (int i = 0; i < 3; i++) {
        if (!faith_wanted(opt, names[i]))
            continue;
        struct faith_row *r = faith_add(c->t, names[i], NAME(c, b), NULL, DIM(c, b), NULL);
        if (!r)
            goto oom;
        r->n = R < 2 ? -1 : (long)n;
        if (have) {
            const struct stats_icc_est *e = i == 0 ? &o.icc1 : i == 1 ? &o.icc2 : &o.icc3;
            r->value = e->icc;     /* NAN (0/0) with e->why; a missing bound alone is NAN too */
            if (!opt->bootstrap) {
                r->ci_low = e->lo;
                r->ci_high = e->hi;
            }
            ret = faith_note(r, "%s, %zu repetitions", what[i], R);
            if (ret == 0 && e->why && (isnan(e->icc) || !opt->bootstrap))
                ret = faith_note(r, "%s", e->why);
        } else
            ret = faith_note(r, "%s", why);
        if (ret < 0)
            goto oom;
        if (partial && faith_note(r, "%zu subject%s without every repetition left out", partial,
                                  partial == 1 ? "" : "s") < 0)
            goto oom;
        if (faith_judge(r, opt->reliability) < 0 || faith_boot_ci(&boot, (size_t)i, opt, r) < 0)
            goto oom;
    }
    ret = 0;
    goto done;
oom:
    ret = diag_error("out of memory");
done:
    faith_boot_free(&boot);
    gsl_matrix_free(x);
    gsl_matrix_free(tmp);
    for (size_t w = 1; w < n_tmp; w++)
        gsl_matrix_free(more_tmp[w]);
    return ret;
}

int faith_reliability(struct faith_ctx *c, size_t b)
{
    if (faith_wanted(c->opt, "TrC") && trc(c, b) < 0)
        return -1;
    struct faith_boot shared = { 0 };
    size_t off = 0;
    int ret = alpha_family(c, b, &shared, &off) < 0 ||
              faith_beyond_alpha(c, b, shared.vals ? &shared : NULL, off) < 0 ? -1 : 0;
    faith_boot_free(&shared);
    return ret < 0 ? -1 : icc(c, b);
}
