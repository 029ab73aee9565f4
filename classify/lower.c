/* classify/lower.c -- lower-casing exactly as Python's str.lower(), which sklearn applies first.
 *
 * Covered: every simple (one code point to one code point) lower-case mapping of Python's Unicode
 * database, U+0130 -> "i" U+0307 (the one longer mapping), and the Final_Sigma rule (capital sigma
 * becomes U+03C2 after a cased letter and not before one, skipping case-ignorable code points),
 * with tables generated from the running Python by tests/oracle/classify/gen_unicase.py
 * (Python 3.11, Unicode 14.0).  Not covered: code points that a newer Unicode version
 * assigns (they pass through unchanged until the table is regenerated). */
#include <stdlib.h>
#include <string.h>

#include "classify/classify.h"
#include "classify/classify_int.h"

/* One code point of valid UTF-8 at s[*i]; advances *i. */
static uint32_t utf8_next(const unsigned char *s, size_t *i)
{
    uint32_t c = s[(*i)++];
    if (c < 0x80)
        return c;
    if (c < 0xE0)
        return (c & 0x1F) << 6 | (s[(*i)++] & 0x3F);
    if (c < 0xF0) {
        c = (c & 0x0F) << 12 | (uint32_t)(s[*i] & 0x3F) << 6 | (s[*i + 1] & 0x3F);
        *i += 2;
        return c;
    }
    c = (c & 0x07) << 18 | (uint32_t)(s[*i] & 0x3F) << 12 | (uint32_t)(s[*i + 1] & 0x3F) << 6 |
        (s[*i + 2] & 0x3F);
    *i += 3;
    return c;
}

/* The code point that ends just before s[*i] (*i > 0); moves *i back to its first byte. */
static uint32_t utf8_prev(const unsigned char *s, size_t *i)
{
    size_t j = *i - 1;
    while (j > 0 && (s[j] & 0xC0) == 0x80)
        j--;
    *i = j;
    return utf8_next(s, &j);
}

static size_t utf8_put(uint32_t c, char *o)
{
    if (c < 0x80) {
        o[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (char)(0xC0 | c >> 6);
        o[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (char)(0xE0 | c >> 12);
        o[1] = (char)(0x80 | (c >> 6 & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | c >> 18);
    o[1] = (char)(0x80 | (c >> 12 & 0x3F));
    o[2] = (char)(0x80 | (c >> 6 & 0x3F));
    o[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* Python's handle_capital_sigma(): is the sigma at s[at..after) in the Final_Sigma context? */
static int final_sigma(const unsigned char *s, size_t n, size_t at, size_t after)
{
    size_t i = at;
    int cls = UNICASE_IGNORABLE;
    while (i > 0 && (cls = classify_unicase_sigma_class(utf8_prev(s, &i))) == UNICASE_IGNORABLE)
        ;
    if (cls != UNICASE_CASED)
        return 0;
    i = after;
    cls = UNICASE_IGNORABLE;
    while (i < n && (cls = classify_unicase_sigma_class(utf8_next(s, &i))) == UNICASE_IGNORABLE)
        ;
    return cls != UNICASE_CASED;
}

int classify_lower_utf8(const char *str, size_t n, char **buf, size_t *len, size_t *cap)
{
    const unsigned char *s = (const unsigned char *)str;
    /* The longest growth is 2 bytes -> 3 (e.g. U+023A -> U+2C65, U+0130 -> i U+0307). */
    size_t need = n + n / 2 + 4;
    if (need > *cap) {
        char *p = realloc(*buf, need);
        if (!p)
            return -1;
        *buf = p;
        *cap = need;
    }
    char *o = *buf;
    size_t k = 0, i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {   /* ASCII fast path */
            o[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            i++;
            continue;
        }
        size_t at = i;
        uint32_t cp = utf8_next(s, &i);
        if (cp == 0x3A3)
            cp = final_sigma(s, n, at, i) ? 0x3C2 : 0x3C3;
        else if (cp == 0x130) {
            o[k++] = 'i';
            cp = 0x307;
        } else
            cp = classify_unicase_lower(cp);
        k += utf8_put(cp, o + k);
    }
    *len = k;
    return 0;
}

int classify_lower(const char *s, size_t n, struct strbuf *out)
{
    char *buf = NULL;
    size_t len = 0, cap = 0, bad;
    int ret = -1;
    if (!utf8_valid(s, n, &bad))
        return -1;
    if (classify_lower_utf8(s, n, &buf, &len, &cap) == 0)
        ret = strbuf_add(out, buf, len);
    free(buf);
    return ret;
}
