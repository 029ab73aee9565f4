/* tests/fuzz/fuzz_answer.c -- answer_parse() on every scale psyfaith accepts (2..11 options) in
 * both presentation orders, and decision_parse(), on the input as one raw model answer (not
 * NUL-terminated: the parsers take a length).  An `ok` answer names an option on the scale, and
 * answer_parse() equals answer_parse_full() (every pattern, no table of recent results). */
#include <stdlib.h>
#include <string.h>

#include "ingest/answer.h"
#include "ingest/decision.h"
#include "tests/fuzz/fuzz.h"

static int ready;

static void done(void)
{
    answer_free();
    decision_free();
}

FUZZ_TARGET(answer)
{
    if (!ready) {
        if (answer_init() < 0 || decision_init() < 0)
            fuzz_fail("answer_init", __FILE__, __LINE__);
        atexit(done);
        ready = 1;
    }
    /* an exact-size copy, so that a read past the end is caught */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    if (size)
        memcpy(text, data, size);
    for (int k = 2; k <= 11; k++) {
        enum answer_status st[2];
        for (int desc = 0; desc <= 1; desc++) {
            int option = -1;
            st[desc] = answer_parse(text, size, k, desc, &option);
            FUZZ_ASSERT(st[desc] >= ANSWER_OK && st[desc] <= ANSWER_UNPARSED);
            if (st[desc] == ANSWER_OK)
                FUZZ_ASSERT(option >= 1 && option <= k);
            FUZZ_ASSERT(answer_status_name(st[desc]) != NULL);
            /* the table of recent results (answer.c) never changes a result: the full parse agrees */
            int full_option = -1;
            FUZZ_ASSERT(answer_parse_full(text, size, k, desc, &full_option) == st[desc] && full_option == option);
        }
        /* A refusal or unparsed text has no option in either order: the order only maps them. */
        FUZZ_ASSERT((st[0] == ANSWER_REFUSAL || st[0] == ANSWER_UNPARSED) ==
                    (st[1] == ANSWER_REFUSAL || st[1] == ANSWER_UNPARSED));
    }
    int accept = -1;
    enum answer_status ds = decision_parse(text, size, &accept);
    FUZZ_ASSERT(ds >= ANSWER_OK && ds <= ANSWER_UNPARSED);
    if (ds == ANSWER_OK)
        FUZZ_ASSERT(accept == 0 || accept == 1);
    free(text);
    return 0;
}
