/* ingest/ingest.h -- readers, field mapping and storage of the native record types
 *
 * Owns: getting logs into the store.  JSONL, CSV (long or wide) and JSON documents, optionally
 * through a jq prefilter (a child process), are read, mapped onto the native fields (mapping.h),
 * validated, their answers parsed (answer.h, decision.h), and stored, one transaction per file,
 * with the source's SHA-256 so that the same content is never stored twice.  Also the item banks
 * and human norms (banks.c, table.h).
 * Does not: compute scores or metrics, or call metrics/, classify/ or reports/; write to stdout
 * (its messages, progress line and summary go to stderr); parse argv (its caller fills
 * struct ingest_options and the mapping).
 * Errors: 0 / -1 (or NULL) after diag_error() or diag_at() printed why.  A bad line is reported
 * as FILE:LINE: ... (field F) by ingest_bad(); without --skip-bad the file's transaction is
 * rolled back, so nothing of a failed file stays in the store.  A PCRE2 failure in the answer
 * parsers (ANSWER_ERROR) is such a line error, never an "unparsed" answer.
 * Ownership: the caller owns the sqlite3 handle (store_open(STORE_WRITE)) and the mapping
 * (mapping_new / mapping_free); ingest_new() borrows both, and they must outlive the ingest, so
 * free in the order ingest_free(), store_close(), mapping_free().  ingest_new() owns everything
 * else (prepared statements, caches, the reading thread) until ingest_free().  A struct value's
 * strings borrow the reader's buffers until the next record; rows handed to the writer are copied
 * into their batch's arena (pipeline.h).
 * Threads: ingest_file() runs on the caller's thread, which is the writing thread: it alone uses
 * the SQLite connection.  Any input but a small regular file (one read's worth, no jq) is read,
 * mapped and validated on a second, reading thread, started with the first such file and ended
 * by ingest_free(); a small file is read and written on the caller's thread alone.  The two
 * threads share the read-only caches loaded by ingest_new(), the job hand-over and batch queue
 * (pipeline.h, under its mutex) and an atomic "stop" flag; the writer reads the reader's per-file
 * counters only after the file's end mark.  The answer parsers, cJSON's arena hooks and the
 * readers' buffers belong to whichever thread reads: one reader at a time, and one struct ingest
 * per process. */
#ifndef PSYFAITH_INGEST_H
#define PSYFAITH_INGEST_H

#include <stddef.h>
#include <sqlite3.h>

#include "diag.h"

/* The fields of the native record format (DESIGN.md).  Order matters only for field_names[]. */
enum field {
    F_TYPE, F_MODEL, F_TEMPERATURE, F_PERSONA, F_CONDITION, F_REP, F_RUN,
    F_INSTRUMENT, F_ITEM, F_ITEM_TEXT, F_ANSWER, F_OPTION, F_PROMPT, F_OPTION_ORDER,
    F_DIMENSION, F_OCCASION, F_TEXT, F_LABEL,
    F_TRAIT, F_LEVEL, F_OFFER, F_TOTAL, F_DECISION, F_THRESHOLD,
    F_FINAL_LEVEL, F_MAX_LEVEL, F_DISOBEDIENCES, F_FILTERED, F_STEP, F_DISOBEYED,
    F_FINAL_VOLTAGE, F_MAX_VOLTAGE, F_VOLTAGE_STEP, F_OUTCOME,
    F_TEMPLATE, F_LANGUAGE, F_VARIANT,     /* a response's design factors (issue 14, part 3) */
    F_OPTIONS, F_LABEL_STYLE,          /* issue 14 part 1: the presented options */
    F_OPTION_PROBS, F_LOGPROBS,   /* issue 14 part 5: per-option probabilities (ingest/probs.h) */
    N_FIELDS
};
extern const char *const field_names[N_FIELDS];
int field_lookup(const char *name);          /* index, or -1 */

struct cJSON;
/* One field's value in one record.  Strings borrow the reader's buffers until the next record. */
enum value_kind { V_ABSENT, V_NULL, V_STRING, V_NUMBER, V_BOOL, V_OTHER /* object or array */ };
struct value {
    enum value_kind kind;
    const char *s;     /* V_STRING (NUL-terminated) */
    size_t len;
    double num;        /* V_NUMBER; V_BOOL as 0/1 */
    int textual;       /* came from CSV text, a constant or an extraction: numbers may be parsed */
    const struct cJSON *json;   /* from JSON: the node itself (V_OTHER: the array or object, borrowed;
                                 * options, option_probs, logprobs), else NULL */
};

/* How fields are found in foreign records (--map, --set, --extract, --item-regex, profiles). */
struct mapping;
struct mapping *mapping_new(void);
void mapping_free(struct mapping *m);
/* One option in profile form: "map FIELD=SPEC", "set FIELD=VALUE", "extract FIELD=SOURCE~RE",
 * "item-regex RE", "answers-regex RE", "format F", "records PTR", "delimiter C", "wide",
 * "missing V", "jq FILE", "outcome VALUE=CLASS ..." (the option order and the instrument are
 * fields: "set option_order=descending", "set instrument=NAME").  `where` names the place for
 * errors (e.g. "--map" or "profile.txt:3"); `base_dir` resolves a relative jq path.  0 or -1. */
