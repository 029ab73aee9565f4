/* metrics/audit_int.h -- shared by metrics/audit*.c only (the public API is audit.h). */
#ifndef PSYFAITH_AUDIT_INT_H
#define PSYFAITH_AUDIT_INT_H

#include <stddef.h>

#include "metrics/audit.h"
#include "metrics/faith.h"
#include "metrics/games_api.h"
#include "metrics/scores.h"
#include "metrics/stats.h"
#include "store/store.h"
#include "util.h"

/* What one verdict is built from; the strbufs become the result's strings. */
struct verdict {
    enum audit_verdict v;
    double value, lo, hi;
    long n;
    struct strbuf threshold, reason, evidence;
};

struct run {
    sqlite3 *db;
    const struct audit_options *o;
    const struct audit_list *list;
    struct score_set *set;
    struct faith_inputs in;
    struct faith_table table;            /* bootstrap 0: the gate, as psyfaith metrics --summary */
    struct faith_summary *sum;
    size_t n_sum;
    struct faith_table boot;             /* InC, BC with the audit's bootstrap (stable claims) */
    int have_boot;
    struct games_trait_verdict *g[2];
    size_t ng[2];
    int have_g[2];
    struct audit_results *out;
    const char *cond;                    /* the condition whose subjects set holds; NULL = baseline */
    double *x, *y, *bx, *by;             /* scratch, n_subjects each */
    struct verdict vd;
    int oom;
    const char *scope_unit;              /* "subject" or "run": what audit_scoped() counted */
};

struct pct_ctx {
    const double *x;
    double mean, sd;
};

struct rho_ctx {
    const double *lv, *x;
    double *bx, *by;
};

/* audit_rows.c */
int audit_oom(void);
int audit_emit(struct run *r, size_t item, const char *model, const char *persona, const char *temperature,
               const char *instrument, const char *dimension);
void audit_vd_reset(struct run *r);
void audit_add(struct run *r, struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int audit_claim_error(const struct audit_item *it, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* audit_judge.c */
int audit_persona_matches(const char *want, const char *have);
int audit_temperature_matches(const struct audit_scope *sc, const struct subject *s);
void audit_fmt_num(char *buf, size_t size, double v);
int audit_mean_stat(const size_t *idx, size_t n, void *ctx, double *out);
int audit_pct_stat(const size_t *idx, size_t n, void *ctx, double *out);
int audit_rho_stat(const size_t *idx, size_t n, void *ctx, double *out);
int audit_ci(struct run *r, size_t n, stats_statistic_fn fn, void *ctx);
void audit_threshold_text(struct run *r, const struct audit_claim *c, const char *what);
void audit_judge_cmp(struct run *r, const struct audit_claim *c, const char *what, int has_ci);
int audit_gate(struct run *r, const char *inst, int d);
size_t audit_scoped(struct run *r, const struct audit_item *it, const char *model, size_t b, int steer, size_t *left);
void audit_scope_text(struct run *r, const struct audit_item *it, const char *model, int steer);
int audit_too_few(struct run *r, size_t n, size_t left, const char *model, const char *inst);

/* audit_eval.c */
const char *audit_population(struct run *r, const struct audit_item *it);
int audit_eval_level(struct run *r, const struct audit_item *it, const char *model, size_t b);
int audit_eval_percentile(struct run *r, const struct audit_item *it, const char *model, size_t b, const char *pop);
int audit_eval_stable(struct run *r, const struct audit_item *it, const char *model, size_t b);
int audit_eval_steer(struct run *r, const struct audit_item *it, const char *model, size_t b);
/* audit_validity.c: DIM robust to order, DIM not acquiescent (issue 14) */
int audit_eval_order(struct run *r, const struct audit_item *it, const char *model, size_t b);
int audit_eval_acq(struct run *r, const struct audit_item *it, const char *model, size_t b);

#endif
