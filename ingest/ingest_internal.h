/* ingest/ingest_internal.h -- struct ingest, shared by the record layer and the readers */
#ifndef PSYFAITH_INGEST_INTERNAL_H
#define PSYFAITH_INGEST_INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "ingest/ingest.h"
#include "ingest/mapping.h"
#include "ingest/pipeline.h"
#include "ingest/source_hash.h"
#include "store/writeback.h"
#include "util.h"

#define MAX_REPORTED_ERRORS 20
#define RESPONSE_RUN 16          /* responses per multi-row INSERT */
#define RESPONSE_PARAMS 13       /* parameters of one response row */
#define INGEST_CHUNK (1u << 20)  /* bytes a reader asks read() for at a time */
#define KEY_MEMO 32              /* member positions of a JSON record remembered (struct key_memo) */
#define KEY_MEMO_NAME 24

enum stmt {
    S_SOURCE, S_SOURCE_DONE, S_SOURCE_FIND, S_SOURCE_DELETE, S_SUBJECT, S_RESPONSE, S_BEHAVIOR,
    S_LABELED, S_ULTIMATUM, S_MILGRAM, S_STEP, S_THRESHOLD, S_OFFER, S_REJECT, S_DESIGN, N_STMTS
};

struct item_info {
    signed char key;        /* +1 / -1; 0 = no such item */
    int n_options;
};

struct ingest {
    sqlite3 *db;
    struct ingest_options opt;
    const struct mapping *map;
    const char *mapping_text;       /* mapping_canonical(): source.mapping and the re-ingest key */

    /* read-only caches shared by both threads, loaded once per run */
    struct strmap field_index;      /* field name -> enum field */
    struct strmap instruments;      /* name -> instrument id */
    struct strmap item_by_code;     /* "inst\x1fcode" and "inst\x1f#position" -> item id */
    struct strmap item_by_text;     /* "inst\x1fnormalised text" -> item id */
    struct item_info *item_info;    /* indexed by item id */
    size_t n_item_info;
    unsigned char *item_used;       /* writer: 1 for the items this file's rows refer to (same index) */
    size_t max_value;               /* the store's SQLITE_LIMIT_LENGTH: a longer text is a bad line */

    /* The mapping's plan, made once by ingest_new() (record_fields.c: field_plan_init) so that a
     * record visits only the fields its mapping names, not all N_FIELDS three times over: the
     * fields read from a --map path, set by --set, and made by --extract, each in field order; and
     * for each field whether a JSON record's member of its own name fills it. */
    signed char take_key[N_FIELDS];
    int path_fields[N_FIELDS], const_fields[N_FIELDS], extract_fields[N_FIELDS];
    int n_path_fields, n_const_fields, n_extract_fields;

