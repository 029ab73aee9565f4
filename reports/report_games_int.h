/* reports/report_games_int.h -- shared between the report_games*.c files only; not part of the API.
 * rg_ = report_games internals: the games rows, the writers every games part uses, and the parts
 * that report_games() (report_games.c) calls. */
#ifndef PSYFAITH_REPORT_GAMES_INT_H
#define PSYFAITH_REPORT_GAMES_INT_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "metrics/games.h"
#include "reports/latex.h"
#include "reports/report.h"

#define MAX_MODELS 12      /* models in one figure; the CSV has them all */
#define MAX_CONDS 24       /* Milgram conditions (trait x level) told apart by colour */
#define MODEL_CHARS 40     /* a model name in a table, legend or title; the CSV has it whole */

/* Series colours (pgf colour expressions): models, or Milgram conditions. */
extern const char *const rg_palette[12];
#define N_PALETTE (sizeof rg_palette / sizeof rg_palette[0])

struct games_data {
    struct games_rows ug, me;          /* rows of games_ultimatum / games_milgram of the baseline condition
                                        * (no condition; empty: no records) */
    struct games_rows ug_cond, me_cond;/* their rows of the other conditions (report_games_cond.c) */
    struct games_rows st;              /* rows of games_strategy (empty: no threshold or offer records) */
    struct games_human h;
    const char *models[1024];          /* models with rows, first seen first (borrowed from the rows) */
    size_t n_models;
    size_t n_all_models;               /* including those beyond models[] */
};

/* A booktabs table that continues in another float when it grows past TABLE_LINES body lines: a
 * [H] float cannot break across pages. */
#define TABLE_LINES 34

struct tab {
    FILE *tex;
    const char *size, *caption, *title, *label, *cols, *head;   /* title: for "(continued)" */
    size_t lines, total;
};

/* Rows (borrowed from `r`; a NULL argument matches the empty cell): small enough to inline. */
static inline int same(const char *a, const char *b)   /* NULL = the empty cell */
{
    return a ? b && strcmp(a, b) == 0 : !b;
}

static inline const struct games_row *find(const struct games_rows *r, const char *analysis, const char *model,
                                           const char *trait, const char *level, const char *offer, const char *term)
{
    for (size_t i = 0; i < r->len; i++) {
        const struct games_row *x = &r->v[i];
        if (same(x->analysis, analysis) && same(x->term, term) && same(x->model, model) && same(x->trait, trait) &&
            same(x->level, level) && same(x->offer, offer))
            return x;
    }
    return NULL;
}

/* report_games.c: more on rows */
int rg_has_analysis(const struct games_rows *r, const char *analysis);
size_t rg_traits_of(const struct games_rows *r, const char *analysis, const char *model,
                    int present[GAMES_N_TRAITS]);
size_t rg_models_of(const struct games_data *g, const struct games_rows *r, const char *analysis,
                    const char *m[MAX_MODELS], size_t *all);
double rg_offer_x(const char *offer, int *pct);

/* report_games.c: writers (a NULL csv writes nothing) */
void rg_latex_long(FILE *tex, const char *s);
void rg_latex_model(FILE *tex, const char *model);
void rg_csv_header(FILE *csv);
void rg_csv_row(FILE *csv, const struct games_row *r);
void rg_csv_rows(FILE *csv, const struct games_rows *r, const char *analysis, const char *model);
void rg_latex_p(FILE *tex, double p, int digits);
void rg_condition_note(FILE *tex, const struct games_data *g, int milgram);
void rg_truncation_note(FILE *tex, size_t shown, size_t all, const char *part);
void rg_group_begin(FILE *tex, size_t n, const char *opts);
void rg_group_end(FILE *tex);
size_t rg_legend_plot(size_t n);
const char *rg_legend_opts(size_t n, int columns, char *buf, size_t size);
void rg_legend_entry(FILE *tex, const char *style, const char *model, const char *text);
size_t rg_longest_model(const struct games_rows *r, const char *analysis);
void rg_tab_open(struct tab *t);
int rg_tab_line(struct tab *t);

/* report_games_grid.c: a shaded grid of rates in plain TikZ (Figure 5), a panel per trait */
struct rg_grid {
    size_t k;                  /* the panel's index: column k % 2, row k / 2 */
    const char *title, *xlabel, *ylabel;
    size_t cols;               /* offers, across */
    int rows;                  /* levels, bottom up */
    const char *const *col_label;
    const int *row_label;      /* 0 = none (no persona) */
    const double *v;           /* rows x cols, NaN = not tested */
    int labels, colorbar;
};
int rg_grid_labelled(size_t cols);
void rg_grid_begin(FILE *tex, size_t cols);
void rg_grid_panel(FILE *tex, const struct rg_grid *p);
void rg_grid_end(FILE *tex);

/* The parts: 0, or -1 after printing why. */
int rg_part_verdict(struct report_ctx *c, const struct games_data *g);            /* report_games_verdict.c */
int rg_part_ug_theta(struct report_ctx *c, const struct games_data *g);           /* report_games_ug.c */
int rg_part_fig_ug_theta(struct report_ctx *c, const struct games_data *g);
int rg_part_fig_ug_acceptance(struct report_ctx *c, const struct games_data *g);
int rg_part_fig_ug_offer_r2(struct report_ctx *c, const struct games_data *g);
int rg_part_fig_ug_baseline(struct report_ctx *c, const struct games_data *g);
/* report_games_strategy.c */
int rg_part_strategy_summary(struct report_ctx *c, const struct games_data *g);
int rg_part_fig_ug_threshold_curve(struct report_ctx *c, const struct games_data *g);
int rg_part_fig_ug_offers(struct report_ctx *c, const struct games_data *g);
int rg_part_me_summary(struct report_ctx *c, const struct games_data *g);         /* report_games_milgram.c */
int rg_part_me_curves(struct report_ctx *c, const struct games_data *g, const char *part, const char *analysis);
int rg_part_conditions(struct report_ctx *c, const struct games_data *g);         /* report_games_cond.c */
int rg_part_not_analysed(struct report_ctx *c, const struct games_data *g);

#endif
