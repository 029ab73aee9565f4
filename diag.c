/* diag.c -- error and note printing, in one place so the wording stays uniform */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "progress.h"

static int quiet;
/* this thread's messages go here instead of stderr while set (diag_capture) */
static _Thread_local FILE *capture;

static FILE *out(void)
{
    return capture ? capture : stderr;
}

void diag_capture(FILE *fp)
{
    capture = fp;
}

void diag_replay(const char *text)
{
    if (!text || !*text)
        return;
    fflush(stdout);
    progress_erase();
    fputs(text, out());
}

/* Messages quote input text, and file names are input too; a control character in either (an
 * escape sequence, a carriage return) must not reach the terminal, so each is printed as \xNN. */
void diag_escaped(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            fprintf(out(), "\\x%02X", *p);
        else
            fputc(*p, out());
    }
}

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
    diag_escaped(buf);
    if (buf != small)
        free(buf);
}

void diag_set_quiet(int q)
{
    quiet = q;
}

int diag_quiet(void)
{
    return quiet;
}

int diag_error(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);                          /* keep stdout and stderr in order on a terminal */
    progress_erase();                        /* a message never lands after a progress line */
    fputs("psyfaith: error: ", out());
    va_start(ap, fmt);
    put_message(fmt, ap);
    va_end(ap);
    fputc('\n', out());
    return -1;
}

int diag_at(const struct srcpos *pos, const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    progress_erase();
    diag_escaped(pos->path);
    if (pos->is_record)
        fprintf(out(), ": record %ld: ", pos->line);
    else if (pos->line > 0 && pos->col > 0)
        fprintf(out(), ":%ld:%ld: ", pos->line, pos->col);
    else if (pos->line > 0)
        fprintf(out(), ":%ld: ", pos->line);
    else
        fputs(": ", out());
    va_start(ap, fmt);
    put_message(fmt, ap);
    va_end(ap);
    fputc('\n', out());
    return -1;
}

void diag_note(const char *fmt, ...)
{
    va_list ap;
    if (quiet)
        return;
    fflush(stdout);
    progress_erase();
    fputs("psyfaith: ", out());
    va_start(ap, fmt);
    put_message(fmt, ap);
    va_end(ap);
    fputc('\n', out());
}
