/* metrics/structure.c -- the tidy rows of psyfaith structure (structure.h) */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/structure.h"

static char *dup_or_null(const char *s, int *bad)
{
    char *d = s ? strdup(s) : NULL;
    if (s && !d)
        *bad = 1;
    return d;
}

int structure_add(struct structure_table *t, const char *analysis, const char *method, const char *factor,
                  const char *factor_b, const char *item, const char *statistic, double value, double se,
                  size_t n, const char *note)
{
    if (t->n == t->cap) {
        size_t c = t->cap ? 2 * t->cap : 64;
        struct structure_row *p = realloc(t->rows, c * sizeof *p);
        if (!p)
            return diag_error("out of memory");
        t->rows = p;
        t->cap = c;
    }
    int bad = 0;
    struct structure_row *r = &t->rows[t->n];
    *r = (struct structure_row){ analysis, method, dup_or_null(factor, &bad), dup_or_null(factor_b, &bad),
                                 dup_or_null(item, &bad), statistic, value, se, n, dup_or_null(note, &bad) };
    t->n++;             /* counted even when a copy failed, so that _free releases the others */
    return bad ? diag_error("out of memory") : 0;
}

void structure_table_free(struct structure_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        free(t->rows[i].factor);
        free(t->rows[i].factor_b);
        free(t->rows[i].item);
        free(t->rows[i].note);
    }
    free(t->rows);
    memset(t, 0, sizeof *t);
}
