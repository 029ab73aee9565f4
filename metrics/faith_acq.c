/* metrics/faith_acq.c -- acquiescence and reverse-keyed contradiction (issue 14 part 2): per subject
 * the raw-scale means of its + and - keyed answers split into a trait and an acquiescence component,
 * and per block how much of the between-subject variance of the keyed score each one explains.
 *
 * Why it matters: with P = mean raw option on + items and N = on - items, the keyed per-item score
 * is about w+ P + w- (K + 1 - N) (w = the keys' shares of the answers), so score - midpoint =
 * T + (w+ - w-) A.  A balanced key cancels acquiescence; an unbalanced one lets an agree-with-all
 * style pass for a trait.  acq_share > trait_share says the differences between subjects are more
 * style than trait.  The older `acquiescence` rate (faith_style.c) is a share of agreeing answers;
 * these are different statistics with their own names. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/faith.h"
#include "metrics/stats.h"

void faith_acq_subject(const struct score_set *set, size_t b, size_t s, struct faith_acq_subject *out)
{
    const struct score_block *blk = &set->blocks[b];
    const int K = set->instruments[blk->instrument].n_options;
    const double mid = (K + 1) / 2.0;
    size_t T;
    const double *rows = score_reps(blk, s, &T);
    memset(out, 0, sizeof *out);
    out->n_pos = blk->n_pos[s];
    out->n_neg = blk->n_neg[s];
    out->P = out->n_pos ? (double)blk->sum_pos[s] / (double)out->n_pos : NAN;
    out->N = out->n_neg ? (double)blk->sum_neg[s] / (double)out->n_neg : NAN;
    out->T = (out->P - out->N) / 2.0;            /* NAN unless both exist */
    out->A = (out->P + out->N) / 2.0 - mid;
    /* contradiction: within one repetition, every (+ item, - item) pair both answered; the repetition
     * row holds the first ok answer of each item (the one TrC reads), keyed, so it is unkeyed here */
    for (size_t u = 0; u < T; u++) {
        long a_pos = 0, a_neg = 0, g_pos = 0, g_neg = 0;
        for (size_t j = 0; j < blk->n_items; j++) {
            double v = rows[u * blk->n_items + j];
            if (isnan(v))
                continue;
            double raw = blk->keys[j] > 0 ? v : K + 1 - v;
            if (blk->keys[j] > 0) {
                a_pos++;
                g_pos += raw > mid;
            } else {
                a_neg++;
                g_neg += raw > mid;
            }
        }
        out->pairs += a_pos * a_neg;
        out->both_agree += g_pos * g_neg;
    }
    out->contradiction = out->pairs ? (double)out->both_agree / (double)out->pairs : NAN;
}

/* ---- block metrics ------------------------------------------------------------------------ */

enum { ACQ_SHARE, TRAIT_SHARE, ACQ_MEAN, CONTRADICTION, N_ACQ };
static const char *const acq_names[N_ACQ] = { "acq_share", "trait_share", "acq_mean", "contradiction_rate" };

/* The subjects with a score and both + and - keyed answers: score, A and T side by side. */
struct share_sample {
    const double *y, *a, *t;
    double *gy, *gx;          /* scratch, n each */
};

static int constant(const double *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[0])
            return 0;
    return 1;
}

/* R^2 of the least-squares line of y on x: r^2; 0 when x is constant (it explains nothing) and y
 * varies; NAN (why set) when y is constant or n < 3 (any two points lie on a line). */
static double share(const double *x, const double *y, size_t n, const char **why)
{
    double r;
    *why = NULL;
    if (n < 3) {
        *why = "fewer than 3 subjects with a score and both + and - keyed answers";
        return NAN;
    }
    if (constant(y, n)) {
        *why = "the score is the same for every subject: no variance to explain";
        return NAN;
    }
    if (constant(x, n))
        return 0.0;
    if (stats_pearson(x, y, n, &r, why) != STATS_OK)
        return NAN;
    return r * r;
}