    /* the reading thread (record.c and the readers) */
    /* The member names of the last JSON records, by position, and the field each is (-1: none):
     * records of one file mostly repeat their keys in the same order, and a strcmp with the name
     * at the same position costs less than hashing it into field_index (KEY_MEMO_NAME - 1 bytes at
     * most; a longer name is looked up each time). */
    struct key_memo {
        char name[KEY_MEMO_NAME];
        signed char field;
        signed char set;
    } key_memo[KEY_MEMO];
    struct value vals[N_FIELDS];
    /* The fields of vals that may hold a value (bit f for field f): a JSON record clears only these
     * (json_vals_reset), its 9 or so members instead of all N_FIELDS x 48 bytes (2 % of the reading
     * thread); a CSV row clears all of vals itself and marks them all (VALS_ALL). */
    uint64_t vals_set;
#define VALS_ALL (N_FIELDS == 64 ? ~(uint64_t)0 : ((uint64_t)1 << (N_FIELDS % 64)) - 1)
    uint64_t mapped_fields;         /* the path, constant and extracted fields (field_plan_init) */
    struct strbuf scratch[N_FIELDS];
    struct strbuf keybuf;
    struct srcpos pos;
    char *chunk;                    /* the readers' INGEST_CHUNK buffer, kept from file to file */
    pcre2_match_data *extract_md;
    struct batch *cur;              /* the batch being filled */
    struct source_hash hash;
    long file_errors, file_records, file_kept, file_lines;
    long last_bad_line;             /* the line and message hash of the last bad record, so that */
    uint64_t last_bad_hash;         /* one fault of a CSV row split in records counts once */
    long file_rejected;             /* records a profile's `reject` rule stored as rejects */
    size_t file_bytes;
    int drop_fd;                    /* a large input: its cached pages are dropped behind the reader (-1: not) */
    size_t dropped, drop_step;      /* bytes dropped so far; how many more before the next drop */
    double file_start, progress_last;
    int progress_tty, progress_shown;
    char **header;                  /* CSV */
    size_t n_header;
    int *col_of_field;
    int col_of_extract[N_FIELDS];
    FILE *jq_rows;                  /* CSV rows for jq are written here (jq.c), or NULL */
    int jq_wrapped;                 /* reading jq's output over CSV rows: [line, record] */
    int is_stdin;                   /* the current file is standard input ('-') */
    int json_textual;               /* JSON strings are CSV text (jq over CSV): numbers may be parsed */
    int *reps_cols;                 /* --reps-columns: the matching columns, in order */
    size_t n_reps;
    int64_t *wide_items;            /* per column: item id or 0 */
    int64_t wide_instrument;
    size_t wide_columns;
    long wide_missing_file;

    /* the writing thread (writer.c) */
    sqlite3_stmt *st[N_STMTS];
    sqlite3_stmt *subject_find;
    sqlite3_stmt *response_run;     /* RESPONSE_RUN responses in one INSERT */
    sqlite3_stmt *prob_insert;      /* INSERT INTO response_prob (issue 14 part 5) */
    struct strmap subjects;         /* "model\x1ftemp\x1fpersona\x1fcondition" -> subject id */
    struct strbuf subject_key;
    struct strbuf last_model, last_persona, last_condition;   /* the previous row's subject, the common case */
    int last_valid, last_has_persona, last_has_temp, last_has_condition;
    double last_temp;
    int64_t last_subject;
    /* design factors (template, language, variant) -> design id, like subjects; the previous
     * row's key and id are kept in design_key / last_design (0 = none yet) */
    struct strmap designs;
    struct strbuf design_key;
    sqlite3_stmt *design_find;
    int64_t source_id;
    long file_stored;               /* records written (rejects excluded) */

    /* both */
    const char *path;
    struct pipeline pipe;
    int pipe_ready;
    int bulk;                       /* this file loads in the store's bulk mode (store_bulk_begin) */
    int fk_off;                     /* ... with foreign keys off: ingest_check_references() stands in */
    struct strbuf deferred_index;   /* writer: the CREATE INDEX statements of the indexes dropped for a load */
    struct {                        /* writer: the indexes a large load keeps up while they stay cached */
        struct strbuf drop, create, names;   /* their DROP and CREATE statements, their names (a line each) */
        long rows, limit;           /* rows since the last look; the limit of misses a thousand rows */
        int on, tell;               /* watching; tell what is deferred (test hook) */
    } watch;
    struct writeback writeback;     /* writer: write-back hints on the store file of a bulk load */
    /* The reading thread, started with the first file and kept for the run (a thread per file cost
     * more than a small file's ingest); it waits under pipe.mu, on job_cv (its own, so that the
     * queue's wake-ups do not wake it), for `job` or `reader_quit`. */
    pthread_t reader;
    pthread_cond_t job_cv;
    int reader_running, reader_quit;
    struct reader_job *job;
    atomic_int fatal;               /* the writer failed: the reader stops */

