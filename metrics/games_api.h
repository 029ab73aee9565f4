/* metrics/games_api.h -- the verdicts of `psyfaith games` as data, for callers outside
 * metrics/games*.c (psyfaith audit).  The numbers are those of the games command's verdict rows
 * (analysis "verdict") and of the row behind the model's direction (ug_trend slope_level,
 * me_welch mean_difference between the trait's extremes).
 * Computes, never prints (but diag_error() on failure); the verdict array and its strings are the
 * caller's (games_trait_verdicts_free).  The module's rules are in metrics/scores.h. */
#ifndef PSYFAITH_GAMES_API_H
#define PSYFAITH_GAMES_API_H

#include <stddef.h>
#include <sqlite3.h>

enum games_experiment { GAMES_ULTIMATUM, GAMES_MILGRAM };

/* One model x trait of one experiment.  Strings owned (NULL = none). */
struct games_trait_verdict {
    char *model;
    int trait;                 /* index into dimension_codes: EXT AGR CONS EMO OPEN */
    int human_dir;             /* +1 / -1; 0 = no human reference */
    char *human_note;          /* the human_direction row's note (with its citation) */
    double effect;             /* the model's effect (UG: logistic slope per level; ME: mean final
                                * level at the highest minus the lowest persona level); NAN = none */
    double ci_low, ci_high;    /* its 95% interval (UG: Wald; ME: Welch); NAN = none */
    char *effect_note;         /* the model_direction row's note */
    int model_dir;             /* sign of effect; 0 = none */
    double p;                  /* the test of the direction; NAN = none */
    long steps, violations;    /* adjacent level steps and those against the model's direction;
                                * -1 = not assessable (fewer than 2 levels) */
    double agrees;             /* agrees_with_humans: 1 same and significant, 0 not significant,
                                * -1 significant and opposite, NAN = no verdict */
    char *note;                /* the agrees_with_humans row's note */
    long n;                    /* trials (UG) or runs (ME) behind the test */
};

/* Runs the experiment's analyses on the store (alpha = significance of the verdicts) and returns
 * one verdict per model x trait with persona levels, in the games command's order.  0, or -1 after
 * printing why.  Free with games_trait_verdicts_free. */
int games_trait_verdicts(sqlite3 *db, enum games_experiment e, double alpha, struct games_trait_verdict **out,
                         size_t *n);
void games_trait_verdicts_free(struct games_trait_verdict *v, size_t n);

#endif
