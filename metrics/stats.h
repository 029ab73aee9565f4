/* metrics/stats.h -- the statistics behind the faithfulness metrics, matched against R.
 *
 * Conventions
 * - A score matrix is a gsl_matrix of n_subjects (rows) x k_items (columns); NAN = missing.
 * - Every function returns STATS_OK (0) or a negative code; on a negative code *why (when why
 *   is not NULL) points to a static reason such as "constant vector" or "k = 1", the result is
 *   not written, and nothing is printed.  A value that R would give as NA is never returned as
 *   a number; the few NAN fields inside result structs are documented where they are declared.
 * - Reference values come from tests/oracle/stats.R (R 4.2, psych 2.2.9); tests/test_stats.c
 *   checks them to 1e-9 or better.  Deliberate differences from R are marked "Differs:".
 * - Pure: no store, no output, no global state (the bootstrap's generator is local to the call);
 *   inputs are borrowed for the call.  Only stats_alpha allocates inside its result (release with
 *   stats_alpha_free).  The rest of metrics/ follows metrics/scores.h.
 */
#ifndef PSYFAITH_STATS_H
#define PSYFAITH_STATS_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>

enum {
    STATS_OK = 0,
    STATS_UNDEFINED = -1,   /* the statistic does not exist for these data (R: NA or error) */
    STATS_NOMEM = -2,       /* out of memory */
    STATS_EINVAL = -3       /* a bad argument (level outside (0, 1), B = 0, NULL data...) */
};

/* ---- correlations (stats_descriptive.c) -------------------------------------------- */

/* Pearson r over the pairs where neither x[i] nor y[i] is NaN (R: cor(x, y,
 * use = "pairwise.complete.obs")); clamped to [-1, 1] as R does.
 * Undefined: fewer than 2 complete pairs, or x or y constant over those pairs. */
int stats_pearson(const double *x, const double *y, size_t n, double *r, const char **why);
/* Spearman rho: Pearson r of the average ranks (ties get their mean rank) of the complete
 * pairs (R: cor(x, y, use = "pairwise.complete.obs", method = "spearman")). */
int stats_spearman(const double *x, const double *y, size_t n, double *rho, const char **why);
/* Number of pairs with neither value NaN: the n to pass to stats_fisher_ci(). */
size_t stats_complete_pairs(const double *x, const double *y, size_t n);
/* Fisher-z confidence interval of r from n pairs, as R's cor.test():
 * tanh(atanh(r) -/+ qnorm((1 + level) / 2) / sqrt(n - 3)).  Undefined for n < 4. */
int stats_fisher_ci(double r, size_t n, double level, double *lo, double *hi, const char **why);

/* ---- internal consistency (stats_consistency.c) ---------------------------------------- */

/* Cronbach's alpha as psych::alpha(x) with its defaults (check.keys = FALSE, use =
 * "pairwise", delete = TRUE).  Items are never reversed here: pass reverse-keyed scores. */
struct stats_alpha {
    size_t n;             /* rows of the matrix; psych's n for the Feldt CI counts all rows */
    size_t k;             /* items used, after dropping zero-variance ones */
    double raw_alpha;     /* psych total$raw_alpha; negative values are valid results */
    double std_alpha;     /* psych total$std.alpha; NAN if the correlations sum to <= 0 */
    double average_r;     /* psych total$average_r: mean off-diagonal correlation */
    double feldt_lo;      /* psych feldt$lower.ci / upper.ci: 95% Feldt interval */
    double feldt_hi;
    size_t n_dropped;     /* items with zero variance (or < 2 answers), as psych drops them */
    size_t *dropped;      /* their 0-based column indices, ascending; owned, see _free */
    double *alpha_drop;   /* per original column: raw alpha without that item (psych
                           * alpha.drop$raw_alpha); NAN for a dropped item, when k = 2
                           * (Differs: psych prints C12/C22 there, which is not an alpha) or
                           * when the remaining items have zero total variance; owned */
};
/* Fills *a (owning two arrays, release with stats_alpha_free).  Undefined: fewer than 2
 * subjects, k = 1 (or 0) after dropping, two items with < 2 shared answers, zero total
 * variance (sum of the covariance matrix <= 1e-12 of its trace; psych would divide by it),
 * or a negative one (an inconsistent pairwise matrix; Differs: psych returns a number). */
