/* ingest/mapping.c -- --map/--set/--extract/--item-regex and profile files.  A profile is the same
 * options one a line without the dashes ("map answer=/response/body/choices/0/message/content"),
 * '#' starts a comment line; relative file names in it are relative to the profile. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "ingest/mapping.h"
#include "ingest/pointer.h"

const char *const field_names[N_FIELDS] = {
    "type", "model", "temperature", "persona", "condition", "rep", "run",
    "instrument", "item", "item_text", "answer", "option", "prompt", "option_order",
    "dimension", "occasion", "text", "label",
    "trait", "level", "offer", "total", "decision", "threshold",
    "final_level", "max_level", "disobediences", "filtered", "step", "disobeyed",
    "final_voltage", "max_voltage", "voltage_step", "outcome",
    "template", "language", "variant",
    "options", "label_style",
    "option_probs", "logprobs",
};

int field_lookup(const char *name)
{
    for (int i = 0; i < N_FIELDS; i++)
        if (strcmp(name, field_names[i]) == 0)
            return i;
    return -1;
}

struct mapping *mapping_new(void)
{
    return calloc(1, sizeof(struct mapping));
}

static void source_clear(struct field_source *fs)
{
    free(fs->spec);
    free(fs->re_text);
    pcre2_code_free(fs->re);
    memset(fs, 0, sizeof *fs);
}

void mapping_free(struct mapping *m)
{
    if (!m)
        return;
    for (int i = 0; i < N_FIELDS; i++)
        source_clear(&m->f[i]);
    pcre2_code_free(m->answers_re);
    free(m->answers_text);
    free(m->format);
    free(m->records);
    free(m->missing);
    free(m->jq);
    free(m->jq_program);
    for (int i = 0; i < m->n_reject; i++) {
        free(m->reject[i].source);
        free(m->reject[i].re_text);
        pcre2_code_free(m->reject[i].re);
    }
    free(m->jq_text);
    pcre2_code_free(m->reps_re);
    free(m->reps_text);
    for (size_t i = 0; i < m->n_outcomes; i++)
        free(m->outcomes[i].value);
    free(m->outcomes);
    strbuf_free(&m->text);
    strbuf_free(&m->canonical);
    free(m);
}

int mapping_is_wide(const struct mapping *m)
{
    return m->wide;
}

const char *mapping_text(const struct mapping *m)
{
    return m->text.buf ? m->text.buf : "";
}

static pcre2_code *compile_regex_groups(const char *re, const char *where, int need_group)
{
    int err;
    PCRE2_SIZE off;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
                                     PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF | PCRE2_DOTALL
                                         | PCRE2_MULTILINE, &err, &off, NULL);
    if (!code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        diag_error("%s: bad regular expression at offset %zu: %s", where, (size_t)off, (char *)msg);
        return NULL;
    }
    uint32_t groups = 0;
    pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &groups);
    if (need_group && groups < 1) {
        diag_error("%s: the regular expression needs a capture group: %s", where, re);
        pcre2_code_free(code);
        return NULL;
    }
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    return code;
}

static pcre2_code *compile_regex(const char *re, const char *where)
{
    return compile_regex_groups(re, where, 1);
}

/* Splits "FIELD=REST" into a known field and REST; -1 after printing why. */
static int split_field(char *arg, const char *where, char **rest)
{
    char *eq = strchr(arg, '=');
    if (!eq)
        return diag_error("%s: expected FIELD=VALUE, got '%s'", where, arg);
    *eq = '\0';
    int f = field_lookup(arg);
    if (f < 0) {
        diag_error("%s: unknown field '%s' (fields: type model temperature persona condition rep run "
                   "instrument item item_text answer option prompt option_order dimension occasion "
                   "text label trait level offer total decision final_level max_level disobediences "
                   "filtered step disobeyed final_voltage max_voltage voltage_step outcome template language "
                   "variant options label_style option_probs logprobs)", where, arg);
        *eq = '=';
        return -1;
    }
    *eq = '=';
    *rest = eq + 1;
    return f;
}

static int set_string(char **dst, const char *value)
{
    free(*dst);
    *dst = strdup(value);
    return *dst ? 0 : diag_error("out of memory");
}

/* A source that starts with '/' is a JSON Pointer: a malformed one is an error here, where it was
 * written, and not a field "missing" from every record.  0 or -1 after printing why. */
