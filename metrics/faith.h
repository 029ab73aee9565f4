/* metrics/faith.h -- RealBehavior's faithfulness metrics (TrC, InC, ExC, BC) and the diagnostics a
 * psychometrician expects, computed over a score_set (metrics/scores.h).  Nothing here prints:
 * faith_compute() returns tidy rows, faith_summarize() verdicts; reports/render_metrics.c writes them.
 *
 * Definitions (the README and `psyfaith metrics --help` repeat them):
 * - The sample of a block (instrument x dimension) is the subjects with at least one voted answer
 *   in it.  A subject's dimension score is the per-item mean of score_of() (Eq. 1 / items, with
 *   proration at min_share); every correlation across subjects uses these per-item means.
 * - TrC (Eq. 2): per subject, the Pearson r of the item-score vectors of repetitions u < v (items
 *   as observations, pairwise complete), averaged over pairs, then over subjects (stats_trc).
 *   literal: the printed form, the sum over ordered pairs incl. u = v divided by N_T^2 (a pair
 *   without a correlation adds 0).  Pairs with a constant vector are skipped and counted.
 * - InC (Eq. 3 with the "1 -"): psych::alpha raw_alpha of the voted subjects x items matrix;
 *   std_alpha, alpha_if_deleted (per item), split-half (odd/even Spearman-Brown; psych::splitHalf
 *   mean, max = lambda 4, min = beta over all splits) from the same pairwise covariances.
 *   units_runs (--units runs): the rows are every repetition of every subject instead (each run's
 *   own keyed answers, as most LLM-personality papers compute alpha); TrC and the ICCs are about
 *   a subject's repetitions and stay as they are, and every other metric stays over subjects.
 * - Faithful (faith_summarize, the one definition that metrics --summary, audit and the report
 *   use): a block is faithful when TrC and InC are both defined and every defined thresholded
 *   coefficient (TrC InC ICC* ExC BC) reaches its threshold; unfaithful when a defined one is
 *   below it; otherwise it cannot be assessed (TrC or InC undefined, i.e. an empty value in
 *   psyfaith metrics, with that row's note as the reason).  A block whose acq_share exceeds its
 *   trait_share gets a warning appended to the reason; that does not change the verdict.
 * - ICC(1,1), ICC(A,1), ICC(C,1): psych::ICC (lmer = FALSE) of subjects x repetitions, each cell
 *   the per-item mean of that repetition alone; subjects with every repetition of the instrument.
 * - ExC (Eq. 4): Pearson r across subjects of the scores on two instruments sharing a dimension.
 * - BC (Eq. 5): Pearson r across subjects of the score and the CrS of table crs.
 * - heterotrait_r: mean |r| across subjects between this dimension's score and each other
 *   dimension's score on the same instrument; the note gives the convergent r (mean ExC) next to it.
 * - Response style, each the mean over the block's subjects of a per-subject share, over every
 *   repetition: neutral_rate (middle option among ok answers; odd K only), acquiescence
 *   ((agree_pos / n_pos + agree_neg / n_neg) / 2, agree = an option above the middle, on the raw
 *   scale before reverse keying: 0.5 = balanced, 1 = agrees with everything, 0 = disagrees with
 *   everything; subjects with both + and - keyed answers), option_entropy (Shannon entropy in bits
 *   of the subject's raw options), refusal_rate and unparsed_rate (of all responses).
 * - Acquiescence decomposition (faith_acq.c; the per-subject values are psyfaith scores --style):
 *   per subject over every ok answer of every repetition, on the raw scale before reverse keying,
 *   P = mean option on + keyed items, N = on - keyed items, trait T = (P - N)/2, acquiescence
 *   A = (P + N)/2 - (K + 1)/2; contradiction = of the pairs (+ item, - item) both answered in one
 *   repetition (its first ok answer of each item), pooled over repetitions, the share with both
 *   options above the middle.  Per block: acq_share and trait_share = R^2 of the least-squares line
 *   of the score (per-item mean, as above) on A, resp. T, across the subjects with a score and both
 *   + and - keyed answers: r^2, 0 when the predictor is constant, empty when the score is constant
 *   or n < 3; acq_mean = mean A, contradiction_rate = mean contradiction over subjects.  A block
 *   with acq_share > trait_share gets a warning in its summary reason; the verdict is unchanged.
 * - norm_z, norm_percentile: per model (all subjects with that model name) the mean of the
 *   subjects' per-item means against each human norm of table norm (same instrument and
 *   dimension): z = (mean - norm mean) / norm sd, percentile = 100 Phi(z); n = subjects.
 * - steer_rho, steer_violations: per model and persona trait, over the subjects whose persona
 *   carries a level (e.g. agreeableness=7): Spearman rho of level and the matching dimension's
 *   score; violations = steps between adjacent distinct levels where the mean score decreases.
 * CIs: with bootstrap > 0, percentile intervals over B resamples of the metric's own subjects
 * (stats_bootstrap_ci, one seed for every metric, so the output is reproducible; split-half only
 * for up to 14 items); otherwise Feldt (InC), psych's bounds (ICC) and Fisher z (ExC, BC, n >= 4);
 * the other metrics have no analytic CI.
 * Reference values: tests/oracle/faith.R; tests/oracle/faith/README.md lists where psyfaith
 * deliberately differs from psych.
 * Contract (the metrics/ rules are in metrics/scores.h): faith_compute() borrows the score_set and
 * inputs and appends to a faith_table the caller frees with faith_table_free(); faith_inputs and
 * faith_summary arrays are the caller's too (their _free()).  0 / -1 after diag_error().
 */
