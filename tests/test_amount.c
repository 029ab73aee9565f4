/* tests/test_amount.c -- amount_parse() on every line of the hand-labelled corpus tests/data/amounts.tsv
 * (ROLE<TAB>TOTAL<TAB>LABEL<TAB>TEXT; the rules are in tests/data/README.md), on the length contract,
 * on a PCRE2 failure (ANSWER_ERROR, never a status), and on long hostile inputs that must be read
 * whole in one linear pass. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ingest/amount.h"
#include "ingest/answer.h"

/* "ok" amounts as %g, else the status name */
static const char *parse(const char *text, size_t len, double total, enum amount_role role, char *buf, size_t size)
{
    double v = NAN;
    enum answer_status st = amount_parse(text, len, total, role, &v);
    if (st != ANSWER_OK)
        return answer_status_name(st);
    snprintf(buf, size, "%g", v);
    return buf;
}

static size_t unescape(char *s)
{
    size_t j = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '\\' && s[i + 1]) {
            char c = s[++i];
            s[j++] = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
        } else {
            s[j++] = s[i];
        }
    }
    s[j] = '\0';
    return j;
}

static void corpus(void)
{
    const char *top = getenv("PSYFAITH_TOP");
    char path[4096], *line = NULL, buf[64];
    size_t cap = 0;
    ssize_t n;
    long lineno = 0, n_ok = 0, n_status[4] = { 0 }, real = 0, total_lines = 0;
    int in_real = 0;
    snprintf(path, sizeof path, "%s/tests/data/amounts.tsv", top && *top ? top : ".");
    FILE *fp = fopen(path, "r");
    CHECK(fp != NULL);
    if (!fp) {
        fprintf(stderr, "    %s: %s\n", path, strerror(errno));
        return;
    }
    while ((n = getline(&line, &cap, fp)) > 0) {
        lineno++;
        if (line[n - 1] == '\n')
            line[--n] = '\0';
        if (line[0] == '#') {
            if (strstr(line, "# Part 2") || strstr(line, "# Part 3"))
                in_real = 1;
            continue;
        }
        char *f[4] = { line, NULL, NULL, NULL };
        for (int i = 1; i < 4; i++) {
            char *tab = f[i - 1] ? strchr(f[i - 1], '\t') : NULL;
            if (tab) {
                *tab = '\0';
                f[i] = tab + 1;
            }
        }
        CHECK(f[3] != NULL);
        if (!f[3]) {
            fprintf(stderr, "    %s:%ld: expected 4 fields\n", path, lineno);
            continue;
        }
        enum amount_role role = strcmp(f[0], "offer") == 0 ? AMOUNT_OFFER : AMOUNT_THRESHOLD;
        CHECK(strcmp(f[0], "offer") == 0 || strcmp(f[0], "threshold") == 0);
        double total = strtod(f[1], NULL);
        size_t len = unescape(f[3]);
        char *copy = malloc(len ? len : 1);   /* exact size, no NUL: the length is the contract */
        if (!copy)
            break;
        memcpy(copy, f[3], len);
        const char *got = parse(copy, len, total, role, buf, sizeof buf);
        free(copy);
        CHECK(strcmp(got, f[2]) == 0);
        if (strcmp(got, f[2]) != 0)
            fprintf(stderr, "    %s:%ld: got %s, want %s: '%.120s'\n", path, lineno, got, f[2], f[3]);
        int s = -1;
        for (int k = 1; k < 4; k++)
            if (strcmp(f[2], answer_status_name((enum answer_status)k)) == 0)
                s = k;
        if (s < 0)
            n_ok++;
        else
            n_status[s]++;
        real += in_real;
        total_lines++;
    }
    free(line);
    fclose(fp);
    /* the corpus has every outcome, both roles, and the real answers */
    CHECK(n_ok >= 60);
    CHECK(n_status[ANSWER_AMBIGUOUS] >= 15);
    CHECK(n_status[ANSWER_REFUSAL] >= 8);
    CHECK(n_status[ANSWER_UNPARSED] >= 5);
    CHECK(real >= 65);
    CHECK(total_lines >= 125);
}

static char *repeat(const char *unit, size_t times, const char *tail, size_t *len)
{
    size_t u = strlen(unit), t = strlen(tail);
    char *s = malloc(u * times + t + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * u, unit, u);
    memcpy(s + u * times, tail, t);
    *len = u * times + t;
    s[*len] = '\0';
    return s;
}

int main(void)
{
    char buf[64];
    if (answer_init() < 0 || amount_init() < 0)
        return 1;
    corpus();

    /* the length is honoured: a prefix of a longer buffer, and NULL */
    CHECK_STR(parse("[$30] [$40]", 5, 100, AMOUNT_THRESHOLD, buf, sizeof buf), "30");
    CHECK_STR(parse("[$30]-$40]", 5, 100, AMOUNT_THRESHOLD, buf, sizeof buf), "30");  /* the range is cut off */
    CHECK_STR(parse("[$30-$40]", 4, 100, AMOUNT_THRESHOLD, buf, sizeof buf), "unparsed");  /* "[$30": no ']' */
    {
        double v = 7;
        CHECK(amount_parse(NULL, 0, 100, AMOUNT_OFFER, &v) == ANSWER_UNPARSED && v == 7);
    }

    /* long hostile answers are read whole, in linear time (each would take minutes if quadratic) */
    static const struct {
        const char *unit, *tail, *want;
        size_t times;
    } big[] = {
        { "[", "[$30]", "30", 2000000 },
        { "[$30] ", "", "30", 300000 },                 /* one value, many mentions */
        { " ", "[$30]", "30", 3000000 },
        { "not ", "[$30]", "ambiguous", 500000 },       /* negation just before: ambiguous */
        { "not. ", "[$30]", "30", 500000 },             /* each sentence ends the negation */
        { "[a", "]", "unparsed", 1000000 },
        { "1", "", "unparsed", 3000000 },
        { "[1", "", "unparsed", 1000000 },
        { "keep you ", "[$30/$70]", "30", 300000 },
        { "\xff\xfe", "[$30]", "30", 500000 },          /* invalid UTF-8 is skipped */
    };
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
        size_t len;
        char *s = repeat(big[i].unit, big[i].times, big[i].tail, &len);
        CHECK(s != NULL);
        if (!s)
            continue;
        const char *got = parse(s, len, 100, strcmp(big[i].unit, "keep you ") == 0 ? AMOUNT_OFFER : AMOUNT_THRESHOLD,
                                buf, sizeof buf);
        CHECK(strcmp(got, big[i].want) == 0);
        if (strcmp(got, big[i].want) != 0)
            fprintf(stderr, "    '%s' x %zu + '%s': got %s, want %s\n", big[i].unit, big[i].times, big[i].tail, got,
                    big[i].want);
        free(s);
    }
    amount_free();
    answer_free();

    /* a PCRE2 failure is ANSWER_ERROR with the pattern named, never a status */
    setenv("PSYFAITH_PCRE2_MATCH_LIMIT", "1", 1);
    if (answer_init() < 0 || amount_init() < 0)
        return 1;
    {
        double v = 7;
        CHECK(amount_parse("I would accept [$30].", 21, 100, AMOUNT_THRESHOLD, &v) == ANSWER_ERROR && v == 7);
        CHECK(strstr(answer_error(), "match limit") != NULL);
    }
    amount_free();
    answer_free();
    return CHECK_DONE();
}
