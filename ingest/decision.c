/* ingest/decision.c -- Ultimatum responder answers to accept / reject.
 *
 * One left-to-right pass over tokens (words, numbers, punctuation) found by one PCRE2 pattern; each
 * pcre2_match() starts where the last token ended, so the pass reads every byte a bounded number of
 * times.  Everything the pass remembers is bounded too: a ring of the last RING tokens, counters per
 * clause, sentence and answer, and the last decision mention.  So the parse is linear in the answer.
 *
 * A decision mention is a word (accept, yes, reject, decline, refuse, unacceptable ...) or a phrase
 * (agree to, take it, take the offer, turn it down, walk away, a "no" standing alone).  Its polarity
 * flips once for every negator among the NEG_WINDOW tokens before it in the same clause (not, never,
 * n't, cannot, unable, "no reason/way/need to"), so "I would not not accept" and "I can't refuse" are
 * accepts.  A clause "I would not," leaves its negation pending, across a short parenthetical, for a
 * decision that opens a later clause ("I would not, under any circumstances, reject it": accept).
 * Only the answerer's own decisions count: "I would accept", "Accept.", "my decision is to reject";
 * "the responder would accept", "you may reject" are talk about the game (own_decision()).
 * A mention is
 *   firm      -- a committed decision;
 *   hedged    -- with a hedge in its clause (might, maybe, could, probably, unlikely, doubt, whether,
 *                "not sure") or trailing it ("I accept, maybe", ", I suppose"), followed by "not"
 *                ("I accept not"), trailing off in "..." after a pending negation, in a conditional
 *                (an "if" before it in the sentence or after it in the clause, a clause opened by
 *                "provided"), in a reason clause (because, since), in a question, or named as
 *                an alternative ("accept or reject", "accept, or not");
 *   strategy  -- in a clause that states a minimum acceptable amount (minimal, at least, less than,
 *                "any offer", "accept $40"), or in a conditional sentence with an amount ("if the offer
 *                is $40 or more, I accept"): a strategy-method answer, not a decision on this offer.
 * An amount in brackets ("[$30]", the strategy prompt's answer form) makes the whole answer unparsed.
 * Otherwise the answer is ok when its firm mentions all agree, ambiguous when they disagree; without
 * firm mentions it is unparsed if it states a strategy, a refusal if it is an AI disclaimer, ambiguous
 * if it has hedged mentions, and unparsed otherwise. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "ingest/decision.h"
#include "util.h"

/* Group 1: an amount in brackets; group 2: a number with a decimal point or comma; group 3: a word
 * (with inner apostrophes: don't, won’t); group 4: punctuation that ends a clause or sentence.
 * Possessive quantifiers: no backtracking, so each attempt costs at most the token's length. */
static const char token_source[] =
    "(\\[\\s*+\\$?+\\s*+\\d)"
    "|(\\d++(?:[.,]\\d++)++)"
    "|(\\w++(?:['\\x{2019}]\\w++)*+)"
    "|([.!?;:,/\\n\\x{2013}\\x{2014}])";

static pcre2_code *token_re;
static pcre2_match_context *match_context;   /* NULL: PCRE2's defaults; see pcre2_test_match_limit() */

/* Word classes, one bit each; a word may have several ("deal" is a noun and ends a "no"). */
#define F_ACCEPT   (UINT64_C(1) << 0)
#define F_REJECT   (UINT64_C(1) << 1)
#define F_NO       (UINT64_C(1) << 2)
#define F_NEG      (UINT64_C(1) << 3)
#define F_HEDGE    (UINT64_C(1) << 4)
#define F_COND     (UINT64_C(1) << 5)
#define F_REASON   (UINT64_C(1) << 6)
#define F_BREAK    (UINT64_C(1) << 7)
#define F_OR       (UINT64_C(1) << 8)
#define F_THRESH   (UINT64_C(1) << 9)
#define F_ANY      (UINT64_C(1) << 10)
#define F_NOUN     (UINT64_C(1) << 11)
#define F_NEGNOUN  (UINT64_C(1) << 12)
#define F_SURE     (UINT64_C(1) << 13)
#define F_TAKE     (UINT64_C(1) << 14)
#define F_IT       (UINT64_C(1) << 15)
#define F_DET      (UINT64_C(1) << 16)
#define F_AGREE    (UINT64_C(1) << 17)
#define F_TO       (UINT64_C(1) << 18)
#define F_WITH     (UINT64_C(1) << 19)
#define F_TURN     (UINT64_C(1) << 20)
#define F_DOWN     (UINT64_C(1) << 21)
#define F_WALK     (UINT64_C(1) << 22)
#define F_AWAY     (UINT64_C(1) << 23)
#define F_ENDNO    (UINT64_C(1) << 24)
#define F_EVEN     (UINT64_C(1) << 25)
#define F_SELF     (UINT64_C(1) << 26)
#define F_OTHER    (UINT64_C(1) << 27)
#define F_MORE     (UINT64_C(1) << 28)
#define F_NOMINAL  (UINT64_C(1) << 29)
#define F_MODAL    (UINT64_C(1) << 30)
#define F_NUM      (UINT64_C(1) << 31)
#define F_AS       (UINT64_C(1) << 32)
#define F_COPULA   (UINT64_C(1) << 33)
#define F_CONJ     (UINT64_C(1) << 34)
#define F_EXCEPT   (UINT64_C(1) << 35)
#define F_BARRIER  (UINT64_C(1) << 36)
#define F_GERUND   (UINT64_C(1) << 37)
#define F_TAIL     (UINT64_C(1) << 38)   /* a hedge that may trail the decision: "I accept, maybe" */
#define F_POSTNEG  (UINT64_C(1) << 39)   /* not, never: "I accept not" */

