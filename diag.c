/* diag.c -- error and note printing, in one place so the wording stays uniform */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"

static int quiet;

/* Messages quote input text; a control character in it (an escape sequence, a carriage return)
 * must not reach the terminal, so each is printed as \xNN. */
static void put_message(const char *fmt, va_list ap)
{
    char small[1024], *buf = small;
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(small, sizeof small, fmt, copy);
    va_end(copy);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof small && (buf = malloc((size_t)n + 1)))
        vsnprintf(buf, (size_t)n + 1, fmt, ap);
    if (!buf)
        buf = small;
    for (const unsigned char *p = (const unsigned char *)buf; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            fprintf(stderr, "\\x%02X", *p);
        else
            fputc(*p, stderr);
    }
    if (buf != small)
        free(buf);
}

void diag_set_quiet(int q)
{
    quiet = q;
}

int diag_error(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);                          /* keep stdout and stderr in order on a terminal */
    fputs("psyfaith: error: ", stderr);
    va_start(ap, fmt);
    put_message(fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -1;
}

int diag_at(const struct srcpos *pos, const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    if (pos->is_record)
        fprintf(stderr, "%s: record %ld: ", pos->path, pos->line);
    else if (pos->line > 0 && pos->col > 0)
        fprintf(stderr, "%s:%ld:%ld: ", pos->path, pos->line, pos->col);
    else if (pos->line > 0)
        fprintf(stderr, "%s:%ld: ", pos->path, pos->line);
    else
        fprintf(stderr, "%s: ", pos->path);
    va_start(ap, fmt);
    put_message(fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -1;
}

void diag_note(const char *fmt, ...)
{
    va_list ap;
    if (quiet)
        return;
    fflush(stdout);
    fputs("psyfaith: ", stderr);
    va_start(ap, fmt);
    put_message(fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
