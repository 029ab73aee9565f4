/* ingest/jsonl.c -- JSON Lines and whole JSON documents (--records POINTER); jq prefilters are in jq.c.
 * JSONL is streamed in 1 MiB chunks, so memory stays flat whatever the file size. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include "ingest/pointer.h"

#include "diag.h"
#include "ingest/ingest_internal.h"
#include "ingest/json_arena.h"

#define MAX_LINE ((size_t)256 << 20)
#define MAX_DOCUMENT ((size_t)2 << 30)
#define STR_(x) #x
#define STR(x) STR_(x)
#define NESTING_LIMIT_TEXT STR(CJSON_NESTING_LIMIT)

static ssize_t read_some(int fd, char *buf, size_t n)
{
    ssize_t got;
    do
        got = read(fd, buf, n);
    while (got < 0 && errno == EINTR);
    return got;
}

static int has_bom(const char *s, size_t n)
{
    return n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF;
}

/* The first "\u0000" escape (a backslash run of odd length before "u0000"), or NULL. */
static const char *nul_escape(const char *s, size_t n)
{
    const char *p = s, *end = s + n;
    while ((p = memchr(p, '\\', (size_t)(end - p)))) {
        const char *q = p;
        while (q < end && *q == '\\')
            q++;
        if ((q - p) % 2 == 1 && end - q >= 5 && memcmp(q, "u0000", 5) == 0)
            return q - 1;
        p = q;
    }
    return NULL;
}

/* Checks a JSON text for what cJSON does not reject itself: NUL bytes, "\u0000" (cJSON would cut
 * the string there without a word) and invalid UTF-8. */
static int check_text(struct ingest *ig, const struct srcpos *pos, const char *s, size_t n)
{
    size_t bad;
    const char *nul = memchr(s, '\0', n);
    if (nul) {
        struct srcpos p = *pos;
        p.col = (long)(nul - s) + 1;
        return ingest_bad(ig, &p, NULL, "NUL byte in the input");
    }
    if ((nul = nul_escape(s, n))) {
        struct srcpos p = *pos;
        p.col = (long)(nul - s) + 1;
        return ingest_bad(ig, &p, NULL, "NUL character (\\u0000) in a JSON string");
    }
    if (!utf8_valid(s, n, &bad)) {
        struct srcpos p = *pos;
        p.col = (long)bad + 1;
        return ingest_bad(ig, &p, NULL, "invalid UTF-8");
    }
    return 0;
}

/* Whether s[0..n) has nothing check_text refuses; then no line in it has.  A chunk's whole lines
 * are looked at so, in one pass of each check, instead of three calls a line (a tenth of the
 * reading thread's checks at 5M lines); a chunk that has something is checked line by line, which
 * finds the line and column.  No check can see a fault across a line's end: a newline is neither
 * a UTF-8 continuation byte nor part of an escape. */
static int text_clean(const char *s, size_t n)
{
    size_t bad;
    return !memchr(s, '\0', n) && !nul_escape(s, n) && utf8_valid(s, n, &bad);
}

int ingest_not_utf16(struct ingest *ig, const char *path, const char *s, size_t n)
{
    const char *enc = utf16_or_32(s, n);
    struct srcpos pos = { path, 0, 0, 0 };
    if (!enc)
        return 0;
    /* iconv -f UTF-16 reads the byte order mark; without one it must be told the order */
    return ingest_bad(ig, &pos, NULL, "%.8s input; convert with iconv -f %s -t UTF-8", enc, enc);
}

/* Why cJSON stopped at `at`: it refuses nesting deeper than CJSON_NESTING_LIMIT (1000) with the same
 * failure as a syntax error, so the depth of the brackets before `at` (outside strings) tells
 * "nested too deeply" from "invalid JSON".  Linear, and only on a line that failed. */
static const char *parse_failure(const char *s, const char *at)
{
    long depth = 0;
    int in_string = 0;
    if (!at)
        return "invalid JSON";
    for (const char *p = s; p < at; p++) {
        if (in_string) {
            if (*p == '\\' && p + 1 < at)
                p++;
            else if (*p == '"')
                in_string = 0;
        } else if (*p == '"') {
            in_string = 1;
        } else if (*p == '[' || *p == '{') {
            depth++;
        } else if (*p == ']' || *p == '}') {
            depth--;
        }
    }
    if (!in_string && depth >= CJSON_NESTING_LIMIT && (*at == '[' || *at == '{'))
        return "JSON nested deeper than " NESTING_LIMIT_TEXT " levels";
    return "invalid JSON";
}

