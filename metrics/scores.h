/* metrics/scores.h -- item scores per subject from the store: the input of every metric.
 * Repetitions of an item are combined by majority vote over the raw option (RealBehavior 3.2);
 * a tie goes to the option closest to the neutral middle, then to the lower one.
 *
 * The metrics/ module (this header, stats.h, faith.h, games.h, games_api.h, audit.h, probs.h):
 * - Owns the numbers: scores, faithfulness metrics, the games fits and verdicts, claim verdicts.
 *   It reads the store (responses, items, norms, the games tables, and table crs, which is how
 *   classify's results reach it: metrics never calls classify/) and, for audit, claims files.
 * - Computes, never prints: results come back as structs and tidy rows, and reports/ formats
 *   them.  Nothing here writes to stdout, opens an output file or parses argv; the only output
 *   is a diag_error() on stderr when something fails.
 * - Two error conventions.  The pure statistics (stats.h; games_ols, games_logit, games_wilson)
 *   print nothing and return STATS_OK or a negative STATS_* code with a static reason in *why:
 *   an undefined statistic is a result (an empty cell with a note), not an error.  audit's claim
 *   parser prints nothing either and fills a struct audit_error.  Everything that reads the
 *   store or grows a table returns 0 / -1 (or NULL) after diag_error() printed why.
 * - Ownership: whatever a function fills (score_set, faith_table, games_rows, audit_results, ...)
 *   is the caller's, released by the matching _free(), which is safe on a zeroed struct (or on
 *   NULL, 0) and is still called after a failure (rows appended so far stay).  Strings inside
 *   rows are owned copies unless their field says static.  Pointers from score_reps(),
 *   score_rep_row() and a score_set's blocks are borrowed until score_set_free().  faith_add()'s
 *   row pointer is valid only until the next faith_add (the table may move).  Inputs (the sqlite3
 *   handle, the score_set given to faith_compute, the options) are borrowed for the call.
 * - Single-threaded.  GSL's abort() handler is off (main.c), so every GSL status is checked. */
#ifndef PSYFAITH_SCORES_H
#define PSYFAITH_SCORES_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include <gsl/gsl_matrix.h>

#define N_DIMENSIONS 5
extern const char *const dimension_codes[N_DIMENSIONS];   /* EXT AGR CONS EMO OPEN */

struct subject {
    int64_t id;
    char *model, *persona, *persona_trait;  /* persona and trait may be NULL */
    char *condition;                        /* the experimental condition; NULL = baseline */
    int has_temperature, has_level;
    double temperature, persona_level;
};

/* One instrument x dimension: its items and every subject's item scores. */
struct score_block {
    int instrument;             /* index into score_set.instruments */
    int dimension;              /* index into dimension_codes */
    size_t n_items;
    int64_t *item_ids;
    char **item_codes;
    int *keys;                  /* +1 / -1 */
    gsl_matrix *voted;          /* n_subjects x n_items: R+/R- of the voted option; NAN = none */
    size_t n_reps;              /* distinct repetitions with any response in this instrument */
    /* The score of each repetition, stored only where a subject has one: subject s has reps_seen[s]
     * rows from row rep_first[s], in ascending repetition order; row u holds n_items scores
     * (rep_scores[u * n_items + j], NAN = none) of repetition rep_of[u] (0..n_reps-1: the k-th
     * smallest rep number of the instrument).  Read them with score_reps() / score_rep_row().
     * Sparse on purpose: a dense subjects x repetitions x items array reached gigabytes when
     * every subject answered in its own few repetitions (issue 11 item 10). */
    size_t *rep_first;          /* per subject */
    size_t n_rows;
    int64_t *rep_of;            /* n_rows */
    double *rep_scores;         /* n_rows x n_items */
    /* per subject */
    int *answered;              /* items with a voted option */
    int *reps_seen;             /* distinct repetitions with a scored (ok) answer */
    int *refusals, *unparsed, *ambiguous;
    size_t **option_counts;     /* [subject][option 1..K], raw options of ok answers (all reps) */
    int *agree_pos, *agree_neg; /* ok answers above the middle on + and - keyed items */
    int *n_pos, *n_neg;         /* ok answers on + and - keyed items */
    long *sum_pos, *sum_neg;    /* sums of their raw options (before reverse keying): acquiescence P, N */
};

struct score_instrument {
    int64_t id;
    char *name;
    int n_options;
};

