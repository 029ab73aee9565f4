/* ingest/decision.h -- Ultimatum Game responder answers to accept / reject (one PCRE2 token pass)
 *
 * Pure text -> status, like answer.h: no store, no output, the text borrowed for the call.  Its
 * pattern is process-wide (decision_init / decision_free); each call makes its own match data, but
 * the refusal check shares answer.c's, so decision_parse() too runs on one thread at a time. */
#ifndef PSYFAITH_DECISION_H
#define PSYFAITH_DECISION_H

#include <stddef.h>

#include "ingest/answer.h"

/* Compiles the token pattern once; 0 or -1 after printing why.  decision_free() releases it.
 * The refusal phrases come from answer.c: call answer_init() too. */
int decision_init(void);
void decision_free(void);

/* Reads a responder's raw answer (`len` bytes, need not be NUL-terminated) in time linear in `len`.
 * ANSWER_OK with *accept 1/0 when the answer commits to one decision; ANSWER_AMBIGUOUS when it commits
 * to both, or only names a decision hedged, conditional, as alternatives or in a question; ANSWER_UNPARSED
 * when it states a minimum acceptable amount (a strategy-method answer, not a decision on this offer) or
 * names no decision; ANSWER_REFUSAL for an AI disclaimer without a decision; ANSWER_ERROR (never stored)
 * when PCRE2 failed, with answer_error() saying how.  The rules are in README.md, "Ultimatum answers". */
enum answer_status decision_parse(const char *text, size_t len, int *accept);

#endif