/* Sorted for bsearch.  Lower case, apostrophes as ASCII '. */
static const struct word {
    const char *w;
    uint64_t flags;
} words[] = {
    { "a", F_DET },              { "above", F_THRESH },       { "accept", F_ACCEPT },
    { "acceptable", F_ACCEPT | F_NOMINAL }, { "acceptance", F_ACCEPT | F_NOMINAL }, { "accepted", F_ACCEPT },
    { "accepting", F_ACCEPT | F_GERUND }, { "accepts", F_ACCEPT },     { "agree", F_AGREE },
    { "agreed", F_AGREE },       { "agreeing", F_AGREE },     { "agrees", F_AGREE },
    { "also", F_CONJ },          { "although", F_BREAK },     { "amount", F_THRESH },
    { "amounts", F_THRESH },     { "an", F_DET },             { "and", F_CONJ },
    { "any", F_ANY },            { "anyone", F_OTHER },       { "anything", F_THRESH },
    { "as", F_AS },              { "assuming", F_COND },      { "away", F_AWAY },
    { "be", F_COPULA },          { "because", F_REASON },     { "below", F_THRESH },
    { "but", F_BREAK },          { "can", F_COPULA },         { "cannot", F_NEG },
    { "certain", F_SURE },       { "certainly", F_MODAL },    { "choice", F_EXCEPT },
    { "consider", F_HEDGE },     { "considering", F_HEDGE },  { "could", F_HEDGE },
    { "deal", F_NOUN | F_ENDNO }, { "decline", F_REJECT },     { "declined", F_REJECT },
    { "declines", F_REJECT },    { "declining", F_REJECT | F_GERUND }, { "definitely", F_MODAL },
    { "depend", F_HEDGE },       { "depending", F_HEDGE },    { "depends", F_HEDGE },
    { "desire", F_NEGNOUN },     { "division", F_NOUN },      { "doubt", F_HEDGE },
    { "doubtful", F_HEDGE },     { "down", F_DOWN },
    { "either", F_HEDGE },       { "even", F_EVEN },          { "everyone", F_OTHER },
    { "fewer", F_THRESH },       { "gives", F_COPULA },       { "greater", F_THRESH },
    { "hardly", F_NEG },         { "he", F_OTHER },           { "help", F_EXCEPT },
    { "hence", F_BREAK },        { "hesitant", F_HEDGE },     { "higher", F_THRESH },
    { "however", F_BREAK },      { "humans", F_OTHER },       { "i", F_SELF },
    { "i'd", F_SELF | F_MODAL }, { "i'll", F_SELF | F_MODAL }, { "i'm", F_SELF },
    { "i've", F_SELF },          { "if", F_COND },            { "individuals", F_OTHER },
    { "intention", F_NEGNOUN },  { "interest", F_NEGNOUN },   { "is", F_COPULA },
    { "it", F_IT },              { "it's", F_COPULA },        { "just", F_MODAL },
    { "least", F_THRESH },       { "leaves", F_COPULA },      { "less", F_THRESH },
    { "likely", F_HEDGE },       { "looks", F_COPULA },       { "lower", F_THRESH },
    { "lowest", F_THRESH },      { "many", F_OTHER },         { "may", F_HEDGE },
    { "maybe", F_HEDGE | F_TAIL },        { "me", F_SELF },            { "means", F_COPULA },
    { "might", F_HEDGE },        { "minimal", F_THRESH },     { "minimum", F_THRESH },
    { "minimun", F_THRESH },     { "money", F_NOUN },         { "more", F_MORE },
    { "most", F_OTHER },         { "must", F_MODAL },         { "my", F_SELF },
    { "myself", F_SELF },        { "need", F_NEGNOUN },       { "neither", F_HEDGE },
    { "never", F_NEG | F_POSTNEG },          { "no", F_NO },              { "nobody", F_OTHER },
    { "nor", F_OR },             { "not", F_NEG | F_POSTNEG },            { "offer", F_NOUN },
    { "offers", F_NOUN },        { "one", F_OTHER },          { "or", F_OR },
    { "others", F_OTHER },       { "otherwise", F_COND },     { "people", F_OTHER },
    { "perhaps", F_HEDGE | F_TAIL },      { "person", F_OTHER },       { "plan", F_NEGNOUN },
    { "player", F_OTHER },       { "players", F_OTHER },      { "point", F_NEGNOUN },
    { "possibly", F_HEDGE | F_TAIL },     { "probably", F_HEDGE | F_TAIL },     { "proposal", F_NOUN },
    { "proposals", F_NOUN },     { "proposer", F_OTHER },     { "proposer's", F_OTHER },
    { "proposers", F_OTHER },    { "provided", F_COND },      { "reason", F_NEGNOUN },
    { "refuse", F_REJECT },      { "refused", F_REJECT },     { "refuses", F_REJECT },
    { "refusing", F_REJECT | F_GERUND }, { "reject", F_REJECT },      { "rejected", F_REJECT },
    { "rejecting", F_REJECT | F_GERUND }, { "rejection", F_REJECT | F_NOMINAL }, { "rejects", F_REJECT },
    { "responder", F_OTHER },    { "responder's", F_OTHER },  { "responders", F_OTHER },
    { "results", F_COPULA },     { "seems", F_COPULA },       { "shall", F_MODAL },
    { "share", F_NOUN },         { "she", F_OTHER },          { "should", F_HEDGE },
    { "simply", F_MODAL },       { "since", F_REASON },       { "smallest", F_THRESH },
    { "so", F_BREAK },           { "some", F_OTHER },         { "someone", F_OTHER },
    { "sounds", F_COPULA },      { "split", F_NOUN },         { "sum", F_NOUN },
    { "suppose", F_COND | F_TAIL },       { "supposing", F_COND },     { "sure", F_SURE },
    { "take", F_TAKE },          { "takes", F_TAKE },         { "taking", F_TAKE },
    { "tempted", F_HEDGE },      { "thank", F_ENDNO },        { "thanks", F_ENDNO },
    { "that", F_DET },           { "that's", F_COPULA },      { "the", F_DET },
    { "then", F_CONJ },          { "therefore", F_BREAK },    { "they", F_OTHER },
    { "this", F_DET },           { "this's", F_COPULA },      { "though", F_BREAK },
    { "threshold", F_THRESH },   { "thus", F_BREAK },         { "to", F_TO },
    { "turn", F_TURN },          { "turned", F_TURN },        { "turning", F_TURN },
    { "turns", F_TURN },         { "unable", F_NEG },         { "unacceptable", F_REJECT | F_NOMINAL },
    { "uncertain", F_HEDGE },    { "undecided", F_HEDGE },    { "unless", F_COND },
    { "unlikely", F_HEDGE },
    { "unsure", F_HEDGE },       { "unwilling", F_NEG },      { "walk", F_WALK },
    { "walking", F_WALK },       { "was", F_COPULA },         { "way", F_NEGNOUN },
    { "whereas", F_BREAK },      { "whether", F_HEDGE },      { "will", F_MODAL },
    { "wish", F_NEGNOUN },       { "with", F_WITH },          { "without", F_NEG },
    { "would", F_MODAL },        { "yes", F_ACCEPT },         { "you", F_OTHER },
    { "your", F_DET },
};

