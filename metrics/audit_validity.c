/* metrics/audit_validity.c -- the validity claims of `psyfaith audit` (issue 14 part 6), judged per
 * model and block over the subjects in scope (model, persona, temperature):
 *
 * DIM robust to order: every order comparison of metrics faith_order.c (a subject in scope, the
 *   block's items answered under an order and under the reference order) gives a paired t-test
 *   and a Wilcoxon signed-rank test over items.  With m the number of defined tests, the claim is
 *   contradicted when the smallest p times m (Bonferroni, family-wise error --alpha, default 0.05)
 *   is below alpha; supported otherwise, and also when a comparison's item differences are all
 *   zero (no effect to test).  Not measurable when no subject in scope answered the dimension's
 *   items under two orders.  value = min(1, m * smallest p), n = comparisons.
 * DIM not acquiescent: the acquiescence decomposition of metrics faith_acq.c over the subjects in
 *   scope with a score and both + and - keyed answers: acq_share and trait_share (r^2 across those
 *   subjects of the per-item score on A, resp. T).  Contradicted when acq_share > trait_share (the
 *   rule of the metrics --summary warning), supported when acq_share <= trait_share, not measurable
 *   when either is undefined (fewer than 3 such subjects, or a constant score) or fewer subjects
 *   than --min-subjects.  value = acq_share, n = subjects.
 * No faithfulness gate: these claims are about how the score was produced, not its level. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "metrics/audit_int.h"

static int in_scope(const struct run *r, const struct audit_item *it, const char *model, size_t s)
{
    const struct subject *sub = &r->set->subjects[s];
    return strcmp(sub->model, model) == 0 && audit_temperature_matches(&it->scope, sub) &&
           audit_persona_matches(it->scope.persona, sub->persona);
}

int audit_eval_order(struct run *r, const struct audit_item *it, const char *model, size_t b)
{
    const double alpha = r->o->alpha;
    size_t comparisons = 0, tests = 0, zero = 0, unmeasured = 0;
    double pmin = INFINITY;
    audit_scope_text(r, it, model, 0);
    audit_add(r, &r->vd.threshold, "no order effect (alpha %g, Bonferroni)", alpha);
    for (size_t i = 0; i < r->in.n_order; i++) {
        const struct faith_order *o = &r->in.order[i];
        if (o->block != (int)b || !in_scope(r, it, model, o->subject))
            continue;
        const char *who = r->set->subjects[o->subject].persona;
        int t_ok = o->t_rc == STATS_OK, w_ok = o->w_rc == STATS_OK;
        if (!t_ok && !w_ok && o->w_zeros == o->n_items && o->n_items) {
            zero++;
            comparisons++;
            audit_add(r, &r->vd.evidence, "%s%s%s %s vs %s: every item difference is 0 over %zu items", model,
                      who ? " / " : "", who ? who : "", o->other, o->ref, o->n_items);
            continue;
        }
        if (!t_ok && !w_ok) {
            unmeasured++;
            continue;
        }
        comparisons++;
        if (t_ok) {
            tests++;
            pmin = fmin(pmin, o->t_p);
        }
        if (w_ok) {
            tests++;
            pmin = fmin(pmin, o->w_p);
        }
        char pt[32] = "-", pw[32] = "-";
        if (t_ok)
            audit_fmt_num(pt, sizeof pt, o->t_p);
        if (w_ok)
            audit_fmt_num(pw, sizeof pw, o->w_p);
        audit_add(r, &r->vd.evidence, "%s%s%s %s vs %s: diff %.4g over %zu items, p_t %s, p_wilcoxon %s, position_bias %.4g",
                  model, who ? " / " : "", who ? who : "", o->other, o->ref, o->mean_other - o->mean_ref, o->n_items, pt,
                  pw, o->position_bias);
    }
    r->vd.n = (long)comparisons;
    if (!comparisons) {
        r->vd.v = AUDIT_NOT_MEASURABLE;
        audit_add(r, &r->vd.reason, "too little data: no subject of %s in scope answered %s items under two option "
                  "orders%s", model, dimension_codes[r->set->blocks[b].dimension],
                  unmeasured ? " with a defined test (one item only?)" : "");
        return 0;
    }
    if (!tests) {
        r->vd.v = AUDIT_SUPPORTED;
        r->vd.value = 1.0;
        audit_add(r, &r->vd.reason, "every answer is the same under both orders (%zu comparison%s)", comparisons,
                  comparisons == 1 ? "" : "s");
        return 0;
    }
    double adj = fmin(1.0, pmin * (double)tests);
    char buf[32];
    audit_fmt_num(buf, sizeof buf, adj);
    r->vd.value = adj;
    if (adj < alpha) {
        r->vd.v = AUDIT_CONTRADICTED;
        audit_add(r, &r->vd.reason, "an option-order effect: smallest p x %zu tests = %s < %g", tests, buf, alpha);
    } else {
        r->vd.v = AUDIT_SUPPORTED;
        audit_add(r, &r->vd.reason, "no option-order effect: smallest p x %zu tests = %s >= %g", tests, buf, alpha);
    }
    if (zero)
        audit_add(r, &r->vd.reason, " (%zu comparison%s with no difference at all)", zero, zero == 1 ? "" : "s");
    return 0;
}

int audit_eval_acq(struct run *r, const struct audit_item *it, const char *model, size_t b)
{
    const struct score_block *blk = &r->set->blocks[b];
    const char *inst = r->set->instruments[blk->instrument].name;
    size_t n = 0;
    audit_scope_text(r, it, model, 0);
    r->scope_unit = "subject";
    audit_add(r, &r->vd.threshold, "acq_share <= trait_share");
    for (size_t s = 0; s < r->set->n_subjects; s++) {
        double sum, per;
        struct faith_acq_subject a;
        if (!blk->answered[s] || !in_scope(r, it, model, s) ||
            score_of(blk, s, r->o->min_share, &sum, &per, NULL) < 0 || isnan(per))
            continue;
        faith_acq_subject(r->set, b, s, &a);
        if (isnan(a.A))
            continue;
        r->x[n] = a.A;
        r->y[n] = per;
        r->bx[n] = a.T;
        n++;
    }
    r->vd.n = (long)n;
    if (audit_too_few(r, n, 0, model, inst))
        return 0;
    const char *why_a, *why_t;
    double acq = faith_acq_r2(r->x, r->y, n, &why_a), trait = faith_acq_r2(r->bx, r->y, n, &why_t);
    if (isnan(acq) || isnan(trait)) {
        r->vd.v = AUDIT_NOT_MEASURABLE;
        audit_add(r, &r->vd.reason, "too little data: %s", isnan(acq) ? why_a : why_t);
        return 0;
    }
    char a_txt[32], t_txt[32];
    audit_fmt_num(a_txt, sizeof a_txt, acq);
    audit_fmt_num(t_txt, sizeof t_txt, trait);
    r->vd.value = acq;
    audit_add(r, &r->vd.evidence, "acq_share %s, trait_share %s over %zu subjects with both + and - keyed answers",
              a_txt, t_txt, n);
    if (acq > trait) {
        r->vd.v = AUDIT_CONTRADICTED;
        audit_add(r, &r->vd.reason, "acquiescence explains more of the score than the trait (acq_share %s > "
                  "trait_share %s)", a_txt, t_txt);
    } else {
        r->vd.v = AUDIT_SUPPORTED;
        audit_add(r, &r->vd.reason, "the trait explains at least as much of the score as acquiescence (acq_share %s "
                  "<= trait_share %s)", a_txt, t_txt);
    }
    return 0;
}
