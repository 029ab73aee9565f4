/* reports/report_validity.c -- the "Validity diagnostics" section (issue 14 part 6): whether a score
 * is an artefact of how the questions were asked.  Subsections: option-order effects (metrics
 * faith_order.c), acquiescence and reverse-keyed contradiction (faith_acq.c), reliability beyond
 * alpha with the r.drop flags (faith_omega.c); variance components and probability scoring are
 * added by their own files (see report_validity.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "diag.h"
#include "reports/latex.h"
#include "reports/report_tables_int.h"
#include "reports/report_validity.h"
#include "util.h"

/* The section's subsections, in order.  Issue 14 part 3 (h-varcomp) and part 5 (h-probs): one line
 * each here, e.g. { "validity_varcomp", report_validity_varcomp }. */
static const struct {
    const char *name;
    int (*write)(struct report_ctx *c, const char *name);
} subsections[] = {
    { "validity_order", report_validity_order },
    { "validity_acq", report_validity_acq },
    { "validity_reliability", report_validity_reliability },
    { "varcomp", report_varcomp },
    { "fig_varcomp", report_varcomp },
    { "validity_probs", report_validity_probs },
};

int report_validity_part_known(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof subsections / sizeof subsections[0]; i++)
        if (strlen(subsections[i].name) == len && strncmp(subsections[i].name, name, len) == 0)
            return 1;
    return 0;
}

int report_validity_open(struct report_ctx *c, const char *name, struct report_files *f)
{
    if (report_open(c, name, f) < 0)
        return -1;
    if (f->tex && !c->validity_heading) {
        fputs("\\section*{Validity diagnostics}\n"
              "Whether a questionnaire score measures the model or the way it was asked: the order of the "
              "options, agreeing with everything, and how reliable the scale is beyond Cronbach's $\\alpha$.\n", f->tex);
        c->validity_heading = 1;
    }
    return 0;
}

int report_validity(struct report_ctx *c)
{
    int all = report_wanted(c, "validity");
    for (size_t i = 0; i < sizeof subsections / sizeof subsections[0]; i++)
        if ((all || report_wanted(c, subsections[i].name)) && subsections[i].write(c, subsections[i].name) < 0)
            return -1;
    return 0;
}

/* ---- option order ------------------------------------------------------------------------- */

#define ORDER_TABLE_ROWS 40       /* rows of the LaTeX table; the rest are in the CSV only */

static void subject_text(char *buf, size_t size, const struct subject *sj)
{
    size_t n = (size_t)snprintf(buf, size, "%s", sj->model);
    if (sj->persona && n < size)
        n += (size_t)snprintf(buf + n, size - n, " / %s", sj->persona);
    if (sj->has_temperature && n < size)
        snprintf(buf + n, size - n, " / t=%g", sj->temperature);
}

/* Whether the instrument of o has a single block in the set (then its block row is the whole). */
static int single_block(const struct score_set *set, int inst)
{
    int n = 0;
    for (size_t b = 0; b < set->n_blocks; b++)
        n += set->blocks[b].instrument == inst;
    return n == 1;
}

