/* ingest/record.c -- one ingest run: caches, the per-file transaction, field resolution through
 * the mapping, validation of the six native record types, and their storage.  Every record is
 * validated completely before anything of it is written, so --skip-bad never leaves half a record.
 *
 * This file: the typed access to resolved fields, the subject fields and the dispatch by record
 * type (shared through ingest_internal.h), emitting rows to the writer, errors and progress.  The
 * record types are in record_response.c, record_behavior.c and record_games.c; field resolution
 * from JSON and CSV in record_fields.c. */
#include <ctype.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "diag.h"
#include "ingest/ingest_internal.h"
#include "ingest/probs.h"

const struct mapping *ingest_mapping(const struct ingest *ig)
{
    return ig->map;
}

/* ---------- emitting rows to the writer ---------- */

static const char *dup_len_into(struct batch *b, const char *s, size_t *len, int *oom)
{
    *len = 0;
    if (!s)
        return NULL;
    const char *d = batch_strdup(b, s, *len = strlen(s));
    if (!d)
        *oom = 1;
    return d;
}

static const char *dup_into(struct batch *b, const char *s, int *oom)
{
    size_t len;
    return dup_len_into(b, s, &len, oom);
}

int emit(struct ingest *ig, const struct pending *p)
{
    int oom = 0;
    if (ig->cur && ig->cur->n == BATCH_ROWS) {
        pipeline_push(&ig->pipe, ig->cur);
        ig->cur = NULL;
    }
    if (!ig->cur)
        ig->cur = pipeline_take_spare(&ig->pipe);
    struct batch *b = ig->cur;
    struct pending *q = &b->rows[b->n];
    *q = *p;
    q->line = ig->pos.line;
    q->model = dup_into(b, p->model, &oom);
    q->persona = dup_into(b, p->persona, &oom);
    q->condition = dup_into(b, p->condition, &oom);
    q->run = dup_len_into(b, p->run, &q->run_len, &oom);
    q->occasion = dup_into(b, p->occasion, &oom);
    q->text = dup_into(b, p->text, &oom);
    q->level_text = dup_into(b, p->level_text, &oom);
    q->field = dup_into(b, p->field, &oom);
    q->reason = dup_into(b, p->reason, &oom);
    q->outcome = dup_into(b, p->outcome, &oom);
    q->tmpl = dup_into(b, p->tmpl, &oom);
    q->language = dup_into(b, p->language, &oom);
    q->variant = dup_into(b, p->variant, &oom);
    if (p->probs && !(q->probs = batch_strdup(b, p->probs, probs_blob_len(p->probs))))
        oom = 1;
    if (p->answer && !(q->answer = batch_strdup(b, p->answer, p->answer_len)))
        oom = 1;
    if (oom) {
        atomic_store(&ig->fatal, 1);
        return diag_error("out of memory");
    }
    b->n++;
    return 0;
}

/* ---------- errors ---------- */

