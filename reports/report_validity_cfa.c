/* reports/report_validity_cfa.c -- the report part structure_fit (issue 15): per instrument x condition, a
 * table of each model's CFA fit of the instrument's model (psyfaith structure --cfa: ML, std.lv, correlated
 * factors, subjects as respondents, complete cases), RealBehavior-style bold for misfit (CFI < .90, RMSEA >
 * .08), a failed or Heywood fit as its reason, never numbers; then, with two models or more, the invariance
 * steps across them.  The CSV holds the same rows:
 *   instrument,condition,model,n,chisq,df,pvalue,cfi,tli,rmsea,rmsea_lo,rmsea_hi,srmr,delta_chisq,delta_df,
 *   delta_pvalue,delta_cfi,note   (model 'configural' / 'metric' / 'scalar' rows are the invariance steps) */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/structure.h"
#include "metrics/structure_cfa.h"
#include "metrics/structure_data.h"
#include "reports/latex.h"
#include "reports/report.h"
#include "util.h"

#define CFA_MISFIT_CFI 0.90
#define CFA_MISFIT_RMSEA 0.08

/* The value of a statistic among the rows of one method (NULL = any), NAN when absent. */
static double stat(const struct structure_table *t, const char *method, const char *name, const char **note)
{
    for (size_t i = 0; i < t->n; i++) {
        const struct structure_row *r = &t->rows[i];
        if (!r->factor && !r->item && strcmp(r->statistic, name) == 0 &&
            (!method || (r->method && strcmp(r->method, method) == 0))) {
            if (note)
                *note = r->note;
            return r->value;
        }
    }
    return NAN;
}

static const char *const csv_stats[] = { "chisq", "df", "pvalue", "cfi", "tli", "rmsea", "rmsea_lo", "rmsea_hi",
                                         "srmr", "delta_chisq", "delta_df", "delta_pvalue", "delta_cfi" };

/* One table row (LaTeX and CSV) of the rows of `method` in t; label is the model or the step. */
static void fit_row(struct report_files *f, const struct sd_instrument *ins, const char *condition, const char *label,
                    const struct structure_table *t, const char *method, int steps)
{
    const char *why = NULL, *dnote = NULL;
    double undefined = stat(t, method, "fit", &why);
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++)
        if (!method || (t->rows[i].method && strcmp(t->rows[i].method, method) == 0))
            n = t->rows[i].n;
    (void)undefined;
    int bad = why != NULL && isnan(stat(t, method, "chisq", NULL));
    if (f->tex) {
        latex_text(f->tex, label);
        fprintf(f->tex, " & %zu & ", n);
        if (bad) {
            fputs("\\multicolumn{7}{p{8cm}}{\\raggedright ", f->tex);
            latex_text_max(f->tex, why, 200);
            fputs("} \\tabularnewline\n", f->tex);
        } else {
            double cfi = stat(t, method, "cfi", NULL), rmsea = stat(t, method, "rmsea", NULL);
            latex_num(f->tex, stat(t, method, "chisq", NULL), 1, 0, NULL);
            fputs(" & ", f->tex);
            latex_num(f->tex, stat(t, method, "df", NULL), 0, 0, NULL);
            fputs(" & ", f->tex);
            latex_num(f->tex, cfi, 3, cfi < CFA_MISFIT_CFI, NULL);
            fputs(" & ", f->tex);
            latex_num(f->tex, stat(t, method, "tli", NULL), 3, 0, NULL);
            fputs(" & ", f->tex);
            latex_num(f->tex, rmsea, 3, rmsea > CFA_MISFIT_RMSEA, NULL);
            fputs(" [", f->tex);
            latex_num(f->tex, stat(t, method, "rmsea_lo", NULL), 3, 0, NULL);
            fputs(", ", f->tex);
            latex_num(f->tex, stat(t, method, "rmsea_hi", NULL), 3, 0, NULL);
            fputs("] & ", f->tex);
            latex_num(f->tex, stat(t, method, "srmr", NULL), 3, 0, NULL);
            fputs(" & ", f->tex);
            if (steps && !isnan(stat(t, method, "delta_chisq", NULL))) {
                latex_num(f->tex, stat(t, method, "delta_chisq", NULL), 1, 0, NULL);
                fputs(" (", f->tex);
                latex_num(f->tex, stat(t, method, "delta_df", NULL), 0, 0, NULL);
                fputs("), $\\Delta$CFI ", f->tex);
                latex_num(f->tex, stat(t, method, "delta_cfi", &dnote), 3, dnote != NULL, NULL);
            }
            fputs(" \\tabularnewline\n", f->tex);
        }
    }
    if (f->csv) {
        csv_text(f->csv, ins->name, 1);
        csv_text(f->csv, condition, 0);
        csv_text(f->csv, label, 0);
        csv_number(f->csv, (double)n, 0);
        for (size_t k = 0; k < sizeof csv_stats / sizeof csv_stats[0]; k++)
            csv_number(f->csv, bad ? NAN : stat(t, method, csv_stats[k], NULL), 0);
        stat(t, method, "delta_cfi", &dnote);
        csv_text(f->csv, bad ? why : dnote, 0);
        csv_end(f->csv);
    }
}

static void table_head(FILE *tex, const struct sd_instrument *ins, const char *condition, const char *what)
{
    fputs("\\begin{table}[H]\n\\centering\\footnotesize\n\\caption{", tex);
    fputs(what, tex);
    latex_text(tex, ins->name);
    if (condition) {
        fputs(" (condition ", tex);
        latex_text(tex, condition);
        fputs(")", tex);
    }
    fputs(": ML, each item on its dimension, correlated factors, factor variances 1 (as lavaan's cfa with "
          "std.lv); subjects as respondents, complete cases.  Bold: misfit, CFI $<$ .90 or RMSEA $>$ .08.}\n"
          "\\setlength{\\tabcolsep}{3pt}\n\\begin{tabular}{lrrrrrlrl}\n\\toprule\n"
          " & $n$ & $\\chi^2$ & df & CFI & TLI & RMSEA [90\\,\\% CI] & SRMR & $\\Delta\\chi^2$ (df) \\tabularnewline\n"
          "\\midrule\n", tex);
}

