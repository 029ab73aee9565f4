/* reports/report_validity_varcomp.c -- issue 14 part 3 in the report: prompt sensitivity as variance
 * components (metrics/varcomp.h), a table of the shares (part "varcomp") and a stacked-bar figure
 * (part "fig_varcomp"): how much of each score is the model, how much the prompt.  Written only
 * when the study varies the prompt (a template, language or variant with two levels in a block),
 * and only such blocks are drawn; the CSVs have every block.  The numbers are those of psyfaith
 * metrics --metric varcomp, computed per condition. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/varcomp.h"
#include "reports/latex.h"
#include "reports/report.h"
#include "reports/report_validity.h"

#define MAX_BARS 40     /* bars in the figure; the CSV has them all */

/* The rows of every condition: rows[g] for c->conds[g]. */
struct vc_all {
    struct varcomp_rows *rows;
    size_t n;
};

static void vc_all_free(struct vc_all *a)
{
    for (size_t g = 0; g < a->n; g++)
        varcomp_rows_free(&a->rows[g]);
    free(a->rows);
}

/* Whether a block (7 rows from i) varies the prompt: template, language or variant has 2+ levels. */
static int varies_prompt(const struct varcomp_row *r)
{
    return r[VC_TEMPLATE].levels >= 2 || r[VC_LANGUAGE].levels >= 2 || r[VC_VARIANT].levels >= 2;
}

static int vc_load(struct report_ctx *c, struct vc_all *a, int *any)
{
    *any = 0;
    if (!(a->rows = calloc(c->n_conds ? c->n_conds : 1, sizeof *a->rows)))
        return diag_error("out of memory");
    a->n = c->n_conds;
    for (size_t g = 0; g < c->n_conds; g++) {
        if (varcomp_compute(c->db, NULL, c->conds[g], c->opt->faith.min_share, c->opt->faith.threads, &a->rows[g]) < 0)
            return -1;
        for (size_t i = 0; i + VC_N_COMPONENTS <= a->rows[g].n; i += VC_N_COMPONENTS)
            *any |= varies_prompt(&a->rows[g].rows[i]);
    }
    return 0;
}

static void csv_rows(FILE *csv, const struct varcomp_rows *r, const char *condition)
{
    for (size_t i = 0; csv && i < r->n; i++) {
        const struct varcomp_row *w = &r->rows[i];
        csv_text(csv, w->instrument, 1), csv_text(csv, w->dimension, 0), csv_text(csv, w->component, 0);
        csv_number(csv, w->levels ? (double)w->levels : NAN, 0), csv_number(csv, w->variance, 0);
        csv_number(csv, w->share, 0), csv_text(csv, w->method, 0), csv_number(csv, (double)w->n, 0);
        csv_text(csv, w->note, 0), csv_text(csv, condition, 0), csv_end(csv);
    }
}

/* The share of the prompt (template + language + variant) of a block, NAN when none is estimated. */
static double prompt_share(const struct varcomp_row *r)
{
    double s = NAN;
    for (int k = VC_TEMPLATE; k <= VC_VARIANT; k++)
        if (!isnan(r[k].share))
            s = (isnan(s) ? 0 : s) + r[k].share;
    return s;
}

static void block_label(FILE *tex, const struct report_ctx *c, const struct varcomp_row *r, const char *cond)
{
    latex_text(tex, r->instrument);
    fprintf(tex, " %s", r->dimension);
    if (c->any_condition) {
        fputs(", ", tex);
        latex_text(tex, cond ? cond : "baseline");
    }
}

