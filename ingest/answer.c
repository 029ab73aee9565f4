/* ingest/answer.c -- answer parsing.  Every mention of an option (a letter or digit in one of the
 * forms models write, or a scale label) is collected; one distinct option is `ok`, two are
 * `ambiguous`; with none, a refusal phrase makes it `refusal`, anything else `unparsed`. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "util.h"
#include "ingest/answer.h"

/* An option is named by its presented position (a letter or digit, told apart by the captured
 * text) or by a scale label. */
enum mention_kind { BY_POSITION, BY_LABEL };

struct pattern {
    const char *source;
    enum mention_kind kind;
    unsigned joiners;           /* bit g: group g captures a range joiner, not an option */
    pcre2_code *re;
};

struct option_pattern {
    const char *name;           /* in error messages: "pattern NAME hit the match limit" */
    struct pattern p;
};

#define NOT_A_NUMBER "(?!\\d|[.,]\\d)"
/* A dash after a letter ends it ("D-Moderately Accurate" reads as D) unless another option follows
 * ("D-E" is a range, "A-B testing" prose). */
#define LETTER_END "(?:\\s*+[).:]|\\s*+[\\-\\x{2013}\\x{2014}](?!\\s*+[A-K]\\b|\\p{L})|\\s*+$)"
/* How two options are joined: a range ("4-5", "D\x{2013}E", "4 to 5"), captured so that a range
 * of the whole scale ("1-5") can be read as the scale's description; or "or", "and", "and/or",
 * ", ", ", or", "(or", "/" (letters only: "2/3" is a fraction), each optionally followed by
 * "maybe", "perhaps" or "possibly". */
#define RANGE_JOIN "(\\s*+[\\-\\x{2013}]\\s*+|\\s++to\\s++)"
#define OTHER_JOIN "(?:\\s++(?:or|and(?:/or)?+)\\s++|\\s*+,\\s*+(?:(?:or|and)\\s++)?+|\\s*+\\(\\s*+or\\s++)"
#define MAYBE "(?:(?:maybe|perhaps|possibly)\\s++)?+"
/* A digit option is not the first of two joined digits ("2 or 3 times a week", "4-5"). */
#define NOT_JOINED "(?!(?:\\s*+[\\-\\x{2013}]\\s*+|\\s++to\\s++|" OTHER_JOIN ")" MAYBE "\\d)"
/* Two options joined, followed by the end or punctuation ("D or E.", "C/D", "2 or 3", "4-5",
 * "D, or maybe E"): groups 1 and 3 letters (2 a range joiner), 4 and 6 digits (5 a range joiner). */
#define PAIR "(?:([A-K])(?:" RANGE_JOIN "|" OTHER_JOIN "|\\s*+/\\s*+)" MAYBE "([A-K])" \
    "|([0-9]{1,2}+)" NOT_A_NUMBER "(?:" RANGE_JOIN "|" OTHER_JOIN ")" MAYBE "([0-9]{1,2}+)" NOT_A_NUMBER ")" \
    "(?=\\s*+(?:[).,:;!?\\-\\x{2013}\\x{2014}]|$))"
#define PAIR_JOINERS (1u << 2 | 1u << 5)

/* Letters and digits only count in the shapes models use for an option, never as a bare word
 * inside prose ("A person like me" is not option A).  Two options joined by "or", "and", "/", a
 * comma or a range ("D or E", "Between D and E.", "either 2 or 3", "D, or maybe E", "4-5",
 * "4 to 5") are two mentions, so the answer is `ambiguous`; the first of them alone is never read
 * as the answer.  A pair only counts at the start or after "between", "either", "say" or "answer:",
 * and when punctuation or the end follows it, so "2 or 3 times a week" and "A/B testing" are prose.
 * A range from the first option to the last ("1-5" on 5 points, "A-E") describes the scale.
 *
 * Linear time: every run of white space is possessive (\s*+) and no two unbounded runs can trade
 * characters, so an attempt from one start never backtracks over a run, and a start fails as soon
 * as its run ends.  Each pattern is one scan of the answer, anchored (^) or with literal start
 * characters; letters and digits share a pattern where they share a shape.  A 10 MB answer of
 * spaces, "(B)", letters or digits parses in a fraction of a second (bench/run.sh, section
 * answers); "option\s*(?:is)?\s*" once backtracked quadratically over a run of spaces. */
