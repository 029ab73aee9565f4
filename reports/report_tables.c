/* reports/report_tables.c -- the report's tables: RealBehavior's Table 2 (faithfulness), Table 3
 * (scores), Table 1 (classifier), and the norms and diagnostics tables, each also as tidy CSV.
 * This file: the shared table frame (report_tables_int.h), Tables 2 and 3 and the norms table;
 * the diagnostics, classifier and provenance tables are in report_tables_data.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "diag.h"
#include "reports/latex.h"
#include "reports/report.h"
#include "reports/report_tables_int.h"
#include "store/store.h"

const char *const report_dim_header = "& EXT & AGR & CONS & EMO & OPEN \\\\\n";

void report_table_begin(FILE *tex, const char *caption, const char *label, const char *cols)
{
    if (!tex)
        return;
    fprintf(tex, "\\begin{table}[H]\n\\centering\\small\n\\caption{%s}\n\\label{tab:psyfaith-%s}\n"
                 "\\begin{tabular}{%s}\n\\toprule\n", caption, label, cols);
}

void report_table_end(FILE *tex, struct footnotes *fn, const char *note)
{
    if (!tex) {
        footnotes_write(NULL, fn);
        return;
    }
    fputs("\\bottomrule\n\\end{tabular}\n", tex);
    if (note || fn->n) {
        fputs("\\par\\smallskip\\footnotesize\n", tex);
        if (note)
            fprintf(tex, "%s\n", note);
        footnotes_write(tex, fn);
    }
    fputs("\\end{table}\n", tex);
}

/* The faith row of (metric, instrument, instrument_b, dimension) of group g, or NULL. */
static const struct faith_row *find_row(const struct report_group *g, const char *metric, const char *inst,
                                        const char *inst_b, const char *dim)
{
    for (size_t i = 0; i < g->table.n; i++) {
        const struct faith_row *r = &g->table.rows[i];
        if (strcmp(r->metric, metric) == 0 && r->instrument && strcmp(r->instrument, inst) == 0 &&
            (!inst_b || (r->instrument_b && strcmp(r->instrument_b, inst_b) == 0)) &&
            r->dimension && strcmp(r->dimension, dim) == 0 && !r->item)
            return r;
    }
    return NULL;
}

/* One Table 2 row of group g: a label with its subscript, then a value per dimension. */
static void faith_line(struct report_ctx *c, const struct report_group *g, struct report_files *f,
                       struct footnotes *fn, const char *metric, const char *label, const char *inst,
                       const char *inst_b)
{
    int any = 0;
    for (int d = 0; d < N_DIMENSIONS; d++)
        any |= find_row(g, metric, inst, inst_b, dimension_codes[d]) != NULL;
    if (!any)
        return;
    if (f->tex) {
        fprintf(f->tex, "%s\\textsubscript{", label);
        latex_text(f->tex, inst);
        if (inst_b) {
            fputs(",", f->tex);
            latex_text(f->tex, inst_b);
        }
        fputs("}", f->tex);
    }
    for (int d = 0; d < N_DIMENSIONS; d++) {
        const struct faith_row *r = find_row(g, metric, inst, inst_b, dimension_codes[d]);
        double v = r ? r->value : NAN;
        int bold = r && r->verdict == FAITH_UNFAITHFUL;
        const char *mark = isnan(v) ? footnote_mark(fn, r ? r->note : "no data for this dimension") : NULL;
        if (f->tex) {
            fputs(" & ", f->tex);
            latex_num(f->tex, v, c->opt->digits, bold, mark);
        }
        if (f->csv && r) {
            csv_text(f->csv, label, 1);
            csv_text(f->csv, inst, 0);
            csv_text(f->csv, inst_b, 0);
            csv_text(f->csv, dimension_codes[d], 0);
            csv_number(f->csv, v, 0);
            csv_number(f->csv, r->ci_low, 0);
            csv_number(f->csv, r->ci_high, 0);
            csv_text(f->csv, bold ? "yes" : "no", 0);
            csv_text(f->csv, r->note, 0);
            csv_text(f->csv, g->condition, 0);
            csv_end(f->csv);
        }
    }
    if (f->tex)
        fputs(" \\\\\n", f->tex);
}

/* The Faithful row of an instrument: metrics --summary's verdict per dimension (faith_summarize, the
 * definition audit's gate uses too), its reason a footnote where it is not yes. */
