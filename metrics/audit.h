/* metrics/audit.h -- `psyfaith audit`: a vendor's persona claims ("our assistant is highly
 * agreeable") turned into measurable statements, measured on the store, and judged.
 *
 * Grammar (one claim a line; '#' starts a comment outside quotes; keywords and dimension names
 * are case-insensitive; spaces between tokens are optional where nothing else could be meant):
 *
 *   line       := [ claim | scope ] [ '#' comment ]
 *   claim      := DIM cmp [ on ]... | DIM 'percentile' cmp [ on ]... [ vs ] | DIM 'stable' [ on ]...
 *               | DIM 'steerable' [ on ]... | DIM 'steerable' GAME       (each 'on' form at most once)
 *               | DIM 'robust' 'to' 'order' [ on ]... | DIM 'not' 'acquiescent' [ on ]...
 *   cmp        := OP NUMBER | 'between' NUMBER [ 'and' ] NUMBER        OP := >= | <= | > | <
 *   on         := 'on' INSTRUMENT                  a word, or "quoted"
 *               | 'on' 'condition' CONDITION       a word, or "quoted"; "baseline" = no condition
 *   vs         := 'vs' POPULATION                  "quoted", or the rest of the line
 *   GAME       := 'ultimatum' | 'ug' | 'milgram' | 'me'
 *   scope      := ('model' | 'persona' | 'temperature' | 'instrument' | 'condition') ':' VALUE   ('*' = any)
 *   DIM        := any name util.h's dimension_canonical() accepts: EXT AGR CONS EMO OPEN, their
 *                 long names ("emotional stability" may be two words), N / neuroticism (judged on
 *                 the reversed EMO scale: K + 1 - score, 100 - percentile)
 *
 * A scope line applies to the claims after it in the same file; a command-line scope option
 * (--model, --persona, --temperature, --instrument, --condition) overrides the file's for that
 * field, and a claim's own 'on condition' overrides both.
 * Conditions: each experimental condition is judged as its own study, as psyfaith metrics computes
 * it: the subjects of that condition only (also for InC, BC and the faithfulness gate).  A claim
 * without a condition is judged once per condition with questionnaire data (one result each, like
 * one per model); "baseline" names the subjects without a condition.  A game claim takes none.
 *
 * The parser (metrics/audit_claims.c) is pure: no I/O, no allocation, no globals, so that it can be
 * fuzzed.  Everything else here reads the store (and claims files) and computes verdicts; it prints
 * nothing but errors (PATH:LINE:COL through diag_at, 0 / -1), and reports/ writes the verdicts.
 * Ownership: an audit_list owns its claims and the strings its scopes point into (audit_list_free);
 * audit_results own their strings (audit_results_free); audit_run borrows the store and the list. */
#ifndef PSYFAITH_AUDIT_H
#define PSYFAITH_AUDIT_H

#include <stddef.h>
#include <sqlite3.h>

#define AUDIT_MAX_TEXT 512        /* a claim line, without its comment, in bytes (incl. NUL) */
#define AUDIT_MAX_NAME 256        /* an instrument, population, model or persona (incl. NUL) */

enum audit_kind {
    AUDIT_SCOPE,                  /* a scope line, not a claim */
    AUDIT_LEVEL,                  /* DIM OP x / DIM between a b: per-item mean, 1..K */
    AUDIT_PERCENTILE,             /* against a human norm, 0..100 */
    AUDIT_STABLE,                 /* TrC, InC and (with behaviours) BC above their thresholds */
    AUDIT_STEERABLE,              /* persona level moves the score (or game behaviour) as in humans */
    AUDIT_ORDER_ROBUST,           /* DIM robust to order: no option-order effect (issue 14) */
    AUDIT_NOT_ACQUIESCENT,        /* DIM not acquiescent: acq_share <= trait_share (issue 14) */
};
enum audit_op { AUDIT_GE, AUDIT_LE, AUDIT_GT, AUDIT_LT, AUDIT_BETWEEN };
enum audit_game { AUDIT_GAME_NONE, AUDIT_GAME_ULTIMATUM, AUDIT_GAME_MILGRAM };
enum audit_field { AUDIT_F_MODEL, AUDIT_F_PERSONA, AUDIT_F_TEMPERATURE, AUDIT_F_INSTRUMENT, AUDIT_F_CONDITION };

struct audit_claim {
    enum audit_kind kind;
    char text[AUDIT_MAX_TEXT];    /* the line as written, trimmed, without its comment */
    /* claims */
    int dimension;                /* index into dimension_codes (metrics/scores.h) */
    int reverse;                  /* named as neuroticism */
    enum audit_op op;
    double a, b;                  /* the threshold; between: a <= b */
    enum audit_game game;
    char instrument[AUDIT_MAX_NAME];   /* 'on' clause, "" = none */
    char population[AUDIT_MAX_NAME];   /* 'vs' clause, "" = the instrument's default norm */
    char condition[AUDIT_MAX_NAME];    /* 'on condition' clause, "" = none */
    /* scope lines: field and value ("" = any; temperature: has_temperature, temperature) */
    enum audit_field field;
    char value[AUDIT_MAX_NAME];
    int has_temperature;
    double temperature;
    /* 1-based byte columns of the parts, for errors found when the claim meets the store */
    int col_dim, col_a, col_b, col_instrument, col_population, col_condition;
};