int report_validity_order(struct report_ctx *c, const char *name)
{
    struct report_files f;
    struct footnotes fn = { 0 };
    size_t shown = 0, rows = 0, left = 0;
    for (size_t g = 0; g < c->n_conds; g++)
        shown += c->groups[g].in.n_order;
    if (report_validity_open(c, name, &f) < 0)
        return -1;
    if (f.csv)
        fputs("subject,instrument,dimension,orders,items,mean_other,mean_ref,diff,ci_low,ci_high,t,df,p_t,V,p_wilcoxon,"
              "wilcoxon_exact,position_bias,cb_score,condition\n", f.csv);
    if (!shown) {
        if (f.tex)
            fputs("\\subsection*{Option order}\nNo subject answered an item under two or more option orders, so "
                  "no order effect can be measured (records give the order in \\texttt{option\\_order} or "
                  "\\texttt{options}).\n", f.tex);
        return report_close(c, name, &f);
    }
    if (f.tex)
        fputs("\\subsection*{Option order}\n", f.tex);
    report_table_begin(f.tex, "Option-order effects per subject: the same items answered under two orders.",
                       "validity-order", "llrrrrr");
    if (f.tex)
        fputs("Subject & Orders & Items & $\\Delta$ option & $p$ (t) & $p$ (Wilcoxon) & Position bias \\\\\n"
              "\\midrule\n", f.tex);
    for (size_t g = 0; g < c->n_conds; g++) {
        const struct report_group *gr = &c->groups[g];
        for (size_t i = 0; i < gr->in.n_order; i++) {
            const struct faith_order *o = &gr->in.order[i];
            const struct score_set *set = gr->set;
            const char *dim = o->block >= 0 ? dimension_codes[set->blocks[o->block].dimension] : "";
            char who[512], orders[200];
            subject_text(who, sizeof who, &set->subjects[o->subject]);
            snprintf(orders, sizeof orders, "%s vs %s", o->other, o->ref);
            int t_ok = o->t_rc == 0, w_ok = o->w_rc == 0;
            double q = t_ok ? o->t_se * gsl_cdf_tdist_Pinv(1.0 - (1.0 - c->opt->faith.level) / 2.0, o->t_df) : NAN;
            double diff = t_ok ? o->t_mean : o->mean_other - o->mean_ref;
            if (f.csv) {
                csv_text(f.csv, who, 1);
                csv_text(f.csv, set->instruments[o->instrument].name, 0);
                csv_text(f.csv, dim, 0);
                csv_text(f.csv, orders, 0);
                csv_number(f.csv, (double)o->n_items, 0);
                csv_number(f.csv, o->mean_other, 0);
                csv_number(f.csv, o->mean_ref, 0);
                csv_number(f.csv, diff, 0);
                csv_number(f.csv, t_ok ? diff - q : NAN, 0);
                csv_number(f.csv, t_ok ? diff + q : NAN, 0);
                csv_number(f.csv, t_ok ? o->t_stat : NAN, 0);
                csv_number(f.csv, t_ok ? o->t_df : NAN, 0);
                csv_number(f.csv, t_ok ? o->t_p : NAN, 0);
                csv_number(f.csv, w_ok ? o->w_V : NAN, 0);
                csv_number(f.csv, w_ok ? o->w_p : NAN, 0);
                csv_number(f.csv, w_ok ? o->w_exact : NAN, 0);
                csv_number(f.csv, o->position_bias, 0);
                csv_number(f.csv, o->cb_score, 0);
                csv_text(f.csv, gr->condition, 0);
                csv_end(f.csv);
            }
            /* the table: one row per subject and instrument (all its items) */
            if (!f.tex || !(o->block < 0 || single_block(set, o->instrument)))
                continue;
            if (rows == ORDER_TABLE_ROWS) {     /* a float cannot break across pages: the CSV has them all */
                left++;
                continue;
            }
            rows++;
            latex_text(f.tex, who);
            if (c->any_condition) {
                fputs(", ", f.tex);
                latex_text(f.tex, gr->condition ? gr->condition : "baseline");
            }
            fputs(" & ", f.tex);
            latex_text(f.tex, orders);
            fprintf(f.tex, " & %zu & ", o->n_items);
            latex_num(f.tex, diff, c->opt->digits, 0, NULL);
            fputs(" & ", f.tex);
            latex_num(f.tex, t_ok ? o->t_p : NAN, 3, t_ok && o->t_p < 0.05, t_ok ? NULL : footnote_mark(&fn, o->t_why));
            fputs(" & ", f.tex);
            latex_num(f.tex, w_ok ? o->w_p : NAN, 3, w_ok && o->w_p < 0.05, w_ok ? NULL : footnote_mark(&fn, o->w_why));
            fputs(" & ", f.tex);
            latex_num(f.tex, o->position_bias, c->opt->digits, 0, NULL);
            fputs(" \\\\\n", f.tex);
        }
    }
    char more[96] = "";
    if (left)
        snprintf(more, sizeof more, " %zu more rows in validity\\_order.csv.", left);
    char note[1200];
    snprintf(note, sizeof note, "%s%s",
                     "Per subject, every item of the instrument answered under both orders: $\\Delta$ = mean over "
                     "items of (mean option under the first order $-$ under the second), on the ascending scale; "
                     "$p$ from R's paired t-test and Wilcoxon signed-rank test over items (bold: $p < 0.05$). "
                     "Position bias: how much more often an option is chosen when shown first (0 none, 1 always "
                     "the first). Per dimension and the counterbalanced scores: validity\\_order.csv and "
                     "\\texttt{psyfaith metrics --metric order}.", more);
    report_table_end(f.tex, &fn, note);
    return report_close(c, name, &f);
}

