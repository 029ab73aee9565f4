/* ingest/csv.c -- CSV and other delimited text through libcsv, streamed.  Physical line numbers
 * are kept for error messages: libcsv reports every unquoted newline (CSV_REPALL_NL), and the
 * newlines inside quoted fields are counted as the fields arrive. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "diag.h"
#include "ingest/ingest_internal.h"


struct csv_state {
    struct ingest *ig;
    const char *path;
    char **fields;
    size_t *lens;
    size_t n, cap;
    long line;              /* physical line where the current row starts */
    long row_newlines;      /* newlines inside the current row's quoted fields */
    int last_term;          /* the character that ended the previous row */
    int have_header;
    int bad;                /* the current row already has an error */
    int header_bad;         /* no usable header: the file fails even under --skip-bad */
    int stop;
};

static void on_field(void *data, size_t len, void *st_)
{
    struct csv_state *st = st_;
    if (st->stop)
        return;
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 32;
        char **f = realloc(st->fields, cap * sizeof *f);
        size_t *l = f ? realloc(st->lens, cap * sizeof *l) : NULL;
        if (f)
            st->fields = f;
        if (!f || !l) {
            diag_error("out of memory");
            st->stop = 1;
            return;
        }
        st->lens = l;
        st->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (!copy) {
        diag_error("out of memory");
        st->stop = 1;
        return;
    }
    if (len)
        memcpy(copy, data, len);
    copy[len] = '\0';
    for (size_t i = 0; i < len; i++)
        st->row_newlines += copy[i] == '\n';
    if (!st->bad) {
        struct srcpos pos = { st->path, st->line, 0, 0 };
        size_t at;
        const char *col = st->have_header && st->n < st->ig->n_header ? st->ig->header[st->n] : NULL;
        if (memchr(copy, '\0', len)) {
            ingest_bad(st->ig, &pos, col, "NUL byte in field %zu", st->n + 1);
            st->bad = 1;
        } else if (!utf8_valid(copy, len, &at)) {
            ingest_bad(st->ig, &pos, col, "invalid UTF-8 in field %zu", st->n + 1);
            st->bad = 1;
        }
    }
    st->fields[st->n] = copy;
    st->lens[st->n] = len;
    st->n++;
}

static void clear_row(struct csv_state *st)
{
    for (size_t i = 0; i < st->n; i++)
        free(st->fields[i]);
    st->n = 0;
    st->bad = 0;
}

static void on_row(int term, void *st_)
{
    struct csv_state *st = st_;
    if (st->stop) {
        clear_row(st);
        return;
    }
    if (st->n == 0) {
        /* a bare newline: a blank line, or the LF of a CRLF that ended the previous row */
        if (!(term == '\n' && st->last_term == '\r'))
            st->line++;
        st->last_term = term;
        return;
    }
    struct srcpos pos = { st->path, st->line, 0, 0 };
    if (!st->bad) {
        if (!st->have_header) {
            if (ingest_csv_header(st->ig, st->fields, st->n, &pos) < 0)
                st->stop = st->header_bad = 1;
            st->have_header = 1;
        } else {
            st->ig->file_lines = st->line;
            ingest_csv_row(st->ig, st->fields, st->lens, st->n, &pos);
        }
    } else if (!st->have_header) {
        st->stop = st->header_bad = 1;
    }
    if (ingest_should_stop(st->ig))
        st->stop = 1;
    st->line += 1 + st->row_newlines;
    st->row_newlines = 0;
    st->last_term = term;
    clear_row(st);
}

/* Spaces only: a tab may be the delimiter, and values are otherwise kept as written. */
static int is_space(unsigned char c)
{
    return c == ' ';
}

/* The delimiter of the first line: the most frequent of , TAB ; | outside quotes. */
static char sniff_delimiter(const char *s, size_t n, const char *path)
{
    static const char cand[] = { ',', '\t', ';', '|' };
    size_t count[4] = { 0 };
    int quoted = 0;
    const char *dot = strrchr(path, '.');
    if (dot && strcmp(dot, ".tsv") == 0)
        return '\t';
    for (size_t i = 0; i < n && s[i] != '\n'; i++) {
        if (s[i] == '"')
            quoted = !quoted;
        for (int k = 0; k < 4 && !quoted; k++)
            count[k] += s[i] == cand[k];
    }
    int best = 0;
    for (int k = 1; k < 4; k++)
        if (count[k] > count[best])
            best = k;
    return cand[best];
}

int read_csv(struct ingest *ig, int fd, const char *path, char delimiter)
{
    struct csv_parser p;
    struct csv_state st = { .ig = ig, .path = path, .line = 1 };
    char *buf = ingest_chunk(ig);
    size_t total = 0;
    int ret = -1, first = 1;
    if (!buf)
        return -1;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0)
        return diag_error("out of memory");
    csv_set_space_func(&p, is_space);
    for (;;) {
        ssize_t n;
        do
            n = read(fd, buf, INGEST_CHUNK);
        while (n < 0 && errno == EINTR);
        if (n < 0) {
            diag_error("cannot read '%s': %s", path, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        ingest_hash(ig, buf, (size_t)n);
        total += (size_t)n;
        ingest_progress(ig, total);
        char *s = buf;
        size_t len = (size_t)n;
        if (first) {
            if (ingest_not_utf16(ig, path, s, len) < 0)
                goto out;           /* every field would hold NUL bytes */
            if (len >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
                (unsigned char)s[2] == 0xBF) {
                s += 3;
                len -= 3;
            }
            csv_set_delim(&p, (unsigned char)(delimiter ? delimiter : sniff_delimiter(s, len, path)));
            first = 0;
        }
        if (csv_parse(&p, s, len, on_field, on_row, &st) != len) {
            struct srcpos pos = { path, st.line, 0, 0 };
            ingest_bad(ig, &pos, NULL, "malformed CSV: %s (a stray quote?)", csv_strerror(csv_error(&p)));
            goto out;
        }
        if (st.stop)
            break;
    }
    if (!st.stop && csv_fini(&p, on_field, on_row, &st) != 0) {
        struct srcpos pos = { path, st.line, 0, 0 };
        ingest_bad(ig, &pos, NULL, "malformed CSV: %s (an unterminated quote?)", csv_strerror(csv_error(&p)));
        goto out;
    }
    if (st.header_bad)
        goto out;           /* reported; a file without its header has no good lines to keep */
    if (!st.have_header && !st.stop) {
        struct srcpos pos = { path, 0, 0, 0 };
        ingest_bad(ig, &pos, NULL, "empty file: no header line");
        goto out;
    }
    ret = 0;
out:
    clear_row(&st);
    free(st.fields);
    free(st.lens);
    csv_free(&p);
    return ret;
}
