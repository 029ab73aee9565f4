/* reports/report_names.c -- names that tell sources apart in the report's provenance: a long path is
 * shortened from the left to the part that distinguishes it from every other source, never cut at
 * the end (four ChatGPT-Behavioral records under one long directory printed as four identical
 * truncated paths, issue 13 part 7). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "reports/latex.h"
#include "reports/report_tables_int.h"

/* Whether q ends with the tail p[k..] of length len at one of q's component boundaries. */
static int ends_with_tail(const char *q, const char *tail, size_t len)
{
    size_t qlen = strlen(q);
    return qlen >= len && memcmp(q + qlen - len, tail, len) == 0 && (qlen == len || q[qlen - len - 1] == '/');
}

/* Start of the component before position k of p (k > 0 and p[k - 1] == '/'), or k when none. */
static size_t previous_component(const char *p, size_t k)
{
    if (k == 0)
        return 0;
    size_t j = k - 1;             /* the '/' before the component at k */
    while (j > 0 && p[j - 1] != '/')
        j--;
    return j;
}

void report_source_name(FILE *tex, const char *const *paths, size_t n, size_t i, size_t max)
{
    const char *p = paths[i];
    size_t len = strlen(p);
    if (len <= max) {
        latex_text_max(tex, p, SIZE_MAX);
        return;
    }
    /* the shortest tail of whole components that no other source ends with */
    size_t k = len;
    while (k > 0 && p[k - 1] != '/')
        k--;                      /* the last component */
    for (;;) {
        int shared = 0;
        for (size_t j = 0; j < n && !shared; j++)
            shared = j != i && ends_with_tail(paths[j], p + k, len - k);
        if (!shared || k == 0)
            break;
        k = previous_component(p, k);
    }
    /* widened leftwards while it fits, for context */
    while (k > 0 && len - previous_component(p, k) + 2 <= max)
        k = previous_component(p, k);
    if (k > 0)
        fputs("\\ldots{}/", tex);
    const char *tail = p + k, *last = strrchr(tail, '/');
    size_t first = strcspn(tail, "/");
    if (len - k + 2 > max && last && tail + first < last) {
        /* still too long: the distinguishing first component and the file name, the middle elided */
        char head[4096];
        snprintf(head, sizeof head, "%.*s", (int)(first < sizeof head - 1 ? first : sizeof head - 1), tail);
        latex_text_max(tex, head, SIZE_MAX);
        fputs("/\\ldots{}", tex);
        latex_text_max(tex, last, SIZE_MAX);
    } else
        latex_text_max(tex, tail, SIZE_MAX);
}
