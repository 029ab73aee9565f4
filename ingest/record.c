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
#include "ingest/ingest_internal.h"
#include "store/store.h"

enum record_type { R_RESPONSE, R_BEHAVIOR, R_LABELED, R_ULTIMATUM, R_MILGRAM, R_STEP, N_TYPES };
static const char *const type_names[N_TYPES] = {
    "response", "behavior", "labeled_behavior", "ultimatum", "milgram", "milgram_step",
};

static const char *const insert_sql[] = {
    [S_SOURCE] = "INSERT INTO source(path, sha256, format, mapping) VALUES (?1, 'pending', ?2, ?3)",
    [S_SOURCE_DONE] = "UPDATE source SET sha256 = ?2, lines = ?3, records = ?4 WHERE id = ?1",
    [S_SOURCE_FIND] = "SELECT id FROM source WHERE sha256 = ?1",
    [S_SOURCE_DELETE] = "DELETE FROM source WHERE id = ?1",
    [S_SUBJECT] = "INSERT INTO subject(model, temperature, persona, persona_trait, persona_level) "
                  "VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_RESPONSE] = "INSERT INTO response(subject_id, item_id, rep, answer, option, score, status, "
                   "option_order, run, source_id, line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
    [S_BEHAVIOR] = "INSERT INTO behavior(subject_id, dimension, occasion, text, rep, run, source_id, "
                   "line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
    [S_LABELED] = "INSERT INTO labeled_behavior(dimension, occasion, label, text, source_id, line) "
                  "VALUES (?1,?2,?3,?4,?5,?6)",
    [S_ULTIMATUM] = "INSERT INTO ultimatum(subject_id, trait, level, offer, total, decision, answer, "
                    "status, rep, run, source_id, line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
    [S_MILGRAM] = "INSERT INTO milgram(subject_id, trait, level, final_level, max_level, disobediences, "
                  "filtered, rep, run, source_id, line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
    [S_STEP] = "INSERT INTO milgram_step(subject_id, trait, level, run, step, disobeyed, source_id, "
               "line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
    [S_REJECT] = "INSERT INTO reject(source_id, path, line, field, reason) VALUES (?1,?2,?3,?4,?5)",
};

/* ---------- set-up ---------- */

static int load_items(struct ingest *ig)
{
    sqlite3_stmt *st = store_prepare(ig->db,
        "SELECT i.id, i.code, i.position, i.key, i.norm_text, n.id, n.name, n.n_options "
        "FROM item i JOIN instrument n ON n.id = i.instrument_id");
    char key[4096];
    int rc;
    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0), inst = sqlite3_column_int64(st, 5);
        if (id <= 0 || id > 50000000)
            continue;                                   /* ids come from our own schema */
        if ((size_t)id >= ig->n_item_info) {
            size_t n = (size_t)id + 1024;
            struct item_info *p = realloc(ig->item_info, n * sizeof *p);
            if (!p)
                goto oom;
            memset(p + ig->n_item_info, 0, (n - ig->n_item_info) * sizeof *p);
            ig->item_info = p;
            ig->n_item_info = n;
        }
        ig->item_info[id].key = (signed char)sqlite3_column_int(st, 3);
        ig->item_info[id].n_options = sqlite3_column_int(st, 7);
        snprintf(key, sizeof key, "%lld\x1f%s", (long long)inst, store_col_text(st, 1));
        if (strmap_put(&ig->item_by_code, key, id) < 0)
            goto oom;
        snprintf(key, sizeof key, "%lld\x1f#%d", (long long)inst, sqlite3_column_int(st, 2));
        if (strmap_put(&ig->item_by_code, key, id) < 0)
            goto oom;
        snprintf(key, sizeof key, "%lld\x1f%s", (long long)inst, store_col_text(st, 4));
        if (strmap_put(&ig->item_by_text, key, id) < 0)
            goto oom;
        if (strmap_put(&ig->instruments, store_col_text(st, 6), inst) < 0)
            goto oom;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return diag_error("store: cannot read item banks: %s", sqlite3_errmsg(ig->db));
    return 0;
oom:
    sqlite3_finalize(st);
    return diag_error("out of memory");
}