struct score_set {
    size_t n_subjects;
    struct subject *subjects;
    size_t n_instruments;
    struct score_instrument *instruments;
    size_t n_blocks;
    struct score_block *blocks;     /* ordered by instrument name, then EXT AGR CONS EMO OPEN */
    /* Whether an ok response of the store has option_order 'descending' or a presented order:
     * SCORE_ORDER_UNKNOWN (0, a set built otherwise), _NONE or _SOME.  Text scoring reads every
     * response and notes it on the way, which spares faith_order_load a scan of the table. */
    int order_seen;
};
enum { SCORE_ORDER_UNKNOWN = 0, SCORE_ORDER_NONE = 1, SCORE_ORDER_SOME = 2 };

/* How a response becomes a score (issue 14 part 5, --scoring).  TEXT (the default): the stored
 * option, parsed from the text or given as `option` (a record with probabilities only stored its
 * argmax there).  ARGMAX and EV read only responses with probabilities (table response_prob) and
 * leave the others out: ARGMAX the most probable option (an exact tie is an ambiguous answer), EV
 * the expected option sum o q(o) of the probabilities renormalised over the scale, a real number
 * in [1, K] that reverse keying maps to K + 1 - EV.  Under EV the repetitions of an item are
 * combined by their mean instead of the majority vote, and the option-level statistics (option
 * counts, acquiescence, neutral and agreement rates) count the argmax option. */
enum score_scoring { SCORING_TEXT, SCORING_ARGMAX, SCORING_EV };
/* "text", "argmax" or "ev": 0, or -1 (prints nothing). */
int score_scoring_parse(const char *s, enum score_scoring *out);
const char *score_scoring_name(enum score_scoring m);
/* Process-wide: the scoring of every later score_set_load*() (a command sets it once, from its
 * --scoring option, before loading; single-threaded like the rest of metrics/). */
void score_set_scoring(enum score_scoring m);
enum score_scoring score_get_scoring(void);

/* Loads every response of the store (optionally one instrument, NULL = all).  NULL after printing
 * why.  Free with score_set_free(). */
struct score_set *score_set_load(sqlite3 *db, const char *only_instrument);
/* The same for the subjects of one experimental condition (NULL = the baseline): metrics computes
 * each condition's rows over its own subjects, as if the others were not in the store. */
struct score_set *score_set_load_condition(sqlite3 *db, const char *only_instrument, const char *condition);
void score_set_free(struct score_set *s);
/* The conditions of the subjects with responses (of the instrument, NULL = any): the baseline
 * (a NULL entry) first when it has subjects, then the conditions in text order; at least one
 * entry (the baseline) even in an empty store.  0, or -1 after printing why; free with
 * score_conditions_free(). */
int score_conditions(sqlite3 *db, const char *only_instrument, char ***conditions, size_t *n);
void score_conditions_free(char **conditions, size_t n);

/* Sum score (Eq. 1) and per-item mean of subject s in block b, with proration: when at least
 * min_share of the items are answered, per_item is the mean of the answered items and the sum is
 * per_item * n_items; otherwise both are NAN and *why says so.  Returns 0, or -1 when missing. */
int score_of(const struct score_block *b, size_t s, double min_share, double *sum, double *per_item,
             const char **why);

/* Why subject s's score in block b is empty, or that it is prorated, into buf ("" when it is
 * neither): the text of the note column of psyfaith scores. */
void score_note(const struct score_block *b, size_t s, double min_share, char *buf, size_t size);
/* Why a group's mean is empty or has no sd, into buf ("" when neither): took = the group's subjects
 * with any response in the block, scored = those with a score (psyfaith scores --by-model and the
 * report's Table 3 say the same). */
void score_group_note(size_t took, size_t scored, double min_share, char *buf, size_t size);
/* Whether subject s has any response (of any status) in block b. */
int score_took(const struct score_block *b, size_t s);

/* Subject s's repetitions in block b: *T = reps_seen[s] rows of n_items scores, ascending
 * repetition order; borrowed (NULL when T = 0). */
const double *score_reps(const struct score_block *b, size_t s, size_t *T);
/* The n_items scores of subject s in repetition r (0..n_reps-1), or NULL when s has no scored
 * answer in it; borrowed. */
const double *score_rep_row(const struct score_block *b, size_t s, size_t r);
/* The per-item mean (of the answered items) of each of subject s's repetitions in block b, into
 * out[0..*n) (out has room for reps_seen[s]); a repetition with no scored item is left out.  This is
 * PsychoBench's per-test category score (utils.py analysis_results, compute_mode AVG). */
void score_rep_means(const struct score_block *b, size_t s, double *out, size_t *n);


#endif
