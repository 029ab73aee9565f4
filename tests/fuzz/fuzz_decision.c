/* tests/fuzz/fuzz_decision.c -- decision_parse() (ingest/decision.c) on the input as one raw Ultimatum
 * answer, given as an exact-size buffer without a final NUL.  Besides "no crash, no sanitizer report":
 * - the status is a stored one (a PCRE2 failure of the token pattern would be a bug), and an `ok`
 *   answer says accept 1 or 0;
 * - the length is honoured: the same bytes followed by more text in the buffer parse the same;
 * - ASCII case does not matter, and neither does a final newline (the end of the text ends a sentence);
 * - sentences are independent: "Accept.\n" before the text gives `accept` when the text alone is
 *   `accept`, `ambiguous` when it is `reject` (unless the text gives an amount in brackets: `unparsed`),
 *   and never `reject` or `refusal`; "Reject.\n" likewise. */
#include <stdlib.h>
#include <string.h>

#include "ingest/answer.h"
#include "ingest/decision.h"
#include "tests/fuzz/fuzz.h"

static int ready;

static void done(void)
{
    decision_free();
    answer_free();
}

/* -1 reject, 1 accept, or 2 + the status for the others */
static int parse(const char *text, size_t len)
{
    int accept = -1;
    enum answer_status st = decision_parse(text, len, &accept);
    FUZZ_ASSERT(st >= ANSWER_OK && st <= ANSWER_UNPARSED);
    if (st == ANSWER_OK) {
        FUZZ_ASSERT(accept == 0 || accept == 1);
        return accept ? 1 : -1;
    }
    return 2 + (int)st;
}

FUZZ_TARGET(decision)
{
    enum { ACCEPT = 1, REJECT = -1, AMBIGUOUS = 2 + ANSWER_AMBIGUOUS, REFUSAL = 2 + ANSWER_REFUSAL,
           UNPARSED = 2 + ANSWER_UNPARSED };
    static const char accept_first[] = "Accept.\n", reject_first[] = "Reject.\n", more[] = " I accept. no";
    if (!ready) {
        if (answer_init() < 0 || decision_init() < 0)
            fuzz_fail("answer_init/decision_init", __FILE__, __LINE__);
        atexit(done);
        ready = 1;
    }
    char *text = malloc(size ? size : 1);
    char *longer = malloc(size + sizeof more);
    char *upper = malloc(size + 1);
    char *prefixed = malloc(sizeof accept_first + size);
    if (!text || !longer || !upper || !prefixed)
        goto out;
    if (size)
        memcpy(text, data, size);
    int r = parse(text, size);

    memcpy(longer, data, size);
    memcpy(longer + size, more, sizeof more);
    FUZZ_ASSERT(parse(longer, size) == r);

    for (size_t i = 0; i < size; i++)
        upper[i] = (char)(data[i] >= 'a' && data[i] <= 'z' ? data[i] - 32 : data[i]);
    FUZZ_ASSERT(parse(upper, size) == r);
    memcpy(upper, data, size);
    upper[size] = '\n';
    FUZZ_ASSERT(parse(upper, size + 1) == r);

    for (int pol = 0; pol < 2; pol++) {
        const char *first = pol ? accept_first : reject_first;
        int same = pol ? ACCEPT : REJECT;
        size_t n = strlen(first);
        memcpy(prefixed, first, n);
        memcpy(prefixed + n, data, size);
        int p = parse(prefixed, n + size);
        FUZZ_ASSERT(p == same || p == AMBIGUOUS || p == UNPARSED);
        if (r == same)
            FUZZ_ASSERT(p == same);
        if (r == -same)
            FUZZ_ASSERT(p == AMBIGUOUS);
        if (r == AMBIGUOUS || r == REFUSAL)
            FUZZ_ASSERT(p == same || p == AMBIGUOUS);
    }
out:
    free(text);
    free(longer);
    free(upper);
    free(prefixed);
    return 0;
}
