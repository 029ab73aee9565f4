/* ingest/mapping.h -- internals of struct mapping, shared by the readers and the record layer
 *
 * A mapping is built from options and profiles (mapping_add, ingest.h), owned by whoever called
 * mapping_new() and released by mapping_free(), which frees every spec string, compiled regex and
 * the profile text.  During an ingest it is borrowed and only read, by the reading thread. */
#ifndef PSYFAITH_MAPPING_H
#define PSYFAITH_MAPPING_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "ingest/ingest.h"
#include "util.h"

enum source_kind {
    SRC_DEFAULT,   /* the field's own name: a top-level JSON key or a CSV column */
    SRC_PATH,      /* --map: a JSON Pointer (starts with '/') or a CSV column name */
    SRC_CONST,     /* --set */
    SRC_EXTRACT,   /* --extract: first capture group of a regex over another field or path */
};

struct field_source {
    enum source_kind kind;
    char *spec;         /* SRC_PATH: pointer/column; SRC_CONST: the value; SRC_EXTRACT: the source */
    int from_field;     /* SRC_EXTRACT: the field named by spec, or -1 for a path */
    pcre2_code *re;     /* SRC_EXTRACT */
    char *re_text;      /* SRC_EXTRACT: the pattern as written */
};

/* `reject SOURCE~REGEX`: a record whose SOURCE matches is stored as a reject with the reason
 * "SOURCE is 'GROUP 1'" (a batch result that errored, say), never as data, and the file is kept. */
#define MAX_REJECT_RULES 8
struct reject_rule {
    char *source;       /* a field name, JSON Pointer or column */
    int from_field;     /* the field named by source, or -1 */
    pcre2_code *re;
    char *re_text;      /* the pattern as written, for mapping_canonical() */
};

/* --outcome VALUE=CLASS: what a Milgram record's `outcome` value means for the analyses.  The
 * value itself is stored (milgram.outcome); the class decides `filtered` and is checked against the
 * levels (an obedient run reached max_level, a defiant one stopped before it). */
enum outcome_class { OUTCOME_NONE, OUTCOME_KEPT, OUTCOME_FILTERED, OUTCOME_OBEDIENT, OUTCOME_DEFIANT };
struct outcome_map {
    char *value;
    enum outcome_class cls;
};

struct mapping {
    struct field_source f[N_FIELDS];
    pcre2_code *answers_re;     /* --answers-regex: groups item (or 1) and answer (or 2) */
    char *answers_text;         /* its pattern as written */
    int answers_item_group, answers_answer_group;
    char *format;               /* jsonl csv json */
    char *records;              /* --records POINTER for JSON documents */
    char delimiter;             /* CSV delimiter, 0 = sniff */
    int wide;                   /* one row per subject, one column per item */
    char *missing;              /* --missing: a wide-table value meaning "not answered" */
    char *jq;                   /* a jq prefilter program file */
    struct reject_rule reject[MAX_REJECT_RULES];
    int n_reject;
    char *jq_program;           /* the program itself when it is shipped (profiles.c), else NULL */
    char *jq_text;              /* its text, read by mapping_canonical() (NULL until then) */
    pcre2_code *reps_re;        /* --reps-columns: CSV columns that are repetitions, melted */
    char *reps_text;            /* its pattern as written */
    int extract_override;       /* --extract replaces a field the record has (default: fills only) */
    struct outcome_map *outcomes;   /* --outcome, in the order given; a later one for a value wins */
    size_t n_outcomes;
    struct strbuf canonical;    /* mapping_canonical()'s text */
    struct strbuf text;         /* the mapping as profile text */
};

/* The mapping as canonical profile text: the state, not the order the options came in, one
 * directive a line in a fixed order, and the jq program's own text (read here from its file)
 * instead of the file name.  Two ingests of the same content under the same canonical text are
 * the same source (source.mapping, the re-ingest check).  NULL after printing why (an unreadable
 * jq program); the text is the mapping's, valid until mapping_free(). */
const char *mapping_canonical(struct mapping *m);

/* The class of an outcome value: the last --outcome for it (case-insensitive), else the value
 * read as a class name itself (kept, filtered, obedient, defiant), else OUTCOME_NONE. */
enum outcome_class mapping_outcome(const struct mapping *m, const char *value);
const char *outcome_class_name(enum outcome_class c);

#endif
