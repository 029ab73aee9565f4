/* ingest/amount.c -- the amount of a strategy-method or proposer answer (amount.h).
 *
 * One pass over the brackets of the answer, and for each bracket one pass over its amounts; every
 * other look (the sentence before an amount, the words around it) is a window of at most
 * WINDOW bytes, so the whole parse is linear in the answer.  Patterns use possessive runs only. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <math.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"
#include "ingest/amount.h"

#define WINDOW 120          /* bytes looked back for a negation, a bound or a party */

enum party { PARTY_NONE, PARTY_ME, PARTY_YOU, PARTY_RESPONDER, PARTY_PROPOSER };

struct apattern {
    const char *name, *source;
    pcre2_code *re;
};

enum {
    A_BRACKET, A_AMOUNT, A_RANGE, A_CLAUSE, A_NEGATION, A_BOUND, A_AFTER, A_BEFORE, A_FAVOUR, N_APATTERNS
};

static struct apattern patterns[N_APATTERNS] = {
    /* a bracket that holds no other bracket, at most 300 bytes: "[$30]", "[$70 for the Responder and $30 for me]" */
    [A_BRACKET] = { "bracket", "\\[([^\\[\\]]{0,300}+)\\]", NULL },
    /* "$30", "$ 30", "30", "33.33", "1,000", "30%", "30 percent"; not inside a word or a number */
    [A_AMOUNT] = { "amount", "(?<![\\w.,$])(\\$\\s*+)?+(\\d++(?:,\\d{3}+)*+)(\\.\\d++)?+(?!\\w)"
                             "(\\s*+(?:%|percent\\b|per\\s++cent\\b))?+", NULL },
    /* a range right after an amount: "$30-$40", "30 to 40", "30–40" */
    [A_RANGE] = { "range", "\\G\\s*+(?:-|\\x{2013}|\\x{2014}|to\\b)\\s*+\\$?+\\d", NULL },
    /* where a clause starts: after . ! ? ; : or a new line (not a decimal point), or at a contrast */
    [A_CLAUSE] = { "clause", "(?:[!?;:\\n]|\\.(?!\\d))|\\b(?:but|however|so|therefore|thus|yet|although|though)\\b", NULL },
    [A_NEGATION] = { "negation", "\\b(?:not|never|cannot|reject\\w*+|refus\\w*+|declin\\w*+)\\b|n['\\x{2019}]t\\b", NULL },
    /* a bound just before the amount keeps a negated clause a statement of the minimum:
     * "I would not accept anything less than [$30]", "reject offers below [$20]" */
    [A_BOUND] = { "bound", "\\b(?:(?:less|lower|fewer|smaller)\\s++than|below|under|at\\s++least|minimum(?:\\s++of)?+"
                           "|min(?:imal)?+\\s++amount(?:\\s++of)?+)\\s*+(?:\\[\\s*+)?+\\z", NULL },
    /* the party named right after an amount: "[$70] for the Responder", "$30 for me]" */
    [A_AFTER] = { "party after", "\\G\\s*+\\]?+\\s*+(?:for|to)\\s++(?:the\\s++)?+"
                                 "(?:(me|myself)|(you|yourself|them|other\\s++player)|(responder)|(proposer))\\b", NULL },
    /* the party named before an amount (the last one in the window counts) */
    [A_BEFORE] = { "party before",
                   "\\b(?:(keep\\w*+|leav(?:e|es|ing)\\s++me|for\\s++myself|my\\s++share|"
                   "I\\s++(?:will\\s++|would\\s++|can\\s++)?+(?:receive|get|take|retain)"
                   "|I['\\x{2019}](?:ll|d)\\s++(?:receive|get|take|retain))"
                   "|(give\\s++you|offer\\s++you|leav(?:e|es|ing)\\s++you|for\\s++you"
                   "|you\\s++(?:will\\s++|would\\s++|can\\s++)?+(?:receive|get|keep|take))"
                   "|(responder)|(proposer))\\b", NULL },
    /* a split said to favour a party, right after its second part: "[$70 : $30] split in favor of the
     * Proposer" gives the Proposer the larger part */
    [A_FAVOUR] = { "favour", "\\G\\s*+\\]?+\\s*+(?:split\\s++)?+in\\s++favou?r\\s++of\\s++(?:the\\s++)?+"
                             "(?:(me|myself)|(you|yourself|them|other\\s++player)|(responder)|(proposer))\\b", NULL },
};

static pcre2_match_data *md;
static pcre2_match_context *mctx;

