/* reports/report_figures.c -- pgfplots figures: scores against human norms (RealBehavior Fig. 6),
 * item-score distributions (Fig. 3) and criterion scores per model (Fig. 5) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "diag.h"
#include "reports/latex.h"
#include "reports/report.h"
#include "store/store.h"

#define MAX_SERIES 12   /* models shown in one figure; the CSV has them all */

static void figure_begin(FILE *tex, const char *extra)
{
    fprintf(tex, "\\begin{figure}[H]\n\\centering\n\\begin{tikzpicture}\n\\begin{axis}[ybar, width=0.95\\linewidth, "
                 "height=6cm, symbolic x coords={EXT,AGR,CONS,EMO,OPEN}, xtick=data, bar width=5pt, "
                 "legend style={font=\\scriptsize, at={(0.5,-0.15)}, anchor=north, legend columns=3}, legend cell align={left}, "
                 "error bars/y dir=both, error bars/y explicit%s%s]\n", extra ? ", " : "", extra ? extra : "");
}

static void figure_end(FILE *tex, const char *caption, const char *label)
{
    fprintf(tex, "\\end{axis}\n\\end{tikzpicture}\n\\caption{%s}\n\\label{fig:psyfaith-%s}\n\\end{figure}\n",
            caption, label);
}

/* Mean and sd over the model's subjects of the per-item score in block b. */
static size_t model_score(const struct report_ctx *c, const char *model, int b, double *mean, double *sd)
{
    const struct score_set *set = c->set;
    double *v = malloc((set->n_subjects + 1) * sizeof *v);
    size_t n = 0;
    *mean = *sd = NAN;
    if (!v || b < 0) {
        free(v);
        return 0;
    }
    for (size_t s = 0; s < set->n_subjects; s++) {
        double sum, m;
        if (strcmp(set->subjects[s].model, model) == 0 &&
            score_of(&set->blocks[b], s, c->opt->faith.min_share, &sum, &m, NULL) == 0)
            v[n++] = m;
    }
    if (n)
        *mean = gsl_stats_mean(v, 1, n);
    *sd = n > 1 ? gsl_stats_sd(v, 1, n) : 0;
    free(v);
    return n;
}