struct ingest *ingest_new(sqlite3 *db, const struct ingest_options *opt, struct mapping *map)
{
    struct ingest *ig = calloc(1, sizeof *ig);
    if (!ig) {
        diag_error("out of memory");
        return NULL;
    }
    ig->db = db;
    ig->opt = *opt;
    ig->map = map;
    ig->progress_tty = !opt->quiet && isatty(2);
    for (int i = 0; i < N_FIELDS; i++)
        if (strmap_put(&ig->field_index, field_names[i], i) < 0)
            goto fail;
    for (size_t i = 0; i < N_STMTS; i++)
        if (!(ig->st[i] = store_prepare(db, insert_sql[i])))
            goto fail;
    if (answer_init() < 0 || load_items(ig) < 0)
        goto fail;
    return ig;
fail:
    ingest_free(ig);
    return NULL;
}

void ingest_free(struct ingest *ig)
{
    if (!ig)
        return;
    for (size_t i = 0; i < N_STMTS; i++)
        sqlite3_finalize(ig->st[i]);
    strmap_free(&ig->field_index);
    strmap_free(&ig->instruments);
    strmap_free(&ig->item_by_code);
    strmap_free(&ig->item_by_text);
    strmap_free(&ig->subjects);
    free(ig->item_info);
    free(ig->col_of_field);
    free(ig->wide_items);
    for (size_t i = 0; i < ig->n_header; i++)
        free(ig->header[i]);
    free(ig->header);
    for (int i = 0; i < N_FIELDS; i++)
        strbuf_free(&ig->scratch[i]);
    strbuf_free(&ig->keybuf);
    answer_free();
    free(ig);
}

const struct mapping *ingest_mapping(const struct ingest *ig)
{
    return ig->map;
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
        sqlite3_stmt *st = ig->st[S_REJECT];
        sqlite3_bind_int64(st, 1, ig->source_id);
        sqlite3_bind_text(st, 2, ig->path, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, pos->line);
        if (field)
            sqlite3_bind_text(st, 4, field, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(st, 4);
        sqlite3_bind_text(st, 5, msg, -1, SQLITE_TRANSIENT);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        if (rc != SQLITE_DONE) {
            ig->fatal = 1;
            diag_error("store: cannot record a rejected line: %s", sqlite3_errmsg(ig->db));
        }
    }
    return -1;
}

