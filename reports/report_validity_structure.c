/* reports/report_validity_structure.c -- the report part fig_structure: a heat map of each model's EFA
 * loadings per instrument (psyfaith structure's default analysis: minres, oblimin, Pearson, as many
 * factors as the instrument has dimensions, subjects as respondents), items down the side in the
 * instrument's order, factors across, labelled with the dimension each matches best by Tucker's
 * congruence.  A model whose EFA is undefined gets a line saying why instead.  The CSV holds every
 * loading: instrument,model,condition,item,dimension,key,factor,loading,best_dimension,congruence,n */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/scores.h"
#include "metrics/structure.h"
#include "metrics/structure_data.h"
#include "reports/cells.h"
#include "reports/latex.h"
#include "reports/report.h"
#include "util.h"

#define STRUCTURE_MAX_FIGURES 12    /* heat maps per instrument; the CSV has every model */

/* The best-matching dimension and its congruence of factor j, read from the rows. */
static void best_match(const struct structure_table *t, const char *factor, const char **dim, double *cong)
{
    *dim = NULL;
    *cong = NAN;
    for (size_t i = 0; i < t->n; i++) {
        const struct structure_row *r = &t->rows[i];
        if (strcmp(r->statistic, "congruence_key") == 0 && r->factor && strcmp(r->factor, factor) == 0 && r->note &&
            strcmp(r->note, "best match") == 0) {
            *dim = r->factor_b;
            *cong = r->value;
        }
    }
}

/* The heat map is drawn one rectangle a cell in pgf's system layer (reports/cells.h): a pgfplots
 * `matrix plot*` cost pdflatex about 2 ms a cell and a TikZ \fill 0.8 ms, so the 36 maps of 12 models
 * x 3 instruments (12,840 cells) took 26 s; pgf's basic layer brought them to 1.3 s, and the system
 * layer to a fifth of that (issue 16).  The item labels of a map are one
 * node (an \halign of rows as tall as a cell), the colour bar one shading. */
#define HM_CELL_W 1.3           /* cm, a factor's column */
#define HM_ROW_H 0.32           /* cm, an item's row, at most */
#define HM_HEIGHT 18.0          /* cm, the map's height at most (IPIP-NEO-120: 120 rows of 1.5 mm) */

/* The colour of loading v: the colormap red!75 (-1) -- white (0) -- blue!75 (+1), clipped at +-1, as
 * pgfplots' linear colormap mixed it in RGB. */
static void cell_colour(double v, double rgb[3])
{
    static const double red[3] = { 1, 0, 0 }, blue[3] = { 0, 0, 1 };
    cells_tint(v < 0 ? red : blue, 75 * fmin(1.0, fabs(v)), rgb);
}

