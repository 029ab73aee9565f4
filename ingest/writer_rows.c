/* ingest/writer_rows.c -- the writing side's inserts: binding a validated row's values (every
 * bind checked), finding or creating its subject, and the INSERT of each record type; write_batch()
 * stores one batch.  The per-file transaction and the reading thread are in writer.c. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "ingest/answer.h"
#include "ingest/ingest_internal.h"
#include "ingest/probs.h"
#include "store/store.h"

static void bound(struct binder *b, int rc, const char *column)
{
    if (rc != SQLITE_OK && b->rc == SQLITE_OK) {
        b->rc = rc;
        b->column = column;
    }
}

void b_int(struct binder *b, int i, const char *column, sqlite3_int64 v)
{
    bound(b, sqlite3_bind_int64(b->st, i, v), column);
}

static void b_double(struct binder *b, int i, const char *column, double v)
{
    bound(b, sqlite3_bind_double(b->st, i, v), column);
}

static void b_null(struct binder *b, int i, const char *column)
{
    bound(b, sqlite3_bind_null(b->st, i), column);
}

/* Text of len bytes (-1: up to the NUL), or NULL for a NULL value. */
void b_text(struct binder *b, int i, const char *column, const char *s, size_t len)
{
    if (!s)
        b_null(b, i, column);
    else if (len != (size_t)-1 && len > INT_MAX)
        bound(b, SQLITE_TOOBIG, column);
    else
        bound(b, sqlite3_bind_text(b->st, i, s, len == (size_t)-1 ? -1 : (int)len, SQLITE_STATIC), column);
}

/* A write failure stops the file: it names the line and, for a value SQLite would not bind, the
 * field; the whole file is then rolled back (ingest_file). */
static int write_failed(struct ingest *ig, long line, const char *column, const char *what)
{
    struct srcpos pos = { ig->path, line, 0, 0 };
    if (column)
        diag_at(&pos, "store: cannot store field '%s': %s", column, what);
    else
        diag_at(&pos, "store: cannot insert: %s", what);
    atomic_store(&ig->fatal, 1);
    return -1;
}

/* Steps the bound statement; the bindings are cleared after, so that no value of this row can
 * stand in for a parameter the next row fails to bind. */
static int step_reset_clear(struct ingest *ig, struct binder *b, long line, int clear)
{
    if (b->rc != SQLITE_OK) {
        sqlite3_clear_bindings(b->st);
        return write_failed(ig, line, b->column, sqlite3_errstr(b->rc));
    }
    int rc = sqlite3_step(b->st);
    sqlite3_reset(b->st);
    if (clear || rc != SQLITE_DONE)
        sqlite3_clear_bindings(b->st);
    if (rc == SQLITE_DONE)
        return 0;
    return write_failed(ig, line, NULL, sqlite3_errmsg(ig->db));
}

static int step_reset(struct ingest *ig, struct binder *b, long line)
{
    return step_reset_clear(ig, b, line, 1);
}

/* ---------- subjects ---------- */

/* A persona's trait and level for steerability metrics (persona_parse: "agreeableness=9", "N=9",
 * "high agreeableness").  The subject's level is a number on the persona's own scale: an extreme
 * (min/max, low/high) has the trait but no number, because that scale is not known here. */
void persona_level(const char *persona, const char **trait, double *level, int *has)
{
    struct persona_setting ps;
    *has = 0;
    *trait = NULL;
    if (persona_parse(persona, &ps) != PERSONA_TRAIT)
        return;
    *trait = ps.trait;
    if (!ps.extreme) {
        *level = ps.level;
        *has = 1;
    }
}

/* Counts a persona that is not a trait setting once per run, and only from files that are kept
 * (see struct ingest: traitless). */
static int note_traitless(struct ingest *ig, const struct pending *p)
{
    struct persona_setting ps;
    int64_t seen;
    if (!p->persona || p->persona_generated || persona_parse(p->persona, &ps) != PERSONA_OTHER ||
        (strmap_get(&ig->traitless, p->persona, &seen) && seen != 0))
        return 0;
    return strmap_put(&ig->traitless, p->persona, 2);
}

