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
    char name[40], value[8];
    long l;
    int reverse;
    *trait = -1;
    level[0] = '\0';
    if (!persona || strspn(persona, " \t\r\n") == strlen(persona))
        return 0;
    if (trimmed(persona, strlen(persona), name, sizeof name) == 0 &&
        (strcasecmp(name, "baseline") == 0 || strcasecmp(name, "none") == 0))
        return 0;
    const char *eq = strchr(persona, '=');
    if (!eq || trimmed(persona, (size_t)(eq - persona), name, sizeof name) < 0 ||
        trimmed(eq + 1, strlen(eq + 1), value, sizeof value) < 0)
        return -1;
    const char *code = dimension_canonical(name, &reverse);
    if (!code || reverse)
        return -1;
    if (strcasecmp(value, "min") == 0 || strcasecmp(value, "max") == 0) {
        level[0] = (char)tolower((unsigned char)value[0]);
        level[1] = (char)tolower((unsigned char)value[1]);
        level[2] = (char)tolower((unsigned char)value[2]);
        level[3] = '\0';
    } else if (parse_long(value, &l) == 0 && l >= 1 && l <= 9) {
        snprintf(level, 8, "%ld", l);
    } else {
        return -1;
    }
    *trait = games_trait_index(code);
    return 1;
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
    free(r->condition);
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
        .note = dup_or_null(note, &oom), .condition = dup_or_null(out->condition, &oom), .value = value, .ci_low = ci_low, .ci_high = ci_high,
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