static void heat_map(FILE *tex, const struct sd_instrument *ins, const struct efa_fit *fit, const struct structure_table *t,
                     const char *model, const char *condition)
{
    const size_t p = fit->p, k = fit->k;
    const double row_h = fmin(HM_ROW_H, HM_HEIGHT / (double)p);
    const double wpt = HM_CELL_W * CELLS_PT_PER_CM, hpt = row_h * CELLS_PT_PER_CM;
    fprintf(tex, "\\begin{figure}[H]\n\\centering\n\\begin{tikzpicture}[x=%.2fcm, y=-%.4fcm]\n", HM_CELL_W, row_h);
    cells_begin(tex);
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < k; j++) {
            double v = fit->loadings[i * k + j], rgb[3];
            if (isnan(v) || v == 0)
                continue;       /* white */
            cell_colour(v, rgb);
            cells_fill(tex, rgb, (double)j * wpt, -(double)(i + 1) * hpt, wpt, hpt);
        }
    cells_end(tex);
    /* the frame also makes the picture's bounding box, which the cells do not */
    fprintf(tex, "\\draw[gray] (0,0) rectangle (%zu,%zu);\n", k, p);
    /* factors across the bottom, each with the dimension it matches best */
    for (size_t j = 0; j < k; j++) {
        char fn[32];
        const char *dim;
        double cong;
        snprintf(fn, sizeof fn, "F%zu", j + 1);
        best_match(t, fn, &dim, &cong);
        fprintf(tex, "\\node[rotate=90, anchor=east, font=\\scriptsize] at (%zu.5,%zu) {%s", j, p, fn);
        if (dim) {
            fprintf(tex, " %s ", dim);
            latex_num(tex, cong, 2, 0, NULL);
        }
        fputs("};\n", tex);
    }
    /* items down the side: one node, a row per item as tall as a cell */
    if (p <= 60) {
        fprintf(tex, "\\node[anchor=north east, inner sep=2pt, font=\\scriptsize] at (0,0) {\\vbox{\\offinterlineskip"
                     "\\def\\psyhmrow#1{\\vbox to %.4fcm{\\vss\\hbox{#1}\\vss}}\\halign{\\hfil#\\cr\n", row_h);
        for (size_t i = 0; i < p; i++) {
            const struct sd_item *it = &ins->items[fit->cols[i]];
            fputs("\\psyhmrow{", tex);
            latex_text(tex, it->code);
            fprintf(tex, " %s%s}\\cr\n", dimension_codes[it->dimension], it->key > 0 ? "+" : "$-$");
        }
        fputs("}}};\n", tex);
    } else
        fprintf(tex, "\\node[rotate=90, anchor=south, font=\\scriptsize] at (0,%.1f) {items in the instrument's "
                     "order};\n", (double)p / 2);
    /* the colour bar: +1 at the top, -1 at the bottom */
    fprintf(tex, "\\shade[top color=blue!75, bottom color=red!75, middle color=white] (%zu.25,%zu) rectangle (%zu.45,0);\n"
                 "\\draw[gray] (%zu.25,%zu) rectangle (%zu.45,0);\n", k, p, k, k, p, k);
    static const char *const ticks[] = { "1", "0.5", "0", "$-$0.5", "$-$1" };
    for (int s = 0; s < 5; s++)
        fprintf(tex, "\\draw[gray] (%zu.45,%.3f) -- +(0.05,0) node[right, inner sep=1pt, font=\\scriptsize] {%s};\n", k,
                (double)p * s / 4, ticks[s]);
    fputs("\\end{tikzpicture}\n\\caption{EFA loadings of ", tex);
    latex_text(tex, ins->name);
    fputs(" for ", tex);
    latex_text(tex, model);
    if (condition) {
        fputs(" (condition ", tex);
        latex_text(tex, condition);
        fputs(")", tex);
    }
    fprintf(tex, ": minres, oblimin, Pearson, %zu factors, n = %zu subjects; raw options, so a $-$ keyed item of a "
                 "trait factor loads negatively; blue positive, red negative.  Each factor is labelled with the "
                 "dimension whose key it matches best (Tucker's congruence; |.85| or more is a fair match).}\n"
                 "\\end{figure}\n", k, fit->n);
}

/* One model's EFA, computed on a worker thread (util.h par_for) into its own slot; the store is read
 * one matrix at a time.  The slots are written in the models' order afterwards, so the part is the
 * same at any --threads.  Memory: the matrices of the fits in progress. */
struct efa_slot {
    size_t n_resp;
    struct structure_table t;
    struct efa_fit fit;
};

struct efa_job {
    struct report_ctx *c;
    const struct sd_instrument *ins;
    const char *condition;
    char **models;
    struct efa_slot *slots;
    pthread_mutex_t db_lock;
    atomic_int failed;          /* a fit failed (it said why); else par_for could not start a thread */
};

static int efa_one(size_t g, size_t worker, void *ctx)
{
    struct efa_job *j = ctx;
    struct efa_slot *s = &j->slots[g];
    struct sd_matrix m;
    struct efa_options o;
    (void)worker;
    efa_options_default(&o);
    pthread_mutex_lock(&j->db_lock);
    int ret = sd_matrix_load(j->c->db, j->ins, j->condition, j->models[g], SD_SUBJECTS, &m);
    pthread_mutex_unlock(&j->db_lock);
    if (ret == 0) {
        s->n_resp = m.n_resp;
        ret = m.n_resp ? structure_efa(j->ins, &m, &o, NULL, &s->t, &s->fit) : 0;
        sd_matrix_free(&m);
    }
    if (ret < 0)
        atomic_store(&j->failed, 1);
    return ret;
}

/* One instrument x condition x model: its figure (at most STRUCTURE_MAX_FIGURES per instrument) and
 * its CSV rows. */