/* One line; `checked`: it lies in a chunk that text_clean() passed. */
static int process_line(struct ingest *ig, const char *path, char *s, size_t n, long line, int checked)
{
    struct srcpos pos = { path, line, 0, 0 };
    const char *end = NULL;
    if (line == 1 && has_bom(s, n)) {
        s += 3;
        n -= 3;
    }
    while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i == n)
        return 0;                           /* blank lines separate nothing in JSONL */
    if (!checked && check_text(ig, &pos, s, n) < 0)
        return -1;
    json_arena_reset();                     /* the previous record's tree is no longer used */
    cJSON *j = cJSON_ParseWithLengthOpts(s, n, &end, 0);
    if (!j) {
        pos.col = end ? (long)(end - s) + 1 : 0;
        return ingest_bad(ig, &pos, NULL, "%s", parse_failure(s, end));
    }
    for (const char *p = end; p < s + n; p++)
        if (*p != ' ' && *p != '\t') {
            pos.col = (long)(p - s) + 1;
            return ingest_bad(ig, &pos, NULL, "unexpected text after the JSON value");
        }
    if (ig->jq_wrapped)
        return jq_unwrap(ig, j, &pos);         /* jq's output over CSV rows: [line, record] */
    return ingest_json_record(ig, j, &pos);   /* the tree lives in the arena until the next reset */
}

/* Reads lines from fd; `hash` is 0 when the bytes are not the source's own (jq output). */
/* A line over the limit is a bad line: it is skipped to its end and reading goes on, so that with
 * --skip-bad the lines after it are kept and the hash still covers the whole file. */
static void overlong(struct ingest *ig, const char *label, long line, size_t max_line)
{
    struct srcpos pos = { label, line, 0, 0 };
    ingest_bad(ig, &pos, NULL, "line longer than %zu MiB (--max-line)", max_line >> 20);
}