    /* totals over the run, kept by the writer */
    long files_done;
    size_t type_count[8];
    long status_count[4];
    long decision_count[4];
    long amount_count[4];           /* ultimatum_threshold, *_offer: per parse status */
    long wide_missing;
    long condition_records;         /* records whose subject has a condition */
    long prob_count;                /* responses stored with option probabilities (response_prob) */
    /* personas seen that are not trait settings (persona_parse): value 1 counted (its file was
     * kept), 2 seen in the file being written, 0 seen in a file that was rolled back */
    struct strmap traitless;
    long traitless_count;
};

int ingest_should_stop(const struct ingest *ig);
void field_plan_init(struct ingest *ig);     /* record_fields.c: the mapping's plan, once per run */
/* The reading thread's INGEST_CHUNK-byte buffer, made on first use and kept for the run (one
 * allocation per run, not per file); NULL after printing "out of memory". */
char *ingest_chunk(struct ingest *ig);
double ingest_now(void);   /* monotonic seconds */
/* Reader side: appends a validated row to the current batch (copying its strings); 0 or -1. */
int emit(struct ingest *ig, const struct pending *p);
/* Writer side: stores one batch. */
void write_batch(struct ingest *ig, struct batch *b);
const char *emit_str(struct ingest *ig, const char *s);   /* NULL stays NULL */
int wide_header(struct ingest *ig, const struct srcpos *pos);
int wide_row(struct ingest *ig, char **cols, size_t *lens, size_t n);
/* The subject's trait and level from its persona (writer_rows.c, subjects; persona_parse() in
 * util.c): "agreeableness=9", "N = 9" (EMO 1) -> trait (a static dimension code), level, *has 1; an
 * extreme ("AGR=max", "high agreeableness") has the trait but no number (*has 0); anything else
 * *trait NULL, *has 0.  Pure, so it can be fuzzed. */
void persona_level(const char *persona, const char **trait, double *level, int *has);
/* After a file: its traitless personas count (kept) or do not (rolled back). */
void traitless_settle(struct ingest *ig, int kept);
/* jq.c: the jq prefilter.  `csv`: the input is CSV, whose rows are given to jq as objects (see jq.c).
 * 0, or -1 after printing why. */
int read_jq(struct ingest *ig, int fd, const char *path, int csv, char delimiter);
/* jsonl.c: JSON Lines from fd, each line to ingest_json_record() (or jq_unwrap() while
 * ig->jq_wrapped); `label` names the stream in messages; `hash` 0 when the bytes are not the
 * source's own (jq output). */
int read_json_lines(struct ingest *ig, int fd, const char *path, const char *label, int hash);
/* jq.c: one line of jq's output over CSV rows, [LINE, RECORD] or [LINE, null, ERROR]: the record
 * or jq's error, at the CSV line the row came from. */
struct cJSON;
int jq_unwrap(struct ingest *ig, const struct cJSON *j, const struct srcpos *pos);
/* jq.c: while ig->jq_rows is set, the CSV reader hands the header and rows here, to be written
 * to jq's input as JSON objects keyed by the header. */
int jq_csv_header(struct ingest *ig, const struct srcpos *pos);
int jq_csv_row(struct ingest *ig, char **cols, size_t *lens, size_t n);

/* The record layer, shared between record.c (field access, subjects, dispatch) and the files of
 * the record types (record_response.c, record_behavior.c, record_games.c) and of field resolution
 * (record_fields.c).  Each get_* returns 0 with the value (absent optional fields leave the default
 * or NULL), or -1 after ingest_bad() names the field. */
const char *kind_name(const struct value *v);   /* "a string", "a number", ... for messages */
int present(const struct value *v);             /* neither absent nor null */
int get_text(struct ingest *ig, int f, int required, const char **out);
int get_number(struct ingest *ig, int f, int required, int *is_present, double *out);
int get_integer(struct ingest *ig, int f, int required, long lo, long hi, long dflt, long *out);
/* A whole number written as text: "5", or "5.0" as pandas writes an integer column that has a
 * missing value (as floats); "4.5", "5x" and "" are -1.  Prints nothing. */