static struct option_pattern option_patterns[] = {
    { "option in brackets",                                                     /* (E) [E] [3] (3) */
      { "[(\\[]\\s*+(?:([A-K])|([0-9]{1,2}+))\\s*+[)\\]]", BY_POSITION, 0, NULL } },
    { "option at the start",                                                    /* D) E. A - 4, 4 - Agree */
      { "^\\W{0,3}+(?:([A-K])" LETTER_END "|([0-9]{1,2}+)" NOT_A_NUMBER NOT_JOINED "(?!\\s*+(?:%|/|out of)|-\\p{L}))",
        BY_POSITION, 0, NULL } },
    { "option after 'answer'",                                                  /* option D, Rating: 4 */
      { "\\b(?:(?:option|answer|choice)\\s*+(?:is|:|=)?\\s*+([A-K])\\b"
        "|(?:option|answer|choice|rating|score)\\s*+(?:is|:|=)?\\s*+([0-9]{1,2}+)" NOT_A_NUMBER NOT_JOINED ")",
        BY_POSITION, 0, NULL } },
    { "two options at the start",                                               /* D or E, C/D, 2 or 3, 4-5 */
      { "^\\W{0,3}+" PAIR, BY_POSITION, PAIR_JOINERS, NULL } },
    { "two options after 'between'",                                            /* Between D and E. */
      { "\\b(?:between\\s++|either\\s++|say\\s++|(?:option|answer|choice|rating|score)s?\\s*+(?:is|are|:|=)?\\s*+)" PAIR,
        BY_POSITION, PAIR_JOINERS, NULL } },
    { "scale label",
      { "\\b(very inaccurate|moderately inaccurate|neither accurate nor inaccurate|moderately accurate"
        "|very accurate|strongly disagree|disagree strongly|disagree a little|slightly disagree"
        "|somewhat disagree|partially disagree|neither agree nor disagree|neutral|agree a little"
        "|slightly agree|somewhat agree|partially agree|strongly agree|agree strongly)\\b", BY_LABEL, 0, NULL } },
};

static const struct {
    const char *label;
    int option;
} labels[] = {
    { "very inaccurate", 1 },      { "moderately inaccurate", 2 }, { "neither accurate nor inaccurate", 3 },
    { "moderately accurate", 4 },  { "very accurate", 5 },         { "strongly disagree", 1 },
    { "disagree strongly", 1 },    { "disagree a little", 2 },     { "slightly disagree", 2 },
    { "somewhat disagree", 2 },    { "partially disagree", 2 },    { "neither agree nor disagree", 3 },
    { "neutral", 3 },              { "agree a little", 4 },        { "slightly agree", 4 },
    { "somewhat agree", 4 },       { "partially agree", 4 },       { "strongly agree", 5 },
    { "agree strongly", 5 },
};

static struct pattern refusal_pattern = {
    "\\b(?:as an ai|as an artificial intelligence|i am an ai|i'm an ai|i\\x{2019}m an ai"
    "|as a language model|i am a language model|i'm a language model|ai language model"
    "|i (?:cannot|can't|can\\x{2019}t|can not|am unable to|am not able to|won't|will not) "
    "(?:answer|provide|rate|respond|choose|select|say|give|express|have)"
    "|i do(?:n't|n\\x{2019}t| not) have (?:personal|feelings|emotions|opinions|preferences|a personality)"
    "|(?:unable|not able) to (?:answer|provide|rate|respond|choose))", BY_LABEL, 0, NULL
};

/* The answers of a study repeat: a few hundred distinct texts ("(D)", "4", "C) Neither Accurate Nor
 * Inaccurate.") make up most of a million responses.  answer_parse() is a pure function of the
 * text, the scale and the order, so its result for a short text is kept in a small direct-mapped
 * table and looked up before the seven patterns run: the same result, by construction, for a hash
 * and a compare instead of up to seven PCRE2 scans (tests/test_answer.c compares both ways on every
 * answer of the fixtures).  Fixed size, so memory does not grow with the data; a slot is simply
 * overwritten by the next text that hashes to it.  A PCRE2 error is never kept (it sets the
 * per-thread error text). */