int report_fig_scores_norms(struct report_ctx *c)
{
    struct report_files f;
    const struct score_set *set = c->set;
    if (!report_wanted(c, "fig_scores_norms") || !set->n_blocks)
        return 0;
    sqlite3_stmt *st = store_prepare(c->db, "SELECT population, mean, sd FROM norm WHERE instrument = ?1 AND "
                                            "dimension = ?2 AND mean IS NOT NULL AND sd IS NOT NULL "
                                            "ORDER BY coalesce(n, 0) DESC, id LIMIT 1");
    if (!st)
        return -1;
    if (report_open(c, "fig_scores_norms", &f) < 0) {
        sqlite3_finalize(st);
        return -1;
    }
    if (f.csv)
        fputs("instrument,series,dimension,mean,sd,n\n", f.csv);
    for (size_t i = 0; i < set->n_instruments; i++) {
        const char *inst = set->instruments[i].name;
        if (f.tex)
            figure_begin(f.tex, "ymin=1, ymax=5.5, ylabel={per-item score}");
        for (size_t m = 0, shown = 0; m < c->n_models && shown < MAX_SERIES; m++) {
            double mean, sd;
            int has = 0;
            for (int d = 0; d < N_DIMENSIONS; d++)
                has |= model_score(c, c->models[m], faith_block(set, (int)i, d), &mean, &sd) > 0;
            if (!has)
                continue;                  /* this model never answered this instrument */
            shown++;
            if (f.tex)
                fputs("\\addplot coordinates {", f.tex);
            for (int d = 0; d < N_DIMENSIONS; d++) {
                size_t n = model_score(c, c->models[m], faith_block(set, (int)i, d), &mean, &sd);
                if (!n)
                    continue;
                if (f.tex)
                    fprintf(f.tex, " (%s,%.4f) +- (0,%.4f)", dimension_codes[d], mean, sd);
                if (f.csv) {
                    csv_text(f.csv, inst, 1), csv_text(f.csv, c->models[m], 0), csv_text(f.csv, dimension_codes[d], 0);
                    csv_number(f.csv, mean, 0), csv_number(f.csv, sd, 0), csv_number(f.csv, (double)n, 0), csv_end(f.csv);
                }
            }
            if (f.tex) {
                fputs(" };\n\\addlegendentry{", f.tex);
                latex_text(f.tex, c->models[m]);
                fputs("}\n", f.tex);
            }
        }
        /* the human norm of each dimension: the population with the largest n */
        int human = 0;
        char population[256] = "";
        for (int d = 0; d < N_DIMENSIONS; d++) {
            if (store_bind_text(st, 1, inst) < 0 || store_bind_text(st, 2, dimension_codes[d]) < 0)
                goto fail;
            int rc = sqlite3_step(st);
            if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
                store_step_done(st, rc);    /* a failed look-up is an error, not "no norm" */
                goto fail;
            }
            if (rc == SQLITE_ROW) {
                if (!human && f.tex)
                    fputs("\\addplot+[black, fill=gray!40] coordinates {", f.tex);
                human = 1;
                snprintf(population, sizeof population, "%s", store_col_text(st, 0));
                double mean = sqlite3_column_double(st, 1), sd = sqlite3_column_double(st, 2);
                if (f.tex)
                    fprintf(f.tex, " (%s,%.4f) +- (0,%.4f)", dimension_codes[d], mean, sd);
                if (f.csv) {
                    csv_text(f.csv, inst, 1), csv_text(f.csv, population, 0), csv_text(f.csv, dimension_codes[d], 0);
                    csv_number(f.csv, mean, 0), csv_number(f.csv, sd, 0), csv_number(f.csv, NAN, 0), csv_end(f.csv);
                }
            }
            sqlite3_reset(st);
        }
        if (f.tex) {
            if (human) {
                fputs(" };\n\\addlegendentry{human: ", f.tex);
                latex_text(f.tex, population);
                fputs("}\n", f.tex);
            }
            char caption[512];
            snprintf(caption, sizeof caption, "Per-item scores on %s by model (error bars: sd over subjects)%s.",
                     "this instrument", human ? " and the human norm (error bars: human sd)" : "");
            fputs("\\end{axis}\n\\end{tikzpicture}\n\\caption{", f.tex);
            latex_text(f.tex, inst);
            fprintf(f.tex, ": %s}\n\\end{figure}\n", caption);
        }
    }
    sqlite3_finalize(st);
    return report_close(c, "fig_scores_norms", &f);
fail:
    sqlite3_finalize(st);
    report_close(c, "fig_scores_norms", &f);
    return -1;
}

