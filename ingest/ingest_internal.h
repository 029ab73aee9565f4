/* ingest/ingest_internal.h -- struct ingest, shared by the record layer and the readers */
#ifndef PSYFAITH_INGEST_INTERNAL_H
#define PSYFAITH_INGEST_INTERNAL_H

#include <stdint.h>

#include "ingest/ingest.h"
#include "ingest/mapping.h"
#include "util.h"

#define MAX_REPORTED_ERRORS 20

enum stmt {
    S_SOURCE, S_SOURCE_DONE, S_SOURCE_FIND, S_SOURCE_DELETE, S_SUBJECT, S_RESPONSE, S_BEHAVIOR,
    S_LABELED, S_ULTIMATUM, S_MILGRAM, S_STEP, S_REJECT, N_STMTS
};

struct item_info {
    signed char key;        /* +1 / -1; 0 = no such item */
    int n_options;
};

struct ingest {
    sqlite3 *db;
    struct ingest_options opt;
    const struct mapping *map;
    sqlite3_stmt *st[N_STMTS];
    sqlite3_stmt *subject_find;

    /* caches, loaded once per run (items) or per file (subjects) */
    struct strmap field_index;      /* field name -> enum field */
    struct strmap instruments;      /* name -> instrument id */
    struct strmap item_by_code;     /* "inst\x1fcode" and "inst\x1f#position" -> item id */
    struct strmap item_by_text;     /* "inst\x1fnormalised text" -> item id */
    struct strmap subjects;         /* "model\x1ftemp\x1fpersona" -> subject id */
    struct item_info *item_info;    /* indexed by item id */
    size_t n_item_info;

    /* the current record */
    struct value vals[N_FIELDS];
    struct strbuf scratch[N_FIELDS];
    struct strbuf keybuf;
    struct srcpos pos;
    pcre2_match_data *extract_md;

    /* the current file */
    const char *path;
    int64_t source_id;
    struct hasher hasher;
    long file_errors, file_records, file_lines;
    size_t file_bytes;
    int fatal;
    double file_start, progress_last;
    int progress_tty, progress_shown;
    char **header;                  /* CSV */
    size_t n_header;
    int *col_of_field;
    int col_of_extract[N_FIELDS];
    int64_t *wide_items;            /* per column: item id or 0 */
    int64_t wide_instrument;
    size_t wide_columns;

    /* totals over the run */
    long files_done;
    size_t type_count[6];
    long status_count[4];
    long decision_count[4];
    long wide_missing;
};

int ingest_should_stop(const struct ingest *ig);
int wide_header(struct ingest *ig, const struct srcpos *pos);
int wide_row(struct ingest *ig, char **cols, size_t *lens, size_t n);
int read_jq(struct ingest *ig, int fd, const char *path, const char *program);

#endif
