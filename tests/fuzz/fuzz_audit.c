/* tests/fuzz/fuzz_audit.c -- the claim parser of `psyfaith audit` (metrics/audit_claims.c), which is
 * pure by design so that it can be fuzzed: each line of the input through audit_parse_claim_n()
 * (not NUL-terminated: an exact-size copy, so that a read past the end is caught), then the whole
 * input as one line.  A claim that parses has NUL-terminated strings within their arrays, a known
 * dimension, between-bounds in order and columns inside the line; an error has a message and a
 * column inside the line (or just past it); the NUL-terminated entry point agrees. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/audit.h"
#include "tests/fuzz/fuzz.h"

static int terminated(const char *s, size_t size)
{
    return memchr(s, '\0', size) != NULL;
}

static void check_line(const char *data, size_t len)
{
    char *line = malloc(len ? len : 1);
    struct audit_claim c, c2;
    struct audit_error e, e2;
    if (!line)
        return;
    if (len)
        memcpy(line, data, len);
    int rc = audit_parse_claim_n(line, len, &c, &e);
    FUZZ_ASSERT(rc == -1 || rc == 0 || rc == 1);
    if (rc < 0) {
        FUZZ_ASSERT(terminated(e.msg, sizeof e.msg) && e.msg[0]);
        FUZZ_ASSERT(e.col >= 1 && (size_t)e.col <= len + 1);
    } else if (rc == 1) {
        FUZZ_ASSERT(terminated(c.text, sizeof c.text) && terminated(c.instrument, sizeof c.instrument) &&
                    terminated(c.population, sizeof c.population) && terminated(c.value, sizeof c.value));
        FUZZ_ASSERT(strlen(c.text) <= len);
        if (c.kind != AUDIT_SCOPE) {
            FUZZ_ASSERT(c.dimension >= 0 && c.dimension < 5);
            FUZZ_ASSERT(c.col_dim >= 1 && (size_t)c.col_dim <= len);
            if (c.kind == AUDIT_LEVEL || c.kind == AUDIT_PERCENTILE) {
                FUZZ_ASSERT(isfinite(c.a));
                if (c.op == AUDIT_BETWEEN)
                    FUZZ_ASSERT(isfinite(c.b) && c.a <= c.b);
            }
        }
        if (c.kind == AUDIT_SCOPE && c.field == AUDIT_F_TEMPERATURE && c.has_temperature)
            FUZZ_ASSERT(isfinite(c.temperature));
    }
    /* the NUL-terminated form of the same bytes (when they hold no NUL) says the same */
    if (!memchr(line, '\0', len)) {
        char *z = malloc(len + 1);
        if (z) {
            memcpy(z, line, len);
            z[len] = '\0';
            FUZZ_ASSERT(audit_parse_claim(z, &c2, &e2) == rc);
            FUZZ_ASSERT(rc != 1 || memcmp(&c, &c2, sizeof c) == 0);
            FUZZ_ASSERT(rc != -1 || (e.col == e2.col && strcmp(e.msg, e2.msg) == 0));
            free(z);
        }
    }
    free(line);
}

FUZZ_TARGET(audit)
{
    const char *s = (const char *)data, *end = s + size;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
        check_line(s, len);
        s += len + (nl != NULL);
    }
    check_line((const char *)data, size);
    return 0;
}