#define MEMO_SLOTS 2048                 /* a power of two */
#define MEMO_TEXT 120                   /* longer answers always take the full parse */
struct memo {
    unsigned char len;                  /* 0: empty slot (an empty text is not kept) */
    signed char n_options, descending, status, option;
    char text[MEMO_TEXT];
};
static struct memo *memo;

static pcre2_match_data *match_data;
static pcre2_match_context *match_context;   /* NULL: PCRE2's defaults; see pcre2_test_match_limit() */

static int compile(struct pattern *p)
{
    int err;
    PCRE2_SIZE off;
    p->re = pcre2_compile((PCRE2_SPTR)p->source, PCRE2_ZERO_TERMINATED,
                          PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &err, &off,
                          NULL);
    if (!p->re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        return diag_error("internal: answer pattern at offset %zu: %s", (size_t)off, (char *)msg);
    }
    pcre2_jit_compile(p->re, PCRE2_JIT_COMPLETE);  /* optional speed-up; falls back silently */
    return 0;
}

int answer_init(void)
{
    if (match_data)
        return 0;
    for (size_t i = 0; i < sizeof option_patterns / sizeof option_patterns[0]; i++)
        if (compile(&option_patterns[i].p) < 0)
            return -1;
    if (compile(&refusal_pattern) < 0)
        return -1;
    unsigned long limit = pcre2_test_match_limit();
    if (limit) {
        if (!(match_context = pcre2_match_context_create(NULL)))
            return diag_error("out of memory");
        pcre2_set_match_limit(match_context, (uint32_t)limit);
    }
    memo = calloc(MEMO_SLOTS, sizeof *memo);
    match_data = pcre2_match_data_create(8, NULL);
    return match_data && memo ? 0 : diag_error("out of memory");
}

void answer_free(void)
{
    for (size_t i = 0; i < sizeof option_patterns / sizeof option_patterns[0]; i++) {
        pcre2_code_free(option_patterns[i].p.re);
        option_patterns[i].p.re = NULL;
    }
    pcre2_code_free(refusal_pattern.re);
    refusal_pattern.re = NULL;
    pcre2_match_data_free(match_data);
    match_data = NULL;
    free(memo);
    memo = NULL;
    pcre2_match_context_free(match_context);
    match_context = NULL;
}

const char *answer_status_name(enum answer_status s)
{
    static const char *const names[] = { "ok", "ambiguous", "refusal", "unparsed", "error" };
    return names[s];
}

static _Thread_local char error_text[192];

const char *answer_error(void)
{
    return error_text;
}

enum answer_status answer_failed(int rc, const char *name)
{
    PCRE2_UCHAR msg[128];
    if (rc == PCRE2_ERROR_MATCHLIMIT)
        snprintf(error_text, sizeof error_text, "pattern %s hit the match limit", name);
    else if (rc == PCRE2_ERROR_DEPTHLIMIT)
        snprintf(error_text, sizeof error_text, "pattern %s hit the depth limit", name);
    else if (rc == PCRE2_ERROR_HEAPLIMIT)
        snprintf(error_text, sizeof error_text, "pattern %s hit the heap limit", name);
    else {
        pcre2_get_error_message(rc, msg, sizeof msg);
        snprintf(error_text, sizeof error_text, "pattern %s failed: %s", name, (char *)msg);
    }
    return ANSWER_ERROR;
}

static int label_option(const char *s, size_t n)
{
    char lower[64];
    size_t j = 0;
    if (n >= sizeof lower)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        lower[j++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    lower[j] = '\0';
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(lower, labels[i].label) == 0)
            return labels[i].option;
    return 0;
}