/* Whether the reader should stop: a store failure, or too many errors without --skip-bad. */
int ingest_should_stop(const struct ingest *ig)
{
    return ig->fatal || (!ig->opt.skip_bad && ig->file_errors > MAX_REPORTED_ERRORS);
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
        *out = v->s;
        return 0;
    }
    if (v->kind == V_NUMBER) {
        strbuf_reset(&ig->scratch[f]);
        if (v->num == floor(v->num) && fabs(v->num) < 1e15)
            strbuf_addf(&ig->scratch[f], "%lld", (long long)v->num);
        else
            strbuf_addf(&ig->scratch[f], "%.17g", v->num);
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

/* Persona "agreeableness=9" or "AGR=9" carries a trait and a level for steerability metrics. */
static void persona_level(const char *persona, const char **trait, double *level, int *has)
{
    char name[64];
    const char *eq = persona ? strchr(persona, '=') : NULL;
    *has = 0;
    *trait = NULL;
    if (!eq || (size_t)(eq - persona) >= sizeof name)
        return;
    size_t n = (size_t)(eq - persona);
    memcpy(name, persona, n);
    while (n && isspace((unsigned char)name[n - 1]))
        n--;
    name[n] = '\0';
    int rev;
    const char *code = dimension_canonical(name, &rev);
    double d;
    if (!code || rev || parse_double(eq + 1, &d) < 0)
        return;
    *trait = code;
    *level = d;
    *has = 1;
}

static int subject_id(struct ingest *ig, const char *model, int has_temp, double temp,
                      const char *persona, int64_t *id)
{
    struct strbuf *k = &ig->keybuf;
    strbuf_reset(k);
    strbuf_addstr(k, model);
    if (has_temp)
        strbuf_addf(k, "\x1f%.17g", temp);
    else
        strbuf_addstr(k, "\x1fnull");
    strbuf_addstr(k, persona ? "\x1f=" : "\x1f!");
    if (persona)
        strbuf_addstr(k, persona);
    if (!k->buf)
        return diag_error("out of memory");
    if (strmap_get(&ig->subjects, k->buf, id))
        return 0;
    /* Not cached: another process may have created it (concurrent ingests), so look first. */
    sqlite3_stmt *find = ig->subject_find;
    if (!find && !(find = ig->subject_find = store_prepare(ig->db,
            "SELECT id FROM subject WHERE model = ?1 AND temperature IS ?2 AND persona IS ?3")))
        return -1;
    sqlite3_bind_text(find, 1, model, -1, SQLITE_STATIC);
    if (has_temp)
        sqlite3_bind_double(find, 2, temp);
    else
        sqlite3_bind_null(find, 2);
    if (persona)
        sqlite3_bind_text(find, 3, persona, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(find, 3);
    int rc = sqlite3_step(find);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(find, 0);
    sqlite3_reset(find);
    sqlite3_clear_bindings(find);
    if (rc != SQLITE_ROW) {
        sqlite3_stmt *st = ig->st[S_SUBJECT];
        const char *trait;
        double level = 0;
        int has_level;
        persona_level(persona, &trait, &level, &has_level);
        sqlite3_bind_text(st, 1, model, -1, SQLITE_STATIC);
        if (has_temp)
            sqlite3_bind_double(st, 2, temp);
        if (persona)
            sqlite3_bind_text(st, 3, persona, -1, SQLITE_STATIC);
        if (has_level) {
            sqlite3_bind_text(st, 4, trait, -1, SQLITE_STATIC);
            sqlite3_bind_double(st, 5, level);
        }
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        if (rc != SQLITE_DONE) {
            ig->fatal = 1;
            return diag_error("store: cannot add subject: %s", sqlite3_errmsg(ig->db));
        }
        *id = sqlite3_last_insert_rowid(ig->db);
    }
    if (strmap_put(&ig->subjects, k->buf, *id) < 0)
        return diag_error("out of memory");
    return 0;
}

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

static int step_insert(struct ingest *ig, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) {
        ig->fatal = 1;
        return diag_at(&ig->pos, "store: cannot insert: %s", sqlite3_errmsg(ig->db));
    }
    return 0;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
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

static int store_response(struct ingest *ig, int64_t subject, const struct subject_fields *s,
                          const struct pending_response *r, int descending)
{
    sqlite3_stmt *st = ig->st[S_RESPONSE];
    const struct item_info *info = &ig->item_info[r->item];
    sqlite3_bind_int64(st, 1, subject);
    sqlite3_bind_int64(st, 2, r->item);
    sqlite3_bind_int64(st, 3, s->rep);
    if (r->answer)
        sqlite3_bind_text(st, 4, r->answer, (int)r->answer_len, SQLITE_STATIC);
    if (r->status == ANSWER_OK) {
        sqlite3_bind_int(st, 5, r->option);
        /* R+ keeps the option, R- reverses it on the instrument's nominal range. */
        sqlite3_bind_int(st, 6, info->key > 0 ? r->option : info->n_options + 1 - r->option);
    }
    sqlite3_bind_text(st, 7, answer_status_name(r->status), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, descending ? "descending" : "ascending", -1, SQLITE_STATIC);
    bind_text_or_null(st, 9, s->run);
    sqlite3_bind_int64(st, 10, ig->source_id);
    sqlite3_bind_int64(st, 11, ig->pos.line);
    if (step_insert(ig, st) < 0)
        return -1;
    ig->status_count[r->status]++;
    return 0;
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
    if (!(md = pcre2_match_data_create_from_pattern(m->answers_re, NULL)))
        return diag_error("out of memory");
    while (start <= len && pcre2_match(m->answers_re, (PCRE2_SPTR)text, len, start, 0, md, NULL) >= 0) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        size_t li = 2 * (size_t)m->answers_item_group, ai = 2 * (size_t)m->answers_answer_group;
        start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
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
        if (merge_repeat(parts, n, r) < 0) {
            diag_error("out of memory");
            goto out;
        }
        if (r->item)
            n++;
    }
    if (n == 0) {
        ingest_bad(ig, &ig->pos, "answer", "--answers-regex found no answers in '%.60s'", text);
        goto out;
    }
    int64_t subject;
    if (subject_id(ig, s->model, s->has_temp, s->temp, s->persona, &subject) < 0)
        goto out;
    for (size_t i = 0; i < n; i++)
        if (store_response(ig, subject, s, &parts[i], descending) < 0)
            goto out;
    ig->type_count[R_RESPONSE] += n;
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
    int64_t inst, subject;
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
    } else {
        return ingest_bad(ig, &ig->pos, "answer", "a response needs 'answer' or 'option'");
    }
    if (subject_id(ig, s.model, s.has_temp, s.temp, s.persona, &subject) < 0 ||
        store_response(ig, subject, &s, &r, descending) < 0)
        return -1;
    ig->type_count[R_RESPONSE]++;
    return 0;
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
    int64_t subject;
    if (read_subject(ig, &s) < 0 || get_dimension(ig, F_DIMENSION, 1, &dim, &reverse) < 0 ||
        nonempty_text(ig, F_OCCASION, &occasion) < 0 || nonempty_text(ig, F_TEXT, &text) < 0 ||
        subject_id(ig, s.model, s.has_temp, s.temp, s.persona, &subject) < 0)
        return -1;
    sqlite3_stmt *st = ig->st[S_BEHAVIOR];
    sqlite3_bind_int64(st, 1, subject);
    sqlite3_bind_text(st, 2, dim, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, occasion, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, s.rep);
    bind_text_or_null(st, 6, s.run);
    sqlite3_bind_int64(st, 7, ig->source_id);
    sqlite3_bind_int64(st, 8, ig->pos.line);
    if (step_insert(ig, st) < 0)
        return -1;
    ig->type_count[R_BEHAVIOR]++;
    return 0;
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
    sqlite3_stmt *st = ig->st[S_LABELED];
    sqlite3_bind_text(st, 1, dim, -1, SQLITE_STATIC);
    bind_text_or_null(st, 2, occasion);
    sqlite3_bind_int(st, 3, label);
    sqlite3_bind_text(st, 4, text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, ig->source_id);
    sqlite3_bind_int64(st, 6, ig->pos.line);
    if (step_insert(ig, st) < 0)
        return -1;
    ig->type_count[R_LABELED]++;
    return 0;
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
    int64_t subject;
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
    }
    if (subject_id(ig, s.model, s.has_temp, s.temp, s.persona, &subject) < 0)
        return -1;
    sqlite3_stmt *st = ig->st[S_ULTIMATUM];
    sqlite3_bind_int64(st, 1, subject);
    bind_text_or_null(st, 2, trait);
    if (level)
        sqlite3_bind_int(st, 3, (int)level);
    sqlite3_bind_double(st, 4, offer);
    sqlite3_bind_double(st, 5, total);
    if (status == ANSWER_OK)
        sqlite3_bind_int(st, 6, accept);
    bind_text_or_null(st, 7, answer);
    sqlite3_bind_text(st, 8, answer_status_name(status), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, s.rep);
    bind_text_or_null(st, 10, s.run);
    sqlite3_bind_int64(st, 11, ig->source_id);
    sqlite3_bind_int64(st, 12, ig->pos.line);
    if (step_insert(ig, st) < 0)
        return -1;
    ig->type_count[R_ULTIMATUM]++;
    ig->decision_count[status]++;
    return 0;
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
    int64_t subject;
    if (read_subject(ig, &s) < 0 || read_trait(ig, &trait) < 0 || read_milgram_level(ig, levelbuf, &level) < 0 ||
        get_integer(ig, F_FINAL_LEVEL, 1, 0, 1000000, 0, &final_level) < 0 ||
        get_integer(ig, F_MAX_LEVEL, 1, 1, 1000000, 0, &max_level) < 0 ||
        get_integer(ig, F_DISOBEDIENCES, 0, 0, 1000000, 0, &disob) < 0 ||
        get_bool(ig, F_FILTERED, 0, 0, &filtered) < 0)
        return -1;
    if (final_level > max_level)
        return ingest_bad(ig, &ig->pos, "final_level", "final level %ld is above max_level %ld", final_level,
                          max_level);
    if (subject_id(ig, s.model, s.has_temp, s.temp, s.persona, &subject) < 0)
        return -1;
    sqlite3_stmt *st = ig->st[S_MILGRAM];
    sqlite3_bind_int64(st, 1, subject);
    bind_text_or_null(st, 2, trait);
    bind_text_or_null(st, 3, level);
    sqlite3_bind_int64(st, 4, final_level);
    sqlite3_bind_int64(st, 5, max_level);
    sqlite3_bind_int64(st, 6, disob);
    sqlite3_bind_int(st, 7, filtered);
    sqlite3_bind_int64(st, 8, s.rep);
    bind_text_or_null(st, 9, s.run);
    sqlite3_bind_int64(st, 10, ig->source_id);
    sqlite3_bind_int64(st, 11, ig->pos.line);
    if (step_insert(ig, st) < 0)
        return -1;
    ig->type_count[R_MILGRAM]++;
    return 0;
}

