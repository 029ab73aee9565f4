/* metrics/games_int.h -- shared by metrics/games*.c only (the public API is games.h).
 *
 * Every analysis appends tidy rows (struct games_row of games.h) to a struct games_rows through
 * games_emit (games_rows.c); reports/ formats them. */
#ifndef PSYFAITH_GAMES_INT_H
#define PSYFAITH_GAMES_INT_H

#include <stddef.h>
#include <sqlite3.h>

#include "metrics/games.h"

int games_trait_index(const char *code);                 /* 0..4, or -1 */
/* A persona setting a trait, read by util.h's persona_parse ("agreeableness=7", "AGR = max",
 * "N=9" = EMO 1, "high agreeableness"): returns 1 with *trait and level ("min", "max", "1".."9").
 * NULL, "", "baseline" or "none": 0 (the baseline).  A trait whose level is not min, max or 1..9
 * ("agreeableness=10", "agreeableness="): -1.  A persona that is not a trait setting at all
 * ("proximity", "a friendly teacher"): -2, a persona without a trait (its runs belong under a
 * condition, not a trait). */
int games_persona(const char *persona, int *trait, char level[8]);

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

/* An Ultimatum trial as games_ug.c keeps it. */
struct games_ug_trial {
    int trait;                 /* 0..4, -1 = baseline */
    int level;                 /* 1..9, 0 = baseline */
    double offer, total;
    int accept;
};
/* ug_condition rows (games_ug_cond.c) of one condition's trials t[0..n) against the baseline's
 * ref[0..nref) of the same model, both sorted by (trait, level): per cell, glm(accept ~ o + cond,
 * binomial), or a no_baseline row when the baseline lacks the cell.  0, or -1 after printing why. */
int games_ug_condition_rows(struct games_rows *out, const char *model, const struct games_ug_trial *t, size_t n,
                            const struct games_ug_trial *ref, size_t nref);

/* The human reference table as compiled in (games_human.c, generated from fixtures/games/). */
extern const char games_human_csv[];

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

/* me_filtered / me_kept rows of one model x condition block: its Milgram runs counted by recorded outcome
 * (games_outcome.c).  0, or -1 after printing why. */
int games_milgram_outcomes(sqlite3 *db, const char *model, const char *condition, struct games_rows *out);

/* Shortest text that reads back as v: format_double (util.h). */
void games_fmt(char *buf, size_t size, double v);

#endif