int parse_integer_text(const char *s, long *out);
int get_bool(struct ingest *ig, int f, int required, int dflt, int *out);
int get_dimension(struct ingest *ig, int f, int required, const char **code, int *reverse);
/* The common subject fields; validated without writing anything. */
struct subject_fields {
    const char *model, *persona, *condition, *run;   /* condition: NULL = baseline */
    const char *tmpl, *language, *variant;           /* design factors of a response; NULL = none */
    int persona_generated;
    int has_temp;
    double temp;
    long rep;
};

int read_subject(struct ingest *ig, struct subject_fields *s);
/* A response's design factors template, language, variant (free text, a number as its text; empty
 * or blank = not given = NULL) into s; read_subject() leaves them NULL.  0 or -1 (a bad field). */
int read_design(struct ingest *ig, struct subject_fields *s);
void pending_subject(struct pending *p, const struct subject_fields *s);
/* Validates and stores the record whose fields are in ig->vals: 0, or -1 (a bad record). */
int record_dispatch(struct ingest *ig);
int record_response(struct ingest *ig);          /* record_response.c */
int record_behavior(struct ingest *ig);          /* record_behavior.c */
int record_labeled(struct ingest *ig);
int record_ultimatum(struct ingest *ig);         /* record_games.c */
int record_milgram(struct ingest *ig);
int record_step(struct ingest *ig);
int record_threshold(struct ingest *ig);         /* record_strategy.c */
int record_offer(struct ingest *ig, const char *game);

/* writer.c and writer_rows.c */
enum record_type { R_RESPONSE, R_BEHAVIOR, R_LABELED, R_ULTIMATUM, R_MILGRAM, R_STEP, R_THRESHOLD, R_OFFER, N_TYPES };
/* Binding one row: every sqlite3_bind_* return code is kept, because a value SQLite will not take
 * (longer than SQLITE_LIMIT_LENGTH: SQLITE_TOOBIG; no memory) is otherwise left unbound, and an
 * unbound parameter is stored as NULL without a word.  The first failure and its column are kept
 * for the error message. */
struct binder {
    sqlite3_stmt *st;
    int rc;
    const char *column;
};
void b_int(struct binder *b, int i, const char *column, sqlite3_int64 v);
/* Text of len bytes (-1: up to the NUL), or NULL for a NULL value. */
void b_text(struct binder *b, int i, const char *column, const char *s, size_t len);

/* writer_bulk.c: whether a file is loaded in the store's bulk mode (a regular file over one read,
 * not standard input or --jq), and the check of its rows' source, subject and item ids inside the
 * transaction, which stands in for the foreign keys a bulk load turns off.  0 / -1 after printing. */
int ingest_wants_bulk(const struct ingest *ig, int fd);
int ingest_check_references(struct ingest *ig);
/* A bulk load of a large file (fd) watches the non-UNIQUE indexes of the empty tables that hold a
 * source's rows (response_by_subject, behavior_by_subject, ...): ingest_watch_indexes(), after each
 * batch, drops them once the load misses the page cache; ingest_restore_indexes() makes the dropped
 * ones again before COMMIT, in the same transaction; ingest_watch_end() forgets the watch (a file
 * rolled back).  0 / -1 after printing. */
int ingest_defer_indexes(struct ingest *ig, int fd);
/* A large regular file (fd) is read once: ingest_hash() drops its cached pages behind the reader
 * (posix_fadvise DONTNEED) every few MiB.  ig->drop_fd is -1 for any other input. */
void ingest_drop_behind(struct ingest *ig, int fd);
int ingest_watch_indexes(struct ingest *ig, size_t rows);
int ingest_restore_indexes(struct ingest *ig);
void ingest_watch_end(struct ingest *ig);

#endif
