/* ingest/record_behavior.c -- the `behavior` and `labeled_behavior` record types: a model's free
 * text, and the classifier's labelled training texts. */
#include <ctype.h>

#include "ingest/ingest_internal.h"

/* ---------- behaviours ---------- */

static int nonempty_text(struct ingest *ig, int f, const char **out)
{
    if (get_text(ig, f, 1, out) < 0)
        return -1;
    for (const char *p = *out; *p; p++)
        if (!isspace((unsigned char)*p))
            return 0;
    return ingest_bad(ig, &ig->pos, field_names[f], "empty text");
}

int record_behavior(struct ingest *ig)
{
    struct subject_fields s;
    const char *dim, *occasion, *text;
    int reverse;
    if (read_subject(ig, &s) < 0 || get_dimension(ig, F_DIMENSION, 1, &dim, &reverse) < 0 ||
        nonempty_text(ig, F_OCCASION, &occasion) < 0 || nonempty_text(ig, F_TEXT, &text) < 0)
        return -1;
    struct pending p = { .type = P_BEHAVIOR, .dimension = dim, .occasion = occasion, .text = text };
    pending_subject(&p, &s);
    return emit(ig, &p);
}

int record_labeled(struct ingest *ig)
{
    const char *dim, *occasion, *text;
    int reverse, label;
    if (get_dimension(ig, F_DIMENSION, 1, &dim, &reverse) < 0 || get_text(ig, F_OCCASION, 0, &occasion) < 0 ||
        get_bool(ig, F_LABEL, 1, 0, &label) < 0 || nonempty_text(ig, F_TEXT, &text) < 0)
        return -1;
    if (reverse)
        label = !label;   /* "shows neuroticism" is "does not show emotional stability" */
    struct pending p = { .type = P_LABELED, .dimension = dim, .occasion = occasion, .label = label, .text = text };
    return emit(ig, &p);
}
