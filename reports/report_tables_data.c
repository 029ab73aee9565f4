/* reports/report_tables_data.c -- the report's tables about the data behind the numbers: parse
 * diagnostics (statuses, response style), the classifier (RealBehavior Table 1) and provenance. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "reports/latex.h"
#include "reports/report.h"
#include "reports/report_tables_int.h"
#include "store/store.h"

/* Parse statuses and response style per model (and condition, when the store has one), over every
 * instrument it answered. */
int report_diagnostics(struct report_ctx *c)
{
    struct report_files f;
    struct footnotes fn = { 0 };
    if (!report_wanted(c, "diagnostics") || !c->n_blocks)
        return 0;
    if (report_open(c, "diagnostics", &f) < 0)
        return -1;
    if (f.csv)
        fputs("model,responses,ok_rate,ambiguous_rate,refusal_rate,unparsed_rate,neutral_rate,acquiescence,condition\n",
              f.csv);
    report_table_begin(f.tex, c->any_condition ? "Answer parsing and response style per model and condition." :
                       "Answer parsing and response style per model.", "diagnostics", "lrrrrrrr");
    if (f.tex)
        fputs("Model & Answers & OK & Ambig. & Refusal & Unparsed & Neutral & Acquiesc. \\\\\n\\midrule\n", f.tex);
    for (size_t m = 0; m < c->n_models; m++) {
        for (size_t g = 0; g < c->n_conds; g++) {
            const struct report_group *gr = &c->groups[g];
            const struct score_set *set = gr->set;
            if (!report_group_has_model(gr, c->models[m]))
                continue;
            double ok = 0, amb = 0, ref = 0, unp = 0, neutral = 0, agree_sum = 0;
            size_t agree_n = 0;
            for (size_t b = 0; b < set->n_blocks; b++) {
                const struct score_block *blk = &set->blocks[b];
                int k = set->instruments[blk->instrument].n_options;
                for (size_t s = 0; s < set->n_subjects; s++) {
                    if (strcmp(set->subjects[s].model, c->models[m]) != 0)
                        continue;
                    double oks = 0;
                    for (int o = 1; o <= k; o++)
                        oks += (double)blk->option_counts[s][o];
                    ok += oks;
                    if (k % 2)
                        neutral += (double)blk->option_counts[s][(k + 1) / 2];
                    amb += blk->ambiguous[s];
                    ref += blk->refusals[s];
                    unp += blk->unparsed[s];
                    if (blk->n_pos[s] && blk->n_neg[s]) {
                        agree_sum += ((double)blk->agree_pos[s] / blk->n_pos[s] + (double)blk->agree_neg[s] / blk->n_neg[s]) / 2;
                        agree_n++;
                    }
                }
            }
            double all = ok + amb + ref + unp;
            double rates[6] = { all ? ok / all : NAN, all ? amb / all : NAN, all ? ref / all : NAN, all ? unp / all : NAN,
                                ok ? neutral / ok : NAN, agree_n ? agree_sum / (double)agree_n : NAN };
            if (f.tex) {
                report_latex_model(f.tex, c, c->models[m], gr);
                fprintf(f.tex, " & %.0f", all);
                for (int i = 0; i < 6; i++) {
                    fputs(" & ", f.tex);
                    latex_num(f.tex, rates[i], c->opt->digits, 0,
                              isnan(rates[i]) ? footnote_mark(&fn, "no answer of that kind to rate") : NULL);
                }
                fputs(" \\\\\n", f.tex);
            }
            if (f.csv) {
                csv_text(f.csv, c->models[m], 1);
                csv_number(f.csv, all, 0);
                for (int i = 0; i < 6; i++)
                    csv_number(f.csv, rates[i], 0);
                csv_text(f.csv, gr->condition, 0);
                csv_end(f.csv);
            }
        }
    }
    report_table_end(f.tex, &fn,
                     "Rates are shares of all answers (OK, ambiguous, refusal, unparsed) or of OK answers (neutral: "
                     "the middle option). Acquiescence: mean share of agreeing answers over + and $-$ keyed items "
                     "(0.5 balanced, 1 agrees with everything).");
    return report_close(c, "diagnostics", &f);
}

