/* ingest/record_response.c -- the `response` record type: finding the instrument and the item
 * (by code, position, text or label), parsing the answer (one item, or many in one string), and
 * the wide CSV tables, whose every item column is one response. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ingest/answer.h"
#include "ingest/ingest_internal.h"
#include "ingest/probs.h"

/* ---------- responses ---------- */

struct pending_response {
    int64_t item;
    char *owned;                /* a joined answer text this struct owns, or NULL */
    const char *answer;
    size_t answer_len;
    int option;                 /* 0 = none */
    enum answer_status status;
    int descending;             /* the presentation (read_presentation) */
    char presented[36];
    const char *probs;          /* a struct prob_row blob, or NULL */
};

static int instrument_of(struct ingest *ig, const char *name, int64_t *id)
{
    if (strmap_get(&ig->instruments, name, id))
        return 0;
    return ingest_bad(ig, &ig->pos, "instrument",
                      "unknown instrument '%.80s' (see 'psyfaith instruments list'; load more with "
                      "'psyfaith instruments load')", name);
}

/* The keys of item_by_code and item_by_text begin "inst\x1f", written by hand: snprintf was 5 % of
 * the reading thread, once per response.  The prefix's length (at most 21 bytes). */
static size_t item_key_prefix(char *key, int64_t inst)
{
    char digits[24];
    size_t nd = 0, n = 0;
    unsigned long long u = inst < 0 ? 0 - (unsigned long long)inst : (unsigned long long)inst;
    do
        digits[nd++] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (inst < 0)
        key[n++] = '-';
    while (nd)
        key[n++] = digits[--nd];
    key[n++] = '\x1f';
    return n;
}

/* The key "inst\x1fcode" (code cut at 1024 bytes) of item_by_code. */
static int item_by_code(struct ingest *ig, int64_t inst, const char *code, int64_t *id)
{
    char key[1100];
    size_t len = strnlen(code, 1024), n = item_key_prefix(key, inst);
    memcpy(key + n, code, len);
    key[n + len] = '\0';
    return strmap_get(&ig->item_by_code, key, id);
}

