/* reports/report_figures.c -- pgfplots figures: scores against human norms (RealBehavior Fig. 6),
 * item-score distributions (Fig. 3) and criterion scores per model (Fig. 5) */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "diag.h"
#include "reports/latex.h"
#include "reports/report.h"
#include "reports/whiskers.h"
#include "store/store.h"

#define MAX_SERIES 12   /* models shown in one figure; the CSV has them all */
#define BAR_WIDTH_PT 5.0
#define BAR_SEP_PT 2.0  /* pgfplots' `ybar` default: the gap between the bars of one x */

static void figure_begin(FILE *tex, const char *extra)
{
    fprintf(tex, "\\begin{figure}[H]\n\\centering\n\\begin{tikzpicture}\n\\begin{axis}[ybar=%gpt, width=0.95\\linewidth, "
                 "height=6cm, symbolic x coords={EXT,AGR,CONS,EMO,OPEN}, xtick=data, bar width=%gpt, "
                 "legend style={font=\\scriptsize, at={(0.5,-0.15)}, anchor=north, legend columns=3}, legend cell align={left}%s%s]\n",
            BAR_SEP_PT, BAR_WIDTH_PT, extra ? ", " : "", extra ? extra : "");
}

/* The sd whiskers of a bar figure, one series per bar series (whiskers.h), written before
 * \end{axis}, when the number of bars per dimension is known, each shifted onto its bars. */
struct bar_whiskers {
    struct whiskers w[MAX_SERIES + 1];      /* the models drawn and the human norm */
    int n;
};

static void bar_whisker(struct bar_whiskers *b, const char *x, double mean, double sd)
{
    if (b->n <= MAX_SERIES)
        whiskers_add(&b->w[b->n], x, mean - sd, mean + sd);
}

static void bar_series_end(struct bar_whiskers *b)
{
    if (b->n <= MAX_SERIES)
        b->n++;
}

/* Writes (when tex) and empties the whiskers; 0, or -1 after printing "out of memory". */
static int bar_whiskers_write(FILE *tex, struct bar_whiskers *b)
{
    int ret = 0;
    for (int k = 0; k <= MAX_SERIES; k++) {
        char style[64];
        snprintf(style, sizeof style, "black, xshift=%.4fpt", whiskers_bar_shift(k, b->n, BAR_WIDTH_PT, BAR_SEP_PT));
        if (tex && k < b->n && whiskers_write(tex, &b->w[k], style) < 0)
            ret = -1;
        whiskers_free(&b->w[k]);
    }
    b->n = 0;
    return ret;
}

/* What a caption must say so that it agrees with the figure: how many of the models are drawn, and
 * which drawn models have no error bar because they have one subject. */
struct shown {
    size_t with_data, drawn;      /* models with data; models drawn (at most MAX_SERIES) */
    size_t single;                /* drawn models with one subject (no sd, no error bar) */
    char single_names[256];       /* the first of them, ", "-separated */
    int conditions;               /* a series is a model in one condition */
};

static void shown_single(struct shown *sh, const char *model)
{
    size_t len = strlen(sh->single_names);
    if (sh->single++ < 3 && len + strlen(model) + 3 < sizeof sh->single_names)
        snprintf(sh->single_names + len, sizeof sh->single_names - len, "%s%s", len ? ", " : "", model);
}

/* The caption's tail for sh: "; the first 12 of 13 models (all are in the CSV)" and "; no error bar for
 * m01: one subject".  The model names are input text, escaped. */
static void caption_shown(FILE *tex, const struct shown *sh)
{
    if (sh->with_data > sh->drawn)
        fprintf(tex, "; the first %zu of %zu %s (all are in the CSV)", sh->drawn, sh->with_data,
                sh->conditions ? "model and condition series" : "models");
    if (sh->single) {
        fputs("; no error bar for ", tex);
        latex_text_max(tex, sh->single_names, SIZE_MAX);
        if (sh->single > 3)
            fprintf(tex, " and %zu more", sh->single - 3);
        fprintf(tex, ": one subject");
    }
}

