/* metrics/games.h -- Ultimatum Game and Milgram analyses of persona-prompted models
 * (Zakazov et al., ../shared/papers/social-alignment.txt), against human data.
 *
 * The fits below reproduce R (reference values from tests/oracle/games.R, checked by
 * tests/test_games.c): games_ols = lm(), games_logit = glm(family = binomial), games_wilson =
 * prop.test(correct = FALSE)$conf.int.  They return STATS_OK or a negative STATS_* code of
 * metrics/stats.h with a static reason in *why (when why is not NULL), and print nothing.
 * The analyses (games_ultimatum, games_milgram) read the store and return tidy rows: they print
 * only diag_error() on failure, and reports/ formats the rows.  struct games_fit, games_rows and
 * games_human own their arrays and strings; release each with its _free() (safe when zeroed),
 * also after a failure.  The module's rules are in metrics/scores.h. */
#ifndef PSYFAITH_GAMES_H
#define PSYFAITH_GAMES_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <sqlite3.h>

#define GAMES_CI_LEVEL 0.95     /* every interval the games analyses report */

/* One fitted linear or logistic model.  The arrays have p entries and are owned by the struct:
 * release with games_fit_free (safe on a zeroed struct). */
struct games_fit {
    size_t n, p;            /* observations, coefficients (= columns of X) */
    double df;              /* residual degrees of freedom, n - p */
    double *coef;           /* estimates */
    double *se;             /* standard errors */
    double *stat;           /* t (OLS) or Wald z (logit) */
    double *p_value;        /* two-sided: t distribution with df (OLS), normal (logit) */
    double *lo, *hi;        /* 95% intervals: confint.lm (t) / confint.default (Wald) */
    double rss;             /* OLS: residual sum of squares */
    double r2, adj_r2;      /* OLS: summary.lm r.squared / adj.r.squared.  Without an intercept
                             * R uses the uncentred total sum of squares (sum y^2), so do we.
                             * NAN when the fitted values and residuals are all zero */
    double deviance, aic;   /* logit: residual deviance and AIC (= deviance + 2p for 0/1 data) */
    int iterations;         /* logit: IRLS iterations (R's iter) */
    int boundary;           /* logit: fitted probabilities numerically 0 or 1 occurred (R warns) */
    int constant_y;         /* OLS with an intercept, y constant (its centred sum of squares <= 1e-30
                             * of sum y^2): coef = (mean y, 0, ..., 0) exactly, rss 0, and se, stat,
                             * p_value, lo, hi, r2, adj_r2 NAN.  Differs: R's lm prints the
                             * rounding noise of its QR there ("essentially perfect fit") */
};
void games_fit_free(struct games_fit *f);

/* Least squares y = X b (R: lm(y ~ 0 + X), or lm(y ~ x) when the first column of X is all
 * ones and intercept = 1: that only changes R^2 to the centred form).  Borrows X and y.
 * Undefined: n <= p, or X rank deficient (singular values below 1e-7 of the largest; R's lm
 * would report NA coefficients).  A constant y with intercept = 1 sets f->constant_y. */
int games_ols(const gsl_matrix *X, const gsl_vector *y, int intercept, struct games_fit *f,
              const char **why);

/* Logistic regression of 0/1 y on X by iteratively reweighted least squares, step for step as
 * R's glm.fit (start mu = (y + 0.5) / 2, convergence |dev - dev_old| / (|dev| + 0.1) < 1e-8,
 * at most 25 iterations, R's logit thresholds at |eta| > 30).  Undefined: n <= p, y not 0/1,
 * rank deficiency, a non-finite deviance, or no convergence in 25 iterations (R warns and
 * returns the last iterate; we refuse: usually complete separation). */
int games_logit(const gsl_matrix *X, const gsl_vector *y, struct games_fit *f, const char **why);

/* Wilson score interval of k successes in n at `level` (R: prop.test(k, n, correct = FALSE)),
 * with R's clamping to exactly 0 and 1 at k = 0 and k = n.  Undefined for n = 0. */
int games_wilson(size_t k, size_t n, double level, double *lo, double *hi, const char **why);

/* The cell-means design of y = sum_i theta_i x_i + theta_o o (R: model.matrix(~ 0 +
 * factor(level) + o)): one 0/1 column per distinct level in level[0..n), ascending, then o.
 * Sets *X (caller frees), levels[0..*k) (room for n entries) and *k. */