int answer_label_presented(const char *s, size_t len, const struct answer_presentation *pr)
{
    const int n_options = pr->k;
    int pos = 0, digit = 0;
    while (len && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    if (len >= 2 && ((s[0] == '(' && s[len - 1] == ')') || (s[0] == '[' && s[len - 1] == ']')))
        s++, len -= 2;
    else if (len >= 2 && (s[len - 1] == ')' || s[len - 1] == '.' || s[len - 1] == ':'))
        len--;
    if (len == 0)
        return 0;
    if (len <= 2 && s[0] >= '0' && s[0] <= '9' && (len == 1 || (s[1] >= '0' && s[1] <= '9')))
        pos = len == 1 ? s[0] - '0' : (s[0] - '0') * 10 + (s[1] - '0'), digit = 1;
    else if (len == 1 && ((s[0] >= 'A' && s[0] <= 'K') || (s[0] >= 'a' && s[0] <= 'k')))
        pos = (s[0] | 0x20) - 'a' + 1;
    else if (n_options == 5) {
        if (len == 5 && strncasecmp(s, "agree", 5) == 0)
            return 4;
        if (len == 8 && strncasecmp(s, "disagree", 8) == 0)
            return 2;
        return label_option(s, len);
    } else
        return 0;
    if (pos < 1 || pos > n_options)
        return 0;
    if (digit ? pr->numbers : pr->letters)
        return pos;             /* the label itself, wherever it was shown (as mention_option) */
    return pr->at[pos - 1];
}

int answer_label(const char *s, size_t len, int n_options, int descending)
{
    struct answer_presentation pr;
    answer_presentation_order(&pr, n_options, descending);
    return answer_label_presented(s, len, &pr);
}

int answer_label_option(const char *s, size_t n, int n_options)
{
    return n_options == 5 ? label_option(s, n) : 0;
}

void answer_presentation_order(struct answer_presentation *pr, int k, int descending)
{
    memset(pr, 0, sizeof *pr);
    pr->k = k < 0 ? 0 : k > 11 ? 11 : k;
    for (int p = 0; p < pr->k; p++)
        pr->at[p] = descending ? pr->k - p : p + 1;
}

/* Value of the mention captured in group g, on the ascending scale; 0 when out of range. */
static int mention_option(const struct pattern *p, const char *text, PCRE2_SIZE *ov, int g,
                          const struct answer_presentation *pr)
{
    const int k = pr->k;
    int digit;
    const char *s = text + ov[2 * g];
    size_t n = ov[2 * g + 1] - ov[2 * g];
    int pos;
    if (p->kind == BY_LABEL)
        return k == 5 ? label_option(s, n) : 0;
    if ((digit = s[0] >= '0' && s[0] <= '9'))
        pos = n == 1 ? s[0] - '0' : (s[0] - '0') * 10 + (s[1] - '0');
    else
        pos = (s[0] | 0x20) - 'a' + 1;
    if (pos < 1 || pos > k)
        return 0;
    if (digit ? pr->numbers : pr->letters)
        return pos;             /* the label itself, wherever it was shown */
    return pr->at[pos - 1];
}

/* pcre2_match from `start` with the limits of match_context: > 0 on a match, PCRE2_ERROR_NOMATCH,
 * or another negative PCRE2 error, which the caller must report (never "no match"). */
static int find(const struct pattern *p, const char *text, size_t len, size_t start)
{
    return pcre2_match(p->re, (PCRE2_SPTR)text, len, start, 0, match_data, match_context);
}

/* The length of the whole number in an answer that is only "N.0" (spaces around allowed), or 0:
 * pandas writes an integer column with a missing value as floats, so a table's answer 5 arrives as
 * "5.0".  "4.5" is not one and stays unparsed. */
static size_t float_written_integer(const char *s, size_t len, size_t *start)
{
    size_t i = 0, digits;
    while (i < len && s[i] == ' ')
        i++;
    *start = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    digits = i - *start;
    if (!digits || digits > 2 || i + 2 > len || s[i] != '.' || s[i + 1] != '0')
        return 0;
    for (i += 2; i < len && s[i] == '0'; i++)
        ;
    while (i < len && s[i] == ' ')
        i++;
    return i == len ? digits : 0;
}

/* Every pattern against the text, read as presented by pr: what answer_parse_presented() and, for the
 * two plain orders, answer_parse()'s table of recent results stand in front of. */
static enum answer_status parse_presented_full(const char *text, size_t len, const struct answer_presentation *pr,
                                               int *option)
{
    int found = 0, rc = PCRE2_ERROR_NOMATCH;
    const int n_options = pr->k;
    size_t whole_start, whole;
    if (!text || !match_data)
        return ANSWER_UNPARSED;
    if ((whole = float_written_integer(text, len, &whole_start)))
        return parse_presented_full(text + whole_start, whole, pr, option);
    for (size_t i = 0; i < sizeof option_patterns / sizeof option_patterns[0]; i++) {
        const struct pattern *p = &option_patterns[i].p;
        size_t start = 0;
        /* every pattern consumes at least one character, so `start` always moves on */
        while (start < len && (rc = find(p, text, len, start)) >= 0) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(match_data);
            int values[4], n_values = 0, range = 0;
            for (int g = 1; g < rc; g++) {
                if (ov[2 * g] == PCRE2_UNSET)
                    continue;
                if (p->joiners & 1u << g) {
                    range = 1;
                    continue;
                }
                int value = mention_option(p, text, ov, g, pr);
                if (value && n_values < 4)
                    values[n_values++] = value;
            }
            /* A range of the whole scale ("1-5", "1 to 7", "A-E") describes the scale, as in
             * "on a 1-5 scale", and names no option. */
            if (range && n_values == 2 && ((values[0] + values[1] == n_options + 1 && (values[0] == 1 || values[1] == 1))
                || (values[0] == pr->at[0] && values[1] == pr->at[n_options - 1])))
                n_values = 0;
            for (int v = 0; v < n_values; v++) {
                if (found && found != values[v])
                    return ANSWER_AMBIGUOUS;
                found = values[v];
            }
            start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
        }
        if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
            return answer_failed(rc, option_patterns[i].name);
    }
    if (found) {
        *option = found;
        return ANSWER_OK;
    }
    rc = find(&refusal_pattern, text, len, 0);
    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
        return answer_failed(rc, "refusal phrase");
    return rc >= 0 ? ANSWER_REFUSAL : ANSWER_UNPARSED;
}