enum { RING = 8, NEG_WINDOW = 5, SUBJECT_WINDOW = 7, CLAUSE_HEAD = 2, PAREN_WINDOW = 8 };

struct tok {
    uint64_t flags;
    long clause;
};

/* Counts of mentions by polarity: [0] reject, [1] accept. */
struct parse {
    struct tok ring[RING];
    size_t n;                       /* tokens so far; ring[i % RING] is token i */
    long clause;                    /* clause number, increased at every clause or sentence end */
    size_t clause_start;            /* the clause's first token */
    /* the clause being read */
    int c_firm[2], c_hedged[2], c_hedge, c_reason, c_strategy, c_any_prev;
    /* the sentence being read (clauses already ended) */
    int s_firm[2], s_hedged[2], s_strategy, s_cond, s_amount;
    /* the whole answer */
    long a_firm[2], a_hedged, a_strategy;
    /* the last mention, for "accept or reject": the counter it went to, and tokens since */
    int *last, last_pol, last_is_no, last_gerund, or_since;
    int s_subject;                  /* the sentence's last subject: 1 "I", 2 someone else, 0 none yet */
    size_t last_at;
    long last_clause;
    int no_pending;                 /* the previous token was "no": its meaning depends on this one */
    /* "I would not, under any circumstances, reject": a negation left pending by a comma */
    int dangle, dangle_negs, dangle_hedge, last_paren;
    size_t dangle_at;               /* the pending negator's token */
};