int amount_init(void)
{
    if (md)
        return 0;
    for (int i = 0; i < N_APATTERNS; i++) {
        int err;
        PCRE2_SIZE off;
        patterns[i].re = pcre2_compile((PCRE2_SPTR)patterns[i].source, PCRE2_ZERO_TERMINATED,
                                       PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
        if (!patterns[i].re) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(err, msg, sizeof msg);
            return diag_error("internal: amount pattern %s at offset %zu: %s", patterns[i].name, (size_t)off,
                              (char *)msg);
        }
        pcre2_jit_compile(patterns[i].re, PCRE2_JIT_COMPLETE);
    }
    unsigned long limit = pcre2_test_match_limit();
    if (limit) {
        if (!(mctx = pcre2_match_context_create(NULL)))
            return diag_error("out of memory");
        pcre2_set_match_limit(mctx, (uint32_t)limit);
    }
    md = pcre2_match_data_create(8, NULL);
    return md ? 0 : diag_error("out of memory");
}

void amount_free(void)
{
    for (int i = 0; i < N_APATTERNS; i++) {
        pcre2_code_free(patterns[i].re);
        patterns[i].re = NULL;
    }
    pcre2_match_data_free(md);
    md = NULL;
    pcre2_match_context_free(mctx);
    mctx = NULL;
}

/* pcre2_match of pattern i on text[0..end) from `start`: > 0 on a match, PCRE2_ERROR_NOMATCH, or
 * another negative code, which the caller turns into ANSWER_ERROR with answer_failed(). */
static int find(int i, const char *text, size_t end, size_t start)
{
    return pcre2_match(patterns[i].re, (PCRE2_SPTR)text, end, start, 0, md, mctx);
}

#define FAILED(rc) ((rc) < 0 && (rc) != PCRE2_ERROR_NOMATCH)

struct mention {
    double value;
    size_t start, end;      /* of the amount, "$" included */
    enum party party;
    int negated;
};

/* The start of the clause that holds text[at]: the end of the last clause break within WINDOW bytes
 * before it (or the window's start).  Sets *start; returns 0 or a PCRE2 error code. */
static int clause_start(const char *text, size_t at, size_t *start)
{
    size_t from = at > WINDOW ? at - WINDOW : 0;
    *start = from;
    int rc;
    while (from < at && (rc = find(A_CLAUSE, text, at, from)) > 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        *start = ov[1];
        from = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
    }
    return from < at && FAILED(rc) ? rc : 0;
}

/* Whether the clause before the amount at m->start denies it without bounding it. */
static int negated(const char *text, const struct mention *m, size_t bracket, int *is)
{
    size_t cs;
    int rc = clause_start(text, bracket, &cs);
    *is = 0;
    if (rc < 0)
        return rc;
    rc = find(A_NEGATION, text, m->start, cs);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0)
        return rc;
    size_t from = m->start > 40 ? m->start - 40 : 0;
    rc = find(A_BOUND, text, m->start, from < cs ? cs : from);
    if (FAILED(rc))
        return rc;
    *is = rc == PCRE2_ERROR_NOMATCH;
    return 0;
}

static enum party party_of(const PCRE2_SIZE *ov, int rc)
{
    static const enum party groups[] = { PARTY_NONE, PARTY_ME, PARTY_YOU, PARTY_RESPONDER, PARTY_PROPOSER };
    for (int g = 1; g < rc && g < 5; g++)
        if (ov[2 * g] != PCRE2_UNSET)
            return groups[g];
    return PARTY_NONE;
}

/* The party an amount is attributed to: the one named right after it ("[$30] for me"), else the last
 * one named in its clause since the previous amount ("give $40 and keep $60 for myself. So, [$40/$60]":
 * the clause of the bracket names no party). */
static int attribute(const char *text, size_t len, struct mention *m, size_t prev_end)
{
    int rc = find(A_AFTER, text, len, m->end);
    if (rc > 0) {
        m->party = party_of(pcre2_get_ovector_pointer(md), rc);
        return 0;
    }
    if (FAILED(rc))
        return rc;
    size_t from;
    if ((rc = clause_start(text, m->start, &from)) < 0)
        return rc;
    if (from < prev_end)
        from = prev_end;
    m->party = PARTY_NONE;
    while (from < m->start && (rc = find(A_BEFORE, text, m->start, from)) > 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        m->party = party_of(ov, rc);
        from = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
    }
    return from < m->start && FAILED(rc) ? rc : 0;
}

