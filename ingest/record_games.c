/* ingest/record_games.c -- the games record types: `ultimatum` (one Ultimatum Game decision),
 * `milgram` (one run: levels or volts, and an outcome classed by --outcome) and `milgram_step` (one
 * step of a run). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ingest/decision.h"
#include "ingest/ingest_internal.h"
#include "ingest/mapping.h"

/* ---------- games ---------- */

/* The record's trait; *reverse is 1 for a neuroticism name, stored as EMO with its level reversed
 * (the same rule as a persona "N=9": see persona_parse in util.h). */
static int read_trait(struct ingest *ig, const char **trait, int *reverse)
{
    return get_dimension(ig, F_TRAIT, 0, trait, reverse);
}

int record_ultimatum(struct ingest *ig)
{
    struct subject_fields s;
    const char *trait, *answer = NULL, *dtext;
    long level;
    double offer, total = 10;
    int has, has_total, accept = -1, reverse;
    enum answer_status status = ANSWER_OK;
    if (read_subject(ig, &s) < 0 || read_trait(ig, &trait, &reverse) < 0 ||
        get_integer(ig, F_LEVEL, 0, 1, 9, 0, &level) < 0 || get_number(ig, F_OFFER, 1, &has, &offer) < 0 ||
        get_number(ig, F_TOTAL, 0, &has_total, &total) < 0)
        return -1;
    if (reverse && level)
        level = 10 - level;         /* neuroticism l is emotional stability 10 - l */
    if (!has_total)
        total = 10;
    if (total <= 0)
        return ingest_bad(ig, &ig->pos, "total", "total must be positive, found %g", total);
    if (offer < 0 || offer > total)
        return ingest_bad(ig, &ig->pos, "offer", "offer %g is outside 0..total (%g)", offer, total);
    if (present(&ig->vals[F_DECISION])) {
        if (get_text(ig, F_DECISION, 1, &dtext) < 0)
            return -1;
        if (strcasecmp(dtext, "accept") == 0 || strcasecmp(dtext, "accepted") == 0 || strcasecmp(dtext, "yes") == 0 ||
            strcmp(dtext, "1") == 0 || strcasecmp(dtext, "true") == 0)
            accept = 1;
        else if (strcasecmp(dtext, "reject") == 0 || strcasecmp(dtext, "rejected") == 0 ||
                 strcasecmp(dtext, "no") == 0 || strcmp(dtext, "0") == 0 || strcasecmp(dtext, "false") == 0)
            accept = 0;
        else
            return ingest_bad(ig, &ig->pos, "decision", "expected accept or reject, found '%.60s'", dtext);
        if (get_text(ig, F_ANSWER, 0, &answer) < 0)
            return -1;
    } else {
        if (get_text(ig, F_ANSWER, 0, &answer) < 0)
            return -1;
        if (!answer)
            return ingest_bad(ig, &ig->pos, "decision", "an ultimatum trial needs 'decision' or 'answer'");
        status = decision_parse(answer, strlen(answer), &accept);
        if (status == ANSWER_ERROR)     /* PCRE2 failed: the answer was not read */
            return ingest_bad(ig, &ig->pos, "answer", "%s", answer_error());
    }
    struct pending p = { .type = P_ULTIMATUM, .trait = trait, .level = level, .offer = offer, .total = total,
                         .decision = accept, .answer = answer, .answer_len = answer ? strlen(answer) : 0,
                         .status = status };
    pending_subject(&p, &s);
    return emit(ig, &p);
}

/* Milgram persona levels: the extremes 'min'/'max' of Zakazov et al. (also 'low'/'high'), or 1..9;
 * reversed (a neuroticism trait) min and max swap and l becomes 10 - l. */
static int read_milgram_level(struct ingest *ig, int reverse, char buf[8], const char **level)
{
    const char *s;
    long n;
    *level = NULL;
    if (get_text(ig, F_LEVEL, 0, &s) < 0)
        return -1;
    if (!s)
        return 0;
    int max = strcasecmp(s, "max") == 0 || strcasecmp(s, "high") == 0;
    if (max || strcasecmp(s, "min") == 0 || strcasecmp(s, "low") == 0) {
        snprintf(buf, 8, "%s", max != reverse ? "max" : "min");
    } else if (parse_integer_text(s, &n) == 0 && n >= 1 && n <= 9) {
        snprintf(buf, 8, "%ld", reverse ? 10 - n : n);
    } else {
        return ingest_bad(ig, &ig->pos, "level", "expected min, max or 1..9, found '%.40s'", s);
    }
    *level = buf;
    return 0;
}

/* A level given as a level or as a voltage: FIELD_level, or FIELD_voltage / voltage_step, which must
 * be a whole number (the voltage is the field an error names).  `required`: one of the two. */