static int record_step(struct ingest *ig)
{
    struct subject_fields s;
    const char *trait, *level;
    char levelbuf[8];
    long step;
    int disobeyed;
    int64_t subject;
    if (read_subject(ig, &s) < 0 || read_trait(ig, &trait) < 0 || read_milgram_level(ig, levelbuf, &level) < 0 ||
        get_integer(ig, F_STEP, 1, 0, 1000000, 0, &step) < 0 || get_bool(ig, F_DISOBEYED, 1, 0, &disobeyed) < 0)
        return -1;
    if (!s.run)
        return ingest_bad(ig, &ig->pos, "run", "a milgram_step needs the 'run' it belongs to");
    if (subject_id(ig, s.model, s.has_temp, s.temp, s.persona, &subject) < 0)
        return -1;
    sqlite3_stmt *st = ig->st[S_STEP];
    sqlite3_bind_int64(st, 1, subject);
    bind_text_or_null(st, 2, trait);
    bind_text_or_null(st, 3, level);
    sqlite3_bind_text(st, 4, s.run, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, step);
    sqlite3_bind_int(st, 6, disobeyed);
    sqlite3_bind_int64(st, 7, ig->source_id);
    sqlite3_bind_int64(st, 8, ig->pos.line);
    if (step_insert(ig, st) < 0)
        return -1;
    ig->type_count[R_STEP]++;
    return 0;
}