int stats_alpha(const gsl_matrix *m, struct stats_alpha *a, const char **why);
void stats_alpha_free(struct stats_alpha *a);   /* frees the arrays; safe on a zeroed struct */
/* Feldt interval of alpha for n subjects and k items, as psych::alpha.ci():
 * 1 - (1 - alpha) * qf(1 -/+ (1 - level) / 2, n - 1, (n - 1)(k - 1)).  Needs n, k >= 2. */
int stats_feldt_ci(double alpha, size_t n, size_t k, double level, double *lo, double *hi,
                   const char **why);

/* Split-half reliability on the pairwise covariance matrix of stats_alpha (same dropping), over
 * the items that remain.  check_keys: psych::splitHalf(check.keys = TRUE), which reverses the
 * items with a negative loading on the first principal component of their correlations (psych's
 * default; psyfaith's is 0 because the instrument keys the items).  Undefined: n < 2, k < 2 after
 * dropping, or neither the odd/even split nor the all-split statistics exist. */
#define STATS_SPLIT_MAX_K 20   /* all splits are enumerated up to this many items */
struct stats_split {
    size_t k;             /* items used */
    size_t n_dropped;     /* zero-variance items left out */
    size_t n_reversed;    /* items reversed by check_keys */
    double odd_even_r;    /* r between the halves of odd and even original columns (1st, 3rd,
                           * ... vs 2nd, 4th, ...), from the raw covariances; NAN when a half
                           * is empty or constant (odd_even_why says which) */
    double odd_even_sb;   /* Spearman-Brown: 2r / (1 + r); NAN with odd_even_r */
    const char *odd_even_why;
    size_t n_splits;      /* distinct splits into floor(k/2) + ceil(k/2) items; 0 if k > MAX */
    double mean_rb;       /* over those splits, of 4 R_AB / sum(R) on the correlation matrix: */
    double max_rb;        /* psych::splitHalf(x, check.keys = FALSE) meanr, maxrb, minrb, */
    double min_rb;        /* matched for even k <= 16; NAN when n_splits = 0.  Differs: for
                           * odd k psych averages only some splits (with a fractional count)
                           * and for k > 16 samples at random; we use every split. */
    const char *splits_why;   /* why mean/max/min are NAN although k <= MAX, or NULL */
};
int stats_split_half(const gsl_matrix *m, int check_keys, struct stats_split *s, const char **why);

/* Reliability beyond alpha, on the same pairwise covariance matrix and the same dropped items as
 * stats_alpha (psych::alpha's defaults):
 * - lambda6: Guttman's lambda 6, psych::alpha's G6(smc) = 1 - (k - sum(smc)) / sum(R), R =
 *   cov2cor(C), smc = 1 - 1/diag(Pinv(R)) clamped to [0, 1] as psych::smc does;
 * - r_drop: corrected item-total correlation per item, psych::alpha's r.drop (covariances);
 * - omega_total: McDonald's omega (sum l)^2 / ((sum l)^2 + sum psi) from the one-factor minres
 *   solution on the pairwise correlations of the kept items, as psych::fa(x, 1, fm = "minres"),
 *   psi = 1 - l^2.  Differs: fa stops its L-BFGS-B search early (its loadings lie ~1e-7 from the
 *   optimum on well-conditioned data, further when R is singular); this solves the stationarity
 *   equations exactly by iterated principal axes, which converge to the same least-squares
 *   minimum, and refuses a Heywood case (a communality >= .995, where fa's bound psi >= .005
 *   holds) or no convergence (STATS_OMEGA_MAX_ITER steps, or STATS_OMEGA_STALL steps without
 *   progress), with omega_why. */