static int write_table(struct report_ctx *c, const struct vc_all *a)
{
    struct report_files f;
    struct footnotes fn = { 0 };
    if (!report_wanted(c, "varcomp"))
        return 0;
    if (report_validity_open(c, "varcomp", &f) < 0)
        return -1;
    if (f.csv)
        fputs("instrument,dimension,component,levels,variance,share,method,n,note,condition\n", f.csv);
    if (f.tex)
        fputs("\\begin{table}[H]\n\\centering\\small\n\\caption{Prompt sensitivity: the share (\\%) of the variance "
              "of each dimension score that is the model, the persona, the prompt (template, language, variant) "
              "and the repetition.}\n\\label{tab:psyfaith-varcomp}\n\\begin{tabular}{lrrrrrrrr}\n\\toprule\n"
              "Block & Model & Persona & Template & Language & Variant & Rep. & Residual & Prompt \\\\\n\\midrule\n",
              f.tex);
    for (size_t g = 0; g < a->n; g++) {
        const struct varcomp_rows *r = &a->rows[g];
        csv_rows(f.csv, r, c->conds[g]);
        for (size_t i = 0; f.tex && i + VC_N_COMPONENTS <= r->n; i += VC_N_COMPONENTS) {
            const struct varcomp_row *b = &r->rows[i];
            const char *mark = NULL;
            if (!varies_prompt(b))
                continue;                          /* in the CSV only */
            block_label(f.tex, c, b, c->conds[g]);
            if (!b[VC_RESIDUAL].method)            /* not estimated: the reason once, as a footnote */
                mark = footnote_mark(&fn, b[VC_RESIDUAL].note);
            for (int k = 0; k < VC_N_COMPONENTS; k++) {
                fputs(" & ", f.tex);
                latex_num(f.tex, 100 * b[k].share, 1, 0, k == VC_RESIDUAL ? mark : NULL);
            }
            fputs(" & ", f.tex);
            latex_num(f.tex, 100 * prompt_share(b), 1, 0, NULL);
            fputs(" \\\\\n", f.tex);
        }
    }
    if (f.tex) {
        fputs("\\bottomrule\n\\end{tabular}\n\\par\\smallskip\\footnotesize\n"
              "Crossed random effects over the cells subject $\\times$ template $\\times$ language $\\times$ variant "
              "$\\times$ repetition (each the per-item mean), as \\texttt{lme4::lmer(REML = TRUE)}: ANOVA estimates "
              "in balanced designs (a negative one set to 0 and pooled into the residual), REML otherwise; "
              "-- = a factor with one level (not in the model). Interactions and temperature are in the residual. "
              "Only blocks whose prompt varies are shown; the CSV (and \\texttt{psyfaith metrics -{}-metric varcomp}) has "
              "every block.\n",
              f.tex);
        footnotes_write(f.tex, &fn);
        fputs("\\end{table}\n", f.tex);
    } else {
        footnotes_write(NULL, &fn);
    }
    return report_close(c, "varcomp", &f);
}