#ifndef PSYFAITH_FAITH_H
#define PSYFAITH_FAITH_H

#include <stddef.h>
#include <sqlite3.h>

#include "metrics/scores.h"

struct faith_options {
    int trc_literal;          /* TrC by the printed formula (N_T^2) instead of pairs u < v */
    int check_keys;           /* split-half reverses items with a negative first-PC loading, as
                               * psych::splitHalf(check.keys = TRUE) does; default 0 */
    double min_share;         /* score_of() proration share (default 0.8) */
    size_t bootstrap;         /* B resamples; 0 = analytic CIs */
    unsigned long seed;       /* bootstrap seed (default 1) */
    double level;             /* CI level (default 0.95) */
    double reliability;       /* TrC, InC, ICC below this are unfaithful (default 0.7) */
    double validity;          /* ExC, BC below this are unfaithful (default 0.6) */
    const char *metrics;      /* comma-separated metric or group names; NULL = all */
    size_t threads;           /* bootstrap workers (default threads_default(): 2); any count gives
                               * the same output, byte for byte */
    int units_runs;           /* --units runs: each repetition of a subject is a respondent of the
                               * alpha family (InC, std_alpha, alpha_if_deleted, split-half);
                               * default 0 = subjects (majority-voted rows) */
};
void faith_options_default(struct faith_options *o);
/* "subjects" -> 0, "runs" -> 1 into *units_runs; -1 for anything else (the caller says so). */
int faith_units_parse(const char *arg, int *units_runs);
/* When the set has exactly one subject and it has 2 or more runs (repetitions) of an instrument:
 * that count (the largest over the blocks), else 0.  The case --units runs is for. */
int faith_single_subject_runs(const struct score_set *set);
/* 0 when every name in `list` is a metric or group name, else -1 and *bad = the first unknown
 * name (pointing into list). */
int faith_metrics_valid(const char *list, const char **bad);
extern const char *const faith_metric_names[];   /* NULL-terminated, in output order */
extern const char *const faith_group_names[];    /* "paper reliability ... style acq norms steer" */

/* Criterion scores and human norms, read from the store's crs and norm tables. */
struct faith_norm {
    char *instrument, *population;
    int dimension;            /* index into dimension_codes */
    double mean, sd;          /* per item, on the 1..K scale */
};
/* The order effect of one subject in one block (or every item of an instrument), one order against
 * the reference (faith_order.c; definitions there and in `psyfaith metrics --help`). */
struct faith_order {
    size_t subject;           /* index into set->subjects */
    int instrument;           /* index into set->instruments */
    int block;                /* index into set->blocks; -1 = every item of the instrument */
    char *ref, *other;        /* order names: "ascending", "descending" or "3,1,2,5,4"; owned */
    int n_orders;             /* orders the subject answered this group's items under */
    size_t n_items;           /* items answered (ok) under both ref and other */
    double mean_ref, mean_other;  /* mean over those items of the item's mean ascending option */
    int t_rc, w_rc;           /* STATS_OK or why the test is undefined (t_why, w_why) */
    const char *t_why, *w_why;
    double t_mean, t_stat, t_df, t_p, t_se;   /* paired t (other - ref); the CI is mean -/+ qt * se */
    double w_V, w_p;
    size_t w_n, w_zeros;
    int w_exact, w_ties;
    double position_bias;     /* NAN = no paired item */
    double cb_score, pooled;  /* blocks: counterbalanced and pooled per-item mean keyed score; NAN else */
    size_t cb_items;          /* items answered under 2 or more orders */
};