static int shares_stat(const size_t *idx, size_t n, void *ctx, double *out)
{
    struct share_sample *p = ctx;
    const char *why;
    double *gx = p->gx, *gy = p->gy;
    for (size_t i = 0; i < n; i++) {
        gy[i] = p->y[idx[i]];
        gx[i] = p->a[idx[i]];
    }
    out[0] = share(gx, gy, n, &why);
    for (size_t i = 0; i < n; i++)
        gx[i] = p->t[idx[i]];
    out[1] = share(gx, gy, n, &why);
    return STATS_OK;
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

/* The notes of a share row. */
static int share_note(struct faith_row *r, const char *what, const double *x, const double *y, size_t n,
                      int k_pos, int k_neg)
{
    const char *why;
    (void)share(x, y, n, &why);
    if (why)
        return faith_note(r, "%s", why);
    if (constant(x, n) && faith_note(r, "%s is the same for every subject: it explains none of the variance",
                                              what) < 0)
        return -1;
    return faith_note(r, "r^2 across subjects of the keyed per-item score with %s; %d + and %d - keyed items", what,
                      k_pos, k_neg);
}

int faith_acq(struct faith_ctx *c, size_t b)
{
    const struct score_set *set = c->set;
    const struct score_block *blk = &set->blocks[b];
    const size_t ns = set->n_subjects;
    const char *name = set->instruments[blk->instrument].name, *dim = dimension_codes[blk->dimension];
    int want[N_ACQ], any = 0, k_pos = 0, k_neg = 0, ret = -1;
    for (int w = 0; w < N_ACQ; w++)
        any |= want[w] = faith_wanted(c->opt, acq_names[w]);
    if (!any)
        return 0;
    for (size_t j = 0; j < blk->n_items; j++)
        blk->keys[j] > 0 ? k_pos++ : k_neg++;
    double *y = malloc((ns + 1) * sizeof *y), *a = malloc((ns + 1) * sizeof *a), *t = malloc((ns + 1) * sizeof *t);
    double *am = malloc((ns + 1) * sizeof *am), *cr = malloc((ns + 1) * sizeof *cr);
    double *gx = malloc((ns + 1) * sizeof *gx), *gy = malloc((ns + 1) * sizeof *gy);
    struct faith_boot boot = { 0 };
    size_t n = 0, n_am = 0, n_cr = 0;
    long pairs = 0, both = 0;
    if (!y || !a || !t || !am || !cr || !gx || !gy)
        goto oom;
    for (size_t s = 0; s < ns; s++) {
        struct faith_acq_subject v;
        if (!c->took[b * ns + s])
            continue;
        faith_acq_subject(set, b, s, &v);
        if (!isnan(v.A))
            am[n_am++] = v.A;
        if (!isnan(v.contradiction))
            cr[n_cr++] = v.contradiction;
        pairs += v.pairs;
        both += v.both_agree;
        if (!isnan(v.A) && !isnan(c->score[b * ns + s])) {
            y[n] = c->score[b * ns + s];
            a[n] = v.A;
            t[n] = v.T;
            n++;
        }
    }
    /* the two shares: one sample, one bootstrap */
    if (want[ACQ_SHARE] || want[TRAIT_SHARE]) {
        struct share_sample smp = { y, a, t, gy, gx };
        double val[2];
        size_t *idx = malloc((n + 1) * sizeof *idx);
        if (!idx)
            goto oom;
        for (size_t i = 0; i < n; i++)
            idx[i] = i;
        shares_stat(idx, n, &smp, val);      /* the sample itself, as bootstrap call 0 sees it */
        free(idx);
        if (faith_boot_run(&boot, n, 2, shares_stat, &smp, c->opt) < 0)
            goto out;
        for (int w = ACQ_SHARE; w <= TRAIT_SHARE; w++) {
            if (!want[w])
                continue;
            struct faith_row *r = faith_add(c->t, acq_names[w], name, NULL, dim, NULL);
            if (!r)
                goto oom;
            r->n = (long)n;
            r->value = val[w];
            const double *x = w == ACQ_SHARE ? a : t;
            int rc = n ? share_note(r, w == ACQ_SHARE ? "A = (P + N)/2 - midpoint" : "T = (P - N)/2", x, y, n, k_pos,
                                    k_neg)
                       : faith_note(r, "%s", !k_pos || !k_neg ? "the dimension needs both + and - keyed items"
                                                               : "no subject with a score answered both + and - keyed items");
            if (rc < 0)
                goto oom;
            if (!isnan(val[0]) && !isnan(val[1]) && val[0] > val[1] &&
                faith_note(r, "acquiescence explains more of the score than the trait") < 0)
                goto oom;
            if (faith_boot_ci(&boot, (size_t)(w - ACQ_SHARE), c->opt, r) < 0)
                goto oom;
        }
        faith_boot_free(&boot);
    }
    for (int w = ACQ_MEAN; w <= CONTRADICTION; w++) {
        if (!want[w])
            continue;
        double *v = w == ACQ_MEAN ? am : cr, sum = 0.0;
        size_t m = w == ACQ_MEAN ? n_am : n_cr;
        struct faith_row *r = faith_add(c->t, acq_names[w], name, NULL, dim, NULL);
        int rc;
        if (!r)
            goto oom;
        for (size_t i = 0; i < m; i++)
            sum += v[i];
        r->n = (long)m;
        if (m)
            r->value = sum / (double)m;
        if (!m)
            rc = faith_note(r, "%s", !k_pos || !k_neg ? "the dimension needs both + and - keyed items"
                            : w == ACQ_MEAN ? "no subject answered both + and - keyed items"
                                            : "no repetition with both a + and a - keyed item answered");
        else if (w == ACQ_MEAN)
            rc = faith_note(r, "mean over subjects of A = (P + N)/2 - %g, P and N the mean raw options on + and - "
                            "keyed items: 0 balanced, > 0 agreeing", (set->instruments[blk->instrument].n_options + 1) / 2.0);
        else
            rc = faith_note(r, "mean over subjects of the share of (+, -) item pairs of one repetition both answered "
                            "above the middle; %ld of %ld pairs in all", both, pairs);
        if (rc < 0)
            goto oom;
        if (faith_boot_run(&boot, m, 1, mean_stat, v, c->opt) < 0)
            goto out;
        if (faith_boot_ci(&boot, 0, c->opt, r) < 0)
            goto oom;
        faith_boot_free(&boot);
    }
    ret = 0;
    goto out;
oom:
    ret = diag_error("out of memory");
out:
    faith_boot_free(&boot);
    free(y);
    free(a);
    free(t);
    free(am);
    free(cr);
    free(gx);
    free(gy);
    return ret;
}

/* ---- the summary's warning ------------------------------------------------------------------ */

int faith_acq_warning(const struct faith_table *t, const char *instrument, const char *dimension, char **reason)
{
    const struct faith_row *acq = NULL, *trait = NULL;
    for (size_t i = 0; i < t->n; i++) {
        const struct faith_row *r = &t->rows[i];
        if (!r->instrument || !r->dimension || strcmp(r->instrument, instrument) != 0 ||
            strcmp(r->dimension, dimension) != 0)
            continue;
        if (strcmp(r->metric, "acq_share") == 0)
            acq = r;
        else if (strcmp(r->metric, "trait_share") == 0)
            trait = r;
    }
    if (!acq || !trait || isnan(acq->value) || isnan(trait->value) || !(acq->value > trait->value))
        return 0;
    char x[40], y[40], buf[200];
    int prec = 3;              /* enough digits that the printed X is visibly above Y */
    do {
        snprintf(x, sizeof x, "%.*g", prec, acq->value);
        snprintf(y, sizeof y, "%.*g", prec, trait->value);
        prec++;
    } while (!(strtod(x, NULL) > strtod(y, NULL)) && prec <= 17);
    snprintf(buf, sizeof buf, "warning: acquiescence explains more of the score than the trait (acq_share %s > "
             "trait_share %s)", x, y);
    size_t old = *reason ? strlen(*reason) : 0;
    char *p = realloc(*reason, old + strlen(buf) + 3);
    if (!p)
        return -1;             /* faith_summarize says so */
    if (old)
        memcpy(p + old, "; ", 2), old += 2;
    strcpy(p + old, buf);
    *reason = p;
    return 0;
}

/* The share rule of acq_share and trait_share, for audit's `DIM not acquiescent` (issue 14 part 6). */
double faith_acq_r2(const double *x, const double *y, size_t n, const char **why)
{
    return share(x, y, n, why);
}
