/* tests/test_utf8.c -- utf8_valid() (util.c), whose eight-ASCII-bytes-at-a-time path (issue 16)
 * must give the same verdict and the same first bad offset as the byte-at-a-time rules: checked
 * against a plain reference on fixed cases and on random mixes of ASCII, valid and invalid
 * sequences at every alignment. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "util.h"

/* The reference: RFC 3629 byte by byte (no overlongs, no surrogates, at most U+10FFFF). */
static int ref_valid(const unsigned char *s, size_t n, size_t *bad)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
        if (!len || i + len > n)
            goto bad;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                goto bad;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            goto bad;
        i += len;
    }
    return 1;
bad:
    *bad = i;
    return 0;
}

static int same(const char *s, size_t n)
{
    size_t b1 = (size_t)-1, b2 = (size_t)-1;
    int v1 = utf8_valid(s, n, &b1), v2 = ref_valid((const unsigned char *)s, n, &b2);
    return v1 == v2 && (v1 || b1 == b2);
}

int main(void)
{
    size_t bad = 0;
    /* fixed cases: the verdict and where the first fault is */
    CHECK(utf8_valid("plain ASCII text, longer than eight bytes", 41, &bad) == 1);
    CHECK(utf8_valid("0123456789abcdef\xC3\xA9", 18, &bad) == 1);
    CHECK(utf8_valid("0123456789abcdef\xC3", 17, &bad) == 0 && bad == 16);        /* cut at the end */
    CHECK(utf8_valid("01234567\x80" "abcdefgh", 17, &bad) == 0 && bad == 8);       /* lone continuation */
    CHECK(utf8_valid("0123456789\xED\xA0\x80xyzxyzxyz", 22, &bad) == 0 && bad == 10);  /* surrogate */
    CHECK(utf8_valid("abcdefghijklmno\xC0\xAF", 17, &bad) == 0 && bad == 15);      /* overlong */
    CHECK(utf8_valid("\xF4\x90\x80\x80" "abcdefgh", 12, &bad) == 0 && bad == 0);   /* above U+10FFFF */
    CHECK(utf8_valid("abcdefg\xE2\x82\xAC" "abcdefghijk\xF0\x9F\x98\x80", 25, &bad) == 1);

    /* random mixes, each at every start offset so that the eight-byte blocks fall everywhere */
    static const char *const pieces[] = { "a", "bcdefgh", "0123456789", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
                                          "\x80", "\xC3", "\xE2\x82", "\xED\xA0\x80", "\xC0\xAF", "\xF8\x88\x80\x80\x80",
                                          "\xF4\x90\x80\x80", "\xFF", " " };
    const size_t n_pieces = sizeof pieces / sizeof *pieces;
    unsigned seed = 12345;
    int mismatches = 0, invalid = 0, valid = 0;
    char buf[256];
    for (int t = 0; t < 20000; t++) {
        size_t n = 0;
        int parts = 1 + (int)(seed % 12);
        for (int k = 0; k < parts; k++) {
            seed = seed * 1103515245u + 12345u;
            /* mostly the valid pieces, so that a fault often comes after long valid stretches */
            size_t pick = (seed >> 16) % (seed % 7 == 0 ? n_pieces : 6);
            size_t len = strlen(pieces[pick]);
            if (n + len >= sizeof buf)
                break;
            memcpy(buf + n, pieces[pick], len);
            n += len;
        }
        for (size_t off = 0; off < 9 && off <= n; off++) {
            if (!same(buf + off, n - off))
                mismatches++;
            if (utf8_valid(buf + off, n - off, &bad))
                valid++;
            else
                invalid++;
        }
    }
    CHECK(mismatches == 0);
    CHECK(valid > 1000 && invalid > 1000);     /* both verdicts were exercised */
    return CHECK_DONE();
}
