/* tests/fuzz/fuzz_amount.c -- amount_parse() (ingest/amount.c) on the input as one raw strategy-method
 * or proposer answer, given as an exact-size buffer without a final NUL, in both roles.  Besides "no
 * crash, no sanitizer report":
 * - the status is a stored one (a PCRE2 failure would be a bug), and an `ok` amount is finite and
 *   lies in 0..total;
 * - the length is honoured: the same bytes followed by more text in the buffer parse the same;
 * - ASCII case does not matter;
 * - a sentence before the text ("Hello.\n") changes nothing. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/amount.h"
#include "ingest/answer.h"
#include "tests/fuzz/fuzz.h"

static int ready;

static void done(void)
{
    amount_free();
    answer_free();
}

/* the status, with the amount in *v when ok */
static int parse(const char *text, size_t len, enum amount_role role, double *v)
{
    *v = -1;
    enum answer_status st = amount_parse(text, len, 100, role, v);
    FUZZ_ASSERT(st >= ANSWER_OK && st <= ANSWER_UNPARSED);
    if (st == ANSWER_OK)
        FUZZ_ASSERT(isfinite(*v) && *v >= 0 && *v <= 100);
    return (int)st;
}

FUZZ_TARGET(amount)
{
    static const char more[] = " [$1] [$2-$3] not", hello[] = "Hello.\n";
    if (!ready) {
        if (answer_init() < 0 || amount_init() < 0)
            fuzz_fail("answer_init/amount_init", __FILE__, __LINE__);
        atexit(done);
        ready = 1;
    }
    char *text = malloc(size ? size : 1), *longer = malloc(size + sizeof more), *upper = malloc(size + 1);
    char *prefixed = malloc(sizeof hello + size);
    if (!text || !longer || !upper || !prefixed)
        goto out;
    if (size)
        memcpy(text, data, size);
    for (int role = 0; role < 2; role++) {
        double v, w;
        int r = parse(text, size, (enum amount_role)role, &v);
        memcpy(longer, data, size);
        memcpy(longer + size, more, sizeof more);
        FUZZ_ASSERT(parse(longer, size, (enum amount_role)role, &w) == r && (r != ANSWER_OK || w == v));
        for (size_t i = 0; i < size; i++)
            upper[i] = (char)(data[i] >= 'a' && data[i] <= 'z' ? data[i] - 32 : data[i]);
        FUZZ_ASSERT(parse(upper, size, (enum amount_role)role, &w) == r && (r != ANSWER_OK || w == v));
        memcpy(prefixed, hello, strlen(hello));
        memcpy(prefixed + strlen(hello), data, size);
        FUZZ_ASSERT(parse(prefixed, strlen(hello) + size, (enum amount_role)role, &w) == r && (r != ANSWER_OK || w == v));
    }
out:
    free(text);
    free(longer);
    free(upper);
    free(prefixed);
    return 0;
}