int mapping_add(struct mapping *m, const char *directive, const char *where, const char *base_dir);
int mapping_load_profile(struct mapping *m, const char *path);
int mapping_load_profile_text(struct mapping *m, const char *text, const char *where);
/* The jq program of a shipped profile (ingest/profiles.c): jq gets `text` itself, and `name` stands
 * for it in messages.  0 or -1. */
int mapping_set_jq_program(struct mapping *m, const char *name, const char *text);
/* The mapping's jq program file (NULL: none), and in *text the program itself when it is shipped. */
const char *mapping_jq(const struct mapping *m, const char **text);
const char *mapping_text(const struct mapping *m);
int mapping_is_wide(const struct mapping *m);  /* the mapping as profile text, for provenance */

/* Options of one `psyfaith ingest` run. */
struct ingest_options {
    const char *format;        /* jsonl csv json, or NULL for by extension */
    char delimiter;            /* 0 = sniff */
    int skip_bad;
    int force;
    int wide;
    int quiet;
    size_t max_line;           /* bytes; a longer JSONL line is a bad line (0 = 256 MiB) */
    unsigned jq_timeout;       /* seconds of wall clock a jq prefilter may run per file (0 = no limit) */
    const char *source_name;   /* standard input's name in source.path and messages (NULL: "-") */
};

struct ingest;                 /* one run: the store, prepared statements, caches, counters */
struct ingest *ingest_new(sqlite3 *db, const struct ingest_options *opt, struct mapping *map);
void ingest_free(struct ingest *ig);
/* Ingests one file ('-' = stdin) in one transaction; 0 ok, 1 skipped (already ingested), -1 failed
 * (nothing of the file stays unless --skip-bad). */
int ingest_file(struct ingest *ig, const char *path);
void ingest_print_summary(const struct ingest *ig);

/* Called by the readers, one record at a time. */
const struct mapping *ingest_mapping(const struct ingest *ig);
/* Resolves every field of a JSON record (a cJSON object) through the mapping. */
struct cJSON;
int ingest_json_record(struct ingest *ig, const struct cJSON *rec, const struct srcpos *pos);
/* A CSV header, then each row through the mapping. */
int ingest_csv_header(struct ingest *ig, char **cols, size_t n, const struct srcpos *pos);
int ingest_csv_row(struct ingest *ig, char **cols, size_t *lens, size_t n, const struct srcpos *pos);
/* Reports one bad line: prints it, records it under --skip-bad; returns -1. */
int ingest_bad(struct ingest *ig, const struct srcpos *pos, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Reports a UTF-16 or UTF-32 file, told by its first bytes s[0..n), as bad and returns -1; 0 when it
 * is not one.  The readers call it on their first chunk and give up on such a file. */
int ingest_not_utf16(struct ingest *ig, const char *path, const char *s, size_t n);
/* Byte progress of the current file, for the terminal progress line. */
void ingest_progress(struct ingest *ig, size_t bytes);
/* The source's hash: ingest_hash() takes data[0..n) and it may be reused at once; ingest_hash_lend()
 * reads it in place, and the caller keeps it unchanged until ingest_hash_settle() returns. */
void ingest_hash(struct ingest *ig, const void *data, size_t n);
void ingest_hash_lend(struct ingest *ig, const void *data, size_t n);
void ingest_hash_settle(struct ingest *ig);

/* Readers: stream the file, hashing every byte, calling the record functions above. */
int read_jsonl(struct ingest *ig, int fd, const char *path);
int read_json_document(struct ingest *ig, int fd, const char *path, const char *records_ptr);
int read_csv(struct ingest *ig, int fd, const char *path, char delimiter);

/* Item text normalisation for matching: lower case, punctuation dropped, spaces folded, a leading
 * "you"/"i" dropped.  Writes into out (size >= strlen(s)+1). */
void item_text_normalise(const char *s, char *out);

/* Item banks and norms (ingest/banks.c). */
int banks_load_instruments(sqlite3 *db, const char *path);   /* CSV instrument,item,dimension,key,text */
int banks_load_norms(sqlite3 *db, const char *path);         /* CSV instrument,dimension,population,... */
/* The same from memory (the banks bundled into the binary); `name` is used in messages. */
int banks_load_instruments_data(sqlite3 *db, const char *name, const char *data, size_t len);
int banks_load_norms_data(sqlite3 *db, const char *name, const char *data, size_t len);
/* A bank in another format, turned into the bank CSV by a jq program: the file program_file, or the
 * shipped program program_text (program_file then only names it).  ingest/banks_jq.c */
int banks_load_instruments_jq(sqlite3 *db, const char *path, const char *program_file, const char *program_text);

#endif