enum answer_status answer_parse_full(const char *text, size_t len, int n_options, int descending,
                                     int *option)
{
    struct answer_presentation pr;
    answer_presentation_order(&pr, n_options, descending);
    return parse_presented_full(text, len, &pr, option);
}

enum answer_status answer_parse_presented(const char *text, size_t len, const struct answer_presentation *pr,
                                          int *option)
{
    /* the plain orders (no permutation, no label kind) go through answer_parse()'s table; k is the
     * presentation's, as answer_presentation_order() clamped it */
    int asc = !pr->letters && !pr->numbers, desc = asc;
    for (int p = 0; p < pr->k && (asc || desc); p++) {
        asc &= pr->at[p] == p + 1;
        desc &= pr->at[p] == pr->k - p;
    }
    if (asc || desc)
        return answer_parse(text, len, pr->k, !asc, option);
    return parse_presented_full(text, len, pr, option);
}

enum answer_status answer_parse(const char *text, size_t len, int n_options, int descending,
                                int *option)
{
    if (!text || !memo || len == 0 || len >= MEMO_TEXT || n_options < 0 || n_options > 127)
        return answer_parse_full(text, len, n_options, descending, option);
    descending = descending != 0;
    uint32_t h = 2166136261u;           /* FNV-1a over the text, the scale and the order */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)text[i]) * 16777619u;
    h = (h ^ (uint32_t)n_options) * 16777619u;
    h = (h ^ (uint32_t)descending) * 16777619u;
    struct memo *m = &memo[h & (MEMO_SLOTS - 1)];
    if (m->len == len && m->n_options == n_options && m->descending == descending &&
        memcmp(m->text, text, len) == 0) {
        if (m->status == ANSWER_OK)
            *option = m->option;
        return (enum answer_status)m->status;
    }
    int found = 0;
    enum answer_status st = answer_parse_full(text, len, n_options, descending, &found);
    if (st == ANSWER_ERROR)
        return st;
    if (st == ANSWER_OK)
        *option = found;
    m->len = (unsigned char)len;
    m->n_options = (signed char)n_options;
    m->descending = (signed char)descending;
    m->status = (signed char)st;
    m->option = (signed char)found;
    memcpy(m->text, text, len);
    return st;
}

enum answer_status answer_refusal(const char *text, size_t len)
{
    int rc;
    if (!text || !match_data)
        return ANSWER_UNPARSED;
    rc = find(&refusal_pattern, text, len, 0);
    if (rc >= 0)
        return ANSWER_REFUSAL;
    return rc == PCRE2_ERROR_NOMATCH ? ANSWER_UNPARSED : answer_failed(rc, "refusal phrase");
}