/* Validates and stores the record whose fields are in ig->vals. */
static int record_dispatch(struct ingest *ig)
{
    const char *type;
    ig->file_records++;
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
            value_from_json(&src, fs->spec[0] == '/' ? json_pointer_get(rec, fs->spec)
                                                     : cJSON_GetObjectItemCaseSensitive(rec, fs->spec));
        } else {
            int c = ig->col_of_extract[f];
            memset(&src, 0, sizeof src);
            if (c >= 0 && (size_t)c < ncols)
                value_text(&src, cols[c], strlen(cols[c]));
        }
        memset(&ig->vals[f], 0, sizeof ig->vals[f]);
        if (src.kind != V_STRING)
            continue;           /* absent source: the field is absent, and says so if required */
        pcre2_match_data *md = ig->extract_md;
        if (!md && !(md = ig->extract_md = pcre2_match_data_create(32, NULL)))
            return diag_error("out of memory");
        if (pcre2_match(fs->re, (PCRE2_SPTR)src.s, src.len, 0, 0, md, NULL) < 0)
            continue;
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
    /* Default fields: one pass over the object's members, each name looked up once. */
    if (cJSON_IsObject(rec))
        for (const cJSON *c = rec->child; c; c = c->next) {
            int64_t f;
            if (c->string && strmap_get(&ig->field_index, c->string, &f) && m->f[f].kind == SRC_DEFAULT)
                value_from_json(&ig->vals[f], c);
        }
    for (int f = 0; f < N_FIELDS; f++)
        if (m->f[f].kind == SRC_PATH)
            value_from_json(&ig->vals[f], m->f[f].spec[0] == '/'
                                              ? json_pointer_get(rec, m->f[f].spec)
                                              : cJSON_GetObjectItemCaseSensitive(rec, m->f[f].spec));
    apply_constants(ig);
    if (apply_extractions(ig, rec, NULL, 0) < 0)
        return -1;
    return record_dispatch(ig);
}

