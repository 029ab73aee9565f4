/* tests/fuzz/fuzz_persona.c -- the persona parser (persona_level() in ingest/writer_rows.c over
 * persona_parse() in util.c), which turns a subject's persona such as "agreeableness=9", "N = 9"
 * or "high agreeableness" into the trait and level that the steerability metrics use.  Each line
 * of the input, then the whole input up to its first NUL, as one persona (an exact-size
 * NUL-terminated copy, so that a read past the end is caught).
 * A persona with a level names one of the five dimension codes (a static string), has a finite
 * level, and its text before the first '=' (less surrounding blanks) is a known dimension name;
 * when that name is reversed (neuroticism) the level is an integer 1..9.  A trait without a level
 * (an extreme) is one of the five codes too; a persona_parse() of PERSONA_OTHER or PERSONA_NONE
 * gives no trait; a second call says the same. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_internal.h"
#include "metrics/scores.h"
#include "tests/fuzz/fuzz.h"
#include "util.h"

static void check_persona(const char *data, size_t len)
{
    char *persona = malloc(len + 1);
    const char *trait = "unset", *trait2 = "unset";
    double level = NAN, level2 = NAN;
    int has = -1, has2 = -1;
    if (!persona)
        return;
    memcpy(persona, data, len);
    persona[len] = '\0';
    persona_level(persona, &trait, &level, &has);
    FUZZ_ASSERT(has == 0 || has == 1);
    if (has) {
        int known = 0, rev = -1;
        for (int d = 0; d < N_DIMENSIONS; d++)
            known |= trait == dimension_codes[d] || (trait && strcmp(trait, dimension_codes[d]) == 0);
        FUZZ_ASSERT(known);
        FUZZ_ASSERT(isfinite(level));
        const char *eq = strchr(persona, '=');
        FUZZ_ASSERT(eq != NULL);
        const char *b = persona;
        size_t n = (size_t)(eq - persona);
        while (n && isspace((unsigned char)*b))
            b++, n--;
        while (n && isspace((unsigned char)b[n - 1]))
            n--;
        char *name = malloc(n + 1);
        if (name) {
            memcpy(name, b, n);
            name[n] = '\0';
            const char *code = dimension_canonical(name, &rev);
            FUZZ_ASSERT(code && strcmp(code, trait) == 0);
            FUZZ_ASSERT(!rev || (level >= 1 && level <= 9 && level == floor(level)));
            free(name);
        }
    } else if (trait) {
        int known = 0;
        struct persona_setting ps;
        for (int d = 0; d < N_DIMENSIONS; d++)
            known |= trait == dimension_codes[d] || strcmp(trait, dimension_codes[d]) == 0;
        FUZZ_ASSERT(known);
        FUZZ_ASSERT(persona_parse(persona, &ps) == PERSONA_TRAIT && ps.extreme != 0);
    } else {
        struct persona_setting ps;
        FUZZ_ASSERT(persona_parse(persona, &ps) != PERSONA_TRAIT && ps.trait == NULL);
    }
    persona_level(persona, &trait2, &level2, &has2);
    FUZZ_ASSERT(has2 == has && trait2 == trait && (!has || level2 == level));
    free(persona);
}

FUZZ_TARGET(persona)
{
    const char *s = (const char *)data, *end = s + size;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
        const char *nul = memchr(s, '\0', len);
        check_persona(s, nul ? (size_t)(nul - s) : len);
        s += len + (nl != NULL);
    }
    const char *nul = memchr(data, '\0', size);
    check_persona((const char *)data, nul ? (size_t)(nul - (const char *)data) : size);
    return 0;
}