static int read_level_or_voltage(struct ingest *ig, int f_level, int f_volt, double step, long lo, long *out)
{
    int has;
    double v;
    if (present(&ig->vals[f_volt])) {
        if (present(&ig->vals[f_level]))
            return ingest_bad(ig, &ig->pos, field_names[f_volt], "give %s or %s, not both", field_names[f_level],
                              field_names[f_volt]);
        if (get_number(ig, f_volt, 1, &has, &v) < 0)
            return -1;
        if (v < 0)
            return ingest_bad(ig, &ig->pos, field_names[f_volt], "a voltage cannot be negative, found %g", v);
        double q = v / step;
        if (q != floor(q))
            return ingest_bad(ig, &ig->pos, field_names[f_volt], "%g V is not a whole multiple of voltage_step %g V",
                              v, step);
        if (q < (double)lo || q > 1000000)
            return ingest_bad(ig, &ig->pos, field_names[f_volt], "%g V is level %g, out of range (%ld..1000000)",
                              v, q, lo);
        *out = (long)q;
        return 0;
    }
    if (!present(&ig->vals[f_level]))
        return ingest_bad(ig, &ig->pos, field_names[f_level], "missing required field (or give %s)",
                          field_names[f_volt]);
    return get_integer(ig, f_level, 1, lo, 1000000, 0, out);
}

/* The record's outcome through the mapping's --outcome classes: sets *filtered, checks an obedient
 * or defiant run against its levels and an explicit `filtered` against the class. */
static int read_outcome(struct ingest *ig, const char **outcome, long final_level, long max_level, int *filtered)
{
    int has_filtered = present(&ig->vals[F_FILTERED]);
    if (get_text(ig, F_OUTCOME, 0, outcome) < 0)
        return -1;
    if (!*outcome)
        return 0;
    if (!**outcome)
        return ingest_bad(ig, &ig->pos, "outcome", "empty outcome (leave the field out, or null)");
    enum outcome_class c = mapping_outcome(ig->map, *outcome);
    if (c == OUTCOME_NONE && has_filtered)
        return 0;           /* a self-describing record (psyfaith's own export): `filtered` decides */
    if (c == OUTCOME_NONE)
        return ingest_bad(ig, &ig->pos, "outcome", "outcome '%.60s' has no class; map it with --outcome "
                          "'%.60s=CLASS' (CLASS kept, filtered, obedient or defiant) or give 'filtered'",
                          *outcome, *outcome);
    int want = c == OUTCOME_FILTERED;
    if (has_filtered && *filtered != want)
        return ingest_bad(ig, &ig->pos, "filtered", "filtered is %d but outcome '%.60s' is %s", *filtered, *outcome,
                          outcome_class_name(c));
    *filtered = want;
    if (c == OUTCOME_OBEDIENT && final_level != max_level)
        return ingest_bad(ig, &ig->pos, "outcome", "outcome '%.60s' is obedient but the final level %ld is below "
                          "max_level %ld", *outcome, final_level, max_level);
    if (c == OUTCOME_DEFIANT && final_level >= max_level)
        return ingest_bad(ig, &ig->pos, "outcome", "outcome '%.60s' is defiant but the final level %ld is max_level",
                          *outcome, final_level);
    return 0;
}

int record_milgram(struct ingest *ig)
{
    struct subject_fields s;
    const char *trait, *level, *outcome;
    char levelbuf[8];
    long final_level, max_level, disob;
    int filtered, reverse, has_step;
    double step = 15;
    if (read_subject(ig, &s) < 0 || read_trait(ig, &trait, &reverse) < 0 ||
        read_milgram_level(ig, reverse, levelbuf, &level) < 0 ||
        get_number(ig, F_VOLTAGE_STEP, 0, &has_step, &step) < 0)
        return -1;
    if (!has_step)
        step = 15;
    if (!(step > 0) || !isfinite(step))
        return ingest_bad(ig, &ig->pos, "voltage_step", "voltage_step must be positive, found %g", step);
    if (read_level_or_voltage(ig, F_FINAL_LEVEL, F_FINAL_VOLTAGE, step, 0, &final_level) < 0 ||
        read_level_or_voltage(ig, F_MAX_LEVEL, F_MAX_VOLTAGE, step, 1, &max_level) < 0 ||
        get_integer(ig, F_DISOBEDIENCES, 0, 0, 1000000, 0, &disob) < 0 ||
        get_bool(ig, F_FILTERED, 0, 0, &filtered) < 0)
        return -1;
    if (final_level > max_level)
        return ingest_bad(ig, &ig->pos, present(&ig->vals[F_FINAL_VOLTAGE]) ? "final_voltage" : "final_level",
                          "final level %ld is above max_level %ld", final_level, max_level);
    if (read_outcome(ig, &outcome, final_level, max_level, &filtered) < 0)
        return -1;
    struct pending p = { .type = P_MILGRAM, .trait = trait, .level_text = level, .final_level = final_level,
                         .max_level = max_level, .disobediences = disob, .filtered = filtered, .outcome = outcome };
    pending_subject(&p, &s);
    return emit(ig, &p);
}

int record_step(struct ingest *ig)
{
    struct subject_fields s;
    const char *trait, *level;
    char levelbuf[8];
    long step;
    int disobeyed, reverse;
    if (read_subject(ig, &s) < 0 || read_trait(ig, &trait, &reverse) < 0 ||
        read_milgram_level(ig, reverse, levelbuf, &level) < 0 ||
        get_integer(ig, F_STEP, 1, 0, 1000000, 0, &step) < 0 || get_bool(ig, F_DISOBEYED, 1, 0, &disobeyed) < 0)
        return -1;
    if (!s.run)
        return ingest_bad(ig, &ig->pos, "run", "a milgram_step needs the 'run' it belongs to");
    struct pending p = { .type = P_STEP, .trait = trait, .level_text = level, .step = step, .disobeyed = disobeyed };
    pending_subject(&p, &s);
    return emit(ig, &p);
}
