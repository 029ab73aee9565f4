/* tests/test_decision.c -- decision_parse() on every line of the hand-labelled corpus
 * tests/data/decisions.tsv (LABEL<TAB>TEXT; the rules are in tests/data/README.md), on the
 * reproductions of issue 11, and on inputs that must be read whole, in their given length, in one
 * linear pass (correctness only: the speed is measured by bench/run.sh, section decision). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ingest/answer.h"
#include "ingest/decision.h"

static const char *const labels[] = { "accept", "reject", "ambiguous", "refusal", "unparsed" };

/* The label a result gets: accept/reject for ANSWER_OK, else the status name. */
static const char *result(enum answer_status st, int accept)
{
    return st == ANSWER_OK ? (accept ? "accept" : "reject") : answer_status_name(st);
}

static const char *parse(const char *text, size_t len)
{
    int accept = -1;
    enum answer_status st = decision_parse(text, len, &accept);
    if (st == ANSWER_OK && accept != 0 && accept != 1)
        return "bad accept value";
    return result(st, accept);
}

/* Undoes the corpus escapes (\n \t \r \\) in place; returns the length. */
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
    char path[4096], *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0, count[5] = { 0 }, real = 0;
    snprintf(path, sizeof path, "%s/tests/data/decisions.tsv", top && *top ? top : ".");
    FILE *fp = fopen(path, "r");
    CHECK(fp != NULL);
    if (!fp) {
        fprintf(stderr, "    %s: %s\n", path, strerror(errno));
        return;
    }
    int in_real = 0;
    while ((n = getline(&line, &cap, fp)) > 0) {
        lineno++;
        if (line[n - 1] == '\n')
            line[--n] = '\0';
        if (line[0] == '#') {
            if (strstr(line, "# records/"))
                in_real = 1;
            continue;
        }
        char *tab = strchr(line, '\t');
        CHECK(tab != NULL);
        if (!tab) {
            fprintf(stderr, "    %s:%ld: no tab\n", path, lineno);
            continue;
        }
        *tab = '\0';
        int k = -1;
        for (int i = 0; i < 5; i++)
            if (strcmp(line, labels[i]) == 0)
                k = i;
        CHECK(k >= 0);
        if (k < 0) {
            fprintf(stderr, "    %s:%ld: unknown label '%s'\n", path, lineno, line);
            continue;
        }
        count[k]++;
        real += in_real;
        char *text = tab + 1;
        size_t len = unescape(text);
        /* an exact-size copy without a terminating NUL: the parser must honour the length */
        char *copy = malloc(len ? len : 1);
        if (!copy)
            break;
        memcpy(copy, text, len);
        const char *got = parse(copy, len);
        free(copy);
        CHECK(strcmp(got, line) == 0);
        if (strcmp(got, line) != 0)
            fprintf(stderr, "    %s:%ld: got %s, want %s: '%.120s'\n", path, lineno, got, line, text);
    }
    free(line);
    fclose(fp);
    /* the corpus has every label, at least 300 answers, and the real model answers */
    for (int i = 0; i < 5; i++)
        CHECK(count[i] >= 20);
    CHECK(count[0] + count[1] + count[2] + count[3] + count[4] >= 300);
    CHECK(real >= 300);
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
    if (answer_init() < 0 || decision_init() < 0)
        return 1;

    /* issue 11 item 1: all three were stored as `reject`, status ok */
    CHECK_STR(parse("I would not reject this offer.", 30), "accept");
    CHECK_STR(parse("I would never reject such a fair split.", 39), "accept");
    CHECK_STR(parse("No single amount: 0, 50", 23), "unparsed");

    corpus();

    /* the length is honoured: a prefix of a longer buffer, and NULL */
    CHECK_STR(parse("I accept. I reject.", 9), "accept");
    CHECK_STR(parse("I would not accept", 11), "unparsed");   /* "I would not" */
    {
        int accept = 7;
        CHECK(decision_parse(NULL, 0, &accept) == ANSWER_UNPARSED && accept == 7);
    }

    /* issue 11 item 7: long hostile answers are read whole (bench/run.sh times them) */
    static const struct {
        const char *unit, *tail, *want;
        size_t times;
    } big[] = {
        { "no ", "", "unparsed", 350000 },              /* took 456 s before */
        { "no ", "I accept.", "accept", 350000 },       /* "no" before a word is no decision */
        { "no. ", "I accept.", "ambiguous", 100000 },   /* each "No." is a reject */
        { " ", "I accept", "accept", 3000000 },
        { "not ", ". I would not accept", "reject", 500000 },
        { "I accept, ", "", "accept", 200000 },
        { "[ ", "I accept", "accept", 500000 },
        { "a", "", "unparsed", 3000000 },
        { "\xe2\x80\x99", "I won\xe2\x80\x99t accept", "reject", 500000 },
        { "\xff\xfe", "I accept", "accept", 500000 },  /* invalid UTF-8 is skipped */
    };
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
        size_t len;
        char *s = repeat(big[i].unit, big[i].times, big[i].tail, &len);
        CHECK(s != NULL);
        if (!s)
            continue;
        const char *got = parse(s, len);
        CHECK(strcmp(got, big[i].want) == 0);
        if (strcmp(got, big[i].want) != 0)
            fprintf(stderr, "    '%s' x %zu + '%s': got %s, want %s\n", big[i].unit, big[i].times, big[i].tail, got,
                    big[i].want);
        free(s);
    }
    decision_free();
    answer_free();
    return CHECK_DONE();
}
