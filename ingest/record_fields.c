/* ingest/record_fields.c -- field resolution: a JSON record or a CSV row, through the mapping
 * (JSON pointers, extractions, constants), into ig->vals; then record_dispatch(). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ingest/answer.h"
#include "ingest/ingest_internal.h"
#include "ingest/pointer.h"

/* ---------- field resolution ---------- */

/* The node's type read as cJSON's own cJSON_Is* functions read it (type & 0xFF), without a call
 * into the library for each test (1 % of the reading thread). */
static void value_from_json(struct value *v, const cJSON *j)
{
    memset(v, 0, sizeof *v);
    v->json = j;
    int type = j ? j->type & 0xFF : cJSON_Invalid;
    if (!j)
        v->kind = V_ABSENT;
    else if (type == cJSON_NULL)
        v->kind = V_NULL;
    else if (type == cJSON_String) {
        v->kind = V_STRING;
        v->s = j->valuestring;
        v->len = strlen(j->valuestring);
    } else if (type == cJSON_Number) {
        v->kind = V_NUMBER;
        v->num = j->valuedouble;
    } else if (type == cJSON_True || type == cJSON_False) {
        v->kind = V_BOOL;
        v->num = type == cJSON_True;
    } else {
        v->kind = V_OTHER;
        v->s = type == cJSON_Array ? "an array" : "an object";
        v->json = j;
    }
}

static void value_text(struct value *v, const char *s, size_t len)
{
    v->json = NULL;             /* not JSON's own string: get_text looks for a NUL in it */
    v->kind = V_STRING;
    v->s = s;
    v->len = len;
    v->textual = 1;
}

/* A duplicate key is a bad line: which of the two a look-up would find is an accident of the
 * parser (cJSON keeps both), so psyfaith takes neither. */