void traitless_settle(struct ingest *ig, int kept)
{
    for (size_t j = 0; j < ig->traitless.cap; j++)
        if (ig->traitless.keys && ig->traitless.keys[j] && ig->traitless.vals[j] == 2) {
            ig->traitless.vals[j] = kept ? 1 : 0;
            ig->traitless_count += kept;
        }
}

static int same_text(int has, const struct strbuf *last, const char *s)
{
    return has == (s != NULL) && (!s || strcmp(last->buf, s) == 0);
}

static int same_subject(const struct ingest *ig, const struct pending *p)
{
    return ig->last_valid && ig->last_has_temp == p->has_temp && (!p->has_temp || ig->last_temp == p->temp) &&
           strcmp(ig->last_model.buf, p->model) == 0 && same_text(ig->last_has_persona, &ig->last_persona, p->persona) &&
           same_text(ig->last_has_condition, &ig->last_condition, p->condition);
}

static int remember_subject(struct ingest *ig, const struct pending *p, int64_t id)
{
    strbuf_reset(&ig->last_model);
    strbuf_reset(&ig->last_persona);
    strbuf_reset(&ig->last_condition);
    if (strbuf_addstr(&ig->last_model, p->model) < 0 || strbuf_addstr(&ig->last_persona, p->persona ? p->persona : "") < 0 ||
        strbuf_addstr(&ig->last_condition, p->condition ? p->condition : "") < 0)
        return -1;
    ig->last_has_temp = p->has_temp;
    ig->last_temp = p->temp;
    ig->last_has_persona = p->persona != NULL;
    ig->last_has_condition = p->condition != NULL;
    ig->last_subject = id;
    ig->last_valid = 1;
    return 0;
}

static int subject_id(struct ingest *ig, const struct pending *p, int64_t *id)
{
    if (same_subject(ig, p)) {       /* logs come in runs of one subject: skip the key */
        *id = ig->last_subject;
        return 0;
    }
    struct strbuf *k = &ig->subject_key;
    strbuf_reset(k);
    strbuf_addstr(k, p->model);
    if (p->has_temp)
        strbuf_addf(k, "\x1f%.17g", p->temp);
    else
        strbuf_addstr(k, "\x1fnull");
    strbuf_addstr(k, p->persona ? "\x1f=" : "\x1f!");
    if (p->persona)
        strbuf_addstr(k, p->persona);
    strbuf_addstr(k, p->condition ? "\x1f=" : "\x1f!");
    if (p->condition)
        strbuf_addstr(k, p->condition);
    if (!k->buf)
        return diag_error("out of memory");
    if (strmap_get(&ig->subjects, k->buf, id))
        return remember_subject(ig, p, *id);
    /* Not cached: another process may have created it (concurrent ingests), so look first.  The
     * terms are those of the subject_key index, so the look-up is a search, not a scan of every
     * subject of the model (19,719 wide-table respondents of one model took 20 s). */
    sqlite3_stmt *find = ig->subject_find;
    if (!find && !(find = ig->subject_find = store_prepare(ig->db,
            "SELECT id FROM subject WHERE model = ?1 AND coalesce(temperature, 'null') = coalesce(?2, 'null') "
            "AND coalesce(persona, x'00') = coalesce(?3, x'00') AND coalesce(condition, x'00') = coalesce(?4, x'00')")))
        return -1;
    struct binder b = { find, SQLITE_OK, NULL };
    b_text(&b, 1, "model", p->model, -1);
    if (p->has_temp)
        b_double(&b, 2, "temperature", p->temp);
    else
        b_null(&b, 2, "temperature");
    b_text(&b, 3, "persona", p->persona, -1);
    b_text(&b, 4, "condition", p->condition, -1);
    int rc = b.rc == SQLITE_OK ? sqlite3_step(find) : b.rc;
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(find, 0);
    sqlite3_reset(find);
    sqlite3_clear_bindings(find);
    if (b.rc != SQLITE_OK)
        return write_failed(ig, p->line, b.column, sqlite3_errstr(b.rc));
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return write_failed(ig, p->line, NULL, sqlite3_errmsg(ig->db));
    if (rc == SQLITE_DONE) {
        const char *trait;
        double level = 0;
        int has_level;
        persona_level(p->persona, &trait, &level, &has_level);
        b.st = ig->st[S_SUBJECT];
        b_text(&b, 1, "model", p->model, -1);
        if (p->has_temp)
            b_double(&b, 2, "temperature", p->temp);
        b_text(&b, 3, "persona", p->persona, -1);
        if (trait) {
            b_text(&b, 4, "persona_trait", trait, -1);
        }
        if (has_level)
            b_double(&b, 5, "persona_level", level);
        b_text(&b, 6, "condition", p->condition, -1);
        if (step_reset(ig, &b, p->line) < 0)
            return -1;
        *id = sqlite3_last_insert_rowid(ig->db);
    }
    if (strmap_put(&ig->subjects, k->buf, *id) < 0 || note_traitless(ig, p) < 0 || remember_subject(ig, p, *id) < 0)
        return diag_error("out of memory");
    return 0;
}

