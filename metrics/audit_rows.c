/* metrics/audit_rows.c -- the result rows of `psyfaith audit`: one verdict (struct verdict of
 * audit_int.h) built up in text and turned into a struct audit_result, and the data errors at a
 * claim's column.  The judging is in audit_judge.c and audit_eval.c; reading claims and the run in
 * audit.c. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "metrics/audit.h"
#include "metrics/audit_int.h"
#include "metrics/faith.h"
#include "metrics/games_api.h"
#include "metrics/scores.h"
#include "metrics/stats.h"
#include "store/store.h"
#include "util.h"

/* ---- results -------------------------------------------------------------------------------- */

void audit_results_free(struct audit_results *r)
{
    for (size_t i = 0; i < r->n; i++) {
        struct audit_result *x = &r->v[i];
        free(x->model);
        free(x->persona);
        free(x->temperature);
        free(x->instrument);
        free(x->condition);
        free(x->threshold);
        free(x->reason);
        free(x->evidence);
    }
    free(r->v);
    r->v = NULL;
    r->n = r->cap = 0;
}



int audit_oom(void)
{
    return diag_error("out of memory");
}

int audit_emit(struct run *r, size_t item, const char *model, const char *persona, const char *temperature,
               const char *instrument, const char *dimension)
{
    struct audit_results *o = r->out;
    if (r->oom)
        return audit_oom();
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 32;
        struct audit_result *p = realloc(o->v, cap * sizeof *p);
        if (!p)
            return audit_oom();
        o->v = p;
        o->cap = cap;
    }
    struct audit_result *x = &o->v[o->n];
    memset(x, 0, sizeof *x);
    x->item = item;
    x->dimension = dimension;
    x->verdict = r->vd.v;
    x->value = r->vd.value;
    x->ci_low = r->vd.lo;
    x->ci_high = r->vd.hi;
    x->n = r->vd.n;
    x->model = model ? strdup(model) : NULL;
    x->persona = persona ? strdup(persona) : NULL;
    x->temperature = temperature ? strdup(temperature) : NULL;
    x->instrument = instrument ? strdup(instrument) : NULL;
    x->condition = r->cond ? strdup(r->cond) : NULL;
    x->threshold = r->vd.threshold.buf;
    x->reason = r->vd.reason.buf;
    x->evidence = r->vd.evidence.buf;
    memset(&r->vd.threshold, 0, sizeof r->vd.threshold);
    memset(&r->vd.reason, 0, sizeof r->vd.reason);
    memset(&r->vd.evidence, 0, sizeof r->vd.evidence);
    o->n++;
    if ((model && !x->model) || (persona && !x->persona) || (temperature && !x->temperature) ||
        (instrument && !x->instrument) || (r->cond && !x->condition))
        return audit_oom();
    return 0;
}

void audit_vd_reset(struct run *r)
{
    strbuf_free(&r->vd.threshold);
    strbuf_free(&r->vd.reason);
    strbuf_free(&r->vd.evidence);
    memset(&r->vd, 0, sizeof r->vd);
    r->vd.v = AUDIT_NOT_MEASURABLE;
    r->vd.value = r->vd.lo = r->vd.hi = NAN;
    r->vd.n = -1;
}

void audit_add(struct run *r, struct strbuf *sb, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if ((sb->len && sb == &r->vd.evidence && strbuf_addstr(sb, "; ") < 0) || strbuf_addstr(sb, buf) < 0)
        r->oom = 1;
}

/* A data error at a claim's column (0 = the line). */
int audit_claim_error(const struct audit_item *it, int col, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    struct srcpos pos = { it->path, it->line, col, 0 };
    return diag_at(&pos, "error: %s", buf);
}
