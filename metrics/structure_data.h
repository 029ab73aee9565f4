/* metrics/structure_data.h -- the input of the structure analyses (psyfaith structure: EFA, CFA,
 * invariance): one instrument's items, and the respondents x items matrix of one group.
 *
 * Decisions (README "psyfaith structure"):
 * - Cells are RAW options 1..K as answered on the ascending scale (response.option), NOT reverse
 *   keyed: a factor then shows + loadings on + keyed items and - loadings on - keyed items, and its
 *   congruence with the key (dimension x sign) tells whether the keying holds; this is how
 *   psychologists fit raw item data (psych::fa, lavaan).  sd_item.key gives the key.
 * - Respondents (enum sd_units): SD_SUBJECTS, each subject (model x temperature x persona x
 *   condition) one row of its majority-voted options over every ok answer (ties: the option nearest
 *   the middle, then the lower one, as metrics/scores.h); SD_RUNS, each (subject, repetition) one
 *   row of the first ok answer of each item in that repetition.  A row with no answered item is
 *   left out; rows are in subject id order, then repetition.
 * - Missing answers stay NAN in the matrix; each analysis says how it treats them: EFA pairwise
 *   (psych::fa's default cor(x, use = "pairwise")), CFA complete cases (lavaan's default listwise);
 *   sd_complete_cases() gives those rows.
 * - Groups: per model (sd_models) or all models pooled (model NULL), always within one experimental
 *   condition (NULL = baseline), as psyfaith metrics computes each condition as its own study.
 * - Memory: one group's matrix plus one subject's answers; the query walks the index
 *   response_by_subject of the group's subjects.
 * Errors: 0 / -1 after diag_error(); free functions are safe on zeroed structs. */
#ifndef PSYFAITH_STRUCTURE_DATA_H
#define PSYFAITH_STRUCTURE_DATA_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

enum sd_units { SD_SUBJECTS, SD_RUNS };

struct sd_item {
    int64_t id;
    char *code;             /* the bank's item id */
    int dimension;          /* index into dimension_codes (metrics/scores.h): EXT AGR CONS EMO OPEN */
    int key;                /* +1 / -1 */
};

struct sd_instrument {
    int64_t id;
    char *name;
    int n_options;          /* K */
    size_t n_items;
    struct sd_item *items;  /* in the bank's order (item.position) */
    size_t n_dims;          /* dimensions with items */
    int dims[5];            /* their indices, in the order EXT AGR CONS EMO OPEN */
};

struct sd_matrix {
    size_t n_resp, n_items;
    double *x;              /* n_resp x n_items, row-major: raw option 1..K, NAN = no answer */
    int64_t *subject;       /* per row: subject id */
    int64_t *rep;           /* per row: the repetition (SD_RUNS), -1 for SD_SUBJECTS */
};

/* "subjects" or "runs"; 0, or -1 (nothing printed). */
int sd_units_parse(const char *s, enum sd_units *u);
const char *sd_units_name(enum sd_units u);

/* The instrument's items; -1 after an error (an unknown name names the instrument). */
int sd_instrument_load(sqlite3 *db, const char *name, struct sd_instrument *ins);
void sd_instrument_free(struct sd_instrument *ins);
/* Names of the instruments with any response (NULL only = all), text order; free with sd_names_free. */
int sd_instruments(sqlite3 *db, char ***names, size_t *n);
/* Models with an ok answer to the instrument in the condition (NULL = baseline), text order. */
int sd_models(sqlite3 *db, const struct sd_instrument *ins, const char *condition, char ***models, size_t *n);
void sd_names_free(char **names, size_t n);

/* The matrix of a group: the subjects of `model` (NULL = every model) in `condition` (NULL =
 * baseline).  On error the matrix is freed. */
int sd_matrix_load(sqlite3 *db, const struct sd_instrument *ins, const char *condition, const char *model,
                   enum sd_units units, struct sd_matrix *m);
void sd_matrix_free(struct sd_matrix *m);
/* Indices of the rows without a NAN into rows[0..*n) (rows has room for m->n_resp). */
void sd_complete_cases(const struct sd_matrix *m, size_t *rows, size_t *n);
#endif
