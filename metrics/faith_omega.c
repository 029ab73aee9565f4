/* metrics/faith_omega.c -- reliability beyond alpha for one block: Guttman's lambda 6
 * (lambda6), McDonald's omega_total from a one-factor minres model, and the corrected item-total
 * correlation of every item (r_drop), which flags an item whose answers run against its key
 * ("possibly keyed wrong or read the wrong way"), a failure found in published item banks.
 * The sample is InC's (faith_respondents: subjects, or runs with --units runs); stats.h:
 * stats_beyond_alpha. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/faith.h"
#include "metrics/stats.h"

struct beyond_ctx {
    const gsl_matrix *x;      /* n x K */
    gsl_matrix *tmp;          /* n x K scratch */
    int complete;             /* x has no NaN: replicates go through stats_itemcov_resample */
    const double *warm;       /* the sample's loadings (NULL: none), the replicates' first axis */
};

/* out: lambda6 (decides whether a replicate counts), omega, K r_drops. */
static int beyond_stat(const size_t *idx, size_t n, void *ctx, double *out)
{
    struct beyond_ctx *a = ctx;
    const size_t K = a->x->size2;
    struct stats_beyond b;
    int rc;
    if (a->complete)
        rc = stats_beyond_resample(a->x, idx, n, a->warm, &b, NULL);
    else {
        for (size_t i = 0; i < n; i++)     /* rows are contiguous: the resample is a row copy */
            memcpy(a->tmp->data + i * a->tmp->tda, a->x->data + idx[i] * a->x->tda, K * sizeof(double));
        rc = stats_beyond_alpha(a->tmp, &b, NULL);
    }
    if (rc == STATS_NOMEM)
        return rc;
    if (rc == STATS_OK) {
        out[0] = b.lambda6;
        out[1] = b.omega_total;
        memcpy(out + 2, b.r_drop, K * sizeof(double));
        stats_beyond_free(&b);
    }
    return STATS_OK;
}

/* shared: the run of alpha_family that computed these replicates too (off = index of lambda6 in
 * it), or NULL to run them here. */
int faith_beyond_alpha(struct faith_ctx *c, size_t b, const struct faith_boot *shared, size_t off)
{
    const struct faith_options *opt = c->opt;
    const struct score_block *blk = &c->set->blocks[b];
    const size_t K = blk->n_items;
    const char *name = c->set->instruments[blk->instrument].name, *dim = dimension_codes[blk->dimension];
    const int want_l6 = faith_wanted(opt, "lambda6"), want_omega = faith_wanted(opt, "omega_total"),
              want_drop = faith_wanted(opt, "r_drop");
    size_t *rows = NULL, n = 0;
    gsl_matrix *x = NULL, *tmp = NULL, *more_tmp[FAITH_BOOT_MAX_THREADS] = { NULL };
    size_t n_tmp = 0;
    struct stats_beyond be = { 0 };
    struct faith_boot boot = { 0 };
    struct faith_row *r;
    const char *why = NULL;
    int ret = -1, have = 0;
    if (!want_l6 && !want_omega && !want_drop)
        return 0;
    if (!(rows = malloc((c->set->n_subjects + 1) * sizeof *rows)))
        goto out;
    size_t n_subj = 0;
    for (size_t s = 0; s < c->set->n_subjects; s++)
        if (blk->answered[s])
            rows[n_subj++] = s;
    if (!(x = faith_respondents(c, blk, rows, n_subj, &n)) || !(tmp = gsl_matrix_alloc(n ? n : 1, K)))
        goto out;
    gsl_matrix_const_view xv = gsl_matrix_const_submatrix(x, 0, 0, n ? n : 1, K);
    if (n == 0)
        why = "no subject answered";
    else {
        int rc = stats_beyond_alpha(&xv.matrix, &be, &why);
        if (rc == STATS_NOMEM)
            goto out;
        have = rc == STATS_OK;
    }
    struct beyond_ctx wctx[FAITH_BOOT_MAX_THREADS];
    void *ctxs[FAITH_BOOT_MAX_THREADS];
    n_tmp = shared ? 0 : faith_boot_threads(opt);
    for (size_t w = 0; w < n_tmp; w++) {      /* a scratch matrix per bootstrap worker */
        wctx[w] = (struct beyond_ctx){ &xv.matrix, tmp, stats_no_nan(&xv.matrix),
                                       have && !isnan(be.omega_total) ? be.loading : NULL };
        if (w && !(wctx[w].tmp = more_tmp[w] = gsl_matrix_alloc(n ? n : 1, K)))
            goto out;
        ctxs[w] = &wctx[w];
    }
    if (!shared && faith_boot_run_par(&boot, n, 2 + K, beyond_stat, ctxs, n_tmp, opt) < 0)
        goto out;
    const struct faith_boot *bp = shared ? shared : &boot;
    if (!shared)
        off = 0;

    if (want_omega) {
        if (!(r = faith_add(c->t, "omega_total", name, NULL, dim, NULL)))
            goto out;
        r->n = (long)n;
        if (have && !isnan(be.omega_total)) {
            r->value = be.omega_total;
            if (faith_note(r, "one-factor minres (psych::fa), k = %zu", be.k) < 0)
                goto out;
        } else if (faith_note(r, "%s", have ? be.omega_why : why) < 0)
            goto out;
        if (faith_boot_ci(bp, off + 1, opt, r) < 0)
            goto out;
    }
    if (want_l6) {
        if (!(r = faith_add(c->t, "lambda6", name, NULL, dim, NULL)))
            goto out;
        r->n = (long)n;
        if (have && !isnan(be.lambda6)) {
            r->value = be.lambda6;
            if (faith_note(r, "Guttman lambda 6, psych G6(smc)") < 0)
                goto out;
        } else if (faith_note(r, "%s", have ? be.lambda6_why : why) < 0)
            goto out;
        if (faith_boot_ci(bp, off, opt, r) < 0)
            goto out;
    }
    for (size_t j = 0; want_drop && j < K; j++) {
        if (!(r = faith_add(c->t, "r_drop", name, NULL, dim, blk->item_codes[j])))
            goto out;
        r->n = (long)n;
        int fine = 0, dropped = 0;
        for (size_t i = 0; have && i < be.n_dropped; i++)
            dropped |= be.dropped[i] == j;
        if (!have)
            fine = faith_note(r, "%s", why);
        else if (dropped)
            fine = faith_note(r, "item dropped: zero variance");
        else if (isnan(be.r_drop[j]))
            fine = faith_note(r, "the other items have no total variance");
        else {
            r->value = be.r_drop[j];
            if (r->value < 0)
                fine = faith_note(r, "negative against the item's key: possibly keyed wrong or read the wrong way");
        }
        if (fine < 0 || faith_boot_ci(bp, off + 2 + j, opt, r) < 0)
            goto out;
    }
    ret = 0;
out:
    if (ret < 0)
        diag_error("out of memory");
    stats_beyond_free(&be);
    faith_boot_free(&boot);
    gsl_matrix_free(x);
    gsl_matrix_free(tmp);
    for (size_t w = 1; w < n_tmp; w++)
        gsl_matrix_free(more_tmp[w]);
    free(rows);
    return ret;
}