/* The key "inst\x1fnormalised text" of item_by_text, in ig->keybuf: 1 found, 0 not, -1 out of memory. */
static int item_by_text(struct ingest *ig, int64_t inst, const char *text, int64_t *id)
{
    struct strbuf *k = &ig->keybuf;
    char prefix[24];
    size_t n = item_key_prefix(prefix, inst);
    strbuf_reset(k);
    /* the text itself makes the room: its normalised form is never longer */
    if (strbuf_add(k, prefix, n) < 0 || strbuf_add(k, text, strlen(text)) < 0)
        return diag_error("out of memory");
    item_text_normalise(text, k->buf + n);
    return strmap_get(&ig->item_by_text, k->buf, id);
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

/* ---------- the presented options (issue 14 part 1) ---------- */

enum label_kind { L_AUTO, L_NUMBERS, L_LETTERS, L_WORDS };

/* `label_style`: numbers, letters or words (absent: told from the labels). */
static int parse_label_style(struct ingest *ig, enum label_kind *kind)
{
    const char *s;
    *kind = L_AUTO;
    if (get_text(ig, F_LABEL_STYLE, 0, &s) < 0)
        return -1;
    if (!s)
        return 0;
    if (strcasecmp(s, "numbers") == 0)
        *kind = L_NUMBERS;
    else if (strcasecmp(s, "letters") == 0)
        *kind = L_LETTERS;
    else if (strcasecmp(s, "words") == 0)
        *kind = L_WORDS;
    else
        return ingest_bad(ig, &ig->pos, "label_style", "expected 'numbers', 'letters' or 'words', found '%.40s'", s);
    return 0;
}

/* The ascending option one presented label names, by the answer parser's rules: a number 1..k, a
 * letter (A = 1), or a scale word of a 5-option scale; 0 when it names none as `want` says (and
 * *kind = what it is). */
static int label_value(const char *s, size_t n, int k, enum label_kind want, enum label_kind *kind)
{
    char buf[16];
    long v;
    if ((want == L_AUTO || want == L_NUMBERS) && n && n < sizeof buf) {
        memcpy(buf, s, n);
        buf[n] = '\0';
        if (parse_long(buf, &v) == 0) {
            *kind = L_NUMBERS;
            return v >= 1 && v <= k ? (int)v : 0;
        }
    }
    if ((want == L_AUTO || want == L_LETTERS) && n == 1 && isalpha((unsigned char)s[0])) {
        *kind = L_LETTERS;
        v = (s[0] | 0x20) - 'a' + 1;
        return v >= 1 && v <= k ? (int)v : 0;
    }
    *kind = L_WORDS;
    return want == L_AUTO || want == L_WORDS ? answer_label_option(s, n, k) : 0;
}

/* One label of `options` at index i: the array's element (a string or a number) or the i-th
 * '|'-separated part of a text; spaces around it are dropped.  0 with *s, *n; -1 = a bad line. */
static int options_label(struct ingest *ig, const struct value *v, int i, const char **s, size_t *n, char *num,
                         size_t num_size)
{
    if (v->kind == V_OTHER) {
        const cJSON *e = cJSON_GetArrayItem(v->json, i);
        if (cJSON_IsString(e)) {
            *s = e->valuestring;
        } else if (cJSON_IsNumber(e) && e->valuedouble == floor(e->valuedouble) && fabs(e->valuedouble) < 1e9) {
            snprintf(num, num_size, "%lld", (long long)e->valuedouble);
            *s = num;
        } else {
            return ingest_bad(ig, &ig->pos, "options", "label %d is not a string", i + 1);
        }
    } else {
        const char *p = v->s;
        for (int j = 0; j < i; j++)
            p = strchr(p, '|') + 1;
        *s = p;
    }
    *n = strcspn(*s, "|");
    while (*n && isspace((unsigned char)**s))
        (*s)++, (*n)--;
    while (*n && isspace((unsigned char)(*s)[*n - 1]))
        (*n)--;
    return 0;
}

/* How the options of an item of k options were shown: `options` (a JSON array of labels in
 * presented order, or one text "E|D|C|B|A") read with `label_style`, else option_order.  The
 * labels must name each option exactly once, and an option_order given beside them must agree.
 * Sets pr and, for a permutation that is neither ascending nor descending, r_presented ("3,1,2,5,4");
 * *descending becomes 1 for the reversed scale.  0, or -1 after a bad line. */
static int read_presentation(struct ingest *ig, int k, int *descending, struct answer_presentation *pr,
                             char *presented, size_t presented_size)
{
    const struct value *v = &ig->vals[F_OPTIONS];
    enum label_kind style, first = L_AUTO, kind;
    int count, seen[12] = { 0 }, asc = 1, desc = 1;
    char num[32];
    presented[0] = '\0';
    if (parse_label_style(ig, &style) < 0)
        return -1;
    answer_presentation_order(pr, k, *descending);
    if (!present(v))
        return 0;
    if (v->kind == V_OTHER && cJSON_IsArray(v->json)) {
        count = cJSON_GetArraySize(v->json);
    } else if (v->kind == V_STRING) {
        count = 1;
        for (const char *p = v->s; (p = strchr(p, '|')); p++)
            count++;
    } else {
        return ingest_bad(ig, &ig->pos, "options", "expected an array of option labels (or a text \"A|B|C\"), found %s",
                          kind_name(v));
    }
    if (count != k)
        return ingest_bad(ig, &ig->pos, "options", "%d labels for an item of %d options", count, k);
    for (int i = 0; i < k; i++) {
        const char *s = "";
        size_t n = 0;
        if (options_label(ig, v, i, &s, &n, num, sizeof num) < 0)
            return -1;
        int val = label_value(s, n, k, style, &kind);
        if (i == 0)
            first = kind;
        if (kind != first)
            return ingest_bad(ig, &ig->pos, "options", "label '%.*s' is not of the same kind as the first one", (int)n, s);
        if (!val)
            return ingest_bad(ig, &ig->pos, "options", "label '%.*s' names no option of %d (%s)", (int)n, s, k,
                              kind == L_NUMBERS ? "a number 1..K" : kind == L_LETTERS ? "a letter A..K"
                                                                                     : "a scale label of 5 options");
        if (seen[val])
            return ingest_bad(ig, &ig->pos, "options", "option %d is named twice (label '%.*s')", val, (int)n, s);
        seen[val] = 1;
        pr->at[i] = val;
        asc &= val == i + 1;
        desc &= val == k - i;
    }
    pr->letters = first == L_LETTERS;
    pr->numbers = first == L_NUMBERS;
    if (present(&ig->vals[F_OPTION_ORDER]) && (*descending ? !desc : !asc))
        return ingest_bad(ig, &ig->pos, "options", "the labels are not in the %s order that option_order says",
                          *descending ? "descending" : "ascending");
    *descending = desc && !asc;
    if (!asc && !desc) {
        size_t used = 0;
        for (int i = 0; i < k; i++)
            used += (size_t)snprintf(presented + used, presented_size - used, i ? ",%d" : "%d", pr->at[i]);
    }
    return 0;
}

static int emit_response(struct ingest *ig, const struct subject_fields *s, const struct pending_response *r,
                         int descending, const char *presented)
{
    struct pending p = { .type = P_RESPONSE, .item = r->item, .answer = r->answer, .answer_len = r->answer_len,
                         .option = r->option, .status = r->status, .descending = descending,
                         .probs = r->probs };
    size_t n = strnlen(presented, sizeof p.presented - 1);    /* as snprintf "%s" would cut it */
    memcpy(p.presented, presented, n);
    p.presented[n] = '\0';
    pending_subject(&p, s);
    return emit(ig, &p);
}

/* The record's option_probs or logprobs (issue 14 part 5) into *t: 1 when it has them, 0 when not,
 * -1 after a line error naming the field.  From CSV (or a constant, an extraction) the value is
 * JSON text; from JSON it must be the array or object itself. */
static int read_probs(struct ingest *ig, int k, const struct answer_presentation *pr, struct prob_table *t)
{
    int has_op = present(&ig->vals[F_OPTION_PROBS]), has_lp = present(&ig->vals[F_LOGPROBS]);
    if (!has_op && !has_lp)
        return 0;
    if (has_op && has_lp)
        return ingest_bad(ig, &ig->pos, "option_probs", "a response takes 'option_probs' or 'logprobs', not both");
    const int f = has_op ? F_OPTION_PROBS : F_LOGPROBS;
    const struct value *v = &ig->vals[f];
    const cJSON *j = v->json;
    cJSON *parsed = NULL;
    char why[320];
    if (v->kind == V_STRING && v->textual) {
        if (!(parsed = cJSON_ParseWithLength(v->s, v->len)))
            return ingest_bad(ig, &ig->pos, field_names[f], "expected JSON (an array or object), found '%.60s'", v->s);
        j = parsed;
    } else if (v->kind != V_OTHER || !j) {
        return ingest_bad(ig, &ig->pos, field_names[f], "expected an array or object, found %s", kind_name(v));
    }
    int rc = has_op ? probs_from_option_probs(j, k, pr, t, why, sizeof why)
                    : probs_from_logprobs(j, k, pr, t, why, sizeof why);
    cJSON_Delete(parsed);
    if (rc < 0)
        return ingest_bad(ig, &ig->pos, field_names[f], "%s", why);
    return 1;
}

/* The blob a response with probabilities hands to the writer, in buf; NULL when it does not fit
 * (it always does: 11 numbers of at most 24 characters). */
static const char *probs_blob(const struct prob_table *t, int from_text, char *buf, size_t size)
{
    struct prob_row row = { .outside = t->outside, .ev = t->ev, .entropy = t->entropy, .argmax = t->argmax,
                            .from_text = from_text };
    if (size < sizeof row || !(row.json_len = probs_format(t, buf + sizeof row, size - sizeof row)))
        return NULL;
    memcpy(buf, &row, sizeof row);
    return buf;
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
    struct answer_presentation pr;
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
        r->probs = NULL;            /* probabilities belong to one item: never with --answers-regex */
        r->answer = text + ov[ai];
        r->answer_len = ov[ai + 1] - ov[ai];
        r->option = 0;
        r->descending = descending;
        if (read_presentation(ig, ig->item_info[r->item].n_options, &r->descending, &pr, r->presented,
                              sizeof r->presented) < 0)
            goto out;
        r->status = answer_parse_presented(r->answer, r->answer_len, &pr, &r->option);
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
        if (emit_response(ig, s, &parts[i], parts[i].descending, parts[i].presented) < 0)
            goto out;
    ret = 0;
out:
    pcre2_match_data_free(md);
    for (size_t i = 0; i < n; i++)
        free(parts[i].owned);
    free(parts);
    return ret;
}

int record_response(struct ingest *ig)
{
    struct subject_fields s;
    struct pending_response r = { 0 };
    const char *inst_name, *code, *text;
    int64_t inst;
    int descending;
    long option;
    if (read_subject(ig, &s) < 0 || read_design(ig, &s) < 0 || get_text(ig, F_INSTRUMENT, 1, &inst_name) < 0 ||
        instrument_of(ig, inst_name, &inst) < 0 || parse_option_order(ig, &descending) < 0)
        return -1;
    if (ig->map->answers_re) {
        if (present(&ig->vals[F_OPTION_PROBS]) || present(&ig->vals[F_LOGPROBS]))
            return ingest_bad(ig, &ig->pos, present(&ig->vals[F_OPTION_PROBS]) ? "option_probs" : "logprobs",
                              "probabilities belong to one item; --answers-regex splits one record into many");
        return record_multi_response(ig, inst, &s, descending);
    }
    if (get_text(ig, F_ITEM, 0, &code) < 0 || get_text(ig, F_ITEM_TEXT, 0, &text) < 0)
        return -1;
    if (code) {
        long n;
        char whole[32];
        /* a numeric item id written "12.0" (a float column) is item 12 when the bank has no "12.0" */
        if (!item_by_code(ig, inst, code, &r.item) && strchr(code, '.') && parse_integer_text(code, &n) == 0) {
            snprintf(whole, sizeof whole, "%ld", n);
            item_by_code(ig, inst, whole, &r.item);
        }
        if (!r.item)
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
    struct answer_presentation pr;
    struct prob_table t;
    char blob[sizeof(struct prob_row) + (PROBS_MAX_OPTIONS + 1) * 40];
    int has_probs;
    if (get_integer(ig, F_OPTION, 0, 1, info->n_options, 0, &option) < 0 ||
        get_text(ig, F_ANSWER, 0, &r.answer) < 0 ||
        read_presentation(ig, info->n_options, &descending, &pr, r.presented, sizeof r.presented) < 0 ||
        (has_probs = read_probs(ig, info->n_options, &pr, &t)) < 0)
        return -1;
    if (r.answer)
        r.answer_len = strlen(r.answer);
    if (option) {
        r.option = (int)option;    /* an explicit option is on the ascending scale */
        r.status = ANSWER_OK;
    } else if (r.answer) {
        r.status = answer_parse_presented(r.answer, r.answer_len, &pr, &r.option);
        if (r.status == ANSWER_ERROR)   /* the text was not read: no status can be stored */
            return ingest_bad(ig, &ig->pos, "answer", "%s", answer_error());
    } else if (has_probs) {
        /* no text: the option is the argmax (scores --scoring text reads it as the answer); a tie
         * is ambiguous, a table without mass on the scale unparsed */
        r.option = t.argmax;
        r.status = t.argmax ? ANSWER_OK : t.scale > 0 ? ANSWER_AMBIGUOUS : ANSWER_UNPARSED;
    } else {
        return ingest_bad(ig, &ig->pos, "answer", "a response needs 'answer', 'option', 'option_probs' or 'logprobs'");
    }
    if (has_probs && !(r.probs = probs_blob(&t, option || r.answer, blob, sizeof blob)))
        return diag_error("internal: probabilities do not fit their buffer");
    return emit_response(ig, &s, &r, descending, r.presented);
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
    if (read_subject(ig, &s) < 0 || read_design(ig, &s) < 0)
        return -1;
    persona = s.persona;
    if (!persona) {
        /* the file's name too: row 2 of another table is another person */
        const char *base = strrchr(ig->path, '/');
        snprintf(rowname, sizeof rowname, "%.256s row %ld", base ? base + 1 : ig->path, ig->pos.line);
        persona = rowname;
        s.persona_generated = 1;
    }
    /* Validate the whole row before writing any of it. */
    for (size_t i = 0; i < n; i++) {
        long v;
        int64_t item = ig->wide_items[i];
        if (!item || lens[i] == 0 || (missing && strcmp(cols[i], missing) == 0))
            continue;
        if (parse_integer_text(cols[i], &v) < 0 || v < 1 || v > ig->item_info[item].n_options)
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
        parse_integer_text(cols[i], &v);
        struct pending_response r = { .item = item, .option = (int)v, .status = ANSWER_OK };
        if (emit_response(ig, &s, &r, 0, "") < 0)
            return -1;
    }
    ig->file_kept++;
    return 0;
}