int ingest_bad(struct ingest *ig, const struct srcpos *pos, const char *field, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!ig->opt.skip_bad) {
        /* A fault of a CSV row that becomes several records (--reps-columns, its cells through --jq)
         * repeats in each of them: the same message at the same line is one bad line, said once.
         * Under --skip-bad every record is its own reject, so each still counts. */
        uint64_t h = 14695981039346656037u;         /* FNV-1a over field and message */
        for (const char *p = field ? field : ""; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211u;
        h = (h ^ 0xffu) * 1099511628211u;
        for (const char *p = msg; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211u;
        if (ig->file_errors && pos->line == ig->last_bad_line && h == ig->last_bad_hash)
            return -1;
        ig->last_bad_line = pos->line;
        ig->last_bad_hash = h;
    }
    ig->file_errors++;
    if (ig->file_errors <= MAX_REPORTED_ERRORS) {
        if (field)
            diag_at(pos, "%s (field %s)", msg, field);
        else
            diag_at(pos, "%s", msg);
    } else if (ig->file_errors == MAX_REPORTED_ERRORS + 1 && !ig->opt.skip_bad) {
        diag_at(pos, "too many errors, giving up on this file");
    }
    if (ig->opt.skip_bad) {
        struct pending r = { .type = P_REJECT, .field = field, .reason = msg };
        struct srcpos saved = ig->pos;
        ig->pos = *pos;
        emit(ig, &r);
        ig->pos = saved;
    }
    return -1;
}

/* Whether the reader should stop: a store failure, or too many errors without --skip-bad. */
int ingest_should_stop(const struct ingest *ig)
{
    return atomic_load(&ig->fatal) || (!ig->opt.skip_bad && ig->file_errors > MAX_REPORTED_ERRORS);
}

/* ---------- typed access to resolved fields ---------- */

const char *kind_name(const struct value *v)
{
    switch (v->kind) {
    case V_STRING: return "a string";
    case V_NUMBER: return "a number";
    case V_BOOL: return "a boolean";
    case V_NULL: return "null";
    case V_OTHER: return v->s;
    default: return "nothing";
    }
}

int present(const struct value *v)
{
    return v->kind != V_ABSENT && v->kind != V_NULL;
}

/* A string field; numbers are accepted and formatted (item ids, personas and levels are often
 * numbers in foreign logs).  Returns 0 with *out (NULL if absent and optional), or -1. */
int get_text(struct ingest *ig, int f, int required, const char **out)
{
    struct value *v = &ig->vals[f];
    *out = NULL;
    if (!present(v)) {
        if (required)
            return ingest_bad(ig, &ig->pos, field_names[f], "missing required field");
        return 0;
    }
    if (v->kind == V_STRING) {
        /* a JSON string's len is its strlen (value_from_json; check_text refused NUL bytes and
         * "\u0000"), a CSV cell's or an extraction's is its bytes, which may hold a NUL */
        if (!v->json && v->len != strlen(v->s))
            return ingest_bad(ig, &ig->pos, field_names[f], "NUL character in text");
        if (v->len > ig->max_value)     /* SQLite would refuse to bind it (SQLITE_TOOBIG) */
            return ingest_bad(ig, &ig->pos, field_names[f], "text of %zu bytes is longer than the store takes (%zu)",
                              v->len, ig->max_value);
        *out = v->s;
        return 0;
    }
    if (v->kind == V_NUMBER) {
        strbuf_reset(&ig->scratch[f]);
        char num[40];
        if (v->num == floor(v->num) && fabs(v->num) < 1e15)
            snprintf(num, sizeof num, "%lld", (long long)v->num);
        else
            format_double(num, sizeof num, v->num);    /* 0.3 is "0.3", not 0.29999999999999999 */
        strbuf_addstr(&ig->scratch[f], num);
        *out = ig->scratch[f].buf;
        return 0;
    }
    return ingest_bad(ig, &ig->pos, field_names[f], "expected a string, found %s", kind_name(v));
}

/* A number field: a JSON number, or text from CSV/constants/extractions.  A JSON string is a
 * type error: "0.7" in a JSON log usually means the producer stringified by mistake. */
int get_number(struct ingest *ig, int f, int required, int *is_present, double *out)
{
    struct value *v = &ig->vals[f];
    *is_present = 0;
    if (!present(v)) {
        if (required)
            return ingest_bad(ig, &ig->pos, field_names[f], "missing required field");
        return 0;
    }
    if (v->kind == V_NUMBER) {
        *out = v->num;
    } else if (v->kind == V_STRING && v->textual) {
        if (parse_double(v->s, out) < 0)
            return ingest_bad(ig, &ig->pos, field_names[f], "not a number: '%.60s'", v->s);
    } else {
        return ingest_bad(ig, &ig->pos, field_names[f], "expected a number, found %s",
                          v->kind == V_STRING ? "a string" : kind_name(v));
    }
    *is_present = 1;
    return 0;
}

int parse_integer_text(const char *s, long *out)
{
    double d;
    if (parse_long(s, out) == 0)
        return 0;
    /* only a decimal written with a point: "1e1" or "0x5" are not whole numbers as tables write them */
    if (!strchr(s, '.') || strpbrk(s, "eExXpP") || parse_double(s, &d) < 0 || d != floor(d) || fabs(d) > 1e15)
        return -1;
    *out = (long)d;
    return 0;
}

int get_integer(struct ingest *ig, int f, int required, long lo, long hi, long dflt, long *out)
{
    int has;
    double d;
    *out = dflt;
    if (get_number(ig, f, required, &has, &d) < 0)
        return -1;
    if (!has)
        return 0;
    if (d != floor(d))
        return ingest_bad(ig, &ig->pos, field_names[f], "expected a whole number, found %g", d);
    if (d < (double)lo || d > (double)hi)
        return ingest_bad(ig, &ig->pos, field_names[f], "%g is out of range (%ld..%ld)", d, lo, hi);
    *out = (long)d;
    return 0;
}

/* Booleans and labels: true/false, yes/no, y/n, 1/0. */
int get_bool(struct ingest *ig, int f, int required, int dflt, int *out)
{
    struct value *v = &ig->vals[f];
    *out = dflt;
    if (!present(v)) {
        if (required)
            return ingest_bad(ig, &ig->pos, field_names[f], "missing required field");
        return 0;
    }
    if (v->kind == V_BOOL || v->kind == V_NUMBER) {
        if (v->num != 0 && v->num != 1)
            return ingest_bad(ig, &ig->pos, field_names[f], "expected 0 or 1, found %g", v->num);
        *out = v->num != 0;
        return 0;
    }
    if (v->kind == V_STRING) {
        static const char *const yes[] = { "true", "yes", "y", "1" }, *const no[] = { "false", "no", "n", "0" };
        for (size_t i = 0; i < 4; i++) {
            if (strcasecmp(v->s, yes[i]) == 0) {
                *out = 1;
                return 0;
            }
            if (strcasecmp(v->s, no[i]) == 0) {
                *out = 0;
                return 0;
            }
        }
        return ingest_bad(ig, &ig->pos, field_names[f], "expected yes/no, true/false, y/n or 1/0, found '%.60s'",
                          v->s);
    }
    return ingest_bad(ig, &ig->pos, field_names[f], "expected a boolean, found %s", kind_name(v));
}

int get_dimension(struct ingest *ig, int f, int required, const char **code, int *reverse)
{
    const char *s;
    *code = NULL;
    *reverse = 0;
    if (get_text(ig, f, required, &s) < 0)
        return -1;
    if (!s)
        return 0;
    if (!(*code = dimension_canonical(s, reverse)))
        return ingest_bad(ig, &ig->pos, field_names[f],
                          "unknown dimension '%.60s' (EXT AGR CONS EMO OPEN, full names, N/neuroticism)", s);
    return 0;
}

/* ---------- subjects ---------- */

/* A condition that names the baseline: empty or blank, "baseline" or "none" (any case, spaces
 * around ignored).  It is stored as NULL, so that a CSV's empty cell and a log's "baseline" are the
 * one baseline the games compare every condition with.  Any other text is kept as it is. */
static int baseline_condition(const char *c)
{
    size_t n = strlen(c), i = 0;
    while (i < n && isspace((unsigned char)c[i]))
        i++;
    while (n > i && isspace((unsigned char)c[n - 1]))
        n--;
    return n == i || (n - i == 8 && strncasecmp(c + i, "baseline", 8) == 0) ||
           (n - i == 4 && strncasecmp(c + i, "none", 4) == 0);
}

int read_subject(struct ingest *ig, struct subject_fields *s)
{
    if (get_text(ig, F_MODEL, 1, &s->model) < 0 || get_number(ig, F_TEMPERATURE, 0, &s->has_temp, &s->temp) < 0 ||
        get_text(ig, F_PERSONA, 0, &s->persona) < 0 || get_text(ig, F_RUN, 0, &s->run) < 0 ||
        get_integer(ig, F_REP, 0, 0, 1000000000L, 0, &s->rep) < 0 || get_text(ig, F_CONDITION, 0, &s->condition) < 0)
        return -1;
    s->persona_generated = 0;
    s->tmpl = s->language = s->variant = NULL;
    if (s->condition && baseline_condition(s->condition))
        s->condition = NULL;
    if (!*s->model)
        return ingest_bad(ig, &ig->pos, "model", "empty model name");
    if (s->has_temp && (s->temp < 0 || s->temp > 100))
        return ingest_bad(ig, &ig->pos, "temperature", "temperature %g is out of range (0..100)", s->temp);
    return 0;
}

static int blank(const char *t)
{
    while (*t && isspace((unsigned char)*t))
        t++;
    return !*t;
}

int read_design(struct ingest *ig, struct subject_fields *s)
{
    if (get_text(ig, F_TEMPLATE, 0, &s->tmpl) < 0 || get_text(ig, F_LANGUAGE, 0, &s->language) < 0 ||
        get_text(ig, F_VARIANT, 0, &s->variant) < 0)
        return -1;
    /* a CSV's empty cell is "not given", as for condition: one level, never two */
    if (s->tmpl && blank(s->tmpl))
        s->tmpl = NULL;
    if (s->language && blank(s->language))
        s->language = NULL;
    if (s->variant && blank(s->variant))
        s->variant = NULL;
    return 0;
}

/* The common part of every row: the subject fields. */
void pending_subject(struct pending *p, const struct subject_fields *s)
{
    p->model = s->model;
    p->persona = s->persona;
    p->condition = s->condition;
    p->persona_generated = s->persona_generated;
    p->run = s->run;
    p->has_temp = s->has_temp;
    p->temp = s->temp;
    p->rep = s->rep;
    p->tmpl = s->tmpl;
    p->language = s->language;
    p->variant = s->variant;
}

static int record_dispatch_type(struct ingest *ig);

/* Validates and stores the record whose fields are in ig->vals, counting it and whether it was kept. */
int record_dispatch(struct ingest *ig)
{
    ig->file_records++;
    int rc = record_dispatch_type(ig);
    if (rc == 0)
        ig->file_kept++;
    return rc;
}

static int record_dispatch_type(struct ingest *ig)
{
    const char *type;
    if (get_text(ig, F_TYPE, 0, &type) < 0)
        return -1;
    if (!type || strcmp(type, "response") == 0)
        return record_response(ig);
    if (strcmp(type, "behavior") == 0 || strcmp(type, "behaviour") == 0)
        return record_behavior(ig);
    if (strcmp(type, "labeled_behavior") == 0 || strcmp(type, "labelled_behaviour") == 0)
        return record_labeled(ig);
    if (strcmp(type, "ultimatum") == 0)
        return record_ultimatum(ig);
    if (strcmp(type, "milgram") == 0)
        return record_milgram(ig);
    if (strcmp(type, "milgram_step") == 0)
        return record_step(ig);
    if (strcmp(type, "ultimatum_threshold") == 0)
        return record_threshold(ig);
    if (strcmp(type, "ultimatum_offer") == 0)
        return record_offer(ig, "ultimatum");
    if (strcmp(type, "dictator_offer") == 0)
        return record_offer(ig, "dictator");
    return ingest_bad(ig, &ig->pos, "type", "unknown record type '%.40s' (response, behavior, "
                      "labeled_behavior, ultimatum, ultimatum_threshold, ultimatum_offer, dictator_offer, "
                      "milgram, milgram_step)", type);
}


/* ---------- files ---------- */

static void hashed_bytes(struct ingest *ig, size_t n)
{
    ig->file_bytes += n;
    /* every byte before file_bytes is in the reader's buffer or parsed, and hashed, copied or lent for
     * the hash: the file's pages are not read again (ingest_drop_behind) */
    if (ig->drop_fd >= 0 && ig->file_bytes - ig->dropped >= ig->drop_step) {
        (void)posix_fadvise(ig->drop_fd, (off_t)ig->dropped, (off_t)(ig->file_bytes - ig->dropped),
                            POSIX_FADV_DONTNEED);
        ig->dropped = ig->file_bytes;
    }
}

void ingest_hash(struct ingest *ig, const void *data, size_t n)
{
    source_hash_update(&ig->hash, data, n);
    hashed_bytes(ig, n);
}

void ingest_hash_lend(struct ingest *ig, const void *data, size_t n)
{
    source_hash_lend(&ig->hash, data, n);
    hashed_bytes(ig, n);
}

void ingest_hash_settle(struct ingest *ig)
{
    source_hash_settle(&ig->hash);
}

double ingest_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void ingest_progress(struct ingest *ig, size_t bytes)
{
    if (!ig->progress_tty)
        return;
    double t = ingest_now();
    if (t - ig->progress_last < 0.5)
        return;
    if (ig->progress_last == 0) {
        ig->progress_last = t;      /* small files finish before the first report */
        return;
    }
    ig->progress_last = t;
    double secs = t - ig->file_start;
    fputc('\r', stderr);
    diag_escaped(ig->path);
    fprintf(stderr, ": %.1f MB, %ld records, %.0f records/s   ", bytes / 1e6, ig->file_records,
            secs > 0 ? ig->file_records / secs : 0.0);
    ig->progress_shown = 1;
}
