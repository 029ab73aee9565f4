/* metrics/audit_claims.c -- the claim grammar of `psyfaith audit` (see metrics/audit.h).
 *
 * Pure: no I/O, no allocation, no state outside the arguments, and no read outside text[0..len),
 * so that a fuzzer can call audit_parse_claim_n() on any bytes.  Columns are 1-based byte offsets
 * into the line, as a compiler reports them. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "metrics/audit.h"
#include "metrics/scores.h"
#include "util.h"

struct lexer {
    const char *s;
    size_t len;                  /* end of the claim: the comment or the line's end, trailing blanks off */
    size_t i;
    struct audit_error *err;
};

static int fail(struct lexer *lx, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct lexer *lx, size_t at, const char *fmt, ...)
{
    va_list ap;
    lx->err->col = (int)(at > lx->len ? lx->len : at) + 1;
    va_start(ap, fmt);
    vsnprintf(lx->err->msg, sizeof lx->err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static void skip(struct lexer *lx)
{
    while (lx->i < lx->len && blank(lx->s[lx->i]))
        lx->i++;
}

static int at_end(const struct lexer *lx)
{
    return lx->i >= lx->len;
}

static int word_start(char c)
{
    return isalpha((unsigned char)c) || c == '_';
}

static int word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* The word at lx->i (letters, digits, '_'): its length, 0 when none. */
static size_t word_at(const struct lexer *lx, size_t at)
{
    size_t n = 0;
    if (at >= lx->len || !word_start(lx->s[at]))
        return 0;
    while (at + n < lx->len && word_char(lx->s[at + n]))
        n++;
    return n;
}

/* The run of non-blank characters at `at` (a token as the user sees it, for messages). */
static size_t token_at(const struct lexer *lx, size_t at)
{
    size_t n = 0;
    while (at + n < lx->len && !blank(lx->s[at + n]))
        n++;
    return n;
}

static int keyword(const struct lexer *lx, size_t at, size_t n, const char *kw)
{
    return strlen(kw) == n && strncasecmp(lx->s + at, kw, n) == 0;
}

/* A number token at lx->i: [+-] digits [. digits] [e [+-] digits], the whole non-blank run.
 * `after` names what it follows, for the message. */
static int number(struct lexer *lx, const char *after, double *out, int *col)
{
    char buf[64];
    skip(lx);
    size_t at = lx->i, n = token_at(lx, at);
    *col = (int)at + 1;
    if (n == 0)
        return fail(lx, at, "expected a number after '%s'", after);
    int digits = 0, ok = n < sizeof buf;
    for (size_t k = 0; ok && k < n; k++) {
        char c = lx->s[at + k];
        digits += isdigit((unsigned char)c) != 0;
        ok = isdigit((unsigned char)c) || c == '.' || c == '+' || c == '-' || c == 'e' || c == 'E';
    }
    char *end = buf;
    double v = NAN;
    if (ok && digits) {
        memcpy(buf, lx->s + at, n);
        buf[n] = '\0';
        v = strtod(buf, &end);
    }
    if (!ok || !digits || *end != '\0' || end == buf)
        return fail(lx, at, "expected a number after '%s', found '%.*s'", after, (int)(n > 40 ? 40 : n), lx->s + at);
    if (!isfinite(v))
        return fail(lx, at, "number '%.*s' is out of range", (int)(n > 40 ? 40 : n), lx->s + at);
    lx->i = at + n;
    *out = v;
    return 0;
}

/* A name: "quoted" (anything but '"'), or a non-blank run (rest = 0) or the rest of the claim
 * (rest = 1).  Copied into buf (size AUDIT_MAX_NAME). */
static int name(struct lexer *lx, const char *what, const char *after, int rest, char *buf, int *col)
{
    skip(lx);
    size_t at = lx->i, start, n;
    *col = (int)at + 1;
    if (at_end(lx))
        return fail(lx, at, "expected %s after '%s'", what, after);
    if (lx->s[at] == '"') {
        const char *q = memchr(lx->s + at + 1, '"', lx->len - at - 1);
        if (!q)
            return fail(lx, at, "unterminated quote: %s ends with '\"'", what);
        start = at + 1;
        n = (size_t)(q - (lx->s + start));
        lx->i = (size_t)(q - lx->s) + 1;
        if (lx->i < lx->len && !blank(lx->s[lx->i]))
            return fail(lx, lx->i, "expected a space after the closing quote, found '%c'", lx->s[lx->i]);
    } else {
        start = at;
        n = rest ? lx->len - at : token_at(lx, at);
        lx->i = at + n;
    }
    if (n == 0)
        return fail(lx, at, "%s is empty", what);
    if (n >= AUDIT_MAX_NAME)
        return fail(lx, at, "%s is longer than %d bytes", what, AUDIT_MAX_NAME - 1);
    memcpy(buf, lx->s + start, n);
    buf[n] = '\0';
    *col += lx->s[at] == '"';
    return 0;
}

/* The dimension at the start: the longest of three, two or one words that names one. */
static int dimension(struct lexer *lx, struct audit_claim *c, char *as_written, size_t size)
{
    size_t at = lx->i, n1 = word_at(lx, at);
    c->col_dim = (int)at + 1;
    if (!n1) {
        size_t n = token_at(lx, at);
        return fail(lx, at, "expected a dimension (EXT, AGR, CONS, EMO, OPEN or their names) at the start of the claim, "
                            "found '%.*s'", (int)(n > 40 ? 40 : n), lx->s + at);
    }
    size_t ends[3] = { at + n1, 0, 0 }, nw = 1;
    while (nw < 3) {                /* up to two more words, each after blanks */
        size_t j = ends[nw - 1];
        while (j < lx->len && blank(lx->s[j]))
            j++;
        if (j == ends[nw - 1])
            break;
        size_t n = word_at(lx, j);
        if (!n)
            break;
        ends[nw++] = j + n;
    }
    for (size_t w = nw; w > 0; w--) {
        char buf[64];
        size_t n = ends[w - 1] - at, o = 0;
        if (n >= sizeof buf)
            continue;
        for (size_t k = 0; k < n; k++) {    /* runs of blanks become one space */
            char ch = lx->s[at + k];
            if (blank(ch)) {
                if (o && buf[o - 1] == ' ')
                    continue;
                ch = ' ';
            }
            buf[o++] = ch;
        }
        buf[o] = '\0';
        int rev = 0;
        const char *code = dimension_canonical(buf, &rev);
        if (!code)
            continue;
        for (int d = 0; d < N_DIMENSIONS; d++)
            if (strcmp(dimension_codes[d], code) == 0)
                c->dimension = d;
        c->reverse = rev;
        snprintf(as_written, size, "%s", buf);
        lx->i = ends[w - 1];
        return 0;
    }
    return fail(lx, at, "unknown dimension '%.*s' (EXT, AGR, CONS, EMO, OPEN, their full names, or N for neuroticism)",
                (int)(n1 > 40 ? 40 : n1), lx->s + at);
}

/* OP at lx->i: 1 found, 0 not an operator character, -1 a wrong one. */
static int comparison(struct lexer *lx, enum audit_op *op, char *text)
{
    if (at_end(lx))
        return 0;
    const char *p = lx->s + lx->i;
    size_t left = lx->len - lx->i;
    char c0 = p[0], c1 = left > 1 ? p[1] : '\0';
    if (c0 != '<' && c0 != '>' && c0 != '=' && c0 != '!')
        return 0;
    if ((c0 == '<' || c0 == '>') && c1 == '=') {
        *op = c0 == '>' ? AUDIT_GE : AUDIT_LE;
        lx->i += 2;
    } else if ((c0 == '<' && c1 == '>') || c0 == '!') {
        return fail(lx, lx->i, "'%.*s' is not a comparison: use >=, <=, > or <", left > 1 && c1 != ' ' ? 2 : 1, p);
    } else if (c0 == '<' || c0 == '>') {
        *op = c0 == '>' ? AUDIT_GT : AUDIT_LT;
        lx->i += 1;
    } else if (c1 == '>' || c1 == '<') {
        return fail(lx, lx->i, "'=%c' is not a comparison: did you mean '%c='?", c1, c1);
    } else {
        return fail(lx, lx->i, "'%s' is not a comparison: use >=, <=, > or <", c1 == '=' ? "==" : "=");
    }
    strcpy(text, *op == AUDIT_GE ? ">=" : *op == AUDIT_LE ? "<=" : *op == AUDIT_GT ? ">" : "<");
    return 1;
}

/* cmp := OP NUMBER | 'between' NUMBER ['and'] NUMBER.  `after` is what precedes it. */
static int compare(struct lexer *lx, struct audit_claim *c, const char *after)
{
    char op[4], first[80];
    skip(lx);
    size_t at = lx->i, n = word_at(lx, at);
    int r = comparison(lx, &c->op, op);
    if (r < 0)
        return -1;
    if (r > 0)
        return number(lx, op, &c->a, &c->col_a);
    if (n && keyword(lx, at, n, "between")) {
        lx->i = at + n;
        c->op = AUDIT_BETWEEN;
        if (number(lx, "between", &c->a, &c->col_a) < 0)
            return -1;
        snprintf(first, sizeof first, "between %.*s", (int)(lx->i - (size_t)(c->col_a - 1)), lx->s + c->col_a - 1);
        skip(lx);
        size_t m = word_at(lx, lx->i);
        const char *before = first;
        if (m && keyword(lx, lx->i, m, "and")) {
            lx->i += m;
            before = "and";
        }
        if (number(lx, before, &c->b, &c->col_b) < 0)
            return -1;
        if (c->b < c->a)
            return fail(lx, (size_t)c->col_b - 1, "the second bound %g is below the first %g (between LOW HIGH)", c->b,
                        c->a);
        return 0;
    }
    size_t t = token_at(lx, at);
    if (!t)
        return fail(lx, at, "expected '>=', '<=', '>', '<' or 'between' after '%s'", after);
    return fail(lx, at, "expected '>=', '<=', '>', '<' or 'between' after '%s', found '%.*s'", after,
                (int)(t > 40 ? 40 : t), lx->s + at);
}

/* Optional trailing clauses: 'on' INSTRUMENT and 'on condition' NAME always, 'vs' POPULATION
 * when vs_ok.  'condition' after 'on' is the keyword; an instrument of that name is quoted. */
static int clauses(struct lexer *lx, struct audit_claim *c, int vs_ok)
{
    for (;;) {
        skip(lx);
        if (at_end(lx))
            return 0;
        size_t at = lx->i, n = word_at(lx, at);
        if (n && keyword(lx, at, n, "on")) {
            lx->i = at + n;
            skip(lx);
            size_t k = lx->i, kw = word_at(lx, k);
            if (kw && keyword(lx, k, kw, "condition")) {
                if (c->condition[0])
                    return fail(lx, at, "'on condition' is given twice");
                lx->i = k + kw;
                if (name(lx, "a condition name", "on condition", 0, c->condition, &c->col_condition) < 0)
                    return -1;
                continue;
            }
            if (c->instrument[0])
                return fail(lx, at, "'on' is given twice");
            if (name(lx, "an instrument name", "on", 0, c->instrument, &c->col_instrument) < 0)
                return -1;
        } else if (n && keyword(lx, at, n, "vs")) {
            if (!vs_ok)
                return fail(lx, at, "'vs' names a human norm, which only a percentile claim takes "
                                    "(EXT percentile >= 70 vs POPULATION)");
            if (c->population[0])
                return fail(lx, at, "'vs' is given twice");
            lx->i = at + n;
            if (name(lx, "a norm population", "vs", 1, c->population, &c->col_population) < 0)
                return -1;
        } else {
            size_t t = token_at(lx, at);
            return fail(lx, at, "unexpected '%.*s' after the claim (only 'on INSTRUMENT'%s may follow)",
                        (int)(t > 40 ? 40 : t), lx->s + at, vs_ok ? " and 'vs POPULATION'" : "");
        }
    }
}

static int scope_line(struct lexer *lx, struct audit_claim *c, size_t at, size_t n)
{
    static const char *const fields[] = { "model", "persona", "temperature", "instrument", "condition" };
    char label[16];
    for (int f = 0; f < 5; f++)
        if (keyword(lx, at, n, fields[f]))
            c->field = (enum audit_field)f;
    snprintf(label, sizeof label, "%s:", fields[c->field]);
    lx->i = at + n;
    skip(lx);
    if (at_end(lx) || lx->s[lx->i] != ':')
        return fail(lx, lx->i, "expected ':' after '%s' (a scope line: %s: VALUE, or '*' for any)", fields[c->field],
                    fields[c->field]);
    lx->i++;
    c->kind = AUDIT_SCOPE;
    skip(lx);
    if (!at_end(lx) && lx->s[lx->i] == '*' && lx->i + 1 == lx->len)
        return 0;                 /* any */
    if (c->field == AUDIT_F_TEMPERATURE) {
        int col;
        if (number(lx, label, &c->temperature, &col) < 0)
            return -1;
        if (c->temperature < 0)
            return fail(lx, (size_t)col - 1, "a temperature is not negative");
        c->has_temperature = 1;
        snprintf(c->value, sizeof c->value, "%.*s", (int)(lx->i - (size_t)(col - 1)), lx->s + col - 1);
    } else {
        int col;
        if (name(lx, c->field == AUDIT_F_INSTRUMENT ? "an instrument name" : c->field == AUDIT_F_CONDITION ? "a condition name" : "a name", label, 1, c->value, &col) < 0)
            return -1;
    }
    skip(lx);
    if (!at_end(lx)) {
        size_t t = token_at(lx, lx->i);
        return fail(lx, lx->i, "unexpected '%.*s' after the %s", (int)(t > 40 ? 40 : t), lx->s + lx->i,
                    fields[c->field]);
    }
    return 0;
}

int audit_parse_claim_n(const char *text, size_t len, struct audit_claim *out, struct audit_error *err)
{
    struct lexer lx = { text, len, 0, err };
    struct audit_claim *c = out;
    char dim[64];
    memset(c, 0, sizeof *c);
    memset(err, 0, sizeof *err);
    /* the comment: the first '#' outside double quotes; a NUL byte anywhere is an error */
    int quoted = 0;
    size_t end = len;
    for (size_t k = 0; k < len; k++) {
        if (text[k] == '\0')
            return fail(&lx, k, "the claim contains a NUL byte");
        if (text[k] == '"')
            quoted = !quoted;
        else if (text[k] == '#' && !quoted && end == len)
            end = k;
    }
    while (end > 0 && blank(text[end - 1]))
        end--;
    lx.len = end;
    skip(&lx);
    if (at_end(&lx))
        return 0;
    size_t start = lx.i;
    if (end - start >= AUDIT_MAX_TEXT)
        return fail(&lx, start + AUDIT_MAX_TEXT - 1, "the claim is longer than %d bytes", AUDIT_MAX_TEXT - 1);
    memcpy(c->text, text + start, end - start);
    c->text[end - start] = '\0';

    size_t n = word_at(&lx, start);
    if (n && (keyword(&lx, start, n, "model") || keyword(&lx, start, n, "persona") ||
              keyword(&lx, start, n, "temperature") || keyword(&lx, start, n, "instrument") ||
              keyword(&lx, start, n, "condition")))
        return scope_line(&lx, c, start, n) < 0 ? -1 : 1;

    if (dimension(&lx, c, dim, sizeof dim) < 0)
        return -1;
    skip(&lx);
    size_t at = lx.i, w = word_at(&lx, at);
    char op[4];
    int r;
    if (at_end(&lx))
        return fail(&lx, at, "expected '>=', '<=', '>', '<', 'between', 'percentile', 'stable', 'steerable', 'robust to order' or 'not acquiescent' after '%s'",
                    dim);
    if ((r = comparison(&lx, &c->op, op)) != 0) {
        if (r < 0)
            return -1;
        c->kind = AUDIT_LEVEL;
        if (number(&lx, op, &c->a, &c->col_a) < 0 || clauses(&lx, c, 0) < 0)
            return -1;
    } else if (w && keyword(&lx, at, w, "between")) {
        c->kind = AUDIT_LEVEL;
        if (compare(&lx, c, dim) < 0 || clauses(&lx, c, 0) < 0)
            return -1;
    } else if (w && keyword(&lx, at, w, "percentile")) {
        c->kind = AUDIT_PERCENTILE;
        lx.i = at + w;
        if (compare(&lx, c, "percentile") < 0)
            return -1;
        if (!(c->a >= 0 && c->a <= 100))
            return fail(&lx, (size_t)c->col_a - 1, "a percentile is between 0 and 100, found %g", c->a);
        if (c->op == AUDIT_BETWEEN && !(c->b >= 0 && c->b <= 100))
            return fail(&lx, (size_t)c->col_b - 1, "a percentile is between 0 and 100, found %g", c->b);
        if (clauses(&lx, c, 1) < 0)
            return -1;
    } else if (w && keyword(&lx, at, w, "stable")) {
        c->kind = AUDIT_STABLE;
        lx.i = at + w;
        if (clauses(&lx, c, 0) < 0)
            return -1;
    } else if (w && keyword(&lx, at, w, "steerable")) {
        c->kind = AUDIT_STEERABLE;
        lx.i = at + w;
        skip(&lx);
        size_t g = lx.i, gw = word_at(&lx, g);
        if (gw && (keyword(&lx, g, gw, "ultimatum") || keyword(&lx, g, gw, "ug")))
            c->game = AUDIT_GAME_ULTIMATUM;
        else if (gw && (keyword(&lx, g, gw, "milgram") || keyword(&lx, g, gw, "me")))
            c->game = AUDIT_GAME_MILGRAM;
        else if (!at_end(&lx) && !(gw && keyword(&lx, g, gw, "on"))) {
            size_t t = token_at(&lx, g);
            return fail(&lx, g, "expected 'ultimatum', 'milgram' or 'on INSTRUMENT' after 'steerable', found '%.*s'",
                        (int)(t > 40 ? 40 : t), lx.s + g);
        }
        if (c->game) {
            lx.i = g + gw;
            skip(&lx);
            if (!at_end(&lx)) {
                size_t t = token_at(&lx, lx.i);
                return fail(&lx, lx.i, "unexpected '%.*s' after the claim (a game claim takes no instrument)",
                            (int)(t > 40 ? 40 : t), lx.s + lx.i);
            }
        } else if (clauses(&lx, c, 0) < 0) {
            return -1;
        }
    } else if (w && (keyword(&lx, at, w, "robust") || keyword(&lx, at, w, "not"))) {
        /* issue 14: DIM robust to order, DIM not acquiescent */
        int robust = keyword(&lx, at, w, "robust");
        const char *const words[2][2] = { { "acquiescent", NULL }, { "to", "order" } };
        c->kind = robust ? AUDIT_ORDER_ROBUST : AUDIT_NOT_ACQUIESCENT;
        lx.i = at + w;
        for (int k = 0; k < 2 && words[robust][k]; k++) {
            skip(&lx);
            size_t g = lx.i, gw = word_at(&lx, g), t = token_at(&lx, g);
            if (!gw || !keyword(&lx, g, gw, words[robust][k]))
                return fail(&lx, g, "expected '%s' in '%s', found '%.*s'", words[robust][k],
                            robust ? "robust to order" : "not acquiescent", (int)(t > 40 ? 40 : t), lx.s + g);
            lx.i = g + gw;
        }
        if (clauses(&lx, c, 0) < 0)
            return -1;
    } else {
        size_t t = token_at(&lx, at);
        return fail(&lx, at,
                    "expected '>=', '<=', '>', '<', 'between', 'percentile', 'stable', 'steerable', 'robust to order' or 'not acquiescent' after '%s', "
                    "found '%.*s'", dim, (int)(t > 40 ? 40 : t), lx.s + at);
    }
    return 1;
}

int audit_parse_claim(const char *text, struct audit_claim *out, struct audit_error *err)
{
    return audit_parse_claim_n(text, strlen(text), out, err);
}
