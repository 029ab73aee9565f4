/* ingest/record.c -- one ingest run: caches, the per-file transaction, field resolution through
 * the mapping, validation of the six native record types, and their storage.  Every record is
 * validated completely before anything of it is written, so --skip-bad never leaves half a record. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include "ingest/pointer.h"

#include "diag.h"
#include "ingest/answer.h"
#include "ingest/decision.h"
#include "ingest/ingest_internal.h"
#include "store/store.h"


const struct mapping *ingest_mapping(const struct ingest *ig)
{
    return ig->map;
}

/* ---------- emitting rows to the writer ---------- */

static const char *dup_into(struct batch *b, const char *s, int *oom)
{
    if (!s)
        return NULL;
    const char *d = batch_strdup(b, s, strlen(s));
    if (!d)
        *oom = 1;
    return d;
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
    q->run = dup_into(b, p->run, &oom);
    q->occasion = dup_into(b, p->occasion, &oom);
    q->text = dup_into(b, p->text, &oom);
    q->level_text = dup_into(b, p->level_text, &oom);
    q->field = dup_into(b, p->field, &oom);
    q->reason = dup_into(b, p->reason, &oom);
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

static const char *kind_name(const struct value *v)
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

static int present(const struct value *v)
{
    return v->kind != V_ABSENT && v->kind != V_NULL;
}

/* A string field; numbers are accepted and formatted (item ids, personas and levels are often
 * numbers in foreign logs).  Returns 0 with *out (NULL if absent and optional), or -1. */
static int get_text(struct ingest *ig, int f, int required, const char **out)
{
    struct value *v = &ig->vals[f];
    *out = NULL;
    if (!present(v)) {
        if (required)
            return ingest_bad(ig, &ig->pos, field_names[f], "missing required field");
        return 0;
    }
    if (v->kind == V_STRING) {
        if (v->len != strlen(v->s))
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
static int get_number(struct ingest *ig, int f, int required, int *is_present, double *out)
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

static int get_integer(struct ingest *ig, int f, int required, long lo, long hi, long dflt, long *out)
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
static int get_bool(struct ingest *ig, int f, int required, int dflt, int *out)
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

static int get_dimension(struct ingest *ig, int f, int required, const char **code, int *reverse)
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

/* The common subject fields; validated without writing anything. */
struct subject_fields {
    const char *model, *persona, *run;
    int has_temp;
    double temp;
    long rep;
};

static int read_subject(struct ingest *ig, struct subject_fields *s)
{
    if (get_text(ig, F_MODEL, 1, &s->model) < 0 || get_number(ig, F_TEMPERATURE, 0, &s->has_temp, &s->temp) < 0 ||
        get_text(ig, F_PERSONA, 0, &s->persona) < 0 || get_text(ig, F_RUN, 0, &s->run) < 0 ||
        get_integer(ig, F_REP, 0, 0, 1000000000L, 0, &s->rep) < 0)
        return -1;
    if (!*s->model)
        return ingest_bad(ig, &ig->pos, "model", "empty model name");
    if (s->has_temp && (s->temp < 0 || s->temp > 100))
        return ingest_bad(ig, &ig->pos, "temperature", "temperature %g is out of range (0..100)", s->temp);
    return 0;
}

/* ---------- responses ---------- */

struct pending_response {
    int64_t item;
    char *owned;                /* a joined answer text this struct owns, or NULL */
    const char *answer;
    size_t answer_len;
    int option;                 /* 0 = none */
    enum answer_status status;
};

static int instrument_of(struct ingest *ig, const char *name, int64_t *id)
{
    if (strmap_get(&ig->instruments, name, id))
        return 0;
    return ingest_bad(ig, &ig->pos, "instrument",
                      "unknown instrument '%.80s' (see 'psyfaith instruments list'; load more with "
                      "'psyfaith instruments load')", name);
}

static int item_by_code(struct ingest *ig, int64_t inst, const char *code, int64_t *id)
{
    char key[1100];
    snprintf(key, sizeof key, "%lld\x1f%.1024s", (long long)inst, code);
    return strmap_get(&ig->item_by_code, key, id);
}

static int item_by_text(struct ingest *ig, int64_t inst, const char *text, int64_t *id)
{
    struct strbuf *k = &ig->keybuf;
    char *norm = malloc(strlen(text) + 1);
    if (!norm)
        return diag_error("out of memory");
    item_text_normalise(text, norm);
    strbuf_reset(k);
    strbuf_addf(k, "%lld\x1f%s", (long long)inst, norm);
    free(norm);
    return k->buf && strmap_get(&ig->item_by_text, k->buf, id);
}

/* An item label from a multi-answer string: the item's own code, its position number, or a
 * letter position (a=1 ... z=26, aa=27, as PersonaLLM labels its 44 items). */
static int item_by_label(struct ingest *ig, int64_t inst, const char *label, int64_t *id)
{
    char key[64];
    long pos = 0;
    if (item_by_code(ig, inst, label, id))
        return 1;
    if (parse_long(label, &pos) < 0) {
        pos = 0;
        for (const char *p = label; *p; p++) {
            int c = tolower((unsigned char)*p);
            if (c < 'a' || c > 'z' || pos > 100000)
                return 0;
            pos = pos * 26 + (c - 'a' + 1);
        }
    }
    snprintf(key, sizeof key, "%lld\x1f#%ld", (long long)inst, pos);
    return strmap_get(&ig->item_by_code, key, id);
}

static int parse_option_order(struct ingest *ig, int *descending)
{
    const char *s;
    *descending = 0;
    if (get_text(ig, F_OPTION_ORDER, 0, &s) < 0)
        return -1;
    if (!s || strcasecmp(s, "ascending") == 0 || strcasecmp(s, "asc") == 0)
        return 0;
    if (strcasecmp(s, "descending") == 0 || strcasecmp(s, "desc") == 0) {
        *descending = 1;
        return 0;
    }
    return ingest_bad(ig, &ig->pos, "option_order", "expected 'ascending' or 'descending', found '%.40s'", s);
}

/* The common part of every row: the subject fields. */
static void pending_subject(struct pending *p, const struct subject_fields *s)
{
    p->model = s->model;
    p->persona = s->persona;
    p->run = s->run;
    p->has_temp = s->has_temp;
    p->temp = s->temp;
    p->rep = s->rep;
}

static int emit_response(struct ingest *ig, const struct subject_fields *s, const struct pending_response *r,
                         int descending)
{
    struct pending p = { .type = P_RESPONSE, .item = r->item, .answer = r->answer, .answer_len = r->answer_len,
                         .option = r->option, .status = r->status, .descending = descending };
    pending_subject(&p, s);
    return emit(ig, &p);
}

/* A model sometimes answers one item twice in one string.  The same option twice is one answer;
 * two different options are one `ambiguous` answer whose raw text keeps both ("4 | 5").
 * Merges r into an earlier part for the same item and then clears r->item; 0 or -1 (memory). */
static int merge_repeat(struct pending_response *parts, size_t n, struct pending_response *r)
{
    for (size_t i = 0; i < n; i++) {
        struct pending_response *p = &parts[i];
        if (p->item != r->item)
            continue;
        if (!(p->status == ANSWER_OK && r->status == ANSWER_OK && p->option == r->option)) {
            struct strbuf sb = { 0 };
            if (strbuf_add(&sb, p->answer, p->answer_len) < 0 || strbuf_addstr(&sb, " | ") < 0 ||
                strbuf_add(&sb, r->answer, r->answer_len) < 0) {
                strbuf_free(&sb);
                return -1;
            }
            free(p->owned);
            p->owned = sb.buf;
            p->answer = sb.buf;
            p->answer_len = sb.len;
            p->status = ANSWER_AMBIGUOUS;
            p->option = 0;
        }
        r->item = 0;
        return 0;
    }
    return 0;
}

/* Splits a multi-answer string with --answers-regex and stores each part. */
static int record_multi_response(struct ingest *ig, int64_t inst, const struct subject_fields *s,
                                 int descending)
{
    const struct mapping *m = ig->map;
    const char *text;
    struct pending_response *parts = NULL;
    size_t n = 0, cap = 0;
    int ret = -1;
    pcre2_match_data *md = NULL;
    if (get_text(ig, F_ANSWER, 1, &text) < 0)
        return -1;
    size_t len = strlen(text), start = 0;
    int rc = PCRE2_ERROR_NOMATCH;
    if (!(md = pcre2_match_data_create_from_pattern(m->answers_re, NULL)))
        return diag_error("out of memory");
    while (start <= len && (rc = pcre2_match(m->answers_re, (PCRE2_SPTR)text, len, start, 0, md, NULL)) >= 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        size_t li = 2 * (size_t)m->answers_item_group, ai = 2 * (size_t)m->answers_answer_group;
        start = ov[1];
        if (ov[1] == ov[0])         /* an empty match: on by one whole UTF-8 character */
            for (start++; start < len && ((unsigned char)text[start] & 0xC0) == 0x80; start++)
                ;
        if (ov[li] == PCRE2_UNSET || ov[ai] == PCRE2_UNSET)
            continue;
        char label[64];
        size_t ln = ov[li + 1] - ov[li];
        if (ln >= sizeof label) {
            ingest_bad(ig, &ig->pos, "answer", "item label too long in multi-answer text");
            goto out;
        }
        memcpy(label, text + ov[li], ln);
        label[ln] = '\0';
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            struct pending_response *p = realloc(parts, cap * sizeof *p);
            if (!p) {
                diag_error("out of memory");
                goto out;
            }
            parts = p;
        }
        struct pending_response *r = &parts[n];
        if (!item_by_label(ig, inst, label, &r->item)) {
            ingest_bad(ig, &ig->pos, "answer", "no item '%s' in this instrument", label);
            goto out;
        }
        r->owned = NULL;
        r->answer = text + ov[ai];
        r->answer_len = ov[ai + 1] - ov[ai];
        r->option = 0;
        r->status = answer_parse(r->answer, r->answer_len, ig->item_info[r->item].n_options, descending,
                                 &r->option);
        if (r->status == ANSWER_ERROR) {
            ingest_bad(ig, &ig->pos, "answer", "%s", answer_error());
            goto out;
        }
        if (merge_repeat(parts, n, r) < 0) {
            diag_error("out of memory");
            goto out;
        }
        if (r->item)
            n++;
    }
    /* a library error (match limit) ends the split early: the answers after it were never read, so
     * the line is bad, never stored as a shorter list */
    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
        answer_failed(rc, "--answers-regex");
        ingest_bad(ig, &ig->pos, "answer", "%s", answer_error());
        goto out;
    }
    if (n == 0) {
        ingest_bad(ig, &ig->pos, "answer", "--answers-regex found no answers in '%.60s'", text);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (emit_response(ig, s, &parts[i], descending) < 0)
            goto out;
    ret = 0;
out:
    pcre2_match_data_free(md);
    for (size_t i = 0; i < n; i++)
        free(parts[i].owned);
    free(parts);
    return ret;
}

static int record_response(struct ingest *ig)
{
    struct subject_fields s;
    struct pending_response r = { 0 };
    const char *inst_name, *code, *text;
    int64_t inst;
    int descending;
    long option;
    if (read_subject(ig, &s) < 0 || get_text(ig, F_INSTRUMENT, 1, &inst_name) < 0 ||
        instrument_of(ig, inst_name, &inst) < 0 || parse_option_order(ig, &descending) < 0)
        return -1;
    if (ig->map->answers_re)
        return record_multi_response(ig, inst, &s, descending);
    if (get_text(ig, F_ITEM, 0, &code) < 0 || get_text(ig, F_ITEM_TEXT, 0, &text) < 0)
        return -1;
    if (code) {
        if (!item_by_code(ig, inst, code, &r.item))
            return ingest_bad(ig, &ig->pos, "item", "unknown item '%.80s' in instrument '%s'", code, inst_name);
    } else if (text) {
        int found = item_by_text(ig, inst, text, &r.item);
        if (found < 0)
            return -1;
        if (!found)
            return ingest_bad(ig, &ig->pos, "item_text", "no item of '%s' has the text '%.120s'", inst_name, text);
    } else {
        return ingest_bad(ig, &ig->pos, "item", "a response needs 'item' or 'item_text'");
    }
    const struct item_info *info = &ig->item_info[r.item];
    if (get_integer(ig, F_OPTION, 0, 1, info->n_options, 0, &option) < 0 ||
        get_text(ig, F_ANSWER, 0, &r.answer) < 0)
        return -1;
    if (r.answer)
        r.answer_len = strlen(r.answer);
    if (option) {
        r.option = (int)option;    /* an explicit option is on the ascending scale */
        r.status = ANSWER_OK;
    } else if (r.answer) {
        r.status = answer_parse(r.answer, r.answer_len, info->n_options, descending, &r.option);
        if (r.status == ANSWER_ERROR)   /* the text was not read: no status can be stored */
            return ingest_bad(ig, &ig->pos, "answer", "%s", answer_error());
    } else {
        return ingest_bad(ig, &ig->pos, "answer", "a response needs 'answer' or 'option'");
    }
    return emit_response(ig, &s, &r, descending);
}

/* ---------- behaviours ---------- */

static int nonempty_text(struct ingest *ig, int f, const char **out)
{
    if (get_text(ig, f, 1, out) < 0)
        return -1;
    for (const char *p = *out; *p; p++)
        if (!isspace((unsigned char)*p))
            return 0;
    return ingest_bad(ig, &ig->pos, field_names[f], "empty text");
}

static int record_behavior(struct ingest *ig)
{
    struct subject_fields s;
    const char *dim, *occasion, *text;
    int reverse;
    if (read_subject(ig, &s) < 0 || get_dimension(ig, F_DIMENSION, 1, &dim, &reverse) < 0 ||
        nonempty_text(ig, F_OCCASION, &occasion) < 0 || nonempty_text(ig, F_TEXT, &text) < 0)
        return -1;
    struct pending p = { .type = P_BEHAVIOR, .dimension = dim, .occasion = occasion, .text = text };
    pending_subject(&p, &s);
    return emit(ig, &p);
}

static int record_labeled(struct ingest *ig)
{
    const char *dim, *occasion, *text;
    int reverse, label;
    if (get_dimension(ig, F_DIMENSION, 1, &dim, &reverse) < 0 || get_text(ig, F_OCCASION, 0, &occasion) < 0 ||
        get_bool(ig, F_LABEL, 1, 0, &label) < 0 || nonempty_text(ig, F_TEXT, &text) < 0)
        return -1;
    if (reverse)
        label = !label;   /* "shows neuroticism" is "does not show emotional stability" */
    struct pending p = { .type = P_LABELED, .dimension = dim, .occasion = occasion, .label = label, .text = text };
    return emit(ig, &p);
}

/* ---------- games ---------- */

static int read_trait(struct ingest *ig, const char **trait)
{
    int reverse;
    if (get_dimension(ig, F_TRAIT, 0, trait, &reverse) < 0)
        return -1;
    if (reverse)
        return ingest_bad(ig, &ig->pos, "trait", "persona traits are named by the five codes; "
                          "use EMO (emotional stability) rather than neuroticism");
    return 0;
}

static int record_ultimatum(struct ingest *ig)
{
    struct subject_fields s;
    const char *trait, *answer = NULL, *dtext;
    long level;
    double offer, total = 10;
    int has, has_total, accept = -1;
    enum answer_status status = ANSWER_OK;
    if (read_subject(ig, &s) < 0 || read_trait(ig, &trait) < 0 ||
        get_integer(ig, F_LEVEL, 0, 1, 9, 0, &level) < 0 || get_number(ig, F_OFFER, 1, &has, &offer) < 0 ||
        get_number(ig, F_TOTAL, 0, &has_total, &total) < 0)
        return -1;
    if (!has_total)
        total = 10;
    if (total <= 0)
        return ingest_bad(ig, &ig->pos, "total", "total must be positive, found %g", total);
    if (offer < 0 || offer > total)
        return ingest_bad(ig, &ig->pos, "offer", "offer %g is outside 0..total (%g)", offer, total);
    if (present(&ig->vals[F_DECISION])) {
        if (get_text(ig, F_DECISION, 1, &dtext) < 0)
            return -1;
        if (strcasecmp(dtext, "accept") == 0 || strcasecmp(dtext, "accepted") == 0 || strcasecmp(dtext, "yes") == 0 ||
            strcmp(dtext, "1") == 0 || strcasecmp(dtext, "true") == 0)
            accept = 1;
        else if (strcasecmp(dtext, "reject") == 0 || strcasecmp(dtext, "rejected") == 0 ||
                 strcasecmp(dtext, "no") == 0 || strcmp(dtext, "0") == 0 || strcasecmp(dtext, "false") == 0)
            accept = 0;
        else
            return ingest_bad(ig, &ig->pos, "decision", "expected accept or reject, found '%.60s'", dtext);
        if (get_text(ig, F_ANSWER, 0, &answer) < 0)
            return -1;
    } else {
        if (get_text(ig, F_ANSWER, 0, &answer) < 0)
            return -1;
        if (!answer)
            return ingest_bad(ig, &ig->pos, "decision", "an ultimatum trial needs 'decision' or 'answer'");
        status = decision_parse(answer, strlen(answer), &accept);
        if (status == ANSWER_ERROR)     /* PCRE2 failed: the answer was not read */
            return ingest_bad(ig, &ig->pos, "answer", "%s", answer_error());
    }
    struct pending p = { .type = P_ULTIMATUM, .trait = trait, .level = level, .offer = offer, .total = total,
                         .decision = accept, .answer = answer, .answer_len = answer ? strlen(answer) : 0,
                         .status = status };
    pending_subject(&p, &s);
    return emit(ig, &p);
}

/* Milgram persona levels: the extremes 'min'/'max' of Zakazov et al., or 1..9. */
static int read_milgram_level(struct ingest *ig, char buf[8], const char **level)
{
    const char *s;
    long n;
    *level = NULL;
    if (get_text(ig, F_LEVEL, 0, &s) < 0)
        return -1;
    if (!s)
        return 0;
    if (strcasecmp(s, "min") == 0 || strcasecmp(s, "max") == 0) {
        buf[0] = (char)tolower((unsigned char)s[0]);
        buf[1] = (char)tolower((unsigned char)s[1]);
        buf[2] = (char)tolower((unsigned char)s[2]);
        buf[3] = '\0';
    } else if (parse_long(s, &n) == 0 && n >= 1 && n <= 9) {
        snprintf(buf, 8, "%ld", n);
    } else {
        return ingest_bad(ig, &ig->pos, "level", "expected min, max or 1..9, found '%.40s'", s);
    }
    *level = buf;
    return 0;
}

static int record_milgram(struct ingest *ig)
{
    struct subject_fields s;
    const char *trait, *level;
    char levelbuf[8];
    long final_level, max_level, disob;
    int filtered;
    if (read_subject(ig, &s) < 0 || read_trait(ig, &trait) < 0 || read_milgram_level(ig, levelbuf, &level) < 0 ||
        get_integer(ig, F_FINAL_LEVEL, 1, 0, 1000000, 0, &final_level) < 0 ||
        get_integer(ig, F_MAX_LEVEL, 1, 1, 1000000, 0, &max_level) < 0 ||
        get_integer(ig, F_DISOBEDIENCES, 0, 0, 1000000, 0, &disob) < 0 ||
        get_bool(ig, F_FILTERED, 0, 0, &filtered) < 0)
        return -1;
    if (final_level > max_level)
        return ingest_bad(ig, &ig->pos, "final_level", "final level %ld is above max_level %ld", final_level,
                          max_level);
    struct pending p = { .type = P_MILGRAM, .trait = trait, .level_text = level, .final_level = final_level,
                         .max_level = max_level, .disobediences = disob, .filtered = filtered };
    pending_subject(&p, &s);
    return emit(ig, &p);
}

static int record_step(struct ingest *ig)
{
    struct subject_fields s;
    const char *trait, *level;
    char levelbuf[8];
    long step;
    int disobeyed;
    if (read_subject(ig, &s) < 0 || read_trait(ig, &trait) < 0 || read_milgram_level(ig, levelbuf, &level) < 0 ||
        get_integer(ig, F_STEP, 1, 0, 1000000, 0, &step) < 0 || get_bool(ig, F_DISOBEYED, 1, 0, &disobeyed) < 0)
        return -1;
    if (!s.run)
        return ingest_bad(ig, &ig->pos, "run", "a milgram_step needs the 'run' it belongs to");
    struct pending p = { .type = P_STEP, .trait = trait, .level_text = level, .step = step, .disobeyed = disobeyed };
    pending_subject(&p, &s);
    return emit(ig, &p);
}

static int record_dispatch_type(struct ingest *ig);

/* Validates and stores the record whose fields are in ig->vals, counting it and whether it was kept. */
static int record_dispatch(struct ingest *ig)
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
    return ingest_bad(ig, &ig->pos, "type", "unknown record type '%.40s' (response, behavior, "
                      "labeled_behavior, ultimatum, milgram, milgram_step)", type);
}

/* ---------- field resolution ---------- */

static void value_from_json(struct value *v, const cJSON *j)
{
    memset(v, 0, sizeof *v);
    if (!j)
        v->kind = V_ABSENT;
    else if (cJSON_IsNull(j))
        v->kind = V_NULL;
    else if (cJSON_IsString(j)) {
        v->kind = V_STRING;
        v->s = j->valuestring;
        v->len = strlen(j->valuestring);
    } else if (cJSON_IsNumber(j)) {
        v->kind = V_NUMBER;
        v->num = j->valuedouble;
    } else if (cJSON_IsBool(j)) {
        v->kind = V_BOOL;
        v->num = cJSON_IsTrue(j);
    } else {
        v->kind = V_OTHER;
        v->s = cJSON_IsArray(j) ? "an array" : "an object";
    }
}

static void value_text(struct value *v, const char *s, size_t len)
{
    v->kind = V_STRING;
    v->s = s;
    v->len = len;
    v->textual = 1;
}

/* A duplicate key is a bad line: which of the two a look-up would find is an accident of the
 * parser (cJSON keeps both), so psyfaith takes neither. */
static int duplicate_key(struct ingest *ig, int f, const struct json_dup *d, const char *pointer)
{
    if (pointer)
        return ingest_bad(ig, &ig->pos, field_names[f], "duplicate key '%s' (keys %d and %d) on JSON Pointer '%s'",
                          d->name, d->first, d->second, pointer);
    return ingest_bad(ig, &ig->pos, field_names[f], "duplicate key '%s' (keys %d and %d)", d->name, d->first,
                      d->second);
}

/* The JSON value a mapped source names: a member name, or a JSON Pointer ("/a/b").  0 with *out
 * (NULL when absent), or -1 after a duplicate key on the way. */
static int json_source(struct ingest *ig, const cJSON *rec, const char *spec, int f, const cJSON **out)
{
    struct json_dup dup;
    int pointer = spec[0] == '/';
    *out = pointer ? json_pointer_get(rec, spec, &dup) : json_member(rec, spec, &dup);
    return dup.second ? duplicate_key(ig, f, &dup, pointer ? spec : NULL) : 0;
}

/* --extract: the first capture group of the regex over the source value. */
static int apply_extractions(struct ingest *ig, const cJSON *rec, char **cols, size_t ncols)
{
    const struct mapping *m = ig->map;
    for (int f = 0; f < N_FIELDS; f++) {
        const struct field_source *fs = &m->f[f];
        if (fs->kind != SRC_EXTRACT)
            continue;
        struct value src;
        if (fs->from_field >= 0) {
            src = ig->vals[fs->from_field];
        } else if (rec) {
            const cJSON *j;
            if (json_source(ig, rec, fs->spec, f, &j) < 0)
                return -1;
            value_from_json(&src, j);
        } else {
            int c = ig->col_of_extract[f];
            memset(&src, 0, sizeof src);
            if (c >= 0 && (size_t)c < ncols)
                value_text(&src, cols[c], strlen(cols[c]));
        }
        memset(&ig->vals[f], 0, sizeof ig->vals[f]);
        char number[40];
        if (src.kind == V_ABSENT || src.kind == V_NULL)
            continue;           /* absent source: the field is absent, and says so if required */
        if (src.kind == V_NUMBER) {
            /* a number is matched as its text, as get_text formats it */
            if (src.num == floor(src.num) && fabs(src.num) < 1e15)
                snprintf(number, sizeof number, "%lld", (long long)src.num);
            else
                format_double(number, sizeof number, src.num);
            value_text(&src, number, strlen(number));
        } else if (src.kind != V_STRING) {
            return ingest_bad(ig, &ig->pos, field_names[f], "--extract: its source '%s' is %s, not text", fs->spec,
                              kind_name(&src));
        }
        pcre2_match_data *md = ig->extract_md;
        if (!md && !(md = ig->extract_md = pcre2_match_data_create(32, NULL)))
            return diag_error("out of memory");
        int rc = pcre2_match(fs->re, (PCRE2_SPTR)src.s, src.len, 0, 0, md, NULL);
        if (rc == PCRE2_ERROR_NOMATCH)
            /* silence here would put the row on the wrong subject; an optional group (?:...)? says
             * that a key may be missing */
            return ingest_bad(ig, &ig->pos, field_names[f], "--extract: the pattern does not match '%.80s' (from %s)",
                              src.s, fs->spec);
        if (rc < 0) {               /* the match limit, say: the field was not read */
            char name[128];
            snprintf(name, sizeof name, "--extract %s=%.80s", field_names[f], fs->spec);
            answer_failed(rc, name);
            return ingest_bad(ig, &ig->pos, field_names[f], "%s", answer_error());
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        if (ov[2] == PCRE2_UNSET)
            continue;
        strbuf_reset(&ig->scratch[f]);
        if (strbuf_add(&ig->scratch[f], src.s + ov[2], ov[3] - ov[2]) < 0)
            return diag_error("out of memory");
        value_text(&ig->vals[f], ig->scratch[f].buf, ov[3] - ov[2]);
    }
    return 0;
}

static void apply_constants(struct ingest *ig)
{
    for (int f = 0; f < N_FIELDS; f++)
        if (ig->map->f[f].kind == SRC_CONST)
            value_text(&ig->vals[f], ig->map->f[f].spec, strlen(ig->map->f[f].spec));
}

int ingest_json_record(struct ingest *ig, const cJSON *rec, const struct srcpos *pos)
{
    const struct mapping *m = ig->map;
    ig->pos = *pos;
    memset(ig->vals, 0, sizeof ig->vals);
    if (!cJSON_IsObject(rec) && !cJSON_IsArray(rec))
        return ingest_bad(ig, pos, NULL, "expected a JSON object");
    /* Default fields: one pass over the object's members, each name looked up once; a field's
     * key met twice is a bad line naming both positions. */
    if (cJSON_IsObject(rec)) {
        int key_at[N_FIELDS] = { 0 }, k = 0;
        for (const cJSON *c = rec->child; c; c = c->next) {
            int64_t f;
            k++;
            if (!c->string || !strmap_get(&ig->field_index, c->string, &f) || m->f[f].kind != SRC_DEFAULT)
                continue;
            if (key_at[f]) {
                struct json_dup d = { .first = key_at[f], .second = k };
                snprintf(d.name, sizeof d.name, "%s", c->string);
                return duplicate_key(ig, (int)f, &d, NULL);
            }
            key_at[f] = k;
            value_from_json(&ig->vals[f], c);
        }
    }
    for (int f = 0; f < N_FIELDS; f++)
        if (m->f[f].kind == SRC_PATH) {
            const cJSON *j;
            if (json_source(ig, rec, m->f[f].spec, f, &j) < 0)
                return -1;
            value_from_json(&ig->vals[f], j);
        }
    apply_constants(ig);
    if (apply_extractions(ig, rec, NULL, 0) < 0)
        return -1;
    return record_dispatch(ig);
}

/* ---------- CSV ---------- */

/* The column named `name`, or -1 when there is none, or -2 after reporting that there are two:
 * which one to read would be a guess, so a header naming a read column twice is an error. */
static int column_index(struct ingest *ig, const char *name, const struct srcpos *pos, const char *field)
{
    int found = -1;
    for (size_t i = 0; i < ig->n_header; i++)
        if (strcmp(ig->header[i], name) == 0) {
            if (found >= 0) {
                ingest_bad(ig, pos, field, "duplicate column '%s' (columns %d and %zu)", name, found + 1, i + 1);
                return -2;
            }
            found = (int)i;
        }
    return found;
}

int ingest_csv_header(struct ingest *ig, char **cols, size_t n, const struct srcpos *pos)
{
    const struct mapping *m = ig->map;
    ig->pos = *pos;
    if (!(ig->header = calloc(n ? n : 1, sizeof *ig->header)) ||
        !(ig->col_of_field = malloc(N_FIELDS * sizeof *ig->col_of_field)))
        return diag_error("out of memory");
    for (size_t i = 0; i < n; i++) {
        if (!(ig->header[i] = strdup(cols[i])))
            return diag_error("out of memory");
        ig->n_header = i + 1;
    }
    for (int f = 0; f < N_FIELDS; f++) {
        ig->col_of_field[f] = -1;
        ig->col_of_extract[f] = -1;
        const struct field_source *fs = &m->f[f];
        int c = 0;
        if (fs->kind == SRC_DEFAULT)
            c = ig->col_of_field[f] = column_index(ig, field_names[f], pos, field_names[f]);
        else if (fs->kind == SRC_PATH)
            c = ig->col_of_field[f] = column_index(ig, fs->spec, pos, field_names[f]);
        else if (fs->kind == SRC_EXTRACT && fs->from_field < 0)
            c = ig->col_of_extract[f] = column_index(ig, fs->spec, pos, field_names[f]);
        if (c == -2)
            return -1;                                  /* a duplicate column, reported */
        if (c == -1 && fs->kind != SRC_DEFAULT)
            return ingest_bad(ig, pos, field_names[f], "no column '%s' in the header", fs->spec);
    }
    if (ig->opt.wide)
        return wide_header(ig, pos);
    return 0;
}

int ingest_csv_row(struct ingest *ig, char **cols, size_t *lens, size_t n, const struct srcpos *pos)
{
    ig->pos = *pos;
    if (n != ig->n_header)   /* a short row names the first column it lacks */
        return ingest_bad(ig, pos, n < ig->n_header ? ig->header[n] : NULL, "expected %zu fields, found %zu",
                          ig->n_header, n);
    memset(ig->vals, 0, sizeof ig->vals);
    for (int f = 0; f < N_FIELDS; f++) {
        int c = ig->col_of_field[f];
        if (c < 0)
            continue;
        if (lens[c] == 0)
            ig->vals[f].kind = V_NULL;     /* an empty cell is a missing value */
        else
            value_text(&ig->vals[f], cols[c], lens[c]);
    }
    apply_constants(ig);
    if (apply_extractions(ig, NULL, cols, n) < 0)
        return -1;
    if (ig->opt.wide)
        return wide_row(ig, cols, lens, n);
    return record_dispatch(ig);
}

/* Wide tables: every column named by an item id of the (constant) instrument is one answer;
 * each row is its own subject, named by the mapped persona or else by its file name and line
 * ("data.csv row 2"). */
int wide_header(struct ingest *ig, const struct srcpos *pos)
{
    const char *inst_name;
    if (ig->map->f[F_INSTRUMENT].kind != SRC_CONST)
        return ingest_bad(ig, pos, "instrument", "--wide needs the instrument as a constant: --set instrument=NAME");
    inst_name = ig->map->f[F_INSTRUMENT].spec;
    if (!strmap_get(&ig->instruments, inst_name, &ig->wide_instrument))
        return ingest_bad(ig, pos, "instrument", "unknown instrument '%.80s'", inst_name);
    if (!(ig->wide_items = calloc(ig->n_header ? ig->n_header : 1, sizeof *ig->wide_items)))
        return diag_error("out of memory");
    size_t found = 0;
    for (size_t i = 0; i < ig->n_header; i++) {
        if (!item_by_code(ig, ig->wide_instrument, ig->header[i], &ig->wide_items[i]))
            continue;
        /* one answer per item and respondent: a second column of the item would store two */
        for (size_t j = 0; j < i; j++)
            if (ig->wide_items[j] == ig->wide_items[i])
                return ingest_bad(ig, pos, ig->header[i], "duplicate item column '%s' (columns %zu and %zu)",
                                  ig->header[i], j + 1, i + 1);
        found++;
    }
    if (!found)
        return ingest_bad(ig, pos, NULL, "--wide: no column is named by an item id of '%s'", inst_name);
    ig->wide_columns = found;
    return 0;
}

int wide_row(struct ingest *ig, char **cols, size_t *lens, size_t n)
{
    struct subject_fields s;
    const char *persona;
    char rowname[320];
    const char *missing = ig->map->missing;
    ig->file_records++;
    if (!present(&ig->vals[F_MODEL]))
        return ingest_bad(ig, &ig->pos, "model", "--wide needs the model: --set model=NAME or --map model=COLUMN");
    if (read_subject(ig, &s) < 0)
        return -1;
    persona = s.persona;
    if (!persona) {
        /* the file's name too: row 2 of another table is another person */
        const char *base = strrchr(ig->path, '/');
        snprintf(rowname, sizeof rowname, "%.256s row %ld", base ? base + 1 : ig->path, ig->pos.line);
        persona = rowname;
    }
    /* Validate the whole row before writing any of it. */
    for (size_t i = 0; i < n; i++) {
        long v;
        int64_t item = ig->wide_items[i];
        if (!item || lens[i] == 0 || (missing && strcmp(cols[i], missing) == 0))
            continue;
        if (parse_long(cols[i], &v) < 0 || v < 1 || v > ig->item_info[item].n_options)
            return ingest_bad(ig, &ig->pos, ig->header[i], "expected an option 1..%d, found '%.40s'",
                              ig->item_info[item].n_options, cols[i]);
    }
    s.persona = persona;
    struct pending subject_row = { .type = P_SUBJECT };
    pending_subject(&subject_row, &s);
    if (emit(ig, &subject_row) < 0)     /* every row is a respondent, even one who answered nothing */
        return -1;
    for (size_t i = 0; i < n; i++) {
        long v;
        int64_t item = ig->wide_items[i];
        if (!item)
            continue;
        if (lens[i] == 0 || (missing && strcmp(cols[i], missing) == 0)) {
            ig->wide_missing_file++;
            continue;
        }
        parse_long(cols[i], &v);
        struct pending_response r = { .item = item, .option = (int)v, .status = ANSWER_OK };
        if (emit_response(ig, &s, &r, 0) < 0)
            return -1;
    }
    ig->file_kept++;
    return 0;
}

/* ---------- files ---------- */

void ingest_hash(struct ingest *ig, const void *data, size_t n)
{
    hasher_update(&ig->hasher, data, n);
    ig->file_bytes += n;
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

