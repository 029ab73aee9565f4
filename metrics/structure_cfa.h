/* metrics/structure_cfa.h -- confirmatory factor analysis of an instrument's model (issue 15 parts 2, 4).
 *
 * The model is the instrument's: each item loads on its one dimension, the factors are correlated,
 * the factor variances are fixed to 1 (lavaan's std.lv = TRUE).  Estimation is normal-theory ML on
 * covariance matrices with divisor N (lavaan's likelihood = "normal"), minimising
 *   F = sum_g N_g/N [log|Sigma_g| + tr(S_g Sigma_g^-1) - log|S_g| - p + (m_g - mu_g)' Sigma_g^-1 (m_g - mu_g)]
 * by Fisher scoring (metrics/structure_optim.h) with the analytic gradient (Joreskog), then Newton
 * steps with the exact Hessian (structure_cfa_hessian.c) where scoring is slow.  Standard
 * errors come from the expected information (lavaan's se = "standard").  Several groups give
 * lavaan's group = ... models: configural, metric (group.equal = "loadings": factor variances free in
 * groups 2..G) and scalar (plus "intercepts": latent means free in groups 2..G).
 * Reference values: tests/oracle/structure_cfa.R (lavaan 0.6-14); tests/test_structure_cfa.c.
 *
 * Pure: no store, no output.  Inputs are borrowed for the call; a struct cfa_fit is owned by the
 * caller (cfa_fit_free).  A fit that did not converge or is inadmissible (Heywood case) keeps its
 * numbers for the tests, but sets converged/admissible and note: callers must report the note, never
 * the numbers, when either flag is 0.
 */
#ifndef PSYFAITH_STRUCTURE_CFA_H
#define PSYFAITH_STRUCTURE_CFA_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>

enum cfa_equal { CFA_CONFIGURAL = 0, CFA_METRIC = 1, CFA_SCALAR = 2 };

/* One group's sample moments: S with divisor N (not N - 1), the item means (may be NULL for a
 * single group), and the number of respondents. */
struct cfa_group {
    const gsl_matrix *cov;    /* p x p */
    const double *mean;       /* p, or NULL when there is one group */
    size_t n;
};

struct cfa_spec {
    size_t p, m;              /* items, factors */
    const size_t *factor_of;  /* p entries in [0, m): the item's dimension */
    size_t ngroups;
    const struct cfa_group *groups;
    enum cfa_equal equal;     /* ignored for one group */
};

struct cfa_fit {
    size_t p, m, ngroups, npar;
    size_t ntotal;
    int meanstructure;        /* 1 when ngroups > 1, as lavaan */
    /* Estimates per group g (flat arrays, group-major): loading of item i on its factor
     * lambda[g*p + i], residual variance theta[g*p + i], factor covariance phi[g*m*m + f*m + h],
     * intercept nu[g*p + i], latent mean alpha[g*m + f]; se_* the same shapes (0 when fixed). */
    double *lambda, *theta, *phi, *nu, *alpha;
    double *se_lambda, *se_theta, *se_phi, *se_nu, *se_alpha;
    /* fit measures, named as lavaan's fitMeasures() */
    double fmin, chisq, df, pvalue, base_chisq, base_df, cfi, tli;
    double rmsea, rmsea_lo, rmsea_hi, srmr, logl, aic, bic;
    int converged;            /* 0: the optimiser stopped before the gradient vanished */
    int admissible;           /* 0: a Heywood case or a non-positive-definite matrix */
    int iterations;
    char note[200];           /* why converged or admissible is 0; "" otherwise */
    long bad_item;            /* the Heywood item (0-based), or -1 */
    long bad_f1, bad_f2;      /* the factors of an |r| > 1 (0-based), or -1 */
    long bad_group;           /* the group of either (0-based) */
};

/* Fit the model.  Returns 0 and sets *out (also when the fit did not converge or is inadmissible:
 * see the flags), or -1 with *why set to a static reason (bad spec, singular S, no memory). */
int cfa_fit(const struct cfa_spec *spec, struct cfa_fit **out, const char **why);
void cfa_fit_free(struct cfa_fit *fit);

/* The likelihood-ratio test between nested fits (lavaan::lavTestLRT for two ML fits): chi-square
 * difference, df difference and its p-value, and delta CFI (restricted minus free). */
struct cfa_lrt { double dchisq, ddf, pvalue, dcfi; };
int cfa_lrt(const struct cfa_fit *free_fit, const struct cfa_fit *restricted, struct cfa_lrt *out);

/* P(X <= x) for X noncentral chi-square(df, ncp) (R: pchisq(x, df, ncp)), to ~1e-14. */
double cfa_pnchisq(double x, double df, double ncp);
/* lavaan's RMSEA 90 % interval for a chi-square X2 on df, N respondents, G groups. */
void cfa_rmsea_ci(double x2, double df, double n, size_t g, double *lo, double *hi);

/* ---- psyfaith structure's rows (metrics/structure_cfa_rows.c) ---------------------------------
 * The CFA of one group, and the invariance steps across the groups (models) of one instrument x
 * condition, as tidy rows of metrics/structure.h.  Respondents: complete cases (lavaan's listwise
 * default).  A fit that is not defined, did not converge or is inadmissible is one row, statistic
 * "fit", value empty, and the reason in note: never numbers. */
struct sd_instrument;
struct sd_matrix;
struct structure_table;

/* One group's sample moments over the instrument's items (divisor N), kept for the invariance
 * steps: p x p, so that memory holds no respondent matrix beyond the group being read. */
struct cfa_moments {
    gsl_matrix *cov;          /* NULL when the group has no usable CFA (too few respondents) */
    double *mean;
    size_t n;
};
void cfa_moments_free(struct cfa_moments *mom);

/* CFA rows of one group, appended to out; mom (may be NULL) receives the group's moments.
 * 0, or -1 after diag_error() (out of memory only). */
int structure_cfa(const struct sd_instrument *ins, const struct sd_matrix *m, struct structure_table *out,
                  struct cfa_moments *mom);
/* Invariance rows (configural, metric, scalar; the LRT and delta CFI of each step) across the k >= 2
 * groups in moms (those without moments are left out); nothing when fewer than 2 remain. */
int structure_invariance(const struct sd_instrument *ins, const struct cfa_moments *moms, size_t k,
                         struct structure_table *out);

#endif
