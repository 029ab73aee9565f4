/* reports/render.h -- the renderers that cli/ calls: the rows and structs that metrics/ and classify/
 * computed, written to stdout as tidy CSV or an aligned table (reports/out.c).  Each returns 0, or -1
 * after a diagnostic. */
#ifndef PSYFAITH_RENDER_H
#define PSYFAITH_RENDER_H
#include <stddef.h>
#include <stdio.h>
#include <sqlite3.h>

#include "classify/classify.h"
#include "metrics/audit.h"
#include "metrics/faith.h"
#include "metrics/games.h"
#include "metrics/scores.h"
#include "metrics/varcomp.h"
#include "metrics/structure.h"
#include "reports/out.h"

/* reports/render_scores.c: Eq. 1 scores per subject x instrument x dimension, and RealBehavior's
 * Table 3 (per model, mean and sd of the per-item score over temperatures). */
int render_scores(const struct score_set *set, enum out_format fmt, double min_share);
int render_scores_by_model(const struct score_set *set, enum out_format fmt, double min_share);
int render_scores_by_rep(const struct score_set *set, enum out_format fmt);   /* scores --by-rep */
/* scores --style: per subject x instrument x dimension the acquiescence decomposition of
 * metrics/faith.h (faith_acq_subject): P, N, T, A, the contradiction rate and their counts. */
int render_scores_style(const struct score_set *set, enum out_format fmt);

/* reports/render_probs.c: scores --prob-summary, one row per model (metrics/probs.h). */
struct prob_summary;
int render_prob_summary(const struct prob_summary *s, enum out_format fmt);

/* reports/render_metrics.c: the tidy metric rows, or (summary) one verdict per instrument x
 * dimension, of one condition group after another into one output: render_metrics_begin() once,
 * render_metrics_add() per group (condition NULL = baseline, the last column, empty), out_end(). */
int render_metrics_begin(struct out *o, enum out_format fmt, int summary);
int render_metrics_add(struct out *o, const struct faith_table *t, const struct score_set *set, const char *condition,
                       int summary);

/* reports/render_varcomp.c: metrics --metric varcomp, one row per instrument x dimension x
 * component (metrics/varcomp.h) of one condition group after another (condition NULL = baseline). */
#define VARCOMP_HEADER_CELLS "instrument", "dimension", "component", "levels", "variance", "share", "method", "n", \
                             "note", "condition"
int render_varcomp_begin(struct out *o, enum out_format fmt);
int render_varcomp_add(struct out *o, const struct varcomp_rows *r, const char *condition);
/* reports/render_structure.c: psyfaith structure's tidy rows (metrics/structure.h), one group after another:
 * render_structure_begin() once, render_structure_add() per group, out_end().  g->model NULL = "all"
 * (pooled), g->condition NULL = baseline (empty). */
struct structure_group {
    const char *instrument, *model, *condition, *units;
};
#define STRUCTURE_COLUMNS "analysis", "instrument", "model", "condition", "units", "method", "factor", \
                          "factor_b", "item", "statistic", "value", "se", "n", "note"
int render_structure_begin(struct out *o, enum out_format fmt);
int render_structure_add(struct out *o, const struct structure_table *t, const struct structure_group *g);

/* reports/render_games.c: the games rows as CSV (header GAMES_HEADER) or, table = 1, aligned. */
#define GAMES_HEADER "analysis,model,trait,level,offer,term,value,ci_low,ci_high,df,p_value,n,note,condition"
int render_games(const struct games_rows *r, int table, FILE *fp);

/* reports/render_audit.c: one row per claim x model (x instrument). */
int render_audit(const struct audit_list *l, const struct audit_results *res, const struct audit_options *o,
                 enum out_format fmt);

/* reports/render_classify.c: the stored classifiers of want[d] (info[d] loaded) with their k_terms
 * n-grams of largest positive and negative weight, read from db. */
int render_classify_show(sqlite3 *db, const int want[5], const struct classify_info *info, size_t k_terms,
                         enum out_format fmt);
#endif