static double amount_value(const char *text, const PCRE2_SIZE *ov, int rc, double total)
{
    char buf[64];
    size_t n = 0;
    for (size_t i = ov[4]; i < ov[5] && n + 1 < sizeof buf; i++)
        if (text[i] != ',')
            buf[n++] = text[i];
    if (rc > 3 && ov[6] != PCRE2_UNSET)
        for (size_t i = ov[6]; i < ov[7] && n + 1 < sizeof buf; i++)
            buf[n++] = text[i];
    buf[n] = '\0';
    double v = strtod(buf, NULL);
    if (rc > 4 && ov[8] != PCRE2_UNSET)     /* a percentage of the total */
        v = v / 100.0 * total;
    return v;
}

/* Whether party p names the amount asked for (1), the other share (-1), or neither (0). */
static int side(enum party p, enum amount_role role)
{
    if (p == PARTY_NONE)
        return 0;
    if (role == AMOUNT_OFFER)
        return p == PARTY_YOU || p == PARTY_RESPONDER ? 1 : -1;
    return p == PARTY_ME || p == PARTY_RESPONDER ? 1 : -1;
}

enum answer_status amount_parse(const char *text, size_t len, double total, enum amount_role role,
                                double *amount)
{
    struct mention m[2];              /* the first mention of each distinct amount */
    size_t n = 0, start = 0;
    int rc;
    if (!text || !md)
        return ANSWER_UNPARSED;
    while (start < len && (rc = find(A_BRACKET, text, len, start)) > 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        size_t open = ov[0], in = ov[2], in_end = ov[3];
        start = ov[1];
        size_t pos = in;
        while (pos < in_end && (rc = find(A_AMOUNT, text, in_end, pos)) > 0) {
            ov = pcre2_get_ovector_pointer(md);
            struct mention cur = { .start = ov[0], .end = ov[1] };
            cur.value = amount_value(text, ov, rc, total);
            pos = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
            int r = find(A_RANGE, text, in_end, cur.end);
            if (r > 0)
                return ANSWER_AMBIGUOUS;               /* "[$30-$40]" */
            if (FAILED(r))
                return answer_failed(r, patterns[A_RANGE].name);
            if (!(cur.value <= total))
                continue;                              /* not a share of the total */
            if ((r = negated(text, &cur, open, &cur.negated)) < 0)
                return answer_failed(r, "negation");
            if (cur.negated)
                return ANSWER_AMBIGUOUS;
            size_t j = 0;                              /* the first mention of each value is kept */
            while (j < n && m[j].value != cur.value)
                j++;
            if (j < n)
                continue;
            if (n == 2)
                return ANSWER_AMBIGUOUS;               /* three different amounts */
            m[n++] = cur;
        }
        if (FAILED(rc))
            return answer_failed(rc, patterns[A_AMOUNT].name);
        rc = PCRE2_ERROR_NOMATCH;
    }
    if (FAILED(rc))
        return answer_failed(rc, patterns[A_BRACKET].name);
    if (n == 0) {
        enum answer_status st = answer_refusal(text, len);
        return st;
    }
    if (n == 1) {
        *amount = m[0].value;
        return ANSWER_OK;
    }
    /* two amounts: a split of the total whose parts the text attributes, else ambiguous */
    struct mention *a = &m[0], *b = &m[1];
    if (fabs(a->value + b->value - total) > 1e-9 * (total > 1 ? total : 1))
        return ANSWER_AMBIGUOUS;
    if ((rc = attribute(text, len, a, 0)) < 0 || (rc = attribute(text, len, b, a->end)) < 0)
        return answer_failed(rc, "party");
    rc = find(A_FAVOUR, text, len, b->end);
    if (FAILED(rc))
        return answer_failed(rc, patterns[A_FAVOUR].name);
    if (rc > 0 && a->value != b->value) {
        struct mention *larger = a->value > b->value ? a : b, *smaller = larger == a ? b : a;
        larger->party = party_of(pcre2_get_ovector_pointer(md), rc);
        smaller->party = PARTY_NONE;
    }
    int sa = side(a->party, role), sb = side(b->party, role);
    if (sa == 1 && sb != 1)
        *amount = a->value;
    else if (sb == 1 && sa != 1)
        *amount = b->value;
    else if (sa == -1 && sb != -1)
        *amount = b->value;
    else if (sb == -1 && sa != -1)
        *amount = a->value;
    else if (role == AMOUNT_OFFER)
        *amount = a->value;        /* "[$40/$60]": the share given comes first, as the question asked for it */
    else
        return ANSWER_AMBIGUOUS;
    return ANSWER_OK;
}