/* ---------- designs ---------- */

static void key_part(struct strbuf *k, const char *s)
{
    strbuf_addstr(k, s ? "\x1f=" : "\x1f!");
    if (s)
        strbuf_addstr(k, s);
}

/* The design (template, language, variant) of response p: *id 0 when none of the three is given
 * (design_id NULL), else the id of its row in table design, found or made.  0 or -1. */
static int design_id(struct ingest *ig, const struct pending *p, int64_t *id)
{
    *id = 0;
    if (!p->tmpl && !p->language && !p->variant)
        return 0;
    struct strbuf *k = &ig->design_key;
    strbuf_reset(k);
    key_part(k, p->tmpl);
    key_part(k, p->language);
    key_part(k, p->variant);
    if (!k->buf)
        return diag_error("out of memory");
    if (strmap_get(&ig->designs, k->buf, id))
        return 0;
    /* another process may have made it (concurrent ingests): look first, by the key's terms */
    sqlite3_stmt *find = ig->design_find;
    if (!find && !(find = ig->design_find = store_prepare(ig->db,
            "SELECT id FROM design WHERE coalesce(template, x'00') = coalesce(?1, x'00') "
            "AND coalesce(language, x'00') = coalesce(?2, x'00') AND coalesce(variant, x'00') = coalesce(?3, x'00')")))
        return -1;
    struct binder b = { find, SQLITE_OK, NULL };
    b_text(&b, 1, "template", p->tmpl, -1);
    b_text(&b, 2, "language", p->language, -1);
    b_text(&b, 3, "variant", p->variant, -1);
    int rc = b.rc == SQLITE_OK ? sqlite3_step(find) : b.rc;
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(find, 0);
    sqlite3_reset(find);
    sqlite3_clear_bindings(find);
    if (b.rc != SQLITE_OK)
        return write_failed(ig, p->line, b.column, sqlite3_errstr(b.rc));
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return write_failed(ig, p->line, NULL, sqlite3_errmsg(ig->db));
    if (rc == SQLITE_DONE) {
        b.st = ig->st[S_DESIGN];
        b_text(&b, 1, "template", p->tmpl, -1);
        b_text(&b, 2, "language", p->language, -1);
        b_text(&b, 3, "variant", p->variant, -1);
        if (step_reset(ig, &b, p->line) < 0)
            return -1;
        *id = sqlite3_last_insert_rowid(ig->db);
    }
    if (strmap_put(&ig->designs, k->buf, *id) < 0)
        return diag_error("out of memory");
    return 0;
}

/* ---------- rows ---------- */

