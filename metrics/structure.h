/* metrics/structure.h -- psyfaith structure: does the instrument's factor structure hold in a group of
 * respondents?  The tidy rows every structure analysis (EFA here; CFA and invariance in their own
 * files) appends to, and the EFA entry point.  The input matrix is metrics/structure_data.h's.
 *
 * A row is one coefficient or index of one group (instrument x model or all x condition x units);
 * the group is not in the row: the caller passes it to the renderer with the table
 * (reports/render.h render_structure_add).  Errors and ownership follow metrics/scores.h: 0 / -1
 * after diag_error(); an undefined statistic is a row with value NAN and a note, not an error. */
#ifndef PSYFAITH_STRUCTURE_H
#define PSYFAITH_STRUCTURE_H

#include <stddef.h>

#include "metrics/structure_data.h"

struct structure_row {
    const char *analysis;   /* static: "efa", "cfa", "invariance" */
    const char *method;     /* static: e.g. "minres/oblimin/pearson", "ml"; NULL = empty */
    char *factor;           /* owned or NULL: F1..FK (EFA), a dimension code (CFA), a model (invariance) */
    char *factor_b;         /* owned or NULL: the second factor of a correlation (phi) or congruence */
    char *item;             /* owned or NULL: an item code */
    const char *statistic;  /* static: loading, communality, ss_loadings, cfi, ... */
    double value, se;       /* NAN = empty */
    size_t n;               /* respondents used (0 = empty) */
    char *note;             /* owned or NULL */
};

struct structure_table {
    size_t n, cap;
    struct structure_row *rows;
};

/* Appends a row (strings copied; NULL = empty).  0 or -1 after diag_error(). */
int structure_add(struct structure_table *t, const char *analysis, const char *method, const char *factor,
                  const char *factor_b, const char *item, const char *statistic, double value, double se,
                  size_t n, const char *note);
void structure_table_free(struct structure_table *t);

/* ---- EFA (metrics/structure_efa.c) ------------------------------------------------------ */
enum efa_method { EFA_MINRES, EFA_ML };
enum efa_rotate { EFA_VARIMAX, EFA_OBLIMIN, EFA_NONE };
enum efa_cor { EFA_PEARSON, EFA_POLYCHORIC };

struct efa_options {
    int factors;                /* 0 = the instrument's number of dimensions */
    enum efa_method method;
    enum efa_rotate rotate;
    enum efa_cor cor;
};
void efa_options_default(struct efa_options *o);   /* 0 factors, minres, oblimin, pearson (psych::fa) */
/* "minres"/"ml", "varimax"/"oblimin"/"none", "pearson"/"polychoric": 0 or -1 (nothing printed). */
int efa_method_parse(const char *s, enum efa_method *m);
int efa_rotate_parse(const char *s, enum efa_rotate *r);
int efa_cor_parse(const char *s, enum efa_cor *c);

/* A fitted EFA: loadings items x factors (row-major, after rotation, psych's sign and order), Phi
 * (factors x factors, identity when orthogonal). */
struct efa_fit {
    size_t p, k, n;             /* items used, factors, respondents */
    size_t *cols;               /* the instrument's item index of each used item (p) */
    double *loadings;           /* p x k */
    double *phi;                /* k x k */
    double *communality;        /* p */
};
void efa_fit_free(struct efa_fit *f);

/* The EFA of one group: fits, then appends its rows to out.  human (may be NULL) is a reference fit
 * of the same instrument (human respondents): each factor's Tucker congruence with it is a row.
 * fit (may be NULL) receives the fit for use as such a reference or for the report. */
int structure_efa(const struct sd_instrument *ins, const struct sd_matrix *m, const struct efa_options *o,
                  const struct efa_fit *human, struct structure_table *out, struct efa_fit *fit);
#endif
