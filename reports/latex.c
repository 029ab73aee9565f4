/* reports/latex.c -- LaTeX escaping and numbers (see latex.h for the rules) */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/latex.h"
#include "util.h"

/* Decodes one UTF-8 character; returns its length, or 0 for an invalid byte. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
    size_t len;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0)
        len = 2, *cp = s[0] & 0x1F;
    else if ((s[0] & 0xF0) == 0xE0)
        len = 3, *cp = s[0] & 0x0F;
    else if ((s[0] & 0xF8) == 0xF0)
        len = 4, *cp = s[0] & 0x07;
    else
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (s[i] & 0x3F);
    }
    return utf8_valid((const char *)s, len, NULL) ? len : 0;
}

void latex_text(FILE *fp, const char *str)
{
    latex_text_max(fp, str, LATEX_MAX_TEXT);
}

/* Where text longer than max_chars characters is cut: after the last space among the first
 * max_chars characters when there is one in their second half (a word is never cut in two),
 * else at max_chars characters (a name without spaces).  NULL when the text fits. */
static const unsigned char *cut_point(const unsigned char *s, size_t max_chars)
{
    const unsigned char *space = NULL, *start = s;
    size_t chars = 0;
    while (*s) {
        uint32_t cp;
        size_t len = utf8_next(s, &cp);
        if (chars++ == max_chars)
            return space && (size_t)(space - start) >= max_chars / 2 ? space : s;
        if (cp == ' ')
            space = s;
        s += len ? len : 1;
    }
    return NULL;
}

void latex_text_max(FILE *fp, const char *str, size_t max_chars)
{
    const unsigned char *s = (const unsigned char *)str;
    if (!s)
        return;
    const unsigned char *cut = max_chars == SIZE_MAX ? NULL : cut_point(s, max_chars);
    while (*s) {
        uint32_t cp;
        size_t len = utf8_next(s, &cp);
        if (s == cut) {
            fputs("\\ldots{}", fp);
            return;
        }
        if (!len) {
            fprintf(fp, "\\texttt{[0x%02X]}", *s);
            s++;
            continue;
        }
        switch (cp) {
        case '\\': fputs("\\textbackslash{}", fp); break;
        case '{': fputs("\\{", fp); break;
        case '}': fputs("\\}", fp); break;
        case '$': fputs("\\$", fp); break;
        case '&': fputs("\\&", fp); break;
        case '#': fputs("\\#", fp); break;
        case '%': fputs("\\%", fp); break;
        case '_': fputs("\\_", fp); break;
        case '^': fputs("\\textasciicircum{}", fp); break;
        case '~': fputs("\\textasciitilde{}", fp); break;
        case '<': fputs("\\textless{}", fp); break;
        case '>': fputs("\\textgreater{}", fp); break;
        case '|': fputs("\\textbar{}", fp); break;
        case '"': fputs("\\textquotedbl{}", fp); break;
        case '-': fputs("-{}", fp); break;          /* no -- or --- ligatures */
        case '`': fputs("\\textasciigrave{}", fp); break;
        case '\'': fputs("\\textquotesingle{}", fp); break;
        default:
            if (cp < 0x20 || cp == 0x7F)
                fputs(" ", fp);                    /* newlines, tabs and controls: a space */
            else if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF && cp != 0xAD))
                fwrite(s, 1, len, fp);             /* ASCII and Latin-1: T1 has the glyphs */
            else
                fprintf(fp, "\\texttt{[U+%04X]}", (unsigned)cp);
        }
        s += len;
    }
}

void latex_num(FILE *fp, double v, int digits, int bold, const char *mark)
{
    if (isnan(v) || isinf(v)) {
        fputs("--", fp);                           /* an en dash: missing */
    } else {
        char buf[64];
        snprintf(buf, sizeof buf, "%.*f", digits, fabs(v));
        /* -0.00 is printed as 0.00: a sign that the shown digits do not carry is noise */
        int negative = v < 0 && strspn(buf, "0.") != strlen(buf);
        if (bold)
            fputs("\\textbf{", fp);
        fprintf(fp, "%s%s", negative ? "$-$" : "", buf);
        if (bold)
            fputs("}", fp);
    }
    if (mark)
        fprintf(fp, "\\textsuperscript{%s}", mark);
}

static int is_number(const char *s)
{
    double d;
    return parse_double(s, &d) == 0;
}

const char *csv_defuse(const char *s, char **owned)
{
    *owned = NULL;
    if (!s || !strchr("=+-@\t\r", s[0]) || !s[0] || is_number(s))
        return s;
    size_t n = strlen(s);
    char *p = malloc(n + 2);
    if (!p)
        return s;
    p[0] = '\'';
    memcpy(p + 1, s, n + 1);
    *owned = p;
    return p;
}