static int write_figure(struct report_ctx *c, const struct vc_all *a)
{
    static const char *const colors[VC_N_COMPONENTS] = { "blue!70", "teal!60", "orange!80", "red!60", "yellow!70",
                                                         "gray!50", "gray!20" };
    struct report_files f;
    size_t total = 0;
    if (!report_wanted(c, "fig_varcomp"))
        return 0;
    for (size_t g = 0; g < a->n; g++)
        for (size_t i = 0; i + VC_N_COMPONENTS <= a->rows[g].n; i += VC_N_COMPONENTS)
            total += a->rows[g].rows[i + VC_RESIDUAL].method != NULL && varies_prompt(&a->rows[g].rows[i]);
    if (!total)
        return 0;
    if (report_validity_open(c, "fig_varcomp", &f) < 0)
        return -1;
    if (f.csv)
        fputs("instrument,dimension,component,share,condition\n", f.csv);
    size_t shown = total < MAX_BARS ? total : MAX_BARS;
    if (f.tex) {
        /* bar k at y = shown - 1 - k, so that the first block is on top */
        fprintf(f.tex, "\\begin{figure}[H]\n\\centering\n\\begin{tikzpicture}\n\\begin{axis}[xbar stacked, "
                       "width=0.62\\linewidth, height=%.1fcm, xmin=0, xmax=100, xlabel={share of the variance (\\%%)}, "
                       "ytick={0,...,%zu}, bar width=8pt, enlarge y limits=%.2f, y dir=normal, "
                       "legend style={font=\\scriptsize, at={(1.03,0.5)}, anchor=west, legend columns=1}, "
                       "legend cell align={left}, yticklabel style={font=\\scriptsize}, yticklabels={",
                shown * 0.6 + 2.5, shown - 1, shown > 1 ? 0.5 / (double)shown + 0.05 : 0.5);
        size_t k = 0;
        /* the shown blocks in table order; their labels go bottom-up, the last one first */
        const struct varcomp_row *lab[MAX_BARS];
        const char *labc[MAX_BARS];
        for (size_t g = 0; g < a->n && k < shown; g++)
            for (size_t i = 0; i + VC_N_COMPONENTS <= a->rows[g].n && k < shown; i += VC_N_COMPONENTS)
                if (a->rows[g].rows[i + VC_RESIDUAL].method && varies_prompt(&a->rows[g].rows[i])) {
                    lab[k] = &a->rows[g].rows[i];
                    labc[k++] = c->conds[g];
                }
        for (size_t j = shown; j-- > 0;) {
            fputs(j + 1 < shown ? ",{" : "{", f.tex);
            block_label(f.tex, c, lab[j], labc[j]);
            fputc('}', f.tex);
        }
        fputs("}]\n", f.tex);
        for (int comp = 0; comp < VC_N_COMPONENTS; comp++) {
            fprintf(f.tex, "\\addplot+[draw=black, fill=%s] coordinates {", colors[comp]);
            for (size_t j = 0; j < shown; j++) {
                double s = lab[j][comp].share;
                fprintf(f.tex, " (%.3f,%zu)", isnan(s) ? 0.0 : 100 * s, shown - 1 - j);
            }
            fprintf(f.tex, " };\n\\addlegendentry{%s}\n", varcomp_component_names[comp]);
        }
        fputs("\\end{axis}\n\\end{tikzpicture}\n\\caption{How much of each score is the model and how much the "
              "prompt: shares of the variance of the per-item mean score (model, persona, template, language, "
              "variant, repetition, residual; lme4-equivalent variance components, see the table)", f.tex);
        if (total > shown)
            fprintf(f.tex, "; the first %zu of %zu blocks (all are in the CSV)", shown, total);
        fputs(".}\n\\end{figure}\n", f.tex);
    }
    for (size_t g = 0; f.csv && g < a->n; g++)
        for (size_t i = 0; i < a->rows[g].n; i++) {
            const struct varcomp_row *w = &a->rows[g].rows[i];
            csv_text(f.csv, w->instrument, 1), csv_text(f.csv, w->dimension, 0), csv_text(f.csv, w->component, 0);
            csv_number(f.csv, w->share, 0), csv_text(f.csv, c->conds[g], 0), csv_end(f.csv);
        }
    return report_close(c, "fig_varcomp", &f);
}

int report_varcomp(struct report_ctx *c, const char *name)
{
    struct vc_all a = { 0 };
    int any, ret = -1;
    /* one load for both subsections: the "varcomp" entry writes the figure too when it is wanted,
     * so the "fig_varcomp" entry writes only a figure asked for without its table */
    int all = report_wanted(c, "validity");
    int table = all || report_wanted(c, "varcomp"), figure = all || report_wanted(c, "fig_varcomp");
    if (strcmp(name, "fig_varcomp") == 0 && table)
        return 0;
    if (vc_load(c, &a, &any) < 0)
        goto out;
    ret = any && ((table && write_table(c, &a) < 0) || (figure && write_figure(c, &a) < 0)) ? -1 : 0;
out:
    vc_all_free(&a);
    return ret;
}
