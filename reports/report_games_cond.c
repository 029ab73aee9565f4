/* reports/report_games_cond.c -- the games parts of `psyfaith report` about experimental conditions
 * (issue 13) and about what was left out:
 *   games_conditions    every condition's Milgram obedience and final level, and its Ultimatum
 *                       logit, against the baseline (no condition) of the same model and persona;
 *                       written when the store has records with a condition;
 *   games_not_analysed  every trial or run that no analysis used, and every condition cell that
 *                       could not be compared, with the reason and the count; written whenever
 *                       the store has games records.
 * The rows are those of `psyfaith games` (metrics/games_me.c, games_ug.c, games_ug_cond.c); the
 * other games parts show the baseline condition's rows only (report_games.c splits them). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reports/report_games_int.h"

/* "AGR max" or "no persona" */
static void persona_cell(FILE *tex, const struct games_row *x)
{
    if (x->trait)
        fprintf(tex, "%s %s", x->trait, x->level ? x->level : "");
    else
        fputs("no persona", tex);
}

static void condition_cell(FILE *tex, const char *condition)
{
    if (condition)
        latex_text(tex, condition);
    else
        fputs("\\emph{baseline}", tex);
}

static void model_heading(struct tab *tb, const char *model, int cols, int *first)
{
    if (!rg_tab_line(tb) && !*first)
        fputs("\\midrule\n", tb->tex);
    fprintf(tb->tex, "\\multicolumn{%d}{l}{\\textbf{", cols);
    rg_latex_model(tb->tex, model);
    fputs("}} \\\\\n", tb->tex);
    *first = 0;
}

/* " [lo, hi]" */
static void ci_cell(FILE *tex, const struct games_row *x, int d)
{
    fputs(" [", tex);
    latex_num(tex, x->ci_low, d, 0, NULL);
    fputs(", ", tex);
    latex_num(tex, x->ci_high, d, 0, NULL);
    fputs("]", tex);
}

static const struct games_row *find_cond(const struct games_rows *r, const char *analysis, const struct games_row *x,
                                         const char *term)
{
    for (size_t i = 0; i < r->len; i++) {
        const struct games_row *y = &r->v[i];
        if (same(y->analysis, analysis) && same(y->term, term) && same(y->model, x->model) &&
            same(y->condition, x->condition) && same(y->trait, x->trait) && same(y->level, x->level) &&
            same(y->offer, NULL))
            return y;
    }
    return NULL;
}

static void milgram_table(FILE *tex, const struct games_data *g, int d, struct footnotes *fn)
{
    struct tab tb = { tex, "\\small",
                      "Milgram experiment by condition: the share of kept runs that reached their last level "
                      "(obedience, Wilson 95\\,\\% interval) and the mean final level, each condition against the "
                      "baseline (no condition) of the same model and persona.",
                      "Milgram experiment by condition", "games_conditions_milgram", "llrrlrl",
                      "Condition & Persona & Kept & Obedience & vs baseline & Final level & vs baseline \\\\\n", 0,
                      0 };
    rg_tab_open(&tb);
    int first = 1;
    for (size_t k = 0; k < g->n_models; k++) {
        int heading = 0;
        for (int set = 0; set < 2; set++) {
            const struct games_rows *r = set == 0 ? &g->me : &g->me_cond;
            for (size_t i = 0; i < r->len; i++) {
                const struct games_row *x = &r->v[i];
                if (!same(x->analysis, "me_obedience") || !same(x->model, g->models[k]))
                    continue;
                if (!heading) {
                    model_heading(&tb, g->models[k], 7, &first);
                    heading = 1;
                } else if (rg_tab_line(&tb)) {
                    fputs("\\multicolumn{7}{l}{\\textbf{", tex);
                    rg_latex_model(tex, g->models[k]);
                    fputs("} (continued)} \\\\\n", tex);
                }
                const struct games_row *mean = find_cond(r, "me_summary", x, "mean_final_level"),
                                       *od = find_cond(r, "me_condition", x, "obedience_difference"),
                                       *md = find_cond(r, "me_condition", x, "mean_final_difference"),
                                       *nb = find_cond(r, "me_condition", x, "no_baseline");
                fputs("\\quad ", tex);
                condition_cell(tex, x->condition);
                fputs(" & ", tex);
                persona_cell(tex, x);
                fprintf(tex, " & %ld & ", x->n);
                latex_num(tex, x->value, d, 0, isnan(x->value) ? footnote_mark(fn, "every run filtered") : NULL);
                if (!isnan(x->value))
                    ci_cell(tex, x, d);
                fputs(" & ", tex);
                if (!x->condition) {
                    /* the baseline itself: nothing to compare */
                } else if (od && !isnan(od->value)) {
                    latex_num(tex, od->value, d, 0, NULL);
                    ci_cell(tex, od, d);
                    fputs(" ", tex);
                    rg_latex_p(tex, od->p_value, d);
                } else {
                    latex_num(tex, NAN, 0, 0,
                              footnote_mark(fn, x->n == 0 ? "not compared: every run filtered"
                                                : nb      ? "not compared: no baseline runs of this model and persona"
                                                : od && od->note ? od->note
                                                                 : "not compared"));
                }
                fputs(" & ", tex);
                latex_num(tex, mean ? mean->value : NAN, d, 0,
                          mean && !isnan(mean->value) ? NULL : footnote_mark(fn, "no mean: every run filtered"));
                fputs(" & ", tex);
                if (x->condition && md && !isnan(md->value)) {
                    latex_num(tex, md->value, d, 0, NULL);
                    fputs(" (", tex);
                    rg_latex_p(tex, md->p_value, d);
                    fputs(")", tex);
                } else if (x->condition && !nb && od) {
                    const struct games_row *wt = find_cond(r, "me_condition", x, "welch_t");
                    latex_num(tex, NAN, 0, 0, footnote_mark(fn, wt && wt->note ? wt->note : "no Welch test"));
                }
                fputs(" \\\\\n", tex);
            }
        }
    }
    fputs("\\bottomrule\n\\end{tabular}\n\\par\\smallskip\\footnotesize\\raggedright\nKept: runs not filtered out. "
          "Obedience vs baseline: difference of the rates with Newcombe's hybrid score 95\\,\\% interval and the $p$ "
          "of Fisher's exact test; final level vs baseline: difference of the means with the $p$ of Welch's $t$ test "
          "(R \\texttt{prop.test(correct = FALSE)}, \\texttt{fisher.test}, \\texttt{t.test}).\n",
          tex);
    footnotes_write(tex, fn);
    fputs("\\end{table}\n", tex);
}