/* The series name of a model in group g: the model, and ", condition" when the store has conditions. */
static void series_name(const struct report_ctx *c, const char *model, const struct report_group *g, char *buf,
                        size_t size)
{
    snprintf(buf, size, "%s%s%s", model, c->any_condition ? ", " : "",
             !c->any_condition ? "" : g->condition ? g->condition : "baseline");
}

/* Mean and sd over the model's subjects in group g of the per-item score in block b of g's set. */
static size_t model_score(const struct report_ctx *c, const struct report_group *g, const char *model, int b,
                          double *mean, double *sd)
{
    const struct score_set *set = g->set;
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
    if (!report_wanted(c, "fig_scores_norms") || !c->n_blocks)
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
        fputs("instrument,series,dimension,mean,sd,n,condition\n", f.csv);
    struct bar_whiskers bw = { 0 };
    for (size_t i = 0; i < c->n_instruments; i++) {
        const char *inst = c->instruments[i];
        if (f.tex)
            figure_begin(f.tex, "ymin=1, ymax=5.5, ylabel={per-item score}");
        struct shown sh = { 0 };
        sh.conditions = c->any_condition;
        for (size_t m = 0; m < c->n_models; m++)
            for (size_t g = 0; g < c->n_conds; g++) {
                const struct report_group *gr = &c->groups[g];
                double mean, sd;
                int has = 0;
                for (int d = 0; d < N_DIMENSIONS; d++)
                    has |= model_score(c, gr, c->models[m], report_block(gr, inst, d), &mean, &sd) > 0;
                if (!has)
                    continue;              /* this model never answered this instrument (in this condition) */
                int drawn = sh.with_data++ < MAX_SERIES, one = 0;    /* the CSV has every model */
                sh.drawn += drawn;
                if (f.tex && drawn)
                    fputs("\\addplot coordinates {", f.tex);
                for (int d = 0; d < N_DIMENSIONS; d++) {
                    size_t n = model_score(c, gr, c->models[m], report_block(gr, inst, d), &mean, &sd);
                    if (!n)
                        continue;
                    one |= n == 1;
                    if (f.tex && drawn) {
                        fprintf(f.tex, " (%s,%.4f)", dimension_codes[d], mean);
                        bar_whisker(&bw, dimension_codes[d], mean, sd);
                    }
                    if (f.csv) {
                        csv_text(f.csv, inst, 1), csv_text(f.csv, c->models[m], 0), csv_text(f.csv, dimension_codes[d], 0);
                        csv_number(f.csv, mean, 0), csv_number(f.csv, sd, 0), csv_number(f.csv, (double)n, 0);
                        csv_text(f.csv, gr->condition, 0), csv_end(f.csv);
                    }
                }
                if (f.tex && drawn) {
                    fputs(" };\n\\addlegendentry{", f.tex);
                    report_latex_model(f.tex, c, c->models[m], gr);
                    fputs("}\n", f.tex);
                    bar_series_end(&bw);
                }
                if (drawn && one) {
                    char name[256];
                    series_name(c, c->models[m], gr, name, sizeof name);
                    shown_single(&sh, name);
                }
            }
        /* the human norm of each dimension: the population with the largest n, which may differ
         * between dimensions: the legend and caption name each one */
        int human = 0;
        char population[256] = "", pops[N_DIMENSIONS][256];
        memset(pops, 0, sizeof pops);
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
                snprintf(pops[d], sizeof pops[d], "%s", population);
                double mean = sqlite3_column_double(st, 1), sd = sqlite3_column_double(st, 2);
                if (f.tex) {
                    fprintf(f.tex, " (%s,%.4f)", dimension_codes[d], mean);
                    bar_whisker(&bw, dimension_codes[d], mean, sd);
                }
                if (f.csv) {
                    csv_text(f.csv, inst, 1), csv_text(f.csv, population, 0), csv_text(f.csv, dimension_codes[d], 0);
                    csv_number(f.csv, mean, 0), csv_number(f.csv, sd, 0), csv_number(f.csv, NAN, 0);
                    csv_text(f.csv, NULL, 0), csv_end(f.csv);
                }
            }
            sqlite3_reset(st);
        }
        if (f.tex) {
            int same = 1;
            for (int d = 0; d < N_DIMENSIONS; d++)
                same &= !pops[d][0] || strcmp(pops[d], population) == 0;
            if (human) {
                fputs(" };\n\\addlegendentry{human", f.tex);
                if (same) {
                    fputs(": ", f.tex);
                    latex_text(f.tex, population);
                } else
                    fputs(" norms (see the caption)", f.tex);
                fputs("}\n", f.tex);
                bar_series_end(&bw);
            }
            if (bar_whiskers_write(f.tex, &bw) < 0)
                goto fail;
            fputs("\\end{axis}\n\\end{tikzpicture}\n\\caption{", f.tex);
            latex_text_max(f.tex, inst, SIZE_MAX);
            fputs(c->any_condition ? ": per-item scores by model and condition (error bars: sd over subjects)"
                                   : ": per-item scores by model (error bars: sd over subjects)", f.tex);
            if (human && same) {
                fputs(" and the human norm of ", f.tex);
                latex_text_max(f.tex, population, SIZE_MAX);
                fputs(" (error bars: human sd)", f.tex);
            } else if (human) {
                /* each population once, with the dimensions it gives the norm of */
                fputs(" and human norms (error bars: human sd) of", f.tex);
                int first = 1;
                for (int d = 0; d < N_DIMENSIONS; d++) {
                    int seen = !pops[d][0];
                    for (int e = 0; e < d && !seen; e++)
                        seen = strcmp(pops[e], pops[d]) == 0;
                    if (seen)
                        continue;
                    fputs(first ? " " : "; ", f.tex);
                    first = 0;
                    for (int e = d, k = 0; e < N_DIMENSIONS; e++)
                        if (strcmp(pops[e], pops[d]) == 0)
                            fprintf(f.tex, "%s%s", k++ ? ", " : "", dimension_codes[e]);
                    fputs(": ", f.tex);
                    latex_text_max(f.tex, pops[d], SIZE_MAX);
                }
            }
            caption_shown(f.tex, &sh);
            fputs(".}\n\\end{figure}\n", f.tex);
        }
    }
    sqlite3_finalize(st);
    return report_close(c, "fig_scores_norms", &f);