int decision_init(void)
{
    int err;
    PCRE2_SIZE off;
    if (token_re)
        return 0;
    for (size_t i = 1; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(words[i - 1].w, words[i].w) >= 0)
            return diag_error("internal: decision word table not sorted at '%s'", words[i].w);
    token_re = pcre2_compile((PCRE2_SPTR)token_source, PCRE2_ZERO_TERMINATED,
                             PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
    if (!token_re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        return diag_error("internal: decision pattern at offset %zu: %s", (size_t)off, (char *)msg);
    }
    unsigned long limit = pcre2_test_match_limit();
    if (limit) {                /* tests only: JIT would not reach so small a limit on this pattern */
        if (!(match_context = pcre2_match_context_create(NULL)))
            return diag_error("out of memory");
        pcre2_set_match_limit(match_context, (uint32_t)limit);
    } else {
        pcre2_jit_compile(token_re, PCRE2_JIT_COMPLETE);  /* optional speed-up; falls back silently */
    }
    return 0;
}

void decision_free(void)
{
    pcre2_code_free(token_re);
    token_re = NULL;
    pcre2_match_context_free(match_context);
    match_context = NULL;
}

static int by_word(const void *key, const void *elem)
{
    return strcmp(key, ((const struct word *)elem)->w);
}

/* Flags of a word: ASCII lower-cased, U+2019 read as an apostrophe; "...n't" is a negator. */
static uint64_t word_flags(const char *s, size_t n)
{
    char w[24];
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (j + 1 >= sizeof w)
            return 0;                       /* longer than any word of the table */
        if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x99) {
            w[j++] = '\'';
            i += 2;
        } else {
            w[j++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
    }
    w[j] = '\0';
    if (w[0] >= '0' && w[0] <= '9')
        return F_NUM;
    if (j >= 3 && memcmp(w + j - 3, "n't", 3) == 0)
        return F_NEG;
    const struct word *hit = bsearch(w, words, sizeof words / sizeof words[0], sizeof words[0], by_word);
    return hit ? hit->flags : 0;
}

static struct tok *back(struct parse *p, size_t k)  /* k tokens before the current one; NULL if none */
{
    return k < p->n && k < RING ? &p->ring[(p->n - 1 - k) % RING] : NULL;
}

/* The clause ends: its mentions go to the sentence, as strategy if the clause states a minimum. */
static void end_clause(struct parse *p)
{
    for (int pol = 0; pol < 2; pol++) {
        int *firm = p->c_strategy ? &p->s_strategy : &p->s_firm[pol];
        int *hedged = p->c_strategy ? &p->s_strategy : &p->s_hedged[pol];
        *firm += p->c_firm[pol];
        *hedged += p->c_hedged[pol];
        if (p->last == &p->c_firm[pol])
            p->last = firm;
        else if (p->last == &p->c_hedged[pol])
            p->last = hedged;
        p->c_firm[pol] = p->c_hedged[pol] = 0;
    }
    p->c_hedge = p->c_reason = p->c_strategy = p->c_any_prev = 0;
    p->clause++;
    p->clause_start = p->n;
}

/* The sentence ends; in a question nothing is firm. */
static void end_sentence(struct parse *p, int question)
{
    end_clause(p);
    for (int pol = 0; pol < 2; pol++) {
        if (p->s_cond && p->s_amount) {         /* "if the offer is $40 or more, I would accept" */
            p->s_strategy += p->s_hedged[pol];
            p->s_hedged[pol] = 0;
        }
        if (question) {
            p->s_hedged[pol] += p->s_firm[pol];
            p->s_firm[pol] = 0;
        }
        p->a_firm[pol] += p->s_firm[pol];
        p->a_hedged += p->s_hedged[pol];
        p->s_firm[pol] = p->s_hedged[pol] = 0;
    }
    p->a_strategy += p->s_strategy;
    p->s_strategy = p->s_cond = p->s_amount = p->s_subject = 0;
    p->last = NULL;
    p->dangle = 0;
}

/* The last mention was firm: it is hedged now ("I accept not", a decision trailing off). */
static void unfirm(struct parse *p)
{
    for (int pol = 0; pol < 2; pol++) {
        int *to = p->last == &p->c_firm[pol] ? &p->c_hedged[pol]
                  : p->last == &p->s_firm[pol] ? &p->s_hedged[pol] : NULL;
        if (to) {
            (*p->last)--;
            (*to)++;
            p->last = to;
            return;
        }
    }
}

/* The sentence's firm mentions so far are hedged: "I'd accept, provided ...", "I accept, maybe". */
static void hedge_sentence(struct parse *p)
{
    for (int pol = 0; pol < 2; pol++) {
        if (p->last == &p->s_firm[pol])
            p->last = &p->s_hedged[pol];
        p->s_hedged[pol] += p->s_firm[pol];
        p->s_firm[pol] = 0;
    }
}

/* A comma or dash ends a clause.  "I would not, under any circumstances, reject it": a clause without
 * a decision that ends in negators after "I" leaves them pending for a decision that opens a clause
 * within PAREN_WINDOW tokens, across a parenthetical ("I would never, ever reject"; paren_negation()). */
static void dangle_negation(struct parse *p)
{
    size_t i, negs = 0;
    struct tok *t;
    for (i = 0; i < NEG_WINDOW && (t = back(p, i)) && t->clause == p->clause && (t->flags & F_NEG); i++)
        negs++;
    if (!negs || p->c_firm[0] || p->c_firm[1] || p->c_hedged[0] || p->c_hedged[1])
        return;
    for (size_t j = i; j < i + 3; j++) {            /* "I would not", "I'd never", "I really do not" */
        t = back(p, j);
        if (!t || t->clause != p->clause || (t->flags & F_OTHER))
            return;
        /* "I would not, and would never, accept": "and" keeps the sentence's subject */
        int conj = (t->flags & F_CONJ) && p->n - 1 - j == p->clause_start && p->s_subject == 1;
        if ((t->flags & F_SELF) || conj) {
            p->dangle = 1;
            p->dangle_negs = (int)negs;
            p->dangle_at = p->n - 1;
            p->dangle_hedge = p->c_hedge || p->c_reason || p->s_cond;
            return;
        }
    }
}

/* Whether the pending negation of dangle_negation() reaches the phrase that began k tokens back: the
 * phrase opens its clause, after at most CLAUSE_HEAD unknown words, modals, negators or "to" (no
 * subject, conjunction, condition, object: "ever reject", "want to reject"), at most PAREN_WINDOW
 * tokens after the negator. */
static int paren_negation(struct parse *p, size_t k)
{
    size_t at = p->n - 1 - k;
    if (!p->dangle || at <= p->dangle_at || at - p->dangle_at > PAREN_WINDOW || at < p->clause_start ||
        at - p->clause_start > CLAUSE_HEAD)
        return 0;
    for (size_t i = k + 1; i <= k + (at - p->clause_start); i++)
        if (back(p, i)->flags & ~(F_MODAL | F_NEG | F_EVEN | F_HEDGE | F_TO))
            return 0;
    return 1;
}

/* "as the Responder", "as a player": a role, not a subject */
static int as_role(struct parse *p, size_t i)
{
    struct tok *det = back(p, i + 1), *as = back(p, i + 2);
    return det && as && (det->flags & F_DET) && (as->flags & F_AS);
}

/* Whether the answerer speaks of its own decision, for a phrase that began k tokens back:
 * - the nearest subject before it in its clause is "I", "my", "me" (not "the responder", "you",
 *   "people": "the responder would accept" is talk about the game);
 * - or it opens its clause after at most CLAUSE_HEAD words that bring no subject ("Accept.",
 *   "Yes, I accept", "would reject", "or maybe reject"); after "and", "but" the clause keeps the
 *   sentence's subject ("you may find it fair, and accept it" is not);
 * - an adjective or noun (acceptable, rejection) needs "I" or a copula ("the offer is unacceptable"):
 *   "the acceptable amount" is not a decision.
 * Returns 1 for a subject, 2 for a clause head, 0 for neither. */
static int own_decision(struct parse *p, size_t k, int nominal)
{
    size_t i;
    int conj = 0, copula = 0;
    for (i = k + 1; i <= k + SUBJECT_WINDOW; i++) {
        struct tok *t = back(p, i);
        if (!t || t->clause != p->clause)
            break;
        if (t->flags & F_SELF)
            return 1;
        if ((t->flags & F_OTHER) && !as_role(p, i))
            return 0;
        if ((t->flags & F_COPULA) && i <= k + 3)
            copula = 1;
    }
    if (nominal)
        return copula;
    if (p->n - 1 - k - p->clause_start > CLAUSE_HEAD)
        return 0;
    for (i = k + 1; i <= k + CLAUSE_HEAD; i++) {
        struct tok *t = back(p, i);
        if (!t || t->clause != p->clause)
            break;
        if (!(t->flags & (F_MODAL | F_OR | F_HEDGE | F_NEG | F_BREAK | F_CONJ | F_ACCEPT | F_REJECT | F_NO)))
            return 0;
        conj |= (t->flags & (F_BREAK | F_CONJ)) != 0;
    }
    return conj && p->s_subject == 2 ? 0 : 2;
}

/* A mention of polarity `pol` whose phrase began `k` tokens before the current one; `flip` when a
 * "refuse to" before it was undone ("I refuse to reject"). */
static void mention(struct parse *p, int pol, size_t k, int flip)
{
    int paren = paren_negation(p, k);
    int negs = flip + (paren ? p->dangle_negs : 0);
    int own = paren ? 1 : own_decision(p, k, k == 0 && (back(p, 0)->flags & F_NOMINAL));
    /* "I do not, however, think I would accept": the pending negation may reach it or not */
    int paren_hedge = paren ? p->dangle_hedge : p->dangle && p->n - 1 - k - p->dangle_at <= PAREN_WINDOW;
    p->dangle = 0;                                  /* a decision settles a pending negation */
    if (!own)
        return;
    for (size_t i = k + 1; i <= k + NEG_WINDOW; i++) {
        struct tok *t = back(p, i);
        if (!t || t->clause != p->clause || (t->flags & F_BARRIER))
            break;
        if (t->flags & F_NEG)
            negs++;
    }
    if (negs & 1)
        pol = !pol;
    if ((negs & 1) && p->last && p->last_is_no && p->last_clause != p->clause) {
        /* "No, I would not reject it": the "no" agrees with the negated decision that follows */
        (*p->last)--;
        p->last = NULL;
    }
    int hedged = p->c_hedge || p->c_reason || p->s_cond || paren_hedge;
    if (p->last && p->or_since && p->n - p->last_at <= 4) {
        /* "accept or reject", "accept, or maybe reject": alternatives, neither chosen */
        int *to = p->last == &p->c_firm[p->last_pol] ? &p->c_hedged[p->last_pol]
                  : p->last == &p->s_firm[p->last_pol] ? &p->s_hedged[p->last_pol] : p->last;
        (*p->last)--;
        (*to)++;
        hedged = 1;
    }
    p->last = hedged ? &p->c_hedged[pol] : &p->c_firm[pol];
    (*p->last)++;
    p->last_pol = pol;
    p->last_at = p->n;
    p->last_clause = p->clause;
    p->last_is_no = k == 0 && (back(p, 0)->flags & F_NO);
    p->last_gerund = own == 2 && k == 0 && (back(p, 0)->flags & F_GERUND);
    p->or_since = 0;
    p->last_paren = paren;
}

/* The clause has a hedge or a condition: its firm mentions so far are hedged. */
static void hedge_clause(struct parse *p)
{
    for (int pol = 0; pol < 2; pol++) {
        if (p->last == &p->c_firm[pol])
            p->last = &p->c_hedged[pol];
        p->c_hedged[pol] += p->c_firm[pol];
        p->c_firm[pol] = 0;
    }
}

/* A "no" is a decision when it stands alone ("No.", "No, thanks", "no deal"), a negator before
 * "reason", "way", "need" ... ("no reason to reject"), and nothing else ("no single amount"). */
static void settle_no(struct parse *p, uint64_t next_flags, int next_is_word)
{
    p->no_pending = 0;
    if (!next_is_word || (next_flags & F_ENDNO))
        mention(p, 0, 0, 0);
    else if (next_flags & F_NEGNOUN)
        back(p, 0)->flags |= F_NEG | F_SELF;  /* "no reason to": the answerer's own view */
}

static void word(struct parse *p, uint64_t f)
{
    struct tok *t1, *t2;
    if (p->no_pending)                              /* before this word is in the ring: "no" is token 0 */
        settle_no(p, f, 1);
    if ((f & F_BREAK) && p->n && (back(p, 0)->flags & F_EXCEPT) && back(p, 0)->clause == p->clause)
        f = F_BARRIER;                              /* "no choice but to", "can't help but": not a new clause */
    if (f & (F_BREAK | F_REASON))
        end_clause(p);
    p->ring[p->n % RING] = (struct tok){ .flags = f, .clause = p->clause };
    p->n++;
    t1 = back(p, 1);
    t2 = back(p, 2);
    if (f & F_REASON)
        p->c_reason = 1;
    int even = t1 && t1->clause == p->clause && (t1->flags & F_EVEN);  /* "even if": a concession */
    if ((f & F_HEDGE) || ((f & F_COND) && !even))
        p->c_hedge = 1;
    if ((f & F_COND) && !even)
        p->s_cond = 1;                              /* the rest of the sentence is conditional too */
    if ((f & (F_HEDGE | F_COND)) && p->dangle)
        p->dangle_hedge = 1;                        /* "I would not, perhaps, accept" */
    if ((f & F_CONJ) && p->n - 1 == p->clause_start)
        p->dangle = 0;                              /* "I would not, and I reject it": a new clause */
    if ((f & F_POSTNEG) && p->last && p->last_at == p->n - 1 && p->last_clause == p->clause)
        unfirm(p);                                  /* "I accept not": not "not only", "not because"? */
    if ((f & F_NEG) && t1 && (t1->flags & F_OR) && p->last && p->n - p->last_at <= 3) {
        /* "I would accept, or not": the alternative undoes the decision */
        int *to = p->last == &p->c_firm[p->last_pol] ? &p->c_hedged[p->last_pol]
                  : p->last == &p->s_firm[p->last_pol] ? &p->s_hedged[p->last_pol] : p->last;
        (*p->last)--;
        (*to)++;
        p->last = to;
    }
    if ((f & (F_COPULA | F_MODAL | F_HEDGE)) && p->last && p->last_gerund && p->last_clause == p->clause) {
        /* "Accepting such a split would reward unfairness": the gerund is a subject, not a decision */
        (*p->last)--;
        p->last = NULL;
    }
    if (f & F_OR)
        p->or_since = 1;
    if ((f & F_THRESH) || ((f & F_MORE) && t1 && (t1->flags & (F_OR | F_ANY))))
        p->c_strategy = 1;                          /* "at least", "minimal", "or more" */
    if (f & F_NUM)
        p->s_amount = 1;
    if (f & F_SELF)
        p->s_subject = 1;
    else if ((f & F_OTHER) && !as_role(p, 0))
        p->s_subject = 2;
    if (((f & F_COND) && !even && p->n - 1 == p->clause_start) ||
        ((f & F_TAIL) && (p->n - 1 == p->clause_start ||
                          (p->n - 2 == p->clause_start && t1 && (t1->flags & F_SELF)))))
        hedge_sentence(p);  /* "I'd accept, provided the split is fair", "I accept, maybe", ", I suppose" */
    if ((f & F_NUM) && p->last && p->last_clause == p->clause && p->n - p->last_at <= 2)
        p->c_strategy = 1;                          /* "accept $40": an amount, not this offer */
    if ((f & F_NOUN) && p->c_any_prev)
        p->c_strategy = 1;                          /* "any offer", "any amount" */
    p->c_any_prev = (f & F_ANY) != 0;
    if (f & F_SURE) {
        /* "not sure", "not certain": a hedge, not a negated decision */
        for (size_t i = 1; i <= NEG_WINDOW; i++) {
            struct tok *t = back(p, i);
            if (!t || t->clause != p->clause)
                break;
            if (t->flags & F_NEG) {
                t->flags &= ~F_NEG;
                p->c_hedge = 1;
            }
        }
    }
    if (p->c_hedge)
        hedge_clause(p);                            /* "I would accept if ...", "I accept, maybe" */
    if (f & (F_ACCEPT | F_REJECT)) {
        /* "refuse to accept", "decline to reject": one decision, the second negated by the first */
        int flip = t1 && t2 && (t1->flags & F_TO) && (t2->flags & F_REJECT) && t2->clause == p->clause &&
                   p->last && p->last_at == p->n - 2;
        if (flip) {
            (*p->last)--;
            p->last = NULL;
        }
        mention(p, (f & F_ACCEPT) != 0, 0, flip);
    }
    if (f & F_NO)
        p->no_pending = 1;
    if ((f & (F_TO | F_WITH)) && t1 && (t1->flags & F_AGREE) && t1->clause == p->clause)
        mention(p, 1, 1, 0);                           /* agree to, agree with */
    if ((f & F_IT) && t1 && (t1->flags & F_TAKE) && t1->clause == p->clause)
        mention(p, 1, 1, 0);                           /* take it */
    if ((f & F_NOUN) && t1 && t2 && (t1->flags & F_DET) && (t2->flags & F_TAKE) && t2->clause == p->clause)
        mention(p, 1, 2, 0);                           /* take the offer */
    if ((f & F_AWAY) && t1 && (t1->flags & F_WALK) && t1->clause == p->clause)
        mention(p, 0, 1, 0);                           /* walk away */
    if (f & F_DOWN)
        for (size_t i = 1; i <= 3; i++) {           /* turn down, turn it down, turn the offer down */
            struct tok *t = back(p, i);
            if (!t || t->clause != p->clause)
                break;
            if (t->flags & F_TURN) {
                mention(p, 0, i, 0);
                break;
            }
        }
}

/* c is 'e' for the first dot of an ellipsis. */
static void punct(struct parse *p, char c)
{
    if (p->no_pending)
        settle_no(p, 0, 0);
    if (c == '/') {                                 /* accept/reject */
        p->or_since = 1;
        return;
    }
    if (c == 'e') {
        /* "I would not, under any circumstances, reject...": the negation across the parenthetical
         * is read, not heard; a decision that trails off there is not a commitment */
        if (p->last && p->last_paren && p->last_clause == p->clause)
            unfirm(p);
        c = '.';
    }
    if (c == '.' || c == '!' || c == '?' || c == '\n') {
        end_sentence(p, c == '?');
    } else {
        if (c == ',')
            dangle_negation(p);                     /* a comma or dash: "I would not, ..., reject" */
        else
            p->dangle = 0;
        end_clause(p);
    }
}

enum answer_status decision_parse(const char *text, size_t len, int *accept)
{
    struct parse p;
    pcre2_match_data *md;
    size_t start = 0;
    int rc = PCRE2_ERROR_NOMATCH, bracket = 0;
    if (!text || !token_re)
        return ANSWER_UNPARSED;
    if (!(md = pcre2_match_data_create_from_pattern(token_re, NULL)))
        return answer_failed(PCRE2_ERROR_NOMEMORY, "decision token");
    memset(&p, 0, sizeof p);
    while (start < len && (rc = pcre2_match(token_re, (PCRE2_SPTR)text, len, start, 0, md, match_context)) > 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        const char *s = text + ov[0];
        size_t n = ov[1] - ov[0];
        if (rc >= 2 && ov[2] != PCRE2_UNSET) {
            bracket = 1;                            /* "[$30]": the strategy method's answer form */
            p.c_strategy = 1;
            word(&p, 0);
        } else if (rc >= 5 && ov[8] != PCRE2_UNSET) {
            int ellipsis = *s == '.' && ov[1] < len && text[ov[1]] == '.';
            punct(&p, *s == '\n' ? '\n' : (unsigned char)*s >= 0x80 ? ',' : ellipsis ? 'e' : *s);
        } else {
            word(&p, rc >= 4 && ov[6] != PCRE2_UNSET ? word_flags(s, n) : F_NUM);
        }
        start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
    }
    if (start < len && rc != PCRE2_ERROR_NOMATCH) {
        pcre2_match_data_free(md);
        return answer_failed(rc, "decision token");
    }
    pcre2_match_data_free(md);
    if (p.no_pending)
        settle_no(&p, 0, 0);
    end_sentence(&p, 0);
    if (bracket)
        return ANSWER_UNPARSED;                     /* a strategy-method answer, whatever it says */
    if (p.a_firm[0] || p.a_firm[1]) {
        if (p.a_firm[0] && p.a_firm[1])
            return ANSWER_AMBIGUOUS;
        *accept = p.a_firm[1] != 0;
        return ANSWER_OK;
    }
    if (p.a_strategy)
        return ANSWER_UNPARSED;
    enum answer_status refusal = answer_refusal(text, len);
    if (refusal != ANSWER_UNPARSED)
        return refusal;
    return p.a_hedged ? ANSWER_AMBIGUOUS : ANSWER_UNPARSED;
}