static int duplicate_key(struct ingest *ig, int f, const struct json_dup *d, const char *pointer)
{
    const char *field = f < 0 ? "reject" : field_names[f];    /* -1: a reject rule's source */
    if (pointer)
        return ingest_bad(ig, &ig->pos, field, "duplicate key '%s' (keys %d and %d) on JSON Pointer '%s'",
                          d->name, d->first, d->second, pointer);
    return ingest_bad(ig, &ig->pos, field, "duplicate key '%s' (keys %d and %d)", d->name, d->first, d->second);
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

/* Whether an --extract of field f fills it only when the record lacks it (the default), so that
 * one file can mix records that have the field with records it is derived for.  It replaces the
 * record's own value under --extract-override, and when its source is the field's own key
 * ("--extract item=/item~Q(\\d+)": a clean-up of that value). */
static int extract_fills_only(const struct mapping *m, int f)
{
    const char *spec = m->f[f].spec;
    if (m->extract_override)
        return 0;
    return !(spec && spec[0] == '/' && strcmp(spec + 1, field_names[f]) == 0);
}

void field_plan_init(struct ingest *ig)
{
    const struct mapping *m = ig->map;
    _Static_assert(N_FIELDS <= 64, "vals_set has a bit per field");
    ig->n_path_fields = ig->n_const_fields = ig->n_extract_fields = 0;
    ig->mapped_fields = 0;
    for (int f = 0; f < N_FIELDS; f++) {
        enum source_kind kind = m->f[f].kind;
        ig->take_key[f] = kind == SRC_DEFAULT || (kind == SRC_EXTRACT && extract_fills_only(m, f));
        if (kind == SRC_PATH)
            ig->path_fields[ig->n_path_fields++] = f;
        else if (kind == SRC_CONST)
            ig->const_fields[ig->n_const_fields++] = f;
        else if (kind == SRC_EXTRACT)
            ig->extract_fields[ig->n_extract_fields++] = f;
        if (kind == SRC_PATH || kind == SRC_CONST || kind == SRC_EXTRACT)
            ig->mapped_fields |= (uint64_t)1 << f;
    }
    memset(ig->key_memo, 0, sizeof ig->key_memo);
    memset(ig->vals, 0, sizeof ig->vals);
    ig->vals_set = 0;
}

/* Clears the fields an earlier record may have set (vals_set) and marks those this one may set
 * besides its own members (mapped_fields); ingest_json_record() adds each member's field. */
static void json_vals_reset(struct ingest *ig)
{
    for (uint64_t m = ig->vals_set; m; m &= m - 1)
        memset(&ig->vals[__builtin_ctzll(m)], 0, sizeof ig->vals[0]);
    ig->vals_set = ig->mapped_fields;
}

/* The field a JSON record's member `name` at position k (0-based) fills, or -1: from the memo of
 * earlier records' names at that position, else from field_index (and remembered). */
static int member_field(struct ingest *ig, const char *name, int k)
{
    struct key_memo *memo = k < KEY_MEMO ? &ig->key_memo[k] : NULL;
    int64_t f;
    if (memo && memo->set && strcmp(memo->name, name) == 0)
        return memo->field;
    int field = strmap_get(&ig->field_index, name, &f) && ig->take_key[f] ? (int)f : -1;
    size_t len;
    if (memo && (len = strlen(name)) < sizeof memo->name) {
        memcpy(memo->name, name, len + 1);
        memo->field = (signed char)field;
        memo->set = 1;
    }
    return field;
}

/* --extract: the first capture group of the regex over the source value. */
static int apply_extractions(struct ingest *ig, const cJSON *rec, char **cols, size_t ncols)
{
    const struct mapping *m = ig->map;
    for (int i = 0; i < ig->n_extract_fields; i++) {
        int f = ig->extract_fields[i];
        const struct field_source *fs = &m->f[f];
        if (present(&ig->vals[f]) && extract_fills_only(m, f))
            continue;           /* the record's own value (read under the field's name) stands */
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

/* The profile's `reject SOURCE~REGEX` rules: 1 when the record matched one and was stored as a
 * reject (its reason naming every rule that matched), 0 when it is data, -1 on an error. */
static int apply_rejects(struct ingest *ig, const cJSON *rec, char **cols, size_t ncols)
{
    const struct mapping *m = ig->map;
    char reason[1024];
    size_t used = 0;
    int matched = 0;
    reason[0] = '\0';
    for (int i = 0; i < m->n_reject; i++) {
        const struct reject_rule *r = &m->reject[i];
        struct value src;
        memset(&src, 0, sizeof src);
        if (r->from_field >= 0) {
            src = ig->vals[r->from_field];
        } else if (rec) {
            const cJSON *j;
            if (json_source(ig, rec, r->source, -1, &j) < 0)
                return -1;
            value_from_json(&src, j);
        } else {
            for (size_t c = 0; c < ig->n_header && c < ncols; c++)
                if (strcmp(ig->header[c], r->source) == 0) {
                    value_text(&src, cols[c], strlen(cols[c]));
                    break;
                }
        }
        char number[40];
        if (src.kind == V_NUMBER) {         /* a status code: matched as its text, as --extract does */
            if (src.num == floor(src.num) && fabs(src.num) < 1e15)
                snprintf(number, sizeof number, "%lld", (long long)src.num);
            else
                format_double(number, sizeof number, src.num);
            value_text(&src, number, strlen(number));
        }
        if (src.kind != V_STRING)
            continue;           /* absent, null, or an object: the rule does not apply */
        pcre2_match_data *md = ig->extract_md;
        if (!md && !(md = ig->extract_md = pcre2_match_data_create(32, NULL)))
            return diag_error("out of memory");
        int rc = pcre2_match(r->re, (PCRE2_SPTR)src.s, src.len, 0, 0, md, NULL);
        if (rc == PCRE2_ERROR_NOMATCH)
            continue;
        if (rc < 0) {
            char name[128];
            snprintf(name, sizeof name, "reject %.80s", r->source);
            answer_failed(rc, name);
            return ingest_bad(ig, &ig->pos, NULL, "%s", answer_error());
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        size_t a = ov[2] == PCRE2_UNSET ? ov[0] : ov[2], b = ov[2] == PCRE2_UNSET ? ov[1] : ov[3];
        int n = snprintf(reason + used, sizeof reason - used, "%s%s is '%.*s'", matched ? "; " : "",
                         r->source, (int)(b - a > 200 ? 200 : b - a), src.s + a);
        if (n > 0)
            used = used + (size_t)n < sizeof reason ? used + (size_t)n : sizeof reason - 1;
        matched = 1;
    }
    if (!matched)
        return 0;
    struct pending p = { .type = P_REJECT, .field = "reject", .reason = reason };
    ig->file_records++;
    ig->file_rejected++;
    return emit(ig, &p) < 0 ? -1 : 1;
}

static void apply_constants(struct ingest *ig)
{
    for (int i = 0; i < ig->n_const_fields; i++) {
        int f = ig->const_fields[i];
        value_text(&ig->vals[f], ig->map->f[f].spec, strlen(ig->map->f[f].spec));
    }
}

int ingest_json_record(struct ingest *ig, const cJSON *rec, const struct srcpos *pos)
{
    const struct mapping *m = ig->map;
    ig->pos = *pos;
    json_vals_reset(ig);
    if (!cJSON_IsObject(rec) && !cJSON_IsArray(rec))
        return ingest_bad(ig, pos, NULL, "expected a JSON object");
    /* Default fields: one pass over the object's members, each name looked up once; a field's
     * key met twice is a bad line naming both positions (key_at[f] is read only once `seen` has f). */
    if (cJSON_IsObject(rec)) {
        int key_at[N_FIELDS], k = 0, f;
        uint64_t seen = 0;
        for (const cJSON *c = rec->child; c; c = c->next) {
            k++;
            if (!c->string || (f = member_field(ig, c->string, k - 1)) < 0)
                continue;
            if (seen & (uint64_t)1 << f) {
                struct json_dup d = { .first = key_at[f], .second = k };
                snprintf(d.name, sizeof d.name, "%s", c->string);
                return duplicate_key(ig, f, &d, NULL);
            }
            seen |= (uint64_t)1 << f;
            ig->vals_set |= (uint64_t)1 << f;
            key_at[f] = k;
            value_from_json(&ig->vals[f], c);
        }
    }
    for (int i = 0; i < ig->n_path_fields; i++) {
        int f = ig->path_fields[i];
        const cJSON *j;
        if (json_source(ig, rec, m->f[f].spec, f, &j) < 0)
            return -1;
        value_from_json(&ig->vals[f], j);
    }
    if (ig->json_textual)               /* jq's output over CSV: its strings are CSV text */
        for (int f = 0; f < N_FIELDS; f++)
            ig->vals[f].textual = ig->vals[f].kind == V_STRING;
    apply_constants(ig);
    int rejected = apply_rejects(ig, rec, NULL, 0);
    if (rejected != 0)
        return rejected < 0 ? -1 : 0;
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

/* The fields --reps-columns fills in each melted record. */
static const int melt_fields[] = { F_ANSWER, F_REP, F_RUN };

/* --reps-columns: the columns whose names match are repetitions (PsychoBench's results CSV: one
 * column per test run).  Each becomes one record with the cell as the answer, rep = its place
 * among the matching columns (1, 2, ...) and run = the column's name.  A pattern that matches no
 * column, or a column that is also read as a field, is an error: either would store something
 * other than what the mapping says. */
static int reps_header(struct ingest *ig, const struct srcpos *pos)
{
    const struct mapping *m = ig->map;
    pcre2_match_data *md = NULL;
    int ret = -1;
    if (ig->opt.wide)
        return ingest_bad(ig, pos, NULL, "--reps-columns and --wide cannot be combined (in a wide table every "
                          "column is an item)");
    for (size_t k = 0; k < sizeof melt_fields / sizeof melt_fields[0]; k++) {
        int f = melt_fields[k];
        if (m->f[f].kind != SRC_DEFAULT)
            return ingest_bad(ig, pos, field_names[f], "--reps-columns gives the field '%s'; it cannot also be "
                              "mapped, set or extracted", field_names[f]);
        if (ig->col_of_field[f] >= 0)
            return ingest_bad(ig, pos, field_names[f], "--reps-columns gives the field '%s', but the column '%s' "
                              "would be read as it too (rename the column)", field_names[f],
                              ig->header[ig->col_of_field[f]]);
    }
    if (!(md = pcre2_match_data_create_from_pattern(m->reps_re, NULL)) ||
        !(ig->reps_cols = malloc((ig->n_header ? ig->n_header : 1) * sizeof *ig->reps_cols))) {
        diag_error("out of memory");
        goto out;
    }
    for (size_t i = 0; i < ig->n_header; i++) {
        int rc = pcre2_match(m->reps_re, (PCRE2_SPTR)ig->header[i], strlen(ig->header[i]), 0, 0, md, NULL);
        if (rc == PCRE2_ERROR_NOMATCH)
            continue;
        if (rc < 0) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(rc, msg, sizeof msg);
            ingest_bad(ig, pos, NULL, "--reps-columns: matching column '%.80s' failed: %s", ig->header[i], (char *)msg);
            goto out;
        }
        for (int f = 0; f < N_FIELDS; f++)
            if (ig->col_of_field[f] == (int)i || ig->col_of_extract[f] == (int)i) {
                ingest_bad(ig, pos, field_names[f], "--reps-columns '%s' matches the column '%s', which is also "
                           "read as the field '%s'", m->reps_text, ig->header[i], field_names[f]);
                goto out;
            }
        ig->reps_cols[ig->n_reps++] = (int)i;
    }
    if (!ig->n_reps) {
        ingest_bad(ig, pos, NULL, "--reps-columns: no column matches '%s'", m->reps_text);
        goto out;
    }
    ret = 0;
out:
    pcre2_match_data_free(md);
    return ret;
}

/* One CSV row with repetition columns: one record per non-empty matching cell, each validated
 * and stored on its own (a bad cell is a bad record of this line, the others are kept under
 * --skip-bad).  Empty cells and --missing values are repetitions not answered. */
static int reps_row(struct ingest *ig, char **cols, size_t *lens, size_t n)
{
    struct value base[N_FIELDS];
    const char *missing = ig->map->missing;
    char rep[24];
    int ret = 0;
    memcpy(base, ig->vals, sizeof base);
    for (size_t k = 0; k < ig->n_reps; k++) {
        int c = ig->reps_cols[k];
        if (lens[c] == 0 || (missing && strcmp(cols[c], missing) == 0)) {
            ig->wide_missing_file++;
            continue;
        }
        memcpy(ig->vals, base, sizeof base);
        snprintf(rep, sizeof rep, "%zu", k + 1);
        value_text(&ig->vals[F_ANSWER], cols[c], lens[c]);
        value_text(&ig->vals[F_REP], rep, strlen(rep));
        value_text(&ig->vals[F_RUN], ig->header[c], strlen(ig->header[c]));
        apply_constants(ig);
        if (apply_extractions(ig, NULL, cols, n) < 0 || record_dispatch(ig) < 0)
            ret = -1;
        if (ingest_should_stop(ig))
            break;
    }
    return ret;
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
    if (ig->jq_rows)
        return jq_csv_header(ig, pos);     /* the rows go to jq; the mapping applies to its output */
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
        /* an extracted field the row has in its own column keeps it (extract_fills_only) */
        if (fs->kind == SRC_EXTRACT && extract_fills_only(m, f) &&
            (ig->col_of_field[f] = column_index(ig, field_names[f], pos, field_names[f])) == -2)
            return -1;
        if (c == -1 && fs->kind != SRC_DEFAULT)
            return ingest_bad(ig, pos, field_names[f], "no column '%s' in the header", fs->spec);
    }
    if (m->reps_re && reps_header(ig, pos) < 0)
        return -1;
    if (ig->opt.wide)
        return wide_header(ig, pos);
    return 0;
}

int ingest_csv_row(struct ingest *ig, char **cols, size_t *lens, size_t n, const struct srcpos *pos)
{
    ig->pos = *pos;
    if (ig->jq_rows)
        return jq_csv_row(ig, cols, lens, n);
    if (n != ig->n_header)   /* a short row names the first column it lacks */
        return ingest_bad(ig, pos, n < ig->n_header ? ig->header[n] : NULL, "expected %zu fields, found %zu",
                          ig->n_header, n);
    memset(ig->vals, 0, sizeof ig->vals);
    ig->vals_set = VALS_ALL;            /* any field: the next JSON record clears them all */
    for (int f = 0; f < N_FIELDS; f++) {
        int c = ig->col_of_field[f];
        if (c < 0)
            continue;
        if (lens[c] == 0)
            ig->vals[f].kind = V_NULL;     /* an empty cell is a missing value */
        else
            value_text(&ig->vals[f], cols[c], lens[c]);
    }
    if (ig->n_reps)
        return reps_row(ig, cols, lens, n);
    apply_constants(ig);
    int rejected = apply_rejects(ig, NULL, cols, n);
    if (rejected != 0)
        return rejected < 0 ? -1 : 0;
    if (apply_extractions(ig, NULL, cols, n) < 0)
        return -1;
    if (ig->opt.wide)
        return wide_row(ig, cols, lens, n);
    return record_dispatch(ig);
}