/* ---------- CSV ---------- */

static int column_index(struct ingest *ig, const char *name)
{
    for (size_t i = 0; i < ig->n_header; i++)
        if (strcmp(ig->header[i], name) == 0)
            return (int)i;
    return -1;
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
        if (fs->kind == SRC_DEFAULT)
            ig->col_of_field[f] = column_index(ig, field_names[f]);
        else if (fs->kind == SRC_PATH && (ig->col_of_field[f] = column_index(ig, fs->spec)) < 0)
            return ingest_bad(ig, pos, field_names[f], "no column '%s' in the header", fs->spec);
        else if (fs->kind == SRC_EXTRACT && fs->from_field < 0 &&
                 (ig->col_of_extract[f] = column_index(ig, fs->spec)) < 0)
            return ingest_bad(ig, pos, field_names[f], "no column '%s' in the header", fs->spec);
    }
    if (ig->opt.wide)
        return wide_header(ig, pos);
    return 0;
}

int ingest_csv_row(struct ingest *ig, char **cols, size_t *lens, size_t n, const struct srcpos *pos)
{
    ig->pos = *pos;
    if (n != ig->n_header)
        return ingest_bad(ig, pos, NULL, "expected %zu fields, found %zu", ig->n_header, n);
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
 * each row is its own subject, named by the mapped persona or else by its line. */
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
    for (size_t i = 0; i < ig->n_header; i++)
        if (item_by_code(ig, ig->wide_instrument, ig->header[i], &ig->wide_items[i]))
            found++;
    if (!found)
        return ingest_bad(ig, pos, NULL, "--wide: no column is named by an item id of '%s'", inst_name);
    ig->wide_columns = found;
    return 0;
}