/* Table 1: cross-validated accuracy of the behaviour classifiers. */
int report_classifier(struct report_ctx *c)
{
    struct report_files f;
    struct footnotes fn = { 0 };
    double v[5][N_DIMENSIONS];
    long folds = 0;
    int any = 0;
    if (!report_wanted(c, "classifier"))
        return 0;
    sqlite3_stmt *st = store_prepare(c->db, "SELECT dimension, cv_accuracy, cv_f1, cv_auc, n_train, cv_folds "
                                            "FROM classifier");
    if (!st)
        return -1;
    for (int i = 0; i < 5; i++)
        for (int d = 0; d < N_DIMENSIONS; d++)
            v[i][d] = NAN;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *dim = store_col_text(st, 0);
        if (!dim) {                                     /* NOT NULL: NULL is SQLITE_NOMEM */
            sqlite3_finalize(st);
            return diag_error("out of memory");
        }
        for (int d = 0; d < N_DIMENSIONS; d++)
            if (strcmp(dim, dimension_codes[d]) == 0) {
                for (int i = 0; i < 4; i++)
                    v[i][d] = sqlite3_column_type(st, i + 1) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i + 1);
                folds = sqlite3_column_int(st, 5);
                any = 1;
            }
    }
    if (store_step_done(st, rc) < 0) {
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    if (!any)
        return 0;
    if (report_open(c, "classifier", &f) < 0)
        return -1;
    if (f.csv)
        fputs("measure,dimension,value\n", f.csv);
    char caption[200];
    snprintf(caption, sizeof caption, "Behaviour classifiers: %ld-fold cross-validated accuracy (RealBehavior "
             "Table 1 layout).", folds);
    report_table_begin(f.tex, caption, "classifier", "lrrrrr");
    if (f.tex)
        fprintf(f.tex, "%s\\midrule\n", report_dim_header);
    static const char *const names[] = { "Acc.", "F1", "ROC AUC", "Training texts" };
    static const char *const csv_names[] = { "accuracy", "f1", "roc_auc", "n_train" };
    for (int i = 0; i < 4; i++) {
        if (f.tex)
            fputs(names[i], f.tex);
        for (int d = 0; d < N_DIMENSIONS; d++) {
            if (f.tex) {
                fputs(" & ", f.tex);
                latex_num(f.tex, v[i][d], i == 3 ? 0 : c->opt->digits, 0,
                          isnan(v[i][d]) ? footnote_mark(&fn, "no classifier trained for this dimension") : NULL);
            }
            if (f.csv && !isnan(v[i][d])) {
                csv_text(f.csv, csv_names[i], 1);
                csv_text(f.csv, dimension_codes[d], 0);
                csv_number(f.csv, v[i][d], 0);
                csv_end(f.csv);
            }
        }
        if (f.tex)
            fputs(" \\\\\n", f.tex);
    }
    report_table_end(f.tex, &fn,
                     "TF-IDF word uni- and bigrams, L2-regularised logistic regression (psyfaith classify).");
    return report_close(c, "classifier", &f);
}

