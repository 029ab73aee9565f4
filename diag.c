/* diag.c -- error and note printing, in one place so the wording stays uniform */
#include <stdarg.h>
#include <stdio.h>

#include "diag.h"

static int quiet;

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
    vfprintf(stderr, fmt, ap);
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
    vfprintf(stderr, fmt, ap);
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
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
