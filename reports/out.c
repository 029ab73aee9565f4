/* reports/out.c -- CSV or aligned-table output of tidy rows */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "reports/out.h"
#include "reports/reports.h"
#include "util.h"

int out_format_parse(const char *name, enum out_format *fmt)
{
    if (!name)
        *fmt = isatty(1) ? OUT_TABLE : OUT_CSV;
    else if (strcmp(name, "csv") == 0)
        *fmt = OUT_CSV;
    else if (strcmp(name, "table") == 0)
        *fmt = OUT_TABLE;
    else
        return diag_error("--format must be csv or table, got '%s'", name);
    return 0;
}

const char *out_num(char *buf, size_t size, double v)
{
    if (isnan(v) || isinf(v)) {
        buf[0] = '\0';
        return buf;
    }
    format_double(buf, size, v);
    return buf;
}

static int add_row(struct out *o, const char *const *cells)
{
    if (o->nrows == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 64;
        char **p = realloc(o->cells, cap * o->ncol * sizeof *p);
        if (!p)
            return diag_error("out of memory");
        o->cells = p;
        o->cap = cap;
    }
    for (size_t i = 0; i < o->ncol; i++)
        if (!(o->cells[o->nrows * o->ncol + i] = strdup(cells[i] ? cells[i] : "")))
            return diag_error("out of memory");
    o->nrows++;
    return 0;
}

int out_begin(struct out *o, enum out_format fmt, const char *const *header, size_t ncol)
{
    memset(o, 0, sizeof *o);
    o->fmt = fmt;
    o->ncol = ncol;
    return out_row(o, header);
}

int out_row(struct out *o, const char *const *cells)
{
    if (o->fmt == OUT_TABLE)
        return add_row(o, cells);
    for (size_t i = 0; i < o->ncol; i++)
        csv_cell(stdout, cells[i] ? cells[i] : "", i == 0);
    putchar('\n');
    return 0;
}

/* Display width: UTF-8 continuation bytes take no column. */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

/* On a terminal a number shows 4 decimals at most; CSV keeps every digit. */
static void shorten_number(char **cell)
{
    char *dot = strchr(*cell, '.'), *end;
    if (!dot || strlen(dot) <= 5)
        return;
    double v = strtod(*cell, &end);
    if (*end)
        return;
    char buf[64];
    snprintf(buf, sizeof buf, "%.4f", v);
    char *copy = strdup(buf);
    if (copy) {
        free(*cell);
        *cell = copy;
    }
}

int out_end(struct out *o)
{
    if (o->fmt == OUT_TABLE && o->nrows) {
        for (size_t i = o->ncol; i < o->nrows * o->ncol; i++)
            shorten_number(&o->cells[i]);
        size_t *w = calloc(o->ncol, sizeof *w);
        if (!w)
            return diag_error("out of memory");
        for (size_t r = 0; r < o->nrows; r++)
            for (size_t c = 0; c < o->ncol; c++) {
                size_t cw = width(o->cells[r * o->ncol + c]);
                if (cw > w[c])
                    w[c] = cw > 60 ? 60 : cw;
            }
        for (size_t r = 0; r < o->nrows; r++) {
            for (size_t c = 0; c < o->ncol; c++) {
                const char *s = o->cells[r * o->ncol + c];
                size_t cw = width(s);
                fputs(s, stdout);
                if (c + 1 < o->ncol)
                    for (size_t k = cw; k < w[c] + 2; k++)
                        putchar(' ');
            }
            putchar('\n');
        }
        free(w);
    }
    for (size_t i = 0; i < o->nrows * o->ncol; i++)
        free(o->cells[i]);
    free(o->cells);
    o->cells = NULL;
    if (fflush(stdout) != 0 || ferror(stdout))
        return diag_error("cannot write the output (disk full or closed pipe?)");
    return 0;
}
