/* metrics/games_rows.c -- the tidy rows of the games analyses (games_emit), the trait codes and
 * persona parsing they share.  reports/render_games.c and reports/report_games.c format the rows. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "metrics/games_int.h"
#include "util.h"

const char *const games_traits[GAMES_N_TRAITS] = { "EXT", "AGR", "CONS", "EMO", "OPEN" };

int games_trait_index(const char *code)
{
    for (int i = 0; code && i < GAMES_N_TRAITS; i++)
        if (strcmp(code, games_traits[i]) == 0)
            return i;
    return -1;
}

/* s[0..n) without surrounding blanks into buf (size bytes); -1 if empty or too long. */
static int trimmed(const char *s, size_t n, char *buf, size_t size)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n == 0 || n >= size)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return 0;
}

int games_persona(const char *persona, int *trait, char level[8])
{
    struct persona_setting ps;
    char name[40];
    int reverse;
    *trait = -1;
    level[0] = '\0';
    switch (persona_parse(persona, &ps)) {
    case PERSONA_NONE:
        return 0;
    case PERSONA_TRAIT:
        if (ps.extreme)
            snprintf(level, 8, "%s", ps.extreme > 0 ? "max" : "min");
        else if (ps.level >= 1 && ps.level <= 9 && ps.level == (double)(long)ps.level)
            snprintf(level, 8, "%ld", (long)ps.level);
        else
            return -1;          /* a trait, but its level is not min, max or 1..9 */
        *trait = games_trait_index(ps.trait);
        return 1;
    case PERSONA_OTHER:
        break;
    }
    /* "agreeableness=" or "neuroticism=12" name a trait without a level the games can place */
    const char *eq = strchr(persona, '=');
    if (eq && trimmed(persona, (size_t)(eq - persona), name, sizeof name) == 0 && dimension_canonical(name, &reverse))
        return -1;
    return -2;
}

void games_fmt(char *buf, size_t size, double v)
{
    format_double(buf, size, v);
}

static char *dup_or_null(const char *s, int *oom)
{
    char *d;
    if (!s)
        return NULL;
    if (!(d = strdup(s)))
        *oom = 1;
    return d;
}

static void row_free(struct games_row *r)
{
    free(r->analysis);
    free(r->model);
    free(r->trait);
    free(r->level);
    free(r->offer);
    free(r->term);
    free(r->note);
}

int games_emit(struct games_rows *out, const struct games_key *k, const char *term, double value,
               double ci_low, double ci_high, double df, double p_value, long n, const char *note)
{
    if (out->len == out->cap) {
        size_t cap = out->cap ? 2 * out->cap : 256;
        struct games_row *v = realloc(out->v, cap * sizeof *v);
        if (!v)
            return diag_error("out of memory");
        out->v = v;
        out->cap = cap;
    }
    int oom = 0;
    struct games_row r = {
        .analysis = dup_or_null(k->analysis, &oom), .model = dup_or_null(k->model, &oom),
        .trait = dup_or_null(k->trait, &oom), .level = dup_or_null(k->level, &oom),
        .offer = dup_or_null(k->offer, &oom), .term = dup_or_null(term, &oom),
        .note = dup_or_null(note, &oom), .value = value, .ci_low = ci_low, .ci_high = ci_high,
        .df = df, .p_value = p_value, .n = n,
    };
    if (oom) {
        row_free(&r);
        return diag_error("out of memory");
    }
    out->v[out->len++] = r;
    return 0;
}

int games_emit_value(struct games_rows *out, const struct games_key *k, const char *term, double value,
                     long n, const char *note)
{
    return games_emit(out, k, term, value, NAN, NAN, NAN, NAN, n, note);
}

void games_rows_free(struct games_rows *r)
{
    for (size_t i = 0; i < r->len; i++)
        row_free(&r->v[i]);
    free(r->v);
    memset(r, 0, sizeof *r);
}
