/* metrics/games_int.h -- shared by metrics/games*.c only (the public API is games.h).
 *
 * Every analysis appends tidy rows with the columns of GAMES_HEADER to a struct games_rows;
 * games_out.c writes them as CSV or as an aligned table.  (DESIGN.md keeps formatting in
 * reports/; the games writer lives here until the report writer takes it over.) */
#ifndef PSYFAITH_GAMES_INT_H
#define PSYFAITH_GAMES_INT_H

#include <stdio.h>

#include <sqlite3.h>

#include "metrics/games.h"

#define GAMES_HEADER "analysis,model,trait,level,offer,term,value,ci_low,ci_high,df,p_value,n,note"

enum { GAMES_N_TRAITS = 5 };
extern const char *const games_traits[GAMES_N_TRAITS];   /* EXT AGR CONS EMO OPEN */
int games_trait_index(const char *code);                 /* 0..4, or -1 */
/* A persona naming its condition, "agreeableness=7" or "AGR = max" (any name util.h's
 * dimension_canonical knows, neuroticism excepted; level min, max or 1..9): returns 1 with *trait
 * and level ("min", "max", "1".."9").  NULL, "", "baseline" or "none": 0 (the baseline).
 * Anything else: -1. */
int games_persona(const char *persona, int *trait, char level[8]);

/* One output row.  The text cells are owned copies; NAN numbers and n < 0 print as empty. */
struct games_row {
    char *analysis, *model, *trait, *level, *offer, *term, *note;
    double value, ci_low, ci_high, df, p_value;
    long n;
};
struct games_rows {
    struct games_row *v;
    size_t len, cap;
};
/* The cells that a run of rows shares; NULL = empty. */
struct games_key {
    const char *analysis, *model, *trait, *level, *offer;
};
/* Appends a row (copies every string).  0, or -1 after printing "out of memory". */
int games_emit(struct games_rows *out, const struct games_key *k, const char *term, double value,
               double ci_low, double ci_high, double df, double p_value, long n, const char *note);
/* games_emit with only a value and n. */
int games_emit_value(struct games_rows *out, const struct games_key *k, const char *term, double value,
                     long n, const char *note);
void games_rows_free(struct games_rows *r);
/* CSV (header GAMES_HEADER, numbers in the shortest form that reads back exactly) or an aligned
 * table (numbers to 4 significant digits).  Model names are defused for spreadsheets. */
int games_write(const struct games_rows *r, int table, FILE *fp);

/* ---- human reference data (fixtures/games/human_games.csv, compiled into games_human.c) ---- */
extern const char games_human_csv[];
#define GAMES_HUMAN_MAX_X 100          /* acceptance at 0..100 % of the total */
#define GAMES_HUMAN_MAX_LEVEL 60
struct games_human {
    int ug_direction[GAMES_N_TRAITS];  /* +1 / -1, 0 = no human reference */
    int me_direction[GAMES_N_TRAITS];
    char *ug_dir_cite[GAMES_N_TRAITS], *me_dir_cite[GAMES_N_TRAITS];
    int have_accept;
    long accept_count[GAMES_HUMAN_MAX_X + 1], accept_n;   /* responders with minimum <= x % */
    char *accept_cite;
    int me_levels;                     /* last level of the human curve (30), 0 = none */
    long me_remaining[GAMES_HUMAN_MAX_LEVEL + 1], me_n;
    char *me_cite;
};
/* Parses the table from `path`, or the compiled-in copy when path is NULL.  0 or -1 (printed). */
int games_human_load(const char *path, struct games_human *h);
void games_human_free(struct games_human *h);

struct games_opts {
    double alpha;                      /* significance threshold of the verdicts */
};

/* The analyses; each appends its rows, 0 or -1 (printed). */
int games_ultimatum(sqlite3 *db, const struct games_human *h, const struct games_opts *o,
                    struct games_rows *out);
int games_milgram(sqlite3 *db, const struct games_human *h, const struct games_opts *o,
                  struct games_rows *out);

/* Verdict rows (analysis "verdict") for one model x experiment x trait.  model_dir is the sign of
 * the model's effect (0 = none or unknown), p the p-value of `test` (NAN if none), violations the
 * monotonicity violations out of `steps` adjacent steps. */
struct games_verdict {
    const char *experiment;            /* "ultimatum" or "milgram" */
    const char *model, *trait;
    const char *behaviour;             /* "acceptance of unfair offers", "obedience" */
    int human_dir;
    const char *human_cite;
    int model_dir;
    double effect;                     /* the statistic behind model_dir (slope, mean difference) */
    const char *effect_name;
    double p;
    const char *test;
    size_t violations, steps;
    const char *monotone_of;           /* what was checked for monotonicity */
    long n;
};
int games_verdict(struct games_rows *out, const struct games_verdict *v, double alpha);

/* Shortest text that reads back as v (%.15g, else %.17g). */
void games_fmt(char *buf, size_t size, double v);

#endif