static int read_lines_arena(struct ingest *ig, int fd, const char *path, const char *label, int hash)
{
    char *buf = ingest_chunk(ig);
    struct strbuf carry = { 0 };
    long line = 0;
    size_t total = 0, max_line = ig->opt.max_line ? ig->opt.max_line : MAX_LINE;
    int ret = -1, skipping = 0;
    if (!buf)
        return -1;
    for (;;) {
        if (hash)
            ingest_hash_settle(ig);         /* the hash is done with buf (lent below) */
        ssize_t n = read_some(fd, buf, INGEST_CHUNK);
        if (n < 0) {
            diag_error("cannot read '%s': %s", path, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        if (hash)
            ingest_hash_lend(ig, buf, (size_t)n);
        if (hash && total == 0 && ingest_not_utf16(ig, label, buf, (size_t)n) < 0)
            goto out;               /* every line would be NUL bytes: the file as a whole is bad */
        total += (size_t)n;
        ingest_progress(ig, total);
        size_t start = 0, clean_to = 0, last = (size_t)n;    /* lines ending before clean_to are checked */
        while (last > 0 && buf[last - 1] != '\n')
            last--;
        if (last > 0 && text_clean(buf, last - 1))
            clean_to = last;
        char *nl;
        while ((nl = memchr(buf + start, '\n', (size_t)n - start))) {
            size_t len = (size_t)(nl - (buf + start));
            line++;
            if (skipping) {
                skipping = 0;               /* the end of an over-long line */
            } else if (carry.len + len > max_line) {
                overlong(ig, label, line, max_line);
                strbuf_reset(&carry);
            } else if (carry.len) {
                if (strbuf_add(&carry, buf + start, len) < 0) {
                    diag_error("out of memory");
                    goto out;
                }
                process_line(ig, label, carry.buf, carry.len, line, 0);
                strbuf_reset(&carry);
            } else {
                process_line(ig, label, buf + start, len, line, (size_t)(nl - buf) < clean_to);
            }
            start = (size_t)(nl - buf) + 1;
            if (ingest_should_stop(ig))
                goto stopped;
        }
        if (start < (size_t)n && !skipping) {
            if (carry.len + ((size_t)n - start) > max_line) {
                overlong(ig, label, line + 1, max_line);
                strbuf_reset(&carry);
                skipping = 1;
                if (ingest_should_stop(ig))
                    goto stopped;
            } else if (strbuf_add(&carry, buf + start, (size_t)n - start) < 0) {
                diag_error("out of memory");
                goto out;
            }
        }
    }
    if (skipping)
        line++;
    else if (carry.len)
        process_line(ig, label, carry.buf, carry.len, ++line, 0);
stopped:
    ig->file_lines = line;
    ret = 0;
out:
    if (hash)
        ingest_hash_settle(ig);             /* nothing of buf is lent past the return */
    strbuf_free(&carry);
    return ret;
}

/* Each line's JSON tree lives in the arena until the next line is parsed. */
int read_json_lines(struct ingest *ig, int fd, const char *path, const char *label, int hash)
{
    json_arena_begin();
    int rc = read_lines_arena(ig, fd, path, label, hash);
    json_arena_end();
    return rc;
}

int read_jsonl(struct ingest *ig, int fd, const char *path)
{
    return read_json_lines(ig, fd, path, path, 1);
}

/* Reads the input to its end, hashing every byte; keeps it in `keep` when not NULL (a JSON document
 * cannot be streamed record by record with cJSON).  0, or -1 after printing why. */
static int read_all(struct ingest *ig, int fd, const char *path, struct strbuf *keep)
{
    char *buf = ingest_chunk(ig);
    int ret = 0, first = 1;
    if (!buf)
        return -1;
    for (;;) {
        ssize_t n = read_some(fd, buf, INGEST_CHUNK);
        if (n < 0) {
            ret = diag_error("cannot read '%s': %s", path, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        ingest_hash(ig, buf, (size_t)n);
        if (first && (ret = ingest_not_utf16(ig, path, buf, (size_t)n)) < 0)
            break;
        first = 0;
        if (keep && (keep->len + (size_t)n > MAX_DOCUMENT || strbuf_add(keep, buf, (size_t)n) < 0)) {
            ret = diag_error("'%s' is too large for a JSON document (use JSONL)", path);
            break;
        }
    }
    return ret;
}

/* The line and column of `at` in a document (column 0 when unknown). */
static struct srcpos document_pos(const char *path, const char *s, const char *at)
{
    long line = 1, col = 1;
    for (const char *p = s; at && p < at; p++, col++)
        if (*p == '\n') {
            line++;
            col = 0;
        }
    struct srcpos pos = { path, line, at ? col : 0, 0 };
    return pos;
}

int read_json_document(struct ingest *ig, int fd, const char *path, const char *records_ptr)
{
    struct strbuf sb = { 0 };
    struct srcpos pos = { path, 0, 0, 0 };
    cJSON *doc = NULL;
    int ret = -1;
    if (read_all(ig, fd, path, &sb) < 0)
        goto out;
    const char *s = sb.buf ? sb.buf : "";
    size_t n = sb.len;
    if (has_bom(s, n)) {
        s += 3;
        n -= 3;
    }
    if (check_text(ig, &pos, s, n) < 0)
        goto out;
    const char *end = NULL;
    if (!(doc = cJSON_ParseWithLengthOpts(s, n, &end, 0))) {
        struct srcpos at = document_pos(path, s, end);
        ingest_bad(ig, &at, NULL, "%s", n ? parse_failure(s, end) : "empty file");
        goto out;
    }
    /* cJSON stops after the first value: anything but white space after it would be lost */
    while (end && end < s + n && (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
        end++;
    if (end && end < s + n) {
        struct srcpos at = document_pos(path, s, end);
        ingest_bad(ig, &at, NULL, "unexpected text after the JSON document (one record a line is --format jsonl)");
        goto out;
    }
    const cJSON *records = doc;
    if (records_ptr && *records_ptr) {
        struct json_dup dup;
        records = json_pointer_get(doc, records_ptr, &dup);
        if (dup.second) {
            ingest_bad(ig, &pos, NULL, "--records: duplicate key '%s' (keys %d and %d) on JSON Pointer '%s'", dup.name,
                       dup.first, dup.second, records_ptr);
            goto out;
        }
        if (!records) {
            ingest_bad(ig, &pos, NULL, "--records: nothing at JSON Pointer '%s'", records_ptr);
            goto out;
        }
    }
    ig->file_lines = 1;
    for (const char *p = s; p < s + n; p++)
        ig->file_lines += *p == '\n';
    if (cJSON_IsArray(records) && (records_ptr || !cJSON_IsObject(records))) {
        long i = 0;
        for (const cJSON *r = records->child; r; r = r->next) {
            struct srcpos rp = { path, ++i, 0, 1 };
            ingest_json_record(ig, r, &rp);
            if (ingest_should_stop(ig))
                break;
        }
    } else {
        struct srcpos rp = { path, 1, 0, 1 };
        ingest_json_record(ig, records, &rp);    /* one object: one record (e.g. a PersonaLLM run) */
    }
    ret = 0;
out:
    cJSON_Delete(doc);
    strbuf_free(&sb);
    return ret;
}