/* ---- acquiescence -------------------------------------------------------------------------- */

static const struct faith_row *block_row(const struct report_group *g, const char *metric, const char *inst,
                                         const char *dim)
{
    for (size_t i = 0; i < g->table.n; i++) {
        const struct faith_row *r = &g->table.rows[i];
        if (strcmp(r->metric, metric) == 0 && r->instrument && strcmp(r->instrument, inst) == 0 && r->dimension &&
            strcmp(r->dimension, dim) == 0 && !r->item)
            return r;
    }
    return NULL;
}

static double row_value(const struct faith_row *r)
{
    return r ? r->value : NAN;
}

static const char *row_why(const struct faith_row *r)
{
    return r && r->note ? r->note : "not computed";
}

/* The four acquiescence values of block b over the subjects of one model (model NULL: the faith rows,
 * over every subject of the group): acq_share, trait_share, acq_mean, contradiction_rate; the
 * shares by faith_acq_r2, the rule of metrics --metric acq.  *n = the subjects used for the shares. */
static int model_acq(const struct report_group *gr, size_t b, const char *model, double min_share, double v[4],
                     size_t *n, const char **why)
{
    const struct score_set *set = gr->set;
    const struct score_block *blk = &set->blocks[b];
    double *x = malloc((set->n_subjects + 1) * sizeof *x), *t = malloc((set->n_subjects + 1) * sizeof *t);
    double *y = malloc((set->n_subjects + 1) * sizeof *y), am = 0.0, cr = 0.0;
    size_t n_am = 0, n_cr = 0;
    *n = 0;
    *why = NULL;
    if (!x || !t || !y) {
        free(x), free(t), free(y);
        return diag_error("out of memory");
    }
    for (size_t s = 0; s < set->n_subjects; s++) {
        struct faith_acq_subject a;
        double sum, per;
        if (strcmp(set->subjects[s].model, model) != 0 || !score_took(blk, s))
            continue;
        faith_acq_subject(set, b, s, &a);
        if (!isnan(a.A))
            am += a.A, n_am++;
        if (!isnan(a.contradiction))
            cr += a.contradiction, n_cr++;
        if (!isnan(a.A) && blk->answered[s] && score_of(blk, s, min_share, &sum, &per, NULL) == 0 && !isnan(per)) {
            x[*n] = a.A;
            t[*n] = a.T;
            y[*n] = per;
            (*n)++;
        }
    }
    const char *w2;
    v[0] = faith_acq_r2(x, y, *n, why);
    v[1] = faith_acq_r2(t, y, *n, &w2);
    v[2] = n_am ? am / (double)n_am : NAN;
    v[3] = n_cr ? cr / (double)n_cr : NAN;
    if (!*why)
        *why = w2;
    free(x), free(t), free(y);
    return 0;
}