/* The models' fits run on the worker threads (util.h par_for): each reads its own matrix (the store
 * one reader at a time) and writes only its own slot, so the rows are the same at any --threads and
 * are written in the models' order afterwards.  Memory: the matrices of the fits in progress. */
struct cfa_job {
    struct report_ctx *c;
    const struct sd_instrument *ins;
    const char *condition;
    char **models;
    struct structure_table *tables;
    struct cfa_moments *moms;
    pthread_mutex_t *db_lock;
    atomic_int failed;          /* a fit failed (it said why); else par_for could not start a thread */
};

static int cfa_one(size_t g, size_t worker, void *ctx)
{
    struct cfa_job *j = ctx;
    struct sd_matrix m;
    (void)worker;
    pthread_mutex_lock(j->db_lock);
    int loaded = sd_matrix_load(j->c->db, j->ins, j->condition, j->models[g], SD_SUBJECTS, &m);
    pthread_mutex_unlock(j->db_lock);
    int ret = loaded < 0 ? -1 : structure_cfa(j->ins, &m, &j->tables[g], &j->moms[g]) == 0 ? 0 : -1;
    if (loaded == 0)
        sd_matrix_free(&m);
    if (ret < 0)
        atomic_store(&j->failed, 1);
    return ret;
}

static int one_condition(struct report_ctx *c, struct report_files *f, const struct sd_instrument *ins,
                         const char *condition)
{
    char **models = NULL;
    size_t n_models = 0;
    struct cfa_moments *moms = NULL;
    struct structure_table *tables = NULL;
    pthread_mutex_t db_lock = PTHREAD_MUTEX_INITIALIZER;
    int ret = -1;
    if (sd_models(c->db, ins, condition, &models, &n_models) < 0)
        return -1;
    if (!n_models) {
        ret = 0;
        goto out;
    }
    if (!(moms = calloc(n_models, sizeof *moms)) || !(tables = calloc(n_models, sizeof *tables))) {
        diag_error("out of memory");
        goto out;
    }
    struct cfa_job job = { c, ins, condition, models, tables, moms, &db_lock, 0 };
    if (par_for(c->opt->faith.threads, n_models, cfa_one, &job) < 0) {
        if (!atomic_load(&job.failed))
            diag_error("cannot start a worker thread for the CFA fits");
        goto out;
    }
    if (f->tex)
        table_head(f->tex, ins, condition, "CFA fit of ");
    for (size_t g = 0; g < n_models; g++)
        fit_row(f, ins, condition, models[g], &tables[g], NULL, 0);
    if (f->tex)
        fputs("\\bottomrule\n\\end{tabular}\n\\end{table}\n", f->tex);
    if (n_models >= 2) {
        static const char *const steps[] = { "configural", "metric", "scalar" };
        struct structure_table t = { 0 };
        if (structure_invariance(ins, moms, n_models, &t) < 0) {
            structure_table_free(&t);
            goto out;
        }
        if (t.n) {
            if (f->tex)
                table_head(f->tex, ins, condition, "Measurement invariance across the models of ");
            for (int s = 0; s < 3; s++) {
                int present = 0;
                for (size_t i = 0; i < t.n; i++)
                    present |= strcmp(t.rows[i].method, steps[s]) == 0;
                if (present)
                    fit_row(f, ins, condition, steps[s], &t, steps[s], 1);
            }
            if (f->tex)
                fputs("\\bottomrule\n\\end{tabular}\n\\par\\smallskip\\footnotesize Configural: the same model in every "
                      "group; metric: equal loadings; scalar: equal loadings and intercepts (latent means free).  "
                      "$\\Delta\\chi^2$ tests each step against the one before; a CFI drop of .01 or more (bold) says "
                      "the step does not hold (Chen 2007), and then the models' scores cannot be compared.\n"
                      "\\end{table}\n", f->tex);
        }
        structure_table_free(&t);
    }
    ret = 0;
out:
    for (size_t g = 0; moms && g < n_models; g++)
        cfa_moments_free(&moms[g]);
    for (size_t g = 0; tables && g < n_models; g++)
        structure_table_free(&tables[g]);
    free(moms);
    free(tables);
    sd_names_free(models, n_models);
    return ret;
}

int report_structure_fit(struct report_ctx *c)
{
    struct report_files f;
    if (!report_wanted(c, "structure_fit") || !c->n_instruments)
        return 0;
    if (report_open(c, "structure_fit", &f) < 0)
        return -1;
    if (f.csv)
        fputs("instrument,condition,model,n,chisq,df,pvalue,cfi,tli,rmsea,rmsea_lo,rmsea_hi,srmr,delta_chisq,"
              "delta_df,delta_pvalue,delta_cfi,note\n", f.csv);
    int ret = 0;
    for (size_t i = 0; ret == 0 && i < c->n_instruments; i++) {
        struct sd_instrument ins;
        if (sd_instrument_load(c->db, c->instruments[i], &ins) < 0) {
            ret = -1;
            break;
        }
        for (size_t g = 0; ret == 0 && g < c->n_conds; g++)
            ret = one_condition(c, &f, &ins, c->conds[g]);
        sd_instrument_free(&ins);
    }
    if (ret < 0) {
        report_close(c, "structure_fit", &f);
        return -1;
    }
    return report_close(c, "structure_fit", &f);
}
