/* metrics/games_int.h -- shared by metrics/games*.c only (the public API is games.h).
 *
 * Every analysis appends tidy rows (struct games_row of games.h) to a struct games_rows through
 * games_emit (games_rows.c); reports/ formats them. */
#ifndef PSYFAITH_GAMES_INT_H
#define PSYFAITH_GAMES_INT_H

#include <stddef.h>

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

/* Shortest text that reads back as v: format_double (util.h). */
void games_fmt(char *buf, size_t size, double v);

#endif