int report_validity_acq(struct report_ctx *c, const char *name)
{
    static const char *const metrics[] = { "acq_share", "trait_share", "acq_mean", "contradiction_rate" };
    struct report_files f;
    struct footnotes fn = { 0 };
    if (!c->n_blocks)
        return 0;
    if (report_validity_open(c, name, &f) < 0)
        return -1;
    if (f.csv)
        fputs("instrument,dimension,model,acq_share,trait_share,acq_mean,contradiction_rate,flagged,condition\n", f.csv);
    if (f.tex)
        fputs("\\subsection*{Acquiescence}\n", f.tex);
    report_table_begin(f.tex, "Acquiescence and reverse-keyed contradiction per dimension: all subjects, and "
                       "each model (3 or more subjects) whose acquiescence share exceeds its trait share.",
                       "validity-acq", "lllrrrrl");
    if (f.tex)
        fputs("Instrument & Dim. & Subjects & Acq. share & Trait share & Acq. mean & Contradiction & Flag \\\\\n"
              "\\midrule\n", f.tex);
    for (size_t g = 0; g < c->n_conds; g++) {
        const struct report_group *gr = &c->groups[g];
        for (size_t b = 0; b < gr->set->n_blocks; b++) {
            const struct score_block *blk = &gr->set->blocks[b];
            const char *inst = gr->set->instruments[blk->instrument].name, *dim = dimension_codes[blk->dimension];
            /* m = -1: every subject (the metrics rows); then each model with 3 or more subjects */
            for (long m = -1; m < (long)c->n_models; m++) {
            const struct faith_row *r[4] = { NULL, NULL, NULL, NULL };
            double v[4];
            const char *why = NULL;
            size_t n = 0;
            if (m < 0) {
                for (int k = 0; k < 4; k++)
                    v[k] = row_value(r[k] = block_row(gr, metrics[k], inst, dim));
            } else {
                if (!report_group_has_model(gr, c->models[m]))
                    continue;
                if (model_acq(gr, b, c->models[m], c->opt->faith.min_share, v, &n, &why) < 0)
                    return -1;
                if (n < 3)
                    continue;     /* one or two subjects: no share to show (the all-subjects row has them) */
            }
            int flagged = !isnan(v[0]) && !isnan(v[1]) && v[0] > v[1];   /* the summary's warning rule */
            if (f.csv) {
                csv_text(f.csv, inst, 1);
                csv_text(f.csv, dim, 0);
                csv_text(f.csv, m < 0 ? "" : c->models[m], 0);
                for (int k = 0; k < 4; k++)
                    csv_number(f.csv, v[k], 0);
                csv_text(f.csv, flagged ? "yes" : "no", 0);
                csv_text(f.csv, gr->condition, 0);
                csv_end(f.csv);
            }
            if (!f.tex || (m >= 0 && !flagged))
                continue;       /* the table: every block, and the models it flags; the CSV: all */
            latex_text(f.tex, inst);
            if (c->any_condition) {
                fputs(", ", f.tex);
                latex_text(f.tex, gr->condition ? gr->condition : "baseline");
            }
            fprintf(f.tex, " & %s & ", dim);
            if (m < 0)
                fputs("all", f.tex);
            else
                latex_text(f.tex, c->models[m]);
            for (int k = 0; k < 4; k++) {
                fputs(" & ", f.tex);
                latex_num(f.tex, v[k], c->opt->digits, k == 0 && flagged,
                          isnan(v[k]) ? footnote_mark(&fn, m < 0 ? row_why(r[k]) : why ? why : "not computed") : NULL);
            }
            fprintf(f.tex, " & %s \\\\\n", flagged ? "acquiescent" : "");
            }
        }
    }
    report_table_end(f.tex, &fn,
                     "From the raw options before reverse keying: acquiescence $A = (P + N)/2 -$ midpoint and trait "
                     "$T = (P - N)/2$ per subject ($P$, $N$: mean option on + and $-$ keyed items); the shares of "
                     "the between-subject variance of the score they explain ($r^2$). Contradiction: share of "
                     "(+, $-$) item pairs both answered on the agree side. Flagged (bold) when the acquiescence "
                     "share exceeds the trait share, as in \\texttt{psyfaith metrics --summary}; every model's row: "
                     "validity\\_acq.csv.");
    return report_close(c, name, &f);
}