#define STATS_OMEGA_MAX_ITER 10000
#define STATS_OMEGA_STALL 200    /* steps without a new smallest step: cycling, not converging */
struct stats_beyond {
    size_t k;             /* items used (as stats_alpha) */
    size_t n_dropped;
    size_t *dropped;      /* zero-variance columns, ascending, as stats_alpha's; owned */
    double lambda6;       /* NAN when sum(R) <= 0 (lambda6_why says so) */
    const char *lambda6_why;
    double omega_total;   /* NAN with omega_why */
    const char *omega_why;
    size_t omega_iterations;
    double *loading;      /* per original column: one-factor loading, sum made >= 0 as psych
                           * does; NAN for a dropped item or without omega; owned */
    double *r_drop;       /* per original column; NAN for a dropped item or when the other
                           * items' total variance is <= 0; owned */
};
/* Fills *b (owning three arrays, release with stats_beyond_free).  Undefined as stats_alpha. */
int stats_beyond_alpha(const gsl_matrix *m, struct stats_beyond *b, const char **why);
void stats_beyond_free(struct stats_beyond *b);

/* Bootstrap replicates (stats_resample.c): the statistics above on the rows x[idx[0]], ...,
 * x[idx[n - 1]] of a matrix x without NaN (stats_no_nan), without copying them.  The covariances
 * are sums over the distinct rows weighted by their draws: equal to those of the copied rows to
 * within a unit in the last place (the same means, long double sums in another order).  Feldt
 * bounds are not computed (NAN).  stats_alpha_resample also does stats_split_half when *split_rc
 * is not NULL and with_split, its return code in *split_rc (STATS_UNDEFINED when not run), and
 * stats_beyond_resample's work on the same item covariance when beyond_rc is not NULL (into *be,
 * its return code in *beyond_rc: what stats_beyond_resample would give).
 * stats_beyond_resample: warm, when not NULL, is the sample's loading per column; it starts
 * the replicate's first principal axis (the fit converges to the same solution). */
int stats_no_nan(const gsl_matrix *x);
int stats_alpha_resample(const gsl_matrix *x, const size_t *idx, size_t n, struct stats_alpha *a, int with_split,
                         int check_keys, struct stats_split *s, int *split_rc, const double *warm,
                         struct stats_beyond *be, int *beyond_rc);
int stats_beyond_resample(const gsl_matrix *x, const size_t *idx, size_t n, const double *warm,
                          struct stats_beyond *b, const char **why);

/* ---- test-retest (stats_retest.c) --------------------------------------------------- */

/* Shrout-Fleiss ICCs as psych::ICC(na.omit(x), lmer = FALSE) prints them; rows = subjects
 * (targets), columns = repetitions (judges).  Only complete rows are used.  With complete
 * data psych's default lmer = TRUE estimates the same mean squares, up to its optimiser. */
struct stats_icc_est {
    double icc, f, df1, df2, p;   /* p = upper tail of F(df1, df2); F = INFINITY, p = 0 when the
                                   * denominator mean square is zero */
    double lo, hi;                /* psych's "lower bound", "upper bound" at `level`; each NAN
                                   * when it does not exist */
    const char *why;              /* NULL, or why icc (NAN) or a bound (NAN) is missing */
};
struct stats_icc {
    size_t n, k, n_incomplete;    /* complete rows used, columns, rows left out */
    double msb, msj, mse, msw;    /* between subjects, judges, residual, within subjects */
    struct stats_icc_est icc1;    /* ICC(1,1): one-way random */
    struct stats_icc_est icc2;    /* ICC(A,1): absolute agreement, psych ICC2 */
    struct stats_icc_est icc3;    /* ICC(C,1): consistency, psych ICC3 */
};
/* level 0.95 gives psych's bounds.  Undefined: n < 2, k < 2 or zero total variance.  Otherwise
 * each estimate stands alone, with psych's point value where psych has one: a mean square below
 * 1e-12 of the total mean square is taken as 0 (psych divides by R's ~1e-31 rounding residue), so
 * repetitions that differ by a constant give ICC(C,1) = 1 and zero between-subject variance gives
 * ICC(1,1) = ICC(C,1) = -1/(k-1).  A bound that does not exist (F infinite, a degenerate
 * Satterthwaite df, an F quantile that does not converge: R's qf gives NaN there too) is NAN with
 * the reason in why, and the other bound, value and estimates are still given.  ICC(C,1) is NAN
 * (0/0) when both the between-subject and the residual mean square are zero.  Differs: psych
 * prints bounds of 1 (ICC3) and finite ICC2 bounds from the rounding residue, and ICC3 = 1 from
 * 0/0 noise. */