static void faithful_line(const struct report_group *g, struct report_files *f, struct footnotes *fn,
                          const struct faith_summary *sum, size_t n_sum, const char *inst)
{
    const struct faith_summary *v[N_DIMENSIONS] = { NULL };
    int any = 0;
    for (size_t i = 0; i < n_sum; i++)
        for (int d = 0; d < N_DIMENSIONS; d++)
            if (strcmp(sum[i].instrument, inst) == 0 && strcmp(sum[i].dimension, dimension_codes[d]) == 0)
                v[d] = &sum[i], any = 1;
    if (!any)
        return;
    if (f->tex) {
        fputs("Faithful\\textsubscript{", f->tex);
        latex_text(f->tex, inst);
        fputs("}", f->tex);
    }
    for (int d = 0; d < N_DIMENSIONS; d++) {
        const struct faith_summary *s = v[d];
        const char *word = !s ? "--" : s->faithful > 0 ? "yes" : s->faithful == 0 ? "no" : "?";
        const char *mark = !s ? footnote_mark(fn, "no data for this dimension")
                              : s->faithful > 0 ? NULL : footnote_mark(fn, s->reason);
        if (f->tex) {
            fprintf(f->tex, " & %s", word);
            if (mark)
                fprintf(f->tex, "\\textsuperscript{%s}", mark);
        }
        if (f->csv && s) {
            csv_text(f->csv, "Faithful", 1);
            csv_text(f->csv, inst, 0);
            csv_text(f->csv, NULL, 0);
            csv_text(f->csv, dimension_codes[d], 0);
            csv_number(f->csv, NAN, 0);
            csv_number(f->csv, NAN, 0);
            csv_number(f->csv, NAN, 0);
            csv_text(f->csv, s->faithful > 0 ? "no" : s->faithful == 0 ? "yes" : "unknown", 0);
            csv_text(f->csv, s->reason, 0);
            csv_text(f->csv, g->condition, 0);
            csv_end(f->csv);
        }
    }
    if (f->tex)
        fputs(" \\\\\n", f->tex);
}

