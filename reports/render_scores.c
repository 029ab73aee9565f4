/* reports/render_scores.c -- `psyfaith scores` output: Eq. 1 scores per subject x instrument x dimension,
 * and the RealBehavior Table 3 view (per model, mean and sd of the per-item score over temperatures) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "diag.h"
#include "metrics/faith.h"
#include "metrics/scores.h"
#include "reports/out.h"
#include "reports/render.h"
#include "util.h"

static void text_temperature(const struct subject *s, char *buf, size_t size)
{
    if (s->has_temperature)
        out_num(buf, size, s->temperature);
    else
        buf[0] = '\0';
}

int render_scores(const struct score_set *set, enum out_format fmt, double min_share)
{
    static const char *const header[] = { "model", "temperature", "persona", "instrument", "dimension", "score",
                                          "per_item", "n_items", "n_answered", "n_reps", "refusals", "unparsed",
                                          "note", "condition" };
    struct out o;
    long missing = 0;
    if (out_begin(&o, fmt, header, 14) < 0)
        return -1;
    for (size_t s = 0; s < set->n_subjects; s++)
        for (size_t b = 0; b < set->n_blocks; b++) {
            const struct score_block *blk = &set->blocks[b];
            const struct subject *sub = &set->subjects[s];
            char temp[32], sum[32], mean[32], n_items[24], n_ans[16], n_reps[16], refusals[16], unparsed[16], note[160];
            double vsum, vmean;
            const char *why = NULL;
            if (!score_took(blk, s))
                continue;           /* this subject never saw this instrument */
            score_note(blk, s, min_share, note, sizeof note);
            if (score_of(blk, s, min_share, &vsum, &vmean, &why) < 0)
                missing++;
            text_temperature(sub, temp, sizeof temp);
            snprintf(n_items, sizeof n_items, "%zu", blk->n_items);
            snprintf(n_ans, sizeof n_ans, "%d", blk->answered[s]);
            snprintf(n_reps, sizeof n_reps, "%d", blk->reps_seen[s]);
            snprintf(refusals, sizeof refusals, "%d", blk->refusals[s]);
            snprintf(unparsed, sizeof unparsed, "%d", blk->unparsed[s]);
            const char *row[] = { sub->model, temp, sub->persona, set->instruments[blk->instrument].name,
                                  dimension_codes[blk->dimension], out_num(sum, sizeof sum, vsum),
                                  out_num(mean, sizeof mean, vmean), n_items, n_ans, n_reps, refusals, unparsed,
                                  note, sub->condition };
            if (out_row(&o, row) < 0) {
                out_end(&o);
                return -1;
            }
        }
    if (out_end(&o) < 0)
        return -1;
    if (missing)
        diag_note("%ld score%s left empty: fewer than %.0f%% of the items answered (--min-answered)", missing,
                  missing == 1 ? "" : "s", min_share * 100);
    return 0;
}

static int same_text(const char *a, const char *b)
{
    return !!a == !!b && (!a || strcmp(a, b) == 0);
}

/* Table 3: subjects grouped by (model, persona, condition); the per-item score's mean and sample sd. */
int render_scores_by_model(const struct score_set *set, enum out_format fmt, double min_share)
{
    static const char *const header[] = { "model", "persona", "instrument", "dimension", "mean", "sd", "n",
                                          "note", "condition" };
    struct out o;
    double *vals = malloc((set->n_subjects + 1) * sizeof *vals);
    char *done = calloc(set->n_subjects + 1, 1);
    int ret = -1;
    if (!vals || !done) {
        diag_error("out of memory");
        goto out;
    }
    if (out_begin(&o, fmt, header, 9) < 0)
        goto out;
    for (size_t s = 0; s < set->n_subjects; s++) {
        if (done[s])
            continue;
        const struct subject *a = &set->subjects[s];
        for (size_t t = s; t < set->n_subjects; t++) {
            const struct subject *b = &set->subjects[t];
            if (strcmp(a->model, b->model) == 0 && same_text(a->persona, b->persona) &&
                same_text(a->condition, b->condition))
                done[t] = 2;        /* this group, this round */
        }
        for (size_t b = 0; b < set->n_blocks; b++) {
            size_t n = 0, took = 0;
            double sum, mean;
            for (size_t t = s; t < set->n_subjects; t++) {
                if (done[t] != 2)
                    continue;
                took += score_took(&set->blocks[b], t) != 0;
                if (score_of(&set->blocks[b], t, min_share, &sum, &mean, NULL) == 0)
                    vals[n++] = mean;
            }
            if (!took)
                continue;           /* the group never saw this instrument */
            char m[32], sd[32], nn[24], note[160];
            out_num(m, sizeof m, n ? gsl_stats_mean(vals, 1, n) : NAN);
            out_num(sd, sizeof sd, n > 1 ? gsl_stats_sd(vals, 1, n) : NAN);
            snprintf(nn, sizeof nn, "%zu", n);
            score_group_note(took, n, min_share, note, sizeof note);
            const char *row[] = { a->model, a->persona, set->instruments[set->blocks[b].instrument].name,
                                  dimension_codes[set->blocks[b].dimension], m, sd, nn, note, a->condition };
            out_row(&o, row);
        }
        for (size_t t = s; t < set->n_subjects; t++)
            if (done[t] == 2)
                done[t] = 1;
    }
    ret = out_end(&o);
out:
    free(vals);
    free(done);
    return ret;
}

