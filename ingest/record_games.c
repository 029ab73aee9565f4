/* ingest/record_games.c -- the games record types: `ultimatum` (one Ultimatum Game decision),
 * `milgram` (one run) and `milgram_step` (one step of a run). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ingest/decision.h"
#include "ingest/ingest_internal.h"

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
    } else if (parse_long(s, &n) == 0 && n >= 1 && n <= 9) {
        snprintf(buf, 8, "%ld", reverse ? 10 - n : n);
    } else {
        return ingest_bad(ig, &ig->pos, "level", "expected min, max or 1..9, found '%.40s'", s);
    }
    *level = buf;
    return 0;
}

int record_milgram(struct ingest *ig)
{
    struct subject_fields s;
    const char *trait, *level;
    char levelbuf[8];
    long final_level, max_level, disob;
    int filtered, reverse;
    if (read_subject(ig, &s) < 0 || read_trait(ig, &trait, &reverse) < 0 ||
        read_milgram_level(ig, reverse, levelbuf, &level) < 0 ||
        get_integer(ig, F_FINAL_LEVEL, 1, 0, 1000000, 0, &final_level) < 0 ||
        get_integer(ig, F_MAX_LEVEL, 1, 1, 1000000, 0, &max_level) < 0 ||
        get_integer(ig, F_DISOBEDIENCES, 0, 0, 1000000, 0, &disob) < 0 ||
        get_bool(ig, F_FILTERED, 0, 0, &filtered) < 0)
        return -1;
    if (final_level > max_level)
        return ingest_bad(ig, &ig->pos, "final_level", "final level %ld is above max_level %ld", final_level,
                          max_level);
    struct pending p = { .type = P_MILGRAM, .trait = trait, .level_text = level, .final_level = final_level,
                         .max_level = max_level, .disobediences = disob, .filtered = filtered };
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