int wide_row(struct ingest *ig, char **cols, size_t *lens, size_t n)
{
    struct subject_fields s;
    const char *persona;
    char rowname[48];
    int64_t subject;
    const char *missing = ig->map->missing;
    if (!present(&ig->vals[F_MODEL]))
        return ingest_bad(ig, &ig->pos, "model", "--wide needs the model: --set model=NAME or --map model=COLUMN");
    if (read_subject(ig, &s) < 0)
        return -1;
    persona = s.persona;
    if (!persona) {
        snprintf(rowname, sizeof rowname, "row %ld", ig->pos.line);
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
    if (subject_id(ig, s.model, s.has_temp, s.temp, persona, &subject) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        long v;
        int64_t item = ig->wide_items[i];
        if (!item)
            continue;
        if (lens[i] == 0 || (missing && strcmp(cols[i], missing) == 0)) {
            ig->wide_missing++;
            continue;
        }
        parse_long(cols[i], &v);
        struct pending_response r = { .item = item, .option = (int)v, .status = ANSWER_OK };
        if (store_response(ig, subject, &s, &r, 0) < 0)
            return -1;
        ig->type_count[R_RESPONSE]++;
    }
    return 0;
}

/* ---------- files ---------- */

void ingest_hash(struct ingest *ig, const void *data, size_t n)
{
    hasher_update(&ig->hasher, data, n);
    ig->file_bytes += n;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void ingest_progress(struct ingest *ig, size_t bytes)
{
    if (!ig->progress_tty)
        return;
    double t = now_seconds();
    if (t - ig->progress_last < 0.5)
        return;
    if (ig->progress_last == 0) {
        ig->progress_last = t;      /* small files finish before the first report */
        return;
    }
    ig->progress_last = t;
    double secs = t - ig->file_start;
    fprintf(stderr, "\r%s: %.1f MB, %ld records, %.0f records/s   ", ig->path, bytes / 1e6,
            ig->file_records, secs > 0 ? ig->file_records / secs : 0.0);
    ig->progress_shown = 1;
}

static const char *format_by_extension(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return NULL;
    if (strcasecmp(dot, ".jsonl") == 0 || strcasecmp(dot, ".ndjson") == 0)
        return "jsonl";
    if (strcasecmp(dot, ".json") == 0)
        return "json";
    if (strcasecmp(dot, ".csv") == 0 || strcasecmp(dot, ".tsv") == 0 || strcasecmp(dot, ".txt") == 0)
        return "csv";
    return NULL;
}

static int open_input(const char *path, int *fd)
{
    struct stat sb;
    if (strcmp(path, "-") == 0) {
        *fd = 0;
        return 0;
    }
    if ((*fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return diag_error("cannot open '%s': %s", path, strerror(errno));
    if (fstat(*fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        close(*fd);
        return diag_error("'%s' is a directory, not a log file", path);
    }
    return 0;
}

static void reset_file_state(struct ingest *ig)
{
    for (size_t i = 0; i < ig->n_header; i++)
        free(ig->header[i]);
    free(ig->header);
    free(ig->col_of_field);
    free(ig->wide_items);
    ig->header = NULL;
    ig->col_of_field = NULL;
    ig->wide_items = NULL;
    ig->n_header = 0;
    ig->file_errors = 0;
    ig->file_records = 0;
    ig->file_bytes = 0;
    ig->file_lines = 0;
    ig->progress_last = 0;
    ig->progress_shown = 0;
    pcre2_match_data_free(ig->extract_md);
    ig->extract_md = NULL;
    hasher_free(&ig->hasher);
}

/* After reading: look the content hash up; skip, replace (--force) or record the new source. */
static int finish_source(struct ingest *ig, const char *hex)
{
    sqlite3_stmt *find = ig->st[S_SOURCE_FIND];
    int64_t old = 0;
    sqlite3_bind_text(find, 1, hex, -1, SQLITE_STATIC);
    int rc = sqlite3_step(find);
    if (rc == SQLITE_ROW)
        old = sqlite3_column_int64(find, 0);
    sqlite3_reset(find);
    sqlite3_clear_bindings(find);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return diag_error("store: %s", sqlite3_errmsg(ig->db));
    if (old && !ig->opt.force) {
        diag_note("skipped '%s': the same content was ingested before as source %lld (--force replaces it)",
                  ig->path, (long long)old);
        return 1;
    }
    if (old) {
        sqlite3_stmt *del = ig->st[S_SOURCE_DELETE];
        sqlite3_bind_int64(del, 1, old);
        if (step_insert(ig, del) < 0)
            return -1;
        diag_note("replaced source %lld with '%s' (--force)", (long long)old, ig->path);
    }
    sqlite3_stmt *st = ig->st[S_SOURCE_DONE];
    sqlite3_bind_int64(st, 1, ig->source_id);
    sqlite3_bind_text(st, 2, hex, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, ig->file_lines);
    sqlite3_bind_int64(st, 4, ig->file_records);
    return step_insert(ig, st);
}

int ingest_file(struct ingest *ig, const char *path)
{
    const struct mapping *m = ig->map;
    const char *format = ig->opt.format ? ig->opt.format : m->format;
    int fd = -1, ret = -1, rc;
    char hex[65];
    size_t before[N_TYPES];
    long status_before[4], decision_before[4];
    memcpy(before, ig->type_count, sizeof before);
    memcpy(status_before, ig->status_count, sizeof status_before);
    memcpy(decision_before, ig->decision_count, sizeof decision_before);
    reset_file_state(ig);
    ig->path = path;
    if (!format)
        format = m->jq ? "jsonl" : format_by_extension(path);
    if (!format) {
        if (strcmp(path, "-") == 0)
            format = "jsonl";
        else
            return diag_error("'%s': cannot tell the format from the name; give --format jsonl|csv|json", path);
    }
    if (ig->opt.wide)
        format = "csv";
    if (open_input(path, &fd) < 0)
        return -1;
    if (hasher_init(&ig->hasher) < 0) {
        diag_error("out of memory");
        goto out;
    }
    if (store_begin(ig->db) < 0)
        goto out;
    strmap_clear(&ig->subjects);  /* another process may have changed the store since */
    sqlite3_stmt *src = ig->st[S_SOURCE];
    sqlite3_bind_text(src, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_text(src, 2, ig->opt.wide ? "wide" : format, -1, SQLITE_STATIC);
    sqlite3_bind_text(src, 3, mapping_text(m), -1, SQLITE_STATIC);
    if (step_insert(ig, src) < 0)
        goto out;
    ig->source_id = sqlite3_last_insert_rowid(ig->db);
    ig->file_start = now_seconds();

    if (m->jq)
        rc = read_jq(ig, fd, path, m->jq);
    else if (strcmp(format, "jsonl") == 0)
        rc = read_jsonl(ig, fd, path);
    else if (strcmp(format, "json") == 0)
        rc = read_json_document(ig, fd, path, m->records);
    else
        rc = read_csv(ig, fd, path, ig->opt.delimiter ? ig->opt.delimiter : m->delimiter);
    if (ig->progress_shown)
        fputs("\r\033[K", stderr);
    if (rc < 0 || ig->fatal || (ig->file_errors && !ig->opt.skip_bad)) {
        if (ig->file_errors && !ig->opt.skip_bad && !ig->fatal)
            diag_note("nothing of '%s' was stored (%ld bad line%s; --skip-bad keeps the good ones)", path,
                      ig->file_errors, ig->file_errors == 1 ? "" : "s");
        goto out;
    }
    if (ig->file_records == 0 && ig->file_errors == 0) {
        diag_error("'%s': no records found (empty file?)", path);
        goto out;
    }
    hasher_hex(&ig->hasher, hex);
    if ((rc = finish_source(ig, hex)) < 0)
        goto out;
    if (rc == 1) {
        store_rollback(ig->db);
        ret = 1;
        goto restore;
    }
    if (store_commit(ig->db) < 0)
        goto restore;
    if (ig->opt.skip_bad && ig->file_errors)
        diag_note("'%s': kept the good lines, %ld bad line%s recorded in rejects", path, ig->file_errors,
                  ig->file_errors == 1 ? "" : "s");
    ig->files_done++;
    ret = 0;
    goto done;
out:
    store_rollback(ig->db);
restore:
    /* Counts describe what the store holds: undo this file's share when it was not kept. */
    memcpy(ig->type_count, before, sizeof before);
    memcpy(ig->status_count, status_before, sizeof status_before);
    memcpy(ig->decision_count, decision_before, sizeof decision_before);
done:
    strmap_clear(&ig->subjects);
    if (fd > 0)
        close(fd);
    return ret;
}

void ingest_print_summary(const struct ingest *ig)
{
    if (ig->opt.quiet)
        return;
    fprintf(stderr, "psyfaith: ingested %ld file%s:", ig->files_done, ig->files_done == 1 ? "" : "s");
    int any = 0;
    for (int t = 0; t < N_TYPES; t++)
        if (ig->type_count[t]) {
            fprintf(stderr, "%s %zu %s", any ? "," : "", ig->type_count[t], type_names[t]);
            any = 1;
        }
    if (!any)
        fputs(" no records", stderr);
    fputc('\n', stderr);
    if (ig->type_count[R_RESPONSE])
        fprintf(stderr, "psyfaith: responses: %ld ok, %ld ambiguous, %ld refusal, %ld unparsed\n",
                ig->status_count[ANSWER_OK], ig->status_count[ANSWER_AMBIGUOUS],
                ig->status_count[ANSWER_REFUSAL], ig->status_count[ANSWER_UNPARSED]);
    if (ig->type_count[R_ULTIMATUM])
        fprintf(stderr, "psyfaith: ultimatum decisions: %ld ok, %ld ambiguous, %ld refusal, %ld unparsed\n",
                ig->decision_count[ANSWER_OK], ig->decision_count[ANSWER_AMBIGUOUS],
                ig->decision_count[ANSWER_REFUSAL], ig->decision_count[ANSWER_UNPARSED]);
    if (ig->wide_missing)
        fprintf(stderr, "psyfaith: wide table: %ld answers missing\n", ig->wide_missing);
}
