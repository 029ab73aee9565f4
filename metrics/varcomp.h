/* metrics/varcomp.h -- prompt sensitivity as variance components (issue 14, part 3): how much of a
 * dimension score is the model, the persona, and how much the prompt (template, language,
 * variant) and the repetition.
 *
 * Data: per instrument x dimension (x condition, as every metric), one cell per subject x design
 * (template, language, variant) x repetition: the per-item mean of the keyed scores of the cell's
 * ok answers (prorated as scores are: a cell with fewer than min_share of the dimension's items
 * answered is left out and counted).  Each cell carries its levels of the six factors model,
 * persona, template, language, variant, repetition (a missing persona or design factor is one
 * level of its own, "(none)").
 * Model: y = mu + a_model + b_persona + c_template + d_language + e_variant + f_rep + e, every
 * factor a crossed random main effect, independent normal with its own variance; interactions are
 * in the residual.  A factor with one level is not in the model (its variance is empty, noted).
 * Estimates (equal to lme4::lmer(y ~ 1 + (1|model) + ... , REML = TRUE)):
 * - balanced (every combination of the levels of the factors in the model has the same number of
 *   cells, >= 1): the ANOVA / expected-mean-squares estimates, sigma2_A = (MS_A - MS_e) / (N / a),
 *   in closed form.  Where one is negative, the REML solution is the ANOVA one with that factor's
 *   sum of squares pooled into the residual (sigma2_A = 0), repeated until none is negative (the
 *   REML likelihood of a balanced main-effects design is a product of independent chi-square
 *   terms); method "anova", and the factor's note gives the negative ANOVA estimate.
 * - unbalanced: REML by profiling the REML criterion of lme4 over theta (sigma_k / sigma) with
 *   gsl_multimin's simplex, from the cross-products of the q = sum of levels random-effect columns
 *   (memory O(q^2), never O(cells^2)); method "reml"; a theta within 1e-3 of 0 that gains nothing
 *   there is set to 0.  When it does not converge, or q > 400, the values are empty and the note
 *   says "unbalanced design: ...".
 * share = variance / sum of the variances of the model.
 * Reference values: tests/oracle/varcomp.R (lme4).
 * Contract: varcomp_fit() is pure (prints nothing; the reason of a failure is in fit->note);
 * varcomp_compute() reads the store, 0 / -1 after diag_error(); rows are the caller's
 * (varcomp_rows_free). */
#ifndef PSYFAITH_VARCOMP_H
#define PSYFAITH_VARCOMP_H

#include <stddef.h>
#include <sqlite3.h>

enum { VC_MODEL, VC_PERSONA, VC_TEMPLATE, VC_LANGUAGE, VC_VARIANT, VC_REP, VC_N_FACTORS };
#define VC_RESIDUAL VC_N_FACTORS
#define VC_N_COMPONENTS (VC_N_FACTORS + 1)
/* "model" "persona" "template" "language" "variant" "repetition" "residual" */
extern const char *const varcomp_component_names[VC_N_COMPONENTS];

/* The cells of one block: n cells, level[i * VC_N_FACTORS + f] in 0..n_levels[f]-1. */
struct varcomp_data {
    size_t n, cap;
    size_t n_levels[VC_N_FACTORS];
    unsigned *level;
    double *y;
};
void varcomp_data_free(struct varcomp_data *d);
/* Appends a cell; 0 or -1 when out of memory (prints nothing). */
int varcomp_data_add(struct varcomp_data *d, const unsigned level[VC_N_FACTORS], double y);

struct varcomp_fit {
    int in_model[VC_N_FACTORS];        /* 2+ levels */
    double variance[VC_N_COMPONENTS];  /* NAN = not in the model or not estimated */
    double share[VC_N_COMPONENTS];
    double anova[VC_N_COMPONENTS];     /* balanced: the raw ANOVA estimate (may be < 0); else NAN */
    int pooled[VC_N_FACTORS];          /* balanced: set to 0 and pooled into the residual */
    int balanced;                      /* 1 balanced, 0 not */
    const char *method;                /* "anova", "reml", or NULL when nothing was estimated */
    double deviance;                   /* the REML criterion at the estimate (-2 log restricted L) */
    int iterations;                    /* reml: simplex iterations over all restarts */
    int stalls;                        /* reml: runs the stall rule ended (metrics/varcomp.c) */
    char note[200];                    /* why nothing was estimated ("" otherwise) */
};
/* Fits the model of the header to d.  0 with the estimates, or -1 with fit->note saying why none
 * exist (no cells, no factor with 2 levels, no residual degrees of freedom, a constant score,
 * REML did not converge).  force_reml: REML by the simplex even when balanced (tests). */
int varcomp_fit(const struct varcomp_data *d, int force_reml, struct varcomp_fit *fit);
/* The REML criterion of lme4 (-2 log restricted likelihood, profiled over sigma) at theta (one per
 * factor in the model, in factor order) for d; NAN when it is not defined.  For the tests. */
double varcomp_reml_criterion(const struct varcomp_data *d, const double *theta);

/* One output row per instrument x dimension x component. */
struct varcomp_row {
    char *instrument;
    const char *dimension, *component;   /* static */
    size_t levels;                       /* levels of the factor (residual: 0 = empty) */
    double variance, share;              /* NAN = empty */
    const char *method;                  /* static, NULL = empty */
    long n;                              /* cells of the block */
    char *note;                          /* owned, NULL = empty */
};
struct varcomp_rows {
    size_t n, cap;
    struct varcomp_row *rows;
};
void varcomp_rows_free(struct varcomp_rows *r);

/* The rows of every instrument x dimension of one condition (NULL = the baseline) of the store,
 * instrument NULL = all; min_share as scores' proration.  Reads one block's cells at a time and fits
 * up to `threads` blocks at once (the rows do not depend on it).  0 or -1 after diag_error(). */
int varcomp_compute(sqlite3 *db, const char *instrument, const char *condition, double min_share, size_t threads,
                    struct varcomp_rows *out);

#endif