int stats_icc(const gsl_matrix *m, double level, struct stats_icc *out, const char **why);
/* stats_icc without p and bounds (NAN): the three values and mean squares only, as a bootstrap
 * replicate needs them; the values are stats_icc's bit for bit. */
int stats_icc_point(const gsl_matrix *m, struct stats_icc *out, const char **why);

/* RealBehavior TrC (Eq. 2).  reps[s] is subject s's T_s x k matrix: row = repetition,
 * column = item score, NAN = missing.  Per subject, the Pearson r of every pair of rows
 * (items as observations, pairwise complete), averaged; then the mean over subjects.
 * literal = 0: mean over pairs u < v (the default and what the text describes).
 * literal = 1: the printed formula, sum over all ordered pairs (u, v) including u = v
 *              (r = 1) divided by N_T^2, N_T = the subject's rows: (N_T + 2 sum_{u<v} r) / N_T^2.
 *              A pair whose r is undefined (also u = v for a constant row) adds 0 to the sum and
 *              still counts in N_T^2.
 * Pairs whose r is undefined (a constant row, < 2 shared items) are skipped and counted; a
 * subject without a single defined pair is left out.  Undefined: no defined pair at all. */
struct stats_trc {
    double trc;
    size_t n_subjects;    /* subjects that contributed */
    size_t n_pairs;       /* defined pairs u < v */
    size_t n_skipped;     /* undefined pairs u < v (constant vectors and the like) */
};
int stats_trc(const gsl_matrix *const *reps, size_t n_subjects, int literal,
              struct stats_trc *out, const char **why);

/* ---- norms, response style (stats_descriptive.c), tests (stats_inference.c) ------------ */

/* z = (x - mean) / sd and percentile = 100 * Phi(z) (R: 100 * pnorm(x, mean, sd)).
 * pct may be NULL.  Undefined unless sd > 0 and all inputs are finite. */
int stats_norm_z(double x, double mean, double sd, double *z, double *pct, const char **why);
/* Shannon entropy in bits of the observed option proportions counts[i] / sum (zero counts
 * contribute 0): -sum p log2 p.  Undefined when nothing was observed. */
int stats_entropy(const size_t *counts, size_t k, double *bits, const char **why);
/* Quantile of the non-NaN values of x with R's default type 7 (GSL's
 * gsl_stats_quantile_from_sorted_data is the same rule).  x is not modified. */
int stats_quantile(const double *x, size_t n, double p, double *q, const char **why);

/* Welch two-sample t-test, R t.test(x, y) (var.equal = FALSE); NaNs are skipped.
 * Undefined: fewer than 2 values in a group, or "data are essentially constant" (R's test:
 * standard error < 10 * DBL_EPSILON * max(|mean x|, |mean y|)). */
struct stats_ttest {
    double t, df, p;      /* p two-sided */
    double mean_x, mean_y;
    size_t nx, ny;
};
int stats_welch_t(const double *x, size_t nx, const double *y, size_t ny,
                  struct stats_ttest *out, const char **why);

/* ---- bootstrap (stats_inference.c) -------------------------------------------------- */

/* A statistic over the resampled subjects idx[0..n) (indices into the caller's data, with
 * repeats).  Returns 0 and sets *value, or a negative code when undefined for that sample. */
typedef int (*stats_statistic_fn)(const size_t *idx, size_t n, void *ctx, double *value);
struct stats_boot {
    double estimate;      /* the statistic on the original sample (idx = 0..n-1) */
    double lo, hi;        /* percentile interval: type-7 quantiles (1 -/+ level) / 2 */
    size_t n_ok;          /* replicates with a defined statistic (the CI uses these) */
    size_t n_failed;      /* replicates where the statistic was undefined */
};
/* Percentile bootstrap over n subjects, B replicates, reproducible from `seed` (GSL
 * mt19937, indices from gsl_rng_uniform_int).  Undefined if the statistic is undefined on the
 * original sample or fewer than 2 replicates are defined; callers should report n_failed. */