fail:
    bar_whiskers_write(NULL, &bw);
    sqlite3_finalize(st);
    report_close(c, "fig_scores_norms", &f);
    return -1;
}

/* The series of the per-model figures: a model in a group (condition) where it has a subject, models
 * in subject order, conditions baseline first.  *n of them in *m and *g; 0 / -1. */
static int series_list(const struct report_ctx *c, size_t **m, const struct report_group ***g, size_t *n)
{
    *n = 0;
    *m = malloc((c->n_models * c->n_conds + 1) * sizeof **m);
    *g = malloc((c->n_models * c->n_conds + 1) * sizeof **g);
    if (!*m || !*g) {
        free(*m);
        free(*g);
        return diag_error("out of memory");
    }
    for (size_t k = 0; k < c->n_models; k++)
        for (size_t j = 0; j < c->n_conds; j++)
            if (report_group_has_model(&c->groups[j], c->models[k])) {
                (*m)[*n] = k;
                (*g)[(*n)++] = &c->groups[j];
            }
    return 0;
}

/* Shares of item scores 1..K per model (and condition) and dimension, over every instrument and
 * repetition. */
int report_fig_items(struct report_ctx *c)
{
    struct report_files f;
    size_t *sm, ns;
    const struct report_group **sg;
    if (!report_wanted(c, "fig_items") || !c->n_blocks || !c->n_models)
        return 0;
    if (series_list(c, &sm, &sg, &ns) < 0)
        return -1;
    size_t nm = ns < MAX_SERIES ? ns : MAX_SERIES;   /* drawn; the CSV has all */
    double *share = calloc(6 * ns + 1, sizeof *share), *total = calloc(ns + 1, sizeof *total);
    if (!share || !total) {
        free(share);
        free(total);
        free(sm);
        free(sg);
        return diag_error("out of memory");
    }
    if (report_open(c, "fig_items", &f) < 0) {
        free(share);
        free(total);
        free(sm);
        free(sg);
        return -1;
    }
    if (f.csv)
        fputs("model,dimension,score,share,n,condition\n", f.csv);
    if (f.tex) {
        fputs("\\begin{figure}[H]\n\\centering\n\\begin{tikzpicture}\n\\begin{groupplot}[group style={group size=5 by 1, "
              "horizontal sep=0.6cm, yticklabels at=edge left}, width=4.2cm, height=5.5cm, ymin=0, "
              "ymax=1, xtick=data, xticklabel style={rotate=60, anchor=east, font=\\tiny}, "
              "legend style={font=\\scriptsize}, legend columns=5, xticklabels={", f.tex);
        for (size_t k = 0; k < nm; k++) {
            fputs(k ? ",{" : "{", f.tex);
            report_latex_model(f.tex, c, c->models[sm[k]], sg[k]);
            fputs("}", f.tex);
        }
        fputs("}]\n", f.tex);
    }
    for (int d = 0; d < N_DIMENSIONS; d++) {
        memset(share, 0, 6 * ns * sizeof *share);
        memset(total, 0, ns * sizeof *total);
        for (size_t k = 0; k < ns; k++) {
            const struct score_set *set = sg[k]->set;
            const char *model = c->models[sm[k]];
            for (size_t b = 0; b < set->n_blocks; b++) {
                const struct score_block *blk = &set->blocks[b];
                int opts = set->instruments[blk->instrument].n_options;
                if (blk->dimension != d || opts != 5)
                    continue;              /* one figure, one 1..5 scale */
                for (size_t s = 0; s < set->n_subjects; s++) {
                    if (strcmp(set->subjects[s].model, model) != 0)
                        continue;
                    size_t T;
                    const double *rows = score_reps(blk, s, &T);
                    for (size_t r = 0; r < T; r++)
                        for (size_t j = 0; j < blk->n_items; j++) {
                            double v = rows[r * blk->n_items + j];
                            if (!isnan(v) && v >= 1 && v <= 5) {
                                share[(size_t)v * ns + k]++;
                                total[k]++;
                            }
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
            for (size_t k = 0; k < ns; k++) {
                double v = total[k] ? share[(size_t)o * ns + k] / total[k] : 0;
                if (f.tex && k < nm)
                    fprintf(f.tex, " (%zu,%.4f)", k, v);
                if (f.csv && total[k]) {
                    csv_text(f.csv, c->models[sm[k]], 1), csv_text(f.csv, dimension_codes[d], 0);
                    csv_number(f.csv, o, 0), csv_number(f.csv, v, 0), csv_number(f.csv, total[k], 0);
                    csv_text(f.csv, sg[k]->condition, 0), csv_end(f.csv);
                }
            }
            if (f.tex) {
                fputs(" };\n", f.tex);
                if (d == N_DIMENSIONS - 1)
                    fprintf(f.tex, "\\addlegendentry{%d}\n", o);
            }
        }
    }
    free(share);
    free(total);
    free(sm);
    free(sg);
    if (f.tex) {
        struct shown sh = { ns, nm, 0, "", c->any_condition };
        fprintf(f.tex, "\\end{groupplot}\n\\end{tikzpicture}\n\\caption{Distribution of item scores (after reverse keying) per "
                "model%s and dimension, over every 5-option instrument, temperature and repetition (RealBehavior Fig.~3 "
                "layout)", c->any_condition ? " and condition" : "");
        caption_shown(f.tex, &sh);
        fputs(".}\n\\label{fig:psyfaith-items}\n\\end{figure}\n", f.tex);
    }
    return report_close(c, "fig_items", &f);
}

int report_fig_crs(struct report_ctx *c)
{
    struct report_files f;
    size_t crs_rows = 0;
    for (size_t g = 0; g < c->n_conds; g++)
        crs_rows += c->groups[g].in.crs_rows;
    if (!report_wanted(c, "fig_crs") || !crs_rows)
        return 0;
    if (report_open(c, "fig_crs", &f) < 0)
        return -1;
    if (f.csv)
        fputs("model,dimension,crs_mean,crs_sd,n,condition\n", f.csv);
    if (f.tex)
        figure_begin(f.tex, "ymin=0, ymax=1.05, ylabel={CrS}");
    double *v = malloc((c->max_subjects + 1) * sizeof *v);
    if (!v) {
        report_close(c, "fig_crs", &f);
        return diag_error("out of memory");
    }
    struct shown sh = { 0 };
    struct bar_whiskers bw = { 0 };
    sh.conditions = c->any_condition;
    int methods = 0;              /* 1 label, 2 prob: what the caption calls the CrS */
    for (size_t m = 0; m < c->n_models; m++)
        for (size_t g = 0; g < c->n_conds; g++) {
            const struct report_group *gr = &c->groups[g];
            const struct score_set *set = gr->set;
            const struct faith_inputs *in = &gr->in;
            int has = 0, one = 0;
            for (size_t s = 0; in->crs_rows && s < set->n_subjects && !has; s++)
                for (int d = 0; d < N_DIMENSIONS && !has; d++)
                    has = strcmp(set->subjects[s].model, c->models[m]) == 0 && !isnan(in->crs[s * N_DIMENSIONS + (size_t)d]);
            if (!has)
                continue;
            int drawn = sh.with_data++ < MAX_SERIES;     /* the CSV has every model */
            sh.drawn += drawn;
            if (f.tex && drawn)
                fputs("\\addplot coordinates {", f.tex);
            for (int d = 0; d < N_DIMENSIONS; d++) {
                size_t n = 0;
                for (size_t s = 0; s < set->n_subjects; s++) {
                    double x = in->crs[s * N_DIMENSIONS + (size_t)d];
                    if (strcmp(set->subjects[s].model, c->models[m]) == 0 && !isnan(x)) {
                        v[n++] = x;
                        if (drawn)
                            methods |= in->crs_method[s * N_DIMENSIONS + (size_t)d];
                    }
                }
                if (!n)
                    continue;
                one |= n == 1;
                double mean = gsl_stats_mean(v, 1, n), sd = n > 1 ? gsl_stats_sd(v, 1, n) : 0;
                if (f.tex && drawn) {
                    fprintf(f.tex, " (%s,%.4f)", dimension_codes[d], mean);
                    bar_whisker(&bw, dimension_codes[d], mean, sd);
                }
                if (f.csv) {
                    csv_text(f.csv, c->models[m], 1), csv_text(f.csv, dimension_codes[d], 0);
                    csv_number(f.csv, mean, 0), csv_number(f.csv, sd, 0), csv_number(f.csv, (double)n, 0);
                    csv_text(f.csv, gr->condition, 0), csv_end(f.csv);
                }
            }
            if (f.tex && drawn) {
                fputs(" };\n\\addlegendentry{", f.tex);
                report_latex_model(f.tex, c, c->models[m], gr);
                fputs("}\n", f.tex);
                bar_series_end(&bw);
            }
            if (drawn && one) {
                char name[256];
                series_name(c, c->models[m], gr, name, sizeof name);
                shown_single(&sh, name);
            }
        }
    free(v);
    if (bar_whiskers_write(f.tex, &bw) < 0) {
        report_close(c, "fig_crs", &f);
        return -1;
    }
    if (f.tex) {
        /* the CrS is what classify apply --crs made of it: a share of labels or a mean probability */
        const char *what = methods == 2 ? "the mean predicted probability that an occasion's behaviour shows the trait"
                         : methods == 3 ? "the share of occasions labelled as showing the trait for some subjects, the "
                                          "mean predicted probability for others (classify apply --crs)"
                                        : "the share of occasions whose behaviour the classifier labels as showing the trait";
        fprintf(f.tex, "\\end{axis}\n\\end{tikzpicture}\n\\caption{Criterion scores (%s) per model%s; error bars: sd "
                       "over the model's subjects (RealBehavior Fig.~5 layout)", what,
                c->any_condition ? " and condition" : "");
        caption_shown(f.tex, &sh);
        fputs(".}\n\\label{fig:psyfaith-crs}\n\\end{figure}\n", f.tex);
    }
    return report_close(c, "fig_crs", &f);
}