static int check_pointer(const char *spec, const char *where)
{
    const char *why = spec[0] == '/' ? json_pointer_check(spec) : NULL;
    return why ? diag_error("%s: invalid JSON Pointer '%s': %s", where, spec, why) : 0;
}

static int add_extract(struct mapping *m, int f, const char *spec, const char *where)
{
    const char *tilde = strchr(spec, '~');
    if (!tilde || tilde == spec)
        return diag_error("%s: expected FIELD=SOURCE~REGEX, got '%s'", where, spec);
    char *source = strndup(spec, (size_t)(tilde - spec));
    if (source && check_pointer(source, where) < 0) {
        free(source);
        return -1;
    }
    pcre2_code *re = source ? compile_regex(tilde + 1, where) : NULL;
    char *re_text = re ? strdup(tilde + 1) : NULL;
    if (!re_text) {
        if (re)
            diag_error("out of memory");
        free(source);
        pcre2_code_free(re);
        return -1;
    }
    int from = field_lookup(source);
    if (from == f) {            /* checked before the field's old source is replaced */
        free(source);
        free(re_text);
        pcre2_code_free(re);
        return diag_error("%s: field '%s' cannot be extracted from itself", where, field_names[f]);
    }
    source_clear(&m->f[f]);
    m->f[f].kind = SRC_EXTRACT;
    m->f[f].spec = source;
    m->f[f].from_field = from;
    m->f[f].re = re;
    m->f[f].re_text = re_text;
    return 0;
}

static int add_reject(struct mapping *m, const char *spec, const char *where)
{
    const char *tilde = strchr(spec, '~');
    if (!tilde || tilde == spec)
        return diag_error("%s: expected reject SOURCE~REGEX, got '%s'", where, spec);
    if (m->n_reject == MAX_REJECT_RULES)
        return diag_error("%s: at most %d reject rules", where, MAX_REJECT_RULES);
    char *source = strndup(spec, (size_t)(tilde - spec));
    if (!source)
        return diag_error("out of memory");
    pcre2_code *re = check_pointer(source, where) < 0 ? NULL : compile_regex(tilde + 1, where);
    char *re_text = re ? strdup(tilde + 1) : NULL;
    if (!re_text) {
        if (re)
            diag_error("out of memory");
        free(source);
        pcre2_code_free(re);
        return -1;
    }
    struct reject_rule *r = &m->reject[m->n_reject++];
    r->source = source;
    r->from_field = field_lookup(source);
    r->re = re;
    r->re_text = re_text;
    return 0;
}

static int set_answers_regex(struct mapping *m, const char *re, const char *where)
{
    pcre2_code *code = compile_regex(re, where);
    if (!code)
        return -1;
    int item = pcre2_substring_number_from_name(code, (PCRE2_SPTR) "item");
    int answer = pcre2_substring_number_from_name(code, (PCRE2_SPTR) "answer");
    uint32_t groups = 0;
    pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &groups);
    if (item < 0 || answer < 0) {
        if (groups < 2) {
            pcre2_code_free(code);
            return diag_error("%s: --answers-regex needs two groups, (?<item>...) and (?<answer>...)",
                              where);
        }
        item = 1;
        answer = 2;
    }
    char *text = strdup(re);
    if (!text) {
        pcre2_code_free(code);
        return diag_error("out of memory");
    }
    pcre2_code_free(m->answers_re);
    free(m->answers_text);
    m->answers_re = code;
    m->answers_text = text;
    m->answers_item_group = item;
    m->answers_answer_group = answer;
    return 0;
}

static const char *const outcome_classes[] = {
    [OUTCOME_KEPT] = "kept", [OUTCOME_FILTERED] = "filtered", [OUTCOME_OBEDIENT] = "obedient",
    [OUTCOME_DEFIANT] = "defiant",
};

const char *outcome_class_name(enum outcome_class c)
{
    return c > OUTCOME_NONE && c <= OUTCOME_DEFIANT ? outcome_classes[c] : "none";
}

static enum outcome_class class_lookup(const char *name)
{
    for (int c = OUTCOME_KEPT; c <= OUTCOME_DEFIANT; c++)
        if (strcasecmp(name, outcome_classes[c]) == 0)
            return (enum outcome_class)c;
    return OUTCOME_NONE;
}