int stats_bootstrap_ci(size_t n, stats_statistic_fn stat, void *ctx, size_t B,
                       unsigned long seed, double level, struct stats_boot *out,
                       const char **why);

/* ---- two proportions (stats_proportions.c) ---------------------------------------------- */

/* Wilson score interval of k successes in n at `level`: R prop.test(k, n, correct = FALSE)$conf.int
 * (no continuity correction; R's default correct = TRUE would not be the interval that Newcombe's
 * method below combines), clamped to exactly 0 and 1 at k = 0 and k = n as R does.
 * Undefined for n = 0 or k > n. */
int stats_wilson(size_t k, size_t n, double level, double *lo, double *hi, const char **why);

/* p1 - p2 = k1/n1 - k2/n2 with Newcombe's (1998) hybrid score interval, method 10: from the Wilson
 * intervals (l_i, u_i) above, lo = d - sqrt((p1 - l1)^2 + (u2 - p2)^2), hi = d + sqrt((u1 - p1)^2 +
 * (p2 - l2)^2).  R has no built-in; tests/oracle/conditions.R writes it out from prop.test's
 * intervals.  Undefined when a group has no trials. */
struct stats_prop_diff {
    double p1, p2, diff, lo, hi;
};
int stats_newcombe(size_t k1, size_t n1, size_t k2, size_t n2, double level, struct stats_prop_diff *out,
                   const char **why);

/* Two-sided p of Fisher's exact test of the 2 x 2 table [a b; c d] (rows = groups, columns =
 * success / failure): R fisher.test(matrix(c(a, c, b, d), 2))$p.value, tables whose conditional
 * probability is at most 1 + 1e-7 times the observed one.  Undefined for an empty table. */
int stats_fisher_exact(size_t a, size_t b, size_t c, size_t d, double *p, const char **why);

/* ---- paired tests (stats_paired.c; issue 14 part 1, the order effect) ------------------ */

/* Paired t-test, R t.test(x, y, paired = TRUE, conf.level = level): d = x - y over the pairs where
 * neither is NaN; t = mean(d) / (sd(d)/sqrt(n)), df = n - 1, p two-sided, CI = mean -/+
 * qt(1 - (1 - level)/2, df) se.  Undefined: fewer than 2 pairs ("not enough 'x' observations"),
 * se < 10 DBL_EPSILON |mean| (R's "data are essentially constant"), or every d = 0 (R: t NaN). */
struct stats_paired_t {
    double mean_diff, t, df, p, ci_low, ci_high;
    double se;            /* sd(d) / sqrt(n) */
    size_t n;
};
int stats_paired_t(const double *x, const double *y, size_t n, double level, struct stats_paired_t *out,
                   const char **why);

/* Wilcoxon signed-rank test, R wilcox.test(x, y, paired = TRUE) with R's defaults (mu = 0,
 * exact = NULL, correct = TRUE, two-sided): d = x - y over the complete pairs; zero differences
 * are dropped (n counts the rest); V = sum of the average ranks of |d| where d > 0.  Exact p
 * (psignrank, min(2p, 1)) when n < 50 and there were no ties and no zeros; otherwise the normal
 * approximation z = (V - n(n+1)/4 - sign * 0.5) / sqrt(n(n+1)(2n+1)/24 - sum(t^3 - t)/48), t the
 * sizes of the tie groups, p = 2 min(Phi(z), 1 - Phi(z)).  Ties are exact floating-point equality,
 * as R's rank().  Undefined: no complete pair (R: error), or every d = 0 (R: p NA). */
struct stats_wilcoxon {
    double V, p;
    size_t n;             /* non-zero differences */
    size_t zeros;         /* dropped zero differences */
    int exact;            /* 1: exact p; 0: normal approximation with continuity correction */
    int ties;
};
int stats_wilcoxon_paired(const double *x, const double *y, size_t n, struct stats_wilcoxon *out,
                          const char **why);
/* R psignrank(q, n) (lower tail) for n <= 1000; NAN when n is larger. */
double stats_psignrank(double q, int n, int lower_tail);

#endif