/* Per subject x instrument x dimension: the per-item mean of each repetition (a test run), then
 * their mean and sample sd over the repetitions, as PsychoBench's analysis reports a category
 * (without its epsilon of 1e-8 added to the sd). */
int render_scores_by_rep(const struct score_set *set, enum out_format fmt)
{
    static const char *const header[] = { "model", "temperature", "persona", "instrument", "dimension", "mean", "sd",
                                          "n_reps", "n_items", "condition" };
    struct out o;
    size_t cap = 1;
    for (size_t b = 0; b < set->n_blocks; b++)
        for (size_t s = 0; s < set->n_subjects; s++)
            if (set->blocks[b].reps_seen && (size_t)set->blocks[b].reps_seen[s] > cap)
                cap = (size_t)set->blocks[b].reps_seen[s];
    double *vals = malloc(cap * sizeof *vals);
    if (!vals)
        return diag_error("out of memory");
    if (out_begin(&o, fmt, header, 10) < 0) {
        free(vals);
        return -1;
    }
    int ret = 0;
    for (size_t s = 0; s < set->n_subjects && ret == 0; s++)
        for (size_t b = 0; b < set->n_blocks && ret == 0; b++) {
            const struct score_block *blk = &set->blocks[b];
            const struct subject *sub = &set->subjects[s];
            size_t n;
            score_rep_means(blk, s, vals, &n);
            if (!n)
                continue;
            char temp[32], m[32], sd[32], nr[24], ni[24];
            text_temperature(sub, temp, sizeof temp);
            out_num(m, sizeof m, gsl_stats_mean(vals, 1, n));
            out_num(sd, sizeof sd, n > 1 ? gsl_stats_sd(vals, 1, n) : NAN);
            snprintf(nr, sizeof nr, "%zu", n);
            snprintf(ni, sizeof ni, "%zu", blk->n_items);
            const char *row[] = { sub->model, temp, sub->persona, set->instruments[blk->instrument].name,
                                  dimension_codes[blk->dimension], m, sd, nr, ni, sub->condition };
            ret = out_row(&o, row);
        }
    free(vals);
    if (out_end(&o) < 0 || ret < 0)
        return -1;
    return 0;
}

/* Per subject x instrument x dimension: the raw-scale means of the + and - keyed answers and what
 * they split into (metrics/faith_acq.c computes; acq_share and friends in psyfaith metrics are
 * these values across subjects). */
int render_scores_style(const struct score_set *set, enum out_format fmt)
{
    static const char *const header[] = { "model", "temperature", "persona", "instrument", "dimension", "P", "N",
                                          "T", "A", "contradiction_rate", "n_pos", "n_neg", "pairs", "note",
                                          "condition" };
    struct out o;
    int ret = 0;
    if (out_begin(&o, fmt, header, 15) < 0)
        return -1;
    for (size_t s = 0; s < set->n_subjects && ret == 0; s++)
        for (size_t b = 0; b < set->n_blocks && ret == 0; b++) {
            const struct score_block *blk = &set->blocks[b];
            const struct subject *sub = &set->subjects[s];
            struct faith_acq_subject v;
            char temp[32], P[32], N[32], T[32], A[32], cr[32], np[24], nn[24], pairs[24], note[160] = "";
            if (!score_took(blk, s))
                continue;           /* this subject never saw this instrument */
            faith_acq_subject(set, b, s, &v);
            text_temperature(sub, temp, sizeof temp);
            snprintf(np, sizeof np, "%ld", v.n_pos);
            snprintf(nn, sizeof nn, "%ld", v.n_neg);
            snprintf(pairs, sizeof pairs, "%ld", v.pairs);
            if (!v.n_pos || !v.n_neg)
                snprintf(note, sizeof note, "no ok answer to a %s keyed item: no T or A", v.n_pos ? "-" : "+");
            else if (!v.pairs)
                snprintf(note, sizeof note, "no repetition with both a + and a - keyed item answered");
            const char *row[] = { sub->model, temp, sub->persona, set->instruments[blk->instrument].name,
                                  dimension_codes[blk->dimension], out_num(P, sizeof P, v.P), out_num(N, sizeof N, v.N),
                                  out_num(T, sizeof T, v.T + 0.0), out_num(A, sizeof A, v.A + 0.0),
                                  out_num(cr, sizeof cr, v.contradiction), np, nn, pairs, note, sub->condition };
            ret = out_row(&o, row);
        }
    if (out_end(&o) < 0 || ret < 0)
        return -1;
    return 0;
}