static void ultimatum_table(FILE *tex, const struct games_data *g, int d, struct footnotes *fn)
{
    struct tab tb = { tex, "\\small",
                      "Ultimatum Game by condition: the log odds ratio of acceptance in each condition against the "
                      "baseline (no condition) of the same model and persona, at the same offer "
                      "(\\texttt{glm(accept \\textasciitilde{} o + cond, binomial)}, Wald 95\\,\\% interval).",
                      "Ultimatum Game by condition", "games_conditions_ultimatum", "llrrl",
                      "Condition & Persona & Trials & Log odds ratio & $p$ \\\\\n", 0, 0 };
    rg_tab_open(&tb);
    int first = 1;
    for (size_t k = 0; k < g->n_models; k++) {
        int heading = 0;
        for (size_t i = 0; i < g->ug_cond.len; i++) {
            const struct games_row *x = &g->ug_cond.v[i];
            if (!same(x->analysis, "ug_condition") || !same(x->model, g->models[k]) ||
                !(same(x->term, "condition") || same(x->term, "no_baseline")))
                continue;
            if (!heading) {
                model_heading(&tb, g->models[k], 5, &first);
                heading = 1;
            } else if (rg_tab_line(&tb)) {
                fputs("\\multicolumn{5}{l}{\\textbf{", tex);
                rg_latex_model(tex, g->models[k]);
                fputs("} (continued)} \\\\\n", tex);
            }
            fputs("\\quad ", tex);
            condition_cell(tex, x->condition);
            fputs(" & ", tex);
            persona_cell(tex, x);
            fprintf(tex, " & %ld & ", x->n);
            if (!isnan(x->value)) {
                latex_num(tex, x->value, d, 0, NULL);
                ci_cell(tex, x, d);
                fputs(" & ", tex);
                rg_latex_p(tex, x->p_value, d);
            } else {
                latex_num(tex, NAN, 0, 0,
                          footnote_mark(fn, same(x->term, "no_baseline")
                                                ? "not compared: no baseline trials of this model and persona"
                                                : "not estimable (see games_conditions.csv)"));
                fputs(" & ", tex);
            }
            fputs(" \\\\\n", tex);
        }
    }
    fputs("\\bottomrule\n\\end{tabular}\n\\par\\smallskip\\footnotesize\\raggedright\nTrials: the condition's "
          "trials with a parsed answer plus the baseline's (or the condition's alone when it has no baseline). "
          "Acceptance by offer for every condition is in games\\_conditions.csv (analysis ug\\_acceptance).\n",
          tex);
    footnotes_write(tex, fn);
    fputs("\\end{table}\n", tex);
}

