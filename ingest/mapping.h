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
};

/* `reject SOURCE~REGEX`: a record whose SOURCE matches is stored as a reject with the reason
 * "SOURCE is 'GROUP 1'" (a batch result that errored, say), never as data, and the file is kept. */
#define MAX_REJECT_RULES 8
struct reject_rule {
    char *source;       /* a field name, JSON Pointer or column */
    int from_field;     /* the field named by source, or -1 */
    pcre2_code *re;
};

struct mapping {
    struct field_source f[N_FIELDS];
    pcre2_code *answers_re;     /* --answers-regex: groups item (or 1) and answer (or 2) */
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
    struct strbuf text;         /* the mapping as profile text */
};

#endif