/* What the report was made from: version, sources with their content hashes, options. */
int report_provenance(struct report_ctx *c)
{
    struct report_files f;
    if (!report_wanted(c, "provenance"))
        return 0;
    if (report_open(c, "provenance", &f) < 0)
        return -1;
    if (f.csv)
        fputs("what,name,value\n", f.csv);
    if (f.tex)
        fprintf(f.tex, "\\section*{Provenance}\n\\small Made by psyfaith %s with thresholds %.2f (reliability) "
                       "and %.2f (validity), TrC %s, InC over %s, %s, %d decimals.\n\\begin{itemize}\n",
                PSYFAITH_VERSION, c->opt->faith.reliability, c->opt->faith.validity,
                c->opt->faith.trc_literal ? "literal ($N_T^2$)" : "over pairs $u<v$",
                c->opt->faith.units_runs ? "runs (-{}-{}units runs)" : "subjects",
                c->opt->faith.bootstrap ? "bootstrap CIs" : "analytic CIs", c->opt->digits);
    if (f.csv) {
        csv_text(f.csv, "version", 1), csv_text(f.csv, "psyfaith", 0), csv_text(f.csv, PSYFAITH_VERSION, 0), csv_end(f.csv);
        csv_text(f.csv, "option", 1), csv_text(f.csv, "reliability", 0), csv_number(f.csv, c->opt->faith.reliability, 0), csv_end(f.csv);
        csv_text(f.csv, "option", 1), csv_text(f.csv, "validity", 0), csv_number(f.csv, c->opt->faith.validity, 0), csv_end(f.csv);
        csv_text(f.csv, "option", 1), csv_text(f.csv, "trc", 0), csv_text(f.csv, c->opt->faith.trc_literal ? "literal" : "pairs", 0), csv_end(f.csv);
        csv_text(f.csv, "option", 1), csv_text(f.csv, "bootstrap", 0), csv_number(f.csv, (double)c->opt->faith.bootstrap, 0), csv_end(f.csv);
        csv_text(f.csv, "option", 1), csv_text(f.csv, "units", 0), csv_text(f.csv, c->opt->faith.units_runs ? "runs" : "subjects", 0), csv_end(f.csv);
        csv_text(f.csv, "option", 1), csv_text(f.csv, "seed", 0), csv_number(f.csv, (double)c->opt->faith.seed, 0), csv_end(f.csv);
    }
    /* every path first: a name is what tells a source apart from all the others */
    char **paths = NULL;
    size_t n_paths = 0, cap = 0;
    sqlite3_stmt *st = store_prepare(c->db, "SELECT path FROM source ORDER BY id");
    int rc;
    if (!st) {
        report_close(c, "provenance", &f);
        return -1;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *path = store_col_text(st, 0);
        if (n_paths == cap) {
            char **np = realloc(paths, (cap = cap ? 2 * cap : 64) * sizeof *np);
            if (!np) {
                rc = SQLITE_NOMEM;
                break;
            }
            paths = np;
        }
        if (!path || !(paths[n_paths] = strdup(path))) {
            rc = SQLITE_NOMEM;
            break;
        }
        n_paths++;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc != SQLITE_DONE || !(st = store_prepare(c->db, "SELECT path, sha256, records FROM source ORDER BY id"))) {
        if (rc == SQLITE_NOMEM)
            diag_error("out of memory");
        else if (rc != SQLITE_DONE)
            diag_error("store: %s", sqlite3_errmsg(c->db));
        goto fail;
    }
    long shown = 0, total = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *path = store_col_text(st, 0), *hash = store_col_text(st, 1);
        if (!path || !hash) {                           /* NOT NULL columns: NULL is SQLITE_NOMEM */
            rc = SQLITE_NOMEM;
            break;
        }
        total++;
        if (f.tex && shown < 40) {
            fputs("\\item \\texttt{", f.tex);
            if ((size_t)(total - 1) < n_paths && strcmp(paths[total - 1], path) == 0)
                report_source_name(f.tex, (const char *const *)paths, n_paths, (size_t)(total - 1), LATEX_MAX_TEXT);
            else
                latex_text(f.tex, path);    /* a source added between the two reads: not possible in one snapshot */
            fprintf(f.tex, "}: %lld records, SHA-256 \\texttt{%.16s\\ldots}\n", sqlite3_column_int64(st, 2), hash);
            shown++;
        }
        if (f.csv) {
            csv_text(f.csv, "source", 1);
            csv_text(f.csv, path, 0);
            csv_text(f.csv, hash, 0);
            csv_end(f.csv);
        }
    }
    if (rc == SQLITE_NOMEM ? diag_error("out of memory") : store_step_done(st, rc))
        goto fail;
    sqlite3_finalize(st);
    for (size_t i = 0; i < n_paths; i++)
        free(paths[i]);
    free(paths);
    if (f.tex) {
        if (total > shown)
            fprintf(f.tex, "\\item \\ldots{} and %ld more sources (all in provenance.csv)\n", total - shown);
        if (!total)
            fputs("\\item no sources ingested\n", f.tex);
        fputs("\\end{itemize}\n", f.tex);
    }
    return report_close(c, "provenance", &f);
fail:
    sqlite3_finalize(st);
    for (size_t i = 0; i < n_paths; i++)
        free(paths[i]);
    free(paths);
    report_close(c, "provenance", &f);
    return -1;
}