/* Binds response p to parameters base+1 .. base+RESPONSE_PARAMS of b->st. */
static void bind_response(struct ingest *ig, struct binder *b, int base, const struct pending *p, int64_t subject,
                          int64_t design)
{
    const struct item_info *info = &ig->item_info[p->item];
    if (ig->item_used && p->item > 0 && (size_t)p->item < ig->n_item_info)
        ig->item_used[p->item] = 1;     /* for ingest_check_references() */
    b_int(b, base + 1, "subject_id", subject);
    b_int(b, base + 2, "item_id", p->item);
    b_int(b, base + 3, "rep", p->rep);
    b_text(b, base + 4, "answer", p->answer, p->answer_len);
    if (p->status == ANSWER_OK) {
        b_int(b, base + 5, "option", p->option);
        /* R+ keeps the option, R- reverses it on the instrument's nominal range. */
        b_int(b, base + 6, "score", info->key > 0 ? p->option : info->n_options + 1 - p->option);
    } else {
        b_null(b, base + 5, "option");
        b_null(b, base + 6, "score");
    }
    /* lengths given, so that SQLite does not measure them again (the writing thread 1,008.5 ->
     * 1,005.0 M instructions on 100k lines: the run's 34 bytes mostly) */
    const char *status = answer_status_name(p->status);
    b_text(b, base + 7, "status", status, strlen(status));
    if (p->descending)
        b_text(b, base + 8, "option_order", "descending", sizeof "descending" - 1);
    else
        b_text(b, base + 8, "option_order", "ascending", sizeof "ascending" - 1);
    b_text(b, base + 9, "run", p->run, p->run_len);
    b_int(b, base + 10, "source_id", ig->source_id);
    b_int(b, base + 11, "line", p->line);
    if (design)
        b_int(b, base + 12, "design_id", design);
    else
        b_null(b, base + 12, "design_id");
    b_text(b, base + 13, "presented", p->presented[0] ? p->presented : NULL, -1);
}
/* A response's probabilities (issue 14 part 5), after its own single-row INSERT: response_prob
 * takes the response's rowid, so such a response never goes into a multi-row run. */
static int write_probs(struct ingest *ig, const struct pending *p)
{
    struct prob_row r;
    memcpy(&r, p->probs, sizeof r);
    struct binder b = { ig->prob_insert, SQLITE_OK, NULL };
    b_int(&b, 1, "response_id", sqlite3_last_insert_rowid(ig->db));
    b_text(&b, 2, "probs", p->probs + sizeof r, r.json_len);
    b_double(&b, 3, "outside", r.outside);
    if (isfinite(r.ev)) {
        b_double(&b, 4, "ev", r.ev);
        b_double(&b, 6, "entropy", r.entropy);
    } else {
        b_null(&b, 4, "ev");
        b_null(&b, 6, "entropy");
    }
    if (r.argmax)
        b_int(&b, 5, "argmax", r.argmax);
    else
        b_null(&b, 5, "argmax");
    b_int(&b, 7, "from_text", r.from_text);
    if (step_reset(ig, &b, p->line) < 0)
        return -1;
    ig->prob_count++;
    return 0;
}

/* The columns an ultimatum_threshold and a game_offer row share, from `first` on: trait, level,
 * the amount (named `amount_col`; NULL unless the answer gave one), total, answer, status, rep, run,
 * source_id, line. */
static void bind_amount(struct ingest *ig, struct binder *b, const struct pending *p, int first, const char *amount_col)
{
    b_text(b, first, "trait", p->trait, -1);
    if (p->level)
        b_int(b, first + 1, "level", (int)p->level);
    else
        b_null(b, first + 1, "level");
    if (p->has_amount)
        b_double(b, first + 2, amount_col, p->offer);
    else
        b_null(b, first + 2, amount_col);
    b_double(b, first + 3, "total", p->total);
    b_text(b, first + 4, "answer", p->answer, p->answer_len);
    b_text(b, first + 5, "status", answer_status_name(p->status), -1);
    b_int(b, first + 6, "rep", p->rep);
    b_text(b, first + 7, "run", p->run, -1);
    b_int(b, first + 8, "source_id", ig->source_id);
    b_int(b, first + 9, "line", p->line);
}


/* Binds the statement's values for row p (after `subject`, and for a response its `design`) into b;
 * b->st is NULL for P_SUBJECT. */