struct audit_error {
    int col;                      /* 1-based byte column where the claim went wrong */
    char msg[200];                /* lower case, no final full stop */
};

/* Parses one line of len bytes (need not be NUL-terminated; a NUL byte inside is an error).
 * Returns 1 with *out filled (a claim or a scope line), 0 for a blank or comment-only line, or -1
 * with *err filled.  Never reads outside text[0..len), never allocates. */
int audit_parse_claim_n(const char *text, size_t len, struct audit_claim *out, struct audit_error *err);
/* The same for a NUL-terminated string. */
int audit_parse_claim(const char *text, struct audit_claim *out, struct audit_error *err);

/* The scope a claim is judged in: model (NULL = every model with data, one result each), persona
 * (NULL = any; "baseline" also matches no persona), temperature, instrument (NULL = each
 * instrument that measures the dimension, one result each). */
struct audit_scope {
    const char *model, *persona, *instrument;
    const char *condition;        /* NULL = each condition; "baseline" = no condition */
    int has_temperature;
    double temperature;
};

/* A claim as read from --claim or --claims, with where it came from and its scope (pointers into
 * the list's own strings). */
struct audit_item {
    struct audit_claim c;
    const char *path;             /* "claims.txt" or "--claim" */
    long line;                    /* line of the file, or the --claim's number */
    struct audit_scope scope;
};
struct audit_list {
    struct audit_item *v;
    size_t n, cap;
    char **strings;               /* owned copies behind the scopes */
    size_t n_strings;
    struct audit_scope cli;       /* command-line scope: overrides the files' scope lines */
    struct audit_scope texts;     /* scope lines among the --claim texts so far */
};
/* Appends the claims of one --claim text (number `index`, 1-based) or of a whole file (path;
 * "-" = stdin).  Malformed lines are reported as PATH:LINE:COL: error: ... (all of them) and make
 * the call return -1; otherwise 0.  list->cli must be set before the first call. */
int audit_list_add_text(struct audit_list *list, const char *text, long index);
int audit_list_add_file(struct audit_list *list, const char *path);
void audit_list_free(struct audit_list *list);

struct audit_options {
    size_t bootstrap;             /* resamples for the verdict CIs (default 1000); 0 = none */
    unsigned long seed;           /* default 1 */
    double level;                 /* CI level (default 0.95) */
    double reliability, validity; /* as psyfaith metrics (0.7, 0.6) */
    double min_share;             /* score proration share (0.8) */
    double alpha;                 /* games: significance of the direction (0.05) */
    long min_subjects;            /* fewer subjects in scope: not measurable (default 2) */
    long max_violations;          /* steerable: steps against the direction tolerated (default 0) */
    int units_runs;               /* --units runs: InC and the gate as psyfaith metrics --units runs,
                                   * and level and percentile claims over the runs in scope */
};
void audit_options_default(struct audit_options *o);

enum audit_verdict { AUDIT_SUPPORTED, AUDIT_NOT_SUPPORTED, AUDIT_CONTRADICTED, AUDIT_NOT_MEASURABLE };
const char *audit_verdict_name(enum audit_verdict v);   /* "supported", "not supported", ... */

/* One verdict: a claim for one model (and instrument).  Strings owned (NULL = empty). */
struct audit_result {
    size_t item;                  /* index into the audit_list */
    char *model, *persona, *temperature, *instrument;
    char *condition;              /* the condition judged, NULL = baseline (or a game claim) */
    const char *dimension;        /* as judged: EXT..OPEN, or N for a neuroticism claim */
    enum audit_verdict verdict;
    double value, ci_low, ci_high;     /* NAN = none */
    long n;                       /* subjects (or trials / runs for games); -1 = none */
    char *threshold;              /* the claim's side: ">= 4", "between 3 and 4", ... */
    char *reason;                 /* why this verdict, in a sentence */
    char *evidence;               /* the metric rows it rests on, "; "-separated */
};
struct audit_results {
    struct audit_result *v;
    size_t n, cap;
};
void audit_results_free(struct audit_results *r);

/* Judges every claim of list on the store.  0, or -1 after printing why (a data error: an unknown
 * model or instrument, a population that matches no norm, a threshold outside an instrument's
 * scale; these point at the claim as PATH:LINE:COL). */
int audit_run(sqlite3 *db, const struct audit_list *list, const struct audit_options *o,
              struct audit_results *out);

/* The CSV header of `psyfaith audit` and of the report's audit.csv. */
#define AUDIT_HEADER "source,claim,model,persona,temperature,instrument,dimension,verdict,value,ci_low,ci_high," \
                     "n,threshold,reliability,validity,reason,evidence,condition"
#define AUDIT_NCOL 18


#endif