/* Human alpha of an instrument and dimension from the norm table, the first population that has one. */
static int human_alpha(struct report_ctx *c, const char *inst, const char *dim, double *alpha, char **pop)
{
    sqlite3_stmt *st = store_prepare(c->db, "SELECT alpha, population FROM norm WHERE instrument = ?1 AND "
                                            "dimension = ?2 AND alpha IS NOT NULL ORDER BY id LIMIT 1");
    int found = 0;
    if (!st)
        return -1;
    int rc = -1;
    if (store_bind_text(st, 1, inst) == 0 && store_bind_text(st, 2, dim) == 0 &&
        (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *p = store_col_text(st, 1);
        *alpha = sqlite3_column_double(st, 0);
        if (!p || !(*pop = strdup(p)))
            found = diag_error("out of memory");
        else
            found = 1;
    } else if (rc != SQLITE_DONE) {
        if (rc != -1)
            store_step_done(st, rc);
        found = -1;
    }
    sqlite3_finalize(st);
    return found;
}

/* The human alphas of an instrument, from the loaded norms: a CSV row each (with g's condition,
 * beside whose InC they stand) and a LaTeX row.  0 / -1. */
static int human_line(struct report_ctx *c, const struct report_group *g, struct report_files *f,
                      struct footnotes *fn, const char *inst)
{
    double alpha[N_DIMENSIONS];
    int any = 0;
    for (int d = 0; d < N_DIMENSIONS; d++) {
        char *pop = NULL;
        alpha[d] = NAN;
        int found = human_alpha(c, inst, dimension_codes[d], &alpha[d], &pop);
        if (found < 0)
            return -1;
        if (found > 0) {
            any = 1;
            if (f->csv) {
                csv_text(f->csv, "Human InC", 1);
                csv_text(f->csv, inst, 0);
                csv_text(f->csv, pop, 0);
                csv_text(f->csv, dimension_codes[d], 0);
                csv_number(f->csv, alpha[d], 0);
                csv_number(f->csv, NAN, 0);
                csv_number(f->csv, NAN, 0);
                csv_text(f->csv, "no", 0);
                csv_text(f->csv, "human norm", 0);
                csv_text(f->csv, g->condition, 0);
                csv_end(f->csv);
            }
        }
        free(pop);
    }
    if (any && f->tex) {
        fputs("Human InC\\textsubscript{", f->tex);
        latex_text(f->tex, inst);
        fputs("}", f->tex);
        for (int d = 0; d < N_DIMENSIONS; d++) {
            fputs(" & ", f->tex);
            latex_num(f->tex, alpha[d], c->opt->digits, 0,
                      isnan(alpha[d]) ? footnote_mark(fn, "no human alpha loaded for this dimension") : NULL);
        }
        fputs(" \\\\\n", f->tex);
    }
    return 0;
}

/* Table 2's rows of group g: TrC, InC with the human alphas, ExC, BC, then the Faithful rows.  0 / -1. */
static int faith_group(struct report_ctx *c, const struct report_group *g, struct report_files *f,
                       struct footnotes *fn)
{
    const struct score_set *set = g->set;
    struct faith_summary *sum = NULL;
    size_t n_sum = 0;
    if (faith_summarize(&g->table, set, &sum, &n_sum) < 0)
        return -1;
    for (size_t i = 0; i < set->n_instruments; i++)
        faith_line(c, g, f, fn, "TrC", "TrC", set->instruments[i].name, NULL);
    for (size_t i = 0; i < set->n_instruments; i++) {
        faith_line(c, g, f, fn, "InC", "InC", set->instruments[i].name, NULL);
        if (human_line(c, g, f, fn, set->instruments[i].name) < 0) {
            faith_summary_free(sum, n_sum);
            return -1;
        }
    }
    for (size_t i = 0; i < set->n_instruments; i++)
        for (size_t j = i + 1; j < set->n_instruments; j++)
            faith_line(c, g, f, fn, "ExC", "ExC", set->instruments[i].name, set->instruments[j].name);
    for (size_t i = 0; i < set->n_instruments; i++)
        faith_line(c, g, f, fn, "BC", "BC", set->instruments[i].name, NULL);
    if (f->tex)
        fputs("\\midrule\n", f->tex);
    for (size_t i = 0; i < set->n_instruments; i++)
        faithful_line(g, f, fn, sum, n_sum, set->instruments[i].name);
    faith_summary_free(sum, n_sum);
    return 0;
}

/* Table 2; with conditions, a row group per condition (baseline first), each computed over that
 * condition's subjects only, as psyfaith metrics does. */
int report_faithfulness(struct report_ctx *c)
{
    struct report_files f;
    struct footnotes fn = { 0 };
    char note[900];
    if (!report_wanted(c, "faithfulness") || !c->n_blocks)
        return 0;
    if (report_open(c, "faithfulness", &f) < 0)
        return -1;
    if (f.csv)
        fputs("row,instrument,instrument_b,dimension,value,ci_low,ci_high,unfaithful,note,condition\n", f.csv);
    report_table_begin(f.tex, c->any_condition ? "Faithfulness coefficients per experimental condition, each over "
                       "its own subjects (RealBehavior Table 2 layout)." : "Faithfulness coefficients (RealBehavior "
                       "Table 2 layout).", "faithfulness", "lrrrrr");
    if (f.tex)
        fputs(report_dim_header, f.tex);
    for (size_t g = 0; g < c->n_conds; g++) {
        const struct report_group *gr = &c->groups[g];
        if (!gr->set->n_blocks)
            continue;
        if (f.tex) {
            fputs("\\midrule\n", f.tex);
            if (c->any_condition) {
                fputs("\\multicolumn{6}{l}{\\textbf{", f.tex);
                latex_text(f.tex, gr->condition ? gr->condition : "baseline");
                fputs("}} \\\\\n", f.tex);
            }
        }
        if (faith_group(c, gr, &f, &fn) < 0) {
            footnotes_write(NULL, &fn);
            report_close(c, "faithfulness", &f);
            return -1;
        }
    }
    snprintf(note, sizeof note,
             "Bold: unfaithful, below %.2f for reliability (TrC, InC, ICC) or %.2f for validity (ExC, BC). "
             "TrC %s; InC is Cronbach's raw alpha over %s. "
             "Faithful: TrC and InC defined and every defined coefficient at its threshold (yes), one below it "
             "(no), or TrC or InC undefined (?), as psyfaith metrics --summary and the audit's gate say.%s",
             c->opt->faith.reliability, c->opt->faith.validity,
             c->opt->faith.trc_literal ? "by the printed $N_T^2$ formula" : "averages pairs $u<v$",
             c->opt->faith.units_runs ? "runs (every repetition a respondent, --units runs)" : "subjects",
             c->any_condition ? " Each experimental condition is computed over its own subjects, as if the store "
                                "held nothing else (baseline: no condition)." : "");
    report_table_end(f.tex, &fn, note);
    return report_close(c, "faithfulness", &f);
}

/* Table 3: per model (and condition, when the store has one) and instrument, mean and sd over its
 * subjects of the per-item score. */
int report_scores(struct report_ctx *c)
{
    struct report_files f;
    struct footnotes fn = { 0 };
    if (!report_wanted(c, "scores") || !c->n_blocks)
        return 0;
    double *vals = malloc((c->max_subjects + 1) * sizeof *vals);
    if (!vals)
        return diag_error("out of memory");
    if (report_open(c, "scores", &f) < 0) {
        free(vals);
        return -1;
    }
    if (f.csv)
        fputs("model,instrument,dimension,mean,sd,n,note,condition\n", f.csv);
    char cols[64];
    snprintf(cols, sizeof cols, "l%.*s", (int)(c->n_instruments < 40 ? c->n_instruments : 40),
             "cccccccccccccccccccccccccccccccccccccccc");
    report_table_begin(f.tex, c->any_condition ? "Per-item scores (1--5), mean $\\pm$ sd over the subjects of each model "
                       "and condition (RealBehavior Table 3 layout)." : "Per-item scores (1--5), mean $\\pm$ sd over each "
                       "model's subjects (RealBehavior Table 3 layout).", "scores", cols);
    size_t groups = 0;
    for (size_t m = 0; m < c->n_models; m++)
        for (size_t g = 0; g < c->n_conds; g++) {
            const struct report_group *gr = &c->groups[g];
            const struct score_set *set = gr->set;
            if (!report_group_has_model(gr, c->models[m]))
                continue;               /* this model has no subject in this condition */
            if (f.tex) {
                if (groups++)
                    fputs("\\midrule\n", f.tex);
                fputs("\\multicolumn{1}{l}{\\textbf{", f.tex);
                report_latex_model(f.tex, c, c->models[m], gr);
                fputs("}}", f.tex);
                for (size_t i = 0; i < c->n_instruments; i++) {
                    fputs(" & ", f.tex);
                    latex_text(f.tex, c->instruments[i]);
                }
                fputs(" \\\\\n", f.tex);
            }
            for (int d = 0; d < N_DIMENSIONS; d++) {
                if (f.tex)
                    fprintf(f.tex, "%s", dimension_codes[d]);
                for (size_t i = 0; i < c->n_instruments; i++) {
                    int b = report_block(gr, c->instruments[i], d);
                    size_t n = 0, took = 0;
                    for (size_t s = 0; b >= 0 && s < set->n_subjects; s++) {
                        double sum, mean;
                        if (strcmp(set->subjects[s].model, c->models[m]) != 0)
                            continue;
                        took += score_took(&set->blocks[b], s) != 0;
                        if (score_of(&set->blocks[b], s, c->opt->faith.min_share, &sum, &mean, NULL) == 0)
                            vals[n++] = mean;
                    }
                    double mean = n ? gsl_stats_mean(vals, 1, n) : NAN, sd = n > 1 ? gsl_stats_sd(vals, 1, n) : NAN;
                    char why[160];
                    score_group_note(took, n, c->opt->faith.min_share, why, sizeof why);
                    if (f.tex) {
                        fputs(" & ", f.tex);
                        if (!n)
                            latex_num(f.tex, NAN, c->opt->digits, 0, footnote_mark(&fn, why));
                        else {
                            latex_num(f.tex, mean, c->opt->digits, 0, NULL);
                            fputs("$\\pm$", f.tex);
                            latex_num(f.tex, sd, c->opt->digits, 0, n < 2 ? footnote_mark(&fn, why) : NULL);
                        }
                    }
                    if (f.csv && took) {
                        csv_text(f.csv, c->models[m], 1);
                        csv_text(f.csv, c->instruments[i], 0);
                        csv_text(f.csv, dimension_codes[d], 0);
                        csv_number(f.csv, mean, 0);
                        csv_number(f.csv, sd, 0);
                        csv_number(f.csv, (double)n, 0);
                        csv_text(f.csv, why, 0);
                        csv_text(f.csv, gr->condition, 0);
                        csv_end(f.csv);
                    }
                }
                if (f.tex)
                    fputs(" \\\\\n", f.tex);
            }
        }
    report_table_end(f.tex, &fn, c->any_condition ? "A subject is a model at one temperature, persona and condition; "
                     "the sd is over those subjects." : "A subject is a model at one temperature and persona; the sd "
                     "is over those subjects.");
    free(vals);
    return report_close(c, "scores", &f);
}

/* The faith row of a norm metric for (instrument, population, dimension, model) of group g, or NULL. */
static const struct faith_row *norm_row(const struct report_group *g, const char *metric, const char *inst,
                                        const char *pop, const char *dim, const char *model)
{
    for (size_t i = 0; i < g->table.n; i++) {
        const struct faith_row *r = &g->table.rows[i];
        if (strcmp(r->metric, metric) == 0 && r->instrument && strcmp(r->instrument, inst) == 0 &&
            r->instrument_b && strcmp(r->instrument_b, pop) == 0 && r->dimension && strcmp(r->dimension, dim) == 0 &&
            r->item && strcmp(r->item, model) == 0)
            return r;
    }
    return NULL;
}

/* Model scores against human norms.  The table shows, per instrument, the population with the
 * largest n (the best-documented norm); the CSV has every loaded population.  With conditions, a row
 * per model and condition, from that condition's own metrics. */
int report_norms(struct report_ctx *c)
{
    struct report_files f;
    struct footnotes fn = { 0 };
    int any = 0;
    if (!report_wanted(c, "norms"))
        return 0;
    for (size_t g = 0; g < c->n_conds; g++)
        for (size_t i = 0; i < c->groups[g].table.n; i++)
            any |= strcmp(c->groups[g].table.rows[i].metric, "norm_z") == 0;
    if (!any)
        return 0;
    sqlite3_stmt *pops = store_prepare(c->db, "SELECT population, source FROM norm WHERE instrument = ?1 AND mean IS "
                                              "NOT NULL AND sd IS NOT NULL GROUP BY population "
                                              "ORDER BY max(coalesce(n, 0)) DESC, min(id)");
    sqlite3_stmt *hum = store_prepare(c->db, "SELECT mean, sd FROM norm WHERE instrument = ?1 AND population = ?2 AND "
                                             "dimension = ?3");
    char *sources[26];
    size_t n_sources = 0;
    int ret = -1;
    if (!pops || !hum || report_open(c, "norms", &f) < 0)
        goto out;
    if (f.csv)
        fputs("model,instrument,population,dimension,model_mean,human_mean,human_sd,z,percentile,n,condition\n", f.csv);
    report_table_begin(f.tex, "Model scores against human norms: per-item mean (1--5) and, in parentheses, its "
                       "percentile among humans.", "norms", "lrrrrr");
    if (f.tex)
        fprintf(f.tex, "%s", report_dim_header);
    for (size_t i = 0; i < c->n_instruments; i++) {
        const char *inst = c->instruments[i];
        int first = 1;
        int prc;
        if (store_bind_text(pops, 1, inst) < 0)
            goto out;
        while ((prc = sqlite3_step(pops)) == SQLITE_ROW) {
            const char *pop = store_col_text(pops, 0);
            double hmean[N_DIMENSIONS], hsd[N_DIMENSIONS];
            if (!pop || !store_col_text(pops, 1)) {     /* NOT NULL columns: NULL is SQLITE_NOMEM */
                diag_error("out of memory");
                goto out;
            }
            for (int d = 0; d < N_DIMENSIONS; d++) {
                hmean[d] = hsd[d] = NAN;
                if (store_bind_text(hum, 1, inst) < 0 || store_bind_text(hum, 2, pop) < 0 ||
                    store_bind_text(hum, 3, dimension_codes[d]) < 0)
                    goto out;
                int hrc = sqlite3_step(hum);
                if (hrc == SQLITE_ROW && sqlite3_column_type(hum, 0) != SQLITE_NULL) {
                    hmean[d] = sqlite3_column_double(hum, 0);
                    hsd[d] = sqlite3_column_double(hum, 1);
                }
                sqlite3_reset(hum);
                if (hrc != SQLITE_ROW && hrc != SQLITE_DONE) {
                    store_step_done(hum, hrc);
                    goto out;
                }
            }
            if (first && f.tex) {
                /* the table: this instrument's best-documented population only */
                const char *source = store_col_text(pops, 1);
                size_t k = 0;
                while (k < n_sources && strcmp(sources[k], source) != 0)
                    k++;
                if (k == n_sources && n_sources < 26 && (sources[n_sources] = strdup(source)))
                    n_sources++;
                fputs("\\midrule\n\\multicolumn{6}{l}{\\textbf{", f.tex);
                latex_text(f.tex, inst);
                fputs("}: human norm, ", f.tex);
                latex_text(f.tex, pop);
                fprintf(f.tex, "\\textsuperscript{%zu}} \\\\\nHuman mean $\\pm$ sd", k + 1);
                for (int d = 0; d < N_DIMENSIONS; d++) {
                    fputs(" & ", f.tex);
                    latex_num(f.tex, hmean[d], c->opt->digits, 0, isnan(hmean[d]) ? footnote_mark(&fn, "no norm for this dimension") : NULL);
                    if (!isnan(hmean[d])) {
                        fputs("$\\pm$", f.tex);
                        latex_num(f.tex, hsd[d], c->opt->digits, 0, NULL);
                    }
                }
                fputs(" \\\\\n", f.tex);
            }
            for (size_t m = 0; m < c->n_models; m++)
                for (size_t g = 0; g < c->n_conds; g++) {
                    const struct report_group *gr = &c->groups[g];
                    int has = 0;
                    for (int d = 0; d < N_DIMENSIONS; d++)
                        has |= norm_row(gr, "norm_z", inst, pop, dimension_codes[d], c->models[m]) != NULL;
                    if (!has)
                        continue;
                    if (first && f.tex) {
                        fputs("\\quad ", f.tex);
                        report_latex_model(f.tex, c, c->models[m], gr);
                    }
                    for (int d = 0; d < N_DIMENSIONS; d++) {
                        const struct faith_row *z = norm_row(gr, "norm_z", inst, pop, dimension_codes[d], c->models[m]);
                        const struct faith_row *pct = norm_row(gr, "norm_percentile", inst, pop, dimension_codes[d],
                                                               c->models[m]);
                        double zv = z ? z->value : NAN, pv = pct ? pct->value : NAN;
                        double mean = isnan(zv) ? NAN : hmean[d] + zv * hsd[d];   /* z = (mean - human) / sd */
                        if (first && f.tex) {
                            fputs(" & ", f.tex);
                            latex_num(f.tex, mean, c->opt->digits, 0,
                                      isnan(mean) ? footnote_mark(&fn, z ? z->note : "not measured") : NULL);
                            if (!isnan(pv))
                                fprintf(f.tex, " (%.0f)", pv);
                        }
                        if (f.csv && z) {
                            csv_text(f.csv, c->models[m], 1);
                            csv_text(f.csv, inst, 0);
                            csv_text(f.csv, pop, 0);
                            csv_text(f.csv, dimension_codes[d], 0);
                            csv_number(f.csv, mean, 0);
                            csv_number(f.csv, hmean[d], 0);
                            csv_number(f.csv, hsd[d], 0);
                            csv_number(f.csv, zv, 0);
                            csv_number(f.csv, pv, 0);
                            csv_number(f.csv, z->n >= 0 ? (double)z->n : NAN, 0);
                            csv_text(f.csv, gr->condition, 0);
                            csv_end(f.csv);
                        }
                    }
                    if (first && f.tex)
                        fputs(" \\\\\n", f.tex);
                }
            first = 0;
        }
        sqlite3_reset(pops);
        if (prc != SQLITE_DONE) {
            store_step_done(pops, prc);
            goto out;
        }
    }
    if (f.tex) {
        fputs("\\bottomrule\n\\end{tabular}\n\\par\\smallskip\\footnotesize\n"
              "Percentile $= 100\\,\\Phi(z)$, $z$ = (model mean $-$ human mean) / human sd; the mean is over the "
              "model's subjects", f.tex);
        fputs(c->any_condition ? " in that condition (baseline: no condition)" : "", f.tex);
        fputs(". Each instrument shows the norm population with the largest $n$; norms.csv has "
              "every loaded population.\n", f.tex);
        for (size_t k = 0; k < n_sources; k++) {
            fprintf(f.tex, "\\par\\textsuperscript{%zu} ", k + 1);
            latex_text_max(f.tex, sources[k], 600);
            fputc('\n', f.tex);
        }
        footnotes_write(f.tex, &fn);
        fputs("\\end{table}\n", f.tex);
    } else {
        footnotes_write(NULL, &fn);
    }
    ret = report_close(c, "norms", &f);
out:
    for (size_t k = 0; k < n_sources; k++)
        free(sources[k]);
    sqlite3_finalize(pops);
    sqlite3_finalize(hum);
    return ret;
}
