/* ingest/record_strategy.c -- the strategy-method and proposer record types:
 * `ultimatum_threshold` (a responder's minimum acceptable amount, which decides every offer at
 * once: accept iff offer >= threshold) and `ultimatum_offer` / `dictator_offer` (the amount a
 * proposer gives the other player).  Each gives its amount as a number (`threshold`, `offer`) or
 * as the raw `answer`, read by ingest/amount.c with a parse status; `total` defaults to 10 as in
 * `ultimatum`. */
#include <string.h>

#include "ingest/amount.h"
#include "ingest/ingest_internal.h"

/* The persona trait and level, as for `ultimatum` (both optional; neuroticism l is EMO 10 - l). */
static int read_trait_level(struct ingest *ig, const char **trait, long *level)
{
    int reverse;
    if (get_dimension(ig, F_TRAIT, 0, trait, &reverse) < 0 || get_integer(ig, F_LEVEL, 0, 1, 9, 0, level) < 0)
        return -1;
    if (reverse && *level)
        *level = 10 - *level;
    return 0;
}

static int read_total(struct ingest *ig, double *total)
{
    int has;
    if (get_number(ig, F_TOTAL, 0, &has, total) < 0)
        return -1;
    if (!has)
        *total = 10;
    if (!(*total > 0))
        return ingest_bad(ig, &ig->pos, "total", "total must be positive, found %g", *total);
    return 0;
}

/* The amount from field f (a number, checked to lie in 0..total) or else from the answer. */
static int read_amount(struct ingest *ig, int f, double total, enum amount_role role, struct pending *p)
{
    int has;
    double v;
    if (get_number(ig, f, 0, &has, &v) < 0 || get_text(ig, F_ANSWER, 0, &p->answer) < 0)
        return -1;
    p->answer_len = p->answer ? strlen(p->answer) : 0;
    if (has) {
        if (!(v >= 0 && v <= total))
            return ingest_bad(ig, &ig->pos, field_names[f], "%s %g is outside 0..total (%g)", field_names[f], v, total);
        p->offer = v;
        p->has_amount = 1;
        p->status = ANSWER_OK;
        return 0;
    }
    if (!p->answer)
        return ingest_bad(ig, &ig->pos, field_names[f], "needs '%s' or 'answer'", field_names[f]);
    enum answer_status st = amount_parse(p->answer, p->answer_len, total, role, &v);
    if (st == ANSWER_ERROR)     /* PCRE2 failed: the answer was not read */
        return ingest_bad(ig, &ig->pos, "answer", "%s", answer_error());
    p->status = st;
    p->has_amount = st == ANSWER_OK;
    p->offer = p->has_amount ? v : 0;
    return 0;
}

int record_threshold(struct ingest *ig)
{
    struct subject_fields s;
    struct pending p = { .type = P_THRESHOLD };
    if (read_subject(ig, &s) < 0 || read_trait_level(ig, &p.trait, &p.level) < 0 || read_total(ig, &p.total) < 0 ||
        read_amount(ig, F_THRESHOLD, p.total, AMOUNT_THRESHOLD, &p) < 0)
        return -1;
    pending_subject(&p, &s);
    return emit(ig, &p);
}

int record_offer(struct ingest *ig, const char *game)
{
    struct subject_fields s;
    struct pending p = { .type = P_OFFER, .game = game };
    if (read_subject(ig, &s) < 0 || read_trait_level(ig, &p.trait, &p.level) < 0 || read_total(ig, &p.total) < 0 ||
        read_amount(ig, F_OFFER, p.total, AMOUNT_OFFER, &p) < 0)
        return -1;
    pending_subject(&p, &s);
    return emit(ig, &p);
}