int rg_part_conditions(struct report_ctx *c, const struct games_data *g)
{
    struct report_files f;
    struct footnotes fn = { 0 }, fn2 = { 0 };
    static const char *const analyses[] = { "me_obedience", "me_summary", "me_condition", "ug_acceptance",
                                            "ug_condition" };
    if (g->me_cond.len == 0 && g->ug_cond.len == 0)
        return 0;
    if (report_open(c, "games_conditions", &f) < 0)
        return -1;
    rg_csv_header(f.csv);
    for (size_t a = 0; a < sizeof analyses / sizeof analyses[0]; a++) {
        if (a < 3)
            rg_csv_rows(f.csv, &g->me, analyses[a], NULL);
        rg_csv_rows(f.csv, a < 3 ? &g->me_cond : &g->ug_cond, analyses[a], NULL);
    }
    if (f.tex) {
        fputs("% The other games tables and figures show the trials without a condition (the baseline) only.\n",
              f.tex);
        if (rg_has_analysis(&g->me_cond, "me_obedience"))
            milgram_table(f.tex, g, c->opt->digits, &fn);
        if (rg_has_analysis(&g->ug_cond, "ug_condition"))
            ultimatum_table(f.tex, g, c->opt->digits, &fn2);
    }
    footnotes_write(NULL, &fn);
    footnotes_write(NULL, &fn2);
    return report_close(c, "games_conditions", &f);
}

/* ---------- what was not analysed ---------- */

struct left_out {
    const char *analysis, *term, *experiment, *reason;
};
static const struct left_out left_out[] = {
    { "ug_status", "ambiguous", "Ultimatum", "answer ambiguous (not parsed to accept or reject)" },
    { "ug_status", "refusal", "Ultimatum", "answer a refusal" },
    { "ug_status", "unparsed", "Ultimatum", "answer not parsed to accept or reject" },
    { "ug_status", "unplaced", "Ultimatum", "a trait without a usable level, or a level without a trait" },
    { "ug_status", "persona_without_trait", "Ultimatum", "persona names no trait (not a condition)" },
    { "ug_condition", "no_baseline", "Ultimatum", "analysed, but not compared: no baseline of the same model "
                                                  "and persona" },
    { "me_summary", "filtered_runs", "Milgram", "run filtered out by the experimenters" },
    { "me_summary", "unplaced_runs", "Milgram", "a trait without a usable level, or a level without a trait" },
    { "me_summary", "persona_without_trait_runs", "Milgram", "persona names no trait (not a condition)" },
    { "me_condition", "no_baseline", "Milgram", "kept, but not compared with a baseline" },
};

/* The count a left-out row stands for: its value, or n for a "not compared" row. */
static double left_count(const struct games_row *x)
{
    return same(x->term, "no_baseline") ? (double)x->n : x->value;
}

int rg_part_not_analysed(struct report_ctx *c, const struct games_data *g)
{
    struct report_files f;
    const struct games_rows *sets[4] = { &g->ug, &g->ug_cond, &g->me, &g->me_cond };
    size_t lines = 0;
    if (g->ug.len + g->ug_cond.len + g->me.len + g->me_cond.len == 0)
        return 0;
    if (report_open(c, "games_not_analysed", &f) < 0)
        return -1;
    rg_csv_header(f.csv);
    struct tab tb = { f.tex, "\\small",
                      "Games: every trial or run that no analysis used, and every condition that could not be "
                      "compared with a baseline, with the reason and the count.",
                      "Games: what was not analysed", "games_not_analysed", "lllp{0.42\\linewidth}r",
                      "Experiment & Model & Condition & Reason & Count \\\\\n", 0, 0 };
    if (f.tex)
        rg_tab_open(&tb);
    for (size_t s = 0; s < 4; s++) {
        const struct games_rows *r = sets[s];
        for (size_t i = 0; i < r->len; i++) {
            const struct games_row *x = &r->v[i];
            for (size_t k = 0; k < sizeof left_out / sizeof left_out[0]; k++) {
                const struct left_out *lo = &left_out[k];
                double n;
                if (!same(x->analysis, lo->analysis) || !same(x->term, lo->term) || !((n = left_count(x)) > 0))
                    continue;
                rg_csv_row(f.csv, x);
                lines++;
                if (!f.tex)
                    continue;
                rg_tab_line(&tb);
                fprintf(f.tex, "%s & ", lo->experiment);
                rg_latex_model(f.tex, x->model);
                fputs(" & ", f.tex);
                condition_cell(f.tex, x->condition);
                if (x->trait)
                    fprintf(f.tex, ", %s %s", x->trait, x->level ? x->level : "");
                fputs(" & ", f.tex);
                latex_text(f.tex, lo->reason);
                fprintf(f.tex, " & %.0f \\\\\n", n);
            }
        }
    }
    if (f.tex) {
        if (lines == 0)
            fputs("\\multicolumn{5}{l}{Every trial and run was analysed.} \\\\\n", f.tex);
        fputs("\\bottomrule\n\\end{tabular}\n\\end{table}\n", f.tex);
    }
    return report_close(c, "games_not_analysed", &f);
}
