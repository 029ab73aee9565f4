/* ingest/answer.c -- answer parsing.  Every mention of an option (a letter or digit in one of the
 * forms models write, or a scale label) is collected; one distinct option is `ok`, two are
 * `ambiguous`; with none, a refusal phrase makes it `refusal`, anything else `unparsed`. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "ingest/answer.h"

enum mention_kind { BY_LETTER, BY_DIGIT, BY_LABEL };

struct pattern {
    const char *source;
    enum mention_kind kind;
    pcre2_code *re;
};

/* Letters and digits only count in the shapes models use for an option, never as a bare word
 * inside prose ("A person like me" is not option A). */
static struct pattern option_patterns[] = {
    { "[(\\[]\\s*([A-K])\\s*[)\\]]", BY_LETTER, NULL },                        /* (E) [E] */
    { "^\\W{0,3}([A-K])(?:\\s*[).:\\-\\x{2013}\\x{2014}]|\\s*$)", BY_LETTER, NULL }, /* D) E. A - */
    { "\\b(?:option|answer|choice)\\s*(?:is|:|=)?\\s*([A-K])\\b", BY_LETTER, NULL }, /* option D */
    { "[(\\[]\\s*(\\d{1,2})\\s*[)\\]]", BY_DIGIT, NULL },                      /* [3] (3) */
    { "^\\W{0,3}(\\d{1,2})(?!\\d|[.,]\\d)(?!\\s*(?:%|/|out of))", BY_DIGIT, NULL },  /* 4, 4 - Agree */
    { "\\b(?:option|answer|choice|rating|score)\\s*(?:is|:|=)?\\s*(\\d{1,2})(?!\\d|[.,]\\d)", BY_DIGIT, NULL },
    { "\\b(very inaccurate|moderately inaccurate|neither accurate nor inaccurate|moderately accurate"
      "|very accurate|strongly disagree|disagree strongly|disagree a little|slightly disagree"
      "|somewhat disagree|partially disagree|neither agree nor disagree|neutral|agree a little"
      "|slightly agree|somewhat agree|partially agree|strongly agree|agree strongly)\\b", BY_LABEL, NULL },
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
    "|(?:unable|not able) to (?:answer|provide|rate|respond|choose))", BY_LABEL, NULL
};

static pcre2_match_data *match_data;

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
        if (compile(&option_patterns[i]) < 0)
            return -1;
    if (compile(&refusal_pattern) < 0)
        return -1;
    match_data = pcre2_match_data_create(8, NULL);
    return match_data ? 0 : diag_error("out of memory");
}

void answer_free(void)
{
    for (size_t i = 0; i < sizeof option_patterns / sizeof option_patterns[0]; i++) {
        pcre2_code_free(option_patterns[i].re);
        option_patterns[i].re = NULL;
    }
    pcre2_code_free(refusal_pattern.re);
    refusal_pattern.re = NULL;
    pcre2_match_data_free(match_data);
    match_data = NULL;
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

/* Value of the mention captured in group 1, on the ascending scale; 0 when out of range. */
static int mention_option(const struct pattern *p, const char *text, PCRE2_SIZE *ov, int k, int desc)
{
    const char *s = text + ov[2];
    size_t n = ov[3] - ov[2];
    int pos;
    switch (p->kind) {
    case BY_LETTER:
        pos = (s[0] | 0x20) - 'a' + 1;
        break;
    case BY_DIGIT:
        pos = n == 1 ? s[0] - '0' : (s[0] - '0') * 10 + (s[1] - '0');
        break;
    default:
        return k == 5 ? label_option(s, n) : 0;
    }
    if (pos < 1 || pos > k)
        return 0;
    return desc ? k + 1 - pos : pos;
}

static int matches(const struct pattern *p, const char *text, size_t len, size_t start)
{
    return pcre2_match(p->re, (PCRE2_SPTR)text, len, start, 0, match_data, NULL) >= 0;
}

enum answer_status answer_parse(const char *text, size_t len, int n_options, int descending,
                                int *option)
{
    int found = 0;
    if (!text || !match_data)
        return ANSWER_UNPARSED;
    for (size_t i = 0; i < sizeof option_patterns / sizeof option_patterns[0]; i++) {
        const struct pattern *p = &option_patterns[i];
        size_t start = 0;
        while (start <= len && matches(p, text, len, start)) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(match_data);
            int value = mention_option(p, text, ov, n_options, descending);
            if (value) {
                if (found && found != value)
                    return ANSWER_AMBIGUOUS;
                found = value;
            }
            start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
        }
    }
    if (found) {
        *option = found;
        return ANSWER_OK;
    }
    return matches(&refusal_pattern, text, len, 0) ? ANSWER_REFUSAL : ANSWER_UNPARSED;
}

enum answer_status answer_refusal(const char *text, size_t len)
{
    int rc;
    if (!text || !match_data)
        return ANSWER_UNPARSED;
    rc = pcre2_match(refusal_pattern.re, (PCRE2_SPTR)text, len, 0, 0, match_data, NULL);
    if (rc >= 0)
        return ANSWER_REFUSAL;
    return rc == PCRE2_ERROR_NOMATCH ? ANSWER_UNPARSED : answer_failed(rc, "refusal");
}