static void bind_row(struct ingest *ig, struct binder *b, const struct pending *p, int64_t subject, int64_t design)
{
    switch (p->type) {
    case P_RESPONSE:
        b->st = ig->st[S_RESPONSE];
        bind_response(ig, b, 0, p, subject, design);
        return;
    case P_BEHAVIOR:
        b->st = ig->st[S_BEHAVIOR];
        b_int(b, 1, "subject_id", subject);
        b_text(b, 2, "dimension", p->dimension, -1);
        b_text(b, 3, "occasion", p->occasion, -1);
        b_text(b, 4, "text", p->text, -1);
        b_int(b, 5, "rep", p->rep);
        b_text(b, 6, "run", p->run, -1);
        b_int(b, 7, "source_id", ig->source_id);
        b_int(b, 8, "line", p->line);
        return;
    case P_LABELED:
        b->st = ig->st[S_LABELED];
        b_text(b, 1, "dimension", p->dimension, -1);
        b_text(b, 2, "occasion", p->occasion, -1);
        b_int(b, 3, "label", p->label);
        b_text(b, 4, "text", p->text, -1);
        b_int(b, 5, "source_id", ig->source_id);
        b_int(b, 6, "line", p->line);
        return;
    case P_ULTIMATUM:
        b->st = ig->st[S_ULTIMATUM];
        b_int(b, 1, "subject_id", subject);
        b_text(b, 2, "trait", p->trait, -1);
        if (p->level)
            b_int(b, 3, "level", (int)p->level);
        else
            b_null(b, 3, "level");
        b_double(b, 4, "offer", p->offer);
        b_double(b, 5, "total", p->total);
        if (p->status == ANSWER_OK)
            b_int(b, 6, "decision", p->decision);
        else
            b_null(b, 6, "decision");
        b_text(b, 7, "answer", p->answer, p->answer_len);
        b_text(b, 8, "status", answer_status_name(p->status), -1);
        b_int(b, 9, "rep", p->rep);
        b_text(b, 10, "run", p->run, -1);
        b_int(b, 11, "source_id", ig->source_id);
        b_int(b, 12, "line", p->line);
        return;
    case P_MILGRAM:
        b->st = ig->st[S_MILGRAM];
        b_int(b, 1, "subject_id", subject);
        b_text(b, 2, "trait", p->trait, -1);
        b_text(b, 3, "level", p->level_text, -1);
        b_int(b, 4, "final_level", p->final_level);
        b_int(b, 5, "max_level", p->max_level);
        b_int(b, 6, "disobediences", p->disobediences);
        b_int(b, 7, "filtered", p->filtered);
        b_int(b, 8, "rep", p->rep);
        b_text(b, 9, "run", p->run, -1);
        b_int(b, 10, "source_id", ig->source_id);
        b_int(b, 11, "line", p->line);
        b_text(b, 12, "outcome", p->outcome, -1);
        return;
    case P_STEP:
        b->st = ig->st[S_STEP];
        b_int(b, 1, "subject_id", subject);
        b_text(b, 2, "trait", p->trait, -1);
        b_text(b, 3, "level", p->level_text, -1);
        b_text(b, 4, "run", p->run, -1);
        b_int(b, 5, "step", p->step);
        b_int(b, 6, "disobeyed", p->disobeyed);
        b_int(b, 7, "source_id", ig->source_id);
        b_int(b, 8, "line", p->line);
        return;
    case P_THRESHOLD:
        b->st = ig->st[S_THRESHOLD];
        b_int(b, 1, "subject_id", subject);
        bind_amount(ig, b, p, 2, "threshold");
        return;
    case P_OFFER:
        b->st = ig->st[S_OFFER];
        b_int(b, 1, "subject_id", subject);
        b_text(b, 2, "game", p->game, -1);
        bind_amount(ig, b, p, 3, "amount");
        return;
    case P_SUBJECT:
        b->st = NULL;
        return;
    case P_REJECT:
        b->st = ig->st[S_REJECT];
        b_int(b, 1, "source_id", ig->source_id);
        b_text(b, 2, "path", ig->path, -1);
        b_int(b, 3, "line", p->line);
        b_text(b, 4, "field", p->field, -1);
        b_text(b, 5, "reason", p->reason, -1);
        return;
    }
    b->st = NULL;
}