struct faith_inputs {
    size_t crs_rows;          /* rows in table crs (all subjects): 0 = classifier not applied */
    double *crs;              /* n_subjects x N_DIMENSIONS, NAN = none; owned */
    unsigned char *crs_method;   /* n_subjects x N_DIMENSIONS: 0 none, 1 label, 2 prob; owned */
    size_t n_norms;
    struct faith_norm *norms; /* owned */
    size_t n_order;
    struct faith_order *order;   /* owned; subjects with answers under 2 or more orders only */
};
/* faith_order.c: the order effects of set's subjects into in (called by faith_inputs_load). */
int faith_order_load(sqlite3 *db, const struct score_set *set, struct faith_inputs *in);
void faith_order_free(struct faith_inputs *in);
/* Fills *in for the subjects of set.  0, or -1 after printing why.  Free with faith_inputs_free. */
int faith_inputs_load(sqlite3 *db, const struct score_set *set, struct faith_inputs *in);
void faith_inputs_free(struct faith_inputs *in);

enum faith_verdict { FAITH_NOT_CHECKED, FAITH_OK, FAITH_UNFAITHFUL, FAITH_UNDEFINED };

/* One output row.  Strings are owned (NULL = empty) except metric and dimension (static). */
struct faith_row {
    const char *metric;
    char *instrument;
    char *instrument_b;       /* ExC: the other instrument; norm_*: the norm population */
    const char *dimension;
    char *item;               /* alpha_if_deleted: item code; norm_*, steer_*: the model */
    double value, ci_low, ci_high;   /* NAN = empty */
    long n;                   /* -1 = empty */
    char *note;
    enum faith_verdict verdict;      /* for thresholded metrics (TrC InC ICC* ExC BC) */
    double threshold;
    size_t order;             /* internal: emission order within a metric */
};
struct faith_table {
    size_t n, cap;
    struct faith_row *rows;
};
void faith_table_free(struct faith_table *t);

/* Every requested metric over set, rows ordered by metric (as faith_metric_names), then block
 * order.  in may be NULL (no CrS, no norms).  0, or -1 after printing why (out of memory). */
int faith_compute(const struct score_set *set, const struct faith_inputs *in,
                  const struct faith_options *opt, struct faith_table *out);

/* Subject s's acquiescence decomposition in block b (faith_acq.c), from every ok answer of every
 * repetition; the definitions are at the top of this header. */
struct faith_acq_subject {
    double P, N;              /* mean raw option on + / - keyed items; NAN = none answered */
    double T, A;              /* (P - N)/2 and (P + N)/2 - (K + 1)/2; NAN unless both P and N exist */
    double contradiction;     /* both_agree / pairs; NAN when pairs = 0 */
    long n_pos, n_neg;        /* ok answers on + and - keyed items */
    long pairs, both_agree;   /* (+, -) item pairs answered in one repetition; both above the middle */
};
void faith_acq_subject(const struct score_set *set, size_t b, size_t s, struct faith_acq_subject *out);

/* Per instrument x dimension of set, the verdict defined at the top of this header, with the
 * reasons (faithful: 1 yes, 0 no, -1 cannot be assessed). */
struct faith_summary {
    char *instrument;
    const char *dimension;
    int faithful;             /* 1 yes, 0 no, -1 not assessed */
    char *reason;             /* owned */
};
int faith_summarize(const struct faith_table *t, const struct score_set *set,
                    struct faith_summary **out, size_t *n);
void faith_summary_free(struct faith_summary *s, size_t n);


/* ---- internal to metrics/faith*.c ------------------------------------------------------- */

/* What every part of faith_compute() shares. */
struct faith_ctx {
    const struct score_set *set;
    const struct faith_inputs *in;
    const struct faith_options *opt;
    struct faith_table *t;
    double *score;            /* n_blocks x n_subjects: per-item mean, NAN = none */
    unsigned char *took;      /* n_blocks x n_subjects: any response in the block */
    double *conv_sum;         /* n_blocks: sum and count of the block's defined ExC values */
    size_t *conv_n;
};
int faith_reliability(struct faith_ctx *c, size_t b);   /* TrC, alpha family, ICC */
struct faith_boot;
int faith_beyond_alpha(struct faith_ctx *c, size_t b, const struct faith_boot *shared, size_t off);  /* omega_total, lambda6, r_drop (faith_omega.c) */
/* InC's respondents x items matrix (faith_rel.c): see there. */
gsl_matrix *faith_respondents(const struct faith_ctx *c, const struct score_block *blk, const size_t *rows,
                              size_t n_subj, size_t *n);