/* Shares of item scores 1..K per model and dimension, over every instrument and repetition. */
int report_fig_items(struct report_ctx *c)
{
    struct report_files f;
    const struct score_set *set = c->set;
    size_t nm = c->n_models < MAX_SERIES ? c->n_models : MAX_SERIES;
    if (!report_wanted(c, "fig_items") || !set->n_blocks || !nm)
        return 0;
    if (report_open(c, "fig_items", &f) < 0)
        return -1;
    if (f.csv)
        fputs("model,dimension,score,share,n\n", f.csv);
    if (f.tex) {
        fputs("\\begin{figure}[H]\n\\centering\n\\begin{tikzpicture}\n\\begin{groupplot}[group style={group size=5 by 1, "
              "horizontal sep=0.6cm, yticklabels at=edge left}, width=4.2cm, height=5.5cm, ymin=0, "
              "ymax=1, xtick=data, xticklabel style={rotate=60, anchor=east, font=\\tiny}, "
              "legend style={font=\\scriptsize}, legend columns=5, xticklabels={", f.tex);
        for (size_t m = 0; m < nm; m++) {
            fputs(m ? ",{" : "{", f.tex);
            latex_text(f.tex, c->models[m]);
            fputs("}", f.tex);
        }
        fputs("}]\n", f.tex);
    }
    for (int d = 0; d < N_DIMENSIONS; d++) {
        double share[12][MAX_SERIES] = { { 0 } };
        double total[MAX_SERIES] = { 0 };
        for (size_t b = 0; b < set->n_blocks; b++) {
            const struct score_block *blk = &set->blocks[b];
            int k = set->instruments[blk->instrument].n_options;
            if (blk->dimension != d || k != 5)
                continue;              /* one figure, one 1..5 scale */
            for (size_t s = 0; s < set->n_subjects; s++)
                for (size_t m = 0; m < nm; m++)
                    if (strcmp(set->subjects[s].model, c->models[m]) == 0) {
                        size_t T;
                        const double *rows = score_reps(blk, s, &T);
                        for (size_t r = 0; r < T; r++)
                            for (size_t j = 0; j < blk->n_items; j++) {
                                double v = rows[r * blk->n_items + j];
                                if (!isnan(v) && v >= 1 && v <= 5) {
                                    share[(int)v][m]++;
                                    total[m]++;
                                }
                            }
                    }
        }
        if (f.tex)
            fprintf(f.tex, "\\nextgroupplot[ybar stacked, bar width=6pt, title={%s}%s]\n", dimension_codes[d],
                    d ? "" : ", ylabel={share of item scores}");
        for (int o = 1; o <= 5; o++) {
            if (f.tex)
                fputs("\\addplot coordinates {", f.tex);
            for (size_t m = 0; m < nm; m++) {
                double v = total[m] ? share[o][m] / total[m] : 0;
                if (f.tex)
                    fprintf(f.tex, " (%zu,%.4f)", m, v);
                if (f.csv && total[m]) {
                    csv_text(f.csv, c->models[m], 1), csv_text(f.csv, dimension_codes[d], 0);
                    csv_number(f.csv, o, 0), csv_number(f.csv, v, 0), csv_number(f.csv, total[m], 0), csv_end(f.csv);
                }
            }
            if (f.tex) {
                fputs(" };\n", f.tex);
                if (d == N_DIMENSIONS - 1)
                    fprintf(f.tex, "\\addlegendentry{%d}\n", o);
            }
        }
    }
    if (f.tex)
        fputs("\\end{groupplot}\n\\end{tikzpicture}\n\\caption{Distribution of item scores (after reverse keying) per "
              "model and dimension, over every 5-option instrument, temperature and repetition (RealBehavior Fig.~3 "
              "layout).}\n\\label{fig:psyfaith-items}\n\\end{figure}\n", f.tex);
    return report_close(c, "fig_items", &f);
}

int report_fig_crs(struct report_ctx *c)
{
    struct report_files f;
    const struct score_set *set = c->set;
    if (!report_wanted(c, "fig_crs") || !c->in.crs_rows)
        return 0;
    if (report_open(c, "fig_crs", &f) < 0)
        return -1;
    if (f.csv)
        fputs("model,dimension,crs_mean,crs_sd,n\n", f.csv);
    if (f.tex)
        figure_begin(f.tex, "ymin=0, ymax=1.05, ylabel={CrS}");
    double *v = malloc((set->n_subjects + 1) * sizeof *v);
    if (!v) {
        report_close(c, "fig_crs", &f);
        return diag_error("out of memory");
    }
    for (size_t m = 0; m < c->n_models && m < MAX_SERIES; m++) {
        if (f.tex)
            fputs("\\addplot coordinates {", f.tex);
        for (int d = 0; d < N_DIMENSIONS; d++) {
            size_t n = 0;
            for (size_t s = 0; s < set->n_subjects; s++) {
                double x = c->in.crs[s * N_DIMENSIONS + (size_t)d];
                if (strcmp(set->subjects[s].model, c->models[m]) == 0 && !isnan(x))
                    v[n++] = x;
            }
            if (!n)
                continue;
            double mean = gsl_stats_mean(v, 1, n), sd = n > 1 ? gsl_stats_sd(v, 1, n) : 0;
            if (f.tex)
                fprintf(f.tex, " (%s,%.4f) +- (0,%.4f)", dimension_codes[d], mean, sd);
            if (f.csv) {
                csv_text(f.csv, c->models[m], 1), csv_text(f.csv, dimension_codes[d], 0);
                csv_number(f.csv, mean, 0), csv_number(f.csv, sd, 0), csv_number(f.csv, (double)n, 0), csv_end(f.csv);
            }
        }
        if (f.tex) {
            fputs(" };\n\\addlegendentry{", f.tex);
            latex_text(f.tex, c->models[m]);
            fputs("}\n", f.tex);
        }
    }
    free(v);
    if (f.tex)
        figure_end(f.tex, "Criterion scores (share of occasions whose behaviour the classifier labels as showing the "
                          "trait) per model; error bars: sd over the model's subjects (RealBehavior Fig.~5 layout).",
                   "crs");
    return report_close(c, "fig_crs", &f);
}
