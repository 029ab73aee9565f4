/* metrics/games_api.c -- games_trait_verdicts(): the games command's verdict rows, collated per
 * model x trait (see metrics/games_api.h).  Nothing is recomputed: the analyses run as for
 * `psyfaith games`, and their rows are read back: those of the baseline condition (no condition)
 * only, as audit claims are about the model as prompted with a persona alone. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/games_api.h"
#include "metrics/games.h"

static int trait_index(const char *code)
{
    for (int t = 0; code && t < GAMES_N_TRAITS; t++)
        if (strcmp(games_traits[t], code) == 0)
            return t;
    return -1;
}

static int same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static char *dup_or_null(const char *s, int *oom)
{
    char *d = s ? strdup(s) : NULL;
    if (s && !d)
        *oom = 1;
    return d;
}

/* The verdict of (model, trait), appended when new. */
static struct games_trait_verdict *slot(struct games_trait_verdict **v, size_t *n, size_t *cap, const char *model,
                                        int trait, int *oom)
{
    for (size_t i = 0; i < *n; i++)
        if (same((*v)[i].model, model) && (*v)[i].trait == trait)
            return &(*v)[i];
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        struct games_trait_verdict *p = realloc(*v, c * sizeof *p);
        if (!p) {
            *oom = 1;
            return NULL;
        }
        *v = p;
        *cap = c;
    }
    struct games_trait_verdict *t = &(*v)[(*n)++];
    memset(t, 0, sizeof *t);
    t->trait = trait;
    t->effect = t->ci_low = t->ci_high = t->p = t->agrees = NAN;
    t->steps = t->violations = -1;
    t->n = -1;
    t->model = dup_or_null(model, oom);
    return t;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = s ? strlen(s) : 0, m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

int games_trait_verdicts(sqlite3 *db, enum games_experiment e, double alpha, struct games_trait_verdict **out,
                         size_t *nout)
{
    struct games_human h;
    struct games_rows rows = { 0 };
    struct games_opts o = { .alpha = alpha };
    struct games_trait_verdict *v = NULL;
    size_t n = 0, cap = 0;
    int oom = 0, ret = -1;
    *out = NULL;
    *nout = 0;
    if (games_human_load(NULL, &h) < 0)
        return -1;
    if ((e == GAMES_ULTIMATUM ? games_ultimatum(db, &h, &o, &rows) : games_milgram(db, &h, &o, &rows)) < 0)
        goto out;
    /* the verdict rows first (they decide which model x trait pairs exist), then the effects */
    for (size_t i = 0; i < rows.len && !oom; i++) {
        const struct games_row *r = &rows.v[i];
        int trait = trait_index(r->trait);
        if (!same(r->analysis, "verdict") || trait < 0 || r->condition)
            continue;
        struct games_trait_verdict *t = slot(&v, &n, &cap, r->model, trait, &oom);
        if (!t)
            break;
        if (same(r->term, "human_direction")) {
            t->human_dir = isnan(r->value) ? 0 : r->value > 0 ? 1 : -1;
            t->human_note = dup_or_null(r->note, &oom);
        } else if (same(r->term, "model_direction")) {
            t->model_dir = isnan(r->value) ? 0 : (int)r->value;
            t->effect_note = dup_or_null(r->note, &oom);
            t->n = r->n;
        } else if (same(r->term, "significant")) {
            t->p = r->p_value;
        } else if (same(r->term, "monotone")) {
            long bad, steps;
            const char *colon = r->note ? strchr(r->note, ':') : NULL;
            /* "EXPERIMENT: K of N adjacent steps of ... go against the model's direction" */
            if (!isnan(r->value) && colon && sscanf(colon + 1, " %ld of %ld", &bad, &steps) == 2) {
                t->violations = bad;
                t->steps = steps;
            }
        } else if (same(r->term, "agrees_with_humans")) {
            t->agrees = r->value;
            t->note = dup_or_null(r->note, &oom);
        }
    }
    for (size_t i = 0; i < rows.len && !oom; i++) {
        const struct games_row *r = &rows.v[i];
        int trait = trait_index(r->trait);
        int ug = e == GAMES_ULTIMATUM && same(r->analysis, "ug_trend") && same(r->term, "slope_level");
        int me = e == GAMES_MILGRAM && same(r->analysis, "me_welch") && same(r->term, "mean_difference") &&
                 !ends_with(r->level, "vs baseline");
        if (trait < 0 || !(ug || me) || r->condition)
            continue;
        for (size_t k = 0; k < n; k++)
            if (same(v[k].model, r->model) && v[k].trait == trait) {
                v[k].effect = r->value;
                v[k].ci_low = r->ci_low;
                v[k].ci_high = r->ci_high;
            }
    }
    if (oom) {
        diag_error("out of memory");
        goto out;
    }
    *out = v;
    *nout = n;
    v = NULL;
    n = 0;
    ret = 0;
out:
    games_trait_verdicts_free(v, n);
    games_rows_free(&rows);
    games_human_free(&h);
    return ret;
}

void games_trait_verdicts_free(struct games_trait_verdict *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].model);
        free(v[i].human_note);
        free(v[i].effect_note);
        free(v[i].note);
    }
    free(v);
}