enum outcome_class mapping_outcome(const struct mapping *m, const char *value)
{
    for (size_t i = m->n_outcomes; i-- > 0;)
        if (strcasecmp(m->outcomes[i].value, value) == 0)
            return m->outcomes[i].cls;
    return class_lookup(value);
}

/* "outcome VALUE=CLASS [VALUE=CLASS ...]", pairs separated by blanks. */
static int add_outcomes(struct mapping *m, char *arg, const char *where)
{
    char *save = NULL;
    int any = 0;
    for (char *tok = strtok_r(arg, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
        char *eq = strrchr(tok, '=');
        enum outcome_class c = eq ? class_lookup(eq + 1) : OUTCOME_NONE;
        if (!eq || eq == tok || c == OUTCOME_NONE)
            return diag_error("%s: expected VALUE=CLASS with CLASS kept, filtered, obedient or defiant, got '%s'",
                              where, tok);
        struct outcome_map *v = realloc(m->outcomes, (m->n_outcomes + 1) * sizeof *v);
        if (!v)
            return diag_error("out of memory");
        m->outcomes = v;
        if (!(v[m->n_outcomes].value = strndup(tok, (size_t)(eq - tok))))
            return diag_error("out of memory");
        v[m->n_outcomes++].cls = c;
        any = 1;
    }
    return any ? 0 : diag_error("%s: expected VALUE=CLASS pairs (for example frame_break=filtered)", where);
}

static char *join_dir(const char *dir, const char *file)
{
    struct strbuf sb = { 0 };
    if (file[0] == '/' || !dir || !*dir || strcmp(dir, ".") == 0)
        strbuf_addstr(&sb, file);
    else
        strbuf_addf(&sb, "%s/%s", dir, file);
    return sb.buf;
}

int mapping_add(struct mapping *m, const char *directive, const char *where, const char *base_dir)
{
    char *copy, *key, *arg, *rest;
    int ret = -1, f;
    /* A profile holds one directive a line: a line break inside one (from the command line) would
     * be saved by --save-profile as two directives, the second one made up by the value. */
    if (strchr(directive, '\n'))
        return diag_error("%s: a line break cannot be part of a mapping directive", where);
    if (!(copy = strdup(directive)))
        return diag_error("out of memory");
    key = copy;
    while (isspace((unsigned char)*key))
        key++;
    arg = key;
    while (*arg && !isspace((unsigned char)*arg))
        arg++;
    if (*arg)
        *arg++ = '\0';
    while (isspace((unsigned char)*arg))
        arg++;
    size_t alen = strlen(arg);               /* trailing blanks are never meaningful in a profile */
    while (alen && (arg[alen - 1] == ' ' || arg[alen - 1] == '\t' || arg[alen - 1] == '\r'))
        arg[--alen] = '\0';

    if (strcmp(key, "map") == 0) {
        if ((f = split_field(arg, where, &rest)) < 0)
            goto out;
        if (!*rest) {
            diag_error("%s: empty source for field '%s'", where, field_names[f]);
            goto out;
        }
        if (check_pointer(rest, where) < 0)
            goto out;
        source_clear(&m->f[f]);
        m->f[f].kind = SRC_PATH;
        if (set_string(&m->f[f].spec, rest) < 0)
            goto out;
    } else if (strcmp(key, "set") == 0) {
        if ((f = split_field(arg, where, &rest)) < 0)
            goto out;
        source_clear(&m->f[f]);
        m->f[f].kind = SRC_CONST;
        if (set_string(&m->f[f].spec, rest) < 0)
            goto out;
    } else if (strcmp(key, "extract") == 0) {
        if ((f = split_field(arg, where, &rest)) < 0 || add_extract(m, f, rest, where) < 0)
            goto out;
    } else if (strcmp(key, "item-regex") == 0) {
        struct strbuf sb = { 0 };
        strbuf_addf(&sb, "prompt~%s", arg);
        int r = sb.buf ? add_extract(m, F_ITEM_TEXT, sb.buf, where) : -1;
        strbuf_free(&sb);
        if (r < 0)
            goto out;
    } else if (strcmp(key, "reject") == 0) {
        if (add_reject(m, arg, where) < 0)
            goto out;
    } else if (strcmp(key, "reps-columns") == 0) {
        /* no capture group needed: the pattern picks columns by name */
        pcre2_code *code = compile_regex_groups(arg, where, 0);
        if (!code)
            goto out;
        pcre2_code_free(m->reps_re);
        m->reps_re = code;
        if (set_string(&m->reps_text, arg) < 0)
            goto out;
    } else if (strcmp(key, "extract-override") == 0) {
        m->extract_override = 1;
    } else if (strcmp(key, "answers-regex") == 0) {
        if (set_answers_regex(m, arg, where) < 0)
            goto out;
    } else if (strcmp(key, "format") == 0) {
        if (strcmp(arg, "jsonl") && strcmp(arg, "csv") && strcmp(arg, "json")) {
            diag_error("%s: unknown format '%s' (jsonl, csv or json)", where, arg);
            goto out;
        }
        if (set_string(&m->format, arg) < 0)
            goto out;
    } else if (strcmp(key, "records") == 0) {
        if (arg[0] != '/' && arg[0] != '\0') {
            diag_error("%s: --records takes a JSON Pointer such as /messages, got '%s'", where, arg);
            goto out;
        }
        if (check_pointer(arg, where) < 0)
            goto out;
        if (set_string(&m->records, arg) < 0)
            goto out;
    } else if (strcmp(key, "delimiter") == 0) {
        if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
            m->delimiter = '\t';
        else if (strlen(arg) == 1 && arg[0] != '"' && arg[0] != '\n' && arg[0] != '\r')
            m->delimiter = arg[0];
        else {
            diag_error("%s: the delimiter must be one character or 'tab', got '%s'", where, arg);
            goto out;
        }
    } else if (strcmp(key, "wide") == 0) {
        m->wide = 1;
    } else if (strcmp(key, "missing") == 0) {
        if (set_string(&m->missing, arg) < 0)
            goto out;
    } else if (strcmp(key, "outcome") == 0) {
        /* tokenised in a copy: arg is kept whole below for the profile text */
        char *pairs = strdup(arg);
        int r = pairs ? add_outcomes(m, pairs, where) : diag_error("out of memory");
        free(pairs);
        if (r < 0)
            goto out;
    } else if (strcmp(key, "jq") == 0) {
        char *path = join_dir(base_dir, arg);
        if (!path)
            goto out;
        free(m->jq);
        m->jq = path;
        free(m->jq_program);            /* a later jq FILE replaces a shipped program */
        m->jq_program = NULL;
        free(m->jq_text);               /* and the text read of an earlier one */
        m->jq_text = NULL;
    } else {
        diag_error("%s: unknown profile directive '%s'", where, key);
        goto out;
    }
    /* Keep the directive for provenance (source.mapping) and --save-profile. */
    strbuf_addf(&m->text, "%s%s%s\n", key, *arg ? " " : "", arg);
    ret = 0;
out:
    free(copy);
    return ret;
}

int mapping_load_profile_text(struct mapping *m, const char *text, const char *where)
{
    return mapping_add(m, text, where, NULL);
}

int mapping_set_jq_program(struct mapping *m, const char *name, const char *text)
{
    /* jq_text too: the program is part of the mapping that tells sources apart (mapping_canonical) */
    if (set_string(&m->jq, name) < 0 || set_string(&m->jq_program, text) < 0 || set_string(&m->jq_text, text) < 0)
        return -1;
    return 0;
}

const char *mapping_jq(const struct mapping *m, const char **text)
{
    *text = m->jq_program;
    return m->jq;
}

int mapping_load_profile(struct mapping *m, const char *path)
{
    FILE *fp = fopen(path, "r");
    char *line = NULL, *dir = NULL, where[4200];
    size_t cap = 0;
    long lineno = 0;
    int ret = -1;
    if (!fp)
        return diag_error("cannot open profile '%s': %s", path, strerror(errno));
    const char *slash = strrchr(path, '/');
    dir = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
    if (!dir)
        goto out;
    for (;;) {
        ssize_t n = getline(&line, &cap, fp);
        if (n < 0)
            break;
        lineno++;
        if (memchr(line, '\0', (size_t)n)) {
            snprintf(where, sizeof where, "%.4000s:%ld", path, lineno);
            diag_error("%s: NUL byte in profile", where);
            goto out;
        }
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        if (!*p || *p == '#')
            continue;
        snprintf(where, sizeof where, "%.4000s:%ld", path, lineno);
        if (mapping_add(m, p, where, dir) < 0)
            goto out;
    }
    if (ferror(fp)) {
        diag_error("cannot read profile '%s': %s", path, strerror(errno));
        goto out;
    }
    ret = 0;
out:
    free(line);
    free(dir);
    fclose(fp);
    return ret;
}

/* The jq program's text, read once: it is what the mapping means, whatever the file is called. */
static int read_jq_text(struct mapping *m)
{
    FILE *fp;
    struct strbuf sb = { 0 };
    char buf[4096];
    size_t n;
    if (m->jq_text || !m->jq)
        return 0;
    if (!(fp = fopen(m->jq, "r")))
        return diag_error("cannot open jq program '%s': %s", m->jq, strerror(errno));
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        if (sb.len + n > ((size_t)1 << 20) || strbuf_add(&sb, buf, n) < 0) {
            fclose(fp);
            strbuf_free(&sb);
            return diag_error("jq program '%s' is larger than 1 MiB", m->jq);
        }
    int err = ferror(fp);
    fclose(fp);
    if (err) {
        strbuf_free(&sb);
        return diag_error("cannot read jq program '%s'", m->jq);
    }
    if (sb.len && memchr(sb.buf, '\0', sb.len)) {
        strbuf_free(&sb);
        return diag_error("jq program '%s' holds a NUL byte", m->jq);
    }
    m->jq_text = sb.buf ? sb.buf : strdup("");
    return m->jq_text ? 0 : diag_error("out of memory");
}

const char *mapping_canonical(struct mapping *m)
{
    struct strbuf *sb = &m->canonical;
    if (read_jq_text(m) < 0)
        return NULL;
    int bad = 0;                /* any strbuf_add*() out of memory */
    strbuf_reset(sb);
    if (m->format)
        bad |= strbuf_addf(sb, "format %s\n", m->format);
    if (m->records)
        bad |= strbuf_addf(sb, "records %s\n", m->records);
    if (m->delimiter == '\t')
        bad |= strbuf_addstr(sb, "delimiter tab\n");
    else if (m->delimiter)
        bad |= strbuf_addf(sb, "delimiter %c\n", m->delimiter);
    if (m->wide)
        bad |= strbuf_addstr(sb, "wide\n");
    if (m->missing)
        bad |= strbuf_addf(sb, "missing %s\n", m->missing);
    for (int f = 0; f < N_FIELDS; f++) {
        const struct field_source *fs = &m->f[f];
        if (fs->kind == SRC_PATH)
            bad |= strbuf_addf(sb, "map %s=%s\n", field_names[f], fs->spec);
        else if (fs->kind == SRC_CONST)
            bad |= strbuf_addf(sb, "set %s=%s\n", field_names[f], fs->spec);
        else if (fs->kind == SRC_EXTRACT)
            bad |= strbuf_addf(sb, "extract %s=%s~%s\n", field_names[f], fs->spec, fs->re_text);
    }
    if (m->answers_text)
        bad |= strbuf_addf(sb, "answers-regex %s\n", m->answers_text);
    if (m->reps_text)
        bad |= strbuf_addf(sb, "reps-columns %s\n", m->reps_text);
    if (m->extract_override)
        bad |= strbuf_addstr(sb, "extract-override\n");
    /* --outcome decides which Milgram runs are analysed: another classing is another mapping */
    for (size_t i = 0; i < m->n_outcomes; i++)
        bad |= strbuf_addf(sb, "outcome %s=%s\n", m->outcomes[i].value, outcome_class_name(m->outcomes[i].cls));
    for (int i = 0; i < m->n_reject; i++)
        bad |= strbuf_addf(sb, "reject %s~%s\n", m->reject[i].source, m->reject[i].re_text);
    if (m->jq_text) {
        /* last, so that everything after this line is the program */
        bad |= strbuf_addstr(sb, "jq-program\n");
        bad |= strbuf_addstr(sb, m->jq_text);
        if (!sb->len || sb->buf[sb->len - 1] != '\n')
            bad |= strbuf_addstr(sb, "\n");
    }
    bad |= strbuf_add(sb, "", 0);
    if (bad)
        return diag_error("out of memory"), NULL;
    return sb->buf;
}
