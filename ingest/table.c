/* ingest/table.c -- header-addressed CSV tables for banks and norms (small: read whole) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "diag.h"
#include "ingest/table.h"
#include "util.h"

struct table_state {
    const char *name;
    const char *const *columns;
    size_t ncols;
    int *index;             /* column position of each wanted column */
    char **row;
    size_t n, cap;
    long line, newlines;
    int last_term, have_header, failed;
    table_row_fn fn;
    void *ctx;
};

static void t_field(void *data, size_t len, void *p)
{
    struct table_state *t = p;
    if (t->failed)
        return;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char **r = realloc(t->row, cap * sizeof *r);
        if (!r) {
            t->failed = diag_error("out of memory");
            return;
        }
        t->row = r;
        t->cap = cap;
    }
    char *s = malloc(len + 1);
    if (!s) {
        t->failed = diag_error("out of memory");
        return;
    }
    memcpy(s, data, len);
    s[len] = '\0';
    for (size_t i = 0; i < len; i++)
        t->newlines += s[i] == '\n';
    t->row[t->n++] = s;
}

static void t_clear(struct table_state *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->row[i]);
    t->n = 0;
}

static void t_row(int term, void *p)
{
    struct table_state *t = p;
    struct srcpos pos = { t->name, t->line, 0, 0 };
    if (t->n == 0) {
        if (!(term == '\n' && t->last_term == '\r'))
            t->line++;
        t->last_term = term;
        return;
    }
    if (t->failed)
        goto next;
    for (size_t i = 0; i < t->n; i++) {
        size_t bad;
        if (!utf8_valid(t->row[i], strlen(t->row[i]), &bad)) {
            t->failed = diag_at(&pos, "invalid UTF-8 in field %zu", i + 1);
            goto next;
        }
    }
    if (!t->have_header) {
        t->have_header = 1;
        for (size_t c = 0; c < t->ncols; c++) {
            t->index[c] = -1;
            for (size_t i = 0; i < t->n; i++) {
                if (strcmp(t->row[i], t->columns[c]) != 0)
                    continue;
                if (t->index[c] >= 0) {     /* which one to read would be a guess */
                    t->failed = diag_at(&pos, "duplicate column '%s' (columns %d and %zu)", t->columns[c],
                                        t->index[c] + 1, i + 1);
                    goto next;
                }
                t->index[c] = (int)i;
            }
            if (t->index[c] < 0) {
                t->failed = diag_at(&pos, "missing column '%s' in the header", t->columns[c]);
                goto next;
            }
        }
    } else {
        const char *fields[32];
        for (size_t c = 0; c < t->ncols && c < 32; c++) {
            if ((size_t)t->index[c] >= t->n) {
                t->failed = diag_at(&pos, "expected at least %d fields, found %zu", t->index[c] + 1, t->n);
                goto next;
            }
            fields[c] = t->row[t->index[c]];
        }
        if (t->fn(t->ctx, fields, t->line) < 0)
            t->failed = -1;
    }
next:
    t->line += 1 + t->newlines;
    t->newlines = 0;
    t->last_term = term;
    t_clear(t);
}

int table_parse(const char *name, const char *data, size_t len, const char *const *columns, size_t ncols,
                table_row_fn fn, void *ctx)
{
    struct csv_parser p;
    int index[32];
    struct table_state t = { .name = name, .columns = columns, .ncols = ncols, .index = index, .line = 1,
                             .fn = fn, .ctx = ctx };
    if (ncols > 32)
        return diag_error("internal: too many table columns");
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF) {
        data += 3;
        len -= 3;
    }
    if (memchr(data, '\0', len))
        return diag_error("'%s': NUL byte in the file", name);
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0)
        return diag_error("out of memory");
    if (csv_parse(&p, data, len, t_field, t_row, &t) != len || csv_fini(&p, t_field, t_row, &t) != 0) {
        struct srcpos pos = { name, t.line, 0, 0 };
        if (!t.failed)
            t.failed = diag_at(&pos, "malformed CSV: %s", csv_strerror(csv_error(&p)));
    }
    t_clear(&t);
    free(t.row);
    csv_free(&p);
    if (!t.failed && !t.have_header)
        return diag_error("'%s' is empty: expected a header line", name);
    return t.failed ? -1 : 0;
}

int table_parse_file(const char *path, const char *const *columns, size_t ncols, table_row_fn fn, void *ctx)
{
    FILE *fp = fopen(path, "rb");
    struct strbuf sb = { 0 };
    char buf[65536];
    size_t n;
    if (!fp)
        return diag_error("cannot open '%s': %s", path, strerror(errno));
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        if (strbuf_add(&sb, buf, n) < 0) {
            fclose(fp);
            strbuf_free(&sb);
            return diag_error("out of memory");
        }
    int err = ferror(fp);
    fclose(fp);
    if (err) {
        strbuf_free(&sb);
        return diag_error("cannot read '%s' (is it a directory?)", path);
    }
    int ret = table_parse(path, sb.buf ? sb.buf : "", sb.len, columns, ncols, fn, ctx);
    strbuf_free(&sb);
    return ret;
}