int faith_validity(struct faith_ctx *c);                /* ExC, BC, heterotrait_r */
int faith_style(struct faith_ctx *c, size_t b);         /* response-style rates */
int faith_acq(struct faith_ctx *c, size_t b);           /* acq_share trait_share acq_mean contradiction_rate */
/* Appends "warning: acquiescence explains more ..." to *reason when the table's acq_share of the
 * block exceeds its trait_share (both defined); 0, or -1 when out of memory (prints nothing). */
int faith_acq_warning(const struct faith_table *t, const char *instrument, const char *dimension, char **reason);
/* R^2 of the least-squares line of y on x as acq_share and trait_share compute it: 0 when x is
 * constant, NAN (why set) when y is constant or n < 3 (faith_acq.c). */
double faith_acq_r2(const double *x, const double *y, size_t n, const char **why);
int faith_norms(struct faith_ctx *c);                   /* norm_z, norm_percentile */
int faith_steer(struct faith_ctx *c);                   /* steer_rho, steer_violations */
int faith_order_rows(struct faith_ctx *c);              /* order_diff order_p_t order_p_wilcoxon position_bias cb_score */
/* Sets row->verdict against thr and notes "unfaithful" below it. */
int faith_judge(struct faith_row *row, double thr);
/* Index of the block (instrument, dimension) in set, or -1. */
int faith_block(const struct score_set *set, int instrument, int dimension);

/* Appends a row (value etc. NAN/-1, strings copied); NULL when out of memory.  The table may move:
 * the pointer is valid only until the next faith_add (keep an index across one). */
struct faith_row *faith_add(struct faith_table *t, const char *metric, const char *instrument,
                            const char *instrument_b, const char *dimension, const char *item);
/* Appends "; "-separated text to row->note; -1 when out of memory. */
int faith_note(struct faith_row *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int faith_wanted(const struct faith_options *opt, const char *metric);

/* Bootstrap over n units whose statistic yields nstat values at once (e.g. raw alpha, std alpha
 * and every alpha-if-deleted from one resample): fn fills out[0..nstat) with NAN for undefined;
 * out[0] decides whether stats_bootstrap_ci accepts the replicate. */
typedef int (*faith_multi_fn)(const size_t *idx, size_t n, void *ctx, double *out);
struct faith_boot {
    size_t nstat, B, calls, ran;
    double *vals;             /* (B + 1) x nstat; row 0 = the original sample */
    const char *why;          /* why no replicates ran, or NULL */
    /* Two statistics' bootstraps in one run (alpha's and omega's share each replicate's item
     * covariance): set lead2 before the run to the first value of the second group, whose
     * out[lead2] decides for it as out[0] does for the first; 0 = one group.  undefined[g]: group
     * g's lead is undefined on the sample, so its values get no CI (the run kept the bytes of two
     * separate runs: the same resamples). */
    size_t lead2;
    int undefined[2];
};
/* Runs the bootstrap (opt->bootstrap resamples, opt->seed); b->ran = 0 when none ran.  The
 * resamples are those of stats_bootstrap_ci (one mt19937 stream, drawn in replicate order). */
int faith_boot_run(struct faith_boot *b, size_t n, size_t nstat, faith_multi_fn fn, void *ctx,
                   const struct faith_options *opt);
/* The same on up to n_ctx worker threads (at most opt->threads): ctxs[w] is worker w's own
 * context (its scratch), each a copy of the same statistic.  The indices are still drawn in
 * replicate order on one thread, and replicate r's values go to row r whichever worker computes
 * them, so the output does not depend on the thread count or on scheduling. */
#define FAITH_BOOT_MAX_THREADS 16
int faith_boot_run_par(struct faith_boot *b, size_t n, size_t nstat, faith_multi_fn fn, void *const *ctxs,
                       size_t n_ctx, const struct faith_options *opt);
/* How many worker contexts a faith_boot_run_par caller should make: 1 without a bootstrap. */
size_t faith_boot_threads(const struct faith_options *opt);
/* Percentile CI of statistic j into row (ci_low/ci_high), or a note saying why there is none. */
int faith_boot_ci(const struct faith_boot *b, size_t j, const struct faith_options *opt,
                  struct faith_row *row);
void faith_boot_free(struct faith_boot *b);

#endif