static void one_model(struct report_files *f, const struct sd_instrument *ins, const char *condition,
                      const char *model, const struct efa_slot *s, size_t *figures)
{
    const struct structure_table *t = &s->t;
    const struct efa_fit *fit = &s->fit;
    if (s->n_resp && !fit->k && f->tex && *figures < STRUCTURE_MAX_FIGURES) {
        /* the EFA is undefined: its one row says why */
        fputs("\\noindent EFA of ", f->tex);
        latex_text(f->tex, ins->name);
        fputs(" for ", f->tex);
        latex_text(f->tex, model);
        fputs(": ", f->tex);
        latex_text_max(f->tex, t->n && t->rows[0].note ? t->rows[0].note : "undefined", 300);
        fputs(".\\par\n", f->tex);
    } else if (fit->k) {
        if (f->tex && (*figures)++ < STRUCTURE_MAX_FIGURES)
            heat_map(f->tex, ins, fit, t, model, condition);
        for (size_t i = 0; f->csv && i < fit->p; i++) {
            const struct sd_item *it = &ins->items[fit->cols[i]];
            for (size_t j = 0; j < fit->k; j++) {
                char fn[32];
                const char *dim;
                double cong;
                snprintf(fn, sizeof fn, "F%zu", j + 1);
                best_match(t, fn, &dim, &cong);
                csv_text(f->csv, ins->name, 1);
                csv_text(f->csv, model, 0);
                csv_text(f->csv, condition, 0);
                csv_text(f->csv, it->code, 0);
                csv_text(f->csv, dimension_codes[it->dimension], 0);
                csv_number(f->csv, it->key, 0);
                csv_text(f->csv, fn, 0);
                csv_number(f->csv, fit->loadings[i * fit->k + j], 0);
                csv_text(f->csv, dim, 0);
                csv_number(f->csv, cong, 0);
                csv_number(f->csv, (double)fit->n, 0);
                csv_end(f->csv);
            }
        }
    }
}

/* The models of one instrument x condition: fitted on the workers, then written in order. */
static int one_condition(struct report_ctx *c, struct report_files *f, const struct sd_instrument *ins,
                         const char *condition, size_t *figures)
{
    char **models = NULL;
    size_t n_models = 0;
    if (sd_models(c->db, ins, condition, &models, &n_models) < 0)
        return -1;
    struct efa_slot *slots = n_models ? calloc(n_models, sizeof *slots) : NULL;
    int ret = 0;
    if (n_models && !slots)
        ret = diag_error("out of memory");
    if (ret == 0 && n_models) {
        struct efa_job job = { .c = c, .ins = ins, .condition = condition, .models = models, .slots = slots };
        pthread_mutex_init(&job.db_lock, NULL);
        atomic_init(&job.failed, 0);
        if (par_for(c->opt->faith.threads, n_models, efa_one, &job) < 0)
            ret = atomic_load(&job.failed) ? -1 : diag_error("cannot start a worker thread for the EFA fits");
        pthread_mutex_destroy(&job.db_lock);
    }
    for (size_t g = 0; ret == 0 && g < n_models; g++)
        one_model(f, ins, condition, models[g], &slots[g], figures);
    for (size_t g = 0; slots && g < n_models; g++) {
        efa_fit_free(&slots[g].fit);
        structure_table_free(&slots[g].t);
    }
    free(slots);
    sd_names_free(models, n_models);
    return ret;
}

int report_fig_structure(struct report_ctx *c)
{
    struct report_files f;
    if (!report_wanted(c, "fig_structure") || !c->n_instruments)
        return 0;
    if (report_open(c, "fig_structure", &f) < 0)
        return -1;
    if (f.csv)
        fputs("instrument,model,condition,item,dimension,key,factor,loading,best_dimension,congruence,n\n", f.csv);
    int ret = 0;
    for (size_t i = 0; ret == 0 && i < c->n_instruments; i++) {
        struct sd_instrument ins;
        size_t figures = 0;
        if (sd_instrument_load(c->db, c->instruments[i], &ins) < 0) {
            ret = -1;
            break;
        }
        for (size_t g = 0; ret == 0 && g < c->n_conds; g++)
            ret = one_condition(c, &f, &ins, c->conds[g], &figures);
        if (f.tex && figures > STRUCTURE_MAX_FIGURES) {
            fprintf(f.tex, "\\noindent The first %d of %zu heat maps of ", STRUCTURE_MAX_FIGURES, figures);
            latex_text(f.tex, ins.name);
            fputs(" are shown; the CSV has every loading.\\par\n", f.tex);
        }
        sd_instrument_free(&ins);
    }
    if (ret < 0) {
        report_close(c, "fig_structure", &f);
        return -1;
    }
    return report_close(c, "fig_structure", &f);
}