int games_cellmeans_design(const int *level, const double *o, size_t n, gsl_matrix **X,
                           int *levels, size_t *k, const char **why);

/* Adjacent steps of v[0..k) that go against `direction` (+1: decreases count, -1: increases
 * count; 0: the smaller of the two counts).  Equal neighbours are no violation. */
size_t games_violations(const double *v, size_t k, int direction);

/* Rounds v[0..k) to multiples of 1e-10, in place, before ranking or comparing estimates: two cell
 * means that are equal in exact arithmetic (identical cells) can differ in the last bits between
 * GSL's SVD and R's QR, and a tie must stay a tie for Spearman's rho and the violation count. */
void games_snap_ties(double *v, size_t k);

/* ---- the analyses ----------------------------------------------------------------------------
 * They compute tidy rows and print nothing but diagnostics; reports/ formats them (render_games.c:
 * `psyfaith games`, report_games.c: the games parts of `psyfaith report`). */

#define GAMES_ALPHA 0.05        /* default significance level of the verdicts */

enum { GAMES_N_TRAITS = 5 };
extern const char *const games_traits[GAMES_N_TRAITS];   /* EXT AGR CONS EMO OPEN */

/* One result row, the columns analysis,model,trait,level,offer,term,value,ci_low,ci_high,df,
 * p_value,n,note,condition.  The text cells are owned copies (NULL = empty); a NAN number or n < 0 =
 * none.  condition is the experimental condition of the trials behind the row (NULL = the baseline,
 * no condition); every analysis runs once per model and condition. */
struct games_row {
    char *analysis, *model, *trait, *level, *offer, *term, *note, *condition;
    double value, ci_low, ci_high, df, p_value;
    long n;
};
/* A table of rows in output order; zero-initialise, release with games_rows_free.  condition
 * (borrowed; NULL = baseline) is copied into every row appended while it is set: the analyses set
 * it for the one model x condition they are working on. */
struct games_rows {
    struct games_row *v;
    size_t len, cap;
    const char *condition;
};
void games_rows_free(struct games_rows *r);

/* The human reference data (fixtures/games/human_games.csv, compiled into games_human.c). */
#define GAMES_HUMAN_MAX_X 100          /* acceptance at 0..100 % of the total */
#define GAMES_HUMAN_MAX_LEVEL 60
struct games_human {
    int ug_direction[GAMES_N_TRAITS];  /* +1 / -1, 0 = no human reference */
    int me_direction[GAMES_N_TRAITS];
    char *ug_dir_cite[GAMES_N_TRAITS], *me_dir_cite[GAMES_N_TRAITS];
    int have_accept;
    long accept_count[GAMES_HUMAN_MAX_X + 1], accept_n;   /* responders with minimum <= x % */
    char *accept_cite;
    int have_offer;
    long offer_count[GAMES_HUMAN_MAX_X + 1], offer_n;     /* proposers offering exactly x % */
    char *offer_cite;
    int me_levels;                     /* last level of the human curve (30), 0 = none */
    long me_remaining[GAMES_HUMAN_MAX_LEVEL + 1], me_n;
    char *me_cite;
};
/* Parses the table from `path`, or the compiled-in copy when path is NULL.  0 or -1 (printed).
 * Release with games_human_free (also after a failure: it is then already empty). */
int games_human_load(const char *path, struct games_human *h);
void games_human_free(struct games_human *h);

struct games_opts {
    double alpha;                      /* significance threshold of the verdicts */
};

/* `psyfaith games ultimatum` / `milgram` over the store: append their rows to *out (borrows db and
 * h).  0, or -1 after printing why (rows appended so far stay in *out for the caller to free). */
int games_ultimatum(sqlite3 *db, const struct games_human *h, const struct games_opts *o,
                    struct games_rows *out);
int games_milgram(sqlite3 *db, const struct games_human *h, const struct games_opts *o,
                  struct games_rows *out);
/* The strategy-method and proposer rows of `psyfaith games ultimatum` (games_strategy.c), from the
 * store's ultimatum_threshold and game_offer tables: parse statuses, the acceptance curve that the
 * thresholds imply against the human curve, and mean, sd, Welch t and distribution of thresholds and
 * offers against the human ones.  Appends nothing when both tables are empty.  0 or -1 (printed). */
int games_strategy(sqlite3 *db, const struct games_human *h, const struct games_opts *o,
                   struct games_rows *out);

#endif