/* ---- reliability beyond alpha ---------------------------------------------------------------- */

int report_validity_reliability(struct report_ctx *c, const char *name)
{
    struct report_files f;
    struct footnotes fn = { 0 };
    if (!c->n_blocks)
        return 0;
    if (report_validity_open(c, name, &f) < 0)
        return -1;
    if (f.csv)
        fputs("instrument,dimension,alpha,omega_total,lambda6,flagged_items,condition\n", f.csv);
    if (f.tex)
        fputs("\\subsection*{Reliability beyond $\\alpha$}\n", f.tex);
    report_table_begin(f.tex, "Cronbach's $\\alpha$, McDonald's $\\omega_{total}$ and Guttman's $\\lambda_6$ per "
                       "dimension, and the items whose corrected item-total correlation contradicts their key.",
                       "validity-reliability", "llrrrp{5cm}");
    if (f.tex)
        fputs("Instrument & Dim. & $\\alpha$ & $\\omega_{total}$ & $\\lambda_6$ & Flagged items \\\\\n\\midrule\n", f.tex);
    for (size_t g = 0; g < c->n_conds; g++) {
        const struct report_group *gr = &c->groups[g];
        for (size_t b = 0; b < gr->set->n_blocks; b++) {
            const struct score_block *blk = &gr->set->blocks[b];
            const char *inst = gr->set->instruments[blk->instrument].name, *dim = dimension_codes[blk->dimension];
            const struct faith_row *r[3] = { block_row(gr, "InC", inst, dim), block_row(gr, "omega_total", inst, dim),
                                             block_row(gr, "lambda6", inst, dim) };
            struct strbuf flagged = { 0 };
            for (size_t i = 0; i < gr->table.n; i++) {
                const struct faith_row *x = &gr->table.rows[i];
                if (strcmp(x->metric, "r_drop") == 0 && x->item && x->instrument && strcmp(x->instrument, inst) == 0 &&
                    x->dimension && strcmp(x->dimension, dim) == 0 && x->note && strstr(x->note, "possibly keyed wrong") &&
                    strbuf_addf(&flagged, "%s%s (%.2f)", flagged.len ? ", " : "", x->item, x->value) < 0) {
                    strbuf_free(&flagged);
                    return diag_error("out of memory");
                }
            }
            if (f.csv) {
                csv_text(f.csv, inst, 1);
                csv_text(f.csv, dim, 0);
                for (int k = 0; k < 3; k++)
                    csv_number(f.csv, row_value(r[k]), 0);
                csv_text(f.csv, flagged.buf ? flagged.buf : "", 0);
                csv_text(f.csv, gr->condition, 0);
                csv_end(f.csv);
            }
            if (f.tex) {
                latex_text(f.tex, inst);
                if (c->any_condition) {
                    fputs(", ", f.tex);
                    latex_text(f.tex, gr->condition ? gr->condition : "baseline");
                }
                fprintf(f.tex, " & %s", dim);
                for (int k = 0; k < 3; k++) {
                    fputs(" & ", f.tex);
                    latex_num(f.tex, row_value(r[k]), c->opt->digits, 0,
                              isnan(row_value(r[k])) ? footnote_mark(&fn, row_why(r[k])) : NULL);
                }
                fputs(" & ", f.tex);
                latex_text_max(f.tex, flagged.buf ? flagged.buf : "", 400);
                fputs(" \\\\\n", f.tex);
            }
            strbuf_free(&flagged);
        }
    }
    report_table_end(f.tex, &fn,
                     "$\\omega_{total}$ from the one-factor minres solution (psych::fa), $\\lambda_6$ = psych G6(smc). "
                     "Flagged: an item whose corrected item-total correlation (r.drop, in brackets) is negative "
                     "although its key says otherwise: possibly keyed wrong or read the wrong way.");
    return report_close(c, name, &f);
}