static void count_row(struct ingest *ig, const struct pending *p)
{
    if (p->condition && p->type != P_SUBJECT && p->type != P_LABELED && p->type != P_REJECT)
        ig->condition_records++;
    switch (p->type) {
    case P_RESPONSE: ig->type_count[R_RESPONSE]++; ig->status_count[p->status]++; break;
    case P_BEHAVIOR: ig->type_count[R_BEHAVIOR]++; break;
    case P_LABELED: ig->type_count[R_LABELED]++; break;
    case P_ULTIMATUM: ig->type_count[R_ULTIMATUM]++; ig->decision_count[p->status]++; break;
    case P_MILGRAM: ig->type_count[R_MILGRAM]++; break;
    case P_STEP: ig->type_count[R_STEP]++; break;
    case P_THRESHOLD: ig->type_count[R_THRESHOLD]++; ig->amount_count[p->status]++; break;
    case P_OFFER: ig->type_count[R_OFFER]++; ig->amount_count[p->status]++; break;
    case P_REJECT: case P_SUBJECT: break;
    }
}

/* Responses are the bulk of a study: RESPONSE_RUN of them go in with one multi-row INSERT, which
 * spends SQLite's per-statement work (cursors, program start and halt) once per run. */
static int write_response_run(struct ingest *ig, const struct pending *rows, size_t n)
{
    int64_t subjects[RESPONSE_RUN], designs[RESPONSE_RUN];
    for (size_t i = 0; i < n; i++)
        if (subject_id(ig, &rows[i], &subjects[i]) < 0 || design_id(ig, &rows[i], &designs[i]) < 0) {
            atomic_store(&ig->fatal, 1);
            return -1;
        }
    struct binder b = { ig->response_run, SQLITE_OK, NULL };
    long line = rows[0].line;
    for (size_t i = 0; i < n; i++) {
        int before = b.rc;
        bind_response(ig, &b, (int)i * RESPONSE_PARAMS, &rows[i], subjects[i], designs[i]);
        if (before == SQLITE_OK && b.rc != SQLITE_OK)
            line = rows[i].line;        /* the row whose value failed */
    }
    /* bind_response() binds every parameter of every row, so the run's bindings need no clearing
     * after a success (clearing its 13 x RESPONSE_RUN parameters was 2 % of the writing thread) */
    if (step_reset_clear(ig, &b, line, 0) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        count_row(ig, &rows[i]);
    return 0;
}

void write_batch(struct ingest *ig, struct batch *b)
{
    for (size_t i = 0; i < b->n && !atomic_load(&ig->fatal); i++) {
        const struct pending *p = &b->rows[i];
        int64_t subject = 0, design = 0;
        if (p->type == P_RESPONSE && !p->probs && i + RESPONSE_RUN <= b->n) {
            size_t run = 1;
            while (run < RESPONSE_RUN && b->rows[i + run].type == P_RESPONSE && !b->rows[i + run].probs)
                run++;
            if (run == RESPONSE_RUN) {
                write_response_run(ig, p, run);
                i += run - 1;
                continue;
            }
        }
        if ((p->type != P_LABELED && p->type != P_REJECT && subject_id(ig, p, &subject) < 0) ||
            (p->type == P_RESPONSE && design_id(ig, p, &design) < 0)) {
            atomic_store(&ig->fatal, 1);
            break;
        }
        struct binder bd = { NULL, SQLITE_OK, NULL };
        bind_row(ig, &bd, p, subject, design);
        if (!bd.st)
            continue;                   /* P_SUBJECT: the subject is all it needed */
        if (step_reset(ig, &bd, p->line) < 0)
            break;
        if (p->type == P_RESPONSE && p->probs && write_probs(ig, p) < 0)
            break;
        count_row(ig, p);
    }
}
